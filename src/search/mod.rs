//! Answering queries: ranked passages with highlights, counts and facets.
//!
//! Takes an opened [`GazetteIndex`] and a validated [`QueryConfig`], gives [`Hit`]s (plain
//! structs; no tantivy type leaves this module) to a callback, so `--all` streams however
//! many passages match.

pub mod aliases;
mod collect;
pub mod coverage;
mod entities;
mod export;
pub mod facets;
pub mod groups;
mod highlight;
mod matches;
mod names;
mod query;
mod terms;
pub mod timeline;

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use tantivy::collector::{Count, TopDocs};
use tantivy::schema::Value;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{DocAddress, Searcher, TantivyDocument};

pub use aliases::{AliasError, Aliases};
pub use coverage::Coverage;
pub use entities::{EntityEntry, EntityForm, EntityOptions};
pub use export::{ExportedDate, ExportedEntity, ExportedPassage};
pub use facets::{FacetCount, Facets};
pub use groups::Copy;
pub use highlight::snippet_window;
pub use query::{Executed, QUERY_FIELDS, ResolvedName};
pub use terms::{TermStats, TextToken, Tokenizer};
pub use timeline::{Bucket, By, Outside, Tally, TallyCounts, Timeline, Totals, Unit};

use crate::dedup::Groups;
use crate::index::GazetteIndex;
use crate::model::{DateMention, DateRange, EntityKind, EntityMention};

/// A validated query: the query string plus every flag that shapes the answer.
#[derive(Clone, Debug, Default)]
pub struct QueryConfig {
    /// tantivy query language; may be empty when a filter is given.
    pub query: String,
    /// OR semantics between words instead of AND.
    pub any: bool,
    pub limit: usize,
    pub offset: usize,
    /// Every matching passage, no limit.
    pub all: bool,
    pub sort: SortOrder,
    /// Sources; a passage matches when its source is any of them.
    pub sources: Vec<String>,
    /// Publication date filter, inclusive days.
    pub since: Option<NaiveDate>,
    pub until: Option<NaiveDate>,
    /// Entity filters: a type (or any type with `None`) and a name.
    pub entities: Vec<(Option<EntityKind>, String)>,
    /// Passages mentioning a time overlapping this range.
    pub mentions: Option<DateRange>,
    /// Give each hit its [`Hit::matches`] (a concordance) instead of its highlights.
    pub occurrences: bool,
    /// With `occurrences`: still load each hit's entities and dates (collocates
    /// `--entities`), which a concordance does without.
    pub occurrence_tags: bool,
    /// Alias tables on top of the built-in one and the index folder's `aliases.tsv`
    /// (`--aliases`), for entity filters, facets and hits' canonical names.
    pub aliases: Aliases,
    /// Count each story once: only the passages of each near-duplicate group's first
    /// article match.
    pub dedup: bool,
}

impl QueryConfig {
    /// Whether any filter narrows the query (an empty query needs one).
    pub fn has_filters(&self) -> bool {
        !self.sources.is_empty()
            || self.since.is_some()
            || self.until.is_some()
            || !self.entities.is_empty()
            || self.mentions.is_some()
    }
}

/// How hits are ordered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SortOrder {
    /// BM25 score, best first.
    #[default]
    Score,
    /// Publication date, newest first; passages without a date last.
    Date,
}

