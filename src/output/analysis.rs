//! Printing collocates, key words and expansion candidates: a table in text; one row per
//! word in JSON lines, CSV and TSV; in JSON `{"meta", <the counts compared>, "rows":
//! [...]}`.

use std::io::{self, Write};

use serde::Serialize;

use super::Format;
use super::codebook::write_long;
use crate::analysis::collocates::Collocates;
use crate::analysis::expand::Expansion;
use crate::analysis::keyness::Keyness;
use crate::meta::{Meta, WithMeta};

/// The totals of an analysis beside its rows (JSON).
#[derive(Serialize)]
struct Answer<'a, T: Serialize, R: Serialize> {
    #[serde(flatten)]
    totals: T,
    rows: &'a [R],
}

pub fn write_collocates(
    out: &mut impl Write,
    c: &Collocates,
    format: Format,
    meta: Option<&Meta>,
) -> io::Result<()> {
    match format {
        Format::Json => {
            #[derive(Serialize)]
            struct Totals<'a> {
                measure: &'a crate::analysis::collocates::Measure,
                window: usize,
                passages: usize,
                node: u64,
                tokens: u64,
            }
            let answer = Answer {
                totals: Totals {
                    measure: &c.measure,
                    window: c.window,
                    passages: c.passages,
                    node: c.node,
                    tokens: c.tokens,
                },
                rows: &c.collocates,
            };
            write_json(out, &answer, meta)
        }
        Format::Text => {
            writeln!(
                out,
                "{} occurrences in {} passages, window {} each side, by {}",
                c.node,
                c.passages,
                c.window,
                serde_json::to_value(c.measure)?.as_str().unwrap_or("")
            )?;
            let shown = |r: &crate::analysis::collocates::Collocate| match r.kind {
                Some(kind) => format!("{} [{}]", r.term, kind.tag()),
                None => r.term.clone(),
            };
            let width = c
                .collocates
                .iter()
                .map(|r| shown(r).chars().count())
                .max()
                .unwrap_or(4)
                .max(4);
            writeln!(
                out,
                "{:<width$}  {:>8}  {:>10}  {:>10}  {:>8}",
                "term", "cooc", "frequency", "expected", "score"
            )?;
            for r in &c.collocates {
                writeln!(
                    out,
                    "{:<width$}  {:>8}  {:>10}  {:>10.3}  {:>8.3}",
                    shown(r),
                    r.cooccurrences,
                    r.frequency,
                    r.expected,
                    r.score
                )?;
            }
            out.flush()
        }
        _ => write_long(
            out,
            &c.collocates,
            (format, meta),
            &[
                "term",
                "cooccurrences",
                "frequency",
                "expected",
                "score",
                "type",
            ],
            |r| {
                vec![
                    r.term.clone(),
                    r.cooccurrences.to_string(),
                    r.frequency.to_string(),
                    r.expected.to_string(),
                    r.score.to_string(),
                    r.kind.map_or(String::new(), |k| k.tag().to_string()),
                ]
            },
        ),
    }
}

pub fn write_keyness(
    out: &mut impl Write,
    k: &Keyness,
    format: Format,
    meta: Option<&Meta>,
) -> io::Result<()> {
    match format {
        Format::Json => {
            #[derive(Serialize)]
            struct Totals {
                target_passages: u64,
                reference_passages: u64,
            }
            let answer = Answer {
                totals: Totals {
                    target_passages: k.target_passages,
                    reference_passages: k.reference_passages,
                },
                rows: &k.terms,
            };
            write_json(out, &answer, meta)
        }
        Format::Text => {
            writeln!(
                out,
                "{} target passages against {} reference passages",
                k.target_passages, k.reference_passages
            )?;
            let width = k
                .terms
                .iter()
                .map(|r| r.term.chars().count())
                .max()
                .unwrap_or(4)
                .max(4);
            writeln!(
                out,
                "{:<width$}  {:>8}  {:>10}  {:>10}  {:>9}",
                "term", "target", "reference", "g2", "log_ratio"
            )?;
            for r in &k.terms {
                writeln!(
                    out,
                    "{:<width$}  {:>8}  {:>10}  {:>10.2}  {:>9.3}",
                    r.term, r.target, r.reference, r.g2, r.log_ratio
                )?;
            }
            out.flush()
        }
        _ => write_long(
            out,
            &k.terms,
            (format, meta),
            &["term", "target", "reference", "g2", "log_ratio"],
            |r| {
                vec![
                    r.term.clone(),
                    r.target.to_string(),
                    r.reference.to_string(),
                    r.g2.to_string(),
                    r.log_ratio.to_string(),
                ]
            },
        ),
    }
}

