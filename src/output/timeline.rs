//! Printing a timeline: a table with a bar chart (text), one JSON document, one JSON line
//! per row, or CSV/TSV rows.
//!
//! Rows run `earlier` (timelines by mentions), the calendar buckets, then `later`. A
//! normalised timeline adds `total_passages`, `total_articles` and `share`; a bucket with
//! no article under the filters has no share (`null`, an empty CSV cell, `no data`).

use std::io::{self, Write};

use chrono::NaiveDate;

use super::{Format, csv_line};
use crate::search::{By, Outside, Timeline, Totals};

/// Width of the longest bar in a text timeline.
const BAR_WIDTH: usize = 50;

/// One row of any kind, borrowed for printing.
struct Row<'a> {
    bucket: &'a str,
    start: Option<NaiveDate>,
    end: Option<NaiveDate>,
    passages: u64,
    articles: u64,
    totals: Option<Totals>,
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

/// Every row in date order: `earlier`, the buckets, `later`, and whether each is a
/// calendar bucket.
fn rows(timeline: &Timeline) -> Vec<(Row<'_>, bool)> {
    let mut rows: Vec<(Row, bool)> = Vec::new();
    rows.extend(timeline.earlier.iter().map(|o| (Row::from(o), false)));
    rows.extend(timeline.buckets.iter().map(|b| {
        let row = Row {
            bucket: &b.bucket,
            start: Some(b.start),
            end: Some(b.end),
            passages: b.passages,
            articles: b.articles,
            totals: b.totals,
        };
        (row, true)
    }));
    rows.extend(timeline.later.iter().map(|o| (Row::from(o), false)));
    rows
}

/// Writes `timeline` in `format`.
pub fn write_timeline(out: &mut impl Write, timeline: &Timeline, format: Format) -> io::Result<()> {
    match format {
        Format::Text => write_text(out, timeline)?,
        Format::Json => {
            serde_json::to_writer_pretty(&mut *out, timeline)?;
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
            let mut header = vec!["bucket", "start", "end", "passages", "articles"];
            if timeline.normalized {
                header.extend(["total_passages", "total_articles", "share"]);
            }
            out.write_all(&csv_line(format, header)?)?;
            let day = |d: Option<NaiveDate>| d.map_or(String::new(), |d| d.to_string());
            for (r, _) in rows(timeline) {
                let mut row = vec![
                    r.bucket.to_string(),
                    day(r.start),
                    day(r.end),
                    r.passages.to_string(),
                    r.articles.to_string(),
                ];
                if let Some(t) = r.totals {
                    row.push(t.total_passages.to_string());
                    row.push(t.total_articles.to_string());
                    row.push(t.share.map_or(String::new(), |s| s.to_string()));
                }
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