/// Errors a query can end with; all are the user's to fix except `Index`.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error(
        "an empty query needs a filter (--source, --since, --until, --person, --org, --loc, --entity or --mentions)"
    )]
    EmptyQuery,
    #[error("query syntax error at column {column}: {reason}\n  {query}\n  {caret:>width$}", caret = "^", width = column)]
    Syntax {
        query: String,
        column: usize,
        reason: String,
    },
    #[error("{kind} `{name}` is ambiguous in this index: it could be {}; give the full name", candidates.join(", "))]
    AmbiguousName {
        name: String,
        kind: &'static str,
        candidates: Vec<String>,
    },
    #[error(
        "the timeline {unit} has more than {max} buckets: use a coarser --timeline unit or narrow the query"
    )]
    TooManyBuckets { unit: String, max: usize },
    #[error(transparent)]
    Aliases(#[from] AliasError),
    #[error("{0}")]
    Index(#[from] tantivy::TantivyError),
}

impl SearchError {
    fn from_parser(query: &str, err: tantivy::query::QueryParserError) -> SearchError {
        use tantivy::query::QueryParserError as E;
        let reason = match &err {
            E::FieldDoesNotExist(field) => {
                format!(
                    "unknown field `{field}`; fields are: {}",
                    QUERY_FIELDS.join(", ")
                )
            }
            E::SyntaxError(s) => format!("cannot parse `{s}`"),
            other => other.to_string(),
        };
        // tantivy does not say where; point at the first word it names, else the start.
        let column = match &err {
            E::FieldDoesNotExist(f) => query
                .find(f.as_str())
                .map_or(1, |p| query[..p].chars().count() + 1),
            _ => 1,
        };
        SearchError::Syntax {
            query: query.to_string(),
            column,
            reason,
        }
    }
}

impl From<std::io::Error> for SearchError {
    fn from(e: std::io::Error) -> Self {
        SearchError::Index(e.into())
    }
}

/// One matching passage.
#[derive(Clone, Debug, Serialize)]
pub struct Hit {
    pub article_id: String,
    /// Passage ordinal in the article.
    pub passage: u64,
    /// Byte range of the passage in the article body.
    pub start: u64,
    pub end: u64,
    pub score: f32,
    pub title: String,
    pub source: Option<String>,
    pub url: Option<String>,
    pub path: String,
    #[serde(serialize_with = "serialize_published")]
    pub published: Option<DateTime<Utc>>,
    /// When a web crawler fetched the page (articles from web archives), else null.
    #[serde(serialize_with = "serialize_published")]
    pub crawled: Option<DateTime<Utc>>,
    /// The near-duplicate group: the id of its first article (the article's own id when
    /// it has no copies).
    pub group: String,
    /// Articles in the group (1 when the article has no copies).
    pub copies: usize,
    /// The whole passage.
    pub text: String,
    /// Byte ranges of matched query terms in `text`.
    pub highlights: Vec<Span>,
    /// With [`QueryConfig::occurrences`]: byte ranges in `text` of each occurrence of a
    /// word or phrase of the query (a phrase as one span), instead of the highlights
    /// (and then `entities` and `dates` are left empty).
    #[serde(skip)]
    pub matches: Vec<Span>,
    pub entities: Vec<EntityMention>,
    pub dates: Vec<DateMention>,
}

/// A byte range.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

/// An optional time as ISO 8601 to the second, UTC (`2025-10-15T00:00:00Z`), or null.
pub(crate) fn serialize_published<S: serde::Serializer>(
    v: &Option<DateTime<Utc>>,
    s: S,
) -> Result<S::Ok, S::Error> {
    match v {
        Some(at) => s.serialize_str(&at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
        None => s.serialize_none(),
    }
}

/// Decompressed doc store blocks kept per segment (4 KiB each before compression).
const DOC_STORE_CACHE_BLOCKS: usize = 1024;

/// An open query session: one searcher over the index's last commit.
pub struct Search<'a> {
    gazette: &'a GazetteIndex,
    searcher: Searcher,
    /// The built-in aliases and the index folder's.
    aliases: Aliases,
    /// Every entity spelling of the index, read on first need.
    names: std::sync::OnceLock<entities::NameTable>,
    /// The commit's near-duplicate groups, read when first needed (hits, `--dedup`).
    groups: std::sync::OnceLock<Groups>,
    /// File records that a single index of the same corpus would not hold (a shard set's
    /// shards each record every file they read, and an index merged from them keeps
    /// those), left out of BM25's document count.
    extra_file_records: u64,
    /// Match sets and tallies count only these segments (one shard's of a set, for
    /// `batch --partial`); names, groups and statistics stay the whole index's.
    only: Option<std::collections::HashSet<tantivy::index::SegmentId>>,
}

/// A collector that runs `inner` on some segments only: the others give the fruit of a
/// segment where nothing matched, without running the query there.
struct OnlySegments<'c, C> {
    inner: &'c C,
    segments: &'c std::collections::HashSet<tantivy::index::SegmentId>,
}

impl<C: tantivy::collector::Collector> tantivy::collector::Collector for OnlySegments<'_, C> {
    type Fruit = C::Fruit;
    type Child = C::Child;

    fn for_segment(
        &self,
        ord: tantivy::SegmentOrdinal,
        segment: &tantivy::SegmentReader,
    ) -> tantivy::Result<C::Child> {
        self.inner.for_segment(ord, segment)
    }

    fn requires_scoring(&self) -> bool {
        self.inner.requires_scoring()
    }

    fn merge_fruits(
        &self,
        fruits: Vec<<C::Child as tantivy::collector::SegmentCollector>::Fruit>,
    ) -> tantivy::Result<C::Fruit> {
        self.inner.merge_fruits(fruits)
    }

    fn collect_segment(
        &self,
        weight: &dyn tantivy::query::Weight,
        ord: u32,
        segment: &tantivy::SegmentReader,
    ) -> tantivy::Result<<C::Child as tantivy::collector::SegmentCollector>::Fruit> {
        if self.segments.contains(&segment.segment_id()) {
            return self.inner.collect_segment(weight, ord, segment);
        }
        use tantivy::collector::SegmentCollector;
        Ok(self.inner.for_segment(ord, segment)?.harvest())
    }
}

/// A query built from a [`QueryConfig`], ready to run.
pub struct Prepared {
    config: QueryConfig,
    query: Box<dyn tantivy::query::Query>,
    /// The aliases in force: built-in, index folder's, the config's.
    aliases: Aliases,
    executed: Executed,
}

impl Prepared {
    /// The config the query was built from.
    pub fn config(&self) -> &QueryConfig {
        &self.config
    }

    /// The query as it ran, names resolved to index keys.
    pub fn executed(&self) -> &Executed {
        &self.executed
    }

    /// The alias tables in force (built-in, the index folder's, the config's); their
    /// files are [`Aliases::files`].
    pub fn aliases(&self) -> &Aliases {
        &self.aliases
    }
}

/// One passage of the index, as [`Search::matches`] names it: equal keys are the same
/// passage within one [`Search`] (they are not stable across commits).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PassageKey(u64);

/// The state of the index a [`Search`] reads (see [`Search::index_state`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct IndexState {
    /// 16 hex digits of a blake3 hash over the committed segments.
    pub fingerprint: String,
    pub segments: usize,
    pub passages: usize,
}

/// Past this many name-dictionary lookups (keys times segments), reading the dictionary
/// whole is faster than a lookup each.
const MAX_LOOKUPS: usize = 2000;

