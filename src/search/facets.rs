//! Entity facets: which people, organisations, places and other names are mentioned in
//! the matching passages, and in how many.
//!
//! Counts come from the entity fields' fast columns (canonical spellings), per segment by
//! term ordinal, then merged by name.

use std::collections::HashMap;

use serde::Serialize;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::StrColumn;
use tantivy::index::SegmentReader;
use tantivy::schema::Schema;
use tantivy::{DocId, Score, SegmentOrdinal};

use crate::model::EntityKind;
use crate::schema::Fields;

/// A name and the number of matching passages that mention it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FacetCount {
    pub name: String,
    pub passages: u64,
}

/// Top co-mentioned entities by type, most mentioned first.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Facets {
    pub person: Vec<FacetCount>,
    pub org: Vec<FacetCount>,
    pub loc: Vec<FacetCount>,
    pub misc: Vec<FacetCount>,
}

/// Per-type counts by canonical name.
pub(crate) type RawCounts = [HashMap<String, u64>; 4];

pub(crate) struct FacetCollector<'a> {
    pub fields: &'a Fields,
    pub schema: Schema,
}

pub(crate) struct FacetSegment {
    columns: Vec<Option<StrColumn>>,
    counts: Vec<Vec<u64>>,
    ords: Vec<u64>,
}

impl Collector for FacetCollector<'_> {
    type Fruit = RawCounts;
    type Child = FacetSegment;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<FacetSegment> {
        let mut columns = Vec::new();
        let mut counts = Vec::new();
        for kind in EntityKind::ALL {
            let name = self.schema.get_field_name(self.fields.entity(kind));
            let column = reader.fast_fields().str(name)?;
            counts.push(vec![0; column.as_ref().map_or(0, |c| c.num_terms())]);
            columns.push(column);
        }
        Ok(FacetSegment {
            columns,
            counts,
            ords: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<RawCounts>) -> tantivy::Result<RawCounts> {
        let mut merged = RawCounts::default();
        for fruit in fruits {
            for (into, from) in merged.iter_mut().zip(fruit) {
                for (name, n) in from {
                    *into.entry(name).or_default() += n;
                }
            }
        }
        Ok(merged)
    }
}

impl SegmentCollector for FacetSegment {
    type Fruit = RawCounts;

    fn collect(&mut self, doc: DocId, _: Score) {
        for (column, counts) in self.columns.iter().zip(self.counts.iter_mut()) {
            let Some(column) = column else { continue };
            self.ords.clear();
            self.ords.extend(column.term_ords(doc));
            // A name indexed twice on one passage still counts one passage.
            self.ords.sort_unstable();
            self.ords.dedup();
            for &ord in &self.ords {
                counts[ord as usize] += 1;
            }
        }
    }

    fn harvest(self) -> RawCounts {
        let mut out = RawCounts::default();
        for ((column, counts), into) in self.columns.iter().zip(self.counts).zip(out.iter_mut()) {
            let Some(column) = column else { continue };
            let mut name = String::new();
            for (ord, n) in counts.into_iter().enumerate().filter(|(_, n)| *n > 0) {
                name.clear();
                if column.ord_to_str(ord as u64, &mut name).unwrap_or(false) {
                    *into.entry(name.clone()).or_default() += n;
                }
            }
        }
        out
    }
}

/// The `top` most mentioned names of each type (ties by name).
pub(crate) fn top(counts: RawCounts, top: usize) -> Facets {
    let [person, org, loc, misc] = counts.map(|m| {
        let mut v: Vec<FacetCount> = m
            .into_iter()
            .map(|(name, passages)| FacetCount { name, passages })
            .collect();
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
