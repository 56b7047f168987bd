//! The near-duplicate groups of an index's last commit, and what `gazette copies` lists.
//!
//! Takes a searcher over one commit, gives its [`Groups`], computed from the committed
//! article records ([`crate::dedup`]) and cached in the index folder (`groups.bin`: the
//! fingerprint, a newline, the [`Groups`] table) under a fingerprint of the commit's
//! segments and deletions: a stale or missing cache
//! (an interrupted ingest, a kill -9, an older gazette) is recomputed by whoever opens the
//! index next, so the groups always follow the committed articles and nothing but them.

use std::path::Path;

use chrono::{DateTime, Utc};
use serde::Serialize;
use tantivy::collector::DocSetCollector;
use tantivy::query::{BooleanQuery, Occur, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{Searcher, TantivyDocument, Term};

use super::SearchError;
use crate::dedup::{self, Groups, Record, Sketch};
use crate::index::GazetteIndex;
use crate::schema::{Fields, KIND_ARTICLE};

/// A fingerprint of what a searcher sees: its segments, their sizes and deletions, and the
/// grouping's parameters. A segment's deletions only grow, so their count names them.
pub fn fingerprint(searcher: &Searcher) -> String {
    let mut segments: Vec<String> = searcher
        .segment_readers()
        .iter()
        .map(|s| {
            format!(
                "{} {} {}",
                s.segment_id().uuid_string(),
                s.max_doc(),
                s.num_deleted_docs()
            )
        })
        .collect();
    segments.sort();
    let mut hasher = blake3::Hasher::new();
    hasher.update(
        format!(
            "groups v2 {} {} {} {} {}\n",
            dedup::THRESHOLD,
            dedup::MIN_SHINGLES,
            dedup::MIN_LENGTH_RATIO,
            dedup::BANDS,
            dedup::ROWS
        )
        .as_bytes(),
    );
    for s in segments {
        hasher.update(s.as_bytes());
        hasher.update(b"\n");
    }
    hasher.finalize().to_hex()[..32].to_string()
}

/// The groups of the commit `searcher` reads: from the cache when it is that commit's,
/// else computed and cached (a cache that cannot be written, on a read-only index, is
/// not an error).
pub fn load(gazette: &GazetteIndex, searcher: &Searcher) -> Result<Groups, SearchError> {
    let (groups, cached) = load_uncached(gazette, searcher)?;
    if !cached {
        let _ = store_groups(gazette, searcher, &groups);
    }
    Ok(groups)
}

/// [`load`] without writing the cache: the groups, and whether they came from it. For a
/// caller that caches them under a later commit with the same articles (ingest, after
/// its final merge), so the file is written once.
pub fn load_uncached(
    gazette: &GazetteIndex,
    searcher: &Searcher,
) -> Result<(Groups, bool), SearchError> {
    let fingerprint = fingerprint(searcher);
    let path = gazette.path.join(crate::index::GROUPS_FILE);
    if let Ok(mut bytes) = std::fs::read(&path)
        && bytes.get(..=fingerprint.len()) == Some(format!("{fingerprint}\n").as_bytes())
        && let Some(groups) = Groups::from_bytes(bytes.split_off(fingerprint.len() + 1))
    {
        return Ok((groups, true));
    }
    Ok((dedup::compute(records(gazette, searcher)?), false))
}

/// Makes `groups` the cached groups of the commit `searcher` reads, as if [`load`] had
/// computed them: how the Spark job hands a shard set the groups it computed across the
/// set ([`crate::dedup::exchange`]).
pub fn store_groups(
    gazette: &GazetteIndex,
    searcher: &Searcher,
    groups: &Groups,
) -> std::io::Result<()> {
    let path = gazette.path.join(crate::index::GROUPS_FILE);
    store(&path, &fingerprint(searcher), groups)
}

/// Writes the cache whole or not at all (a temporary file renamed over it), so a reader
/// never sees half of it.
fn store(path: &Path, fingerprint: &str, groups: &Groups) -> std::io::Result<()> {
    let mut bytes = format!("{fingerprint}\n").into_bytes();
    bytes.extend_from_slice(groups.bytes());
    let tmp = path.with_extension(format!("bin.{}.tmp", std::process::id()));
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

/// Every committed article record, with its sketch, in index order.
pub fn records(gazette: &GazetteIndex, searcher: &Searcher) -> Result<Vec<Record>, SearchError> {
    let f = &gazette.fields;
    let query = TermQuery::new(
        Term::from_field_text(f.kind, KIND_ARTICLE),
        IndexRecordOption::Basic,
    );
    let mut addresses: Vec<_> = searcher
        .search(&query, &DocSetCollector)?
        .into_iter()
        .collect();
    addresses.sort();
    let mut out = Vec::with_capacity(addresses.len());
    for address in addresses {
        let doc: TantivyDocument = searcher.doc(address)?;
        let sketch = doc
            .get_first(f.sketch)
            .and_then(|v| v.as_bytes())
            .and_then(Sketch::from_bytes)
            .unwrap_or_default();
        out.push(Record {
            id: text(&doc, f.article_id).unwrap_or_default(),
            published: published(&doc, f).map(|d| d.timestamp()),
            sketch,
        });
    }
    Ok(out)
}

/// One article of a group, as `gazette copies` lists it.
#[derive(Clone, Debug, Serialize)]
pub struct Copy {
    pub article_id: String,
    /// The group's id: its first article's.
    pub group: String,
    pub source: Option<String>,
    #[serde(serialize_with = "super::serialize_published")]
    pub published: Option<DateTime<Utc>>,
    pub path: String,
    /// Containment of this article's shingles and the first article's (1 for the first).
    pub similarity: f64,
}

/// The group of the article `id` (an article id or a group id), first article first;
/// one row when the article has no copies, none when the index has no such article.
pub fn copies(
    gazette: &GazetteIndex,
    searcher: &Searcher,
    groups: &Groups,
    id: &str,
) -> Result<Vec<Copy>, SearchError> {
    let members: Vec<(String, f64)> = match groups.of(id) {
        Some(group) => group
            .iter()
            .map(|m| (m.id.to_string(), m.similarity))
            .collect(),
        None => vec![(id.to_string(), 1.0)],
    };
    let group = members[0].0.clone();
    let f = &gazette.fields;
    let mut rows = Vec::with_capacity(members.len());
    for (article_id, similarity) in members {
        let Some(doc) = article_record(searcher, f, &article_id)? else {
            continue;
        };
        rows.push(Copy {
            group: group.clone(),
            source: text(&doc, f.source),
            published: published(&doc, f),
            path: text(&doc, f.path).unwrap_or_default(),
            article_id,
            similarity,
        });
    }
    Ok(rows)
}

/// The article record of `id`, if the index holds that article.
fn article_record(
    searcher: &Searcher,
    f: &Fields,
    id: &str,
) -> Result<Option<TantivyDocument>, SearchError> {
    let term = |field, value: &str| -> Box<dyn tantivy::query::Query> {
        Box::new(TermQuery::new(
            Term::from_field_text(field, value),
            IndexRecordOption::Basic,
        ))
    };
    let query = BooleanQuery::new(vec![
        (Occur::Must, term(f.kind, KIND_ARTICLE)),
        (Occur::Must, term(f.article_id, id)),
    ]);
    let found = searcher.search(&query, &DocSetCollector)?;
    match found.into_iter().min() {
        Some(address) => Ok(Some(searcher.doc(address)?)),
        None => Ok(None),
    }
}

fn text(doc: &TantivyDocument, field: tantivy::schema::Field) -> Option<String> {
    doc.get_first(field)
        .and_then(|v| v.as_str())
        .map(str::to_string)
}

fn published(doc: &TantivyDocument, f: &Fields) -> Option<DateTime<Utc>> {
    doc.get_first(f.published)
        .and_then(|v| v.as_datetime())
        .and_then(|d| DateTime::<Utc>::from_timestamp(d.into_timestamp_secs(), 0))
}
