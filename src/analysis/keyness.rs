//! Keyness: the words over-represented in the passages a query matches, against the rest
//! of the index or the passages of a reference query.
//!
//! Counted in passages: a word's frequency is the number of passages whose text holds it
//! (so one passage repeating a word does not make it key, and a syndicated story counts
//! once per copy; `--dedup` keeps one). The target is every matching passage; the
//! reference is every other passage of the index (the index's own passage counts per
//! term), or the passages of a reference query less those of the target. Scored by
//! log-likelihood G2 with the log ratio as effect size ([`super::stats::keyness`]).

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use super::stats;
use super::{StopWords, WordCounts, most_frequent};
use crate::search::{Hit, Prepared, Search, SearchError};

/// What to keep.
#[derive(Clone, Copy, Debug)]
pub struct Options {
    /// Fewest target passages a key word needs.
    pub min_freq: u64,
    pub limit: usize,
    pub all_words: bool,
}

/// One key word.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct KeyTerm {
    /// The word in its most frequent spelling (lowercased) in the target.
    pub term: String,
    /// Target passages holding it.
    pub target: u64,
    /// Reference passages holding it.
    pub reference: u64,
    pub g2: f64,
    pub log_ratio: f64,
}

/// The key words of a query, by G2, and the sizes compared.
#[derive(Clone, Debug, Serialize)]
pub struct Keyness {
    /// Passages in the target and in the reference.
    pub target_passages: u64,
    pub reference_passages: u64,
    pub terms: Vec<KeyTerm>,
}

/// Per stem: passages holding it, and its spellings.
type Counts = WordCounts;

/// Where a term's reference frequency comes from.
enum Reference {
    /// The passages of a reference query, counted.
    Query(Counts),
    /// The index's passage count of each stem, less the target's.
    Index(HashMap<String, u64>),
}

impl Reference {
    /// Reference passages holding `stem`, which `target` target passages hold.
    fn passages(&self, stem: &str, target: u64) -> u64 {
        match self {
            Reference::Query(counts) => counts.get(stem).map_or(0, |c| c.0),
            Reference::Index(all) => all.get(stem).map_or(0, |n| n.saturating_sub(target)),
        }
    }
}

/// The key words of `target` against `reference` (a query's passages) or, without one,
/// against the rest of the index. Both prepared with `all`.
pub fn keyness(
    search: &Search,
    target: &Prepared,
    reference: Option<&Prepared>,
    options: Options,
    threads: usize,
) -> Result<Keyness, SearchError> {
    let stop = StopWords::english();
    let mut tokenizer = search.tokenizer()?;
    let mut count = |hit: &Hit, counts: &mut Counts| {
        let mut seen = HashSet::new();
        for t in tokenizer.tokens(&hit.text) {
            if !options.all_words && stop.contains(&t.word) {
                continue;
            }
            let entry = counts.entry(t.stem.clone()).or_default();
            *entry.1.entry(t.word).or_default() += 1;
            if seen.insert(t.stem) {
                entry.0 += 1;
            }
        }
    };
    let mut in_target = HashSet::new();
    let mut target_counts = Counts::new();
    let t = search.run(target, threads, &mut |hit| {
        in_target.insert((hit.article_id.clone(), hit.passage));
        count(&hit, &mut target_counts);
        Ok(())
    })?;
    let t = t.total as u64;
    let (r, reference_of) = match reference {
        Some(reference) => {
            let mut counts = Counts::new();
            let mut r = 0u64;
            search.run(reference, threads, &mut |hit| {
                if !in_target.contains(&(hit.article_id.clone(), hit.passage)) {
                    r += 1;
                    count(&hit, &mut counts);
                }
                Ok(())
            })?;
            (r, Reference::Query(counts))
        }
        None => {
            let (passages, _) = search.text_totals()?;
            let stems: Vec<&str> = target_counts.keys().map(String::as_str).collect();
            let in_index: HashMap<String, u64> = stems
                .iter()
                .map(|s| s.to_string())
                .zip(search.term_stats_passages(&stems)?)
                .collect();
            (passages.saturating_sub(t), Reference::Index(in_index))
        }
    };
    let mut terms: Vec<KeyTerm> = target_counts
        .iter()
        .filter(|(_, (a, _))| *a >= options.min_freq.max(1))
        .filter_map(|(stem, (a, surfaces))| {
            let b = reference_of.passages(stem, *a);
            // Over-represented only.
            if r > 0 && (*a as f64 / t as f64) <= (b as f64 / r as f64) {
                return None;
            }
            let (g2, log_ratio) = stats::keyness(*a as f64, t as f64, b as f64, r.max(1) as f64);
            Some(KeyTerm {
                term: most_frequent(surfaces),
                target: *a,
                reference: b,
                g2,
                log_ratio,
            })
        })
        .collect();
    terms.sort_by(|a, b| {
        b.g2.total_cmp(&a.g2)
            .then(b.target.cmp(&a.target))
            .then_with(|| a.term.cmp(&b.term))
    });
    terms.truncate(options.limit);
    Ok(Keyness {
        target_passages: t,
        reference_passages: r,
        terms,
    })
}
