//! Writing processed articles into the index.
//!
//! Takes [`ProcessedArticle`]s grouped by corpus file, gives tantivy documents. A file's
//! old passages are deleted (by `file_key`) before its new ones are added, and its file
//! record is added last, in the same commit: the ingest commits only between whole files
//! (see `ingest`), so every committed passage has its file's record, re-ingest is
//! idempotent, an interrupted ingest resumes without duplicates, and `--prune` can remove
//! every passage of a vanished file. A file only part of which went in gets a
//! [`FileRecord::partial`] record.

use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use serde::Serialize;
use tantivy::collector::{DocSetCollector, TopDocs};
use tantivy::index::SegmentId;
use tantivy::indexer::UserOperation;
use tantivy::query::{BooleanQuery, Occur, TermQuery};
use tantivy::schema::{Document, IndexRecordOption, Value};
use tantivy::{IndexWriter, Searcher, TantivyDocument, Term};

use super::lock::WriteLock;
use super::{CommitInfo, GazetteIndex, IndexError};
use crate::model::{DateMention, EntityKind, EntityMention};
use crate::process::ProcessedArticle;
use crate::schema::{self, KIND_ARTICLE, KIND_FILE, KIND_PASSAGE, SCHEMA_VERSION};

/// What the index knows about one corpus file it holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileRecord {
    pub size: u64,
    /// Modification time, nanoseconds since the epoch.
    pub mtime: i64,
    /// blake3 of the file's bytes, hex.
    pub hash: String,
    pub articles: u64,
}

impl FileRecord {
    /// Two shards' records of one file as one: the articles of both. Records of different
    /// versions of the file (it changed between the shards' builds) give a partial record,
    /// so the next ingest reads the file again.
    pub fn combined(&self, other: FileRecord) -> FileRecord {
        let articles = self.articles + other.articles;
        if (self.size, self.mtime, &self.hash) == (other.size, other.mtime, &other.hash) {
            FileRecord { articles, ..other }
        } else {
            FileRecord::partial(other.size, articles)
        }
    }

    /// The record of a file only part of which went in (Ctrl-C, or an error, came while it
    /// was read): it holds the file's `articles` for `--prune`, and with no mtime and no
    /// hash it never matches the file, so the next ingest reads the file again.
    pub fn partial(size: u64, articles: u64) -> FileRecord {
        FileRecord {
            size,
            mtime: i64::MIN,
            hash: String::new(),
            articles,
        }
    }
}

/// An open writer on an index folder, holding its lock.
pub struct IndexSink {
    pub gazette: GazetteIndex,
    writer: IndexWriter<Queued>,
    /// How many added documents tantivy's indexing threads have not yet taken.
    gate: Arc<Gate>,
    /// The segments the index had before this ingest wrote any (see `finish`).
    old_segments: HashSet<SegmentId>,
    /// The shard this index is, recorded in every commit (`ingest --shard`).
    pub shard: Option<crate::shards::Shard>,
    _lock: WriteLock,
}

/// Tantivy's own minimum per indexing thread.
const MIN_MEMORY_PER_THREAD: usize = 15_000_000;

impl IndexSink {
    /// Locks and opens (or creates) the index at `path` for writing. `memory_bytes` is the
    /// writer's total indexing budget, shared by `threads` indexing threads.
    pub fn open(
        path: &Path,
        rebuild: bool,
        threads: usize,
        memory_bytes: usize,
    ) -> Result<(IndexSink, Option<String>), IndexError> {
        let lock = WriteLock::acquire(path)?;
        let stale = lock.stale_pid.clone();
        let mut gazette = GazetteIndex::open_or_create(path, rebuild)?;
        // Each indexing thread compresses its own doc-store blocks, rather than handing
        // every 4 KB block (`DOCSTORE_BLOCKSIZE`) to a compressor thread of its own and
        // waking it: on a machine whose cores the workers already fill, that thread bought
        // no parallelism and cost a thread switch per block (lz4 is 1.5% of an ingest's
        // CPU). The blocks are the same, compressed the same way; only meta.json records
        // the setting (tantivy keeps it with the index settings), which readers ignore.
        gazette
            .index
            .settings_mut()
            .docstore_compress_dedicated_thread = false;
        let threads = threads
            .clamp(1, 8)
            .min((memory_bytes / MIN_MEMORY_PER_THREAD).max(1));
        // tantivy takes between 15 MB and just under 4 GB per indexing thread.
        let memory = memory_bytes
            .max(threads * MIN_MEMORY_PER_THREAD)
            .min(threads * 4_000_000_000);
        let writer = gazette
            .index
            .writer_with_num_threads::<Queued>(threads, memory)
            .map_err(|source| IndexError::Tantivy {
                context: "opening the index writer".into(),
                source,
            })?;
        // No merges while ingesting: they would race the one merge `finish` makes, and an
        // ingest that is interrupted loses nothing by having more, smaller segments.
        writer.set_merge_policy(Box::new(tantivy::indexer::NoMergePolicy));
        let old_segments = gazette
            .index
            .searchable_segment_ids()
            .map_err(tantivy_err("listing segments"))?
            .into_iter()
            .collect();
        Ok((
            IndexSink {
                gazette,
                writer,
                gate: Arc::default(),
                old_segments,
                shard: None,
                _lock: lock,
            },
            stale,
        ))
    }

