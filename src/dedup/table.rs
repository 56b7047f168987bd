//! The groups of an index as one byte table, looked up where it lies.
//!
//! A query shows each hit's group, so every query reads the groups; on a corpus where
//! every article has copies (BBC ×20: 44,500 grouped articles) parsing them into maps
//! would cost more than the query. The table is read as it is: the grouped articles
//! sorted by id, each with its group and similarity, so an article is found by binary
//! search, with nothing to parse or allocate.
//!
//! Layout, little-endian: magic `GZGROUP1`; `n` grouped articles and `g` groups (u32
//! each); `n` entries (id offset, id length, group index: u32; similarity: f32) sorted by
//! id bytes; `g` groups (start, length: u32, into the member order), sorted by group id;
//! the member order (`n` entry indexes, each group's first article first); the id bytes.

use super::groups::Group;

const MAGIC: &[u8; 8] = b"GZGROUP1";
const HEADER: usize = 16;
const ENTRY: usize = 16;
const GROUP: usize = 8;

/// The groups of more than one article in an index; every other article is alone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Groups {
    bytes: Vec<u8>,
    n: usize,
    g: usize,
}

impl Default for Groups {
    fn default() -> Self {
        Groups::from_groups(&[])
    }
}

/// One article of a group as the table holds it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MemberRef<'a> {
    pub id: &'a str,
    /// Containment with the group's first article (1 for the first).
    pub similarity: f64,
}

impl Groups {
    /// The table of `groups` (each with its first article first, and each article in one
    /// group), in a fixed order whatever order they come in.
    pub fn from_groups(groups: &[Group]) -> Groups {
        let mut groups: Vec<&Group> = groups.iter().filter(|g| !g.members.is_empty()).collect();
        groups.sort_by(|a, b| a.id().cmp(b.id()));
        // (id, group, similarity), sorted by id.
        let mut entries: Vec<(&str, usize, f64)> = Vec::new();
        for (gi, group) in groups.iter().enumerate() {
            entries.extend(
                group
                    .members
                    .iter()
                    .map(|m| (m.id.as_str(), gi, m.similarity)),
            );
        }
        entries.sort_by(|a, b| a.0.cmp(b.0));
        let (n, g) = (entries.len(), groups.len());
        let mut blob = Vec::new();
        let mut out = Vec::with_capacity(HEADER + n * (ENTRY + 4) + g * GROUP);
        out.extend_from_slice(MAGIC);
        out.extend(u32s([n, g]));
        for (id, gi, similarity) in &entries {
            out.extend(u32s([blob.len(), id.len(), *gi]));
            out.extend((*similarity as f32).to_le_bytes());
            blob.extend_from_slice(id.as_bytes());
        }
        let entry_of = |id: &str| {
            entries
                .binary_search_by(|e| e.0.cmp(id))
                .expect("every member has an entry")
        };
        let mut order = Vec::with_capacity(n);
        for group in &groups {
            out.extend(u32s([order.len(), group.members.len()]));
            order.extend(group.members.iter().map(|m| entry_of(&m.id)));
        }
        out.extend(u32s(order));
        out.extend(blob);
        Groups { bytes: out, n, g }
    }

    /// Reads a table written by [`Groups::bytes`]; `None` for anything else, or a table
    /// cut short. Only the header and the sizes are checked (every query reads the
    /// table): the accessors check their bounds, so a damaged table gives wrong groups
    /// (the fingerprint before it makes that unlikely), never a crash.
    pub fn from_bytes(bytes: Vec<u8>) -> Option<Groups> {
        if bytes.len() < HEADER || &bytes[..8] != MAGIC {
            return None;
        }
        let n = u32_at(&bytes, 8) as usize;
        let g = u32_at(&bytes, 12) as usize;
        let fixed = HEADER
            .checked_add(n.checked_mul(ENTRY + 4)?)?
            .checked_add(g.checked_mul(GROUP)?)?;
        if bytes.len() < fixed {
            return None;
        }
        let groups = Groups { bytes, n, g };
        // Ids are written in entry order, so the last one ends the table.
        let blob = groups.bytes.len() - fixed;
        let end = match n {
            0 => 0,
            _ => groups.entry_u32(n - 1, 0) + groups.entry_u32(n - 1, 4),
        };
        (end == blob).then_some(groups)
    }

