//! `gazette merge`: a shard set into one ordinary index, when it fits one machine.
//!
//! The shards' segment files are copied into the new folder under a `meta.json` that lists
//! them all (the union a shard set is read as) and merged into one segment. Nothing is
//! deleted before that merge, so its statistics are exact (tantivy estimates a field's
//! token count from the lossy field norms when a merged segment had deletions, and BM25
//! would shift): the shards' repeated file records stay, marked by [`MERGED_FILE`], and
//! are taken together wherever files are counted or read.

use std::path::Path;

use super::writer::IndexSink;
use super::{IndexError, MERGED_FILE};

/// What a merge did.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MergeSummary {
    pub shards: usize,
    pub segments: usize,
}

/// Merges the shard set at `set` into a new index at `out` (a missing or empty folder),
/// with `threads` merging threads and `memory_bytes` for the writer.
pub fn merge_shard_set(
    set: &Path,
    out: &Path,
    threads: usize,
    memory_bytes: usize,
) -> Result<MergeSummary, IndexError> {
    let io = |context: String| move |source| IndexError::Io { context, source };
    // Every shard checked (version, that it is the shard listed, one field layout); the
    // merged index's layout is checked when the writer opens it.
    let (dirs, union) = super::open_shard_union(set)?;
    if out.exists()
        && std::fs::read_dir(out)
            .map_err(io(format!("reading {}", out.display())))?
            .next()
            .is_some()
    {
        return Err(IndexError::Io {
            context: format!("merging into {}", out.display()),
            source: std::io::Error::new(
                std::io::ErrorKind::AlreadyExists,
                "the folder is not empty: give a new folder",
            ),
        });
    }
    std::fs::create_dir_all(out).map_err(io(format!("creating {}", out.display())))?;
    let mut segments = 0;
    let mut copied: Vec<String> = Vec::new();
    for (shard, dir) in dirs.iter().enumerate() {
        let ids = union.segment_ids(shard);
        segments += ids.len();
        for entry in std::fs::read_dir(dir).map_err(io(format!("listing {}", dir.display())))? {
            let entry = entry.map_err(io(format!("listing {}", dir.display())))?;
            let name = entry.file_name();
            let name = name.to_string_lossy();
            let of_segment = name.split('.').next().is_some_and(|id| ids.contains(&id));
            if of_segment {
                std::fs::copy(entry.path(), out.join(&*name))
                    .map_err(io(format!("copying {}", entry.path().display())))?;
                copied.push(name.into_owned());
            }
        }
    }
    // tantivy deletes only the files it knows it wrote: listed here, the copied segments
    // go once merged away.
    copied.push("meta.json".into());
    let managed = serde_json::to_vec(&copied).expect("a list of names serializes");
    std::fs::write(out.join(".managed.json"), managed)
        .map_err(io(format!("writing {}/.managed.json", out.display())))?;
    std::fs::write(out.join("meta.json"), union.meta())
        .map_err(io(format!("writing {}/meta.json", out.display())))?;

    std::fs::write(out.join(MERGED_FILE), b"")
        .map_err(io(format!("writing {}/{MERGED_FILE}", out.display())))?;
    let (mut sink, _) = IndexSink::open(out, false, threads, memory_bytes)?;
    sink.shard = None;
    sink.finish_into_one()?;
    Ok(MergeSummary {
        shards: dirs.len(),
        segments,
    })
}
