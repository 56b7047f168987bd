//! Per-thread cache of word types' summed feature weights.
//!
//! Takes a tagger and a word and gives the word's [`TagWord`], computing it on first
//! sight. News vocabulary is Zipfian, so after a few articles nearly every token is a
//! cache hit and costs one hash lookup instead of ~30 feature lookups. The cache is per
//! thread (no locks on the ingest's hot path), belongs to one tagger at a time (each
//! tagger has a unique id), and is emptied when it grows past a bound so memory stays
//! flat over a large corpus.

use std::cell::RefCell;
use std::sync::atomic::{AtomicU64, Ordering};

use super::fastmap::FastMap;
use super::weights::TagWord;

/// Word types kept per thread before the cache starts over (~700 bytes each).
const MAX_WORDS: usize = 50_000;

static NEXT_TAGGER_ID: AtomicU64 = AtomicU64::new(1);

/// A fresh id for a new tagger.
pub(crate) fn new_tagger_id() -> u64 {
    NEXT_TAGGER_ID.fetch_add(1, Ordering::Relaxed)
}

#[derive(Default)]
pub(crate) struct WordCache {
    tagger: u64,
    /// Word -> index into `entries`.
    words: FastMap<Box<str>, u32>,
    entries: Vec<TagWord>,
}

thread_local! {
    static CACHE: RefCell<WordCache> = RefCell::new(WordCache::default());
}

impl WordCache {
    /// Makes sure every word of `words` is cached (computing misses with `compute`),
    /// then runs `f` with the words' entries in order.
    fn run<R>(
        &mut self,
        tagger: u64,
        words: &[&str],
        mut compute: impl FnMut(&str) -> TagWord,
        f: impl FnOnce(&[&TagWord]) -> R,
    ) -> R {
        if self.tagger != tagger || self.words.len() + words.len() > MAX_WORDS {
            self.words.clear();
            self.entries.clear();
            self.tagger = tagger;
        }
        // One hash lookup per token; entries are then reached by index.
        let indices: Vec<u32> = words
            .iter()
            .map(|w| match self.words.get(*w) {
                Some(&i) => i,
                None => {
                    let i = self.entries.len() as u32;
                    self.entries.push(compute(w));
                    self.words.insert((*w).into(), i);
                    i
                }
            })
            .collect();
        let entries: Vec<&TagWord> = indices.iter().map(|&i| &self.entries[i as usize]).collect();
        f(&entries)
    }
}

/// Runs `f` with the cached entries of `words` for tagger `tagger`.
pub(crate) fn with_words<R>(
    tagger: u64,
    words: &[&str],
    compute: impl FnMut(&str) -> TagWord,
    f: impl FnOnce(&[&TagWord]) -> R,
) -> R {
    CACHE.with_borrow_mut(|cache| cache.run(tagger, words, compute, f))
}
