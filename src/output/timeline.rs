//! Printing a timeline: a table with a bar chart (text), one JSON document, one JSON line
//! per row, or CSV/TSV rows.
//!
//! Rows run `earlier` (timelines by mentions), the calendar buckets, then `later`. A
//! normalised timeline adds `total_passages`, `total_articles` and `share`; a bucket with
//! no article under the filters has no share (`null`, an empty CSV cell, `no data`).

use std::io::{self, Write};

use chrono::NaiveDate;

use super::{Format, csv_line};
use serde::Serialize;

use crate::meta::{Meta, WithMeta};
use crate::search::{Bucket, By, Outside, Timeline, Totals};

/// Width of the longest bar in a text timeline.
const BAR_WIDTH: usize = 50;

/// One row of any kind, borrowed for printing (also a batch's long-form row, beside
/// its label).
#[derive(Serialize)]
pub(super) struct Row<'a> {
    pub bucket: &'a str,
    pub start: Option<NaiveDate>,
    pub end: Option<NaiveDate>,
    pub passages: u64,
    pub articles: u64,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub totals: Option<Totals>,
}

impl<'a> From<&'a Outside> for Row<'a> {
    fn from(o: &'a Outside) -> Self {
        Row {
            bucket: &o.bucket,
            start: o.start,
            end: o.end,
            passages: o.passages,
            articles: o.articles,
            totals: o.totals,
        }
    }
}

impl<'a> From<&'a Bucket> for Row<'a> {
    fn from(b: &'a Bucket) -> Self {
        Row {
            bucket: &b.bucket,
            start: Some(b.start),
            end: Some(b.end),
            passages: b.passages,
            articles: b.articles,
            totals: b.totals,
        }
    }
}

impl Row<'_> {
    /// The CSV/TSV column names of a row, with the totals' when `normalized`.
    pub(super) fn header(normalized: bool) -> Vec<&'static str> {
        let mut header = vec!["bucket", "start", "end", "passages", "articles"];
        if normalized {
            header.extend(["total_passages", "total_articles", "share"]);
        }
        header
    }

    /// The CSV/TSV cells of the row, in [`Row::header`]'s order (an open end, or a
    /// share with no data, is an empty cell).
    pub(super) fn cells(&self) -> Vec<String> {
        let day = |d: Option<NaiveDate>| d.map_or(String::new(), |d| d.to_string());
        let mut cells = vec![
            self.bucket.to_string(),
            day(self.start),
            day(self.end),
            self.passages.to_string(),
            self.articles.to_string(),
        ];
        if let Some(t) = self.totals {
            cells.push(t.total_passages.to_string());
            cells.push(t.total_articles.to_string());
            cells.push(t.share.map_or(String::new(), |s| s.to_string()));
        }
        cells
    }
}

/// Every row in date order: `earlier`, the buckets, `later`, and whether each is a
/// calendar bucket.
pub(super) fn rows(timeline: &Timeline) -> Vec<(Row<'_>, bool)> {
    let mut rows: Vec<(Row, bool)> = Vec::new();
    rows.extend(timeline.earlier.iter().map(|o| (Row::from(o), false)));
    rows.extend(timeline.buckets.iter().map(|b| (Row::from(b), true)));
    rows.extend(timeline.later.iter().map(|o| (Row::from(o), false)));
    rows
}

/// Writes `timeline` in `format`.
/// JSON carries `meta` first when one is given.
pub fn write_timeline(
    out: &mut impl Write,
    timeline: &Timeline,
    format: Format,
    meta: Option<&Meta>,
) -> io::Result<()> {
    match format {
        Format::Text => write_text(out, timeline)?,
        Format::Json => {
            match meta {
                Some(meta) => serde_json::to_writer_pretty(
                    &mut *out,
                    &WithMeta {
                        meta,
                        answer: timeline,
                    },
                )?,
                None => serde_json::to_writer_pretty(&mut *out, timeline)?,
            }
            writeln!(out)?;
        }
        Format::Jsonl => {
            if let Some(o) = &timeline.earlier {
                serde_json::to_writer(&mut *out, o)?;
                writeln!(out)?;
            }
            for b in &timeline.buckets {
                serde_json::to_writer(&mut *out, b)?;
                writeln!(out)?;
            }
            if let Some(o) = &timeline.later {
                serde_json::to_writer(&mut *out, o)?;
                writeln!(out)?;
            }
        }
        Format::Csv | Format::Tsv => {
            out.write_all(&csv_line(format, Row::header(timeline.normalized))?)?;
            for (r, _) in rows(timeline) {
                let row = r.cells();
                out.write_all(&csv_line(format, row)?)?;
            }
        }
    }
    out.flush()
}

fn write_text(out: &mut impl Write, timeline: &Timeline) -> io::Result<()> {
    let rows = rows(timeline);
    let width = rows
        .iter()
        .map(|(r, _)| r.bucket.len())
        .max()
        .unwrap_or(4)
        .max(7);
    let max_passages = timeline.max_passages();
    let max_share = timeline.max_share().unwrap_or(1.0);
    write!(
        out,
        "{:<width$}  {:>8}  {:>8}",
        "bucket", "passages", "articles"
    )?;
    if timeline.normalized {
        write!(
            out,
            "  {:>14}  {:>14}  {:>8}",
            "total_passages", "total_articles", "share"
        )?;
    }
    writeln!(out)?;
    for (r, calendar) in rows {
        write!(
            out,
            "{:<width$}  {:>8}  {:>8}",
            r.bucket, r.passages, r.articles
        )?;
        // The bar (its length) shows the share when normalised, else the passages.
        let bar_of = match r.totals {
            Some(t) => {
                write!(out, "  {:>14}  {:>14}", t.total_passages, t.total_articles)?;
                match t.share {
                    Some(s) => {
                        write!(out, "  {:>7.2}%", s * 100.0)?;
                        Some(((s / max_share) * BAR_WIDTH as f64).ceil() as usize)
                    }
                    None => {
                        write!(out, "  {:>8}", "no data")?;
                        None
                    }
                }
            }
            None => Some((r.passages * BAR_WIDTH as u64).div_ceil(max_passages) as usize),
        };
        if !calendar {
            // earlier and later span many buckets: no bar, say what they cover.
            match (r.start, r.end) {
                (_, Some(end)) => write!(out, "  (mentions up to {end})")?,
                (Some(start), _) => write!(out, "  (mentions from {start})")?,
                _ => {}
            }
        } else if let Some(len) = bar_of {
            write!(out, "  {}", "█".repeat(len.min(BAR_WIDTH)))?;
        }
        writeln!(out)?;
    }
    if timeline.undated > 0 {
        let why = match timeline.by {
            By::Published => "come from articles with no publication date",
            By::Mentions => "mention no resolved date",
        };
        writeln!(out, "({} matching passages {why})", timeline.undated)?;
    }
    Ok(())
}
