//! Printing the index's entities (`gazette entities`): name, majority type, passages,
//! articles, the split by type and every spelling.
//!
//! JSON is `{"meta", "entities": [...]}`, JSON lines one entry a line (both with `types` and
//! `forms` as objects); CSV/TSV one row per entity with the split and the spellings in
//! one cell each (`ORG:119;MISC:6`, `OPEC (ORG 119); Opec (MISC 6)`); text a table.

use std::io::{self, Write};

use super::{Format, csv_line};
use crate::meta::Meta;
use crate::search::EntityEntry;

/// Writes `entries` in `format`.
pub fn write_entities(
    out: &mut impl Write,
    entries: &[EntityEntry],
    format: Format,
    meta: Option<&Meta>,
) -> io::Result<()> {
    match format {
        Format::Json => {
            #[derive(serde::Serialize)]
            struct Listing<'a> {
                #[serde(skip_serializing_if = "Option::is_none")]
                meta: Option<&'a Meta>,
                entities: &'a [EntityEntry],
            }
            serde_json::to_writer_pretty(
                &mut *out,
                &Listing {
                    meta,
                    entities: entries,
                },
            )?;
            writeln!(out)?;
            return out.flush();
        }
        Format::Jsonl => {
            for e in entries {
                serde_json::to_writer(&mut *out, e)?;
                writeln!(out)?;
            }
            return out.flush();
        }
        Format::Csv | Format::Tsv => {
            let header = ["name", "type", "passages", "articles", "types", "forms"];
            out.write_all(&csv_line(format, header)?)?;
            for e in entries {
                let record = [
                    e.name.clone(),
                    e.kind.to_string(),
                    e.passages.to_string(),
                    e.articles.to_string(),
                    types_cell(e),
                    forms_cell(e),
                ];
                out.write_all(&csv_line(format, record)?)?;
            }
            return out.flush();
        }
        Format::Text => {}
    }
    writeln!(
        out,
        "{:>8} {:>8}  {:<4}  name  (spellings)",
        "passages", "articles", "type"
    )?;
    for e in entries {
        writeln!(
            out,
            "{:>8} {:>8}  {:<4}  {}  ({})",
            e.passages,
            e.articles,
            e.kind,
            e.name,
            forms_cell(e)
        )?;
    }
    out.flush()
}

fn types_cell(e: &EntityEntry) -> String {
    let parts: Vec<String> = e.types.iter().map(|(k, n)| format!("{k}:{n}")).collect();
    parts.join(";")
}

fn forms_cell(e: &EntityEntry) -> String {
    let parts: Vec<String> = e
        .forms
        .iter()
        .map(|f| format!("{} ({} {})", f.form, f.kind, f.passages))
        .collect();
    parts.join("; ")
}
