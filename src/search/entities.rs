//! The index's entities: every spelling of every name, grouped into one entity per key
//! and alias group, for facets, hits' canonical names and `gazette entities`.
//!
//! [`NameTable`] reads the `names` field's term dictionary (one term per key, type and
//! spelling, with the number of passages holding it; no document is read), so a query
//! knows each entity's most frequent spelling and majority type across the index
//! cheaply. Those term counts include passages deleted and not yet merged away; the
//! listing of [`super::Search::entities`] counts exactly, over every passage.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;
use tantivy::Searcher;

use super::aliases::Aliases;
use super::facets::{self, GroupCollector};
use super::{Search, SearchError};
use crate::model::EntityKind;
use crate::schema;

/// Every spelling of every name key in the index, with its passages per type.
#[derive(Clone, Debug, Default)]
pub(crate) struct NameTable {
    /// Key -> (spelling, passages per type in [`EntityKind::ALL`] order).
    forms: HashMap<String, Vec<(String, [u64; 4])>>,
}

/// What the index says of one entity.
#[derive(Debug, Default)]
pub(crate) struct Summary {
    /// The alias table's canonical name, else the most frequent spelling.
    pub display: Option<String>,
    /// The type it is most often tagged with (ties: PER, ORG, LOC, MISC); `None` when
    /// the index does not hold it.
    pub majority: Option<EntityKind>,
}

impl NameTable {
    /// Reads the `names` terms of every segment: the whole table, for facets.
    pub(crate) fn read(
        searcher: &Searcher,
        field: tantivy::schema::Field,
    ) -> Result<Self, SearchError> {
        let mut table = NameTable::default();
        for segment in searcher.segment_readers() {
            let inverted = segment.inverted_index(field)?;
            let mut stream = inverted.terms().stream()?;
            while stream.advance() {
                table.add_term(stream.key(), stream.value().doc_freq);
            }
        }
        Ok(table)
    }

    /// Reads only the terms of `keys` (a range of the term dictionary per key and
    /// segment): what a page of hits or a name filter needs, without reading the whole
    /// dictionary.
    pub(crate) fn read_keys<'k>(
        searcher: &Searcher,
        field: tantivy::schema::Field,
        keys: impl IntoIterator<Item = &'k str>,
    ) -> Result<Self, SearchError> {
        let mut table = NameTable::default();
        // Each key once: a key read twice would count its passages twice.
        let mut keys: Vec<&str> = keys.into_iter().filter(|k| !k.is_empty()).collect();
        keys.sort_unstable();
        keys.dedup();
        for segment in searcher.segment_readers() {
            let inverted = segment.inverted_index(field)?;
            for key in &keys {
                // Every term of `key` lies in [key + SEP, key + SEP + 1).
                let mut from = key.as_bytes().to_vec();
                let mut sep = [0u8; 4];
                from.extend_from_slice(
                    schema::NAME_FORM_SEPARATOR.encode_utf8(&mut sep).as_bytes(),
                );
                let mut to = from.clone();
                *to.last_mut().expect("not empty") += 1;
                let mut stream = inverted.terms().range().ge(&from).lt(&to).into_stream()?;
                while stream.advance() {
                    table.add_term(stream.key(), stream.value().doc_freq);
                }
            }
        }
        Ok(table)
    }

    fn add_term(&mut self, term: &[u8], doc_freq: u32) {
        let Ok(term) = std::str::from_utf8(term) else {
            return;
        };
        let Some((key, kind, form)) = schema::parse_name_form_term(term) else {
            return;
        };
        let slot = slot(kind);
        let n = u64::from(doc_freq);
        let list = self.forms.entry(key.to_string()).or_default();
        match list.iter_mut().find(|(f, _)| f == form) {
            Some((_, counts)) => counts[slot] += n,
            None => {
                let mut counts = [0; 4];
                counts[slot] = n;
                list.push((form.to_string(), counts));
            }
        }
    }

    /// The entity of group key `group` (see [`Aliases::group`]).
    pub(crate) fn summary(&self, aliases: &Aliases, group: &str) -> Summary {
        let mut by_type = [0u64; 4];
        let mut spellings: Vec<(&str, u64)> = Vec::new();
        for key in aliases.members(group) {
            for (form, counts) in self.forms.get(key).into_iter().flatten() {
                for (a, b) in by_type.iter_mut().zip(counts) {
                    *a += b;
                }
                spellings.push((form, counts.iter().sum()));
            }
        }
        let display = aliases
            .display(group)
            .map(str::to_string)
            .or_else(|| most_frequent(spellings).map(str::to_string));
        let majority = (by_type.iter().sum::<u64>() > 0).then(|| majority(&by_type));
        Summary { display, majority }
    }

    /// Whether the index holds key `key` tagged as `kind`.
    pub(crate) fn holds(&self, key: &str, kind: EntityKind) -> bool {
        self.forms
            .get(key)
            .is_some_and(|forms| forms.iter().any(|(_, counts)| counts[slot(kind)] > 0))
    }
}

/// The most frequent spelling; of equally frequent ones, one in mixed case ("London"
/// before a dateline's "LONDON"), then the one sorting first, so the choice never depends
/// on the order segments are read.
fn most_frequent<'a>(spellings: impl IntoIterator<Item = (&'a str, u64)>) -> Option<&'a str> {
    let mut totals: BTreeMap<&str, u64> = BTreeMap::new();
    for (form, n) in spellings {
        *totals.entry(form).or_default() += n;
    }
    let mixed = |t: &str| t.chars().any(char::is_uppercase) && t.chars().any(char::is_lowercase);
    totals
        .into_iter()
        .min_by(|(a, n), (b, m)| m.cmp(n).then(mixed(b).cmp(&mixed(a))).then(a.cmp(b)))
        .map(|(f, _)| f)
}

