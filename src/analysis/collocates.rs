//! Collocates: the words found within a window of the query's matches, over every
//! matching passage, scored against their frequency in the whole index.
//!
//! Takes a prepared query whose hits carry their occurrences
//! (`QueryConfig::occurrences`, every hit), gives [`Collocates`]. A node is one
//! occurrence of a word or phrase of the query (as `query --kwic` shows it); the words
//! up to `window` tokens left and right of it (not inside a match) are counted by stem,
//! shown in their most frequent spelling. Scores are in [`super::stats`].

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use super::stats::Cooccurrence;
use super::{StopWords, WordCount, WordCounts, most_frequent};
use crate::model::EntityKind;
use crate::search::{Prepared, QueryConfig, Search, SearchError};

/// The association measure collocates are ranked by.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Measure {
    #[default]
    LogDice,
    Mi,
    T,
    Ll,
}

/// What to count and keep.
#[derive(Clone, Copy, Debug)]
pub struct Options {
    /// Tokens each side of a match.
    pub window: usize,
    pub measure: Measure,
    /// Fewest co-occurrences a collocate needs.
    pub min_freq: u64,
    /// Most collocates given.
    pub limit: usize,
    /// Keep stop words.
    pub all_words: bool,
    /// Count the entities near the matches too (the prepared query needs
    /// `occurrence_tags`).
    pub entities: bool,
}

/// One collocate.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Collocate {
    /// The word, in its most frequent spelling (lowercased) near the matches; or the
    /// entity's name.
    pub term: String,
    /// For an entity: its type (`PER`, `ORG`, `LOC`, `MISC`); none for a word.
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<EntityKind>,
    /// Times it occurred within the window of a match.
    pub cooccurrences: u64,
    /// Its occurrences in the text of the whole index (an entity: the passages of the
    /// index naming it).
    pub frequency: u64,
    /// Co-occurrences expected by chance.
    pub expected: f64,
    pub score: f64,
}

/// The collocates of a query, best first, and what they were counted over.
#[derive(Clone, Debug, Serialize)]
pub struct Collocates {
    pub measure: Measure,
    pub window: usize,
    /// Matching passages.
    pub passages: usize,
    /// Occurrences of the query's words and phrases in them (the node frequency).
    pub node: u64,
    /// Tokens in the text of the index.
    pub tokens: u64,
    pub collocates: Vec<Collocate>,
}

/// Counts and scores the collocates of `prepared` (built with `occurrences` and `all`).
pub fn collocates(
    search: &Search,
    prepared: &Prepared,
    options: Options,
    threads: usize,
) -> Result<Collocates, SearchError> {
    let mut tokenizer = search.tokenizer()?;
    let stop = StopWords::english();
    let mut counts = WordCounts::new();
    let mut node = 0u64;
    // Entities near a node: (type, name) -> co-occurrences.
    let mut near: HashMap<(EntityKind, String), u64> = HashMap::new();
    let summary = search.run(prepared, threads, &mut |hit| {
        let tokens = tokenizer.tokens(&hit.text);
        // Which tokens each match covers, and which tokens are inside any match.
        let mut inside = vec![false; tokens.len()];
        let mut nodes = Vec::new();
        for m in &hit.matches {
            let covered: Vec<usize> = (0..tokens.len())
                .filter(|&i| tokens[i].start >= m.start && tokens[i].end <= m.end)
                .collect();
            let (Some(&first), Some(&last)) = (covered.first(), covered.last()) else {
                continue;
            };
            covered.iter().for_each(|&i| inside[i] = true);
            nodes.push((first, last));
        }
        node += nodes.len() as u64;
        for &(first, last) in &nodes {
            if !options.entities {
                break;
            }
            // An entity is near a node when one of its words is in the window and none
            // is inside the node (bytes of the window: from its first to its last word).
            let lo = tokens[first.saturating_sub(options.window)].start;
            let hi = tokens[(last + options.window).min(tokens.len() - 1)].end;
            let (node_start, node_end) = (tokens[first].start, tokens[last].end);
            let mut seen = HashSet::new();
            for e in &hit.entities {
                let overlaps_node = e.start < node_end && e.end > node_start;
                if !overlaps_node
                    && e.start < hi
                    && e.end > lo
                    && seen.insert((e.kind, &e.canonical))
                {
                    *near.entry((e.kind, e.canonical.clone())).or_default() += 1;
                }
            }
        }
        for (first, last) in nodes {
            let left = first.saturating_sub(options.window)..first;
            let right = last + 1..(last + 1 + options.window).min(tokens.len());
            for i in left.chain(right) {
                let t = &tokens[i];
                if inside[i] || (!options.all_words && stop.contains(&t.word)) {
                    continue;
                }
                let entry = counts.entry(t.stem.clone()).or_default();
                entry.0 += 1;
                *entry.1.entry(t.word.clone()).or_default() += 1;
            }
        }
        Ok(())
    })?;
    let candidates: Vec<(&String, &WordCount)> = counts
        .iter()
        .filter(|(_, (n, _))| *n >= options.min_freq.max(1))
        .collect();
    let stems: Vec<&str> = candidates.iter().map(|(s, _)| s.as_str()).collect();
    let stats = search.term_stats(&stems)?;
    let (_, tokens) = search.text_totals()?;
    let mut out: Vec<Collocate> = candidates
        .iter()
        .zip(stats)
        .map(|((_, (n, surfaces)), stats)| {
            let c = Cooccurrence {
                observed: *n as f64,
                node: node as f64,
                // A word seen near a match is in the index at least that often.
                collocate: stats.tokens.max(*n) as f64,
                n: tokens.max(1) as f64,
                span: 2.0 * options.window as f64,
            };
            Collocate {
                term: most_frequent(surfaces),
                kind: None,
                cooccurrences: *n,
                frequency: stats.tokens,
                expected: c.expected(),
                score: match options.measure {
                    Measure::LogDice => c.log_dice(),
                    Measure::Mi => c.mi(),
                    Measure::T => c.t_score(),
                    Measure::Ll => c.log_likelihood(),
                },
            }
        })
        .collect();
    let score = |c: &Cooccurrence| match options.measure {
        Measure::LogDice => c.log_dice(),
        Measure::Mi => c.mi(),
        Measure::T => c.t_score(),
        Measure::Ll => c.log_likelihood(),
    };
    for ((kind, name), n) in near {
        if n < options.min_freq.max(1) {
            continue;
        }
        let filter = QueryConfig {
            entities: vec![(Some(kind), name.clone())],
            aliases: prepared.config().aliases.clone(),
            ..Default::default()
        };
        let frequency = match search.prepare(&filter) {
            Ok(p) => search.count(&p)? as u64,
            // A display name that no longer resolves alone (an ambiguous surname).
            Err(_) => n,
        };
        let c = Cooccurrence {
            observed: n as f64,
            node: node as f64,
            collocate: frequency.max(n) as f64,
            n: tokens.max(1) as f64,
            span: 2.0 * options.window as f64,
        };
        out.push(Collocate {
            term: name,
            kind: Some(kind),
            cooccurrences: n,
            frequency,
            expected: c.expected(),
            score: score(&c),
        });
    }
    out.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(b.cooccurrences.cmp(&a.cooccurrences))
            .then_with(|| a.term.cmp(&b.term))
    });
    out.truncate(options.limit);
    Ok(Collocates {
        measure: options.measure,
        window: options.window,
        passages: summary.total,
        node,
        tokens,
        collocates: out,
    })
}
