//! tantivy's `en_stem` analyzer, with the lowercasing and stemming of each word type done
//! once per index writer instead of once per token.
//!
//! Takes passage and title text, gives exactly the terms tantivy's own `en_stem` gives
//! (simple tokenizer, tokens over 40 bytes dropped, lowercased, English Snowball stem).
//! Stemming is a tenth of an ingest's CPU time, and news vocabulary is Zipfian: nearly
//! every token is a word type seen a moment ago. So the filter keeps a map from a token as
//! written ("Prices") to its term ("price"), filled by running tantivy's own `LowerCaser`
//! and `Stemmer` on each new word type, which keeps the terms identical by construction.
//!
//! Each clone of the analyzer (tantivy clones it per segment writer and per query) starts
//! with an empty table, so nothing is shared between threads and no lock is taken; the
//! table has a fixed size (512 KB, allocated once a few hundred tokens have gone through).

use std::hash::Hasher;

use rustc_hash::FxHasher;
use tantivy::tokenizer::{
    Language, LowerCaser, RawTokenizer, RemoveLongFilter, SimpleTokenizer, Stemmer, TextAnalyzer,
    Token, TokenFilter, TokenStream, Tokenizer,
};

/// tantivy's `en_stem` analyzer with cached stems (same terms).
pub(super) fn en_stem() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(CachedLowerStem)
        .build()
}

/// tantivy's `en_stem` as tantivy builds it (the reference the cached one must equal).
#[cfg(test)]
fn tantivy_en_stem() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(Stemmer::new(Language::English))
        .build()
}

/// Token filter: lowercase, then English stem, memoised per word type.
#[derive(Clone, Copy)]
struct CachedLowerStem;

impl TokenFilter for CachedLowerStem {
    type Tokenizer<T: Tokenizer> = CachedLowerStemFilter<T>;

    fn transform<T: Tokenizer>(self, inner: T) -> CachedLowerStemFilter<T> {
        CachedLowerStemFilter {
            inner,
            stems: StemMap::default(),
        }
    }
}

struct CachedLowerStemFilter<T> {
    inner: T,
    stems: StemMap,
}

impl<T: Clone> Clone for CachedLowerStemFilter<T> {
    /// A clone starts with an empty map: clones go to other threads.
    fn clone(&self) -> Self {
        CachedLowerStemFilter {
            inner: self.inner.clone(),
            stems: StemMap::default(),
        }
    }
}

impl<T: Tokenizer> Tokenizer for CachedLowerStemFilter<T> {
    type TokenStream<'a> = CachedLowerStemStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        CachedLowerStemStream {
            tail: self.inner.token_stream(text),
            stems: &mut self.stems,
        }
    }
}

struct CachedLowerStemStream<'a, T> {
    tail: T,
    stems: &'a mut StemMap,
}

impl<T: TokenStream> TokenStream for CachedLowerStemStream<'_, T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        self.stems.apply(&mut self.tail.token_mut().text);
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

/// Token as written -> its lowercased stem, in a direct-mapped table: one slot per hash
/// value, holding the word and its stem inline, so a lookup touches one cache line (a
/// hash map of boxed strings spent more time chasing pointers than stemming took). A
/// word whose slot holds another word is stemmed again and takes the slot; the frequent
/// words keep theirs.
struct StemMap {
    /// Allocated after [`EAGER_TOKENS`] tokens, so a query's few words cost no table.
    slots: Option<Box<[Slot]>>,
    tokens: usize,
    /// tantivy's own lowercasing and stemming, run on each new word type.
    reference: TextAnalyzer,
}

/// Slots in the table (a power of two); 32 bytes each, 512 KB in all: small enough to
/// stay in a core's cache, where a larger table cost a memory miss per token.
const SLOTS: usize = 1 << 14;
/// The longest word (and stem), in bytes, kept in the table; longer ones are rare and
/// are stemmed every time.
const INLINE: usize = 15;
/// Tokens stemmed without a table before one is allocated.
const EAGER_TOKENS: usize = 512;

#[derive(Clone, Copy)]
#[repr(align(32))]
struct Slot {
    /// 0: empty (tokens are never empty).
    word_len: u8,
    stem_len: u8,
    word: [u8; INLINE],
    stem: [u8; INLINE],
}

const EMPTY: Slot = Slot {
    word_len: 0,
    stem_len: 0,
    word: [0; INLINE],
    stem: [0; INLINE],
};

impl Default for StemMap {
    fn default() -> Self {
        StemMap {
            slots: None,
            tokens: 0,
            reference: TextAnalyzer::builder(RawTokenizer::default())
                .filter(LowerCaser)
                .filter(Stemmer::new(Language::English))
                .build(),
        }
    }
}

