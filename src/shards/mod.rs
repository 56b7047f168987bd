//! Shard sets: a corpus split by article id over several gazette indexes, built
//! independently (on several machines, or as the tasks of a cluster job) and read as one.
//!
//! A shard is an ordinary index built by `gazette ingest --shard K/N`, which indexes only
//! the articles whose id falls to shard K of N ([`Shard::holds`]: a stable hash of the id,
//! the same on every machine) and records `K/N` in its commits; or, with
//! `--partition-by month`, whose publication month does ([`By`]; recorded as
//! `K/N by month`). A shard set is a folder
//! holding a [`Manifest`] (`shards.json`) and the shards it names; every one of the N
//! shards must be there, once. Reading one opens the union of the shards' segments
//! (`union`) as one tantivy index, so every read command answers as a single index built
//! from the same corpus would.

mod union;

use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use serde::{Deserialize, Serialize};

pub use union::UnionDirectory;

/// The manifest's file name inside a shard set folder.
pub const MANIFEST: &str = "shards.json";

/// Shard `index` of `count`, of a set partitioned `by` article id or by a column.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Shard {
    pub index: u32,
    pub count: u32,
    pub by: By,
}

/// What decides an article's shard: the hash of its [`key`](By) modulo the shard count.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum By {
    /// The article id: shards of about equal size.
    #[default]
    Id,
    /// The publication month (`YYYY-MM`, empty when undated): each month's articles are
    /// in one shard, as a table bucketed by a column.
    Month,
}

impl By {
    /// The name `--partition-by` takes and a shard prints (`3/16 by month`).
    pub fn name(self) -> &'static str {
        match self {
            By::Id => "id",
            By::Month => "month",
        }
    }
}

impl FromStr for By {
    type Err = String;

    fn from_str(s: &str) -> Result<By, String> {
        match s {
            "id" => Ok(By::Id),
            "month" => Ok(By::Month),
            _ => Err(format!("{s:?} is no partitioning: expected id or month")),
        }
    }
}

impl Shard {
    /// Whether the article whose partitioning key (its id, or its publication month: see
    /// [`By`]) is `key` belongs to this shard: the first 8 bytes of the key's BLAKE3
    /// hash, little-endian, modulo the shard count. Fixed across machines, platforms and
    /// gazette versions, since shards built apart must agree.
    pub fn holds(&self, key: &str) -> bool {
        shard_of(key, self.count) == self.index
    }
}

/// The shard of `count` that the partitioning key `key` falls to.
pub fn shard_of(key: &str, count: u32) -> u32 {
    let hash = blake3::hash(key.as_bytes());
    let first: [u8; 8] = hash.as_bytes()[..8].try_into().expect("8 bytes");
    (u64::from_le_bytes(first) % u64::from(count.max(1))) as u32
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)?;
        match self.by {
            By::Id => Ok(()),
            by => write!(f, " by {}", by.name()),
        }
    }
}

impl FromStr for Shard {
    type Err = String;

    fn from_str(s: &str) -> Result<Shard, String> {
        let bad = || {
            format!("{s:?} is not a shard: expected K/N, 0 <= K < N, as in 3/16 (or 3/16 by month)")
        };
        let (s, by) = match s.split_once(" by ") {
            Some((shard, by)) => (shard, by.trim().parse().map_err(|_| bad())?),
            None => (s, By::Id),
        };
        let (k, n) = s.split_once('/').ok_or_else(bad)?;
        let index: u32 = k.trim().parse().map_err(|_| bad())?;
        let count: u32 = n.trim().parse().map_err(|_| bad())?;
        if count == 0 || index >= count {
            return Err(bad());
        }
        Ok(Shard { index, count, by })
    }
}

impl Serialize for Shard {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Shard {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Shard, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// `shards.json`: the shards of a set and how they were made.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Manifest {
    /// The gazette version that wrote the manifest.
    pub gazette_version: String,
    pub shards: Vec<ManifestShard>,
    /// How the set was built (the command or job and its arguments), for the record.
    #[serde(default)]
    pub arguments: Vec<String>,
}

/// One shard in a [`Manifest`].
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct ManifestShard {
    /// The shard's index folder, relative to the shard set folder.
    pub path: String,
    pub shard: Shard,
    pub articles: u64,
    pub passages: u64,
}

impl Manifest {
    /// Reads the manifest of the shard set at `dir`.
    pub fn read(dir: &Path) -> Result<Manifest, String> {
        let path = dir.join(MANIFEST);
        let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        serde_json::from_slice(&bytes).map_err(|e| format!("{}: {e}", path.display()))
    }

    /// Writes the manifest into `dir`, whole or not at all.
    pub fn write(&self, dir: &Path) -> std::io::Result<()> {
        let path = dir.join(MANIFEST);
        let tmp = dir.join(format!("{MANIFEST}.{}.tmp", std::process::id()));
        let mut bytes = serde_json::to_vec_pretty(self).map_err(std::io::Error::other)?;
        bytes.push(b'\n');
        std::fs::write(&tmp, bytes)?;
        std::fs::rename(&tmp, path)
    }

    /// How the set is partitioned: as its first shard ([`Manifest::shard_dirs`] checks
    /// that every shard is).
    pub fn by(&self) -> By {
        self.shards.first().map_or(By::Id, |s| s.shard.by)
    }

