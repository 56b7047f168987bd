//! Lists of known entity names, matched against token sequences as tagger features.
//!
//! Takes names as token lists with a type bit (PER/ORG/LOC/MISC from CoNLL training
//! names, per/org/geo/gpe from GMB names, news outlets from a built-in list) and gives, for each token of a sentence, its
//! place in the longest capitalised match of each type ([`GazetteerMarks`]). Matching is
//! on lowercase, digit-folded forms so "BRUSSELS" finds "Brussels".

use super::fastmap::FastMap;
use super::features::{GAZETTEER_TYPES, GazetteerMarks, is_capitalized, mix};

/// Longest name, in tokens, that is matched.
const MAX_LEN: usize = 6;
/// Marks a key that is a proper prefix of some name, so matching can go on.
const PREFIX: u32 = 1 << 16;

/// The hash the gazetteer keys a token by (its lowercase, digit-folded form).
pub(crate) use super::features::lower_hash as token_hash;

/// A set of names, each with a mask of type bits (`GAZETTEER_TYPES` of them).
#[derive(Clone, Debug, Default)]
pub(crate) struct Gazetteer {
    /// Names as written (tokens joined by single spaces) with their type masks.
    names: FastMap<String, u16>,
    /// Rolling hash of a token sequence -> type bits, plus [`PREFIX`].
    index: FastMap<u64, u32>,
    /// Token hash -> type bits of the multi-word names it is part of ("Vladimir" is
    /// part of a person's name), so new full names built of known parts are noticed.
    parts: FastMap<u64, u16>,
}

impl Gazetteer {
    /// Adds a name (tokens) with type bit `bit` (below `GAZETTEER_TYPES`).
    pub(crate) fn insert(&mut self, tokens: &[&str], bit: u8) {
        if tokens.is_empty() || tokens.len() > MAX_LEN {
            return;
        }
        *self.names.entry(tokens.join(" ")).or_default() |= 1 << bit;
        self.index_name(tokens, 1 << bit);
    }

    fn index_name(&mut self, tokens: &[&str], mask: u16) {
        let mut h = 0;
        for (n, t) in tokens.iter().enumerate() {
            let th = token_hash(t);
            if tokens.len() > 1 && is_capitalized(t) {
                *self.parts.entry(th).or_default() |= mask;
            }
            h = mix(h, th);
            let entry = self.index.entry(h).or_default();
            if n + 1 == tokens.len() {
                *entry |= u32::from(mask);
            } else {
                *entry |= PREFIX;
            }
        }
    }

    /// The names and masks, sorted (for saving).
    pub(crate) fn names(&self) -> Vec<(&str, u16)> {
        let mut v: Vec<_> = self.names.iter().map(|(n, &m)| (n.as_str(), m)).collect();
        v.sort_unstable();
        v
    }

    /// Rebuilds a gazetteer from saved names and masks.
    pub(crate) fn from_names<'a>(names: impl IntoIterator<Item = (&'a str, u16)>) -> Self {
        let names: Vec<_> = names.into_iter().collect();
        let mut g = Gazetteer::default();
        // Sized up front: rehashing dominated loading.
        g.names.reserve(names.len());
        g.index.reserve(names.len() * 3 / 2);
        g.parts.reserve(names.len());
        for (name, mask) in names {
            let tokens: Vec<&str> = name.split(' ').collect();
            *g.names.entry(name.to_string()).or_default() |= mask;
            g.index_name(&tokens, mask);
        }
        g
    }

    /// Type bits of the multi-word names a capitalised token is part of (0 if none).
    pub(crate) fn part_of(&self, token: &str, hash: u64) -> u16 {
        if is_capitalized(token) {
            self.parts.get(&hash).copied().unwrap_or(0)
        } else {
            0
        }
    }

    /// Marks each token of a sentence; `hashes[i]` is `token_hash(tokens[i])`.
    pub(crate) fn marks(&self, tokens: &[&str], hashes: &[u64]) -> Vec<GazetteerMarks> {
        self.marks_known(
            hashes,
            |i| is_capitalized(tokens[i]),
            |i| self.part_of(tokens[i], hashes[i]),
        )
    }

    /// [`Gazetteer::marks`] with each token's capitalisation (`capitalized(i)`) and
    /// [`Gazetteer::part_of`] (`part_of(i)`) already known: the tagger keeps both with
    /// each word type.
    pub(crate) fn marks_known(
        &self,
        hashes: &[u64],
        capitalized: impl Fn(usize) -> bool,
        part_of: impl Fn(usize) -> u16,
    ) -> Vec<GazetteerMarks> {
        let mut marks = vec![GazetteerMarks::default(); hashes.len()];
        for (i, m) in marks.iter_mut().enumerate() {
            m.parts = part_of(i);
        }
        if self.index.is_empty() {
            return marks;
        }
        for start in 0..hashes.len() {
            if !capitalized(start) {
                continue;
            }
            let mut h = 0;
            // Longest match length per type bit.
            let mut longest = [0usize; GAZETTEER_TYPES];
            for (end, &hash) in hashes.iter().enumerate().take(start + MAX_LEN).skip(start) {
                h = mix(h, hash);
                let Some(&bits) = self.index.get(&h) else {
                    break;
                };
                for (t, len) in longest.iter_mut().enumerate() {
                    if bits & (1 << t) != 0 {
                        *len = end + 1 - start;
                    }
                }
                if bits & PREFIX == 0 {
                    break;
                }
            }
            for (t, &len) in longest.iter().enumerate() {
                if len == 0 || marks[start].place[t] != 0 {
                    continue;
                }
                for (k, m) in marks[start..start + len].iter_mut().enumerate() {
                    m.place[t] = match (len, k) {
                        (1, _) => 1,
                        (_, 0) => 2,
                        (_, k) if k + 1 == len => 4,
                        _ => 3,
                    };
                }
            }
        }
        marks
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marks_of(g: &Gazetteer, text: &str) -> Vec<GazetteerMarks> {
        let tokens: Vec<&str> = text.split(' ').collect();
        let hashes: Vec<u64> = tokens.iter().map(|t| token_hash(t)).collect();
        g.marks(&tokens, &hashes)
    }

    #[test]
    fn marks_longest_capitalised_matches() {
        let mut g = Gazetteer::default();
        g.insert(&["New", "York"], 2);
        g.insert(&["New", "York", "Times"], 1);
        g.insert(&["York"], 2);
        let m = marks_of(&g, "the NEW YORK Times said new york");
        assert_eq!(m[1].place[1], 2);
        assert_eq!(m[2].place[1], 3);
        assert_eq!(m[3].place[1], 4);
        assert_eq!((m[1].place[2], m[2].place[2]), (2, 4));
        // Lowercase starts don't match; a capitalised single word still does.
        assert_eq!(m[5], GazetteerMarks::default());
        assert_eq!(m[6], GazetteerMarks::default());
        // "Times" is part of an organisation's name (bit 1).
        assert_eq!(m[3].parts, 1 << 1);
        let g2 = Gazetteer::from_names(g.names());
        assert_eq!(marks_of(&g2, "the NEW YORK Times said new york"), m);
    }
}
