//! The ingest pipeline: corpus files in, committed passages out.
//!
//! Stages, joined by bounded channels so memory stays flat however large the corpus:
//! 1. walk the roots and decide which files need reading (unchanged ones are skipped by
//!    size and mtime against the file records already in the index);
//! 2. worker threads read, hash, parse, segment and tag files (see [`worker`]), sending
//!    articles in small batches;
//! 3. this thread writes them through [`IndexSink`], committing periodically so an
//!    interrupted ingest keeps its progress and a re-run completes it. A commit falls only
//!    between whole files: when one is due while a file is partly written, workers start
//!    no new file until the files being written are done, and the commit waits for them
//!    (for one huge JSON-lines file, until its end). So every article committed comes
//!    with its file's record, which `--prune` needs to remove it. A file only part of
//!    which goes in (Ctrl-C, an error midway) gets a partial record: it holds the file's
//!    articles, and never matches the file, so the next ingest reads it again.

pub mod staged;
mod summary;
mod worker;

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use summary::IdAction;
pub use summary::{FileProblem, IngestSummary};

use crate::corpus::{self, CorpusEntry};
use crate::index::IndexError;
use crate::index::writer::{Committed, FileRecord, Held, IndexSink};
use crate::process::ProcessedArticle;
use crate::search;
pub use worker::IN_OTHER_SHARDS;
use worker::{FileJob, Input, WorkerMsg};

/// Everything `ingest` needs, validated by the CLI.
#[derive(Clone, Debug)]
pub struct IngestConfig {
    /// Files or folders to ingest.
    pub roots: Vec<PathBuf>,
    /// Index folder.
    pub index: PathBuf,
    /// Wipe the index first.
    pub rebuild: bool,
    pub follow_symlinks: bool,
    /// Remove from the index the files under `roots` that no longer exist.
    pub prune: bool,
    /// Worker threads for reading and tagging.
    pub threads: usize,
    /// Indexing memory budget in bytes.
    pub memory_bytes: usize,
    /// Commit at least this often, so an interrupted ingest keeps its work.
    pub commit_every: Duration,
    /// Index only the articles of this shard of a shard set (see [`crate::shards`]).
    pub shard: Option<crate::shards::Shard>,
    /// Index the files of a staged folder, read elsewhere ([`staged`]), instead of
    /// walking `roots`.
    pub staged: Option<PathBuf>,
}

/// Receives what happens during an ingest (the CLI draws a progress bar and prints).
pub trait IngestEvents: Send {
    /// Total bytes to read, once known.
    fn start(&mut self, files: u64, bytes: u64);
    /// A file was finished (read, skipped or failed).
    fn file_done(&mut self, bytes: u64);
    /// A message for the user: a warning about a file, a note about the index.
    fn warn(&mut self, message: &str);
    /// An error naming a file, or a record in one, that did not go in; shown even when
    /// warnings are not.
    fn error(&mut self, message: &str) {
        self.warn(message);
    }
    /// A commit was made (`complete` is false for periodic ones).
    fn committed(&mut self, complete: bool);
}

/// An article's partitioning key: its id, or its publication month (`YYYY-MM`, in UTC as
/// the index stores the date; empty when undated), as resolved when it is processed.
pub fn shard_key(article: &crate::model::Article, by: crate::shards::By) -> Cow<'_, str> {
    match by {
        crate::shards::By::Id => Cow::Borrowed(&article.id),
        crate::shards::By::Month => Cow::Owned(
            crate::process::resolve_published(article)
                .map(|p| p.at.format("%Y-%m").to_string())
                .unwrap_or_default(),
        ),
    }
}

/// Refuses to mix shards: an index that holds a commit is one shard (or none) for good.
fn check_shard(sink: &IndexSink, config: &IngestConfig) -> Result<(), IndexError> {
    if config.rebuild {
        return Ok(());
    }
    let Some(info) = sink.gazette.commit_info() else {
        return Ok(());
    };
    if info.shard == config.shard {
        return Ok(());
    }
    let is = |s: Option<crate::shards::Shard>| match s {
        Some(s) => format!("shard {s} of a shard set"),
        None => "a whole index, not a shard".to_string(),
    };
    Err(IndexError::Incompatible {
        path: config.index.clone(),
        found: format!(
            "it is {}, and this ingest would make it {}; pass the same --shard, or --rebuild",
            is(info.shard),
            is(config.shard)
        ),
    })
}