    /// The index as this ingest found it: its file records, and the ids of its articles.
    /// Drop it before [`IndexSink::finish`]: it holds the segments it reads.
    pub fn committed(&self) -> Result<Committed, IndexError> {
        Ok(Committed {
            searcher: self.reader()?.searcher(),
            fields: self.gazette.fields.clone(),
        })
    }

    fn reader(&self) -> Result<tantivy::IndexReader, IndexError> {
        self.gazette
            .index
            .reader()
            .map_err(tantivy_err("opening an index reader"))
    }

    /// Removes everything that came from the file `key` (passages and record).
    pub fn delete_file(&self, key: &str) {
        self.writer
            .delete_term(Term::from_field_text(self.gazette.fields.file_key, key));
        self.delete_file_record_only(key);
    }

    /// Removes the record of the file `key` but keeps its passages (the file was touched
    /// but its bytes did not change).
    pub fn delete_file_record_only(&self, key: &str) {
        self.writer
            .delete_term(Term::from_field_text(self.gazette.fields.record_key, key));
    }

    /// Removes every passage of the article `id`, whichever file it came from, so an id
    /// that moves between files is not indexed twice.
    pub fn delete_article(&self, id: &str) {
        self.writer
            .delete_term(Term::from_field_text(self.gazette.fields.article_id, id));
    }

    /// Adds the passages of one article read from the file `key`, and its article record
    /// (which carries the same `article_id` and `file_key`, so it goes with them).
    pub fn add_article(
        &self,
        key: &str,
        processed: &ProcessedArticle,
    ) -> Result<usize, IndexError> {
        let f = &self.gazette.fields;
        let article = &processed.article;
        let mut batch = Vec::with_capacity(processed.passages.len() + 1);
        for passage in &processed.passages {
            let mut doc = TantivyDocument::default();
            doc.add_text(f.kind, KIND_PASSAGE);
            doc.add_text(f.file_key, key);
            doc.add_text(f.article_id, &article.id);
            doc.add_u64(f.passage, passage.ordinal as u64);
            doc.add_u64(f.start, passage.start as u64);
            doc.add_u64(f.end, passage.end as u64);
            doc.add_text(f.text, &passage.text);
            doc.add_text(f.title, &article.title);
            if let Some(source) = &article.source {
                doc.add_text(f.source, source);
            }
            if let Some(url) = &article.url {
                doc.add_text(f.url, url);
            }
            doc.add_text(f.path, &article.path);
            if let Some(published) = article.published {
                doc.add_date(f.published, to_tantivy_date(published.at));
                doc.add_text(f.date_origin, published.origin.as_str());
            }
            if let Some(crawled) = article.crawled {
                doc.add_date(f.crawled, to_tantivy_date(crawled));
            }
            add_entities(&mut doc, f, &passage.entities);
            add_dates(&mut doc, f, &passage.dates);
            batch.push(doc);
        }
        if !processed.passages.is_empty() {
            let mut doc = TantivyDocument::default();
            doc.add_text(f.kind, KIND_ARTICLE);
            doc.add_text(f.file_key, key);
            doc.add_text(f.article_id, &article.id);
            if let Some(source) = &article.source {
                doc.add_text(f.source, source);
            }
            doc.add_text(f.path, &article.path);
            if let Some(published) = article.published {
                doc.add_date(f.published, to_tantivy_date(published.at));
            }
            doc.add_bytes(f.sketch, &processed.sketch.to_bytes());
            batch.push(doc);
        }
        self.add(batch)
            .map_err(tantivy_err("adding an article's passages"))?;
        Ok(processed.passages.len())
    }

