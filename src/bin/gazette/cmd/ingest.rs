//! `gazette ingest`: arguments to an [`IngestConfig`], progress bar and summary on stderr.

use std::io::{IsTerminal, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use anyhow::Context;
use gazette::ingest::{self, IngestConfig, IngestEvents, IngestSummary};
use indicatif::{ProgressBar, ProgressStyle};

use crate::cli::IngestArgs;
use crate::exit::Code;

pub fn run(mut args: IngestArgs) -> anyhow::Result<Code> {
    let stop = Arc::new(AtomicBool::new(false));
    {
        let stop = stop.clone();
        // A second Ctrl-C while the first is being handled kills the process the hard way;
        // the last commit still stands.
        ctrlc::set_handler(move || {
            if stop.swap(true, Ordering::SeqCst) {
                std::process::exit(Code::Interrupted as i32);
            }
        })
        .context("installing the Ctrl-C handler")?;
    }
    let by = args.partition_by.unwrap_or_default();
    if args.partition_by.is_some() && args.shard.is_none() && args.shards.is_none() {
        anyhow::bail!("--partition-by partitions a shard set: give --shard K/N or --shards N");
    }
    // `--shard "3/16 by month"` (as a shard prints itself) partitions by month too.
    if let (Some(shard), Some(by)) = (&mut args.shard, args.partition_by) {
        shard.by = by;
    }
    match args.shards {
        Some(count) => run_shard_set(args, count, by, stop),
        None => run_one(args, stop),
    }
}

/// One index (or one shard) from `args`.
fn run_one(args: IngestArgs, stop: Arc<AtomicBool>) -> anyhow::Result<Code> {
    if gazette::shards::is_shard_set(&args.index.index) {
        anyhow::bail!(
            "{} is a shard set: ingest into it with --shards N (the whole set) or into one \
             shard's folder with --shard K/N",
            args.index.index.display()
        );
    }
    let threads = crate::cli::threads_or_cores(args.threads).max(1);
    for path in args.paths.iter().filter(|_| args.staged.is_none()) {
        if !path.exists() {
            anyhow::bail!("{}: no such file or folder", path.display());
        }
    }
    let config = IngestConfig {
        roots: args.paths.clone(),
        index: args.index.index.clone(),
        rebuild: args.rebuild,
        follow_symlinks: args.follow,
        prune: args.prune,
        threads,
        // tantivy takes at most 4 GB per indexing thread; more is of no use.
        memory_bytes: args.memory.clamp(16, 4000 * threads.min(8)) * 1_000_000,
        commit_every: Duration::try_from_secs_f64(args.commit_every)
            .map_err(|_| anyhow::anyhow!("--commit-every must be a number of seconds"))?,
        shard: args.shard,
        staged: args.staged.clone(),
    };
    let mut events = Reporter::new(args.quiet);
    let summary = ingest::run(&config, &mut events, stop)
        .with_context(|| format!("ingesting into {}", config.index.display()))?;
    events.bar.finish_and_clear();
    if let Some(path) = &args.errors {
        write_errors(path, &summary).with_context(|| format!("writing {}", path.display()))?;
    }
    if !args.quiet {
        print_summary(&summary, &config);
    }
    Ok(if summary.interrupted {
        Code::Interrupted
    } else if summary.complete() {
        Code::Success
    } else {
        Code::Partial
    })
}

/// `ingest --shards N`: each shard in turn into its folder of the set, then the manifest
/// (written last, so a set whose build stopped short opens as no set at all).
fn run_shard_set(
    args: IngestArgs,
    count: u32,
    by: gazette::shards::By,
    stop: Arc<AtomicBool>,
) -> anyhow::Result<Code> {
    use gazette::shards::{Manifest, ManifestShard, Shard};
    let set = args.index.index.clone();
    if set.join("meta.json").exists() {
        anyhow::bail!(
            "{} is an index, not a shard set: give --shards a new or shard set folder",
            set.display()
        );
    }
    if args.rebuild && gazette::shards::is_shard_set(&set) {
        // The old manifest goes first: a set half rebuilt must not open as the old one.
        std::fs::remove_file(set.join(gazette::shards::MANIFEST))?;
    }
    std::fs::create_dir_all(&set).with_context(|| format!("creating {}", set.display()))?;
    let mut worst = Code::Success;
    let mut shards = Vec::new();
    for index in 0..count {
        let shard = Shard { index, count, by };
        let path = format!("shard-{index:04}-of-{count:04}");
        let sub = IngestArgs {
            paths: args.paths.clone(),
            index: crate::cli::IndexArg {
                index: set.join(&path),
            },
            rebuild: args.rebuild,
            prune: args.prune,
            follow: args.follow,
            threads: args.threads,
            memory: args.memory,
            commit_every: args.commit_every,
            // Each shard's problems in a file of its own: FILE.shard-K-of-N.
            errors: args.errors.as_ref().map(|file| {
                let mut name = file.as_os_str().to_owned();
                name.push(format!(".shard-{index}-of-{count}"));
                std::path::PathBuf::from(name)
            }),
            quiet: args.quiet,
            shard: Some(shard),
            staged: None,
            shards: None,
            partition_by: Some(by),
        };
        if !args.quiet {
            eprintln!("shard {shard}: {}", set.join(&path).display());
        }
        let code = run_one(sub, stop.clone())?;
        if code == Code::Interrupted {
            return Ok(code);
        }
        if code != Code::Success {
            worst = code;
        }
        let stats =
            gazette::stats::index_stats(&gazette::index::GazetteIndex::open(&set.join(&path))?)?;
        shards.push(ManifestShard {
            path,
            shard,
            articles: stats.articles,
            passages: stats.passages,
        });
    }
    let manifest = Manifest {
        gazette_version: env!("CARGO_PKG_VERSION").to_string(),
        shards,
        arguments: std::env::args().skip(1).collect(),
    };
    manifest
        .write(&set)
        .with_context(|| format!("writing the manifest of {}", set.display()))?;
    // The set's near-duplicate groups, over every shard, cached for the queries to come.
    let gazette = gazette::index::GazetteIndex::open(&set)?;
    gazette::search::Search::new(&gazette)?
        .groups()
        .context("grouping near-duplicate articles")?;
    if !args.quiet {
        let (articles, passages) = manifest
            .shards
            .iter()
            .fold((0, 0), |(a, p), s| (a + s.articles, p + s.passages));
        eprintln!(
            "shard set {}: {count} shards, {articles} articles, {passages} passages",
            set.display()
        );
    }
    Ok(worst)
}

/// Progress bar (terminal only), warnings and errors, on stderr.
struct Reporter {
    bar: ProgressBar,
    quiet: bool,
}

impl Reporter {
    fn new(quiet: bool) -> Reporter {
        let bar = if quiet || !std::io::stderr().is_terminal() {
            ProgressBar::hidden()
        } else {
            let bar = ProgressBar::new(0);
            bar.set_style(
                ProgressStyle::with_template(
                    "{spinner} [{elapsed_precise}] {bar:30} {bytes}/{total_bytes} {binary_bytes_per_sec} ETA {eta} {msg}",
                )
                .expect("valid template"),
            );
            bar.enable_steady_tick(Duration::from_millis(200));
            bar
        };
        Reporter { bar, quiet }
    }
}

impl IngestEvents for Reporter {
    fn start(&mut self, files: u64, bytes: u64) {
        self.bar.set_length(bytes);
        self.bar.set_message(format!("{files} files"));
    }

    fn file_done(&mut self, bytes: u64) {
        self.bar.inc(bytes);
    }

    fn warn(&mut self, message: &str) {
        if !self.quiet {
            self.bar.suspend(|| eprintln!("gazette: {message}"));
        }
    }

    /// Errors are printed even with `--quiet`, as grep and ripgrep do: a script must be
    /// able to say which file did not go in.
    fn error(&mut self, message: &str) {
        self.bar.suspend(|| eprintln!("gazette: {message}"));
    }

    fn committed(&mut self, complete: bool) {
        if !complete {
            self.bar.set_message("committed");
        }
    }
}

fn write_errors(path: &std::path::Path, summary: &IngestSummary) -> std::io::Result<()> {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
    let lists = [
        ("error", &summary.failed),
        ("error", &summary.lost),
        ("warning", &summary.warnings),
    ];
    for (kind, list) in lists {
        for p in list {
            let mut v = serde_json::to_value(p).expect("problem serializes");
            v["kind"] = kind.into();
            serde_json::to_writer(&mut out, &v)?;
            out.write_all(b"\n")?;
        }
    }
    out.flush()
}

fn print_summary(s: &IngestSummary, config: &IngestConfig) {
    let secs = s.elapsed.as_secs_f64().max(1e-9);
    let mb = s.body_bytes as f64 / 1e6;
    let mut lines = vec![format!(
        "{} {} articles ({} passages) from {} files in {:.1}s ({:.1} MB/s, {:.0} articles/s) into {}",
        if s.interrupted {
            "interrupted after indexing"
        } else {
            "indexed"
        },
        s.articles,
        s.passages,
        s.files_read,
        secs,
        mb / secs,
        s.articles as f64 / secs,
        config.index.display(),
    )];
    if s.headline_only > 0 {
        lines.push(format!(
            "headline only: {} articles (a title and no body; each indexed as one passage, \
             its title)",
            s.headline_only
        ));
    }
    if s.unchanged > 0 {
        lines.push(format!(
            "unchanged: {} files ({} articles) already indexed",
            s.unchanged, s.articles_unchanged
        ));
    }
    if s.pruned > 0 {
        lines.push(format!(
            "pruned: {} files no longer in the corpus",
            s.pruned
        ));
    }
    if s.articles > 0 {
        let origins: Vec<String> = s
            .date_origins
            .iter()
            .map(|(o, n)| format!("{n} {}", o.map_or("unknown", |o| o.as_str())))
            .collect();
        lines.push(format!("publication dates: {}", origins.join(", ")));
    }
    for (reason, n) in &s.skipped {
        lines.push(format!("skipped: {n} files ({reason})"));
    }
    for (reason, n) in &s.records_passed {
        if *reason == ingest::IN_OTHER_SHARDS {
            lines.push(format!("left to other shards: {n} articles"));
        } else {
            lines.push(format!("skipped: {n} web archive records ({reason})"));
        }
    }
    if !s.failed.is_empty() {
        lines.push(format!(
            "not indexed: {} files (listed above)",
            s.failed.len()
        ));
    }
    if s.records_lost > 0 {
        lines.push(format!(
            "not indexed: {} records inside files (broken lines or entries, listed above)",
            s.records_lost
        ));
    }
    if s.duplicate_ids > 0 {
        lines.push(format!(
            "same id: {} articles shared their id with another (the index keeps one article \
             per id, the last in file and walk order; listed above)",
            s.duplicate_ids
        ));
    }
    if !s.warnings.is_empty() {
        lines.push(format!("warnings: {}", s.warnings.len()));
    }
    if s.interrupted {
        lines.push("stopped by Ctrl-C: the work done so far is committed; run the same ingest again to complete it".into());
    }
    for line in lines {
        eprintln!("{line}");
    }
}