/// Articles per batch, from the reading worker to the processing workers and on to the
/// writer.
const BATCH_ARTICLES: usize = 32;

/// Runs an ingest. `stop` is polled so Ctrl-C can end it cleanly: what was read is
/// committed and the summary says the ingest was interrupted.
pub fn run(
    config: &IngestConfig,
    events: &mut dyn IngestEvents,
    stop: Arc<AtomicBool>,
) -> Result<IngestSummary, IndexError> {
    let started = Instant::now();
    let mut summary = IngestSummary::default();
    let (mut sink, stale) = IndexSink::open(
        &config.index,
        config.rebuild,
        indexing_threads(config.threads),
        config.memory_bytes,
    )?;
    if let Some(pid) = stale {
        events.warn(&format!(
            "a previous ingest (pid {pid}) did not finish cleanly; its last commit is kept and \
             this ingest completes it"
        ));
    }
    check_shard(&sink, config)?;
    sink.shard = config.shard;
    let committed = sink.committed()?;
    let records = committed.file_records()?;
    // Passages without their file's record, left by an older gazette killed mid-file:
    // pruned like recorded files when their file is gone.
    let unrecorded = match config.prune {
        true => committed.unrecorded_files(&records)?,
        false => Vec::new(),
    };

    let plan = match &config.staged {
        Some(dir) => plan_staged(dir, &records, &mut summary)?,
        None => plan(config, &records, &unrecorded, &mut summary, events),
    };
    events.start(
        plan.jobs.len() as u64,
        plan.jobs.iter().map(|j| j.size).sum(),
    );

    let (job_tx, job_rx) = crossbeam_channel::bounded::<FileJob>(config.threads * 4);
    let (msg_tx, msg_rx) = crossbeam_channel::bounded::<WorkerMsg>(config.threads * 4);
    // Raw article batches any worker may process: a few per worker, so memory stays flat.
    let (batch_tx, batch_rx) = crossbeam_channel::bounded(config.threads * 2);
    let batches = worker::Batches {
        tx: batch_tx,
        rx: batch_rx,
    };
    // Files handed to workers and not yet fully read.
    let files_open = Arc::new(AtomicUsize::new(0));
    // Set while a commit waits for the files being written to end: workers take no new file.
    let hold = Arc::new(AtomicBool::new(false));
    let workers: Vec<_> = (0..config.threads.max(1))
        .map(|_| {
            let (rx, tx, stop) = (job_rx.clone(), msg_tx.clone(), stop.clone());
            let (batches, files_open, hold) = (batches.clone(), files_open.clone(), hold.clone());
            let shard = config.shard;
            std::thread::spawn(move || worker::run(rx, batches, tx, files_open, hold, stop, shard))
        })
        .collect();
    drop(batches);
    drop((job_rx, msg_tx));
    let feeder = {
        let stop = stop.clone();
        std::thread::spawn(move || {
            for job in plan.jobs {
                if stop.load(Ordering::Relaxed) {
                    break;
                }
                files_open.fetch_add(1, Ordering::AcqRel);
                if job_tx.send(job).is_err() {
                    files_open.fetch_sub(1, Ordering::AcqRel);
                    break;
                }
            }
        })
    };

    let mut files: HashMap<usize, FileBatches> = HashMap::new();
    let mut last_commit = Instant::now();
    let mut failure = None;
    for msg in msg_rx.iter() {
        let written = write_msg(&mut sink, &committed, msg, &mut files, &mut summary, events)
            .and_then(|()| {
                if last_commit.elapsed() < config.commit_every || stop.load(Ordering::Relaxed) {
                    return Ok(());
                }
                if !files.is_empty() {
                    // A file is partly written: commit once the files begun are done.
                    hold.store(true, Ordering::Release);
                    return Ok(());
                }
                sink.commit(false)?;
                hold.store(false, Ordering::Release);
                events.committed(false);
                last_commit = Instant::now();
                Ok(())
            });
        if let Err(e) = written {
            failure = Some(e);
            stop.store(true, Ordering::Relaxed);
            break;
        }
    }
    hold.store(false, Ordering::Release);
    // Unblock and join the other stages whatever happened.
    drop(msg_rx);
    // It holds the segments of the index as it was; the final merge must be free to
    // delete them.
    drop(committed);
    let _ = feeder.join();
    for w in workers {
        let _ = w.join();
    }
    if let Some(e) = failure {
        sink.rollback()?;
        return Err(e);
    }
    // A file whose end never came (its worker died): what of it went in keeps a record.
    for file in files.values() {
        partial_record(&sink, &file.job, file.written)?;
    }

    if config.prune && !stop.load(Ordering::Relaxed) {
        for key in &plan.vanished {
            sink.delete_file(key);
            summary.pruned += 1;
        }
    }
    summary.interrupted = stop.load(Ordering::Relaxed);
    sink.commit(!summary.interrupted)?;
    events.committed(!summary.interrupted);
    if !summary.interrupted {
        // A shard's groups are not its own: they are computed over the whole set.
        let grouping = match config.shard {
            None => Some(group_beside_merge(sink.gazette.clone())?),
            Some(_) => None,
        };
        let grouped = sink.finish(summary.files_read > 0 || summary.pruned > 0, || {
            grouping.map(|g| {
                g.join()
                    .expect("the grouping thread does not panic")
                    .and_then(Grouping::reload)
            })
        })?;
        if let Some(grouped) = grouped {
            grouped?.cache();
        }
    }
    // Workers finish files in any order; the lists come out in path order.
    let by_place = |p: &FileProblem| (p.path.clone(), p.line);
    summary.failed.sort_by_key(by_place);
    summary.lost.sort_by_key(by_place);
    summary.warnings.sort_by_key(by_place);
    summary.elapsed = started.elapsed();
    Ok(summary)
}

