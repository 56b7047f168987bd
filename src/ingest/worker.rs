//! One ingest worker: reads, hashes and parses files, and segments and tags articles.
//!
//! Takes [`FileJob`]s, gives [`WorkerMsg`]s: batches of processed articles, then one
//! `Done` per file. The worker that takes a file reads it and sends `Done`; the articles
//! it reads go out in [`RawBatch`]es that any worker may segment and tag, so one large
//! file (a JSON-lines dump) keeps every core busy. A file's `Done` is sent only after
//! every batch of it reached the writer, even when reading or tagging it panicked (a
//! bug): the writer commits only between whole files, so it must hear of every file's end.

use std::io::Read;
use std::panic::AssertUnwindSafe;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use crossbeam_channel::{Receiver, Sender, TrySendError};

use super::BATCH_ARTICLES;
use super::staged::StagedFile;
use crate::index::writer::FileRecord;
use crate::model::Article;
use crate::ner;
use crate::process::{self, ProcessedArticle};
use crate::read::{self, Format, PageOutcome, PendingPage, ReadWarning};

/// A corpus file to (re)index.
#[derive(Debug)]
pub(crate) struct FileJob {
    /// Position in the plan (walk order); identifies the job in the writer, and of two
    /// files with the same article id the later one wins.
    pub seq: usize,
    pub path: PathBuf,
    /// Base of derived article ids: the root's name plus the path relative to the root.
    pub id_base: String,
    /// Where the articles come from: the file, or a staged ingest's copy of them.
    pub input: Input,
    /// Canonical path, the key of the file's record and passages.
    pub key: String,
    pub size: u64,
    pub mtime: i64,
    /// The record of the file's previous version, if the index has one.
    pub previous: Option<FileRecord>,
}

/// How a [`FileJob`]'s articles are read.
#[derive(Debug)]
pub(crate) enum Input {
    /// From the file at `path`, in this format.
    File(Format),
    /// Already read elsewhere: from the staged folder (see [`super::staged`]).
    Staged {
        file: Box<StagedFile>,
        dir: Arc<PathBuf>,
    },
}

pub(crate) enum WorkerMsg {
    /// Batch `batch` (0, 1, 2, ... in file order; possibly empty) of a file's articles.
    Articles {
        job: Arc<FileJob>,
        batch: usize,
        articles: Vec<ProcessedArticle>,
    },
    Done {
        job: Arc<FileJob>,
        outcome: FileOutcome,
    },
}

pub(crate) enum FileOutcome {
    /// Read and sent; `record` is to be stored.
    Indexed {
        record: FileRecord,
        warnings: Vec<ReadWarning>,
        unknown_fields: std::collections::BTreeSet<String>,
        /// Records of the file that could not be read (broken lines), each warned about.
        lost: u64,
        /// Web archive records that are not articles, by reason (no warning each).
        passed: std::collections::BTreeMap<&'static str, u64>,
    },
    /// A new mtime but the same bytes as the indexed version: nothing was re-read.
    Unchanged { record: FileRecord },
    /// Ctrl-C came while the file was read: what was sent stays, under a partial record,
    /// so the next ingest reads the file again.
    Interrupted,
    /// The file could not be read (whole). Articles read before the error were sent and
    /// stay indexed under a partial record, so the next ingest reads (and reports) the
    /// file again.
    Failed {
        message: String,
        warnings: Vec<ReadWarning>,
    },
}

/// Articles read from one file, to be segmented and tagged by any worker.
pub(crate) struct RawBatch {
    job: Arc<FileJob>,
    /// Position of the batch in its file.
    seq: usize,
    articles: Vec<Raw>,
    tally: Arc<Tally>,
}

/// One item of a batch: an article as read, or a web archive's page whose article is
/// still to be extracted (the costly part of reading an archive, so it is done by
/// whichever worker takes the batch, not only by the one reading the file).
enum Raw {
    Article(Article),
    Page(PendingPage),
}

