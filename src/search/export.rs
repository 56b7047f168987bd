//! Every passage of an index (or shard set), in article id then passage order, with its
//! article's metadata and its entity and date mentions: what `gazette export` streams as
//! JSON lines for tools outside gazette (the Spark job's Parquet annotations).
//!
//! Takes a [`Search`] and the alias tables in force; gives [`ExportedPassage`]s to a
//! callback one at a time. The order never depends on how passages lie in segments or
//! shards: each segment's passages are sorted by (article id ordinal, passage) from the
//! fast fields, and the segments are merged by article id. Memory is some 24 bytes per
//! passage and one string per article id; the passages themselves are read one by one.
//!
//! Mentions carry what the index stored (the surface text, the type, the canonical name
//! within the article) plus two things computed here from that alone: the name `key`
//! every index term and count groups by, and the `entity` (the key of its alias group,
//! see [`Aliases::group`]), so a mention's row never depends on the rest of the index
//! and a shard exported alone gives the rows the whole set gives for its articles.
//! Near-duplicate groups are left out for the same reason: they are a function of the
//! whole set (`gazette copies --all`).

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};

use chrono::{DateTime, Utc};
use serde::Serialize;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::StrColumn;
use tantivy::index::SegmentReader;
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal, TantivyDocument};

use super::collect::{NO_ORD, OrdNames, first_ord};
use super::{
    Aliases, Search, SearchError, Stored, StoredDate, StoredEntity, serialize_published,
    stored_json,
};
use crate::model::DateRange;

/// One passage with its article's metadata and its mentions.
#[derive(Clone, Debug, Serialize)]
pub struct ExportedPassage {
    pub article_id: String,
    /// Passage ordinal in the article (0-based).
    pub passage: u64,
    /// Byte range of the passage in the article body (in the title for a headline-only
    /// article).
    pub start: u64,
    pub end: u64,
    pub title: String,
    pub source: Option<String>,
    pub url: Option<String>,
    pub path: String,
    #[serde(serialize_with = "serialize_published")]
    pub published: Option<DateTime<Utc>>,
    #[serde(serialize_with = "serialize_published")]
    pub crawled: Option<DateTime<Utc>>,
    /// Where the publication date came from (`metadata`, `path`, `dateline`), or null.
    pub date_origin: Option<String>,
    pub text: String,
    pub entities: Vec<ExportedEntity>,
    pub dates: Vec<ExportedDate>,
}

/// One entity mention; offsets are bytes in the passage text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ExportedEntity {
    pub start: usize,
    pub end: usize,
    pub text: String,
    /// `PER`, `ORG`, `LOC` or `MISC`: the type this mention was tagged with.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// The entity's name within its article ("Putin" -> "Vladimir Putin").
    pub canonical: String,
    /// The name key of `canonical` ([`crate::ner::normalize_name`]): what name filters
    /// match and counts group by.
    pub key: String,
    /// The key of the entity's alias group (`key` itself when no alias table names it):
    /// what `gazette entities` and facets merge into one entity.
    pub entity: String,
}

/// One date mention; offsets are bytes in the passage text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ExportedDate {
    pub start: usize,
    pub end: usize,
    pub text: String,
    /// TIMEX3-style value (`2025-10-15`, `2025-10`, `2025-W42`, `XXXX-07`, ...).
    pub value: String,
    /// The days it covers, inclusive, when it could be resolved.
    pub range: Option<DateRange>,
}

