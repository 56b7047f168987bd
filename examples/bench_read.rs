//! Measures reading alone: corpus files to articles, without tagging or indexing.
//!
//! Usage: `cargo run --release --example bench_read -- [--repeat N] PATH...` reads every
//! file gazette reads under the PATHs (files or folders, in path order) N times (default
//! 5) on one thread, through the same `read_file` as an ingest (decompression, decoding,
//! format parsing, HTML extraction), and prints one JSON line: files, articles per pass,
//! and the best pass's time in all and per article. `scripts/bench-warc.py` runs it on
//! the same pages as `.html` files and as one `.warc.gz`.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, bail};
use gazette::read::{detect_format, read_file};

/// The readable files under `path` (or `path` itself), in path order.
fn corpus_files(path: &Path, out: &mut Vec<PathBuf>) -> anyhow::Result<()> {
    if path.is_dir() {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
            .with_context(|| format!("listing {}", path.display()))?
            .map(|e| e.map(|e| e.path()))
            .collect::<Result<_, _>>()?;
        entries.sort();
        for entry in entries {
            corpus_files(&entry, out)?;
        }
    } else if detect_format(path).is_some() {
        out.push(path.to_path_buf());
    }
    Ok(())
}

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let mut repeat = 5;
    let mut files = Vec::new();
    while let Some(arg) = args.next() {
        if arg == "--repeat" {
            repeat = args.next().context("--repeat N")?.parse()?;
        } else {
            corpus_files(Path::new(&arg), &mut files)?;
        }
    }
    if files.is_empty() {
        bail!("usage: bench_read [--repeat N] PATH...");
    }
    let mut best = f64::INFINITY;
    let mut articles = 0;
    for _ in 0..repeat.max(1) {
        let started = Instant::now();
        articles = 0;
        for file in &files {
            let format = detect_format(file).expect("listed because readable");
            let rel = file.to_string_lossy();
            // A file that fails (a page without article text) still costs its reading.
            let _ = read_file(file, &rel, format, &mut |_| articles += 1);
        }
        best = best.min(started.elapsed().as_secs_f64());
    }
    println!(
        "{{\"files\": {}, \"articles\": {articles}, \"seconds\": {best:.6}, \"ms_per_article\": {:.4}}}",
        files.len(),
        best * 1e3 / articles.max(1) as f64
    );
    Ok(())
}
