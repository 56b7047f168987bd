//! One ingest worker: reads, hashes, parses, segments and tags whole files.
//!
//! Takes [`FileJob`]s, gives [`WorkerMsg`]s: batches of processed articles, then one
//! `Done` per file. A file is handled by one worker from start to end, so its messages
//! reach the writer in order.

use std::io::Read;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use crossbeam_channel::{Receiver, Sender};

use super::BATCH_ARTICLES;
use crate::index::writer::FileRecord;
use crate::ner;
use crate::process::{self, ProcessedArticle};
use crate::read::{self, Format, ReadWarning};

/// A corpus file to (re)index.
#[derive(Debug)]
pub(crate) struct FileJob {
    /// Position in the plan; identifies the job in the writer.
    pub seq: usize,
    pub path: PathBuf,
    /// Base of derived article ids: the root's name plus the path relative to the root.
    pub id_base: String,
    pub format: Format,
    /// Canonical path, the key of the file's record and passages.
    pub key: String,
    pub size: u64,
    pub mtime: i64,
    /// The record of the file's previous version, if the index has one.
    pub previous: Option<FileRecord>,
}

pub(crate) enum WorkerMsg {
    Articles {
        job: Arc<FileJob>,
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
    },
    /// A new mtime but the same bytes as the indexed version: nothing was re-read.
    Unchanged { record: FileRecord },
    /// Ctrl-C came while the file was read: what was sent stays, without a record, so the
    /// next ingest reads the file again.
    Interrupted,
    /// The file could not be read (whole): `kept` articles read before the error were
    /// sent and stay indexed; the file gets no record, so the next ingest reads (and
    /// reports) it again.
    Failed {
        message: String,
        warnings: Vec<ReadWarning>,
        kept: u64,
    },
}

pub(crate) fn run(jobs: Receiver<FileJob>, out: Sender<WorkerMsg>, stop: Arc<AtomicBool>) {
    let tagger = ner::Tagger::builtin();
    for job in jobs.iter() {
        if stop.load(Ordering::Relaxed) {
            break;
        }
        let job = Arc::new(job);
        let outcome = handle(&job, tagger, &out, &stop);
        if out.send(WorkerMsg::Done { job, outcome }).is_err() {
            break;
        }
    }
}

fn handle(
    job: &Arc<FileJob>,
    tagger: &ner::Tagger,
    out: &Sender<WorkerMsg>,
    stop: &AtomicBool,
) -> FileOutcome {
    // A file the index held before is hashed first: the same bytes under a new mtime need
    // no re-indexing. A new file is hashed on its way through the reader, in one pass.
    let known_hash = match &job.previous {
        Some(previous) => {
            let hash = match hash_file(&job.path) {
                Ok(h) => h,
                Err(e) => return failed(e.to_string()),
            };
            if previous.hash == hash && previous.size == job.size {
                let record = FileRecord {
                    mtime: job.mtime,
                    ..previous.clone()
                };
                return FileOutcome::Unchanged { record };
            }
            Some(hash)
        }
        None => None,
    };
    let mut input = match std::fs::File::open(&job.path) {
        Ok(file) => HashingReader::new(file),
        Err(e) => return failed(read::ReadError::from(e).to_string()),
    };

    let mut batch = Vec::with_capacity(BATCH_ARTICLES);
    let mut articles = 0u64;
    let mut empty: Vec<ReadWarning> = Vec::new();
    let mut on_article = |article: crate::model::Article| {
        if stop.load(Ordering::Relaxed) {
            return;
        }
        let processed = process::process(article, tagger);
        if processed.passages.is_empty() {
            empty.push(ReadWarning {
                line: None,
                message: format!("article {} has no body text; skipped", processed.article.id),
            });
            return;
        }
        articles += 1;
        batch.push(processed);
        if batch.len() >= BATCH_ARTICLES {
            let articles = std::mem::replace(&mut batch, Vec::with_capacity(BATCH_ARTICLES));
            let _ = out.send(WorkerMsg::Articles {
                job: job.clone(),
                articles,
            });
        }
    };
    let result = read::read_reader(
        &mut input,
        &job.path,
        &job.id_base,
        job.format,
        &mut on_article,
    );
    if !batch.is_empty() {
        let _ = out.send(WorkerMsg::Articles {
            job: job.clone(),
            articles: batch,
        });
    }
    if stop.load(Ordering::Relaxed) {
        // Articles after the stop were not processed: the file must not be recorded as
        // indexed, or the next ingest would skip it as unchanged.
        return FileOutcome::Interrupted;
    }
    match result {
        Ok(report) => {
            let lost = (report.skipped + empty.len()) as u64;
            let mut warnings = report.warnings;
            warnings.extend(empty);
            if articles == 0 {
                let message = "no article in file".to_string();
                return FileOutcome::Failed {
                    message,
                    warnings,
                    kept: 0,
                };
            }
            let hash = match known_hash {
                Some(hash) => hash,
                None => match input.finish() {
                    Ok(hash) => hash,
                    Err(e) => return failed(e.to_string()),
                },
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
            }
        }
        Err(e) => FileOutcome::Failed {
            message: e.to_string(),
            warnings: empty,
            kept: articles,
        },
    }
}

fn failed(message: String) -> FileOutcome {
    FileOutcome::Failed {
        message,
        warnings: Vec::new(),
        kept: 0,
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