    /// Hands `docs` to tantivy's indexing threads as one batch. The article's documents go
    /// as one message, not one each, and once [`MAX_QUEUED`] documents wait for the
    /// indexing threads, this waits until they are down to [`RESUME_QUEUED`]: the
    /// documents waiting take the same memory as before batching (tantivy's channel holds
    /// up to 10,000 messages, which were single documents), and this thread sleeps and
    /// wakes once per few thousand documents instead of once per document. (Together with
    /// the compression change in `open`, a BBC x4 ingest switched threads about 2,000
    /// times instead of 45,000, with 3-11% less CPU time in two series of paired runs.)
    fn add(&self, docs: Vec<TantivyDocument>) -> tantivy::Result<()> {
        if docs.is_empty() {
            return Ok(());
        }
        self.gate.wait_for_room(docs.len());
        let batch: Vec<_> = docs
            .into_iter()
            .map(|doc| {
                UserOperation::Add(Queued {
                    doc,
                    gate: Arc::clone(&self.gate),
                })
            })
            .collect();
        self.writer.run(batch).map(|_| ())
    }

    /// Records that the file `key` is fully indexed.
    pub fn add_file_record(&self, key: &str, record: &FileRecord) -> Result<(), IndexError> {
        let f = &self.gazette.fields;
        let mut doc = TantivyDocument::default();
        doc.add_text(f.kind, KIND_FILE);
        doc.add_text(f.record_key, key);
        doc.add_u64(f.file_size, record.size);
        doc.add_i64(f.file_mtime, record.mtime);
        doc.add_text(f.file_hash, &record.hash);
        doc.add_u64(f.file_articles, record.articles);
        self.add(vec![doc])
            .map_err(tantivy_err("adding a file record"))?;
        Ok(())
    }

    /// Commits everything added so far, recording `complete` in the commit payload.
    pub fn commit(&mut self, complete: bool) -> Result<(), IndexError> {
        let info = CommitInfo {
            gazette_schema: SCHEMA_VERSION,
            gazette_version: env!("CARGO_PKG_VERSION").to_string(),
            complete,
            shard: self.shard,
        };
        let payload = serde_json::to_string(&info).expect("commit info serializes");
        let mut prepared = self
            .writer
            .prepare_commit()
            .map_err(tantivy_err("preparing a commit"))?;
        prepared.set_payload(&payload);
        prepared.commit().map_err(tantivy_err("committing"))?;
        Ok(())
    }

    /// Drops everything added since the last commit.
    pub fn rollback(&mut self) -> Result<(), IndexError> {
        self.writer
            .rollback()
            .map_err(tantivy_err("rolling back"))?;
        Ok(())
    }

    /// Merges every segment into one and commits: the end of `gazette merge`.
    pub fn finish_into_one(mut self) -> Result<(), IndexError> {
        let ids: Vec<_> = self
            .gazette
            .index
            .searchable_segment_ids()
            .map_err(tantivy_err("listing segments"))?;
        let ids = if ids.len() > 1 { ids } else { Vec::new() };
        self.merge_and_commit(&ids)?;
        self.writer
            .wait_merging_threads()
            .map_err(tantivy_err("waiting for merges"))?;
        Ok(())
    }

    /// Merges `ids` (none: no merge) into one segment, then commits a finished ingest.
    fn merge_and_commit(&mut self, ids: &[SegmentId]) -> Result<(), IndexError> {
        if !ids.is_empty() {
            self.writer
                .merge(ids)
                .wait()
                .map_err(tantivy_err("merging segments"))?;
        }
        self.commit(true)
    }