/// The type with the most passages (ties: PER, ORG, LOC, MISC).
pub(crate) fn majority(by_type: &[u64; 4]) -> EntityKind {
    let mut best = 0;
    for (i, n) in by_type.iter().enumerate() {
        if *n > by_type[best] {
            best = i;
        }
    }
    EntityKind::ALL[best]
}

fn slot(kind: EntityKind) -> usize {
    EntityKind::ALL
        .iter()
        .position(|k| *k == kind)
        .expect("a kind")
}

/// What `gazette entities` lists.
#[derive(Clone, Debug, Default)]
pub struct EntityOptions {
    /// Only entities whose majority type is this.
    pub kind: Option<EntityKind>,
    /// Only entities mentioned in at least this many passages.
    pub min: u64,
    /// At most this many entities (all when `None`).
    pub limit: Option<usize>,
    /// Aliases on top of the built-in table and the index folder's `aliases.tsv`.
    pub aliases: Aliases,
}

/// One entity of the index: its name, majority type, counts and spellings.
#[derive(Clone, Debug, Serialize)]
pub struct EntityEntry {
    pub name: String,
    /// Majority type: `PER`, `ORG`, `LOC` or `MISC`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub passages: u64,
    pub articles: u64,
    /// Passages per type it was tagged with.
    pub types: BTreeMap<&'static str, u64>,
    /// Each spelling (an article's canonical form) with its type and passages, most
    /// frequent first.
    pub forms: Vec<EntityForm>,
}

/// One spelling of an entity.
#[derive(Clone, Debug, Serialize)]
pub struct EntityForm {
    pub form: String,
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub passages: u64,
}

impl Search<'_> {
    /// Every entity of the index (after `options`' filters), most mentioned first (ties
    /// by name), counted over every passage: a name's spellings, case, a leading "the",
    /// possessives, corporate suffixes and aliases merged.
    pub fn entities(&self, options: &EntityOptions) -> Result<Vec<EntityEntry>, SearchError> {
        let aliases = self.aliases.merged(&options.aliases);
        let collector = GroupCollector {
            fields: &self.gazette.fields,
            schema: self.gazette.index.schema(),
            aliases: &aliases,
            listing: true,
        };
        let passages = tantivy::query::TermQuery::new(
            tantivy::Term::from_field_text(self.gazette.fields.kind, schema::KIND_PASSAGE),
            tantivy::schema::IndexRecordOption::Basic,
        );
        let counts = self.searcher.search(&passages, &collector)?;
        let mut out: Vec<EntityEntry> = counts
            .into_iter()
            .filter(|(_, c)| c.passages >= options.min)
            .map(|(group, c)| {
                let kind = majority(&c.by_type);
                let name = aliases
                    .display(&group)
                    .map(str::to_string)
                    .or_else(|| {
                        most_frequent(c.forms.iter().map(|((_, f), n)| (f.as_str(), *n)))
                            .map(str::to_string)
                    })
                    .unwrap_or_else(|| group.clone());
                let mut forms: Vec<EntityForm> = c
                    .forms
                    .iter()
                    .map(|((k, f), n)| EntityForm {
                        form: f.clone(),
                        kind: k.tag(),
                        passages: *n,
                    })
                    .collect();
                forms.sort_by(|a, b| {
                    (b.passages, &a.form, a.kind).cmp(&(a.passages, &b.form, b.kind))
                });
                EntityEntry {
                    name,
                    kind: kind.tag(),
                    passages: c.passages,
                    articles: c.articles.len() as u64,
                    types: facets::type_split(&c.by_type),
                    forms,
                }
            })
            .filter(|e| options.kind.is_none_or(|k| k.tag() == e.kind))
            .collect();
        out.sort_by(|a, b| {
            b.passages
                .cmp(&a.passages)
                .then_with(|| a.name.cmp(&b.name))
                .then_with(|| a.kind.cmp(b.kind))
        });
        if let Some(limit) = options.limit {
            out.truncate(limit);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn most_frequent_spelling_wins_and_ties_sort() {
        assert_eq!(most_frequent([("Opec", 6), ("OPEC", 119)]), Some("OPEC"));
        assert_eq!(
            most_frequent([("Opec", 5), ("OPEC", 3), ("Opec", 1)]),
            Some("Opec")
        );
        assert_eq!(most_frequent([("b", 2), ("a", 2)]), Some("a"));
        assert_eq!(
            most_frequent([("LONDON", 1), ("London", 1)]),
            Some("London")
        );
        assert_eq!(
            most_frequent([("LONDON", 2), ("London", 1)]),
            Some("LONDON")
        );
        assert_eq!(most_frequent([]), None);
    }

    #[test]
    fn majority_type_ties_go_in_type_order() {
        assert_eq!(majority(&[0, 119, 0, 6]), EntityKind::Organisation);
        assert_eq!(majority(&[0, 3, 3, 0]), EntityKind::Organisation);
        assert_eq!(majority(&[0, 0, 0, 1]), EntityKind::Misc);
    }
}