/// What the batches of one file came to; the reading worker waits for `pending` to reach
/// zero before it reports the file done.
#[derive(Default)]
struct Tally {
    pending: Mutex<usize>,
    drained: Condvar,
    /// Articles sent to the writer (those with passages).
    articles: AtomicU64,
    /// Articles without body text, and web pages that could not be read: skipped.
    empty: Mutex<Vec<ReadWarning>>,
    /// Web pages extracted here that are not articles, by reason.
    passed: Mutex<std::collections::BTreeMap<&'static str, u64>>,
    /// Warnings about web pages extracted here that still gave an article or none.
    warnings: Mutex<Vec<ReadWarning>>,
    /// A worker panicked on a batch: its articles are lost, the file is not indexed.
    broken: AtomicBool,
}

/// Counts a batch done when dropped, even when processing it panicked, so the reading
/// worker never waits for a batch that will not come.
struct BatchDone<'a>(&'a Tally);

impl Drop for BatchDone<'_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.0.broken.store(true, Ordering::Relaxed);
        }
        let mut pending = self
            .0
            .pending
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        *pending -= 1;
        if *pending == 0 {
            self.0.drained.notify_all();
        }
    }
}

/// Counts a file read when dropped, even when reading it panicked, so the other workers
/// never wait for its batches forever.
struct FileOpen<'a>(&'a AtomicUsize);

impl Drop for FileOpen<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

/// The channel of raw batches every worker both feeds and drains.
#[derive(Clone)]
pub(crate) struct Batches {
    pub tx: Sender<RawBatch>,
    pub rx: Receiver<RawBatch>,
}

/// The reason an article is passed over by `ingest --shard`.
pub const IN_OTHER_SHARDS: &str = "articles of other shards";

/// Everything a worker needs.
struct Worker<'a> {
    tagger: &'static ner::Tagger,
    batches: &'a Batches,
    out: &'a Sender<WorkerMsg>,
    stop: &'a AtomicBool,
    /// Only this shard's articles are processed (`ingest --shard`).
    shard: Option<crate::shards::Shard>,
}

/// Runs one worker until the files are all read. `files_open` counts the files sent to
/// workers and not yet fully read (the feeder adds one before sending each): a worker
/// with no file left to take keeps tagging the batches of files still being read. While
/// `hold` is set (a commit waits for the files being written to end) no new file is
/// taken, but batches still are.
pub(crate) fn run(
    jobs: Receiver<FileJob>,
    batches: Batches,
    out: Sender<WorkerMsg>,
    files_open: Arc<AtomicUsize>,
    hold: Arc<AtomicBool>,
    stop: Arc<AtomicBool>,
    shard: Option<crate::shards::Shard>,
) {
    let worker = Worker {
        tagger: ner::Tagger::builtin(),
        batches: &batches,
        out: &out,
        stop: &stop,
        shard,
    };
    loop {
        // Batches first: they hold up files that are being read.
        if let Ok(batch) = batches.rx.try_recv() {
            worker.process(batch);
            continue;
        }
        if hold.load(Ordering::Acquire) && !stop.load(Ordering::Relaxed) {
            if let Ok(batch) = batches.rx.recv_timeout(Duration::from_millis(5)) {
                worker.process(batch);
            }
            continue;
        }
        crossbeam_channel::select! {
            recv(batches.rx) -> batch => {
                if let Ok(batch) = batch {
                    worker.process(batch);
                }
            }
            recv(jobs) -> job => {
                let Ok(job) = job else {
                    // No file left to take: help with the files others are reading.
                    while files_open.load(Ordering::Acquire) > 0 {
                        if let Ok(batch) = batches.rx.recv_timeout(Duration::from_millis(5)) {
                            worker.process(batch);
                        }
                    }
                    break;
                };
                let job = Arc::new(job);
                let outcome = {
                    // Every batch of the file is processed when `handle` returns (or
                    // unwinds).
                    let _open = FileOpen(&files_open);
                    (!stop.load(Ordering::Relaxed)).then(|| handle(&job, &worker))
                };
                let Some(outcome) = outcome else { break };
                if out.send(WorkerMsg::Done { job, outcome }).is_err() {
                    break;
                }
            }
        }
    }
}

