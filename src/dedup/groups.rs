//! From the sketches of every article in an index to groups of copies.
//!
//! Takes [`Record`]s (id, publication time, sketch), gives [`Groups`] ([`compute`]): LSH
//! over the MinHash signatures names candidate pairs, [`super::copies`] decides each, and the
//! pairs that are copies join their articles (union-find), so the groups are the
//! connected components of "is a copy of". A group's first article is the earliest
//! published (undated articles after dated ones), ties broken by the smallest id. The
//! answer is a function of the set of records alone: the same whatever order they come
//! in, so whatever the threads or the order files were read.

use std::collections::HashMap;

use super::table::Groups;
use super::{BANDS, ROWS, Sketch, containment, copies};

/// One article as the grouping sees it.
#[derive(Clone, Debug)]
pub struct Record {
    pub id: String,
    /// Publication time, seconds since the epoch.
    pub published: Option<i64>,
    pub sketch: Sketch,
}

/// One article of a group.
#[derive(Clone, Debug, PartialEq)]
pub struct Member {
    pub id: String,
    /// [`containment`] with the group's first article (1 for the first itself). A member
    /// joined through another copy may fall below the threshold.
    pub similarity: f64,
}

/// Articles that are copies of one story, first article first, then by publication and id.
#[derive(Clone, Debug, PartialEq)]
pub struct Group {
    pub members: Vec<Member>,
}

impl Group {
    /// The id of the first article: the group's id.
    pub fn id(&self) -> &str {
        &self.members[0].id
    }
}

/// Groups `records` (any order; ids are unique in an index, a repeated id is taken once)
/// into the groups of more than one article.
pub fn compute(mut records: Vec<Record>) -> Groups {
    records.sort_by(|a, b| a.id.cmp(&b.id));
    records.dedup_by(|a, b| a.id == b.id);
    let mut sets = UnionFind::new(records.len());
    for_candidate_pairs(&records, |a, b| {
        if sets.find(a) != sets.find(b) && copies(&records[a].sketch, &records[b].sketch) {
            sets.union(a, b);
        }
    });
    let mut components: HashMap<usize, Vec<&Record>> = HashMap::new();
    for (i, record) in records.iter().enumerate() {
        components.entry(sets.find(i)).or_default().push(record);
    }
    let groups: Vec<Group> = components.into_values().filter_map(group).collect();
    Groups::from_groups(&groups)
}

/// The groups of components found elsewhere (the Spark job's connected components of
/// "is a copy of", [`super::exchange`]): each component's articles with their records,
/// as [`compute`] would have found them. A component of one article is no group.
pub fn from_components(components: Vec<Vec<Record>>) -> Groups {
    let groups: Vec<Group> = components
        .iter()
        .filter_map(|c| group(c.iter().collect()))
        .collect();
    Groups::from_groups(&groups)
}

/// The group of one component: first the earliest published (undated after dated), ties
/// by id; each member with its containment in the first. `None` for a single article.
fn group(mut members: Vec<&Record>) -> Option<Group> {
    if members.len() < 2 {
        return None;
    }
    members.sort_by_key(|r| (r.published.is_none(), r.published, r.id.clone()));
    let first = &members[0].sketch.shingles;
    let members = members
        .iter()
        .map(|r| Member {
            id: r.id.clone(),
            similarity: round(containment(first, &r.sketch.shingles)),
        })
        .collect();
    Some(Group { members })
}

/// Four decimals: enough to read, and the same in every output format and run.
fn round(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

/// Calls `visit(a, b)`, `a < b`, for each pair of records that share a whole band of their
/// signatures (a pair sharing several bands is visited once per band). Records too short
/// to group take no part. The pairs are visited as they are found, never collected: the
/// copies of a story in k feeds make k(k-1)/2 pairs in every band, which for a story
/// syndicated hundreds of times is more memory than the records themselves. The
/// connected components, all the caller keeps, do not depend on the order of visits.
fn for_candidate_pairs(records: &[Record], mut visit: impl FnMut(usize, usize)) {
    let mut keyed: Vec<(u64, usize)> = Vec::with_capacity(records.len());
    for band in 0..BANDS {
        keyed.clear();
        keyed.extend(
            records
                .iter()
                .enumerate()
                .filter(|(_, r)| has_bands(&r.sketch))
                .map(|(i, r)| (band_key(&r.sketch, band), i)),
        );
        keyed.sort_unstable();
        for bucket in keyed.chunk_by(|x, y| x.0 == y.0).filter(|b| b.len() > 1) {
            for (k, &(_, a)) in bucket.iter().enumerate() {
                for &(_, b) in &bucket[k + 1..] {
                    visit(a, b);
                }
            }
        }
    }
}

/// The LSH key of each band of an article's signature, or `None` for an article too
/// short to group: two articles are candidate copies when they share the key of a band
/// (the same band).
pub fn band_keys(sketch: &Sketch) -> Option<[u64; BANDS]> {
    has_bands(sketch).then(|| std::array::from_fn(|band| band_key(sketch, band)))
}

/// Whether an article takes part in the grouping: long enough, with a whole signature.
fn has_bands(sketch: &Sketch) -> bool {
    sketch.groupable() && sketch.signature.len() == BANDS * ROWS
}

/// A band's rows, 16 bits each, as one integer.
fn band_key(sketch: &Sketch, band: usize) -> u64 {
    const { assert!(ROWS * 16 <= 64) };
    sketch.signature[band * ROWS..(band + 1) * ROWS]
        .iter()
        .fold(0u64, |key, &v| (key << 16) | u64::from(v))
}

/// Disjoint sets over `0..n`, with path halving and union by index (the smaller root
/// wins, so the structure does not depend on the order of unions).
struct UnionFind {
    parent: Vec<usize>,
}

impl UnionFind {
    fn new(n: usize) -> Self {
        UnionFind {
            parent: (0..n).collect(),
        }
    }

    fn find(&mut self, mut x: usize) -> usize {
        while self.parent[x] != x {
            self.parent[x] = self.parent[self.parent[x]];
            x = self.parent[x];
        }
        x
    }

    fn union(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        let (keep, join) = (ra.min(rb), ra.max(rb));
        self.parent[join] = keep;
    }
}
