//! `gazette copies`: the articles of one near-duplicate group in every output format.
//!
//! Takes the [`Copy`] rows of a group (first article first), gives text (a table), one
//! JSON document (`group`, `articles`, `copies`), JSON lines, CSV or TSV (one row per
//! article, columns [`COPIES_COLUMNS`]).

use std::io::{self, Write};

use serde::Serialize;

use super::{Format, csv_line, iso};
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

/// Writes the rows of one group (at least one: the caller reports an unknown article).
pub fn write_copies(out: &mut impl Write, format: Format, rows: &[Copy]) -> io::Result<()> {
    let group = rows.first().map_or("", |r| r.group.as_str());
    match format {
        Format::Text => {
            let n = rows.len();
            let noun = if n == 1 { "article" } else { "articles" };
            writeln!(out, "group {group}: {n} {noun}")?;
            for (i, r) in rows.iter().enumerate() {
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
                writeln!(
                    out,
                    "{:>3}. {date}  {source}  {}  [{role}]",
                    i + 1,
                    r.article_id
                )?;
                writeln!(out, "     {}", r.path)?;
            }
        }
        Format::Json => {
            let doc = Document {
                group,
                articles: rows.len(),
                copies: rows,
            };
            serde_json::to_writer_pretty(&mut *out, &doc)?;
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