impl Worker<'_> {
    /// Segments and tags a batch, sends it to the writer, then counts it done (in that
    /// order, so the file's `Done` cannot overtake it).
    fn process(&self, batch: RawBatch) {
        let RawBatch {
            job,
            seq,
            articles,
            tally,
        } = batch;
        let _done = BatchDone(&tally);
        let mut processed = Vec::with_capacity(articles.len());
        for raw in articles {
            if self.stop.load(Ordering::Relaxed) {
                break;
            }
            let article = match raw {
                Raw::Article(article) => article,
                Raw::Page(page) => {
                    let (outcome, warnings) = page.extract();
                    tally.warnings.lock().unwrap().extend(warnings);
                    match outcome {
                        PageOutcome::Article(article) => *article,
                        PageOutcome::Passed(reason) => {
                            *tally.passed.lock().unwrap().entry(reason).or_default() += 1;
                            continue;
                        }
                        PageOutcome::Lost(warning) => {
                            tally.empty.lock().unwrap().push(warning);
                            continue;
                        }
                    }
                }
            };
            if let Some(shard) = self.shard
                && !shard.holds(&super::shard_key(&article, shard.by))
            {
                *tally
                    .passed
                    .lock()
                    .unwrap()
                    .entry(IN_OTHER_SHARDS)
                    .or_default() += 1;
                continue;
            }
            let p = process::process(article, self.tagger);
            if p.passages.is_empty() {
                tally.empty.lock().unwrap().push(ReadWarning {
                    line: None,
                    message: format!(
                        "article {} has neither title nor body text; skipped",
                        p.article.id
                    ),
                    lost: true,
                });
            } else {
                processed.push(p);
            }
        }
        tally
            .articles
            .fetch_add(processed.len() as u64, Ordering::Relaxed);
        // Sent even when empty: the writer applies a file's batches in order.
        let _ = self.out.send(WorkerMsg::Articles {
            job,
            batch: seq,
            articles: processed,
        });
    }

    /// Hands a batch to whichever worker is free, or processes it here when all are busy.
    fn dispatch(&self, batch: RawBatch) {
        *batch.tally.pending.lock().unwrap() += 1;
        match self.batches.tx.try_send(batch) {
            Ok(()) => {}
            Err(TrySendError::Full(batch) | TrySendError::Disconnected(batch)) => {
                self.process(batch)
            }
        }
    }

    /// Waits until every batch of a file was processed, processing queued batches (of any
    /// file) meanwhile.
    fn drain(&self, tally: &Tally) {
        loop {
            if *tally.pending.lock().unwrap() == 0 {
                return;
            }
            if let Ok(batch) = self.batches.rx.try_recv() {
                self.process(batch);
                continue;
            }
            let pending = tally.pending.lock().unwrap();
            if *pending == 0 {
                return;
            }
            // Another worker holds the rest; it notifies when done. The timeout only
            // bounds how long a batch queued meanwhile waits for this worker.
            let _ = tally
                .drained
                .wait_timeout(pending, Duration::from_millis(5))
                .unwrap();
        }
    }
}

/// Where [`handle`] reads a job's articles from, once the file needs reading: the file
/// (hashed on the way), or its staged copy.
enum Source<'j> {
    File(Box<HashingReader<std::fs::File>>, Format),
    Staged(&'j StagedFile, &'j std::path::Path),
}