    /// Merges the index into few segments so queries open few files, then waits for the
    /// merge threads. Consumes the sink (and releases the lock).
    ///
    /// `meanwhile` runs after the merge, before the writer closes: whatever work ran
    /// beside the merge ends there (ingest joins its grouping thread). Its reader may have
    /// held the merged-away segments through the merge's clean-up, so their files are
    /// collected once more after it.
    pub fn finish<T>(
        mut self,
        merge: bool,
        meanwhile: impl FnOnce() -> T,
    ) -> Result<T, IndexError> {
        // Background merges are off (see `open`), so the segment list cannot change under
        // this merge.
        if merge {
            // The metas are dropped before merging: tantivy keeps the files of every
            // segment whose meta is alive, so holding them would leave the merged-away
            // segments on disk.
            let ids: Vec<_> = {
                let metas = self
                    .gazette
                    .index
                    .searchable_segment_metas()
                    .map_err(tantivy_err("listing segments"))?;
                let sizes: Vec<SegmentSize> = metas
                    .iter()
                    .map(|m| SegmentSize {
                        alive: m.num_docs(),
                        deleted: m.num_deleted_docs(),
                        new: !self.old_segments.contains(&m.id()),
                    })
                    .collect();
                segments_to_merge(&sizes)
                    .into_iter()
                    .map(|i| metas[i].id())
                    .collect()
            };
            self.merge_and_commit(&ids)?;
        }
        let done = meanwhile();
        self.writer
            .garbage_collect_files()
            .wait()
            .map_err(tantivy_err("deleting merged-away segments"))?;
        self.writer
            .wait_merging_threads()
            .map_err(tantivy_err("waiting for merges"))?;
        Ok(done)
    }
}

/// Every live file record of `searcher`, with its file key, in index order (a shard set
/// holds one per shard for each file).
pub fn read_file_records(
    searcher: &Searcher,
    f: &schema::Fields,
) -> Result<Vec<(String, FileRecord)>, IndexError> {
    let query = TermQuery::new(
        Term::from_field_text(f.kind, KIND_FILE),
        IndexRecordOption::Basic,
    );
    let mut docs: Vec<_> = searcher
        .search(&query, &DocSetCollector)
        .map_err(tantivy_err("reading file records"))?
        .into_iter()
        .collect();
    docs.sort();
    let mut records = Vec::with_capacity(docs.len());
    for addr in docs {
        let doc: TantivyDocument = searcher
            .doc(addr)
            .map_err(tantivy_err("reading a file record"))?;
        let key = doc
            .get_first(f.record_key)
            .and_then(|v| v.as_str())
            .unwrap_or_default();
        let record = FileRecord {
            size: doc
                .get_first(f.file_size)
                .and_then(|v| v.as_u64())
                .unwrap_or(0),
            mtime: doc
                .get_first(f.file_mtime)
                .and_then(|v| v.as_i64())
                .unwrap_or(0),
            hash: doc
                .get_first(f.file_hash)
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .into(),
            articles: doc
                .get_first(f.file_articles)
                .and_then(|v| v.as_u64())
                .unwrap_or(0),
        };
        records.push((key.to_string(), record));
    }
    Ok(records)
}

/// The committed index as an ingest began (one searcher for all it asks).
pub struct Committed {
    searcher: Searcher,
    fields: schema::Fields,
}

impl Committed {
    /// Every file record in the committed index, by file key; an index merged from a
    /// shard set holds one per shard, taken together.
    pub fn file_records(&self) -> Result<HashMap<String, FileRecord>, IndexError> {
        let mut files: HashMap<String, FileRecord> = HashMap::new();
        for (key, record) in read_file_records(&self.searcher, &self.fields)? {
            match files.entry(key) {
                Entry::Vacant(new) => {
                    new.insert(record);
                }
                Entry::Occupied(mut held) => {
                    let held = held.get_mut();
                    *held = held.combined(record);
                }
            }
        }
        Ok(files)
    }

    /// Keys of files whose passages the committed index holds without the file's record.
    /// Only an index written by a gazette that could commit part of a file (a `kill -9`
    /// between its batches) has any; `--prune` looks for them so it can remove them.
    pub fn unrecorded_files(
        &self,
        records: &HashMap<String, FileRecord>,
    ) -> Result<Vec<String>, IndexError> {
        let mut keys = std::collections::BTreeSet::new();
        for segment in self.searcher.segment_readers() {
            let inverted = segment
                .inverted_index(self.fields.file_key)
                .map_err(tantivy_err("reading file keys"))?;
            let mut terms = inverted.terms().stream().map_err(|e| IndexError::Io {
                context: "reading file keys".into(),
                source: e,
            })?;
            while terms.advance() {
                if let Ok(key) = std::str::from_utf8(terms.key())
                    && !records.contains_key(key)
                {
                    keys.insert(key.to_string());
                }
            }
        }
        // A key whose passages are all deleted (not merged away yet) holds nothing.
        let mut held = Vec::new();
        for key in keys {
            let term = Term::from_field_text(self.fields.file_key, &key);
            let query = TermQuery::new(term, IndexRecordOption::Basic);
            let alive = self
                .searcher
                .search(&query, &tantivy::collector::Count)
                .map_err(tantivy_err("counting passages of a file"))?;
            if alive > 0 {
                held.push(key);
            }
        }
        Ok(held)
    }