/// tantivy's indexing threads beside `workers` reading and tagging threads: half as
/// many, at least one. Tagging takes about as much CPU as indexing, and the workers and
/// the document-building writer thread already fill the cores: on 2 cores one indexing
/// thread instead of two took BBC ×20's ingest from 17.2-20.0 s to 14.4-18.0 s (7
/// alternated pairs, 6 faster; less user CPU in every pair) with a third less peak RSS
/// (README, Performance).
fn indexing_threads(workers: usize) -> usize {
    workers.div_ceil(2).max(1)
}

/// The near-duplicate groups of a commit, computed beside the final merge, with the
/// reader they were read through.
struct Grouping {
    gazette: crate::index::GazetteIndex,
    reader: tantivy::IndexReader,
    /// The fingerprint of the commit whose cache the groups were read from; `None` when
    /// they were computed (and are not cached yet).
    cached_as: Option<String>,
    groups: crate::dedup::Groups,
}

/// Computes the near-duplicate groups of the index's last commit (or reads them from its
/// cache) on a thread of its own, so they cost no time beside the final merge, which
/// runs on one core: the groups are a function of the committed articles alone, and a
/// merge changes the segments, not the articles.
fn group_beside_merge(
    gazette: crate::index::GazetteIndex,
) -> Result<std::thread::JoinHandle<Result<Grouping, IndexError>>, IndexError> {
    let context = "grouping near-duplicate articles";
    let reader = gazette
        .manual_reader()
        .map_err(|source| IndexError::Tantivy {
            context: context.into(),
            source,
        })?;
    Ok(std::thread::spawn(move || {
        let searcher = reader.searcher();
        let (groups, cached) =
            search::groups::load_uncached(&gazette, &searcher).map_err(|e| IndexError::Io {
                context: context.into(),
                source: std::io::Error::other(e),
            })?;
        let cached_as = cached.then(|| search::groups::fingerprint(&searcher));
        drop(searcher);
        Ok(Grouping {
            gazette,
            reader,
            cached_as,
            groups,
        })
    }))
}