/// BM25 statistics of a searcher with some file records left out: from the document
/// count, from the tokens of the `kind` field (one per record; a query's `kind:passage`
/// clause scores by that field's average length) and from the count of `kind:file`.
struct SetStatistics<'a> {
    searcher: &'a Searcher,
    extra_docs: u64,
    kind: tantivy::schema::Field,
}

impl tantivy::query::Bm25StatisticsProvider for SetStatistics<'_> {
    fn total_num_tokens(&self, field: tantivy::schema::Field) -> tantivy::Result<u64> {
        let all = tantivy::query::Bm25StatisticsProvider::total_num_tokens(self.searcher, field)?;
        Ok(match field == self.kind {
            true => all.saturating_sub(self.extra_docs),
            false => all,
        })
    }

    fn total_num_docs(&self) -> tantivy::Result<u64> {
        let all = tantivy::query::Bm25StatisticsProvider::total_num_docs(self.searcher)?;
        Ok(all.saturating_sub(self.extra_docs))
    }

    fn doc_freq(&self, term: &tantivy::Term) -> tantivy::Result<u64> {
        let all = self.searcher.doc_freq(term)?;
        let file_records = tantivy::Term::from_field_text(self.kind, crate::schema::KIND_FILE);
        Ok(match *term == file_records {
            true => all.saturating_sub(self.extra_docs),
            false => all,
        })
    }
}

/// What a query found, besides the hits themselves.
#[derive(Debug, Default, Serialize)]
pub struct SearchSummary {
    /// Number of matching passages.
    pub total: usize,
}

impl<'a> Search<'a> {
    pub fn new(gazette: &'a GazetteIndex) -> Result<Self, SearchError> {
        // A query process reads one commit and exits: no reload watcher thread. A larger
        // doc store cache keeps `--all` from decompressing the same block once per hit.
        let reader: tantivy::IndexReader = gazette
            .index
            .reader_builder()
            .reload_policy(tantivy::ReloadPolicy::Manual)
            .doc_store_cache_num_blocks(DOC_STORE_CACHE_BLOCKS)
            .try_into()?;
        let searcher = reader.searcher();
        let extra_file_records = match gazette.repeats_file_records() {
            true => crate::index::records::file_records(&searcher, &gazette.fields)?.extra(),
            false => 0,
        };
        Ok(Search {
            gazette,
            searcher,
            aliases: Aliases::for_index(&gazette.path, &[])?,
            names: std::sync::OnceLock::new(),
            groups: std::sync::OnceLock::new(),
            extra_file_records,
            only: None,
        })
    }

    /// The same search, whose match sets ([`Search::matches`]) and tallies
    /// ([`Search::tally`]) count the given segments only: one shard's of a shard set, so
    /// that each shard is counted apart, with the names, groups and statistics of the
    /// whole set.
    pub fn only_segments(
        self,
        segments: std::collections::HashSet<tantivy::index::SegmentId>,
    ) -> Self {
        Search {
            only: Some(segments),
            ..self
        }
    }

    /// Runs a scoring collector. BM25 takes its statistics from the whole index, as
    /// tantivy's own search does, except that repeated file records (a shard set's, or a
    /// merged one's) are not counted: scores are those of a single index of the corpus.
    fn scored<C: tantivy::collector::Collector>(
        &self,
        query: &dyn tantivy::query::Query,
        collector: &C,
    ) -> tantivy::Result<C::Fruit> {
        if let Some(segments) = &self.only {
            let only = OnlySegments {
                inner: collector,
                segments,
            };
            return self.statistics_search(query, &only);
        }
        self.statistics_search(query, collector)
    }

    fn statistics_search<C: tantivy::collector::Collector>(
        &self,
        query: &dyn tantivy::query::Query,
        collector: &C,
    ) -> tantivy::Result<C::Fruit> {
        if self.extra_file_records == 0 {
            return self.searcher.search(query, collector);
        }
        let statistics = SetStatistics {
            searcher: &self.searcher,
            extra_docs: self.extra_file_records,
            kind: self.gazette.fields.kind,
        };
        self.searcher
            .search_with_statistics_provider(query, collector, &statistics)
    }

    /// The index's entity spellings, read once per session.
    fn names(&self) -> Result<&entities::NameTable, SearchError> {
        if let Some(table) = self.names.get() {
            return Ok(table);
        }
        let table = entities::NameTable::read(&self.searcher, self.gazette.fields.names)?;
        Ok(self.names.get_or_init(|| table))
    }

