//! What an index holds: articles, passages, sources, date range, size, date origins,
//! near-duplicate groups.

use std::collections::{BTreeMap, HashSet};

use serde::Serialize;
use tantivy::Term;
use tantivy::collector::{Count, DocSetCollector};
use tantivy::query::{BooleanQuery, Occur, TermQuery};
use tantivy::schema::IndexRecordOption;

use crate::index::GazetteIndex;
use crate::schema::KIND_PASSAGE;

/// The numbers `gazette stats` prints. The first six keys are a stable JSON contract.
#[derive(Debug, Default, Serialize)]
pub struct IndexStats {
    pub articles: u64,
    pub passages: u64,
    pub sources: u64,
    pub first_published: Option<String>,
    pub last_published: Option<String>,
    pub index_bytes: u64,
    /// Articles by where their publication date came from (`unknown` when none).
    pub date_origins: BTreeMap<String, u64>,
    /// Corpus files the index holds.
    pub files: u64,
    /// Groups of near-duplicate articles (copies of one story) with more than one article.
    pub groups: u64,
    /// Articles in those groups.
    pub articles_in_groups: u64,
    pub segments: usize,
    /// Whether the last ingest finished and committed it all: false while an ingest runs
    /// (its lock file names it), after Ctrl-C, a crash or a `kill -9` (run it again), and
    /// when no ingest ever committed.
    pub complete: bool,
}

/// Reads the statistics of an index.
pub fn index_stats(gazette: &GazetteIndex) -> tantivy::Result<IndexStats> {
    let f = &gazette.fields;
    let searcher = gazette.manual_reader()?.searcher();
    let passage_kind = || -> Box<dyn tantivy::query::Query> {
        Box::new(TermQuery::new(
            Term::from_field_text(f.kind, KIND_PASSAGE),
            IndexRecordOption::Basic,
        ))
    };
    let first_passages = BooleanQuery::new(vec![
        (Occur::Must, passage_kind()),
        (
            Occur::Must,
            Box::new(TermQuery::new(
                Term::from_field_u64(f.passage, 0),
                IndexRecordOption::Basic,
            )),
        ),
    ]);
    let mut stats = IndexStats {
        passages: searcher.search(&*passage_kind(), &Count)? as u64,
        files: crate::index::records::file_records(&searcher, f)?.files,
        segments: searcher.segment_readers().len(),
        index_bytes: folder_bytes(&gazette.path),
        // The last commit's own word is not enough: before an ingest's first commit the
        // index still holds the previous one, or nothing.
        complete: gazette.commit_info().is_some_and(|info| info.complete)
            && crate::index::lock::writer_pid(&gazette.path).is_none(),
        ..Default::default()
    };

    // One pass over the first passage of every live article: sources, dates, origins.
    let schema = gazette.index.schema();
    let mut sources: HashSet<String> = HashSet::new();
    let (mut first, mut last): (Option<i64>, Option<i64>) = (None, None);
    let mut firsts: Vec<tantivy::DocAddress> = searcher
        .search(&first_passages, &DocSetCollector)?
        .into_iter()
        .collect();
    firsts.sort();
    stats.articles = firsts.len() as u64;
    for (segment, reader) in searcher.segment_readers().iter().enumerate() {
        let ff = reader.fast_fields();
        let source = ff.str(schema.get_field_name(f.source))?;
        let origin = ff.str(schema.get_field_name(f.date_origin))?;
        let published = ff.date(schema.get_field_name(f.published)).ok();
        let mut buf = String::new();
        let docs = firsts
            .iter()
            .filter(|a| a.segment_ord as usize == segment)
            .map(|a| a.doc_id);
        for doc in docs {
            if let Some(col) = &source {
                for ord in col.term_ords(doc) {
                    buf.clear();
                    if col.ord_to_str(ord, &mut buf)? {
                        sources.insert(buf.clone());
                    }
                }
            }
            let mut label = "unknown".to_string();
            if let Some(col) = &origin
                && let Some(ord) = col.term_ords(doc).next()
            {
                buf.clear();
                col.ord_to_str(ord, &mut buf)?;
                label = buf.clone();
            }
            *stats.date_origins.entry(label).or_default() += 1;
            if let Some(secs) = published
                .as_ref()
                .and_then(|c| c.first(doc))
                .map(|d| d.into_timestamp_secs())
            {
                first = Some(first.map_or(secs, |f| f.min(secs)));
                last = Some(last.map_or(secs, |l| l.max(secs)));
            }
        }
    }
    stats.sources = sources.len() as u64;
    let groups = crate::search::Search::new(gazette)
        .and_then(|s| s.groups().cloned())
        .map_err(|e| tantivy::TantivyError::InternalError(e.to_string()))?;
    stats.groups = groups.len() as u64;
    stats.articles_in_groups = groups.grouped_articles() as u64;
    let iso = |secs: i64| {
        chrono::DateTime::from_timestamp(secs, 0).map(|d| d.format("%Y-%m-%d").to_string())
    };
    stats.first_published = first.and_then(iso);
    stats.last_published = last.and_then(iso);
    Ok(stats)
}

fn folder_bytes(path: &std::path::Path) -> u64 {
    walkdir::WalkDir::new(path)
        .into_iter()
        .flatten()
        .filter_map(|e| e.metadata().ok())
        .filter(|m| m.is_file())
        .map(|m| m.len())
        .sum()
}
