//! `gazette stats`: what the index holds.

use anyhow::Context;
use gazette::index::GazetteIndex;
use gazette::stats::index_stats;

use crate::cli::{StatsArgs, StatsFormatArg};
use crate::exit::Code;

pub fn run(args: StatsArgs) -> anyhow::Result<Code> {
    let gazette = GazetteIndex::open(&args.index.index)?;
    let stats = index_stats(&gazette).context("reading index statistics")?;
    match args.format {
        StatsFormatArg::Json => println!("{}", serde_json::to_string_pretty(&stats)?),
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
            println!("index:      {}", args.index.index.display());
            println!("articles:   {}", stats.articles);
            println!("passages:   {}", stats.passages);
            println!("sources:    {}", stats.sources);
            println!("published:  {range}");
            println!(
                "dates from: {}",
                if origins.is_empty() {
                    "-".into()
                } else {
                    origins.join(", ")
                }
            );
            println!("files:      {}", stats.files);
            println!(
                "copies:     {} groups of near-duplicates, {} articles in them",
                stats.groups, stats.articles_in_groups
            );
            println!("segments:   {}", stats.segments);
            println!("size:       {:.1} MB", stats.index_bytes as f64 / 1e6);
            if !stats.complete {
                println!(
                    "note:       an ingest is running, or the last one did not finish; run it \
                     again to complete it"
                );
            }
        }
    }
    Ok(Code::Success)
}