    /// The index's spellings of the entities of `counts`: a range of the name
    /// dictionary per key for a few of them, the whole dictionary for many.
    fn names_for(
        &self,
        counts: &facets::GroupCounts,
        aliases: &Aliases,
    ) -> Result<std::borrow::Cow<'_, entities::NameTable>, SearchError> {
        let keys: Vec<&str> = counts
            .keys()
            .flat_map(|group| aliases.members(group))
            .take(MAX_LOOKUPS + 1)
            .collect();
        if keys.len() > MAX_LOOKUPS {
            return Ok(std::borrow::Cow::Borrowed(self.names()?));
        }
        Ok(std::borrow::Cow::Owned(self.names_of(keys)?))
    }

    /// Whether `lookups` key lookups (a range of every segment's name dictionary each)
    /// cost more than reading the dictionaries whole once.
    fn many_lookups(&self, lookups: usize) -> bool {
        lookups * self.searcher.segment_readers().len().max(1) > MAX_LOOKUPS
    }

    /// The index's spellings of `keys` only.
    fn names_of<'k>(
        &self,
        keys: impl IntoIterator<Item = &'k str>,
    ) -> Result<entities::NameTable, SearchError> {
        entities::NameTable::read_keys(&self.searcher, self.gazette.fields.names, keys)
    }

    /// What this session reads: a fingerprint of the committed segments and the number
    /// of passages. Any ingest that changes the index (adds, replaces or deletes a passage)
    /// changes the fingerprint; so does a merge of segments (ties are ordered by article id and
    /// passage, not by segment, but a merge that purges deleted passages changes the BM25
    /// statistics and so the scores).
    pub fn index_state(&self) -> Result<IndexState, SearchError> {
        let mut segments: Vec<(String, u32, u32)> = self
            .searcher
            .segment_readers()
            .iter()
            .map(|r| {
                (
                    r.segment_id().uuid_string(),
                    r.max_doc(),
                    r.num_deleted_docs(),
                )
            })
            .collect();
        segments.sort();
        let mut hasher = blake3::Hasher::new();
        hasher.update(&crate::schema::SCHEMA_VERSION.to_le_bytes());
        for (id, max_doc, deleted) in &segments {
            hasher.update(id.as_bytes());
            hasher.update(&max_doc.to_le_bytes());
            hasher.update(&deleted.to_le_bytes());
        }
        let passages = tantivy::query::TermQuery::new(
            tantivy::Term::from_field_text(self.gazette.fields.kind, crate::schema::KIND_PASSAGE),
            tantivy::schema::IndexRecordOption::Basic,
        );
        Ok(IndexState {
            fingerprint: hasher.finalize().to_hex()[..16].to_string(),
            segments: segments.len(),
            passages: self.searcher.search(&passages, &Count)?,
        })
    }

    /// The near-duplicate groups of the commit this search reads (see [`groups::load`]).
    pub fn groups(&self) -> Result<&Groups, SearchError> {
        if let Some(groups) = self.groups.get() {
            return Ok(groups);
        }
        let groups = groups::load(self.gazette, &self.searcher)?;
        Ok(self.groups.get_or_init(|| groups))
    }

    /// The copies of an article (or of a group, by its id): see [`groups::copies`].
    pub fn copies(&self, id: &str) -> Result<Vec<Copy>, SearchError> {
        groups::copies(self.gazette, &self.searcher, self.groups()?, id)
    }

    /// Every passage of one article, in order, with their entities (canonical names, as
    /// hits have them) and dates; empty when the index has no article `id`.
    pub fn article(&self, id: &str) -> Result<Vec<Hit>, SearchError> {
        use tantivy::query::{BooleanQuery, Occur, TermQuery};
        use tantivy::schema::IndexRecordOption;
        let f = &self.gazette.fields;
        let term = |field, value: &str| -> Box<dyn tantivy::query::Query> {
            Box::new(TermQuery::new(
                tantivy::Term::from_field_text(field, value),
                IndexRecordOption::Basic,
            ))
        };
        let query = BooleanQuery::new(vec![
            (Occur::Must, term(f.kind, crate::schema::KIND_PASSAGE)),
            (Occur::Must, term(f.article_id, id)),
        ]);
        let prepared = Prepared {
            config: QueryConfig {
                all: true,
                ..Default::default()
            },
            query: Box::new(query),
            aliases: self.aliases.clone(),
            executed: Executed::default(),
        };
        let addresses = self
            .searcher
            .search(&*prepared.query, &tantivy::collector::DocSetCollector)?;
        let mut loader = Loader::new(self, &prepared)?;
        let mut passages = addresses
            .into_iter()
            .map(|address| loader.load(address, 0.0))
            .collect::<Result<Vec<Hit>, SearchError>>()?;
        passages.sort_by_key(|hit| hit.passage);
        Ok(passages)
    }

    /// The copies of every group of more than one article, ordered by group id.
    pub fn all_copies(&self) -> Result<Vec<Copy>, SearchError> {
        let mut rows = Vec::new();
        for group in self.groups()?.groups() {
            rows.extend(groups::copies(
                self.gazette,
                &self.searcher,
                self.groups()?,
                group[0].id,
            )?);
        }
        Ok(rows)
    }

    /// With `--dedup`, `query` restricted to the first article of each group: the later
    /// copies' passages are excluded by their article ids, in the query itself, so
    /// counts, facets, timelines and hits all see the same passages.
    fn dedup(
        &self,
        config: &QueryConfig,
        query: Box<dyn tantivy::query::Query>,
    ) -> Result<Box<dyn tantivy::query::Query>, SearchError> {
        if !config.dedup {
            return Ok(query);
        }
        let later: Vec<tantivy::Term> = self
            .groups()?
            .later_copies()
            .map(|id| tantivy::Term::from_field_text(self.gazette.fields.article_id, id))
            .collect();
        if later.is_empty() {
            return Ok(query);
        }
        use tantivy::query::{BooleanQuery, Occur, TermSetQuery};
        Ok(Box::new(BooleanQuery::new(vec![
            (Occur::Must, query),
            (Occur::MustNot, Box::new(TermSetQuery::new(later))),
        ])))
    }

    /// Number of matching passages.
    pub fn count(&self, prepared: &Prepared) -> Result<usize, SearchError> {
        let (query, config) = (&*prepared.query, &prepared.config);
        if exact_days(config) {
            return Ok(self.exact_matches(query, config)?.len());
        }
        Ok(self.searcher.search(query, &Count)?)
    }

    /// Facet counts of the entities co-mentioned in the matching passages.
    pub fn facets(&self, prepared: &Prepared, top: usize) -> Result<Facets, SearchError> {
        let (query, config) = (&*prepared.query, &prepared.config);
        if exact_days(config) {
            // The passages that truly mention the day or week: count from their stored
            // entities, one per name and passage.
            let mut counts = facets::GroupCounts::default();
            for m in self.exact_matches(query, config)? {
                let doc: TantivyDocument = self.searcher.doc(m.address)?;
                let mentions: Vec<EntityMention> =
                    stored_json::<Vec<StoredEntity>>(&doc, self.gazette.fields.entities)
                        .into_iter()
                        .filter_map(StoredEntity::into_mention)
                        .collect();
                facets::add_passage(
                    &mut counts,
                    &prepared.aliases,
                    mentions.iter().map(|e| (e.kind, e.canonical.as_str())),
                );
            }
            let table = self.names_for(&counts, &prepared.aliases)?;
            return Ok(facets::top(counts, &table, &prepared.aliases, top));
        }
        let collector = facets::GroupCollector {
            fields: &self.gazette.fields,
            schema: self.gazette.index.schema(),
            aliases: &prepared.aliases,
            listing: false,
        };
        let counts = self.searcher.search(query, &collector)?;
        let table = self.names_for(&counts, &prepared.aliases)?;
        Ok(facets::top(counts, &table, &prepared.aliases, top))
    }

    /// Every match of a query whose `--mentions` range is finer than a month, checked
    /// against the stored ranges.
    fn exact_matches(
        &self,
        query: &dyn tantivy::query::Query,
        config: &QueryConfig,
    ) -> Result<Vec<collect::Scored>, SearchError> {
        let schema = self.gazette.index.schema();
        let published = schema
            .get_field_name(self.gazette.fields.published)
            .to_string();
        let all = self
            .searcher
            .search(query, &collect::AllScored { published })?;
        self.exact_mentions(all, config)
    }

    /// Every matching passage, as a key unique within this session, with its article id,
    /// in index order (`--mentions` finer than a month checked against the stored days).
    pub fn matches(&self, prepared: &Prepared) -> Result<Vec<(PassageKey, String)>, SearchError> {
        let (query, config) = (&*prepared.query, &prepared.config);
        let schema = self.gazette.index.schema();
        let collector = collect::WithArticle {
            article_id: schema
                .get_field_name(self.gazette.fields.article_id)
                .to_string(),
        };
        let mut found = self.scored(query, &collector)?;
        found.sort_unstable_by_key(|(address, _)| *address);
        let mut out = Vec::with_capacity(found.len());
        for (address, article) in found {
            if !exact_days(config) || self.mentions_overlap(address, config)? {
                let key = (u64::from(address.segment_ord) << 32) | u64::from(address.doc_id);
                out.push((PassageKey(key), article));
            }
        }
        Ok(out)
    }

    /// Matching passages and articles per calendar bucket, over the range [`Coverage::of`]
    /// the query gives.
    pub fn timeline(
        &self,
        prepared: &Prepared,
        unit: Unit,
        by: By,
    ) -> Result<Timeline, SearchError> {
        let tally = self.tally(prepared, unit, by)?;
        let range = coverage::choose(&tally, unit, Coverage::of(prepared.config(), by))?;
        Ok(coverage::assemble(&tally, None, unit, by, range))
    }

    /// [`Search::timeline`] with, per bucket, the passages and articles of the filters
    /// alone and the share of them the query matches. The range is chosen on the
    /// filters' data, so buckets where the query found nothing show a share of 0.
    pub fn normalized_timeline(
        &self,
        prepared: &Prepared,
        unit: Unit,
        by: By,
    ) -> Result<Timeline, SearchError> {
        let tally = self.tally(prepared, unit, by)?;
        let base = self.tally(&self.baseline(prepared)?, unit, by)?;
        let range = coverage::choose(&base, unit, Coverage::of(prepared.config(), by))?;
        Ok(coverage::assemble(&tally, Some(&base), unit, by, range))
    }

    /// The same filters as `prepared` without its query words: the denominator of a
    /// normalised timeline (every passage when there is no filter).
    pub fn baseline(&self, prepared: &Prepared) -> Result<Prepared, SearchError> {
        let config = QueryConfig {
            query: String::new(),
            ..prepared.config.clone()
        };
        let aliases = prepared.aliases.clone();
        let names = names::NameResolver::new(self, &aliases);
        let (query, executed) = query::build_filters(self.gazette, &config, &names)?;
        let query = self.dedup(&config, query)?;
        Ok(Prepared {
            config,
            query,
            aliases,
            executed,
        })
    }

    /// Matching passages and articles per bucket start, before a range is chosen
    /// (see [`coverage::choose`] and [`coverage::assemble`]).
    pub fn tally(&self, prepared: &Prepared, unit: Unit, by: By) -> Result<Tally, SearchError> {
        let (query, config) = (&*prepared.query, &prepared.config);
        let fine_mentions = by == By::Mentions && matches!(unit, Unit::Day | Unit::Week);
        if !exact_days(config) && !fine_mentions {
            let schema = self.gazette.index.schema();
            let f = &self.gazette.fields;
            let collector = timeline::TimelineCollector {
                unit,
                by,
                published: schema.get_field_name(f.published).to_string(),
                article_id: schema.get_field_name(f.article_id).to_string(),
                mention_month: schema.get_field_name(f.mention_month).to_string(),
            };
            return Ok(self.scored(query, &collector)?);
        }
        // Exact days are needed: read each matching passage's stored dates.
        let mut addresses: Vec<DocAddress> = self
            .scored(query, &tantivy::collector::DocSetCollector)?
            .into_iter()
            .collect();
        addresses.sort();
        let mut tally = timeline::Tally::default();
        let mut starts = Vec::new();
        for address in addresses {
            let hit = self.load(address, 0.0, true)?;
            if let Some(range) = config.mentions
                && !hit
                    .dates
                    .iter()
                    .filter_map(|d| d.range)
                    .any(|r| r.overlaps(&range))
            {
                continue;
            }
            starts.clear();
            match by {
                By::Published => starts.extend(hit.published.map(|p| unit.floor(p.date_naive()))),
                By::Mentions => {
                    for range in hit.dates.iter().filter_map(|d| d.range) {
                        timeline::bucket_starts(unit, range, &mut starts);
                    }
                    starts.sort_unstable();
                    starts.dedup();
                }
            }
            tally.add(&starts, &hit.article_id);
        }
        Ok(tally)
    }

    /// Runs the query and hands each hit, best first (or newest first), to `on_hit`.
    /// Stops early when `on_hit` returns an error (a closed pipe). A long answer (`--all`)
    /// is loaded and highlighted on up to `threads` threads; the order stays the same.
    pub fn run(
        &self,
        prepared: &Prepared,
        threads: usize,
        on_hit: &mut dyn FnMut(Hit) -> std::io::Result<()>,
    ) -> Result<SearchSummary, SearchError> {
        let (query, config) = (&*prepared.query, &prepared.config);
        let mut loader = Loader::new(self, prepared)?;
        let (total, addresses) = self.collect(query, config)?;
        if threads < 2 || addresses.len() < PARALLEL_MIN_HITS {
            for &(score, address) in &addresses {
                if !emit(on_hit, loader.load(address, score)?)? {
                    break;
                }
            }
        } else {
            load_in_parallel(&addresses, threads, &loader, on_hit)?;
        }
        Ok(SearchSummary { total })
    }

    /// Builds the query of `config` once (syntax checked, entity names resolved), for
    /// any number of counts, facets, timelines and runs.
    pub fn prepare(&self, config: &QueryConfig) -> Result<Prepared, SearchError> {
        self.prepare_with(config, query::build)
    }

    /// [`Search::prepare`] that accepts an empty query with no filter: every passage
    /// (for analyses of the whole index, such as a co-mention network).
    pub fn prepare_all(&self, config: &QueryConfig) -> Result<Prepared, SearchError> {
        self.prepare_with(config, query::build_filters)
    }

    fn prepare_with(
        &self,
        config: &QueryConfig,
        build: query::Builder,
    ) -> Result<Prepared, SearchError> {
        let aliases = self.aliases.merged(&config.aliases);
        let names = names::NameResolver::new(self, &aliases);
        let (query, executed) = build(self.gazette, config, &names)?;
        let query = self.dedup(config, query)?;
        Ok(Prepared {
            config: config.clone(),
            query,
            aliases,
            executed,
        })
    }

    /// The addresses of the hits to show, in order, and the total number of matches.
    /// Hits rank by score (or date, then score), ties by article id then passage number:
    /// never by where documents sit in the index's segments.
    fn collect(
        &self,
        query: &dyn tantivy::query::Query,
        config: &QueryConfig,
    ) -> Result<(usize, Vec<(f32, DocAddress)>), SearchError> {
        let ties = self.ties();
        if config.all || config.sort == SortOrder::Date || exact_days(config) {
            let mut all = if exact_days(config) {
                // Month terms over-match for a day or a week: check the stored ranges.
                self.exact_matches(query, config)?
            } else {
                let schema = self.gazette.index.schema();
                let published = schema.get_field_name(self.gazette.fields.published);
                let collector = collect::AllScored {
                    published: published.to_string(),
                };
                self.scored(query, &collector)?
            };
            let total = all.len();
            let take = if config.all { usize::MAX } else { config.limit };
            ties.sort(&mut all, config.sort, config.offset.saturating_add(take))?;
            let hits = all.into_iter().skip(config.offset).take(take);
            return Ok((total, hits.map(|m| (m.score, m.address)).collect()));
        }
        // A huge --limit or --offset must not size a heap: no more than every document
        // can be returned.
        let docs = self.searcher.num_docs() as usize;
        let (limit, offset) = (config.limit.min(docs), config.offset.min(docs));
        if limit == 0 || offset >= docs {
            return Ok((self.searcher.search(query, &Count)?, Vec::new()));
        }
        // The page's places and one more: when that one scores below the page's last,
        // every match that can be on the page is in; else a run of ties crosses the
        // page's end, and the whole run is read, to be settled by article id.
        let want = (offset + limit).min(docs);
        let top = TopDocs::with_limit(want + 1).order_by_score();
        let (top, total) = self.scored(query, &(top, Count))?;
        let mut found: Vec<collect::Scored> = top
            .into_iter()
            .map(|(score, address)| collect::Scored {
                score,
                address,
                published: None,
            })
            .collect();
        if found.len() > want && found[want].score >= found[want - 1].score {
            let least = found[want - 1].score;
            found = self.scored(query, &collect::AtLeast { score: least })?;
        }
        ties.sort(&mut found, SortOrder::Score, want)?;
        let hits = found.into_iter().skip(offset).take(limit);
        Ok((total, hits.map(|m| (m.score, m.address)).collect()))
    }

    /// What settles equal ranks: article id, then passage number.
    fn ties(&self) -> collect::Ties<'_> {
        let schema = self.searcher.schema();
        let f = &self.gazette.fields;
        collect::Ties {
            searcher: &self.searcher,
            article_id: schema.get_field_name(f.article_id),
            passage: schema.get_field_name(f.passage),
        }
    }

    fn exact_mentions(
        &self,
        all: Vec<collect::Scored>,
        config: &QueryConfig,
    ) -> Result<Vec<collect::Scored>, SearchError> {
        let mut kept = Vec::with_capacity(all.len());
        for m in all {
            if self.mentions_overlap(m.address, config)? {
                kept.push(m);
            }
        }
        Ok(kept)
    }

    fn mentions_overlap(
        &self,
        address: DocAddress,
        config: &QueryConfig,
    ) -> Result<bool, SearchError> {
        let Some(range) = config.mentions else {
            return Ok(true);
        };
        let doc: TantivyDocument = self.searcher.doc(address)?;
        let dates = stored_json::<Vec<StoredDate>>(&doc, self.gazette.fields.dates);
        Ok(dates
            .iter()
            .filter_map(|d| d.range)
            .any(|r| r.overlaps(&range)))
    }

    /// Loads one passage; its entities and dates only with `tags` (a concordance shows
    /// none, and parsing them is a good part of loading).
    fn load(&self, address: DocAddress, score: f32, tags: bool) -> Result<Hit, SearchError> {
        let f = &self.gazette.fields;
        let doc: TantivyDocument = self.searcher.doc(address)?;
        let stored = Stored(&doc);
        let article_id = stored.text(f.article_id).unwrap_or_default();
        let (group, copies) = self.groups()?.group_and_copies(&article_id);
        Ok(Hit {
            article_id,
            passage: stored.u64(f.passage),
            start: stored.u64(f.start),
            end: stored.u64(f.end),
            score,
            title: stored.text(f.title).unwrap_or_default(),
            source: stored.text(f.source),
            url: stored.text(f.url),
            path: stored.text(f.path).unwrap_or_default(),
            published: stored.date(f.published),
            crawled: stored.date(f.crawled),
            group,
            copies,
            text: stored.text(f.text).unwrap_or_default(),
            highlights: Vec::new(),
            matches: Vec::new(),
            entities: if tags {
                stored_json::<Vec<StoredEntity>>(&doc, f.entities)
                    .into_iter()
                    .filter_map(StoredEntity::into_mention)
                    .collect()
            } else {
                Vec::new()
            },
            dates: if tags {
                stored_json::<Vec<StoredDate>>(&doc, f.dates)
                    .into_iter()
                    .map(StoredDate::into_mention)
                    .collect()
            } else {
                Vec::new()
            },
        })
    }
}

