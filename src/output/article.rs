//! `gazette article`: one whole article, passage by passage.
//!
//! Takes the article's passages in order (as [`crate::search::Search::article`] gives
//! them): text (the title, the metadata, then each passage with its number), one JSON
//! document (`article`: the metadata; `passages`: text, offsets, entities and dates), or
//! JSON lines (one passage per line, with the metadata, as hits are).

use std::io::{self, Write};

use serde::Serialize;

use super::{Format, iso};
use crate::meta::{Meta, WithMeta};
use crate::model::{DateMention, EntityMention};
use crate::search::Hit;

/// What the passages of an article share.
#[derive(Serialize)]
struct Header<'a> {
    article_id: &'a str,
    title: &'a str,
    source: Option<&'a str>,
    url: Option<&'a str>,
    path: &'a str,
    published: Option<String>,
    crawled: Option<String>,
    group: &'a str,
    copies: usize,
}

/// One passage of the JSON document.
#[derive(Serialize)]
struct Passage<'a> {
    passage: u64,
    start: u64,
    end: u64,
    text: &'a str,
    entities: &'a [EntityMention],
    dates: &'a [DateMention],
}

#[derive(Serialize)]
struct Document<'a> {
    article: Header<'a>,
    passages: Vec<Passage<'a>>,
}

/// Writes an article (`passages` non-empty, in order); JSON carries `meta` first when
/// one is given. CSV and TSV are not article formats: the caller offers text, JSON and
/// JSON lines.
pub fn write_article(
    out: &mut impl Write,
    passages: &[Hit],
    format: Format,
    meta: Option<&Meta>,
) -> io::Result<()> {
    let Some(first) = passages.first() else {
        return Ok(());
    };
    let header = Header {
        article_id: &first.article_id,
        title: &first.title,
        source: first.source.as_deref(),
        url: first.url.as_deref(),
        path: &first.path,
        published: first.published.map(iso),
        crawled: first.crawled.map(iso),
        group: &first.group,
        copies: first.copies,
    };
    match format {
        Format::Json => {
            let document = Document {
                article: header,
                passages: passages
                    .iter()
                    .map(|p| Passage {
                        passage: p.passage,
                        start: p.start,
                        end: p.end,
                        text: &p.text,
                        entities: &p.entities,
                        dates: &p.dates,
                    })
                    .collect(),
            };
            match meta {
                Some(meta) => serde_json::to_writer(
                    &mut *out,
                    &WithMeta {
                        meta,
                        answer: &document,
                    },
                )?,
                None => serde_json::to_writer(&mut *out, &document)?,
            }
            writeln!(out)
        }
        Format::Jsonl | Format::Csv | Format::Tsv => {
            for p in passages {
                serde_json::to_writer(&mut *out, p)?;
                writeln!(out)?;
            }
            Ok(())
        }
        Format::Text => {
            writeln!(out, "{}", header.title)?;
            let date = header.published.as_deref().unwrap_or("-");
            let source = header.source.unwrap_or("-");
            writeln!(out, "{source} · {date} · {}", header.path)?;
            if let Some(url) = header.url {
                writeln!(out, "{url}")?;
            }
            if header.copies > 1 {
                writeln!(
                    out,
                    "one of {} near-duplicate copies (group {})",
                    header.copies, header.group
                )?;
            }
            for p in passages {
                writeln!(out)?;
                writeln!(out, "[{}] {}", p.passage, p.text)?;
            }
            Ok(())
        }
    }
}
