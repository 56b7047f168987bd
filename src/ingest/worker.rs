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
    let hash = match hash_file(&job.path) {
        Ok(h) => h,
        Err(e) => {
            return FileOutcome::Failed {
                message: e.to_string(),
                warnings: Vec::new(),
                kept: 0,
            };
        }
    };
    if let Some(previous) = &job.previous
        && previous.hash == hash
        && previous.size == job.size
    {
        let record = FileRecord {
            mtime: job.mtime,
            ..previous.clone()
        };
        return FileOutcome::Unchanged { record };
    }

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
    let result = read::read_file(&job.path, &job.id_base, job.format, &mut on_article);
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

fn hash_file(path: &std::path::Path) -> std::io::Result<String> {
    let mut file = std::fs::File::open(path)?;
    let mut hasher = blake3::Hasher::new();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hasher.finalize().to_hex().to_string())
}