impl Grouping {
    /// Moves the reader to the merged commit, letting go of the segments merged away,
    /// so the writer's clean-up after it can delete their files.
    fn reload(self) -> Result<Grouping, IndexError> {
        self.reader.reload().map_err(|source| IndexError::Tantivy {
            context: "reading the merged index".into(),
            source,
        })?;
        Ok(self)
    }

    /// Caches the groups as those of the reader's commit, unless the cache already holds
    /// them for it (a cache that cannot be written, in a read-only index folder, is left
    /// for the next reader to compute).
    fn cache(&self) {
        let searcher = self.reader.searcher();
        if self.cached_as.as_deref() != Some(&search::groups::fingerprint(&searcher)) {
            let _ = search::groups::store_groups(&self.gazette, &searcher, &self.groups);
        }
    }
}

/// The files to read, and the indexed files that no longer exist.
struct Plan {
    jobs: Vec<FileJob>,
    vanished: Vec<String>,
}

fn plan(
    config: &IngestConfig,
    records: &HashMap<String, FileRecord>,
    unrecorded: &[String],
    summary: &mut IngestSummary,
    events: &mut dyn IngestEvents,
) -> Plan {
    let mut jobs = Vec::new();
    let mut seen: HashSet<String> = HashSet::new();
    // Paths that could not be walked or read: what the index holds under them is kept,
    // not pruned, since they may well still exist.
    let mut unreadable: Vec<String> = Vec::new();
    // An index folder inside a corpus root is not part of the corpus.
    let index_key = file_key(&config.index);
    for root in &config.roots {
        let id_prefix = id_prefix(root);
        for entry in corpus::walk(std::slice::from_ref(root), config.follow_symlinks) {
            match entry {
                CorpusEntry::Article { path, rel, format } => {
                    let key = file_key(&path);
                    if is_under(&key, &index_key) {
                        continue;
                    }
                    let meta = match std::fs::metadata(&path) {
                        Ok(m) => m,
                        Err(e) => {
                            summary.fail(&path, None, &e.to_string(), events);
                            unreadable.push(key);
                            continue;
                        }
                    };
                    seen.insert(key.clone());
                    let mtime = mtime_nanos(&meta);
                    let previous = records.get(&key).cloned();
                    if let Some(r) = &previous
                        && r.size == meta.len()
                        && r.mtime == mtime
                    {
                        summary.unchanged += 1;
                        summary.articles_unchanged += r.articles;
                        continue;
                    }
                    jobs.push(FileJob {
                        seq: jobs.len(),
                        path,
                        id_base: format!("{id_prefix}{rel}"),
                        input: Input::File(format),
                        key,
                        size: meta.len(),
                        mtime,
                        previous,
                    });
                }
                CorpusEntry::Skipped { reason, .. } => {
                    *summary.skipped.entry(reason.to_string()).or_default() += 1;
                }
                CorpusEntry::Error { path, message } => {
                    summary.fail(&path, None, &message, events);
                    unreadable.push(file_key(&path));
                }
            }
        }
    }
    let roots: Vec<String> = config.roots.iter().map(|r| file_key(r)).collect();
    let vanished = records
        .keys()
        .chain(unrecorded)
        .filter(|k| !seen.contains(*k) && roots.iter().any(|r| is_under(k, r)))
        .filter(|k| !unreadable.iter().any(|u| is_under(k, u)))
        .cloned()
        .collect();
    Plan { jobs, vanished }
}

/// The files of a staged folder to index: every file its list names, in order, but those
/// whose record in the index has their size and modification time, as [`plan`] does.
/// Nothing vanishes: the list is all there is.
fn plan_staged(
    dir: &std::path::Path,
    records: &HashMap<String, FileRecord>,
    summary: &mut IngestSummary,
) -> Result<Plan, IndexError> {
    let files = staged::read_files(dir).map_err(IndexError::Staged)?;
    let dir = Arc::new(dir.to_path_buf());
    let mut jobs = Vec::new();
    for file in files {
        if file.status == staged::Status::Skipped {
            let reason = file.message.clone().unwrap_or_default();
            *summary.skipped.entry(reason).or_default() += 1;
            continue;
        }
        let previous = records.get(&file.key).cloned();
        if let Some(r) = &previous
            && r.size == file.size
            && r.mtime == file.mtime
        {
            summary.unchanged += 1;
            summary.articles_unchanged += r.articles;
            continue;
        }
        jobs.push(FileJob {
            seq: jobs.len(),
            path: PathBuf::from(&file.path),
            id_base: String::new(),
            key: file.key.clone(),
            size: file.size,
            mtime: file.mtime,
            previous,
            input: Input::Staged {
                file: Box::new(file),
                dir: dir.clone(),
            },
        });
    }
    Ok(Plan {
        jobs,
        vanished: Vec::new(),
    })
}