/// The stored values of a passage document, as hits and exports read them.
struct Stored<'d>(&'d TantivyDocument);

impl Stored<'_> {
    fn text(&self, field: tantivy::schema::Field) -> Option<String> {
        self.0
            .get_first(field)
            .and_then(|v| v.as_str())
            .map(str::to_string)
    }

    fn u64(&self, field: tantivy::schema::Field) -> u64 {
        self.0
            .get_first(field)
            .and_then(|v| v.as_u64())
            .unwrap_or(0)
    }

    fn date(&self, field: tantivy::schema::Field) -> Option<DateTime<Utc>> {
        self.0
            .get_first(field)
            .and_then(|v| v.as_datetime())
            .and_then(|d| DateTime::<Utc>::from_timestamp(d.into_timestamp_secs(), 0))
    }
}

/// Answers with at least this many hits are loaded on several threads.
const PARALLEL_MIN_HITS: usize = 256;
/// Hits a loading thread takes at a time.
const CHUNK_HITS: usize = 64;

/// Turns hit addresses into hits with highlights; each loading thread has its own.
#[derive(Clone)]
struct Loader<'s, 'a> {
    search: &'s Search<'a>,
    aliases: &'s Aliases,
    /// Entity names across the index, by group key, as hits need them.
    displays: HashMap<String, Option<String>>,
    /// Name keys looked up so far; past [`MAX_LOOKUPS`] (over every segment) the whole
    /// name table is read once instead, as a long answer or a shard set needs.
    lookups: usize,
    terms: highlight::QueryTerms,
    /// Set for a concordance: occurrences are found instead of highlights.
    matcher: Option<matches::Matcher>,
    /// With a matcher: entities and dates are loaded too.
    occurrence_tags: bool,
    /// The text analyzer without its stemmer: same tokens, same offsets.
    words: TextAnalyzer,
    stem: TextAnalyzer,
}

