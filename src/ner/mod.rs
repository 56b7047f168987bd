//! Named-entity tagging: finds PER, ORG, LOC and MISC names in raw news text.
//!
//! Takes article or passage text and gives [`EntityMention`]s with byte offsets into it.
//! The text is split by a CoNLL-style tokenizer (`tokenize`), each sentence is tagged
//! left to right by an averaged perceptron over word, shape, affix, context-window,
//! bigram and gazetteer features (`features`, `gazetteer`, `weights`), and the IOB2
//! labels become mentions. [`canonicalize`] then links mentions of one article ("Putin"
//! -> "Vladimir Putin") and [`normalize_name`] gives the key the index matches names by.
//!
//! The model ships inside the binary (`models/ner.bin`, built by `scripts/train-ner.sh`
//! with the functions in `train`), so [`Tagger::builtin`] needs no files at run time.

mod canonical;
mod casing;
mod clusters;
mod fastmap;
mod features;
mod gazetteer;
mod memory;
mod model_io;
mod outlets;
mod perceptron;
mod tokenize;
pub mod train;
mod weights;
mod word_cache;

use std::sync::OnceLock;

pub use canonical::{canonicalize, is_negated, normalize_name};
pub use model_io::ModelError;

use crate::model::{EntityKind, EntityMention};
use casing::CaseStats;
use clusters::WordClusters;
use features::{BOUNDARY, LABELS, WordView};
use gazetteer::Gazetteer;
use memory::DocMemory;
use weights::{Scorer, TagWord, Weights};

/// The trained model, embedded at compile time.
static BUILTIN_MODEL: &[u8] = include_bytes!("../../models/ner.bin");

/// A loaded entity tagger. Cheap to share: tagging takes `&self`.
#[derive(Debug)]
pub struct Tagger {
    weights: Weights,
    gazetteer: Gazetteer,
    casing: CaseStats,
    clusters: WordClusters,
    /// Identifies this tagger's entries in the per-thread word cache.
    id: u64,
    /// Features of the padding around a sentence.
    boundary: TagWord,
    /// Summed weights of [`features::label_features`] per (previous, one before) label.
    label_sums: Vec<[i32; LABELS]>,
}

/// The entity kind of IOB2 label `label` (1..LABELS), in [`EntityKind::ALL`] order.
fn label_kind(label: usize) -> EntityKind {
    EntityKind::ALL[(label - 1) / 2]
}

/// Whether `label` may follow `prev` in IOB2: `I-X` only continues `B-X` or `I-X`.
/// `prev == LABELS` means the start of the sentence.
pub(crate) fn allowed(prev: usize, label: usize) -> bool {
    label == 0
        || label % 2 == 1
        || (prev != 0 && prev < LABELS && (prev - 1) / 2 == (label - 1) / 2)
}

