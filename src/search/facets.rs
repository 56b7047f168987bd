//! Entity facets: which people, organisations, places and other names are mentioned in
//! the matching passages, and in how many.
//!
//! Counts come from the entity fields' fast columns (each article's canonical spelling),
//! per segment by term ordinal. Spellings are grouped into entities by their key
//! ([`crate::ner::normalize_name`]) and the alias table, across the four types: a
//! passage that says "OPEC" (ORG) and "Opec" (MISC) counts once for the entity, and once
//! under each type in its `types` split. An entity is listed under its majority type in
//! the whole index and named by its most frequent spelling there (see [`super::entities`]).

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Serialize;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::StrColumn;
use tantivy::index::SegmentReader;
use tantivy::schema::Schema;
use tantivy::{DocId, Score, SegmentOrdinal};

use super::aliases::Aliases;
use super::entities::NameTable;
use crate::model::EntityKind;
use crate::ner;
use crate::schema::Fields;

/// An entity and the number of matching passages that mention it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FacetCount {
    pub name: String,
    pub passages: u64,
    /// Matching passages per type the entity was tagged with (`PER`, `ORG`, `LOC`,
    /// `MISC`); a passage tagging it with two types counts under both.
    pub types: BTreeMap<&'static str, u64>,
}

/// Top co-mentioned entities by type, most mentioned first.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Facets {
    pub person: Vec<FacetCount>,
    pub org: Vec<FacetCount>,
    pub loc: Vec<FacetCount>,
    pub misc: Vec<FacetCount>,
}

/// What one entity (an alias group of keys) has in a set of passages.
#[derive(Clone, Debug, Default)]
pub(crate) struct GroupCount {
    pub passages: u64,
    /// Passages per type, in [`EntityKind::ALL`] order.
    pub by_type: [u64; 4],
    /// Listings only: passages per (type, spelling).
    pub forms: HashMap<(EntityKind, String), u64>,
    /// Listings only: the articles of those passages.
    pub articles: HashSet<String>,
}

impl GroupCount {
    fn add(&mut self, other: GroupCount) {
        self.passages += other.passages;
        for (a, b) in self.by_type.iter_mut().zip(other.by_type) {
            *a += b;
        }
        for (form, n) in other.forms {
            *self.forms.entry(form).or_default() += n;
        }
        self.articles.extend(other.articles);
    }
}

/// Counts by group key.
pub(crate) type GroupCounts = HashMap<String, GroupCount>;

/// Counts the entities of the passages it is given.
pub(crate) struct GroupCollector<'a> {
    pub fields: &'a Fields,
    pub schema: Schema,
    pub aliases: &'a Aliases,
    /// Also count spellings and articles (`gazette entities`).
    pub listing: bool,
}

const UNSEEN: u32 = u32::MAX;

pub(crate) struct GroupSegment {
    aliases: Aliases,
    listing: bool,
    columns: Vec<Option<StrColumn>>,
    /// Per column: term ordinal -> group id, [`UNSEEN`] until first met.
    group_of: Vec<Vec<u32>>,
    groups: Vec<String>,
    ids: HashMap<String, u32>,
    passages: Vec<u64>,
    by_type: Vec<[u64; 4]>,
    /// Listings: passages per column and term ordinal.
    form_counts: Vec<Vec<u64>>,
    article: Option<StrColumn>,
    articles: HashSet<(u32, u64)>,
    seen: Vec<(u32, usize)>,
    ords: Vec<(usize, u64)>,
}

impl GroupSegment {
    fn group_id(&mut self, column: usize, ord: u64) -> u32 {
        let id = self.group_of[column][ord as usize];
        if id != UNSEEN {
            return id;
        }
        let mut name = String::new();
        let found = self.columns[column]
            .as_ref()
            .is_some_and(|c| c.ord_to_str(ord, &mut name).unwrap_or(false));
        let key = if found {
            ner::normalize_name(&name)
        } else {
            String::new()
        };
        let group = self.aliases.group(&key).to_string();
        let next = self.groups.len() as u32;
        let id = *self.ids.entry(group.clone()).or_insert(next);
        if id == next {
            self.groups.push(group);
            self.passages.push(0);
            self.by_type.push([0; 4]);
        }
        self.group_of[column][ord as usize] = id;
        id
    }
}

