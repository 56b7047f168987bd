//! Printing hits and facets in the formats people and scripts read.
//!
//! Takes [`Hit`]s one at a time (so `--all` streams) and writes them as text (for a
//! terminal or a pager), one JSON document, JSON lines, CSV or TSV. The JSON shapes are a
//! documented contract (README, "Output"); change them only with a version note.

use std::io::{self, Write};

use serde::Serialize;

use crate::meta::Meta;
use crate::search::{Facets, Hit, snippet_window};

mod analysis;
mod article;
mod codebook;
mod copies;
mod entities;
mod kwic;
mod network;
mod timeline;
pub use analysis::{write_collocates, write_expansion, write_keyness};
pub use article::write_article;
pub use codebook::{write_cooccurrence, write_counts, write_timelines};
pub use copies::{COPIES_COLUMNS, write_copies};
pub use entities::write_entities;
pub use kwic::{KWIC_COLUMNS, KwicWriter};
pub use network::{NetworkFormat, write_network};
pub use timeline::write_timeline;

/// Output formats of `query`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
    Jsonl,
    Csv,
    Tsv,
}

/// How text output marks matched words.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Marking {
    /// ANSI bold, for a terminal.
    Bold,
    /// `[word]`, for pipes and files.
    Brackets,
}

/// Bytes of a passage shown in text output before it is cut to a window.
const SNIPPET_BYTES: usize = 400;

/// Writes hits as they come, then the closing part (totals, facets).
pub struct HitWriter<W: Write> {
    out: W,
    format: Format,
    marking: Marking,
    rank: usize,
    first_rank: usize,
    /// Hits written so far.
    written: usize,
    /// The label of the hits being written (`gazette batch --hits`), once labelled.
    label: Option<String>,
    /// Written first in the JSON document.
    meta: Option<Meta>,
}

/// The CSV/TSV columns, in order.
pub const CSV_COLUMNS: &[&str] = &[
    "rank",
    "article_id",
    "passage",
    "start",
    "end",
    "score",
    "title",
    "source",
    "url",
    "path",
    "published",
    "text",
    "highlights",
    "entities",
    "dates",
    // Last, so the columns before them keep their places.
    "group",
    "copies",
];

impl<W: Write> HitWriter<W> {
    /// `first_rank` is the rank of the first hit written (1 plus the offset).
    pub fn new(out: W, format: Format, marking: Marking, first_rank: usize) -> HitWriter<W> {
        HitWriter {
            out,
            format,
            marking,
            rank: first_rank,
            first_rank,
            written: 0,
            label: None,
            meta: None,
        }
    }

    /// JSON output starts with this `meta` object.
    pub fn with_meta(mut self, meta: Meta) -> Self {
        self.meta = Some(meta);
        self
    }

    /// Every hit carries a label (a first `label` column or key); call before
    /// [`HitWriter::begin`], then [`HitWriter::set_label`] before each label's hits.
    pub fn labelled(mut self) -> Self {
        self.label = Some(String::new());
        self
    }

    /// The label of the hits that follow; ranks start again at the first rank.
    pub fn set_label(&mut self, label: &str) {
        self.label = Some(label.to_string());
        self.rank = self.first_rank;
    }

    /// Writes whatever comes before the first hit.
    pub fn begin(mut self, with_hits: bool) -> io::Result<Self> {
        match self.format {
            Format::Json => {
                self.out.write_all(b"{")?;
                if let Some(meta) = &self.meta {
                    self.out.write_all(b"\"meta\":")?;
                    serde_json::to_writer(&mut self.out, meta)?;
                    self.out.write_all(b",\n")?;
                }
                self.out.write_all(b"\"hits\":[")?
            }
            Format::Csv | Format::Tsv if with_hits => {
                let labelled = self.label.is_some().then_some("label");
                let header = csv_line(self.format, labelled.iter().chain(CSV_COLUMNS))?;
                self.out.write_all(&header)?;
            }
            _ => {}
        }
        Ok(self)
    }