impl StemMap {
    /// Replaces `word` with its term.
    fn apply(&mut self, word: &mut String) {
        let len = word.len();
        if len <= INLINE {
            self.tokens += 1;
            if self.slots.is_none() && self.tokens > EAGER_TOKENS {
                self.slots = Some(vec![EMPTY; SLOTS].into_boxed_slice());
            }
        }
        let slot = match self.slots.as_deref_mut() {
            Some(slots) if len <= INLINE => {
                let mut hasher = FxHasher::default();
                hasher.write(word.as_bytes());
                Some(&mut slots[hasher.finish() as usize & (SLOTS - 1)])
            }
            _ => None,
        };
        if let Some(slot) = &slot
            && usize::from(slot.word_len) == len
            && slot.word[..len] == *word.as_bytes()
        {
            let stem = std::str::from_utf8(&slot.stem[..usize::from(slot.stem_len)])
                .expect("stems are stored from strings");
            word.clear();
            word.push_str(stem);
            return;
        }
        let stem = stem_with(&mut self.reference, word);
        if let Some(slot) = slot
            && stem.len() <= INLINE
        {
            slot.word_len = len as u8;
            slot.word[..len].copy_from_slice(word.as_bytes());
            slot.stem_len = stem.len() as u8;
            slot.stem[..stem.len()].copy_from_slice(stem.as_bytes());
        }
        *word = stem;
    }
}

/// `word` lowercased and stemmed by tantivy's own filters (`reference`).
fn stem_with(reference: &mut TextAnalyzer, word: &str) -> String {
    let mut stem = String::new();
    reference
        .token_stream(word)
        .process(&mut |t| stem.push_str(&t.text));
    stem
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<(String, usize, usize, usize)> {
        let mut out = Vec::new();
        analyzer
            .token_stream(text)
            .process(&mut |t| out.push((t.text.clone(), t.offset_from, t.offset_to, t.position)));
        out
    }

    const TEXTS: &[&str] = &[
        "Oil prices rose on Monday as OPEC's ministers met in Vienna; prices, PRICES, Prices.",
        "Al-Sharaa, recognizing Syria's dependence on Russian supplies, especially in energy and food.",
        "Ünïcödé wörds: İstanbul, ΑΘΗΝΑ, straße, Straße, STRASSE, naïve, Café, café's 1980s 3.5bn",
        "running runs ran runner generously generous generalizations organisations' organisation",
        "averyveryveryveryveryveryveryverylongwordthatisdropped short ones kept",
        "",
        "   ...   ",
    ];

    #[test]
    fn gives_the_same_terms_offsets_and_positions_as_tantivys_en_stem() {
        let mut cached = en_stem();
        let mut reference = tantivy_en_stem();
        // Many times over, so later passes are answered from the table.
        for text in std::iter::repeat_n(TEXTS, 20).flatten() {
            assert_eq!(
                tokens(&mut cached, text),
                tokens(&mut reference, text),
                "{text}"
            );
        }
        // More word types than slots, so words take each other's slots, then the same
        // text again.
        let many: String = (0..100_000)
            .map(|i| format!("Running{i}s organisations{} ", i % 7))
            .collect();
        for _ in 0..2 {
            assert!(tokens(&mut cached, &many) == tokens(&mut reference, &many));
        }
    }

    #[test]
    fn words_are_answered_from_the_table_once_it_exists() {
        let mut map = StemMap::default();
        let stem = |map: &mut StemMap, w: &str| {
            let mut word = w.to_string();
            map.apply(&mut word);
            word
        };
        assert_eq!(stem(&mut map, "Prices"), "price");
        assert!(map.slots.is_none(), "no table for a query's few words");
        for i in 0..EAGER_TOKENS {
            stem(&mut map, &format!("word{i}"));
        }
        let filled = |map: &StemMap| {
            map.slots
                .as_deref()
                .unwrap()
                .iter()
                .filter(|s| s.word_len > 0)
                .count()
        };
        let before = filled(&map);
        assert_eq!(stem(&mut map, "Prices"), "price");
        assert_eq!(filled(&map), before + 1);
        assert_eq!(stem(&mut map, "Prices"), "price");
        assert_eq!(filled(&map), before + 1, "a known word takes no new slot");
        assert_eq!(stem(&mut map, "PRICES"), "price");
        assert_eq!(filled(&map), before + 2);
        // Too long to keep inline: stemmed each time, still right.
        let long = "Internationalisations".repeat(2);
        assert_eq!(stem(&mut map, &long), stem(&mut StemMap::default(), &long));
        assert_eq!(filled(&map), before + 2);
    }

    #[test]
    fn a_clone_starts_empty() {
        let mut filter = CachedLowerStem.transform(SimpleTokenizer::default());
        let text = "prices rose ".repeat(EAGER_TOKENS);
        filter.token_stream(&text).process(&mut |_| {});
        assert!(filter.stems.slots.is_some());
        assert!(filter.clone().stems.slots.is_none());
    }
}
