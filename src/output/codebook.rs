//! Printing a codebook's answers (`gazette batch`): per-label counts, label x label
//! co-occurrence, and timelines per label.
//!
//! CSV, TSV, JSON lines and JSON carry long forms a data frame reads directly (one row per
//! label, per pair of labels, or per label and bucket; JSON is an array of those rows);
//! text shows tables, timelines with one column per label.

use std::io::{self, Write};

use serde::Serialize;

use super::timeline::{Row, rows};
use super::{Format, csv_line};
use crate::codebook::{LabelCounts, LabelTimeline, Pair};
use crate::meta::Meta;

/// Writes `rows` in the long form of `format` (JSON: `{"meta": ..., "rows": [...]}`),
/// with `header` and `record` giving the CSV/TSV columns.
fn write_long<T: Serialize>(
    out: &mut impl Write,
    rows: &[T],
    (format, meta): (Format, Option<&Meta>),
    header: &[&str],
    record: impl Fn(&T) -> Vec<String>,
) -> io::Result<()> {
    match format {
        Format::Json => {
            #[derive(Serialize)]
            struct Rows<'a, T> {
                #[serde(skip_serializing_if = "Option::is_none")]
                meta: Option<&'a Meta>,
                rows: &'a [T],
            }
            serde_json::to_writer_pretty(&mut *out, &Rows { meta, rows })?;
            writeln!(out)?;
        }
        Format::Jsonl => {
            for row in rows {
                serde_json::to_writer(&mut *out, row)?;
                writeln!(out)?;
            }
        }
        Format::Csv | Format::Tsv => {
            out.write_all(&csv_line(format, header)?)?;
            for row in rows {
                out.write_all(&csv_line(format, record(row))?)?;
            }
        }
        Format::Text => unreachable!("text tables are written by their own functions"),
    }
    out.flush()
}

/// Writes the counts of every label.
pub fn write_counts(
    out: &mut impl Write,
    rows: &[LabelCounts],
    format: Format,
    meta: Option<&Meta>,
) -> io::Result<()> {
    if format != Format::Text {
        let header = [
            "label",
            "query",
            "passages",
            "articles",
            "only_passages",
            "only_articles",
        ];
        return write_long(out, rows, (format, meta), &header, |r| {
            vec![
                r.label.clone(),
                r.query.clone(),
                r.passages.to_string(),
                r.articles.to_string(),
                r.only_passages.to_string(),
                r.only_articles.to_string(),
            ]
        });
    }
    let width = label_width(rows.iter().map(|r| r.label.as_str()));
    writeln!(
        out,
        "{:<width$}  {:>8}  {:>8}  {:>13}  {:>13}  query",
        "label", "passages", "articles", "only_passages", "only_articles"
    )?;
    for r in rows {
        writeln!(
            out,
            "{:<width$}  {:>8}  {:>8}  {:>13}  {:>13}  {}",
            r.label, r.passages, r.articles, r.only_passages, r.only_articles, r.query
        )?;
    }
    out.flush()
}

/// Writes label x label co-occurrence: pairs in the long forms, two matrices (passages,
/// then articles) in text. `labels` gives the order of rows and columns.
pub fn write_cooccurrence(
    out: &mut impl Write,
    pairs: &[Pair],
    labels: &[&str],
    format: Format,
    meta: Option<&Meta>,
) -> io::Result<()> {
    if format != Format::Text {
        let header = ["label", "other", "passages", "articles"];
        return write_long(out, pairs, (format, meta), &header, |p| {
            vec![
                p.label.clone(),
                p.other.clone(),
                p.passages.to_string(),
                p.articles.to_string(),
            ]
        });
    }
    let width = label_width(labels.iter().copied());
    let col = |l: &str| l.chars().count().max(8);
    for (what, articles) in [("passages", false), ("articles", true)] {
        writeln!(out, "{what} matched by both")?;
        write!(out, "{:<width$}", "")?;
        for l in labels {
            write!(out, "  {:>w$}", l, w = col(l))?;
        }
        writeln!(out)?;
        for (row, label) in pairs.chunks(labels.len().max(1)).zip(labels) {
            write!(out, "{label:<width$}")?;
            for (p, l) in row.iter().zip(labels) {
                let n = if articles { p.articles } else { p.passages };
                write!(out, "  {:>w$}", n, w = col(l))?;
            }
            writeln!(out)?;
        }
        if !articles {
            writeln!(out)?;
        }
    }
    out.flush()
}

/// One row of a timeline in long form: the label, then the columns of a timeline row.
#[derive(Serialize)]
struct LongRow<'a> {
    label: &'a str,
    #[serde(flatten)]
    row: Row<'a>,
}

/// Every row of every label's timeline: `earlier`, the buckets, `later`, label by label.
fn long_rows(timelines: &[LabelTimeline]) -> Vec<LongRow<'_>> {
    timelines
        .iter()
        .flat_map(|lt| {
            rows(&lt.timeline).into_iter().map(|(row, _)| LongRow {
                label: &lt.label,
                row,
            })
        })
        .collect()
}

/// Writes the timelines of a batch (one shared range): long form, or in text a table
/// with a row per bucket and a column per label (passages, or the share when normalised).
pub fn write_timelines(
    out: &mut impl Write,
    timelines: &[LabelTimeline],
    format: Format,
    meta: Option<&Meta>,
) -> io::Result<()> {
    let normalized = timelines.iter().any(|t| t.timeline.normalized);
    let rows = long_rows(timelines);
    if format != Format::Text {
        let mut header = vec!["label"];
        header.extend(Row::header(normalized));
        return write_long(out, &rows, (format, meta), &header, |r| {
            let mut cells = vec![r.label.to_string()];
            cells.extend(r.row.cells());
            cells
        });
    }
    let labels: Vec<&str> = timelines.iter().map(|t| t.label.as_str()).collect();
    let buckets = rows.len() / labels.len().max(1);
    let width = rows
        .iter()
        .map(|r| r.row.bucket.len())
        .max()
        .unwrap_or(6)
        .max(7);
    let col = |l: &str| l.chars().count().max(8);
    if normalized {
        writeln!(out, "share of the passages under the filters")?;
    }
    write!(out, "{:<width$}", "bucket")?;
    for l in &labels {
        write!(out, "  {:>w$}", l, w = col(l))?;
    }
    writeln!(out)?;
    for b in 0..buckets {
        write!(out, "{:<width$}", rows[b].row.bucket)?;
        for (k, l) in labels.iter().enumerate() {
            let r = &rows[k * buckets + b];
            let cell = match r.row.totals {
                Some(t) => t
                    .share
                    .map_or("no data".to_string(), |s| format!("{:.2}%", s * 100.0)),
                None => r.row.passages.to_string(),
            };
            write!(out, "  {:>w$}", cell, w = col(l))?;
        }
        writeln!(out)?;
    }
    if timelines.iter().any(|t| t.timeline.undated > 0) {
        write!(out, "{:<width$}", "undated")?;
        for (t, l) in timelines.iter().zip(&labels) {
            write!(out, "  {:>w$}", t.timeline.undated, w = col(l))?;
        }
        writeln!(out)?;
    }
    out.flush()
}

/// Width of the label column: the longest label, at least "label".
fn label_width<'a>(labels: impl Iterator<Item = &'a str>) -> usize {
    labels.map(|l| l.chars().count()).max().unwrap_or(5).max(5)
}