fn handle(job: &Arc<FileJob>, worker: &Worker) -> FileOutcome {
    // A file the index held before is hashed first: the same bytes under a new mtime need
    // no re-indexing. A new file is hashed on its way through the reader, in one pass. A
    // staged file was hashed where it was read.
    let known_hash = match (&job.input, &job.previous) {
        (Input::Staged { file, .. }, _) => Some(file.hash.clone()),
        (Input::File(_), Some(_)) => match hash_file(&job.path) {
            Ok(h) => Some(h),
            Err(e) => return failed(e.to_string()),
        },
        (Input::File(_), None) => None,
    };
    if let (Some(previous), Some(hash)) = (&job.previous, &known_hash)
        && previous.hash == *hash
        && previous.size == job.size
    {
        let record = FileRecord {
            mtime: job.mtime,
            ..previous.clone()
        };
        return FileOutcome::Unchanged { record };
    }
    let mut source = match &job.input {
        Input::File(format) => match std::fs::File::open(&job.path) {
            Ok(file) => Source::File(Box::new(HashingReader::new(file)), *format),
            Err(e) => return failed(read::ReadError::from(e).to_string()),
        },
        Input::Staged { file, dir } => Source::Staged(file, dir),
    };

    let tally = Arc::new(Tally::default());
    let batches = std::cell::Cell::new(0);
    let batch_of = |articles| {
        batches.set(batches.get() + 1);
        RawBatch {
            job: job.clone(),
            seq: batches.get() - 1,
            articles,
            tally: tally.clone(),
        }
    };
    // A panic (a bug) in the reader, or in tagging a batch here, fails the file rather
    // than the worker: the file's Done must come, after all its batches.
    let read = std::panic::catch_unwind(AssertUnwindSafe(|| {
        // Articles and web pages share the batches, in file order.
        let batch = std::cell::RefCell::new(Vec::with_capacity(BATCH_ARTICLES));
        let push = |raw: Raw| {
            if worker.stop.load(Ordering::Relaxed) {
                return;
            }
            let mut batch = batch.borrow_mut();
            batch.push(raw);
            if batch.len() >= BATCH_ARTICLES {
                let full = std::mem::replace(&mut *batch, Vec::with_capacity(BATCH_ARTICLES));
                drop(batch);
                worker.dispatch(batch_of(full));
            }
        };
        let mut on_article = |article: Article| {
            // Stands in for a reader bug in the test of what a panic does.
            #[cfg(test)]
            assert_ne!(article.id, tests::PANIC_ID, "reader bug");
            push(Raw::Article(article));
        };
        let mut on_page = |page: PendingPage| push(Raw::Page(page));
        let result = match &mut source {
            Source::File(input, format) => read::read_reader_deferring(
                input,
                &job.path,
                &job.id_base,
                *format,
                &mut on_article,
                &mut on_page,
            ),
            Source::Staged(file, dir) => file.replay(dir, &mut on_article),
        };
        let rest = batch.into_inner();
        if !rest.is_empty() {
            worker.dispatch(batch_of(rest));
        }
        result
    }));
    // A batch that panics here is counted done (`BatchDone`), so this ends.
    while std::panic::catch_unwind(AssertUnwindSafe(|| worker.drain(&tally))).is_err() {}
    let Ok(result) = read else {
        return failed("gazette failed while reading this file (a bug: please report it)".into());
    };
    if worker.stop.load(Ordering::Relaxed) {
        // Articles after the stop were not processed: the file must not be recorded as
        // indexed, or the next ingest would skip it as unchanged.
        return FileOutcome::Interrupted;
    }
    let articles = tally.articles.load(Ordering::Relaxed);
    if tally.broken.load(Ordering::Relaxed) {
        // Sent batches stay until the next ingest reads the file again (partial record).
        return failed(
            "a worker thread failed while tagging this file (a bug: please report it)".into(),
        );
    }
    let empty = std::mem::take(&mut *tally.empty.lock().unwrap());
    let page_warnings = std::mem::take(&mut *tally.warnings.lock().unwrap());
    match result {
        Ok(mut report) => {
            for (reason, n) in std::mem::take(&mut *tally.passed.lock().unwrap()) {
                *report.records_passed.entry(reason).or_default() += n;
            }
            let lost = (report.skipped + empty.len()) as u64;
            let mut warnings = report.warnings;
            warnings.extend(page_warnings);
            warnings.extend(empty);
            // A web archive whose every record was passed over on purpose (a crawl of
            // images, robots.txt files and redirects) holds nothing to index, and nothing
            // went wrong: recorded like any read file, so it is not read again.
            let all_passed = lost == 0 && !report.records_passed.is_empty();
            // A shard's ingest may find none of a file's articles its own: the file has
            // articles all the same (and its lost records are reported either way).
            let elsewhere = report.records_passed.contains_key(IN_OTHER_SHARDS);
            if articles == 0 && !all_passed && !elsewhere {
                let message = "no article in file".to_string();
                return FileOutcome::Failed { message, warnings };
            }
            let hash = match (known_hash, source) {
                (Some(hash), _) => hash,
                (None, Source::File(input, _)) => match input.finish() {
                    Ok(hash) => hash,
                    Err(e) => return failed(e.to_string()),
                },
                (None, Source::Staged(file, _)) => file.hash.clone(),
            };
            let record = FileRecord {
                size: job.size,
                mtime: job.mtime,
                hash,
                articles,
            };
            FileOutcome::Indexed {
                record,
                warnings,
                unknown_fields: report.unknown_fields,
                lost,
                passed: report.records_passed,
            }
        }
        Err(e) => FileOutcome::Failed {
            message: e.to_string(),
            warnings: page_warnings.into_iter().chain(empty).collect(),
        },
    }
}

