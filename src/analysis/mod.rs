//! Analyses over the hits of one query: what a corpus linguist asks of a set of
//! passages rather than of one passage. [`kwic`]: keyword-in-context lines, one per
//! occurrence of the query's words and phrases; [`collocates`]: the words near those
//! occurrences; [`keyness`]: the words over-represented in the matching passages;
//! [`network`]: who is mentioned with whom. The measures themselves are in [`stats`].

use std::collections::{HashMap, HashSet};

pub mod collocates;
pub mod expand;
pub mod keyness;
pub mod kwic;
pub mod network;
pub mod stats;

/// The English stop words collocates and keyness leave out unless asked, split into
/// the tokens the index makes of them ("it's" -> "it", "s").
pub(crate) struct StopWords(HashSet<String>);

impl StopWords {
    pub(crate) fn english() -> StopWords {
        let words = include_str!("stopwords.txt")
            .lines()
            .filter(|l| !l.starts_with('#'))
            .flat_map(|l| l.split(|c: char| !c.is_alphanumeric()))
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect();
        StopWords(words)
    }

    pub(crate) fn contains(&self, word: &str) -> bool {
        self.0.contains(word)
    }
}

/// Per stem: a count (co-occurrences, passages) and the word's spellings with theirs.
pub(crate) type WordCounts = HashMap<String, WordCount>;
pub(crate) type WordCount = (u64, HashMap<String, u64>);

/// The most frequent of a word's spellings (ties: the first in alphabetical order).
pub(crate) fn most_frequent(spellings: &HashMap<String, u64>) -> String {
    spellings
        .iter()
        .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
        .map(|(w, _)| w.clone())
        .unwrap_or_default()
}