/// An expansion: its candidates with their evidence, then the expanded query (in JSON
/// beside the rows; in JSON lines, CSV and TSV the rows alone, and the caller says the
/// expanded query on stderr).
pub fn write_expansion(
    out: &mut impl Write,
    e: &Expansion,
    format: Format,
    meta: Option<&Meta>,
) -> io::Result<()> {
    match format {
        Format::Json => {
            #[derive(Serialize)]
            struct Totals<'a> {
                query: &'a str,
                passages: u64,
                words: &'a [String],
                expanded: &'a str,
                expanded_adds: u64,
                rule: &'a str,
            }
            let answer = Answer {
                totals: Totals {
                    query: &e.query,
                    passages: e.passages,
                    words: &e.words,
                    expanded: &e.expanded,
                    expanded_adds: e.expanded_adds,
                    rule: &e.rule,
                },
                rows: &e.candidates,
            };
            write_json(out, &answer, meta)
        }
        Format::Text => {
            writeln!(
                out,
                "{:?}: {} passage{}; words expanded: {}",
                e.query,
                e.passages,
                if e.passages == 1 { "" } else { "s" },
                if e.words.is_empty() {
                    "none (only bare words are)".to_string()
                } else {
                    e.words.join(", ")
                }
            )?;
            let w = |f: &dyn Fn(&crate::analysis::expand::Candidate) -> usize, min: usize| {
                e.candidates.iter().map(f).max().unwrap_or(0).max(min)
            };
            let (ww, cw) = (
                w(&|c| c.word.chars().count(), 4),
                w(&|c| c.candidate.chars().count(), 9),
            );
            writeln!(
                out,
                "{:<ww$}  {:<cw$}  {:<8}  {:>6}  {:>9}  {:>6}  {:>6}  {:<4}  example",
                "word", "candidate", "source", "added", "with_rest", "share", "needed", "used"
            )?;
            for c in &e.candidates {
                let example = c.example.as_ref().map_or(String::new(), |x| {
                    format!("{}#{}  {}", x.article_id, x.passage, x.snippet)
                });
                writeln!(
                    out,
                    "{:<ww$}  {:<cw$}  {:<8}  {:>6}  {:>9}  {:>6.3}  {:>6.3}  {:<4}  {}",
                    c.word,
                    c.candidate,
                    c.source.name(),
                    c.added,
                    c.with_rest,
                    c.share,
                    c.needed,
                    if c.used { "yes" } else { "no" },
                    example
                )?;
            }
            writeln!(
                out,
                "expanded query: {}  ({} more passage{})",
                e.expanded,
                e.expanded_adds,
                if e.expanded_adds == 1 { "" } else { "s" }
            )?;
            writeln!(out, "rule: {}", e.rule)?;
            out.flush()
        }
        _ => write_long(
            out,
            &e.candidates,
            (format, meta),
            &[
                "word",
                "candidate",
                "source",
                "added",
                "with_rest",
                "share",
                "needed",
                "used",
                "example_article_id",
                "example_passage",
                "example_snippet",
            ],
            |c| {
                let x = c.example.as_ref();
                vec![
                    c.word.clone(),
                    c.candidate.clone(),
                    c.source.name().to_string(),
                    c.added.to_string(),
                    c.with_rest.to_string(),
                    c.share.to_string(),
                    c.needed.to_string(),
                    c.used.to_string(),
                    x.map_or(String::new(), |x| x.article_id.clone()),
                    x.map_or(String::new(), |x| x.passage.to_string()),
                    x.map_or(String::new(), |x| x.snippet.clone()),
                ]
            },
        ),
    }
}

fn write_json(
    out: &mut impl Write,
    answer: &impl Serialize,
    meta: Option<&Meta>,
) -> io::Result<()> {
    match meta {
        Some(meta) => serde_json::to_writer_pretty(&mut *out, &WithMeta { meta, answer })?,
        None => serde_json::to_writer_pretty(&mut *out, answer)?,
    }
    writeln!(out)?;
    out.flush()
}
