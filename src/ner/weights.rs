//! Compact storage of the model's weights: feature key -> one weight per label.
//!
//! Takes `(key, weights)` pairs and gives a read-only open-addressing table. Weights are
//! quantised to i16 with one scale for the whole model (the argmax over labels doesn't
//! need the scale back), and each slot holds its key next to its weights, so a lookup is
//! usually one cache miss. Rows are named by slot number.

use super::features::{FeatureSink, LABELS, SLOTS, WordInfo, WordView, history_features};

/// One slot: a feature key (0 = empty) and its quantised weights.
#[derive(Clone, Copy, Debug, Default)]
struct Slot {
    key: u32,
    weights: [i16; LABELS],
}

/// Feature key -> quantised weight row, built once and then only read.
#[derive(Clone, Debug, Default)]
pub(crate) struct Weights {
    /// `slots.len()` is a power of two, at most ~70% full.
    slots: Vec<Slot>,
    /// Real weight = quantised weight * scale.
    scale: f32,
}

fn slot_of(key: u32, mask: usize) -> usize {
    (u64::from(key).wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 40) as usize & mask
}

impl Weights {
    /// Quantises real-valued rows with one scale (the largest weight maps to i16::MAX);
    /// rows with the same key are added first.
    pub(crate) fn from_rows(rows: &[(u32, [f32; LABELS])]) -> Self {
        let mut merged: Vec<(u32, [f32; LABELS])> = rows.to_vec();
        merged.sort_by_key(|(key, _)| *key);
        merged.dedup_by(|later, first| {
            let same = later.0 == first.0;
            if same {
                first
                    .1
                    .iter_mut()
                    .zip(later.1)
                    .for_each(|(w, add)| *w += add);
            }
            same
        });
        let rows = merged;
        let max = rows
            .iter()
            .flat_map(|(_, r)| r.iter().map(|w| w.abs()))
            .fold(0.0f32, f32::max);
        let scale = if max > 0.0 {
            max / f32::from(i16::MAX)
        } else {
            1.0
        };
        let quantised = rows
            .iter()
            .map(|(key, row)| (*key, row.map(|w| (w / scale).round() as i16)));
        Weights::from_quantised(scale, quantised)
    }

    /// Builds the table from quantised rows; later duplicates of a key are added to the
    /// first, and rows that are all zero are dropped.
    pub(crate) fn from_quantised(
        scale: f32,
        rows: impl ExactSizeIterator<Item = (u32, [i16; LABELS])>,
    ) -> Self {
        let capacity = (rows.len() * 10 / 7 + 1).next_power_of_two().max(16);
        let mut table = Weights {
            slots: vec![Slot::default(); capacity],
            scale,
        };
        let mask = capacity - 1;
        for (key, row) in rows.filter(|(_, r)| r.iter().any(|&w| w != 0)) {
            let mut s = slot_of(key, mask);
            while table.slots[s].key != 0 && table.slots[s].key != key {
                s = (s + 1) & mask;
            }
            let slot = &mut table.slots[s];
            slot.key = key;
            for (w, add) in slot.weights.iter_mut().zip(row) {
                *w = w.saturating_add(add);
            }
        }
        table
    }

    /// The row of a feature key, if the model knows it.
    #[inline]
    pub(crate) fn get(&self, key: u32) -> Option<u32> {
        let mask = self.slots.len().checked_sub(1)?;
        let mut s = slot_of(key, mask);
        loop {
            let k = self.slots[s].key;
            if k == key {
                return Some(s as u32);
            }
            if k == 0 {
                return None;
            }
            s = (s + 1) & mask;
        }
    }

    /// Adds row `row`'s quantised weights into `scores`.
    #[inline]
    pub(crate) fn add_row(&self, row: u32, scores: &mut [i32; LABELS]) {
        let weights = &self.slots[row as usize].weights;
        for (s, &w) in scores.iter_mut().zip(weights) {
            *s += i32::from(w);
        }
    }

    /// The scale and all `(key, quantised row)` pairs, in slot order (for saving).
    pub(crate) fn quantised(&self) -> (f32, impl Iterator<Item = (u32, &[i16; LABELS])>) {
        let rows = self
            .slots
            .iter()
            .filter(|s| s.key != 0)
            .map(|s| (s.key, &s.weights));
        (self.scale, rows)
    }
}

