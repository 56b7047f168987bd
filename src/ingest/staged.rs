//! Ingest in two stages, for a cluster that reads the corpus itself (the Spark job in
//! `scripts/spark/` reading HDFS, S3 or Parquet): files are read in one place and their
//! articles indexed in another, shard by shard.
//!
//! 1. The read stage ([`read_listed`], `gazette extract --staged N`): each file, copied to
//!    the task's disk, is read as ingest reads it (same readers, same article ids, web
//!    pages extracted) into one [`StagedFile`]: the file's record (key, size, hash), what
//!    reading it gave (warnings, records lost or passed over) and its articles, each with
//!    the shard of N its key falls to (its id, or with `--partition-by month` its
//!    publication month: [`super::shard_key`], as the index stage's check computes it).
//! 2. The cluster moves every article to its shard's task, in file order.
//! 3. The index stage (`gazette ingest --staged DIR --shard K/N`): `DIR/files.jsonl` holds
//!    every file's [`StagedFile`] (without articles, with its modification time and where
//!    this shard's articles of it are in `DIR/articles.jsonl`), in walk order. Each goes
//!    through the ingest pipeline as a file would ([`StagedFile::replay`] stands in for
//!    reading it), so a shard records every file of the corpus, skips the files its last
//!    run already holds, and commits between whole files, exactly as `ingest --shard K/N`
//!    over the same files does.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use serde::{Deserialize, Serialize};

use crate::corpus::{self, SkipReason};
use crate::model::Article;
use crate::read::{self, ReadError, ReadReport, ReadWarning};
use crate::shards;

/// The index stage's file list, inside the staged folder.
pub const FILES: &str = "files.jsonl";
/// The index stage's articles, inside the staged folder.
pub const ARTICLES: &str = "articles.jsonl";

/// One file for the read stage: where its bytes are on this machine and what the corpus
/// calls it.
#[derive(Clone, Debug, Deserialize)]
pub struct ToRead {
    /// Position of the file in the corpus's walk order (files sorted by path).
    pub seq: u64,
    /// A copy of the file's bytes on this machine. Its name decides the format.
    pub local: PathBuf,
    /// The file as the corpus names it (a path or a URI): every article's `path`.
    pub path: String,
    /// The key of the file's record: its canonical path, or its URI.
    pub key: String,
    /// The base of the ids of articles that carry none: the corpus folder's name and
    /// the path below it (`bbc/business/001.txt`), as a local ingest derives it.
    pub id_base: String,
}

/// How reading a file went.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Read; its articles (maybe none) follow.
    #[default]
    Read,
    /// Not an article file (hidden, documentation, unsupported format): not recorded.
    Skipped,
    /// It could not be read; `message` says why.
    Failed,
}

/// A file as the read stage gives it, and as the index stage takes it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct StagedFile {
    pub seq: u64,
    pub key: String,
    pub path: String,
    pub status: Status,
    /// Why it was skipped or failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    #[serde(default)]
    pub size: u64,
    /// Modification time, nanoseconds since the epoch: filled in by the cluster, from its
    /// listing of the corpus (the read stage sees only a copy).
    #[serde(default)]
    pub mtime: i64,
    /// blake3 of the file's bytes, hex (empty unless read).
    #[serde(default)]
    pub hash: String,
    /// Problems in parts of the file (broken lines, entries without a body...).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<ReadWarning>,
    /// Fields of the file's records that gazette does not use.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unknown_fields: Vec<String>,
    /// Records of the file that could not be read as articles, each with a warning.
    #[serde(default)]
    pub lost: u64,
    /// Web archive records passed over on purpose, by reason.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub passed: BTreeMap<String, u64>,
    /// Articles read from the file, all shards together.
    #[serde(default)]
    pub total: u64,
    /// Read stage: the articles, in file order, each with its shard.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub articles: Vec<StagedArticle>,
    /// Index stage: this shard's articles of the file are `count` lines of
    /// `articles.jsonl`, `len` bytes from byte `offset`.
    #[serde(default)]
    pub offset: u64,
    #[serde(default)]
    pub len: u64,
    #[serde(default)]
    pub count: u64,
}

/// An article as read, and the shard its key falls to.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StagedArticle {
    pub shard: u32,
    pub article: Article,
}

