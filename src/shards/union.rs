//! The segments of every shard of a set, seen by tantivy as one read-only index.
//!
//! A shard is a complete gazette index; its segments are self-contained files named by a
//! random segment id. [`UnionDirectory`] answers tantivy's reads from the shard that holds
//! each file and presents a `meta.json` listing every shard's segments, so one
//! `Searcher` covers them all: BM25 statistics, counts, facets and term dictionaries are
//! the whole set's, exactly as in one index holding the same documents.

use std::collections::HashMap;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tantivy::Directory;
use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    DirectoryLock, FileHandle, Lock, MmapDirectory, WatchCallback, WatchHandle, WritePtr,
};

const META: &str = "meta.json";

/// The shards' files and their union's `meta.json`. Cloning shares them.
#[derive(Clone, Debug)]
pub struct UnionDirectory {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    shards: Vec<MmapDirectory>,
    /// Segment id (32 hex digits, as in file names) → the shard holding its files.
    segments: HashMap<String, usize>,
    /// Each shard's commit payload, as its `meta.json` has it.
    payloads: Vec<Option<String>>,
    meta: Vec<u8>,
}

impl UnionDirectory {
    /// The union of the indexes in `dirs`: their `meta.json` files joined (the first
    /// one's settings, schema and payload; every one's segments; the largest opstamp).
    pub fn open(dirs: &[PathBuf]) -> io::Result<UnionDirectory> {
        let mut shards = Vec::with_capacity(dirs.len());
        let mut segments = HashMap::new();
        let mut union: Option<serde_json::Value> = None;
        let mut all_segments = Vec::new();
        let mut opstamp = 0u64;
        let mut payloads = Vec::with_capacity(dirs.len());
        for (i, dir) in dirs.iter().enumerate() {
            let mmap = MmapDirectory::open(dir).map_err(io::Error::other)?;
            let bytes = std::fs::read(dir.join(META))?;
            let meta: serde_json::Value = serde_json::from_slice(&bytes)
                .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
            opstamp = opstamp.max(meta["opstamp"].as_u64().unwrap_or(0));
            for segment in meta["segments"].as_array().into_iter().flatten() {
                let id = segment["segment_id"]
                    .as_str()
                    .ok_or_else(|| io::Error::other("a segment without an id"))?
                    .replace('-', "");
                if segments.insert(id.clone(), i).is_some() {
                    return Err(io::Error::other(format!(
                        "segment {id} is in two shards: a shard was copied"
                    )));
                }
                all_segments.push(segment.clone());
            }
            if let Some(first) = &union
                && first["schema"] != meta["schema"]
            {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!(
                        "{} has another field layout than the first shard",
                        dir.display()
                    ),
                ));
            }
            payloads.push(meta["payload"].as_str().map(str::to_string));
            union.get_or_insert(meta);
            shards.push(mmap);
        }
        let mut meta = union.ok_or_else(|| io::Error::other("a shard set without shards"))?;
        meta["segments"] = serde_json::Value::Array(all_segments);
        meta["opstamp"] = opstamp.into();
        Ok(UnionDirectory {
            inner: Arc::new(Inner {
                shards,
                segments,
                payloads,
                meta: serde_json::to_vec(&meta).map_err(io::Error::other)?,
            }),
        })
    }

    /// The commit payload of shard `shard` (its place in the `dirs` opened).
    pub fn payload(&self, shard: usize) -> Option<&str> {
        self.inner.payloads.get(shard)?.as_deref()
    }

    /// How many shards the union joins.
    pub fn shard_count(&self) -> usize {
        self.inner.shards.len()
    }

    /// The ids (as in file names) of the segments of shard `shard`.
    pub fn segment_ids(&self, shard: usize) -> Vec<&str> {
        let mut ids: Vec<&str> = (self.inner.segments.iter())
            .filter(|&(_, &s)| s == shard)
            .map(|(id, _)| id.as_str())
            .collect();
        ids.sort_unstable();
        ids
    }

    /// The union's `meta.json`.
    pub fn meta(&self) -> &[u8] {
        &self.inner.meta
    }

    /// The shard holding `path`, a segment file.
    fn shard(&self, path: &Path) -> Option<&MmapDirectory> {
        let name = path.file_name()?.to_str()?;
        let id = name.split('.').next()?;
        self.inner.segments.get(id).map(|&i| &self.inner.shards[i])
    }
}

fn read_only(path: &Path) -> io::Error {
    io::Error::new(
        io::ErrorKind::PermissionDenied,
        format!("a shard set is read-only: cannot write {}", path.display()),
    )
}

impl Directory for UnionDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        match self.shard(path) {
            Some(shard) => shard.get_file_handle(path),
            None => Err(OpenReadError::FileDoesNotExist(path.to_path_buf())),
        }
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        Err(DeleteError::IoError {
            io_error: Arc::new(read_only(path)),
            filepath: path.to_path_buf(),
        })
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        if path == Path::new(META) {
            return Ok(true);
        }
        match self.shard(path) {
            Some(shard) => shard.exists(path),
            None => Ok(false),
        }
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        Err(OpenWriteError::IoError {
            io_error: Arc::new(read_only(path)),
            filepath: path.to_path_buf(),
        })
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        if path == Path::new(META) {
            return Ok(self.inner.meta.clone());
        }
        match self.shard(path) {
            Some(shard) => shard.atomic_read(path),
            None => Err(OpenReadError::FileDoesNotExist(path.to_path_buf())),
        }
    }

    fn atomic_write(&self, path: &Path, _data: &[u8]) -> io::Result<()> {
        Err(read_only(path))
    }

    fn sync_directory(&self) -> io::Result<()> {
        Ok(())
    }

    /// Readers take the meta lock while they load segments; nothing writes a union, so
    /// there is nothing to wait for.
    fn acquire_lock(&self, _lock: &Lock) -> Result<DirectoryLock, LockError> {
        Ok(DirectoryLock::from(Box::new(())))
    }

    /// A union is a snapshot of its shards when opened: it never reloads.
    fn watch(&self, _callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        Ok(WatchHandle::empty())
    }
}
