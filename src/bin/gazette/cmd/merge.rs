//! `gazette merge`: a shard set into one index.

use anyhow::Context;
use gazette::index::GazetteIndex;
use gazette::index::merge::merge_shard_set;

use crate::cli::MergeArgs;
use crate::exit::Code;

pub fn run(args: MergeArgs) -> anyhow::Result<Code> {
    if !gazette::shards::is_shard_set(&args.set) {
        anyhow::bail!(
            "{} is not a shard set (no {})",
            args.set.display(),
            gazette::shards::MANIFEST
        );
    }
    let threads = crate::cli::threads_or_cores(args.threads).max(1);
    let summary = merge_shard_set(&args.set, &args.index, threads, 256_000_000 * threads)
        .with_context(|| {
            format!(
                "merging {} into {}",
                args.set.display(),
                args.index.display()
            )
        })?;
    // The groups of the merged index, cached for the queries to come.
    let gazette = GazetteIndex::open(&args.index)?;
    gazette::search::Search::new(&gazette)?
        .groups()
        .context("grouping near-duplicate articles")?;
    eprintln!(
        "merged {} shards ({} segments) into {}",
        summary.shards,
        summary.segments,
        args.index.display()
    );
    Ok(Code::Success)
}