impl Tagger {
    /// The tagger with the model built into the binary, loaded on first use.
    pub fn builtin() -> &'static Tagger {
        static TAGGER: OnceLock<Tagger> = OnceLock::new();
        TAGGER.get_or_init(|| {
            Tagger::from_bytes(BUILTIN_MODEL).expect("the embedded NER model is valid")
        })
    }

    /// Builds a tagger from its parts.
    pub(crate) fn new(
        weights: Weights,
        gazetteer: Gazetteer,
        casing: CaseStats,
        clusters: WordClusters,
    ) -> Tagger {
        let mut resolve = |k: u32| weights.get(k);
        let boundary = TagWord::new(
            &features::word_info(BOUNDARY, &casing, &clusters, &mut resolve),
            &weights,
        );
        let mut label_sums = Vec::with_capacity((LABELS + 1) * (LABELS + 1));
        for prev in 0..=LABELS {
            for prev2 in 0..=LABELS {
                let mut scorer = Scorer {
                    weights: &weights,
                    scores: [0; LABELS],
                };
                features::label_features::<TagWord>(prev, prev2, &mut scorer);
                label_sums.push(scorer.scores);
            }
        }
        Tagger {
            weights,
            gazetteer,
            casing,
            clusters,
            id: word_cache::new_tagger_id(),
            boundary,
            label_sums,
        }
    }

    /// Number of weighted features in the model (for training reports).
    pub fn feature_count(&self) -> usize {
        self.weights.quantised().1.count()
    }

    /// Finds the entities in `text`, in text order, with byte offsets into it. The
    /// canonical name of each is its own surface text (possessives are never part of a
    /// mention); run [`canonicalize`] over an article's mentions to link them.
    ///
    /// A line break always ends a sentence, so headlines and datelines should be on
    /// lines of their own. Earlier mentions inform later ones within one call ("Ruch"
    /// stays the club it was), so tag a whole article at once, or its passages with
    /// [`Tagger::tag_parts`], rather than passage by passage.
    pub fn tag(&self, text: &str) -> Vec<EntityMention> {
        let mut mentions = self.tag_in_context(text, &mut DocMemory::default());
        agree_with_full_names(&mut mentions.iter_mut().collect::<Vec<_>>());
        mentions
    }

    /// Tags the parts of one article in order (its passages, say), as [`Tagger::tag`]
    /// would tag their concatenation: earlier parts inform later ones. Offsets are
    /// relative to each part; one list of mentions per part.
    pub fn tag_parts<'a>(
        &self,
        parts: impl IntoIterator<Item = &'a str>,
    ) -> Vec<Vec<EntityMention>> {
        let mut memory = DocMemory::default();
        let mut tagged: Vec<Vec<EntityMention>> = parts
            .into_iter()
            .map(|p| self.tag_in_context(p, &mut memory))
            .collect();
        agree_with_full_names(&mut tagged.iter_mut().flatten().collect::<Vec<_>>());
        tagged
    }

    /// Tags `text`, reading and extending what `memory` knows of the article so far.
    fn tag_in_context(&self, text: &str, memory: &mut DocMemory) -> Vec<EntityMention> {
        let tokens = tokenize::tokenize(text);
        let mut mentions = Vec::new();
        for sentence in tokenize::sentences(text, &tokens) {
            let toks = &tokens[sentence];
            let words: Vec<&str> = toks.iter().map(|t| &text[t.start..t.end]).collect();
            let labels = self.label_sentence(&words, memory);
            // A name neither starts nor ends with a comma, quote or dash ("Al-Sharaa," at
            // the start of a text once came out with its comma). Brackets and periods
            // can end one: CoNLL's "Mladost ( L )", "Salomon Bros .".
            let wordy = |i: usize| {
                !words[i].chars().all(|c| {
                    matches!(
                        c,
                        ',' | ';' | ':' | '"' | '\'' | '“' | '”' | '‘' | '’' | '-' | '—' | '–'
                    )
                })
            };
            for (mut first, mut last, kind) in spans(&labels) {
                while first < last && !wordy(first) {
                    first += 1;
                }
                while last > first && !wordy(last) {
                    last -= 1;
                }
                if !wordy(first) {
                    continue;
                }
                // A courtesy title is not part of a name (CoNLL's convention): British
                // copy writes "Mr Blair" without the period the training data has.
                if kind == EntityKind::Person && first < last && is_title(words[first]) {
                    first += 1;
                }
                let (start, end) = (toks[first].start, toks[last].end);
                let surface = &text[start..end];
                mentions.push(EntityMention {
                    start,
                    end,
                    text: surface.to_string(),
                    kind,
                    canonical: surface.to_string(),
                });
            }
        }
        mentions
    }

    /// Labels one sentence's tokens (IOB2 label numbers), remembering the labels of
    /// capitalised words in `memory` for the rest of the text.
    pub(crate) fn label_sentence(&self, words: &[&str], memory: &mut DocMemory) -> Vec<usize> {
        let compute = |w: &str| {
            let info = features::word_info(w, &self.casing, &self.clusters, &mut |k| {
                self.weights.get(k)
            });
            let mut word = TagWord::new(&info, &self.weights);
            word.capitalized = features::is_capitalized(w);
            word.plain = is_plain(w);
            word.parts = self.gazetteer.part_of(w, info.lower);
            word
        };
        word_cache::with_words(self.id, words, compute, |infos| {
            self.label_words(words, infos, memory)
        })
    }

    /// [`Tagger::label_sentence`] once the words' features are at hand.
    fn label_words(
        &self,
        words: &[&str],
        infos: &[&TagWord],
        memory: &mut DocMemory,
    ) -> Vec<usize> {
        let hashes: Vec<u64> = infos.iter().map(|i| i.lower()).collect();
        let marks =
            self.gazetteer
                .marks_known(&hashes, |i| infos[i].capitalized, |i| infos[i].parts);
        let headline = features::is_headline(words);
        let mut labels = Vec::with_capacity(words.len());
        let (mut prev, mut prev2) = (LABELS, LABELS);
        for i in 0..words.len() {
            if prev == 0 && skips_model(infos[i].plain, infos.get(i + 1).map(|n| n.capitalized)) {
                labels.push(0);
                (prev2, prev) = (prev, 0);
                continue;
            }
            let scores = self.label_sums[prev * (LABELS + 1) + prev2];
            let mut scorer = Scorer {
                weights: &self.weights,
                scores,
            };
            features::static_features(infos, &self.boundary, &marks, headline, i, &mut scorer);
            // features::history_features, summed per word in advance.
            for (s, add) in scorer.scores.iter_mut().zip(infos[i].history(prev)) {
                *s += add;
            }
            memory.features(infos[i], &mut scorer);
            let label = best_label(&scorer.scores, prev);
            labels.push(label);
            (prev2, prev) = (prev, label);
        }
        // Recorded after the sentence, so a name's own sentence doesn't vote for itself.
        for (i, &label) in labels.iter().enumerate() {
            memory.record(infos[i].capitalized, infos[i], label);
        }
        labels
    }
}