impl<'s, 'a> Loader<'s, 'a> {
    fn new(search: &'s Search<'a>, prepared: &'s Prepared) -> Result<Self, SearchError> {
        let (index, text) = (&search.gazette.index, search.gazette.fields.text);
        let mut stem = index.tokenizer_for_field(text)?;
        let matcher = prepared
            .config
            .occurrences
            .then(|| matches::Matcher::of(&prepared.executed.query, &mut stem));
        Ok(Loader {
            search,
            aliases: &prepared.aliases,
            displays: HashMap::new(),
            lookups: 0,
            terms: highlight::QueryTerms::of(&*prepared.query, text),
            matcher,
            occurrence_tags: prepared.config.occurrence_tags,
            words: index
                .tokenizers()
                .get("default")
                .expect("tantivy registers its default tokenizer"),
            stem,
        })
    }

    fn load(&mut self, address: DocAddress, score: f32) -> Result<Hit, SearchError> {
        let tags = self.matcher.is_none() || self.occurrence_tags;
        let mut hit = self.search.load(address, score, tags)?;
        if tags && self.matcher.is_some() {
            self.canonical_names(&mut hit.entities)?;
        }
        match &mut self.matcher {
            Some(matcher) => hit.matches = matcher.find(&mut self.words, &mut self.stem, &hit.text),
            None => {
                self.canonical_names(&mut hit.entities)?;
                hit.highlights = self
                    .terms
                    .highlight(&mut self.words, &mut self.stem, &hit.text)
            }
        }
        Ok(hit)
    }

