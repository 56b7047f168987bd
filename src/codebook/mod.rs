//! Codebooks: many labelled queries over the same filters, answered in one session.
//!
//! Takes a [`Codebook`] (parsed in `parse`) and the filters every label shares, builds
//! every query first (so a malformed one is reported with its line before anything
//! runs), then answers on all cores: per label the passages and articles matched and how
//! many no other label matched ([`counts`]), label x label overlaps ([`cooccurrence`]),
//! or one timeline per label over one shared bucket range ([`timelines`], with the same
//! `search::coverage` rules as `query --timeline`). The hit sets are plain sorted lists
//! from [`Search::matches`]; nothing here knows tantivy.

mod parse;

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde::{Deserialize, Serialize};

pub use parse::{Codebook, Entry, LineError};

use crate::search::{
    By, Coverage, PassageKey, Prepared, QueryConfig, Search, SearchError, Tally, TallyCounts,
    Timeline, Unit, coverage,
};

/// Errors of a batch: malformed lines (the user's to fix, all at once), or the index.
#[derive(Debug, thiserror::Error)]
pub enum CodebookError {
    #[error("the codebook has malformed lines:\n{}", lines(.0))]
    Lines(Vec<LineError>),
    #[error(transparent)]
    Search(#[from] SearchError),
}

fn lines(errors: &[LineError]) -> String {
    let all: Vec<String> = errors.iter().map(|e| format!("  {e}")).collect();
    all.join("\n")
}

/// Builds the query of every entry with `filters` (a [`QueryConfig`] whose `query` is
/// ignored). Every entry whose query does not parse, or names an ambiguous entity, is
/// reported with its line number.
pub fn prepare(
    search: &Search,
    book: &Codebook,
    filters: &QueryConfig,
) -> Result<Vec<Prepared>, CodebookError> {
    let mut prepared = Vec::with_capacity(book.entries.len());
    let mut errors = Vec::new();
    for entry in &book.entries {
        let config = QueryConfig {
            query: entry.query.clone(),
            ..filters.clone()
        };
        match search.prepare(&config) {
            Ok(p) => prepared.push(p),
            Err(SearchError::Index(e)) => return Err(SearchError::Index(e).into()),
            Err(e) => {
                // A syntax error spans lines (query and caret): keep them, indented.
                let message = format!("label {:?}: {e}", entry.label).replace('\n', "\n    ");
                errors.push(LineError {
                    line: entry.line,
                    message,
                });
            }
        }
    }
    if errors.is_empty() {
        Ok(prepared)
    } else {
        Err(CodebookError::Lines(errors))
    }
}

/// The passages and distinct articles one label matched, each sorted.
#[derive(Clone, Debug, Default)]
pub struct MatchSet {
    pub passages: Vec<PassageKey>,
    pub articles: Vec<String>,
}

/// The match set of every prepared query, in order, computed on `threads` threads.
pub fn match_sets(
    search: &Search,
    prepared: &[Prepared],
    threads: usize,
) -> Result<Vec<MatchSet>, SearchError> {
    par_map(prepared.len(), threads, |i| {
        let found = search.matches(&prepared[i])?;
        let mut articles: Vec<String> = found.iter().map(|(_, a)| a.clone()).collect();
        articles.sort_unstable();
        articles.dedup();
        let mut passages: Vec<PassageKey> = found.into_iter().map(|(k, _)| k).collect();
        passages.sort_unstable();
        Ok(MatchSet { passages, articles })
    })
}

/// What one label matched: the default answer of `gazette batch`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabelCounts {
    pub label: String,
    pub query: String,
    pub passages: u64,
    pub articles: u64,
    /// Passages no other label matched.
    pub only_passages: u64,
    /// Articles in which no other label matched any passage.
    pub only_articles: u64,
}

