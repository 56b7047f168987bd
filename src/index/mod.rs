//! Opening, creating and locking a gazette index on disk.
//!
//! Takes an index folder, gives a [`GazetteIndex`] (the tantivy index plus its field
//! handles) after checking that it was written by a compatible gazette. Writing goes
//! through [`writer::IndexSink`], which holds the folder's [`lock::WriteLock`].

pub mod lock;
pub mod merge;
pub mod records;
pub mod writer;

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tantivy::Index;
use tantivy::directory::MmapDirectory;

use crate::schema::{self, Fields, SCHEMA_VERSION};
use crate::shards::{self, Shard, UnionDirectory};

/// Errors a caller may want to branch on when opening an index.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    #[error("no index at {0}: run `gazette ingest` first (or pass --index)")]
    Missing(PathBuf),
    #[error(
        "the index at {path} was written by an incompatible gazette ({found}; this gazette \
         writes schema {SCHEMA_VERSION}): re-ingest with `gazette ingest --rebuild --index {path}`"
    )]
    Incompatible { path: PathBuf, found: String },
    #[error("index is being written by another process (pid {pid}): {path}")]
    Locked { path: PathBuf, pid: String },
    #[error("{context}: {source}")]
    Tantivy {
        context: String,
        #[source]
        source: tantivy::TantivyError,
    },
    #[error("{context}: {source}")]
    Io {
        context: String,
        #[source]
        source: std::io::Error,
    },
    /// A staged folder (`ingest --staged`) that cannot be read.
    #[error("staged files: {0}")]
    Staged(String),
}

/// Bytes of stored passages per compressed doc-store block (tantivy's default is 16 KiB).
/// Every hit shown decompresses the block holding it, and the hits of a broad `--all`
/// query are spread over the whole store, so smaller blocks make each hit cheaper:
/// measured on 44,500 BBC articles, 4 KiB blocks stream 122,000 hits 30% faster for a
/// store 15% larger. Read from the index when it was created; older indexes keep theirs.
pub const DOCSTORE_BLOCKSIZE: usize = 4096;

/// The file in the index folder caching the near-duplicate groups of the last commit
/// (see `search::groups`); derived from the index, so wiped with it.
pub const GROUPS_FILE: &str = "groups.bin";

/// The file marking an index merged from a shard set (`gazette merge`): it keeps each
/// shard's record of every file, so its file records repeat (see
/// [`GazetteIndex::repeats_file_records`]).
pub const MERGED_FILE: &str = "merged-from-shards";

/// What gazette records with every commit, in tantivy's commit payload.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct CommitInfo {
    /// Schema version of the writer; see [`SCHEMA_VERSION`].
    pub gazette_schema: u32,
    /// Version of the gazette binary that made the commit.
    pub gazette_version: String,
    /// Whether the ingest that made this commit had finished (false for the periodic
    /// commits of a running ingest).
    pub complete: bool,
    /// The shard of a shard set this index is (`ingest --shard`), if it is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard: Option<Shard>,
}

/// An opened index with its field handles. A clone shares the opened index.
#[derive(Clone)]
pub struct GazetteIndex {
    pub index: Index,
    pub fields: Fields,
    pub path: PathBuf,
    /// A shard set's shards, as it was opened (which segments each holds).
    union: Option<UnionDirectory>,
}

impl GazetteIndex {
    /// Opens an existing index for reading, refusing one written by another schema. A
    /// shard set (see [`crate::shards`]) opens as the one index of all its shards.
    pub fn open(path: &Path) -> Result<GazetteIndex, IndexError> {
        if shards::is_shard_set(path) {
            return GazetteIndex::open_shard_set(path);
        }
        if !path.join("meta.json").is_file() {
            return Err(IndexError::Missing(path.to_path_buf()));
        }
        let index = Index::open_in_dir(path).map_err(|e| incompatible_or(path, e))?;
        check_version(&index, path)?;
        let (expected, fields) = schema::build_schema();
        if index.schema() != expected {
            return Err(IndexError::Incompatible {
                path: path.to_path_buf(),
                found: "a different field layout".into(),
            });
        }
        schema::register_tokenizers(&index);
        Ok(GazetteIndex {
            index,
            fields,
            path: path.to_path_buf(),
            union: None,
        })
    }

    /// The segments of shard `k` of the shard set this index is, as the set opened
    /// them; an error when it is no shard set or has no shard `k`.
    pub fn shard_segments(
        &self,
        k: u32,
    ) -> Result<std::collections::HashSet<tantivy::index::SegmentId>, IndexError> {
        let invalid = |found: String| IndexError::Incompatible {
            path: self.path.clone(),
            found,
        };
        let union =
            (self.union.as_ref()).ok_or_else(|| invalid("an index, not a shard set".into()))?;
        let count = union.shard_count();
        if k as usize >= count {
            return Err(invalid(format!(
                "a set of {count} shards, with no shard {k}"
            )));
        }
        (union.segment_ids(k as usize).into_iter())
            .map(|id| {
                tantivy::index::SegmentId::from_uuid_string(id)
                    .map_err(|e| invalid(format!("segment {id} of shard {k}: {e}")))
            })
            .collect()
    }

