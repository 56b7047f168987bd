//! `gazette extract`: the articles gazette reads from files, as JSON lines, without
//! indexing or tagging them. Shows what ingest would index (a web page's main text, the
//! metadata it found) and is how scripts/eval-html.py measures the HTML reader.

use std::io::{BufRead, BufWriter, Write};

use anyhow::Context;
use gazette::corpus::{self, CorpusEntry};
use gazette::ingest::staged::{self, ToRead};
use gazette::model::Article;
use gazette::read;
use serde::Serialize;

use crate::cli::ExtractArgs;
use crate::exit::Code;

/// One output line: an article as read, before segmentation and tagging.
#[derive(Serialize)]
struct Extracted<'a> {
    id: &'a str,
    path: &'a str,
    title: &'a str,
    /// The publication date as the source writes it (not yet parsed).
    published: Option<&'a str>,
    /// When a crawler fetched the page (web archives only), RFC 3339.
    crawled: Option<String>,
    source: Option<&'a str>,
    url: Option<&'a str>,
    author: Option<&'a str>,
    language: Option<&'a str>,
    body: &'a str,
}

impl<'a> From<&'a Article> for Extracted<'a> {
    fn from(article: &'a Article) -> Extracted<'a> {
        Extracted {
            id: &article.id,
            path: &article.path,
            title: &article.title,
            published: article.published_raw.as_deref(),
            crawled: article.crawled.map(|at| at.to_rfc3339()),
            source: article.source.as_deref(),
            url: article.url.as_deref(),
            author: article.author.as_deref(),
            language: article.language.as_deref(),
            body: &article.body,
        }
    }
}

pub fn run(args: ExtractArgs) -> anyhow::Result<Code> {
    if let Some(shards) = args.staged {
        return staged(shards, args.partition_by.unwrap_or_default());
    }
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut failed = false;
    for entry in corpus::walk(&args.paths, args.follow) {
        let (path, rel, format) = match entry {
            CorpusEntry::Article { path, rel, format } => (path, rel, format),
            CorpusEntry::Skipped { .. } => continue,
            CorpusEntry::Error { path, message } => {
                eprintln!("gazette: {}: {message}", path.display());
                failed = true;
                continue;
            }
        };
        let mut write_error = None;
        let result = read::read_file(&path, &rel, format, &mut |article| {
            if write_error.is_none() {
                let line = serde_json::to_string(&Extracted::from(&article))
                    .expect("plain strings serialize");
                write_error = writeln!(out, "{line}").err();
            }
        });
        if let Some(err) = write_error {
            return Err(err).context("writing standard output");
        }
        match result {
            Ok(report) => {
                for warning in &report.warnings {
                    eprintln!("gazette: {}: {warning}", path.display());
                }
            }
            Err(err) => {
                eprintln!("gazette: {}: {err}", path.display());
                failed = true;
            }
        }
    }
    out.flush().context("writing standard output")?;
    Ok(if failed { Code::Partial } else { Code::Success })
}

/// `extract --staged N`: the read stage of a staged ingest, files listed on stdin.
fn staged(shards: u32, by: gazette::shards::By) -> anyhow::Result<Code> {
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut failed = false;
    for (n, line) in std::io::stdin().lock().lines().enumerate() {
        let line = line.context("reading standard input")?;
        if line.trim().is_empty() {
            continue;
        }
        let file: ToRead = serde_json::from_str(&line)
            .with_context(|| format!("standard input, line {}: not a file to read", n + 1))?;
        let staged = staged::read_listed(&file, shards, by);
        if staged.status == staged::Status::Failed {
            failed = true;
        }
        serde_json::to_writer(&mut out, &staged).context("writing standard output")?;
        writeln!(out).context("writing standard output")?;
    }
    out.flush().context("writing standard output")?;
    Ok(if failed { Code::Partial } else { Code::Success })
}