/// Per label, its counts and those no other label shares (`sets` in codebook order).
pub fn counts(book: &Codebook, sets: &[MatchSet]) -> Vec<LabelCounts> {
    let mut passage_labels: HashMap<PassageKey, u32> = HashMap::new();
    let mut article_labels: HashMap<&str, u32> = HashMap::new();
    for set in sets {
        for p in &set.passages {
            *passage_labels.entry(*p).or_default() += 1;
        }
        for a in &set.articles {
            *article_labels.entry(a.as_str()).or_default() += 1;
        }
    }
    book.entries
        .iter()
        .zip(sets)
        .map(|(entry, set)| LabelCounts {
            label: entry.label.clone(),
            query: entry.query.clone(),
            passages: set.passages.len() as u64,
            articles: set.articles.len() as u64,
            only_passages: set
                .passages
                .iter()
                .filter(|p| passage_labels[*p] == 1)
                .count() as u64,
            only_articles: set
                .articles
                .iter()
                .filter(|a| article_labels[a.as_str()] == 1)
                .count() as u64,
        })
        .collect()
}

/// Passages and articles two labels both matched (on the diagonal, a label's own counts).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pair {
    pub label: String,
    pub other: String,
    pub passages: u64,
    pub articles: u64,
}

/// Every ordered pair of labels, row by row in codebook order (n x n, symmetric).
pub fn cooccurrence(book: &Codebook, sets: &[MatchSet]) -> Vec<Pair> {
    let mut pairs = Vec::with_capacity(sets.len() * sets.len());
    for (a, set_a) in book.entries.iter().zip(sets) {
        for (b, set_b) in book.entries.iter().zip(sets) {
            pairs.push(Pair {
                label: a.label.clone(),
                other: b.label.clone(),
                passages: shared(&set_a.passages, &set_b.passages),
                articles: shared(&set_a.articles, &set_b.articles),
            });
        }
    }
    pairs
}

/// Size of the intersection of two sorted, distinct lists.
fn shared<T: Ord>(a: &[T], b: &[T]) -> u64 {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => (i, j, n) = (i + 1, j + 1, n + 1),
        }
    }
    n
}

/// One label's timeline.
#[derive(Clone, Debug)]
pub struct LabelTimeline {
    pub label: String,
    pub query: String,
    pub timeline: Timeline,
}

/// A timeline per label over one shared bucket range, counted on `threads` threads. The
/// range follows `query --timeline`'s rules ([`Coverage::of`] the shared filters), chosen
/// on the filters alone when `normalize` (as `query --timeline --normalize` does, so the
/// buckets are the same), else on every label's counts together. With `normalize`, the
/// totals of the filters alone are counted once for all labels.
pub fn timelines(
    search: &Search,
    book: &Codebook,
    prepared: &[Prepared],
    how: (Unit, By, bool),
    threads: usize,
) -> Result<Vec<LabelTimeline>, SearchError> {
    let (tallies, base) = tallies(search, prepared, how, threads)?;
    assemble(book, prepared, tallies, base, how)
}

/// Every label's tally, and with `normalize` (`how.2`) the filters' own.
fn tallies(
    search: &Search,
    prepared: &[Prepared],
    (unit, by, normalize): (Unit, By, bool),
    threads: usize,
) -> Result<(Vec<Tally>, Option<Tally>), SearchError> {
    let Some(first) = prepared.first() else {
        return Ok((Vec::new(), None));
    };
    let base = match normalize {
        true => Some(search.tally(&search.baseline(first)?, unit, by)?),
        false => None,
    };
    let tallies = par_map(prepared.len(), threads, |i| {
        search.tally(&prepared[i], unit, by)
    })?;
    Ok((tallies, base))
}

