//! Printing concordance lines (`query --kwic`): aligned on the match in text, one record
//! per occurrence in JSON, JSON lines, CSV and TSV.

use std::io::{self, Write};

use serde::Serialize;

use super::{Format, Marking, csv_line, iso};
use crate::analysis::kwic::KwicLine;
use crate::meta::Meta;

/// The CSV/TSV columns of a concordance line, in order.
pub const KWIC_COLUMNS: &[&str] = &[
    "rank",
    "article_id",
    "passage",
    "start",
    "end",
    "left",
    "match",
    "right",
    "score",
    "title",
    "source",
    "url",
    "path",
    "published",
];

/// Writes concordance lines as they come, then the closing part.
pub struct KwicWriter<W: Write> {
    out: W,
    format: Format,
    marking: Marking,
    /// Text: the widths the left and right contexts are padded to.
    align: (usize, usize),
    written: usize,
}

impl<W: Write> KwicWriter<W> {
    /// `align`: in text, the characters the left context is right-aligned in and the
    /// right context padded to (the longest of each, at most the width).
    pub fn new(out: W, format: Format, marking: Marking, align: (usize, usize)) -> Self {
        KwicWriter {
            out,
            format,
            marking,
            align,
            written: 0,
        }
    }

    /// Writes what comes before the first line (JSON with `meta` first; CSV header).
    pub fn begin(mut self, meta: Option<&Meta>) -> io::Result<Self> {
        match self.format {
            Format::Json => {
                self.out.write_all(b"{")?;
                if let Some(meta) = meta {
                    self.out.write_all(b"\"meta\":")?;
                    serde_json::to_writer(&mut self.out, meta)?;
                    self.out.write_all(b",\n")?;
                }
                self.out.write_all(b"\"lines\":[")?;
            }
            Format::Csv | Format::Tsv => {
                let header = csv_line(self.format, KWIC_COLUMNS)?;
                self.out.write_all(&header)?;
            }
            Format::Text | Format::Jsonl => {}
        }
        Ok(self)
    }

    pub fn line(&mut self, line: &KwicLine) -> io::Result<()> {
        self.written += 1;
        match self.format {
            Format::Text => self.text(line),
            Format::Json => {
                self.out
                    .write_all(if self.written == 1 { b"\n" } else { b",\n" })?;
                serde_json::to_writer(&mut self.out, line)?;
                Ok(())
            }
            Format::Jsonl => {
                serde_json::to_writer(&mut self.out, line)?;
                self.out.write_all(b"\n")
            }
            Format::Csv | Format::Tsv => {
                let record = [
                    line.rank.to_string(),
                    line.article_id.clone(),
                    line.passage.to_string(),
                    line.start.to_string(),
                    line.end.to_string(),
                    line.left.clone(),
                    line.matched.clone(),
                    line.right.clone(),
                    format!("{:.4}", line.score),
                    line.title.clone(),
                    line.source.clone().unwrap_or_default(),
                    line.url.clone().unwrap_or_default(),
                    line.path.clone(),
                    line.published.map(iso).unwrap_or_default(),
                ];
                let bytes = csv_line(self.format, record)?;
                self.out.write_all(&bytes)
            }
        }
    }

    /// `      left context [match] right context      2005-03-01  source  path#2`.
    fn text(&mut self, line: &KwicLine) -> io::Result<()> {
        let (open, close) = match self.marking {
            Marking::Bold => ("\x1b[1m", "\x1b[0m"),
            Marking::Brackets => ("[", "]"),
        };
        let (lw, rw) = self.align;
        let pad = |s: &str, w: usize| " ".repeat(w.saturating_sub(s.chars().count()));
        let day = line
            .published
            .map_or("-".to_string(), |d| d.format("%Y-%m-%d").to_string());
        writeln!(
            self.out,
            "{}{}{open}{}{close}{}{}  {day}  {}  {}#{}",
            pad(&line.left, lw),
            line.left,
            line.matched,
            line.right,
            pad(&line.right, rw),
            line.source.as_deref().unwrap_or("-"),
            line.path,
            line.passage
        )
    }

    /// Writes the closing part: for JSON the number of lines and of matching passages;
    /// in text a count line.
    pub fn finish(mut self, passages: usize) -> io::Result<()> {
        match self.format {
            Format::Json => {
                #[derive(Serialize)]
                struct Totals {
                    occurrences: usize,
                    total: usize,
                }
                self.out.write_all(b"\n],")?;
                let totals = serde_json::to_string(&Totals {
                    occurrences: self.written,
                    total: passages,
                })?;
                // The object's keys, without its braces.
                self.out
                    .write_all(&totals.as_bytes()[1..totals.len() - 1])?;
                self.out.write_all(b"}\n")?;
            }
            Format::Text if self.written > 0 => {
                writeln!(
                    self.out,
                    "\n{} occurrences in the passages shown, of {passages} matching passages",
                    self.written
                )?;
            }
            _ => {}
        }
        self.out.flush()
    }
}