/// A word type's features as the tagger uses them: the weights of each slot's features
/// already summed, so a token costs a few vector adds instead of dozens of lookups.
#[derive(Clone, Debug)]
pub(crate) struct TagWord {
    sums: [[i32; LABELS]; SLOTS],
    /// Summed weights of [`history_features`] after each previous label (or none).
    history: [[i32; LABELS]; LABELS + 1],
    lower: u64,
    shape: u64,
    /// Word-level facts the tagger asks about every token, kept with the word type so
    /// a token costs no string scan for them (set by the tagger; false and 0 for the
    /// sentence padding): [`super::features::is_capitalized`], lowercase letters only,
    /// and [`super::gazetteer::Gazetteer::part_of`].
    pub(crate) capitalized: bool,
    pub(crate) plain: bool,
    pub(crate) parts: u16,
}

impl TagWord {
    pub(crate) fn new(info: &WordInfo, weights: &Weights) -> TagWord {
        let mut sums = [[0; LABELS]; SLOTS];
        for (sum, rows) in sums.iter_mut().zip(&info.slots) {
            for &r in rows {
                weights.add_row(r, sum);
            }
        }
        let history = std::array::from_fn(|prev| {
            let mut sink = KeySums {
                weights,
                scores: [0; LABELS],
            };
            history_features(prev, info, &mut sink);
            sink.scores
        });
        TagWord {
            sums,
            history,
            lower: info.lower,
            shape: info.shape,
            capitalized: false,
            plain: false,
            parts: 0,
        }
    }

    /// The summed weights of the features pairing this word with the previous label.
    #[inline]
    pub(crate) fn history(&self, prev: usize) -> &[i32; LABELS] {
        &self.history[prev]
    }
}

/// Sums the weights of keys sent about a [`WordInfo`] (for [`TagWord::new`]).
struct KeySums<'a> {
    weights: &'a Weights,
    scores: [i32; LABELS],
}

impl FeatureSink<WordInfo> for KeySums<'_> {
    fn word(&mut self, _: &WordInfo, _: usize) {
        unreachable!("history features are keys only")
    }

    fn key(&mut self, key: u32) {
        if let Some(r) = self.weights.get(key) {
            self.weights.add_row(r, &mut self.scores);
        }
    }
}

impl WordView for TagWord {
    fn lower(&self) -> u64 {
        self.lower
    }

    fn shape(&self) -> u64 {
        self.shape
    }
}

/// Sums the weights of the features sent to it: how the tagger scores a token.
pub(crate) struct Scorer<'a> {
    pub weights: &'a Weights,
    pub scores: [i32; LABELS],
}

impl FeatureSink<TagWord> for Scorer<'_> {
    #[inline]
    fn word(&mut self, w: &TagWord, slot: usize) {
        for (s, add) in self.scores.iter_mut().zip(&w.sums[slot]) {
            *s += add;
        }
    }

    #[inline]
    fn key(&mut self, key: u32) {
        if let Some(r) = self.weights.get(key) {
            self.weights.add_row(r, &mut self.scores);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_rows_and_merges_duplicates() {
        let mut a = [0.0; LABELS];
        a[1] = 2.0;
        let mut b = [0.0; LABELS];
        b[1] = 0.5;
        b[3] = -1.0;
        let w = Weights::from_rows(&[(7, a), (99, b), (7, b), (5, [0.0; LABELS])]);
        assert!(w.get(12345).is_none());
        assert!(w.get(5).is_none(), "all-zero rows are dropped");
        let mut scores = [0; LABELS];
        w.add_row(w.get(7).unwrap(), &mut scores);
        w.add_row(w.get(99).unwrap(), &mut scores);
        let real = |q: i32| q as f32 * w.quantised().0;
        assert!((real(scores[1]) - 3.0).abs() < 1e-3);
        assert!((real(scores[3]) + 2.0).abs() < 1e-3);
        assert_eq!(w.quantised().1.count(), 2);
    }
}