fn failed(message: String) -> FileOutcome {
    FileOutcome::Failed {
        message,
        warnings: Vec::new(),
    }
}

fn hash_file(path: &std::path::Path) -> std::io::Result<String> {
    HashingReader::new(std::fs::File::open(path)?).finish()
}

/// Passes bytes through while hashing them.
struct HashingReader<R> {
    inner: R,
    hasher: blake3::Hasher,
}

impl<R: Read> HashingReader<R> {
    fn new(inner: R) -> Self {
        HashingReader {
            inner,
            hasher: blake3::Hasher::new(),
        }
    }

    /// Reads what the reader left (a parser may stop before the end) and gives the hash
    /// of the whole stream, hex.
    fn finish(mut self) -> std::io::Result<String> {
        std::io::copy(&mut self, &mut std::io::sink())?;
        Ok(self.hasher.finalize().to_hex().to_string())
    }
}

impl<R: Read> Read for HashingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Article;

    fn job() -> Arc<FileJob> {
        Arc::new(FileJob {
            seq: 0,
            path: PathBuf::from("wire.jsonl"),
            id_base: "wire.jsonl".into(),
            input: Input::File(Format {
                kind: read::FormatKind::JsonLines,
                gzip: false,
            }),
            key: "/wire.jsonl".into(),
            size: 0,
            mtime: 0,
            previous: None,
        })
    }

    fn raw(job: &Arc<FileJob>, tally: &Arc<Tally>, bodies: &[&str]) -> RawBatch {
        let articles = bodies
            .iter()
            .enumerate()
            .map(|(i, body)| {
                Raw::Article(Article {
                    id: format!("wire.jsonl:{i}"),
                    body: body.to_string(),
                    path: "wire.jsonl".into(),
                    ..Default::default()
                })
            })
            .collect();
        RawBatch {
            job: job.clone(),
            seq: 0,
            articles,
            tally: tally.clone(),
        }
    }

    /// The channels and flag workers share, with a batch queue of `capacity`.
    struct Rig {
        batches: Batches,
        out_tx: Sender<WorkerMsg>,
        out_rx: Receiver<WorkerMsg>,
        stop: AtomicBool,
    }

    impl Rig {
        fn new(capacity: usize) -> Rig {
            let (tx, rx) = crossbeam_channel::bounded(capacity);
            let (out_tx, out_rx) = crossbeam_channel::unbounded();
            Rig {
                batches: Batches { tx, rx },
                out_tx,
                out_rx,
                stop: AtomicBool::new(false),
            }
        }

        fn worker(&self) -> Worker<'_> {
            Worker {
                tagger: ner::Tagger::builtin(),
                batches: &self.batches,
                out: &self.out_tx,
                stop: &self.stop,
                shard: None,
            }
        }
    }

    /// Articles in the `Articles` messages sent so far.
    fn sent(out: &Receiver<WorkerMsg>) -> usize {
        out.try_iter()
            .map(|m| match m {
                WorkerMsg::Articles { articles, .. } => articles.len(),
                WorkerMsg::Done { .. } => 0,
            })
            .sum()
    }

    #[test]
    fn batches_go_to_whichever_worker_is_free_and_the_file_waits_for_them() {
        let rig = Rig::new(1);
        let (batches, out_rx, worker) = (&rig.batches, &rig.out_rx, rig.worker());
        let (job, tally) = (job(), Arc::new(Tally::default()));
        // The first batch is queued for any worker, not processed by the reader.
        worker.dispatch(raw(&job, &tally, &["Oil rose.", "Gold fell."]));
        assert_eq!(batches.rx.len(), 1);
        assert_eq!(*tally.pending.lock().unwrap(), 1);
        assert_eq!(sent(out_rx), 0);
        // With the queue full, the reader processes the next batch itself.
        worker.dispatch(raw(&job, &tally, &["Wheat was flat.", "  "]));
        assert_eq!(batches.rx.len(), 1);
        assert_eq!(sent(out_rx), 1);
        // Another worker takes the queued batch; draining waits until it is done.
        let taken = batches.rx.try_recv().unwrap();
        std::thread::scope(|s| {
            s.spawn(|| {
                rig.worker().process(taken);
            });
            worker.drain(&tally);
            // Everything the file holds reached the writer before drain returned.
            assert_eq!(*tally.pending.lock().unwrap(), 0);
            assert_eq!(sent(out_rx), 2);
        });
        assert_eq!(tally.articles.load(Ordering::Relaxed), 3);
        let empty = tally.empty.lock().unwrap();
        assert_eq!(empty.len(), 1, "the blank article is reported");
        assert!(empty[0].message.contains("wire.jsonl:1"), "{empty:?}");
    }

    /// Runs `f` on a thread of its own; whether it panicked.
    fn panics(f: impl FnOnce() + Send) -> bool {
        std::thread::scope(|s| s.spawn(f).join().is_err())
    }

    #[test]
    fn a_batch_that_panics_is_counted_done_and_breaks_its_file() {
        let tally = Tally::default();
        *tally.pending.lock().unwrap() = 1;
        assert!(panics(|| {
            let _done = BatchDone(&tally);
            panic!("tagger bug");
        }));
        assert_eq!(
            *tally.pending.lock().unwrap(),
            0,
            "the reader does not wait forever"
        );
        assert!(tally.broken.load(Ordering::Relaxed));
    }

    /// The article id at which the reader panics in tests.
    pub(super) const PANIC_ID: &str = "reader-bug";

    #[test]
    fn a_reader_that_panics_fails_its_file_after_every_batch_of_it_is_sent() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("wire.jsonl");
        let mut lines: String = (0..BATCH_ARTICLES)
            .map(|i| format!("{{\"id\": \"w{i}\", \"body\": \"Oil rose {i} cents.\"}}\n"))
            .collect();
        lines.push_str(&format!("{{\"id\": \"{PANIC_ID}\", \"body\": \"x\"}}\n"));
        std::fs::write(&path, lines).unwrap();
        let job = Arc::new(FileJob {
            path,
            ..Arc::into_inner(job()).unwrap()
        });
        let rig = Rig::new(4);
        let outcome = handle(&job, &rig.worker());
        let FileOutcome::Failed { message, .. } = outcome else {
            panic!("the file is not failed")
        };
        assert!(message.contains("a bug"), "{message}");
        // The full batch read before the panic reached the writer before the outcome.
        assert_eq!(sent(&rig.out_rx), BATCH_ARTICLES);
        assert!(rig.batches.rx.is_empty());
    }

    #[test]
    fn a_file_whose_reader_panics_is_counted_read() {
        let open = AtomicUsize::new(1);
        assert!(panics(|| {
            let _open = FileOpen(&open);
            panic!("reader bug");
        }));
        assert_eq!(
            open.load(Ordering::Relaxed),
            0,
            "idle workers do not wait forever"
        );
    }

    #[test]
    fn draining_processes_queued_batches_itself() {
        let rig = Rig::new(4);
        let (batches, out_rx, worker) = (&rig.batches, &rig.out_rx, rig.worker());
        let (job, tally) = (job(), Arc::new(Tally::default()));
        worker.dispatch(raw(&job, &tally, &["Oil rose."]));
        worker.dispatch(raw(&job, &tally, &["Gold fell."]));
        worker.drain(&tally);
        assert!(batches.rx.is_empty());
        assert_eq!(sent(out_rx), 2);
        assert_eq!(tally.articles.load(Ordering::Relaxed), 2);
    }

    #[test]
    fn hashing_while_reading_part_of_a_stream_hashes_all_of_it() {
        let bytes = b"first line\nsecond line\n".repeat(10_000);
        let mut input = HashingReader::new(&bytes[..]);
        let mut head = [0u8; 100];
        input.read_exact(&mut head).unwrap();
        let expected = blake3::hash(&bytes).to_hex().to_string();
        assert_eq!(input.finish().unwrap(), expected);
    }
}