    /// Whether the index holds article `id` from another file than `key`, and from which:
    /// a new file brings an id the index already has (two corpora whose ids collide, or a
    /// file that moved), and its article will replace the held one.
    pub fn from_other_file(&self, id: &str, key: &str) -> Held {
        let searcher = &self.searcher;
        let id_term = Term::from_field_text(self.fields.article_id, id);
        // A term lookup rules out almost every article before any query runs.
        match searcher.doc_freq(&id_term) {
            Ok(0) => return Held::Nowhere,
            Ok(_) => {}
            Err(_) => return Held::Unknown,
        }
        let elsewhere = BooleanQuery::new(vec![
            (
                Occur::Must,
                Box::new(TermQuery::new(id_term, IndexRecordOption::Basic)),
            ),
            (
                Occur::MustNot,
                Box::new(TermQuery::new(
                    Term::from_field_text(self.fields.file_key, key),
                    IndexRecordOption::Basic,
                )),
            ),
        ]);
        let Ok(top) = searcher.search(&elsewhere, &TopDocs::with_limit(1).order_by_score()) else {
            return Held::Unknown;
        };
        // Held only under `key` itself (a file an interrupted ingest left unrecorded): its
        // old passages go with the file.
        let Some((_, address)) = top.first() else {
            return Held::Nowhere;
        };
        match searcher.doc::<TantivyDocument>(*address) {
            Ok(doc) => Held::Elsewhere(
                doc.get_first(self.fields.path)
                    .and_then(|v| v.as_str())
                    .unwrap_or_default()
                    .to_string(),
            ),
            Err(_) => Held::Unknown,
        }
    }
}

/// What the committed index holds of an article id, besides the file being read.
#[derive(Debug)]
pub enum Held {
    /// Nothing: the article needs no deleting before it is added.
    Nowhere,
    /// The article, from the file at this path.
    Elsewhere(String),
    /// Not known (not asked, or the lookup failed): delete the id to be safe.
    Unknown,
}

/// Documents of a segment, for choosing what to merge.
#[derive(Clone, Copy, Debug)]
struct SegmentSize {
    alive: u32,
    deleted: u32,
    /// Written by this ingest (not in the index when the sink was opened).
    new: bool,
}

/// A segment is left alone when it is this many times larger than all smaller segments
/// together: merging it would mostly copy it.
const KEEP_FACTOR: u64 = 4;
/// ... unless more than this share of its documents (in percent) are deleted: a merge
/// reclaims them.
const MAX_DELETED_PERCENT: u64 = 10;

/// Which segments (indexes into `sizes`) the end of an ingest merges into one.
///
/// The segments this ingest wrote always become one, so a first ingest ends as a single
/// segment. Older segments are kept when each is `KEEP_FACTOR` times larger than all
/// smaller segments together (the new ones counted as one): after an incremental ingest
/// into a large index the large segment stays as it is, and only the new and the small
/// segments are merged, so adding a few articles does not rewrite the whole index; the
/// small ones grow until they are a fair share of the large one and a later merge takes
/// it in too. An index of N documents so ends with at most about log4(N) + 1 segments,
/// and each document is rewritten O(log N) times over the life of the index.
fn segments_to_merge(sizes: &[SegmentSize]) -> Vec<usize> {
    let new_alive: u64 = sizes
        .iter()
        .filter(|s| s.new)
        .map(|s| u64::from(s.alive))
        .sum();
    let mut old: Vec<usize> = (0..sizes.len()).filter(|&i| !sizes[i].new).collect();
    old.sort_by_key(|&i| std::cmp::Reverse(sizes[i].alive));
    // Largest first, keep old segments while each dominates everything smaller; the new
    // segments, as one, are never kept, so the keeping stops at them.
    let mut rest: u64 = sizes.iter().map(|s| u64::from(s.alive)).sum();
    let mut kept = Vec::new();
    for i in old {
        let (alive, deleted) = (u64::from(sizes[i].alive), u64::from(sizes[i].deleted));
        if alive < new_alive {
            break;
        }
        rest -= alive;
        let dominant = alive >= KEEP_FACTOR * rest;
        let clean = deleted * 100 <= MAX_DELETED_PERCENT * (alive + deleted);
        if !(dominant && clean) {
            break;
        }
        kept.push(i);
    }
    let merged: Vec<usize> = (0..sizes.len()).filter(|i| !kept.contains(i)).collect();
    // One clean segment alone needs no merge.
    if merged.len() == 1 && sizes[merged[0]].deleted == 0 {
        return Vec::new();
    }
    merged
}