impl Collector for GroupCollector<'_> {
    type Fruit = GroupCounts;
    type Child = GroupSegment;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<GroupSegment> {
        let mut columns = Vec::new();
        let mut group_of = Vec::new();
        let mut form_counts = Vec::new();
        for kind in EntityKind::ALL {
            let name = self.schema.get_field_name(self.fields.entity(kind));
            let column = reader.fast_fields().str(name)?;
            let terms = column.as_ref().map_or(0, |c| c.num_terms());
            group_of.push(vec![UNSEEN; terms]);
            form_counts.push(if self.listing {
                vec![0; terms]
            } else {
                Vec::new()
            });
            columns.push(column);
        }
        let article = if self.listing {
            let name = self.schema.get_field_name(self.fields.article_id);
            reader.fast_fields().str(name)?
        } else {
            None
        };
        Ok(GroupSegment {
            aliases: self.aliases.clone(),
            listing: self.listing,
            columns,
            group_of,
            groups: Vec::new(),
            ids: HashMap::new(),
            passages: Vec::new(),
            by_type: Vec::new(),
            form_counts,
            article,
            articles: HashSet::new(),
            seen: Vec::new(),
            ords: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<GroupCounts>) -> tantivy::Result<GroupCounts> {
        let mut merged = GroupCounts::new();
        for fruit in fruits {
            for (group, count) in fruit {
                merged.entry(group).or_default().add(count);
            }
        }
        Ok(merged)
    }
}

impl SegmentCollector for GroupSegment {
    type Fruit = GroupCounts;

    fn collect(&mut self, doc: DocId, _: Score) {
        self.ords.clear();
        for (c, column) in self.columns.iter().enumerate() {
            if let Some(column) = column {
                self.ords.extend(column.term_ords(doc).map(|ord| (c, ord)));
            }
        }
        // A name indexed twice on one passage still counts one passage.
        self.ords.sort_unstable();
        self.ords.dedup();
        let mut seen = std::mem::take(&mut self.seen);
        seen.clear();
        for i in 0..self.ords.len() {
            let (c, ord) = self.ords[i];
            if self.listing {
                self.form_counts[c][ord as usize] += 1;
            }
            seen.push((self.group_id(c, ord), c));
        }
        seen.sort_unstable();
        seen.dedup();
        let mut last = None;
        for &(id, c) in &seen {
            self.by_type[id as usize][c] += 1;
            if last != Some(id) {
                self.passages[id as usize] += 1;
                last = Some(id);
                if let Some(article) = &self.article {
                    for ord in article.term_ords(doc) {
                        self.articles.insert((id, ord));
                    }
                }
            }
        }
        self.seen = seen;
    }

    fn harvest(self) -> GroupCounts {
        let mut out: GroupCounts = HashMap::with_capacity(self.groups.len());
        let mut by_id: Vec<GroupCount> = self
            .passages
            .iter()
            .zip(&self.by_type)
            .map(|(&passages, &by_type)| GroupCount {
                passages,
                by_type,
                ..Default::default()
            })
            .collect();
        let mut text = String::new();
        for (c, counts) in self.form_counts.iter().enumerate() {
            let Some(column) = &self.columns[c] else {
                continue;
            };
            for (ord, &n) in counts.iter().enumerate().filter(|(_, n)| **n > 0) {
                text.clear();
                if column.ord_to_str(ord as u64, &mut text).unwrap_or(false) {
                    let id = self.group_of[c][ord];
                    let form = (EntityKind::ALL[c], text.clone());
                    *by_id[id as usize].forms.entry(form).or_default() += n;
                }
            }
        }
        if let Some(article) = &self.article {
            for &(id, ord) in &self.articles {
                text.clear();
                if article.ord_to_str(ord, &mut text).unwrap_or(false) {
                    by_id[id as usize].articles.insert(text.clone());
                }
            }
        }
        for (group, count) in self.groups.into_iter().zip(by_id) {
            if count.passages > 0 {
                out.insert(group, count);
            }
        }
        out
    }
}

/// Counts one passage's entities (type, canonical spelling) into `counts`, each entity
/// and each of its types once.
pub(crate) fn add_passage<'e>(
    counts: &mut GroupCounts,
    aliases: &Aliases,
    entities: impl IntoIterator<Item = (EntityKind, &'e str)>,
) {
    let mut seen: Vec<(String, usize)> = entities
        .into_iter()
        .map(|(kind, canonical)| {
            let key = ner::normalize_name(canonical);
            let slot = EntityKind::ALL
                .iter()
                .position(|k| *k == kind)
                .expect("a kind");
            (aliases.group(&key).to_string(), slot)
        })
        .collect();
    seen.sort_unstable();
    seen.dedup();
    let mut last: Option<&str> = None;
    for (group, slot) in &seen {
        let count = counts.entry(group.clone()).or_default();
        count.by_type[*slot] += 1;
        if last != Some(group.as_str()) {
            count.passages += 1;
            last = Some(group);
        }
    }
}

/// The types of a count, by tag, leaving out those with none.
pub(crate) fn type_split(by_type: &[u64; 4]) -> BTreeMap<&'static str, u64> {
    EntityKind::ALL
        .iter()
        .zip(by_type)
        .filter(|(_, n)| **n > 0)
        .map(|(k, n)| (k.tag(), *n))
        .collect()
}

/// The `top` most mentioned entities of each type (ties by name), each under its
/// majority type in the index and named as the index most often spells it.
pub(crate) fn top(counts: GroupCounts, table: &NameTable, aliases: &Aliases, top: usize) -> Facets {
    let mut lists: [Vec<FacetCount>; 4] = Default::default();
    for (group, count) in counts {
        let summary = table.summary(aliases, &group);
        let kind = summary
            .majority
            .unwrap_or_else(|| super::entities::majority(&count.by_type));
        let slot = EntityKind::ALL
            .iter()
            .position(|k| *k == kind)
            .expect("a kind");
        lists[slot].push(FacetCount {
            name: summary.display.unwrap_or(group),
            passages: count.passages,
            types: type_split(&count.by_type),
        });
    }
    let [person, org, loc, misc] = lists.map(|mut v| {
        v.sort_by(|a, b| {
            b.passages
                .cmp(&a.passages)
                .then_with(|| a.name.cmp(&b.name))
        });
        v.truncate(top);
        v
    });
    Facets {
        person,
        org,
        loc,
        misc,
    }
}
