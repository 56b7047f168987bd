//! Word clusters learned from unlabeled news text, so rare words borrow from common ones.
//!
//! Takes tokenised sentences (GMB, BBC and the CoNLL training text, labels unused) and
//! gives each frequent word type two cluster numbers: a fine one (one of [`FINE`]) and
//! the coarse group of that cluster (one of [`COARSE`]). Words are described by the
//! words seen just left and right of them (positive PMI over the most frequent words,
//! unit length) and grouped by spherical k-means, so "airbase" lands beside "base" and
//! "barracks", and a word the labelled data never saw in a context still gets the
//! weight its cluster earned there. The sizes were chosen by dev score (256 fine
//! clusters scored lower, 1,024 lower still). Everything is deterministic: the same text gives the
//! same clusters, and so the same model.

use std::collections::HashMap;

use super::fastmap::FastMap;

/// Fine clusters.
pub(crate) const FINE: usize = 512;
/// Coarse groups of fine clusters.
pub(crate) const COARSE: usize = 64;
/// A word type needs this many occurrences to be clustered.
const MIN_COUNT: u32 = 4;
/// Context words: the most frequent ones, on the left and on the right.
const CONTEXTS: usize = 1000;
/// k-means rounds.
const ROUNDS: usize = 12;

/// Word type (lowercase, digits folded to 0) -> fine cluster; fine -> coarse.
#[derive(Clone, Debug, Default)]
pub(crate) struct WordClusters {
    fine: FastMap<String, u16>,
    coarse: Vec<u8>,
}

/// The form clusters are keyed by: lowercase with digits folded to `0`.
pub(crate) fn cluster_form(word: &str) -> String {
    word.chars()
        .flat_map(char::to_lowercase)
        .map(|c| if c.is_ascii_digit() { '0' } else { c })
        .collect()
}

impl WordClusters {
    /// Learns clusters from `sentences` (tokens as written).
    pub(crate) fn learn<'a>(sentences: impl IntoIterator<Item = &'a [String]>) -> Self {
        let sentences: Vec<Vec<String>> = sentences
            .into_iter()
            .map(|s| s.iter().map(|t| cluster_form(t)).collect())
            .collect();
        let mut counts: HashMap<&str, u32> = HashMap::new();
        for s in &sentences {
            for t in s {
                *counts.entry(t.as_str()).or_default() += 1;
            }
        }
        // Frequency order, ties by the word: a fixed order whatever the map's.
        let mut by_freq: Vec<(&str, u32)> = counts.into_iter().collect();
        by_freq.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        by_freq.retain(|&(_, n)| n >= MIN_COUNT);
        if by_freq.len() < FINE {
            return WordClusters::default();
        }
        let index: HashMap<&str, usize> = by_freq
            .iter()
            .enumerate()
            .map(|(i, &(w, _))| (w, i))
            .collect();
        // Context dimensions: left word (0..CONTEXTS), right word (CONTEXTS..), and the
        // sentence boundary on either side (the last two).
        let dims = 2 * CONTEXTS + 2;
        let context = |w: Option<&String>, right: bool| -> usize {
            let base = if right { CONTEXTS } else { 0 };
            match w {
                None => 2 * CONTEXTS + usize::from(right),
                Some(w) => match index.get(w.as_str()) {
                    Some(&i) if i < CONTEXTS => base + i,
                    _ => usize::MAX,
                },
            }
        };
        let mut cooc: Vec<FastMap<u32, u32>> = vec![FastMap::default(); by_freq.len()];
        let mut dim_totals = vec![0u64; dims];
        for s in &sentences {
            for (i, t) in s.iter().enumerate() {
                let Some(&w) = index.get(t.as_str()) else {
                    continue;
                };
                let left = context(i.checked_sub(1).and_then(|j| s.get(j)), false);
                let right = context(s.get(i + 1), true);
                for d in [left, right].into_iter().filter(|&d| d != usize::MAX) {
                    *cooc[w].entry(d as u32).or_default() += 1;
                    dim_totals[d] += 1;
                }
            }
        }
        let total: f64 = dim_totals.iter().sum::<u64>() as f64;
        // Positive PMI, unit length, dimensions in order.
        let vectors: Vec<Vec<(u32, f32)>> = cooc
            .iter()
            .map(|row| {
                let word_total: u64 = row.values().map(|&n| u64::from(n)).sum();
                let mut v: Vec<(u32, f32)> = row
                    .iter()
                    .filter_map(|(&d, &n)| {
                        let pmi = (f64::from(n) * total
                            / (word_total as f64 * dim_totals[d as usize] as f64))
                            .ln();
                        (pmi > 0.0).then_some((d, pmi as f32))
                    })
                    .collect();
                v.sort_unstable_by_key(|&(d, _)| d);
                normalise_sparse(&mut v);
                v
            })
            .collect();
        // Seeds spread over the frequency ranks below the function words, whose contexts
        // are everything's.
        let skip = CONTEXTS / 10;
        let seeds: Vec<usize> = (0..FINE)
            .map(|k| skip + k * (vectors.len() - skip) / FINE)
            .collect();
        let mut centroids = vec![0f32; FINE * dims];
        for (k, &w) in seeds.iter().enumerate() {
            for &(d, x) in &vectors[w] {
                centroids[d as usize * FINE + k] = x;
            }
        }
        let fine = kmeans(&vectors, &mut centroids, FINE, dims);
        // Coarse groups: k-means over the fine centroids themselves.
        let centroid_vectors: Vec<Vec<(u32, f32)>> = (0..FINE)
            .map(|k| {
                let mut v: Vec<(u32, f32)> = (0..dims)
                    .map(|d| (d as u32, centroids[d * FINE + k]))
                    .filter(|&(_, x)| x != 0.0)
                    .collect();
                normalise_sparse(&mut v);
                v
            })
            .collect();
        let mut coarse_centroids = vec![0f32; COARSE * dims];
        for g in 0..COARSE {
            for &(d, x) in &centroid_vectors[g * FINE / COARSE] {
                coarse_centroids[d as usize * COARSE + g] = x;
            }
        }
        let coarse = kmeans(&centroid_vectors, &mut coarse_centroids, COARSE, dims);
        WordClusters {
            fine: by_freq
                .iter()
                .zip(fine)
                .map(|(&(w, _), k)| (w.to_string(), k as u16))
                .collect(),
            coarse: coarse.into_iter().map(|g| g as u8).collect(),
        }
    }

    /// The (fine, coarse) clusters of a word as written, if it was clustered.
    pub(crate) fn of(&self, word: &str) -> Option<(u16, u8)> {
        let fine = *self.fine.get(cluster_form(word).as_str())?;
        Some((fine, *self.coarse.get(usize::from(fine))?))
    }

    /// The words with their fine clusters, sorted, and the coarse group of each fine
    /// cluster (for saving).
    pub(crate) fn entries(&self) -> (Vec<(&str, u16)>, &[u8]) {
        let mut v: Vec<_> = self.fine.iter().map(|(w, &k)| (w.as_str(), k)).collect();
        v.sort_unstable();
        (v, &self.coarse)
    }

    /// Rebuilds the clusters from saved entries.
    pub(crate) fn from_entries<'a>(
        words: impl IntoIterator<Item = (&'a str, u16)>,
        coarse: Vec<u8>,
    ) -> Self {
        WordClusters {
            fine: words.into_iter().map(|(w, k)| (w.to_string(), k)).collect(),
            coarse,
        }
    }
}

