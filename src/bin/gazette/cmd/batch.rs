//! `gazette batch`: a codebook file and the shared filters to the library's codebook
//! analyses (`gazette::codebook`), answers to the command's output in the chosen format.

use std::collections::BTreeMap;
use std::io::Write;

use anyhow::Context;
use gazette::codebook::{self, Answer, Codebook, CodebookError, Merged};
use gazette::index::GazetteIndex;
use gazette::meta::Meta;
use gazette::output::{self, HitWriter};
use gazette::plot;
use gazette::search::{Prepared, QueryConfig, Search};
use serde_json::{Value, json};

use super::query::{
    by_of, filters, format, marking, sort_name, sort_of, timeline_options, unit_of, write_meta_file,
};
use crate::cli::BatchArgs;
use crate::exit::Code;

/// Runs the codebook file of `args`, or `codebook` (its text) when given: the server's
/// request body.
pub fn run(args: &BatchArgs, codebook: Option<&str>, out: &mut dyn Write) -> anyhow::Result<Code> {
    let text = match codebook {
        Some(text) => text.to_string(),
        None => std::fs::read_to_string(&args.codebook)
            .with_context(|| format!("reading the codebook {}", args.codebook.display()))?,
    };
    let (book, mut errors) = Codebook::parse(&text);
    let shared = QueryConfig {
        any: args.any,
        all: true,
        sort: sort_of(args.sort),
        ..filters(&args.filters)?
    };
    let gazette = GazetteIndex::open(&args.index.index)?;
    let search = match args.partial {
        Some(k) => Search::new(&gazette)?.only_segments(gazette.shard_segments(k)?),
        None => Search::new(&gazette)?,
    };
    // Queries are checked even when other lines are malformed: every error at once.
    let prepared = match codebook::prepare(&search, &book, &shared) {
        Err(CodebookError::Lines(lines)) => {
            errors.extend(lines);
            Vec::new()
        }
        other => other?,
    };
    if !errors.is_empty() {
        errors.sort_by_key(|e| e.line);
        return Err(malformed(args, errors));
    }
    let labelled: Vec<(Option<&str>, &Prepared)> = book
        .entries
        .iter()
        .zip(&prepared)
        .map(|(entry, p)| (Some(entry.label.as_str()), p))
        .collect();
    let meta = Meta::new("batch", &search, &shared, &labelled, options(args))?;
    write_meta_file(args.meta.meta.as_deref(), &meta)?;
    let threads = crate::cli::threads_or_cores(args.threads);
    let format = format(args.format);
    let mut out = out;
    let any = if args.hits {
        let mut writer = HitWriter::new(&mut out, format, marking(args.color), 1)
            .labelled()
            .with_meta(meta)
            .begin(true)?;
        let mut total = 0;
        for (entry, p) in book.entries.iter().zip(&prepared) {
            writer.set_label(&entry.label);
            total += search.run(p, threads, &mut |hit| writer.hit(&hit))?.total;
        }
        writer.finish(total, None).context("writing results")?;
        total > 0
    } else {
        let answer = match (args.cooccurrence, args.timeline.timeline) {
            (true, _) => Answer::Cooccurrence,
            (false, Some(unit)) => Answer::Timelines(
                unit_of(unit),
                by_of(args.timeline.by),
                args.timeline.normalize,
            ),
            (false, None) => Answer::Counts,
        };
        let merged = if args.partial.is_some() {
            let part = codebook::partial(&search, &book, &prepared, answer, threads)?;
            serde_json::to_writer(&mut out, &part).context("writing results")?;
            writeln!(out).context("writing results")?;
            out.flush()?;
            return Ok(Code::Success);
        } else if !args.merge.is_empty() {
            let mut parts = Vec::with_capacity(args.merge.len());
            for path in &args.merge {
                let text = std::fs::read_to_string(path)
                    .with_context(|| format!("reading {}", path.display()))?;
                let part: codebook::Partial = serde_json::from_str(&text)
                    .with_context(|| format!("{}: not a part of a batch answer", path.display()))?;
                parts.push(part);
            }
            codebook::merge(&book, &prepared, answer, parts)
                .context("adding up the shards' parts")?
        } else {
            codebook::answer(&search, &book, &prepared, answer, threads)?
        };
        write_answer(args, &book, &meta, merged, format, &mut out)?
    };
    out.flush()?;
    Ok(if any { Code::Success } else { Code::Partial })
}

/// Writes a codebook's answer (counted here or added up from shards' parts); whether
/// any label matched anything.
fn write_answer(
    args: &BatchArgs,
    book: &Codebook,
    meta: &Meta,
    answer: Merged,
    format: output::Format,
    mut out: &mut dyn Write,
) -> anyhow::Result<bool> {
    Ok(match answer {
        Merged::Timelines(timelines) => {
            output::write_timelines(&mut out, &timelines, format, Some(meta))?;
            if let Some(path) = &args.timeline.plot {
                let what = if args.timeline.normalize {
                    "share of passages"
                } else {
                    "passages"
                };
                let title = format!("{what} matching each label of {}", args.codebook.display());
                plot::plot_timelines(&timelines, &title, path)
                    .with_context(|| format!("writing {}", path.display()))?;
            }
            timelines.iter().any(|t| {
                let tl = &t.timeline;
                let outside = [&tl.earlier, &tl.later].into_iter().flatten();
                tl.undated > 0
                    || tl.buckets.iter().any(|b| b.passages > 0)
                    || outside.into_iter().any(|o| o.passages > 0)
            })
        }
        Merged::Cooccurrence(pairs) => {
            let labels: Vec<&str> = book.labels().collect();
            output::write_cooccurrence(&mut out, &pairs, &labels, format, Some(meta))?;
            pairs.iter().any(|p| p.passages > 0)
        }
        Merged::Counts(counts) => {
            output::write_counts(&mut out, &counts, format, Some(meta))?;
            counts.iter().any(|c| c.passages > 0)
        }
    })
}

/// The options of `batch` that shape its answer, for `meta`.
fn options(args: &BatchArgs) -> BTreeMap<&'static str, Value> {
    let mut o = BTreeMap::new();
    o.insert("codebook", json!(args.codebook.display().to_string()));
    o.insert("hits", json!(args.hits));
    if args.hits {
        o.insert("sort", json!(sort_name(args.sort)));
    }
    o.insert("cooccurrence", json!(args.cooccurrence));
    timeline_options(&mut o, &args.timeline);
    o
}

/// The error for malformed codebook lines, naming the file.
fn malformed(args: &BatchArgs, lines: Vec<codebook::LineError>) -> anyhow::Error {
    anyhow::Error::new(CodebookError::Lines(lines)).context(format!(
        "{} is not a usable codebook",
        args.codebook.display()
    ))
}