/// Entity mention as stored with a passage (offsets relative to the passage text).
#[derive(Serialize)]
struct StoredEntity<'a> {
    start: usize,
    end: usize,
    text: &'a str,
    #[serde(rename = "type")]
    kind: EntityKind,
    canonical: &'a str,
}

/// Documents that may wait for the indexing threads before the writer waits too.
const MAX_QUEUED: usize = 10_000;
/// Waiting documents below which a waiting writer goes on.
const RESUME_QUEUED: usize = MAX_QUEUED / 2;
/// The longest the writer waits for room at a time. Longer than the indexing threads take
/// for 5,000 documents (about 0.2 s on one core); shorter than a segment's serialization
/// at a large memory budget may take, during which the writer sends a batch a second.
const MAX_WAIT: Duration = Duration::from_secs(1);

/// A count of the documents handed to tantivy that its indexing threads have not yet
/// indexed, which the writer waits on (see [`IndexSink::add`]).
struct Gate {
    queued: AtomicUsize,
    waiting: AtomicBool,
    lock: Mutex<()>,
    room: Condvar,
    max_wait: Duration,
}

impl Default for Gate {
    fn default() -> Gate {
        Gate {
            queued: AtomicUsize::new(0),
            waiting: AtomicBool::new(false),
            lock: Mutex::new(()),
            room: Condvar::new(),
            max_wait: MAX_WAIT,
        }
    }
}

impl Gate {
    /// Counts `n` more documents, first waiting, when [`MAX_QUEUED`] are already queued,
    /// until no more than [`RESUME_QUEUED`] are, or for at most [`MAX_WAIT`]: an indexing
    /// thread that died with documents queued never releases them (they are dropped with
    /// the writer), and the writer learns of its death from the next send, which fails.
    fn wait_for_room(&self, n: usize) {
        if self.queued.load(Ordering::SeqCst) >= MAX_QUEUED {
            let deadline = Instant::now() + self.max_wait;
            let mut guard = self.lock.lock().unwrap_or_else(|e| e.into_inner());
            self.waiting.store(true, Ordering::SeqCst);
            while self.queued.load(Ordering::SeqCst) > RESUME_QUEUED {
                let Some(left) = deadline.checked_duration_since(Instant::now()) else {
                    break;
                };
                guard = self
                    .room
                    .wait_timeout(guard, left)
                    .unwrap_or_else(|e| e.into_inner())
                    .0;
            }
            self.waiting.store(false, Ordering::SeqCst);
        }
        self.queued.fetch_add(n, Ordering::SeqCst);
    }

    /// One document indexed (or dropped with the writer's queue).
    fn release(&self) {
        let left = self.queued.fetch_sub(1, Ordering::SeqCst) - 1;
        if left <= RESUME_QUEUED && self.waiting.load(Ordering::SeqCst) {
            let _guard = self.lock.lock().unwrap_or_else(|e| e.into_inner());
            self.room.notify_all();
        }
    }
}

/// A document on its way to tantivy's indexing threads, counted in the [`Gate`] until
/// they are done with it.
struct Queued {
    doc: TantivyDocument,
    gate: Arc<Gate>,
}

impl Drop for Queued {
    fn drop(&mut self) {
        self.gate.release();
    }
}

impl Document for Queued {
    type Value<'a> = <TantivyDocument as Document>::Value<'a>;
    type FieldsValuesIter<'a> = <TantivyDocument as Document>::FieldsValuesIter<'a>;

    fn iter_fields_and_values(&self) -> Self::FieldsValuesIter<'_> {
        self.doc.iter_fields_and_values()
    }
}

