//! Measures entity-tagging speed: tokens per second on one core.
//!
//! Usage: `cargo run --release --example bench_ner -- --cold PATH...` tags every `.txt`
//! file under the PATHs (files or directories, in path order) once, each as one text: a
//! cold run over text this process has not seen, the per-thread word cache starting
//! empty and filling as it goes, as in an ingest. This is the figure to quote.
//! `bench_ner FILE [--repeat N]` is the warm figure: it tags FILE paragraph by paragraph
//! (blank-line separated, or each line if it has none) N times (default: enough for
//! ~2 s), so after the first pass every word is a cache hit. Both load the built-in model
//! first (timing the load) and print tokens/s (wall clock and per CPU-second), where
//! tokens are the tagger's own tokens.

use std::time::Instant;

use anyhow::{Context, bail};
use gazette::ner::{Tagger, count_tokens};

/// This thread's time on a CPU so far (Linux `/proc/thread-self/schedstat`), if known.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let nanos: f64 = stat.split_whitespace().next()?.parse().ok()?;
    Some(nanos / 1e9)
}

/// The `.txt` files under `path` (or `path` itself), in path order.
fn text_files(path: &std::path::Path, out: &mut Vec<std::path::PathBuf>) -> anyhow::Result<()> {
    if path.is_dir() {
        let mut entries: Vec<_> = std::fs::read_dir(path)
            .with_context(|| format!("listing {}", path.display()))?
            .map(|e| e.map(|e| e.path()))
            .collect::<Result<_, _>>()?;
        entries.sort();
        for entry in entries {
            if entry.is_dir() || entry.extension().is_some_and(|e| e == "txt") {
                text_files(&entry, out)?;
            }
        }
    } else {
        out.push(path.to_path_buf());
    }
    Ok(())
}

/// Tags each file once; prints the cold figures.
fn cold(paths: &[String]) -> anyhow::Result<()> {
    let mut files = Vec::new();
    for p in paths {
        text_files(std::path::Path::new(p), &mut files)?;
    }
    let mut texts = Vec::with_capacity(files.len());
    for f in &files {
        let bytes = std::fs::read(f).with_context(|| format!("reading {}", f.display()))?;
        texts.push(String::from_utf8_lossy(&bytes).into_owned());
    }
    let started = Instant::now();
    let tagger = Tagger::builtin();
    println!(
        "model load: {:.1} ms",
        started.elapsed().as_secs_f64() * 1e3
    );
    let tokens: usize = texts.iter().map(|t| count_tokens(t)).sum();
    let (started, cpu_started) = (Instant::now(), cpu_seconds());
    let entities: usize = texts.iter().map(|t| tagger.tag(t).len()).sum();
    let secs = started.elapsed().as_secs_f64();
    println!(
        "cold: {tokens} tokens ({} texts, each tagged once) in {secs:.3} s: {:.0} tokens/s, {entities} entities",
        texts.len(),
        tokens as f64 / secs
    );
    if let (Some(a), Some(b)) = (cpu_started, cpu_seconds()) {
        println!(
            "on-CPU time {:.3} s: {:.0} tokens per CPU-second",
            b - a,
            tokens as f64 / (b - a)
        );
    }
    Ok(())
}

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--cold") {
        if args.len() < 2 {
            bail!("usage: bench_ner --cold PATH...");
        }
        return cold(&args[1..]);
    }
    let Some(path) = args.first() else {
        bail!("usage: bench_ner --cold PATH... | bench_ner FILE [--repeat N]");
    };
    let repeat: Option<usize> = match args.get(1).map(String::as_str) {
        Some("--repeat") => Some(args.get(2).context("--repeat needs N")?.parse()?),
        Some(other) => bail!("unknown argument {other}"),
        None => None,
    };
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {path}"))?;
    let paragraphs: Vec<&str> = if text.contains("\n\n") {
        text.split("\n\n")
            .filter(|p| !p.trim().is_empty())
            .collect()
    } else {
        text.lines().filter(|p| !p.trim().is_empty()).collect()
    };
    let started = Instant::now();
    let tagger = Tagger::builtin();
    println!(
        "model load: {:.1} ms",
        started.elapsed().as_secs_f64() * 1e3
    );
    let tokens: usize = paragraphs.iter().map(|p| count_tokens(p)).sum();
    let repeat = repeat.unwrap_or_else(|| (2_000_000 / tokens.max(1)).max(1));
    let (started, cpu_started) = (Instant::now(), cpu_seconds());
    let mut entities = 0;
    for _ in 0..repeat {
        for p in &paragraphs {
            entities += tagger.tag(p).len();
        }
    }
    let secs = started.elapsed().as_secs_f64();
    let total = tokens * repeat;
    println!(
        "{total} tokens ({} paragraphs x {repeat}) in {secs:.3} s: {:.0} tokens/s, {} entities",
        paragraphs.len(),
        total as f64 / secs,
        entities / repeat
    );
    // On a shared machine wall time includes waiting for a core; CPU time doesn't.
    if let (Some(a), Some(b)) = (cpu_started, cpu_seconds()) {
        println!(
            "on-CPU time {:.3} s: {:.0} tokens per CPU-second",
            b - a,
            total as f64 / (b - a)
        );
    }
    Ok(())
}