    pub fn hit(&mut self, hit: &Hit) -> io::Result<()> {
        let rank = self.rank;
        self.rank += 1;
        self.written += 1;
        let label = self.label.as_deref();
        match self.format {
            Format::Text => write_text_hit(&mut self.out, rank, label, hit, self.marking),
            Format::Json => {
                if self.written == 1 {
                    self.out.write_all(b"\n")?;
                } else {
                    self.out.write_all(b",\n")?;
                }
                match label {
                    Some(label) => serde_json::to_writer(&mut self.out, &Labelled { label, hit })?,
                    None => serde_json::to_writer(&mut self.out, hit)?,
                }
                Ok(())
            }
            Format::Jsonl => {
                match label {
                    Some(label) => serde_json::to_writer(&mut self.out, &Labelled { label, hit })?,
                    None => serde_json::to_writer(&mut self.out, hit)?,
                }
                self.out.write_all(b"\n")
            }
            Format::Csv | Format::Tsv => {
                let mut record = csv_record(rank, hit);
                if let Some(label) = label {
                    record.insert(0, label.to_string());
                }
                let line = csv_line(self.format, record)?;
                self.out.write_all(&line)
            }
        }
    }

    /// Writes the closing part: the total for JSON, and the facets when asked for.
    pub fn finish(mut self, total: usize, facets: Option<&Facets>) -> io::Result<()> {
        let written = self.written;
        match self.format {
            Format::Text => {
                if let Some(facets) = facets {
                    write_text_facets(&mut self.out, facets)?;
                }
                if written > 0 {
                    writeln!(self.out, "{written} of {total} matching passages shown")?;
                }
            }
            Format::Json => {
                write!(self.out, "\n],\"total\":{total}")?;
                if let Some(facets) = facets {
                    self.out.write_all(b",\"facets\":")?;
                    serde_json::to_writer(&mut self.out, facets)?;
                }
                self.out.write_all(b"}\n")?;
            }
            Format::Jsonl => {
                if let Some(facets) = facets {
                    for (kind, counts) in facet_lists(facets) {
                        for c in counts {
                            let line = FacetLine {
                                facet: kind,
                                name: &c.name,
                                passages: c.passages,
                                types: &c.types,
                            };
                            serde_json::to_writer(&mut self.out, &line)?;
                            self.out.write_all(b"\n")?;
                        }
                    }
                }
            }
            Format::Csv | Format::Tsv => {
                if let Some(facets) = facets {
                    self.out
                        .write_all(&csv_line(self.format, ["facet", "name", "passages"])?)?;
                    for (kind, counts) in facet_lists(facets) {
                        for c in counts {
                            let record = [kind, &c.name, &c.passages.to_string()];
                            self.out.write_all(&csv_line(self.format, record)?)?;
                        }
                    }
                }
            }
        }
        self.out.flush()
    }
}

/// A hit with its label first (`gazette batch --hits`).
#[derive(Serialize)]
struct Labelled<'a> {
    label: &'a str,
    #[serde(flatten)]
    hit: &'a Hit,
}

/// One facet entry as a JSON line:
/// `{"facet":"org","name":"OPEC","passages":125,"types":{"MISC":6,"ORG":119}}`.
#[derive(Serialize)]
struct FacetLine<'a> {
    facet: &'static str,
    name: &'a str,
    passages: u64,
    types: &'a std::collections::BTreeMap<&'static str, u64>,
}

