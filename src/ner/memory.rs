//! What the tagger has said earlier in the same text, as features for what follows.
//!
//! Takes the labels chosen for capitalised words, sentence by sentence, and gives
//! features for later occurrences of the same word (compared lowercase, without a name
//! particle), so an article is tagged consistently: "Ruch" the club stays ORG, and a
//! lone "Sharaa" after "Ahmed al-Sharaa" leans to PER. Learning uses it the same way,
//! with the learner's own predictions, so the model learns how far to trust it.

use super::fastmap::FastMap;
use super::features::{FeatureSink, Template, WordView, key};

/// What the tagger has said so far in the current text about capitalised word types:
/// how often each was labelled O, PER, ORG, LOC, MISC. It lets later mentions of a name
/// agree with earlier ones ("Ruch" the club stays ORG all through an article).
#[derive(Default)]
pub(crate) struct DocMemory {
    counts: FastMap<u64, [u16; 5]>,
}

impl DocMemory {
    /// Records the label chosen for a word (`info`) if the word is capitalised
    /// ([`super::features::is_capitalized`]). A name after a particle has the bare name's
    /// key, so "al-Assad" speaks for "Assad".
    pub(crate) fn record(&mut self, capitalized: bool, info: &impl WordView, label: usize) {
        if capitalized {
            // 0 for O, else 1 + the entity kind.
            let kind = label.div_ceil(2);
            let c = self.counts.entry(info.lower()).or_default();
            c[kind] = c[kind].saturating_add(1);
        }
    }

    /// Sends features for the word's earlier labels to `out`: each label seen, with
    /// whether it was the only one, the majority, or a minority.
    pub(crate) fn features<W: WordView>(&self, info: &W, out: &mut impl FeatureSink<W>) {
        let Some(c) = self.counts.get(&info.lower()) else {
            return;
        };
        let total: u32 = c.iter().map(|&n| u32::from(n)).sum();
        for (kind, &n) in c.iter().enumerate() {
            if n == 0 {
                continue;
            }
            let n = u32::from(n);
            let share = if n == total {
                2
            } else if 2 * n >= total {
                1
            } else {
                0
            };
            out.key(key(Template::DocHistory, (kind as u64) << 4 | share));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ner::casing::CaseStats;
    use crate::ner::clusters::WordClusters;
    use crate::ner::features::{WordInfo, is_capitalized, word_info};

    /// Collects keys, ignoring slot features.
    struct Keys(Vec<u32>);

    impl FeatureSink<WordInfo> for Keys {
        fn word(&mut self, _: &WordInfo, _: usize) {}
        fn key(&mut self, key: u32) {
            self.0.push(key);
        }
    }

    fn info(word: &str) -> WordInfo {
        word_info(
            word,
            &CaseStats::default(),
            &WordClusters::default(),
            &mut |k| Some(k),
        )
    }

    #[test]
    fn remembers_capitalised_words_across_particles_and_case() {
        let mut memory = DocMemory::default();
        let mut keys = Keys(Vec::new());
        memory.features(&info("Assad"), &mut keys);
        assert!(keys.0.is_empty(), "nothing recorded yet");
        // I-PER for "al-Assad"; lowercase words are not recorded.
        memory.record(is_capitalized("al-Assad"), &info("al-Assad"), 2);
        memory.record(is_capitalized("said"), &info("said"), 0);
        memory.features(&info("ASSAD"), &mut keys);
        assert_eq!(keys.0, [key(Template::DocHistory, 1 << 4 | 2)]);
        keys.0.clear();
        memory.features(&info("said"), &mut keys);
        assert!(keys.0.is_empty());
        // A second, different label makes both shares partial.
        memory.record(is_capitalized("Assad"), &info("Assad"), 5);
        memory.features(&info("Assad"), &mut keys);
        assert_eq!(
            keys.0,
            [
                key(Template::DocHistory, 1 << 4 | 1),
                key(Template::DocHistory, 3 << 4 | 1)
            ]
        );
    }
}