fn normalise_sparse(v: &mut [(u32, f32)]) {
    let norm = v.iter().map(|&(_, x)| x * x).sum::<f32>().sqrt();
    if norm > 0.0 {
        v.iter_mut().for_each(|(_, x)| *x /= norm);
    }
}

/// Spherical k-means: assigns each vector to the centroid of highest cosine, then moves
/// each centroid to its members' normalised mean. `centroids` is dimension-major
/// (`centroids[d * k + c]`) so one vector's scores against all centroids are a few
/// contiguous adds per non-zero dimension. Returns each vector's cluster.
fn kmeans(vectors: &[Vec<(u32, f32)>], centroids: &mut [f32], k: usize, dims: usize) -> Vec<usize> {
    let mut assign = vec![0usize; vectors.len()];
    let mut scores = vec![0f32; k];
    for _ in 0..ROUNDS {
        for (v, a) in vectors.iter().zip(assign.iter_mut()) {
            scores.iter_mut().for_each(|s| *s = 0.0);
            for &(d, x) in v {
                let row = &centroids[d as usize * k..(d as usize + 1) * k];
                for (s, c) in scores.iter_mut().zip(row) {
                    *s += x * c;
                }
            }
            // First best on ties, so the result does not depend on float noise order.
            let mut best = 0;
            for (c, &s) in scores.iter().enumerate() {
                if s > scores[best] {
                    best = c;
                }
            }
            *a = best;
        }
        let mut sums = vec![0f64; k * dims];
        for (v, &a) in vectors.iter().zip(&assign) {
            for &(d, x) in v {
                sums[d as usize * k + a] += f64::from(x);
            }
        }
        for c in 0..k {
            let norm = (0..dims)
                .map(|d| sums[d * k + c] * sums[d * k + c])
                .sum::<f64>()
                .sqrt();
            // An empty cluster keeps its old centroid.
            if norm > 0.0 {
                for d in 0..dims {
                    centroids[d * k + c] = (sums[d * k + c] / norm) as f32;
                }
            }
        }
    }
    assign
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_in_the_same_contexts_share_a_cluster() {
        // Made-up places after "in", people before "said", and other words, each type
        // often enough to be clustered and enough types to fill the clusters. (Digits fold
        // to 0 in cluster forms, so the words are spelled in letters.)
        let letters = |i: usize| -> String {
            [i / 26 % 26, i % 26]
                .iter()
                .map(|&n| char::from(b'a' + n as u8))
                .collect()
        };
        let mut text: Vec<Vec<String>> = Vec::new();
        for i in 0..200 {
            for s in [
                format!("they met in pl{} today", letters(i)),
                format!("pe{} said it was over", letters(i)),
                format!("the ot{} is here", letters(i)),
            ] {
                for _ in 0..4 {
                    text.push(s.split(' ').map(String::from).collect());
                }
            }
        }
        let clusters = WordClusters::learn(text.iter().map(Vec::as_slice));
        let c = |w: &str| clusters.of(w).expect("clustered").0;
        assert_eq!(c("plaa"), c("PLEB"));
        assert_eq!(c("pldd"), c("plaz"));
        assert_eq!(c("peaa"), c("pedq"));
        assert_ne!(c("plaa"), c("peaa"));
        assert_ne!(c("plaa"), c("otaa"));
        assert!(clusters.of("hmeimim").is_none());
        let (words, coarse) = clusters.entries();
        let again = WordClusters::from_entries(words, coarse.to_vec());
        assert_eq!(again.of("plbc"), clusters.of("plbc"));
    }
}
