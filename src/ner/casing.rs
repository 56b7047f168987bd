//! How often a word is capitalised in running text, learned from unlabeled news.
//!
//! Takes tokenised sentences (the GMB news text, which is *not* the CoNLL training text,
//! so words unseen there look the same in training and on new articles) and gives, for a
//! lowercased word, a bucket of the share of its mid-sentence occurrences that were
//! capitalised. It tells "The", "Despite" or "SOCCER" (common words that happen to start
//! a sentence or a headline) from "Hmeimim" or "Tartous" (never seen, probably a name).

use std::collections::HashMap;

use super::fastmap::FastMap;

/// Capitalisation share per lowercased word, bucketed.
#[derive(Clone, Debug, Default)]
pub(crate) struct CaseStats {
    buckets: FastMap<String, u8>,
}

/// Bucket for a word never seen in the text.
pub(crate) const UNSEEN: u8 = 0;

impl CaseStats {
    /// Counts capitalised and lowercase mid-sentence occurrences of each word.
    pub(crate) fn from_sentences<'a>(sentences: impl IntoIterator<Item = &'a [String]>) -> Self {
        let mut counts: HashMap<String, (u32, u32)> = HashMap::new();
        for sentence in sentences {
            for token in sentence.iter().skip(1) {
                let mut chars = token.chars();
                let Some(first) = chars.next() else { continue };
                if !first.is_alphabetic() || token.chars().all(|c| !c.is_lowercase()) {
                    // All-caps tokens say nothing about the word's usual case.
                    continue;
                }
                let c = counts.entry(token.to_lowercase()).or_default();
                if first.is_uppercase() {
                    c.0 += 1;
                } else {
                    c.1 += 1;
                }
            }
        }
        let buckets = counts
            .into_iter()
            .map(|(word, (caps, lower))| {
                let share = f64::from(caps) / f64::from(caps + lower);
                let bucket = match share {
                    s if s < 0.05 => 1,
                    s if s < 0.5 => 2,
                    s if s < 0.95 => 3,
                    _ => 4,
                };
                // Rare words get their own buckets: one sighting is weak evidence.
                let bucket = if caps + lower < 3 { bucket + 4 } else { bucket };
                (word, bucket)
            })
            .collect();
        CaseStats { buckets }
    }

    /// The bucket of a lowercased word ([`UNSEEN`] if never seen).
    pub(crate) fn bucket(&self, lower: &str) -> u8 {
        self.buckets.get(lower).copied().unwrap_or(UNSEEN)
    }

    /// All words and buckets, sorted (for saving).
    pub(crate) fn entries(&self) -> Vec<(&str, u8)> {
        let mut v: Vec<_> = self.buckets.iter().map(|(w, &b)| (w.as_str(), b)).collect();
        v.sort_unstable();
        v
    }

    /// Rebuilds the table from saved entries.
    pub(crate) fn from_entries<'a>(entries: impl IntoIterator<Item = (&'a str, u8)>) -> Self {
        CaseStats {
            buckets: entries
                .into_iter()
                .map(|(w, b)| (w.to_string(), b))
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_by_share_of_capitalised_uses() {
        let text = [
            "The talks in Moscow went on .",
            "Officials in Moscow said the talks failed .",
            "MOSCOW said the talks , the Talks .",
        ];
        let sentences: Vec<Vec<String>> = text
            .iter()
            .map(|s| s.split(' ').map(String::from).collect())
            .collect();
        let stats = CaseStats::from_sentences(sentences.iter().map(Vec::as_slice));
        assert_eq!(stats.bucket("moscow"), 4 + 4);
        assert_eq!(stats.bucket("the"), 1);
        assert_eq!(stats.bucket("talks"), 2);
        assert_eq!(stats.bucket("hmeimim"), UNSEEN);
        let again = CaseStats::from_entries(stats.entries());
        assert_eq!(again.bucket("talks"), 2);
    }
}