    /// The table as stored.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// Number of groups.
    pub fn len(&self) -> usize {
        self.g
    }

    /// Whether no article has copies.
    pub fn is_empty(&self) -> bool {
        self.g == 0
    }

    /// Articles in groups of more than one.
    pub fn grouped_articles(&self) -> usize {
        self.n
    }

    /// The members of the group of `article_id`, first article first, when it has copies.
    pub fn of(&self, article_id: &str) -> Option<Vec<MemberRef<'_>>> {
        let e = self.find(article_id)?;
        Some(self.members(self.entry_u32(e, 8)))
    }

    /// The group id of an article (its own id when it has no copies) and the number of
    /// articles in its group.
    pub fn group_and_copies(&self, article_id: &str) -> (String, usize) {
        match self.find(article_id) {
            Some(e) => {
                let gi = self.entry_u32(e, 8);
                let (start, len) = self.group_range(gi);
                (self.id(self.order(start)).to_string(), len)
            }
            None => (article_id.to_string(), 1),
        }
    }

    /// Every group, ordered by group id, each first article first.
    pub fn groups(&self) -> impl Iterator<Item = Vec<MemberRef<'_>>> {
        (0..self.g).map(|gi| self.members(gi))
    }

    /// Articles that are in a group but are not its first: what `--dedup` leaves out.
    pub fn later_copies(&self) -> impl Iterator<Item = &str> {
        (0..self.g).flat_map(move |gi| {
            let (start, len) = self.group_range(gi);
            (start + 1..start + len).map(move |k| self.id(self.order(k)))
        })
    }

    fn members(&self, gi: usize) -> Vec<MemberRef<'_>> {
        let (start, len) = self.group_range(gi);
        (start..start + len)
            .map(|k| {
                let e = self.order(k);
                MemberRef {
                    id: self.id(e),
                    similarity: f64::from(f32::from_bits(self.entry_u32(e, 12) as u32)),
                }
            })
            .collect()
    }

    fn find(&self, id: &str) -> Option<usize> {
        let (mut lo, mut hi) = (0, self.n);
        while lo < hi {
            let mid = (lo + hi) / 2;
            match self.id_bytes(mid).cmp(id.as_bytes()) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return Some(mid),
            }
        }
        None
    }

    fn entry_u32(&self, e: usize, field: usize) -> usize {
        u32_at(&self.bytes, HEADER + e * ENTRY + field) as usize
    }

    /// A group's members in the member order, kept within it.
    fn group_range(&self, gi: usize) -> (usize, usize) {
        let at = HEADER + self.n * ENTRY + gi * GROUP;
        let start = (u32_at(&self.bytes, at) as usize).min(self.n);
        let len = (u32_at(&self.bytes, at + 4) as usize).clamp(1, (self.n - start).max(1));
        (start, len)
    }

    fn order(&self, k: usize) -> usize {
        u32_at(
            &self.bytes,
            HEADER + self.n * ENTRY + self.g * GROUP + k * 4,
        ) as usize
    }

    fn blob_start(&self) -> usize {
        HEADER + self.n * (ENTRY + 4) + self.g * GROUP
    }

    fn id_bytes(&self, e: usize) -> &[u8] {
        let start = self.blob_start().saturating_add(self.entry_u32(e, 0));
        let end = start.saturating_add(self.entry_u32(e, 4));
        self.bytes.get(start..end).unwrap_or_default()
    }

    fn id(&self, e: usize) -> &str {
        // Written from strings; a damaged id reads as empty.
        std::str::from_utf8(self.id_bytes(e)).unwrap_or_default()
    }
}

/// The `u32` at `at`, 0 past the end.
fn u32_at(bytes: &[u8], at: usize) -> u32 {
    bytes
        .get(at..at.saturating_add(4))
        .map_or(0, |b| u32::from_le_bytes(b.try_into().expect("four bytes")))
}

fn u32s(values: impl IntoIterator<Item = usize>) -> Vec<u8> {
    values
        .into_iter()
        .flat_map(|v| (v as u32).to_le_bytes())
        .collect()
}