    /// Sets each mention's `canonical` to its entity's name across the index (its most
    /// frequent spelling, or its alias group's canonical name).
    fn canonical_names(&mut self, mentions: &mut [EntityMention]) -> Result<(), SearchError> {
        let aliases = self.aliases;
        for m in mentions {
            let key = crate::ner::normalize_name(&m.canonical);
            let group = aliases.group(&key);
            if !self.displays.contains_key(group) {
                let members = aliases.members(group);
                self.lookups += members.len();
                let display = if self.search.many_lookups(self.lookups) {
                    self.search.names()?.summary(aliases, group).display
                } else {
                    let table = self.search.names_of(members)?;
                    table.summary(aliases, group).display
                };
                self.displays.insert(group.to_string(), display);
            }
            if let Some(Some(name)) = self.displays.get(group) {
                m.canonical = name.clone();
            }
        }
        Ok(())
    }
}

/// Hands `hit` on; false when the reader has gone (a closed pipe), to stop quietly.
fn emit(on_hit: &mut dyn FnMut(Hit) -> std::io::Result<()>, hit: Hit) -> Result<bool, SearchError> {
    match on_hit(hit) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(false),
        Err(e) => Err(e.into()),
    }
}

/// Loads and highlights `addresses` on `threads` threads and hands the hits on in order.
/// Thread t takes chunks t, t + threads, t + 2 threads...; reading the threads' queues in
/// turn gives the chunks back in order, and short queues keep memory flat.
fn load_in_parallel(
    addresses: &[(f32, DocAddress)],
    threads: usize,
    loader: &Loader,
    on_hit: &mut dyn FnMut(Hit) -> std::io::Result<()>,
) -> Result<(), SearchError> {
    let chunks: Vec<_> = addresses.chunks(CHUNK_HITS).collect();
    let threads = threads.min(chunks.len());
    std::thread::scope(|scope| {
        let queues: Vec<_> = (0..threads)
            .map(|t| {
                let (tx, rx) = std::sync::mpsc::sync_channel(2);
                let (mut loader, chunks) = (loader.clone(), &chunks);
                scope.spawn(move || {
                    for chunk in chunks.iter().skip(t).step_by(threads) {
                        let hits: Result<Vec<Hit>, SearchError> = chunk
                            .iter()
                            .map(|&(score, address)| loader.load(address, score))
                            .collect();
                        let failed = hits.is_err();
                        // Sending fails once the consumer has stopped (closed pipe, error).
                        if tx.send(hits).is_err() || failed {
                            break;
                        }
                    }
                });
                rx
            })
            .collect();
        for k in 0..chunks.len() {
            // A queue closes before its last chunk only if its thread panicked; leaving
            // the scope re-raises that panic.
            let Ok(hits) = queues[k % threads].recv() else {
                break;
            };
            for hit in hits? {
                if !emit(on_hit, hit)? {
                    return Ok(());
                }
            }
        }
        Ok(())
    })
}