impl Search<'_> {
    /// Hands every passage of the index to `on_passage`, ordered by article id (bytes)
    /// then passage number, with mentions keyed by `aliases` on top of the built-in
    /// table and the index folder's. Stops quietly, with what was handed on so far, when
    /// `on_passage` reports a closed pipe. Gives the number of passages handed on.
    pub fn export(
        &self,
        aliases: &Aliases,
        on_passage: &mut dyn FnMut(ExportedPassage) -> std::io::Result<()>,
    ) -> Result<usize, SearchError> {
        let aliases = self.aliases.merged(aliases);
        let f = &self.gazette.fields;
        let schema = self.gazette.index.schema();
        let passages = tantivy::query::TermQuery::new(
            tantivy::Term::from_field_text(f.kind, crate::schema::KIND_PASSAGE),
            tantivy::schema::IndexRecordOption::Basic,
        );
        let segments = self.searcher.search(
            &passages,
            &InOrder {
                article_id: schema.get_field_name(f.article_id),
                passage: schema.get_field_name(f.passage),
            },
        )?;
        let origin_field = schema.get_field_name(f.date_origin);
        let mut origins = Vec::with_capacity(segments.len());
        for segment in &segments {
            let fast = self.searcher.segment_reader(segment.segment).fast_fields();
            origins.push(fast.str(origin_field)?);
        }
        // Each segment's next passage, smallest (article id, passage) first.
        let mut heads = BinaryHeap::new();
        let mut cursors = vec![0usize; segments.len()];
        for (i, segment) in segments.iter().enumerate() {
            if let Some(key) = segment.key(0) {
                heads.push(Reverse((key, i)));
            }
        }
        let mut origin_names: HashMap<(usize, u64), Option<String>> = HashMap::new();
        let mut sent = 0;
        while let Some(Reverse((_, i))) = heads.pop() {
            let segment = &segments[i];
            let (_, _, doc) = segment.passages[cursors[i]];
            cursors[i] += 1;
            if let Some(key) = segment.key(cursors[i]) {
                heads.push(Reverse((key, i)));
            }
            let ord = first_ord(origins[i].as_ref(), doc);
            let origin = origin_names
                .entry((i, ord))
                .or_insert_with(|| ord_name(origins[i].as_ref(), ord))
                .clone();
            let address = DocAddress::new(segment.segment, doc);
            let passage = self.exported(address, origin, &aliases)?;
            match on_passage(passage) {
                Ok(()) => sent += 1,
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => break,
                Err(e) => return Err(e.into()),
            }
        }
        Ok(sent)
    }

    /// Reads one passage document into its export record.
    fn exported(
        &self,
        address: DocAddress,
        date_origin: Option<String>,
        aliases: &Aliases,
    ) -> Result<ExportedPassage, SearchError> {
        let f = &self.gazette.fields;
        let doc: TantivyDocument = self.searcher.doc(address)?;
        let stored = Stored(&doc);
        let entities = stored_json::<Vec<StoredEntity>>(&doc, f.entities)
            .into_iter()
            .filter_map(StoredEntity::into_mention)
            .map(|m| {
                let key = crate::ner::normalize_name(&m.canonical);
                let entity = aliases.group(&key).to_string();
                ExportedEntity {
                    start: m.start,
                    end: m.end,
                    text: m.text,
                    kind: m.kind.tag(),
                    canonical: m.canonical,
                    key,
                    entity,
                }
            })
            .collect();
        let dates = stored_json::<Vec<StoredDate>>(&doc, f.dates)
            .into_iter()
            .map(|d| ExportedDate {
                start: d.start,
                end: d.end,
                text: d.text,
                value: d.value,
                range: d.range,
            })
            .collect();
        Ok(ExportedPassage {
            article_id: stored.text(f.article_id).unwrap_or_default(),
            passage: stored.u64(f.passage),
            start: stored.u64(f.start),
            end: stored.u64(f.end),
            title: stored.text(f.title).unwrap_or_default(),
            source: stored.text(f.source),
            url: stored.text(f.url),
            path: stored.text(f.path).unwrap_or_default(),
            published: stored.date(f.published),
            crawled: stored.date(f.crawled),
            date_origin,
            text: stored.text(f.text).unwrap_or_default(),
            entities,
            dates,
        })
    }
}

/// The string of a term ordinal of `col`, or `None` (no value, or no column).
fn ord_name(col: Option<&StrColumn>, ord: u64) -> Option<String> {
    let col = col?;
    if ord == NO_ORD {
        return None;
    }
    let mut name = String::new();
    match col.ord_to_str(ord, &mut name) {
        Ok(true) => Some(name),
        _ => None,
    }
}

/// Collects each segment's passages sorted by (article id ordinal, passage number).
struct InOrder<'a> {
    article_id: &'a str,
    passage: &'a str,
}

/// One segment's passages, sorted, and the article ids of its ordinals.
struct SegmentPassages {
    segment: SegmentOrdinal,
    /// (article id term ordinal, passage number, document).
    passages: Vec<(u64, u64, DocId)>,
    ids: OrdNames,
}

impl SegmentPassages {
    /// The merge key of the `at`-th passage: its article id and passage number.
    fn key(&self, at: usize) -> Option<(&str, u64)> {
        let &(ord, passage, _) = self.passages.get(at)?;
        Some((self.ids.get(ord), passage))
    }
}

struct InOrderSegment {
    segment: SegmentOrdinal,
    article_id: Option<StrColumn>,
    passage: Option<tantivy::columnar::Column<u64>>,
    found: Vec<(u64, u64, DocId)>,
}

impl Collector for InOrder<'_> {
    type Fruit = Vec<SegmentPassages>;
    type Child = InOrderSegment;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<InOrderSegment> {
        let fast = reader.fast_fields();
        Ok(InOrderSegment {
            segment,
            article_id: fast.str(self.article_id)?,
            passage: fast.u64(self.passage).ok(),
            found: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<SegmentPassages>) -> tantivy::Result<Vec<SegmentPassages>> {
        let mut fruits = fruits;
        fruits.retain(|s| !s.passages.is_empty());
        fruits.sort_by_key(|s| s.segment);
        Ok(fruits)
    }
}

impl SegmentCollector for InOrderSegment {
    type Fruit = SegmentPassages;

    fn collect(&mut self, doc: DocId, _: Score) {
        let ord = first_ord(self.article_id.as_ref(), doc);
        let passage = self
            .passage
            .as_ref()
            .and_then(|c| c.first(doc))
            .unwrap_or(0);
        self.found.push((ord, passage, doc));
    }

    fn harvest(self) -> SegmentPassages {
        let mut passages = self.found;
        // Within a segment, term ordinals are in article id order.
        passages.sort_unstable();
        let ids = OrdNames::resolve(self.article_id.as_ref(), passages.iter().map(|p| p.0));
        SegmentPassages {
            segment: self.segment,
            passages,
            ids,
        }
    }
}