/// The labels' timelines from their tallies, over one range (see [`timelines`]).
fn assemble(
    book: &Codebook,
    prepared: &[Prepared],
    tallies: Vec<Tally>,
    base: Option<Tally>,
    (unit, by, _): (Unit, By, bool),
) -> Result<Vec<LabelTimeline>, SearchError> {
    let Some(first) = prepared.first() else {
        return Ok(Vec::new());
    };
    let coverage_of = Coverage::of(first.config(), by);
    let range = match &base {
        Some(base) => coverage::choose(base, unit, coverage_of)?,
        // The range is chosen on passages, which the labels' tallies add up to.
        None => coverage::choose(
            &Tally::summed(tallies.iter().map(Tally::counts)),
            unit,
            coverage_of,
        )?,
    };
    Ok(book
        .entries
        .iter()
        .zip(&tallies)
        .map(|(entry, tally)| LabelTimeline {
            label: entry.label.clone(),
            query: entry.query.clone(),
            timeline: coverage::assemble(tally, base.as_ref(), unit, by, range),
        })
        .collect())
}

/// Which answer of a codebook.
#[derive(Clone, Copy, Debug)]
pub enum Answer {
    /// Per label counts ([`counts`]).
    Counts,
    /// Label x label ([`cooccurrence`]).
    Cooccurrence,
    /// A timeline per label ([`timelines`]): unit, by, normalised.
    Timelines(Unit, By, bool),
}

/// What one shard of a shard set adds to a codebook's answer (`gazette batch --partial`):
/// counted over the shard's segments only (a [`Search::only_segments`]), with the whole
/// set's names and near-duplicate groups. A set's shards hold disjoint articles, so
/// these add up to the answer of the whole set ([`merge`]).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "answer", rename_all = "snake_case")]
pub enum Partial {
    Counts {
        counts: Vec<LabelCounts>,
    },
    Cooccurrence {
        pairs: Vec<Pair>,
    },
    Timelines {
        tallies: Vec<TallyCounts>,
        base: Option<TallyCounts>,
    },
}

/// This search's part of the answer, as counts (see [`Partial`]).
pub fn partial(
    search: &Search,
    book: &Codebook,
    prepared: &[Prepared],
    answer: Answer,
    threads: usize,
) -> Result<Partial, SearchError> {
    Ok(match answer {
        Answer::Counts => Partial::Counts {
            counts: counts(book, &match_sets(search, prepared, threads)?),
        },
        Answer::Cooccurrence => Partial::Cooccurrence {
            pairs: cooccurrence(book, &match_sets(search, prepared, threads)?),
        },
        Answer::Timelines(unit, by, normalize) => {
            let (tallies, base) = tallies(search, prepared, (unit, by, normalize), threads)?;
            Partial::Timelines {
                tallies: tallies.iter().map(Tally::counts).collect(),
                base: base.as_ref().map(Tally::counts),
            }
        }
    })
}

/// A codebook's answer, over a whole index or set ([`answer`]) or added up from the
/// parts of every shard of a set ([`merge`]).
pub enum Merged {
    Counts(Vec<LabelCounts>),
    Cooccurrence(Vec<Pair>),
    Timelines(Vec<LabelTimeline>),
}

/// The codebook's `answer` over the whole of `search`.
pub fn answer(
    search: &Search,
    book: &Codebook,
    prepared: &[Prepared],
    answer: Answer,
    threads: usize,
) -> Result<Merged, SearchError> {
    Ok(match answer {
        Answer::Timelines(unit, by, normalize) => Merged::Timelines(timelines(
            search,
            book,
            prepared,
            (unit, by, normalize),
            threads,
        )?),
        Answer::Counts => Merged::Counts(counts(book, &match_sets(search, prepared, threads)?)),
        Answer::Cooccurrence => {
            Merged::Cooccurrence(cooccurrence(book, &match_sets(search, prepared, threads)?))
        }
    })
}