/// Whether a `--mentions` range is finer than whole months, so the month terms the index
/// holds over-match and the stored day ranges must be checked.
fn exact_days(config: &QueryConfig) -> bool {
    config.mentions.is_some_and(|m| !collect::month_aligned(m))
}

fn stored_json<T: serde::de::DeserializeOwned + Default>(
    doc: &TantivyDocument,
    field: tantivy::schema::Field,
) -> T {
    doc.get_first(field)
        .and_then(|v| v.as_str())
        .and_then(|s| serde_json::from_str(s).ok())
        .unwrap_or_default()
}

#[derive(serde::Deserialize)]
struct StoredEntity {
    start: usize,
    end: usize,
    text: String,
    #[serde(rename = "type")]
    kind: String,
    canonical: String,
}

impl StoredEntity {
    fn into_mention(self) -> Option<EntityMention> {
        Some(EntityMention {
            start: self.start,
            end: self.end,
            text: self.text,
            kind: EntityKind::from_tag(&self.kind)?,
            canonical: self.canonical,
        })
    }
}

#[derive(serde::Deserialize)]
struct StoredDate {
    start: usize,
    end: usize,
    text: String,
    value: String,
    range: Option<DateRange>,
}

impl StoredDate {
    fn into_mention(self) -> DateMention {
        DateMention {
            start: self.start,
            end: self.end,
            text: self.text,
            value: self.value,
            range: self.range,
        }
    }
}
