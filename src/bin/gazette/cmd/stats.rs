//! `gazette stats`: what the index holds.

use std::io::Write;

use anyhow::Context;
use gazette::index::GazetteIndex;
use gazette::stats::index_stats;

use crate::cli::{StatsArgs, StatsFormatArg};
use crate::exit::Code;

pub fn run(args: &StatsArgs, out: &mut dyn Write) -> anyhow::Result<Code> {
    let gazette = GazetteIndex::open(&args.index.index)?;
    let stats = index_stats(&gazette).context("reading index statistics")?;
    // Written, not printed: a closed pipe (`gazette stats | head -2`) is an error main
    // ends quietly on, where `println!` would panic.
    match args.format {
        StatsFormatArg::Json => writeln!(out, "{}", serde_json::to_string_pretty(&stats)?)?,
        StatsFormatArg::Text => {
            let range = match (&stats.first_published, &stats.last_published) {
                (Some(a), Some(b)) => format!("{a} .. {b}"),
                _ => "none known".into(),
            };
            let origins: Vec<String> = stats
                .date_origins
                .iter()
                .map(|(k, v)| format!("{v} {k}"))
                .collect();
            writeln!(out, "index:      {}", args.index.index.display())?;
            writeln!(out, "articles:   {}", stats.articles)?;
            writeln!(out, "passages:   {}", stats.passages)?;
            writeln!(out, "sources:    {}", stats.sources)?;
            writeln!(out, "published:  {range}")?;
            writeln!(
                out,
                "dates from: {}",
                if origins.is_empty() {
                    "-".into()
                } else {
                    origins.join(", ")
                }
            )?;
            writeln!(out, "files:      {}", stats.files)?;
            writeln!(
                out,
                "copies:     {} groups of near-duplicates, {} articles in them",
                stats.groups, stats.articles_in_groups
            )?;
            writeln!(out, "segments:   {}", stats.segments)?;
            writeln!(out, "size:       {:.1} MB", stats.index_bytes as f64 / 1e6)?;
            if !stats.complete {
                writeln!(
                    out,
                    "note:       an ingest is running, or the last one did not finish; run it \
                     again to complete it"
                )?;
            }
        }
    }
    Ok(Code::Success)
}