fn add_entities(doc: &mut TantivyDocument, f: &schema::Fields, entities: &[EntityMention]) {
    if entities.is_empty() {
        return;
    }
    let mut seen: Vec<(EntityKind, &str)> = Vec::new();
    for e in entities {
        if !seen.contains(&(e.kind, e.canonical.as_str())) {
            seen.push((e.kind, e.canonical.as_str()));
            doc.add_text(f.entity(e.kind), &e.canonical);
            doc.add_text(f.names, schema::name_form_term(e.kind, &e.canonical));
        }
    }
    let stored: Vec<StoredEntity> = entities
        .iter()
        .map(|e| StoredEntity {
            start: e.start,
            end: e.end,
            text: &e.text,
            kind: e.kind,
            canonical: &e.canonical,
        })
        .collect();
    doc.add_text(
        f.entities,
        serde_json::to_string(&stored).expect("entities serialize"),
    );
}

/// The longest range whose months are indexed one by one (about a decade); a longer range
/// ("the 20th century") stays in the stored dates but is not a `--mentions` match.
const MAX_INDEXED_MONTHS: u64 = 132;

fn add_dates(doc: &mut TantivyDocument, f: &schema::Fields, dates: &[DateMention]) {
    if dates.is_empty() {
        return;
    }
    let mut months: Vec<u64> = Vec::new();
    for d in dates {
        let Some(range) = d.range else { continue };
        use chrono::Datelike;
        let first = schema::month_number(range.start.year(), range.start.month());
        let last = schema::month_number(range.end.year(), range.end.month());
        if last < first || last - first >= MAX_INDEXED_MONTHS {
            continue;
        }
        months.extend(first..=last);
    }
    months.sort_unstable();
    months.dedup();
    for m in months {
        doc.add_u64(f.mention_month, m);
    }
    doc.add_text(
        f.dates,
        serde_json::to_string(dates).expect("dates serialize"),
    );
}

fn to_tantivy_date(at: DateTime<Utc>) -> tantivy::DateTime {
    tantivy::DateTime::from_timestamp_secs(at.timestamp())
}