    /// Opens the shard set at `path` read-only, as the union of its shards' segments (see
    /// [`open_shard_union`] for what is checked).
    fn open_shard_set(path: &Path) -> Result<GazetteIndex, IndexError> {
        let invalid = |found: String| IndexError::Incompatible {
            path: path.to_path_buf(),
            found,
        };
        let (dirs, union) = open_shard_union(path)?;
        let mut index = Index::open(union.clone()).map_err(|source| IndexError::Tantivy {
            context: format!("opening the shard set {}", path.display()),
            source,
        })?;
        // Each shard is (at least) a segment of the union, and tantivy searches segments
        // in parallel given an executor: the shards are searched on every core.
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        if cores > 1 && dirs.len() > 1 {
            index
                .set_multithread_executor(cores.min(dirs.len()))
                .map_err(|source| IndexError::Tantivy {
                    context: "starting the search threads".into(),
                    source,
                })?;
        }
        let (expected, fields) = schema::build_schema();
        if index.schema() != expected {
            return Err(invalid("a different field layout".into()));
        }
        schema::register_tokenizers(&index);
        Ok(GazetteIndex {
            index,
            fields,
            path: path.to_path_buf(),
            union: Some(union),
        })
    }

    /// Opens the index at `path`, creating the folder and an empty index when there is none.
    /// With `rebuild`, an existing index (even an incompatible one) is wiped first; only
    /// files tantivy or gazette wrote there are removed.
    pub fn open_or_create(path: &Path, rebuild: bool) -> Result<GazetteIndex, IndexError> {
        if rebuild && path.join("meta.json").exists() {
            wipe(path)?;
        }
        if path.join("meta.json").is_file() {
            return GazetteIndex::open(path);
        }
        std::fs::create_dir_all(path).map_err(|source| IndexError::Io {
            context: format!("creating index folder {}", path.display()),
            source,
        })?;
        let (schema, fields) = schema::build_schema();
        let dir = MmapDirectory::open(path).map_err(|e| IndexError::Tantivy {
            context: format!("opening index folder {}", path.display()),
            source: e.into(),
        })?;
        let settings = tantivy::IndexSettings {
            docstore_blocksize: DOCSTORE_BLOCKSIZE,
            ..Default::default()
        };
        let index = Index::create(dir, schema, settings).map_err(|source| IndexError::Tantivy {
            context: format!("creating index in {}", path.display()),
            source,
        })?;
        schema::register_tokenizers(&index);
        Ok(GazetteIndex {
            index,
            fields,
            path: path.to_path_buf(),
            union: None,
        })
    }

    /// Whether the index may hold several records of one file: a shard set (each shard
    /// recorded every file it read) or an index merged from one. Counts of files and
    /// BM25's count of documents then leave the repeats out.
    pub fn repeats_file_records(&self) -> bool {
        shards::is_shard_set(&self.path) || self.path.join(MERGED_FILE).exists()
    }

    /// The commit info of the last commit, if gazette made one.
    pub fn commit_info(&self) -> Option<CommitInfo> {
        read_commit_info(&self.index)
    }

    /// A reader of the last commit that moves to a later one only when reloaded (no
    /// watcher thread): what a process reading one commit needs.
    pub fn manual_reader(&self) -> tantivy::Result<tantivy::IndexReader> {
        self.index
            .reader_builder()
            .reload_policy(tantivy::ReloadPolicy::Manual)
            .try_into()
    }
}

/// The shard folders of the set at `path`, in shard order, and the union of their
/// segments, after checking the manifest and each shard's last commit (read once, from
/// its `meta.json`: opening every shard as an index would cost each query as much again
/// per shard): written by this schema, and the shard the manifest lists it as. The field
/// layout is checked on the union.
pub(crate) fn open_shard_union(path: &Path) -> Result<(Vec<PathBuf>, UnionDirectory), IndexError> {
    let invalid = |found: String| IndexError::Incompatible {
        path: path.to_path_buf(),
        found,
    };
    let manifest = shards::Manifest::read(path).map_err(invalid)?;
    let dirs = manifest.shard_dirs(path).map_err(invalid)?;
    if let Some(dir) = dirs.iter().find(|d| !d.join("meta.json").is_file()) {
        return Err(IndexError::Missing(dir.clone()));
    }
    let union = UnionDirectory::open(&dirs).map_err(|source| IndexError::Io {
        context: format!("opening the shards of {}", path.display()),
        source,
    })?;
    for (k, dir) in dirs.iter().enumerate() {
        let info = union
            .payload(k)
            .and_then(|p| serde_json::from_str::<CommitInfo>(p).ok())
            .ok_or_else(|| IndexError::Incompatible {
                path: dir.clone(),
                found: "an index without a gazette commit".into(),
            })?;
        if info.gazette_schema != SCHEMA_VERSION {
            return Err(IndexError::Incompatible {
                path: dir.clone(),
                found: format!(
                    "schema {} by gazette {}",
                    info.gazette_schema, info.gazette_version
                ),
            });
        }
        let expected = Shard {
            index: k as u32,
            count: dirs.len() as u32,
            by: manifest.by(),
        };
        if info.shard != Some(expected) {
            let recorded = info
                .shard
                .map_or("not a shard".to_string(), |s| s.to_string());
            return Err(invalid(format!(
                "{} is listed as shard {expected} but was built as {recorded}",
                dir.display()
            )));
        }
    }
    Ok((dirs, union))
}