    /// The shards' folders, checked to be every shard of one count, each once, in shard
    /// order.
    pub fn shard_dirs(&self, dir: &Path) -> Result<Vec<PathBuf>, String> {
        let Some(count) = self.shards.first().map(|s| s.shard.count) else {
            return Err(format!("{} lists no shards", dir.join(MANIFEST).display()));
        };
        let mut found: Vec<Option<&ManifestShard>> = vec![None; count as usize];
        for s in &self.shards {
            if s.shard.count != count {
                return Err(format!(
                    "{} mixes shards of {count} and of {}",
                    dir.join(MANIFEST).display(),
                    s.shard.count
                ));
            }
            if s.shard.by != self.by() {
                return Err(format!(
                    "{} mixes shards partitioned by {} and by {}",
                    dir.join(MANIFEST).display(),
                    self.by().name(),
                    s.shard.by.name()
                ));
            }
            if found[s.shard.index as usize].replace(s).is_some() {
                return Err(format!(
                    "{} lists shard {} twice",
                    dir.join(MANIFEST).display(),
                    s.shard
                ));
            }
        }
        found
            .iter()
            .enumerate()
            .map(|(k, s)| match s {
                Some(s) => Ok(dir.join(&s.path)),
                None => Err(format!(
                    "the shard set at {} is missing shard {k}/{count}",
                    dir.display()
                )),
            })
            .collect()
    }
}

/// Whether `dir` is a shard set (has a manifest) rather than an index.
pub fn is_shard_set(dir: &Path) -> bool {
    dir.join(MANIFEST).is_file()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_parse_and_print_as_k_of_n() {
        let s: Shard = "3/16".parse().unwrap();
        assert_eq!(
            s,
            Shard {
                index: 3,
                count: 16,
                by: By::Id
            }
        );
        assert_eq!(s.to_string(), "3/16");
        let m: Shard = "3/16 by month".parse().unwrap();
        assert_eq!((m.index, m.count, m.by), (3, 16, By::Month));
        assert_eq!(m.to_string(), "3/16 by month");
        assert_eq!("3/16 by id".parse::<Shard>().unwrap(), s);
        for bad in ["16/16", "1/0", "3", "a/4", "-1/4", "3/16 by day", "3/16 by"] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
    }

    #[test]
    fn every_id_is_in_exactly_one_shard_and_the_split_is_fixed() {
        let shards: Vec<Shard> = (0..4)
            .map(|index| Shard {
                index,
                count: 4,
                by: By::Id,
            })
            .collect();
        let mut sizes = [0; 4];
        for i in 0..4000 {
            let id = format!("bbc/business/{i:03}.txt");
            let holders: Vec<_> = shards.iter().filter(|s| s.holds(&id)).collect();
            assert_eq!(holders.len(), 1, "{id}");
            sizes[holders[0].index as usize] += 1;
        }
        assert!(sizes.iter().all(|&n| n > 850 && n < 1150), "{sizes:?}");
        // The split must not change between versions: shards built apart must agree.
        assert_eq!(
            shard_of("bbc/business/001.txt", 16),
            shard_of("bbc/business/001.txt", 16)
        );
        assert_eq!(
            (0..8)
                .map(|i| shard_of(&format!("a{i}"), 7))
                .collect::<Vec<_>>(),
            fixed_split()
        );
    }

    /// `shard_of("a0".."a7", 7)`, as first computed: a change of hash shows here.
    fn fixed_split() -> Vec<u32> {
        vec![2, 5, 4, 0, 4, 6, 5, 6]
    }

    #[test]
    fn a_manifest_must_name_every_shard_once() {
        let shard = |k: u32, n: u32| ManifestShard {
            path: format!("shard-{k}"),
            shard: Shard {
                index: k,
                count: n,
                by: By::Id,
            },
            articles: 0,
            passages: 0,
        };
        let manifest = |shards| Manifest {
            gazette_version: "0".into(),
            shards,
            arguments: vec![],
        };
        let dir = Path::new("set");
        let ok = manifest(vec![shard(1, 2), shard(0, 2)])
            .shard_dirs(dir)
            .unwrap();
        assert_eq!(ok, vec![dir.join("shard-0"), dir.join("shard-1")]);
        let missing = manifest(vec![shard(0, 3), shard(2, 3)]).shard_dirs(dir);
        assert!(missing.unwrap_err().contains("missing shard 1/3"));
        let twice = manifest(vec![shard(0, 2), shard(0, 2)]).shard_dirs(dir);
        assert!(twice.unwrap_err().contains("twice"));
        let mixed = manifest(vec![shard(0, 2), shard(1, 3)]).shard_dirs(dir);
        assert!(mixed.unwrap_err().contains("mixes"));
        let mut by_month = shard(1, 2);
        by_month.shard.by = By::Month;
        let mixed = manifest(vec![shard(0, 2), by_month.clone()]).shard_dirs(dir);
        assert!(
            mixed
                .unwrap_err()
                .contains("partitioned by id and by month")
        );
        let mut month_0 = shard(0, 2);
        month_0.shard.by = By::Month;
        let months = manifest(vec![month_0, by_month]);
        assert_eq!(months.by(), By::Month);
        assert_eq!(months.shard_dirs(dir).unwrap().len(), 2);
    }
}