/// Adds up the shards' `parts` of `answer` (see [`Partial`]); an error when a part is
/// not of this codebook and answer.
pub fn merge(
    book: &Codebook,
    prepared: &[Prepared],
    answer: Answer,
    parts: Vec<Partial>,
) -> Result<Merged, MergeError> {
    let labels = book.entries.len();
    match answer {
        Answer::Counts => {
            let mut sum: Option<Vec<LabelCounts>> = None;
            for part in parts {
                let Partial::Counts { counts } = part else {
                    return Err(MergeError::Answer);
                };
                let same = |a: &LabelCounts, e: &Entry| a.label == e.label && a.query == e.query;
                if counts.len() != labels
                    || !counts.iter().zip(&book.entries).all(|(a, e)| same(a, e))
                {
                    return Err(MergeError::Labels);
                }
                match &mut sum {
                    None => sum = Some(counts),
                    Some(sum) => {
                        for (s, c) in sum.iter_mut().zip(counts) {
                            s.passages += c.passages;
                            s.articles += c.articles;
                            s.only_passages += c.only_passages;
                            s.only_articles += c.only_articles;
                        }
                    }
                }
            }
            Ok(Merged::Counts(sum.ok_or(MergeError::None)?))
        }
        Answer::Cooccurrence => {
            let mut sum: Option<Vec<Pair>> = None;
            for part in parts {
                let Partial::Cooccurrence { pairs } = part else {
                    return Err(MergeError::Answer);
                };
                if pairs.len() != labels * labels {
                    return Err(MergeError::Labels);
                }
                match &mut sum {
                    None => sum = Some(pairs),
                    Some(sum) => {
                        for (s, p) in sum.iter_mut().zip(pairs) {
                            if (&s.label, &s.other) != (&p.label, &p.other) {
                                return Err(MergeError::Labels);
                            }
                            s.passages += p.passages;
                            s.articles += p.articles;
                        }
                    }
                }
            }
            Ok(Merged::Cooccurrence(sum.ok_or(MergeError::None)?))
        }
        Answer::Timelines(unit, by, normalize) => {
            let mut tallies: Vec<Vec<TallyCounts>> = vec![Vec::new(); labels];
            let mut bases = Vec::new();
            let mut any = false;
            for part in parts {
                let Partial::Timelines { tallies: t, base } = part else {
                    return Err(MergeError::Answer);
                };
                if t.len() != labels || base.is_some() != normalize {
                    return Err(MergeError::Labels);
                }
                for (all, one) in tallies.iter_mut().zip(t) {
                    all.push(one);
                }
                bases.extend(base);
                any = true;
            }
            if !any {
                return Err(MergeError::None);
            }
            let tallies = tallies.into_iter().map(Tally::summed).collect();
            let base = normalize.then(|| Tally::summed(bases));
            assemble(book, prepared, tallies, base, (unit, by, normalize))
                .map(Merged::Timelines)
                .map_err(MergeError::Search)
        }
    }
}

/// Why shards' parts do not add up to an answer.
#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    #[error("no part to add up")]
    None,
    #[error("a part answers another question (counts, co-occurrence or timelines)")]
    Answer,
    #[error("a part has other labels or options than this codebook's")]
    Labels,
    #[error(transparent)]
    Search(SearchError),
}

/// `f(0) .. f(n - 1)` in order, computed on up to `threads` threads taking the next
/// index as they finish (queries differ a lot in cost). The first error wins.
fn par_map<T: Send>(
    n: usize,
    threads: usize,
    f: impl Fn(usize) -> Result<T, SearchError> + Sync,
) -> Result<Vec<T>, SearchError> {
    let threads = threads.clamp(1, n.max(1));
    if threads == 1 {
        return (0..n).map(f).collect();
    }
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<Result<T, SearchError>>>> =
        Mutex::new((0..n).map(|_| None).collect());
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= n {
                        break;
                    }
                    let r = f(i);
                    let failed = r.is_err();
                    results.lock().expect("no thread panics holding it")[i] = Some(r);
                    if failed {
                        // Let the other threads stop at their next index.
                        next.store(n, Ordering::Relaxed);
                        break;
                    }
                }
            });
        }
    });
    let results = results.into_inner().expect("no thread panics holding it");
    // An index is left unrun only after some other index failed: that error is returned.
    let mut out = Vec::with_capacity(n);
    for r in results.into_iter().flatten() {
        out.push(r?);
    }
    Ok(out)
}