/// A file partly written: its batches that reached the writer out of order, held until
/// the ones before them come, so a file's articles are applied in file order (with
/// duplicate ids in one file, the last one wins, whichever worker tagged it).
struct FileBatches {
    job: Arc<FileJob>,
    next: usize,
    waiting: BTreeMap<usize, Vec<ProcessedArticle>>,
    /// Articles of the file added to the index so far.
    written: u64,
}

/// Records a file only part of which went in (`written` articles), or removes what is
/// left of it when nothing did, so no committed article is without its file's record.
fn partial_record(sink: &IndexSink, job: &FileJob, written: u64) -> Result<(), IndexError> {
    if written == 0 {
        sink.delete_file(&job.key);
        return Ok(());
    }
    sink.add_file_record(&job.key, &FileRecord::partial(job.size, written))
}

fn write_msg(
    sink: &mut IndexSink,
    committed: &Committed,
    msg: WorkerMsg,
    files: &mut HashMap<usize, FileBatches>,
    summary: &mut IngestSummary,
    events: &mut dyn IngestEvents,
) -> Result<(), IndexError> {
    match msg {
        WorkerMsg::Articles {
            job,
            batch,
            articles,
        } => {
            let file = files.entry(job.seq).or_insert_with(|| {
                // The file's first batch: its old content goes, in the same commit.
                sink.delete_file(&job.key);
                FileBatches {
                    job: job.clone(),
                    next: 0,
                    waiting: BTreeMap::new(),
                    written: 0,
                }
            });
            file.waiting.insert(batch, articles);
            while let Some(articles) = file.waiting.remove(&file.next) {
                file.next += 1;
                for processed in &articles {
                    let id = &processed.article.id;
                    let held_from = || match job.previous {
                        None => committed.from_other_file(id, &job.key),
                        // Its own old passages hold its ids, so asking about other
                        // files would cost a query per article: not asked.
                        Some(_) => Held::Unknown,
                    };
                    match summary.article_id(id, &job.path, job.seq, held_from, events) {
                        IdAction::Add => {}
                        IdAction::Replace => sink.delete_article(id),
                        IdAction::Skip => continue,
                    }
                    let n = sink.add_article(&job.key, processed)?;
                    file.written += 1;
                    summary.count_article(processed, n);
                }
            }
        }
        WorkerMsg::Done { job, outcome } => {
            let begun = files.remove(&job.seq);
            let had_batches = begun.is_some();
            let written = begun.map_or(0, |file| file.written);
            match outcome {
                worker::FileOutcome::Indexed {
                    record,
                    warnings,
                    unknown_fields,
                    lost,
                    passed,
                } => {
                    summary.records_lost += lost;
                    for (reason, n) in passed {
                        *summary.records_passed.entry(reason).or_default() += n;
                    }
                    if !had_batches {
                        // No article batch came, so the old content was not removed yet.
                        sink.delete_file(&job.key);
                    }
                    sink.add_file_record(&job.key, &record)?;
                    summary.files_read += 1;
                    for w in warnings {
                        summary.warn_or_lose(&job.path, w, events);
                    }
                    summary.unknown_fields(&job.path, unknown_fields, events);
                }
                worker::FileOutcome::Interrupted => {
                    // Untouched when no batch came: its old content and record stay.
                    if had_batches {
                        partial_record(sink, &job, written)?;
                    }
                }
                worker::FileOutcome::Unchanged { record } => {
                    // Same bytes under a new mtime: refresh the record, keep the passages.
                    sink.delete_file_record_only(&job.key);
                    sink.add_file_record(&job.key, &record)?;
                    summary.unchanged += 1;
                    summary.articles_unchanged += record.articles;
                }
                worker::FileOutcome::Failed { message, warnings } => {
                    partial_record(sink, &job, written)?;
                    for w in warnings {
                        summary.warn_or_lose(&job.path, w, events);
                    }
                    summary.fail(&job.path, None, &message, events);
                }
            }
            events.file_done(job.size);
        }
    }
    Ok(())
}