fn tantivy_err(context: &'static str) -> impl Fn(tantivy::TantivyError) -> IndexError {
    move |source| IndexError::Tantivy {
        context: context.to_string(),
        source,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn queued(gate: &Arc<Gate>) -> Queued {
        Queued {
            doc: TantivyDocument::default(),
            gate: Arc::clone(gate),
        }
    }

    #[test]
    fn a_queued_document_is_counted_until_it_is_dropped() {
        let gate = Arc::new(Gate::default());
        gate.wait_for_room(2);
        let docs = [queued(&gate), queued(&gate)];
        assert_eq!(gate.queued.load(Ordering::SeqCst), 2);
        drop(docs);
        assert_eq!(gate.queued.load(Ordering::SeqCst), 0);
    }

    #[test]
    fn a_full_queue_holds_the_writer_until_it_is_half_empty() {
        let gate = Arc::new(Gate {
            // Only a release can end this wait in a test's lifetime.
            max_wait: Duration::from_secs(3600),
            ..Gate::default()
        });
        gate.wait_for_room(MAX_QUEUED);
        let mut docs: Vec<Queued> = (0..MAX_QUEUED).map(|_| queued(&gate)).collect();
        let (done_tx, done_rx) = std::sync::mpsc::channel();
        let writer = {
            let gate = Arc::clone(&gate);
            std::thread::spawn(move || {
                gate.wait_for_room(1);
                done_tx.send(()).unwrap();
            })
        };
        // Still full: the writer waits (it would have sent at once otherwise).
        assert!(done_rx.recv_timeout(Duration::from_millis(200)).is_err());
        // Indexed down to one over the resume mark: still waiting.
        docs.truncate(RESUME_QUEUED + 1);
        assert!(done_rx.recv_timeout(Duration::from_millis(200)).is_err());
        // One more and the writer goes on, with its document counted.
        docs.pop();
        done_rx
            .recv_timeout(Duration::from_secs(60))
            .expect("the writer goes on once the queue is half empty");
        writer.join().unwrap();
        assert_eq!(gate.queued.load(Ordering::SeqCst), RESUME_QUEUED + 1);
    }

    #[test]
    fn a_queue_nobody_drains_holds_the_writer_only_for_its_longest_wait() {
        // An indexing thread that died leaves its documents queued: the writer goes on
        // and learns of the death from its next send.
        let gate = Gate {
            max_wait: Duration::from_millis(20),
            ..Gate::default()
        };
        gate.wait_for_room(MAX_QUEUED);
        gate.wait_for_room(1);
        assert_eq!(gate.queued.load(Ordering::SeqCst), MAX_QUEUED + 1);
    }

    /// Segments that were in the index before this ingest: (alive, deleted).
    fn sizes(list: &[(u32, u32)]) -> Vec<SegmentSize> {
        list.iter()
            .map(|&(alive, deleted)| SegmentSize {
                alive,
                deleted,
                new: false,
            })
            .collect()
    }

    /// `old` segments, then segments this ingest wrote with `new` documents each.
    fn with_new(old: &[(u32, u32)], new: &[u32]) -> Vec<SegmentSize> {
        let mut all = sizes(old);
        all.extend(new.iter().map(|&alive| SegmentSize {
            alive,
            deleted: 0,
            new: true,
        }));
        all
    }

    #[test]
    fn a_first_ingest_becomes_one_segment() {
        let s = with_new(&[], &[50_000, 48_000, 51_000, 7_000]);
        assert_eq!(segments_to_merge(&s), vec![0, 1, 2, 3]);
        // Even when one thread wrote most of it.
        let s = with_new(&[], &[200, 40]);
        assert_eq!(segments_to_merge(&s), vec![0, 1]);
        let s = with_new(&[], &[200]);
        assert!(segments_to_merge(&s).is_empty());
    }

    #[test]
    fn new_segments_merge_with_each_other_and_the_small_old_ones() {
        let s = with_new(&[(1_000_000, 0)], &[700, 500]);
        assert_eq!(segments_to_merge(&s), vec![1, 2]);
        let s = with_new(&[(1_000_000, 0), (2_000, 0)], &[700]);
        assert_eq!(segments_to_merge(&s), vec![1, 2]);
        // A large ingest into a small index takes the small index in.
        let s = with_new(&[(1_000, 0)], &[50_000, 40_000]);
        assert_eq!(segments_to_merge(&s), vec![0, 1, 2]);
        // The new segment alone, beside a large one: nothing to merge.
        let s = with_new(&[(1_000_000, 0)], &[700]);
        assert!(segments_to_merge(&s).is_empty());
    }

    #[test]
    fn a_small_addition_does_not_rewrite_a_large_segment() {
        let s = sizes(&[(1_000_000, 0), (1_200, 0), (900, 0)]);
        assert_eq!(segments_to_merge(&s), vec![1, 2]);
        // Nothing to do for one large segment and one small one.
        let s = sizes(&[(1_000_000, 0), (2_100, 0)]);
        assert!(segments_to_merge(&s).is_empty());
        let s = sizes(&[(7, 0)]);
        assert!(segments_to_merge(&s).is_empty());
    }

    #[test]
    fn small_segments_that_grew_take_the_large_one_in() {
        // 1,000,000 < 4 × 300,000: the large segment is merged too.
        let s = sizes(&[(300_000, 0), (1_000_000, 0)]);
        assert_eq!(segments_to_merge(&s), vec![0, 1]);
    }

    #[test]
    fn tiers_of_large_segments_are_kept() {
        let s = sizes(&[(100, 0), (1_000_000, 0), (200_000, 0), (30, 0), (20_000, 0)]);
        // 1,000,000 >= 4 × 220,130, 200,000 >= 4 × 20,130 and 20,000 >= 4 × 130 are kept;
        // 100 < 4 × 30, so the two small ones merge.
        assert_eq!(segments_to_merge(&s), vec![0, 3]);
    }

    #[test]
    fn deleted_documents_are_reclaimed() {
        // A large segment with 20% deleted documents is rewritten with everything smaller.
        let s = sizes(&[(800_000, 200_000), (1_000, 0)]);
        assert_eq!(segments_to_merge(&s), vec![0, 1]);
        // A few deletes do not trigger a rewrite.
        let s = sizes(&[(990_000, 10_000), (1_000, 0)]);
        assert!(segments_to_merge(&s).is_empty());
        // A lone segment with many deletes is compacted.
        let s = sizes(&[(500, 500)]);
        assert_eq!(segments_to_merge(&s), vec![0]);
    }
}