fn facet_lists(facets: &Facets) -> [(&'static str, &[crate::search::FacetCount]); 4] {
    [
        ("person", &facets.person),
        ("org", &facets.org),
        ("loc", &facets.loc),
        ("misc", &facets.misc),
    ]
}

/// One CSV (or TSV) record, quoted as needed, with its line end.
fn csv_line<I, T>(format: Format, fields: I) -> io::Result<Vec<u8>>
where
    I: IntoIterator<Item = T>,
    T: AsRef<[u8]>,
{
    let mut w = csv::WriterBuilder::new()
        .delimiter(if format == Format::Tsv { b'\t' } else { b',' })
        .from_writer(Vec::new());
    w.write_record(fields)?;
    w.into_inner().map_err(|e| e.into_error())
}

fn csv_record(rank: usize, hit: &Hit) -> Vec<String> {
    let join = |parts: Vec<String>| parts.join(";");
    vec![
        rank.to_string(),
        hit.article_id.clone(),
        hit.passage.to_string(),
        hit.start.to_string(),
        hit.end.to_string(),
        format!("{:.4}", hit.score),
        hit.title.clone(),
        hit.source.clone().unwrap_or_default(),
        hit.url.clone().unwrap_or_default(),
        hit.path.clone(),
        hit.published.map(iso).unwrap_or_default(),
        hit.text.clone(),
        join(
            hit.highlights
                .iter()
                .map(|h| format!("{}-{}", h.start, h.end))
                .collect(),
        ),
        join(
            hit.entities
                .iter()
                .map(|e| format!("{}:{}", e.kind.tag(), e.canonical))
                .collect(),
        ),
        join(hit.dates.iter().map(|d| d.value.clone()).collect()),
        hit.group.clone(),
        hit.copies.to_string(),
    ]
}

fn iso(at: chrono::DateTime<chrono::Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

fn write_text_hit(
    out: &mut impl Write,
    rank: usize,
    label: Option<&str>,
    hit: &Hit,
    marking: Marking,
) -> io::Result<()> {
    let date = hit
        .published
        .map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_else(|| "-".into());
    let source = hit.source.as_deref().unwrap_or("-");
    let title = if hit.title.is_empty() {
        "(untitled)"
    } else {
        &hit.title
    };
    if let Some(label) = label {
        write!(out, "{label} ")?;
    }
    writeln!(out, "{rank}. [{:.2}] {date}  {source}  {title}", hit.score)?;
    if hit.copies > 1 {
        // `gazette copies GROUP` lists them.
        let (copies, group) = (hit.copies, &hit.group);
        writeln!(
            out,
            "   {}#{}  ({copies} copies, group {group})",
            hit.path, hit.passage
        )?;
    } else {
        writeln!(out, "   {}#{}", hit.path, hit.passage)?;
    }
    let (start, end) = snippet_window(&hit.text, &hit.highlights, SNIPPET_BYTES);
    let mut line = String::new();
    if start > 0 {
        line.push_str("… ");
    }
    line.push_str(&mark(&hit.text, start, end, &hit.highlights, marking));
    if end < hit.text.len() {
        line.push_str(" …");
    }
    writeln!(out, "   {line}")?;
    writeln!(out)
}

/// `text[start..end]` with the highlighted spans marked.
fn mark(
    text: &str,
    start: usize,
    end: usize,
    spans: &[crate::search::Span],
    marking: Marking,
) -> String {
    let (open, close) = match marking {
        Marking::Bold => ("\x1b[1m", "\x1b[0m"),
        Marking::Brackets => ("[", "]"),
    };
    let mut s = String::with_capacity(end - start + spans.len() * 8);
    let mut at = start;
    for span in spans.iter().filter(|h| h.start >= start && h.end <= end) {
        s.push_str(&text[at..span.start]);
        s.push_str(open);
        s.push_str(&text[span.start..span.end]);
        s.push_str(close);
        at = span.end;
    }
    s.push_str(&text[at..end]);
    s
}

fn write_text_facets(out: &mut impl Write, facets: &Facets) -> io::Result<()> {
    for (kind, counts) in facet_lists(facets) {
        if counts.is_empty() {
            continue;
        }
        writeln!(out, "{kind}:")?;
        for c in counts {
            write!(out, "  {:>6}  {}", c.passages, c.name)?;
            // The split by type, when the entity was tagged with more than one.
            if c.types.len() > 1 {
                let split: Vec<String> = c.types.iter().map(|(k, n)| format!("{k} {n}")).collect();
                write!(out, "  ({})", split.join(", "))?;
            }
            writeln!(out)?;
        }
    }
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::Span;

    #[test]
    fn brackets_mark_highlights() {
        let text = "Oil prices rose as OPEC cut output";
        let spans = [Span { start: 0, end: 3 }, Span { start: 19, end: 23 }];
        assert_eq!(
            mark(text, 0, text.len(), &spans, Marking::Brackets),
            "[Oil] prices rose as [OPEC] cut output"
        );
    }
}
