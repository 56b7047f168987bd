//! `gazette copies`: the articles of one near-duplicate group in every output format.
//!
//! Takes the [`Copy`] rows of a group (first article first), or of several groups one
//! after another, gives text (a numbered list per group), one JSON document (`group`,
//! `articles`, `copies`; an array of them for several groups), JSON lines, CSV or TSV
//! (one row per article, columns [`COPIES_COLUMNS`]).

use std::io::{self, Write};

use serde::Serialize;

use super::{Format, csv_line, iso};
use crate::meta::{Meta, WithMeta};
use crate::search::Copy;

/// The CSV/TSV columns of `gazette copies`, in order.
pub const COPIES_COLUMNS: &[&str] = &[
    "article_id",
    "group",
    "source",
    "published",
    "path",
    "similarity",
];

/// The JSON document of a group.
#[derive(Serialize)]
struct Document<'a> {
    group: &'a str,
    articles: usize,
    copies: &'a [Copy],
}

/// Writes the rows of one group, or of several one after another (`copies --all`).
/// JSON carries `meta` first when one is given.
pub fn write_copies(
    out: &mut impl Write,
    format: Format,
    rows: &[Copy],
    meta: Option<&Meta>,
) -> io::Result<()> {
    match format {
        Format::Text => {
            for (k, group) in by_group(rows).into_iter().enumerate() {
                if k > 0 {
                    writeln!(out)?;
                }
                let n = group.len();
                let noun = if n == 1 { "article" } else { "articles" };
                writeln!(out, "group {}: {n} {noun}", group[0].group)?;
                for (i, r) in group.iter().enumerate() {
                    let date = r
                        .published
                        .map(|d| d.format("%Y-%m-%d").to_string())
                        .unwrap_or_else(|| "-".into());
                    let source = r.source.as_deref().unwrap_or("-");
                    let role = if i == 0 {
                        "first".to_string()
                    } else {
                        format!("{:.2}", r.similarity)
                    };
                    let id = &r.article_id;
                    writeln!(out, "{:>3}. {date}  {source}  {id}  [{role}]", i + 1)?;
                    writeln!(out, "     {}", r.path)?;
                }
            }
        }
        Format::Json => {
            let docs: Vec<Document> = by_group(rows)
                .into_iter()
                .map(|group| Document {
                    group: &group[0].group,
                    articles: group.len(),
                    copies: group,
                })
                .collect();
            // One group is one object; several (`--all`) are its `groups`.
            #[derive(Serialize)]
            struct Groups<'a> {
                groups: &'a [Document<'a>],
            }
            match (docs.as_slice(), meta) {
                ([one], Some(meta)) => {
                    serde_json::to_writer_pretty(&mut *out, &WithMeta { meta, answer: one })?
                }
                ([one], None) => serde_json::to_writer_pretty(&mut *out, one)?,
                (many, Some(meta)) => serde_json::to_writer_pretty(
                    &mut *out,
                    &WithMeta {
                        meta,
                        answer: &Groups { groups: many },
                    },
                )?,
                (many, None) => serde_json::to_writer_pretty(&mut *out, &Groups { groups: many })?,
            }
            writeln!(out)?;
        }
        Format::Jsonl => {
            for r in rows {
                serde_json::to_writer(&mut *out, r)?;
                writeln!(out)?;
            }
        }
        Format::Csv | Format::Tsv => {
            out.write_all(&csv_line(format, COPIES_COLUMNS)?)?;
            for r in rows {
                let record = [
                    r.article_id.clone(),
                    r.group.clone(),
                    r.source.clone().unwrap_or_default(),
                    r.published.map(iso).unwrap_or_default(),
                    r.path.clone(),
                    format!("{:.4}", r.similarity),
                ];
                out.write_all(&csv_line(format, record)?)?;
            }
        }
    }
    out.flush()
}

/// The rows cut into runs of one group.
fn by_group(rows: &[Copy]) -> Vec<&[Copy]> {
    let mut out = Vec::new();
    let mut rest = rows;
    while let Some(first) = rest.first() {
        let n = rest.iter().take_while(|r| r.group == first.group).count();
        out.push(&rest[..n]);
        rest = &rest[n..];
    }
    out
}
