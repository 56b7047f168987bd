//! Measures entity-tagging speed: tokens per second on one core.
//!
//! Usage: `cargo run --release --example bench_ner -- FILE [--repeat N]`. Loads the
//! built-in model (timing the load), then tags FILE paragraph by paragraph (blank-line
//! separated, or each line if it has none) N times (default: enough for ~2 s) and
//! prints tokens/s (wall clock and per CPU-second), where tokens are the tagger's own
//! tokens.

use std::time::Instant;

use anyhow::{Context, bail};
use gazette::ner::{Tagger, count_tokens};

/// This thread's time on a CPU so far (Linux `/proc/thread-self/schedstat`), if known.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let nanos: f64 = stat.split_whitespace().next()?.parse().ok()?;
    Some(nanos / 1e9)
}

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(path) = args.first() else {
        bail!("usage: bench_ner FILE [--repeat N]");
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