/// The read stage: reads `file` as ingest would and gives it staged, its articles
/// assigned to shards of `shards` partitioned `by` id or month.
pub fn read_listed(file: &ToRead, shards: u32, by: shards::By) -> StagedFile {
    let mut staged = StagedFile {
        seq: file.seq,
        key: file.key.clone(),
        path: file.path.clone(),
        ..StagedFile::default()
    };
    // Hidden and documentation files are judged by the corpus's name for the file, the
    // format by the copy's (the Spark job names a Parquet file's rows `….jsonl`).
    let format = match corpus::format_of(Path::new(&file.path)) {
        Ok(_) | Err(SkipReason::UnsupportedFormat) => corpus::format_of(&file.local),
        Err(reason) => Err(reason),
    };
    let format = match format {
        Ok(format) => format,
        Err(reason) => {
            staged.status = Status::Skipped;
            staged.message = Some(reason.to_string());
            return staged;
        }
    };
    let bytes = match std::fs::read(&file.local) {
        Ok(bytes) => bytes,
        Err(e) => return failed(staged, &ReadError::from(e)),
    };
    staged.size = bytes.len() as u64;
    staged.hash = blake3::hash(&bytes).to_hex().to_string();
    let mut articles = Vec::new();
    let result = read::read_reader(
        &bytes[..],
        Path::new(&file.path),
        &file.id_base,
        format,
        &mut |article| articles.push(article),
    );
    staged.total = articles.len() as u64;
    staged.articles = articles
        .into_iter()
        .map(|article| StagedArticle {
            shard: shards::shard_of(&super::shard_key(&article, by), shards),
            article,
        })
        .collect();
    match result {
        Ok(report) => {
            staged.warnings = report.warnings;
            staged.lost = report.skipped as u64;
            staged.unknown_fields = report.unknown_fields.into_iter().collect();
            staged.passed = (report.records_passed.into_iter())
                .map(|(reason, n)| (reason.to_string(), n))
                .collect();
            staged
        }
        // Articles read before the error stay, as in an ingest (a partial record).
        Err(e) => failed(staged, &e),
    }
}

fn failed(mut staged: StagedFile, error: &ReadError) -> StagedFile {
    staged.status = Status::Failed;
    staged.message = Some(error.to_string());
    staged
}

/// The index stage's file list: `DIR/files.jsonl`, in order.
pub fn read_files(dir: &Path) -> Result<Vec<StagedFile>, String> {
    let path = dir.join(FILES);
    let file = std::fs::File::open(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut files = Vec::new();
    for (n, line) in BufReader::new(file).lines().enumerate() {
        let line = line.map_err(|e| format!("{}: {e}", path.display()))?;
        if line.trim().is_empty() {
            continue;
        }
        let staged: StagedFile = serde_json::from_str(&line)
            .map_err(|e| format!("{}: line {}: {e}", path.display(), n + 1))?;
        files.push(staged);
    }
    Ok(files)
}

impl StagedFile {
    /// What reading the file gave, again: this shard's articles of it from
    /// `DIR/articles.jsonl` handed to `on_article` in file order, and the report reading
    /// it made, the other shards' articles counted as passed over. A failed file gives
    /// its articles, then its error, as reading it did.
    pub fn replay(
        &self,
        dir: &Path,
        on_article: &mut dyn FnMut(Article),
    ) -> Result<ReadReport, ReadError> {
        let mut report = ReadReport {
            warnings: self.warnings.clone(),
            skipped: self.lost as usize,
            unknown_fields: self.unknown_fields.iter().cloned().collect(),
            ..ReadReport::default()
        };
        for (reason, n) in &self.passed {
            *report.records_passed.entry(intern(reason)).or_default() += n;
        }
        if self.count > 0 {
            let mut file = std::fs::File::open(dir.join(ARTICLES))?;
            file.seek(SeekFrom::Start(self.offset))?;
            let lines = BufReader::new(file.take(self.len)).lines();
            for (n, line) in lines.enumerate() {
                let article: Article = serde_json::from_str(&line?).map_err(|e| {
                    ReadError::Staged(format!(
                        "{ARTICLES}: article {} of {}: {e}",
                        n + 1,
                        self.key
                    ))
                })?;
                report.articles += 1;
                on_article(article);
            }
            if report.articles as u64 != self.count {
                return Err(ReadError::Staged(format!(
                    "{ARTICLES} holds {} articles of {}, {FILES} says {}",
                    report.articles, self.key, self.count
                )));
            }
        }
        let others = self.total.saturating_sub(report.articles as u64);
        if others > 0 {
            *report
                .records_passed
                .entry(super::IN_OTHER_SHARDS)
                .or_default() += others;
        }
        match self.status {
            Status::Failed => Err(ReadError::Staged(
                self.message.clone().unwrap_or_else(|| "not read".into()),
            )),
            _ => Ok(report),
        }
    }
}

/// A reason as the `&'static str` the report keys by: the few reasons there are, each
/// allocated once for the process.
fn intern(reason: &str) -> &'static str {
    static SEEN: OnceLock<Mutex<Vec<&'static str>>> = OnceLock::new();
    let mut seen = SEEN.get_or_init(Default::default).lock().unwrap();
    if let Some(known) = seen.iter().find(|r| **r == reason) {
        return known;
    }
    let new: &'static str = Box::leak(reason.to_string().into_boxed_str());
    seen.push(new);
    new
}