/// The prefix of derived article ids: the root folder's own name, so two corpora ingested
/// into one index do not collide on `business/001.txt`.
fn id_prefix(root: &std::path::Path) -> String {
    let canonical = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    if canonical.is_dir() {
        match canonical.file_name() {
            Some(name) => format!("{}/", name.to_string_lossy()),
            None => String::new(),
        }
    } else {
        String::new()
    }
}

/// The key a file is recorded under: its canonical absolute path.
fn file_key(path: &std::path::Path) -> String {
    std::fs::canonicalize(path)
        .unwrap_or_else(|_| path.to_path_buf())
        .to_string_lossy()
        .into_owned()
}

fn is_under(key: &str, root: &str) -> bool {
    key == root
        || key
            .strip_prefix(root)
            .is_some_and(|rest| rest.starts_with(std::path::MAIN_SEPARATOR))
}

fn mtime_nanos(meta: &std::fs::Metadata) -> i64 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map(|d| d.as_nanos() as i64)
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::GazetteIndex;
    use crate::model::Article;

    #[test]
    fn indexing_gets_half_the_workers_threads_and_never_none() {
        let pairs: Vec<(usize, usize)> = [0, 1, 2, 3, 4, 8]
            .into_iter()
            .map(|w| (w, indexing_threads(w)))
            .collect();
        assert_eq!(pairs, [(0, 1), (1, 1), (2, 1), (3, 2), (4, 2), (8, 4)]);
    }

    /// Drops every event.
    struct Silent;

    impl IngestEvents for Silent {
        fn start(&mut self, _: u64, _: u64) {}
        fn file_done(&mut self, _: u64) {}
        fn warn(&mut self, _: &str) {}
        fn committed(&mut self, _: bool) {}
    }

    #[test]
    fn prune_removes_passages_an_older_gazette_left_without_their_files_record() {
        let dir = tempfile::tempdir().unwrap();
        let (corpus, index) = (dir.path().join("corpus"), dir.path().join("idx"));
        std::fs::create_dir(&corpus).unwrap();
        // What a kill between a file's batches could leave before commits fell between
        // whole files: the file's passages committed, its record not.
        let key = format!("{}/gone.txt", file_key(&corpus));
        {
            let (mut sink, _) = IndexSink::open(&index, false, 1, 50_000_000).unwrap();
            let article = Article {
                id: "gone".into(),
                title: "Harbour".into(),
                body: "The harbour reopened.".into(),
                ..Default::default()
            };
            let processed = crate::process::process(article, crate::ner::Tagger::builtin());
            sink.add_article(&key, &processed).unwrap();
            sink.commit(true).unwrap();
        }
        let articles = || {
            let gazette = GazetteIndex::open(&index).unwrap();
            crate::stats::index_stats(&gazette).unwrap().articles
        };
        assert_eq!(articles(), 1);
        let mut config = IngestConfig {
            roots: vec![corpus],
            index: index.clone(),
            rebuild: false,
            follow_symlinks: false,
            prune: false,
            threads: 1,
            memory_bytes: 50_000_000,
            commit_every: Duration::from_secs(30),
            shard: None,
            staged: None,
        };
        let stop = || Arc::new(AtomicBool::new(false));
        let summary = run(&config, &mut Silent, stop()).unwrap();
        assert_eq!((summary.pruned, articles()), (0, 1), "only --prune removes");
        config.prune = true;
        let summary = run(&config, &mut Silent, stop()).unwrap();
        assert_eq!((summary.pruned, articles()), (1, 0));
    }
}
