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

/// One segment's matching passages, kept as term ordinals until harvest: spellings are
/// read from the columns' dictionaries once, in ordinal order (a dictionary read one
/// ordinal at a time decompresses a block per read).
pub(crate) struct GroupSegment {
    aliases: Aliases,
    listing: bool,
    columns: Vec<Option<StrColumn>>,
    article: Option<StrColumn>,
    /// (column, ordinal) of every name of every collected passage, passage after passage.
    names: Vec<(u8, u64)>,
    /// Where each passage's names end in `names`.
    ends: Vec<usize>,
    /// Listings: each passage's article ordinal.
    articles: Vec<u64>,
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
        for kind in EntityKind::ALL {
            let name = self.schema.get_field_name(self.fields.entity(kind));
            columns.push(reader.fast_fields().str(name)?);
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
            article,
            names: Vec::new(),
            ends: Vec::new(),
            articles: Vec::new(),
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
        let start = self.names.len();
        for (c, column) in self.columns.iter().enumerate() {
            if let Some(column) = column {
                self.names
                    .extend(column.term_ords(doc).map(|ord| (c as u8, ord)));
            }
        }
        // A name indexed twice on one passage still counts one passage.
        self.names[start..].sort_unstable();
        let mut kept = start;
        for i in start..self.names.len() {
            if i == start || self.names[i] != self.names[kept - 1] {
                self.names[kept] = self.names[i];
                kept += 1;
            }
        }
        self.names.truncate(kept);
        self.ends.push(self.names.len());
        if let Some(article) = &self.article {
            self.articles
                .push(article.term_ords(doc).next().unwrap_or(u64::MAX));
        }
    }

    fn harvest(self) -> GroupCounts {
        // Each column's distinct ordinals, their spellings in one ordered pass, and
        // their groups.
        let mut groups: Vec<String> = Vec::new();
        let mut ids: HashMap<String, u32> = HashMap::new();
        // Per column: sorted distinct ordinals, and the group and spelling of each.
        let mut ords: Vec<Vec<u64>> = vec![Vec::new(); self.columns.len()];
        for &(c, ord) in &self.names {
            ords[c as usize].push(ord);
        }
        let mut resolved: Vec<Vec<(u32, String)>> = Vec::with_capacity(ords.len());
        for (c, list) in ords.iter_mut().enumerate() {
            list.sort_unstable();
            list.dedup();
            let mut texts: Vec<String> = Vec::with_capacity(list.len());
            if let Some(column) = &self.columns[c] {
                let _ = column.dictionary().sorted_ords_to_term_cb(list, |bytes| {
                    texts.push(String::from_utf8_lossy(bytes).into_owned());
                });
                if texts.len() != list.len() {
                    // Not one spelling per ordinal: read them one by one instead.
                    texts.clear();
                    for &ord in list.iter() {
                        let mut text = String::new();
                        let _ = column.ord_to_str(ord, &mut text);
                        texts.push(text);
                    }
                }
            }
            let mut out = Vec::with_capacity(list.len());
            for text in texts {
                let key = ner::normalize_name(&text);
                let group = self.aliases.group(&key);
                let id = match ids.get(group) {
                    Some(id) => *id,
                    None => {
                        groups.push(group.to_string());
                        ids.insert(group.to_string(), groups.len() as u32 - 1);
                        groups.len() as u32 - 1
                    }
                };
                out.push((id, text));
            }
            resolved.push(out);
        }
        let lookup =
            |c: u8, ord: u64| -> Option<usize> { ords[c as usize].binary_search(&ord).ok() };
        let mut counts: Vec<GroupCount> = vec![GroupCount::default(); groups.len()];
        let mut form_counts: Vec<Vec<u64>> = resolved.iter().map(|r| vec![0; r.len()]).collect();
        let mut article_pairs: HashSet<(u32, u64)> = HashSet::new();
        let mut seen: Vec<(u32, u8)> = Vec::new();
        let mut start = 0;
        for (doc, &end) in self.ends.iter().enumerate() {
            seen.clear();
            for &(c, ord) in &self.names[start..end] {
                let Some(i) = lookup(c, ord) else { continue };
                let Some((id, _)) = resolved[c as usize].get(i) else {
                    continue;
                };
                if self.listing {
                    form_counts[c as usize][i] += 1;
                }
                seen.push((*id, c));
            }
            start = end;
            seen.sort_unstable();
            seen.dedup();
            let mut last = None;
            for &(id, c) in &seen {
                let count = &mut counts[id as usize];
                count.by_type[c as usize] += 1;
                if last != Some(id) {
                    count.passages += 1;
                    last = Some(id);
                    if let Some(&article) = self.articles.get(doc) {
                        article_pairs.insert((id, article));
                    }
                }
            }
        }
        if self.listing {
            for (c, list) in resolved.iter().enumerate() {
                for ((id, text), &n) in list.iter().zip(&form_counts[c]) {
                    if n > 0 {
                        let form = (EntityKind::ALL[c], text.clone());
                        *counts[*id as usize].forms.entry(form).or_default() += n;
                    }
                }
            }
            if let Some(article) = &self.article {
                let mut article_ords: Vec<u64> = article_pairs
                    .iter()
                    .map(|(_, a)| *a)
                    .filter(|a| *a != u64::MAX)
                    .collect();
                article_ords.sort_unstable();
                article_ords.dedup();
                let mut names: Vec<String> = Vec::with_capacity(article_ords.len());
                let _ = article
                    .dictionary()
                    .sorted_ords_to_term_cb(&article_ords, |bytes| {
                        names.push(String::from_utf8_lossy(bytes).into_owned());
                    });
                let aligned = names.len() == article_ords.len();
                for (id, ord) in article_pairs {
                    if aligned
                        && let Ok(i) = article_ords.binary_search(&ord)
                        && let Some(name) = names.get(i)
                    {
                        counts[id as usize].articles.insert(name.clone());
                    }
                }
            }
        }
        groups
            .into_iter()
            .zip(counts)
            .filter(|(_, c)| c.passages > 0)
            .collect()
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