fn read_commit_info(index: &Index) -> Option<CommitInfo> {
    parse_commit_info(&index.load_metas().ok()?)
}

fn parse_commit_info(metas: &tantivy::IndexMeta) -> Option<CommitInfo> {
    serde_json::from_str(metas.payload.as_deref()?).ok()
}

fn check_version(index: &Index, path: &Path) -> Result<(), IndexError> {
    let metas = index.load_metas().map_err(|e| incompatible_or(path, e))?;
    // A freshly created index that never saw a commit has no payload and no segments.
    if metas.payload.is_none() && metas.segments.is_empty() {
        return Ok(());
    }
    match parse_commit_info(&metas) {
        Some(info) if info.gazette_schema == SCHEMA_VERSION => Ok(()),
        Some(info) => Err(IndexError::Incompatible {
            path: path.to_path_buf(),
            found: format!(
                "schema {} by gazette {}",
                info.gazette_schema, info.gazette_version
            ),
        }),
        None => Err(IndexError::Incompatible {
            path: path.to_path_buf(),
            found: "not a gazette index".into(),
        }),
    }
}

/// A tantivy error on open usually means a foreign or damaged index; say so.
fn incompatible_or(path: &Path, err: tantivy::TantivyError) -> IndexError {
    match err {
        tantivy::TantivyError::SchemaError(_)
        | tantivy::TantivyError::IncompatibleIndex(_)
        | tantivy::TantivyError::DataCorruption(_) => IndexError::Incompatible {
            path: path.to_path_buf(),
            found: err.to_string(),
        },
        other => IndexError::Tantivy {
            context: format!("opening index {}", path.display()),
            source: other,
        },
    }
}

/// Removes the index files from `path`, leaving anything else (a README) in place.
fn wipe(path: &Path) -> Result<(), IndexError> {
    let entries = std::fs::read_dir(path).map_err(|source| IndexError::Io {
        context: format!("reading index folder {}", path.display()),
        source,
    })?;
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let ours = name == "meta.json"
            || name == ".managed.json"
            || name.starts_with(".tantivy")
            || name.ends_with(".idx")
            || name.ends_with(".pos")
            || name.ends_with(".term")
            || name.ends_with(".store")
            || name.ends_with(".fast")
            || name.ends_with(".fieldnorm")
            || name.ends_with(".del")
            || name == GROUPS_FILE
            || name == MERGED_FILE;
        if ours {
            std::fs::remove_file(entry.path()).map_err(|source| IndexError::Io {
                context: format!("removing {}", entry.path().display()),
                source,
            })?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opening_a_missing_index_says_to_ingest() {
        let dir = tempfile::tempdir().unwrap();
        let err = GazetteIndex::open(dir.path()).err().unwrap();
        assert!(
            err.to_string().contains("run `gazette ingest` first"),
            "{err}"
        );
    }

    #[test]
    fn a_foreign_index_is_refused_with_a_re_ingest_hint() {
        let dir = tempfile::tempdir().unwrap();
        let mut b = tantivy::schema::Schema::builder();
        let f = b.add_text_field("body", tantivy::schema::TEXT);
        let index = Index::create_in_dir(dir.path(), b.build()).unwrap();
        let mut w: tantivy::IndexWriter = index.writer(15_000_000).unwrap();
        w.add_document(tantivy::doc!(f => "hello")).unwrap();
        w.commit().unwrap();
        let err = GazetteIndex::open(dir.path()).err().unwrap();
        assert!(matches!(err, IndexError::Incompatible { .. }), "{err}");
        assert!(err.to_string().contains("--rebuild"), "{err}");
        // --rebuild replaces it.
        let idx = GazetteIndex::open_or_create(dir.path(), true).unwrap();
        assert_eq!(idx.index.schema(), schema::build_schema().0);
    }

    #[test]
    fn a_new_index_uses_small_doc_store_blocks_and_keeps_them() {
        let dir = tempfile::tempdir().unwrap();
        let created = GazetteIndex::open_or_create(dir.path(), false).unwrap();
        assert_eq!(
            created.index.settings().docstore_blocksize,
            DOCSTORE_BLOCKSIZE
        );
        drop(created);
        let reopened = GazetteIndex::open(dir.path()).unwrap();
        assert_eq!(
            reopened.index.settings().docstore_blocksize,
            DOCSTORE_BLOCKSIZE
        );
    }
}