/// Whether token `i` is outside any name without asking the model: a word of lowercase
/// letters only, after a token outside a name (the caller checks), and before a token that
/// cannot start or continue a name's capitalised part (lowercase, punctuation, the end).
/// Names in news are capitalised; a lowercase word is inside one only next to a
/// capitalised part ("Bank of England", "the Hague", "van Gogh"), which this keeps for
/// the model. Most running-text tokens are such words, and scoring one costs dozens of
/// weight lookups: skipping them took a fifth off `gazette tag`'s CPU time on BBC text
/// (with the model before word clusters), and the CoNLL-2003 dev score did not move to
/// three decimals, with that model (one false positive fewer) and with the shipped one.
/// (The tagger asks [`skips_model`] with what its word cache keeps; this is the same rule
/// on the words themselves, which the tests check.)
#[cfg(test)]
fn plainly_not_a_name(words: &[&str], i: usize) -> bool {
    skips_model(
        is_plain(words[i]),
        words.get(i + 1).map(|next| features::is_capitalized(next)),
    )
}

/// [`plainly_not_a_name`] from what the tagger keeps with each word type: whether the
/// word is plain ([`is_plain`]) and whether the next one, if any, is capitalised.
fn skips_model(plain: bool, next_capitalized: Option<bool>) -> bool {
    plain && next_capitalized != Some(true)
}

/// A word of lowercase letters only.
fn is_plain(word: &str) -> bool {
    word.chars().all(char::is_lowercase)
}

/// The number of tokens the tagger splits `text` into (for speed measurements).
pub fn count_tokens(text: &str) -> usize {
    tokenize::tokenize(text).len()
}

/// The highest-scoring label allowed after `prev`.
pub(crate) fn best_label<T: PartialOrd>(scores: &[T; LABELS], prev: usize) -> usize {
    let mut best = 0;
    for l in 1..LABELS {
        if scores[l] > scores[best] && allowed(prev, l) {
            best = l;
        }
    }
    best
}

/// Makes a one-word mention that is the surname of a person named in full elsewhere in
/// the text a person too: after "Bashar al-Assad", a lone "Assad" is him, not a place.
fn agree_with_full_names(mentions: &mut [&mut EntityMention]) {
    let surnames: Vec<String> = mentions
        .iter()
        .filter(|m| m.kind == EntityKind::Person && m.text.contains(' '))
        .filter_map(|m| m.text.rsplit(' ').next())
        .map(|last| normalize_name(features::name_after_particle(last).unwrap_or(last)))
        .collect();
    if surnames.is_empty() {
        return;
    }
    for m in mentions
        .iter_mut()
        .filter(|m| m.kind != EntityKind::Person && !m.text.contains(' '))
    {
        let word = features::name_after_particle(&m.text).unwrap_or(&m.text);
        if surnames.contains(&normalize_name(word)) {
            m.kind = EntityKind::Person;
        }
    }
}

/// Turns IOB2 labels into `(first token, last token, kind)` spans.
/// Courtesy titles that precede a person's name.
fn is_title(word: &str) -> bool {
    matches!(
        word.trim_end_matches('.'),
        "Mr" | "Mrs" | "Ms" | "Miss" | "Dr" | "Prof" | "Mx"
    )
}

fn spans(labels: &[usize]) -> Vec<(usize, usize, EntityKind)> {
    let mut out: Vec<(usize, usize, EntityKind)> = Vec::new();
    let mut open = false;
    for (i, &l) in labels.iter().enumerate() {
        if l == 0 {
            open = false;
        } else if l % 2 == 0 && open && out.last().is_some_and(|s| s.2 == label_kind(l)) {
            out.last_mut().expect("open span").1 = i;
        } else {
            out.push((i, i, label_kind(l)));
            open = true;
        }
    }
    out
}

#[cfg(test)]
mod tests;
