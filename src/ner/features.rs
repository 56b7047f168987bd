//! Feature extraction for the tagger: hashed feature keys from word strings and context.
//!
//! Takes token strings (already split) and gives `u32` feature keys, resolved to weight
//! rows through a caller's lookup. Everything that depends on one word type only (its
//! form, shape, affixes, and its features as a neighbour) is computed once per type into a
//! [`WordInfo`], so tagging a token mostly sums rows that are already resolved. The same
//! functions serve training and tagging, so the two can never disagree about a feature.

use super::casing::CaseStats;
use super::clusters::WordClusters;

/// Number of labels: `O`, then `B-`/`I-` for PER, ORG, LOC, MISC (IOB2).
pub(crate) const LABELS: usize = 9;

/// Feature templates. The discriminant is mixed into every key, so the same string under
/// two templates gives two features. Values are part of the model file format.
#[derive(Clone, Copy)]
#[repr(u8)]
pub(crate) enum Template {
    Word = 1,
    Lower,
    Shape,
    LongShape,
    Prefix,
    Suffix,
    LowerPrev,
    LowerNext,
    LowerPrev2,
    LowerNext2,
    ShapePrev,
    ShapeNext,
    BigramPrev,
    BigramNext,
    ShapeTrigram,
    FirstShape,
    Gazetteer,
    PrevLabel,
    PrevLabels,
    PrevLabelShape,
    PrevLabelLower,
    Bias,
    HyphenPart,
    ShapePrev2,
    ShapeNext2,
    DocHistory,
    CaseShare,
    GazetteerPrev,
    GazetteerNext,
    GazetteerPart,
    HeadlineShape,
    Particle,
    NeighbourWord,
    NeighbourSuffix,
    Cluster,
    ClusterNeighbour,
}

/// 64-bit FNV-1a over `bytes`, continuing from `h`.
fn fnv(mut h: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

/// Hash of a string, used as the building block of keys.
pub(crate) fn hash_str(s: &str) -> u64 {
    fnv(FNV_OFFSET, s.as_bytes())
}

/// Mixes two 64-bit values (splitmix-style finaliser), order-sensitive.
pub(crate) fn mix(a: u64, b: u64) -> u64 {
    let mut z = a.rotate_left(23) ^ b.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Folds a template and a value hash into a non-zero 32-bit feature key (0 marks an
/// empty slot in the feature table).
pub(crate) fn key(template: Template, value: u64) -> u32 {
    let h = mix(template as u64, value);
    ((h >> 32) as u32 ^ h as u32).max(1)
}

/// The form features see: curly quotes and dashes map to the ASCII forms CoNLL uses.
pub(crate) fn normalize_token(token: &str) -> std::borrow::Cow<'_, str> {
    if token.is_ascii() {
        return std::borrow::Cow::Borrowed(token);
    }
    let mut out = String::with_capacity(token.len());
    for c in token.chars() {
        match c {
            '’' | '‘' | 'ʼ' | '`' | '´' => out.push('\''),
            '“' | '”' | '„' | '«' | '»' => out.push('"'),
            '—' | '–' | '―' => out.push_str("--"),
            '‑' | '‐' => out.push('-'),
            '…' => out.push_str("..."),
            _ => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Word shape: `X` upper, `x` lower, `d` digit, other chars as is. `long` keeps up to
/// six chars; the short form also collapses runs ("Xxxxx" -> "Xx").
fn shape(word: &str, long: bool) -> String {
    let mut out = String::new();
    let mut last = '\0';
    for (n, c) in word.chars().enumerate() {
        let s = if c.is_uppercase() {
            'X'
        } else if c.is_lowercase() {
            'x'
        } else if c.is_numeric() {
            'd'
        } else {
            c
        };
        if long {
            if n >= 6 {
                out.push('+');
                break;
            }
            out.push(s);
        } else if s != last {
            out.push(s);
        }
        last = s;
    }
    out
}

/// The hash of `word` lowercased with digits folded to `0` (so numbers and dates share
/// features), computed without building the string.
fn hash_lower(word: &str) -> u64 {
    let mut h = FNV_OFFSET;
    let mut buf = [0u8; 4];
    for c in word.chars().flat_map(char::to_lowercase) {
        let c = if c.is_ascii_digit() { '0' } else { c };
        h = fnv(h, c.encode_utf8(&mut buf).as_bytes());
    }
    h
}

/// The hash of a token's lowercase, digit-folded form: what gazetteers match on.
pub(crate) fn lower_hash(token: &str) -> u64 {
    let token = normalize_token(token);
    hash_lower(name_after_particle(&token).unwrap_or(&token))
}

/// Everything the model uses about one word type, with keys resolved to weight rows.
#[derive(Clone, Debug, Default)]
pub(crate) struct WordInfo {
    /// Rows of the word's features per slot (see [`SLOTS`]).
    pub slots: [Vec<u32>; SLOTS],
    /// Hashes of its lower form and short shape, for features that pair it with others.
    pub lower: u64,
    pub shape: u64,
}

/// Slot indices in [`WordInfo::slots`]: the word's own features, the word as a
/// neighbour, and its shape features that depend on where the sentence stands (first
/// word; headline or running text), kept per word so tagging needs no lookup for them.
pub(crate) const SLOTS: usize = 8;
const OWN: usize = 0;
const AS_PREV2: usize = 1;
const AS_PREV: usize = 2;
const AS_NEXT: usize = 3;
const AS_NEXT2: usize = 4;
const AS_FIRST: usize = 5;
const IN_BODY: usize = 6;
const IN_HEADLINE: usize = 7;

/// The hashes that pair a word with its neighbours and labels. The word's slot features
/// themselves reach the model through [`FeatureSink::word`], in whatever form the sink
/// keeps them (rows to update while learning, summed weights while tagging).
pub(crate) trait WordView {
    fn lower(&self) -> u64;
    fn shape(&self) -> u64;
}

impl WordView for WordInfo {
    fn lower(&self) -> u64 {
        self.lower
    }

    fn shape(&self) -> u64 {
        self.shape
    }
}

/// Whether a word starts with a capital (gazetteer matches need one).
/// Name particles ("al-Sharaa", "d'Estaing") count as capitalised when the part after
/// them is.
pub(crate) fn is_capitalized(word: &str) -> bool {
    word.chars()
        .next()
        .is_some_and(|c| c.is_uppercase() || c.is_numeric())
        || name_after_particle(word).is_some()
}

/// The name after a short lowercase particle and a hyphen or apostrophe: "al-Assad" ->
/// "Assad", "d'Estaing" -> "Estaing".
pub(crate) fn name_after_particle(word: &str) -> Option<&str> {
    let cut = word.find(['-', '\'', '’'])?;
    let (particle, rest) = (&word[..cut], &word[cut..]);
    let name = rest.char_indices().nth(1).map(|(i, _)| &rest[i..])?;
    // "al", "el", "d", also capitalised at a sentence start ("Al-Sharaa").
    let short_particle = (1..=3).contains(&particle.len())
        && particle.bytes().skip(1).all(|b| b.is_ascii_lowercase())
        && particle.as_bytes()[0].is_ascii_alphabetic();
    (short_particle && name.chars().next().is_some_and(char::is_uppercase)).then_some(name)
}

/// Computes a word type's features; `resolve` maps a key to its row (None: unknown).
pub(crate) fn word_info(
    word: &str,
    casing: &CaseStats,
    clusters: &WordClusters,
    resolve: &mut impl FnMut(u32) -> Option<u32>,
) -> WordInfo {
    let normalized = normalize_token(word);
    // "al-Sharaa" is featured as "Sharaa" plus its particle: CoNLL has almost no Arabic
    // names, but plenty of capitalised ones.
    let (word, particle) = match name_after_particle(&normalized) {
        Some(name) => (name, Some(&normalized[..normalized.len() - name.len()])),
        None => (&*normalized, None),
    };
    let first = word.chars().next().unwrap_or(' ');
    let own_case = if first.is_lowercase() {
        0
    } else if !first.is_uppercase() {
        1
    } else if word.chars().count() > 1 && !word.chars().any(char::is_lowercase) {
        2
    } else {
        3
    };
    let case_share = u64::from(casing.bucket(&word.to_lowercase()));
    let short = shape(word, false);
    let long = shape(word, true);
    // Same value as `lower_hash(word)`, which the gazetteer keys tokens by.
    let lower_h = hash_lower(word);
    let shape_h = hash_str(&short);
    let mut own = vec![
        key(Template::Word, hash_str(word)),
        key(Template::Lower, lower_h),
        key(Template::Shape, shape_h),
        key(Template::LongShape, hash_str(&long)),
        key(Template::CaseShare, case_share << 4 | own_case),
    ];
    // Fine cluster values 0..FINE, coarse ones from 1 << 16.
    let cluster_values = clusters
        .of(word)
        .map(|(fine, coarse)| [u64::from(fine), 1 << 16 | u64::from(coarse)]);
    own.extend(
        cluster_values
            .iter()
            .flatten()
            .map(|&v| key(Template::Cluster, v)),
    );

    let chars: Vec<(usize, char)> = word.char_indices().collect();
    for n in 1..=4.min(chars.len()) {
        let cut = chars.get(n).map_or(word.len(), |c| c.0);
        own.push(key(Template::Prefix, hash_str(&word[..cut])));
        let from = chars[chars.len() - n].0;
        own.push(key(Template::Suffix, hash_str(&word[from..])));
    }
    if let Some(particle) = particle {
        own.push(key(Template::Particle, hash_lower(particle)));
    }
    // "Russia-Arab", "Bosnian-Serb": the parts tell more than the whole rare form.
    if word.contains('-') && word.len() > 2 {
        for part in word.split('-').filter(|p| !p.is_empty()) {
            own.push(key(Template::HyphenPart, hash_lower(part)));
        }
    }
    let mut info = WordInfo {
        lower: lower_h,
        shape: shape_h,
        ..WordInfo::default()
    };
    info.slots[OWN] = own.into_iter().filter_map(&mut *resolve).collect();
    let ctx = [
        (AS_PREV2, [Template::LowerPrev2, Template::ShapePrev2]),
        (AS_PREV, [Template::LowerPrev, Template::ShapePrev]),
        (AS_NEXT, [Template::LowerNext, Template::ShapeNext]),
        (AS_NEXT2, [Template::LowerNext2, Template::ShapeNext2]),
    ];
    for (slot, [lower_t, shape_t]) in ctx {
        info.slots[slot] = [key(lower_t, lower_h), key(shape_t, shape_h)]
            .into_iter()
            .filter_map(&mut *resolve)
            .collect();
    }
    // The long shape would say "AP" (XX) is an acronym where "A" (X) may just start a
    // sentence, but measured no better than the short one.
    info.slots[AS_FIRST] = resolve(key(Template::FirstShape, shape_h))
        .into_iter()
        .collect();
    for (slot, headline) in [(IN_BODY, 0), (IN_HEADLINE, 1)] {
        let k = key(Template::HeadlineShape, mix(headline, shape_h));
        info.slots[slot] = resolve(k).into_iter().collect();
    }
    // Next to the tagged token, the neighbour's exact form and ending say more
    // ("Mr." before a name, "-based" after a place).
    let suffix3 = chars
        .len()
        .checked_sub(3)
        .map_or(word, |n| &word[chars[n].0..]);
    for (slot, mix_in) in [(AS_PREV, 1u64), (AS_NEXT, 2)] {
        let extra = [
            key(Template::NeighbourWord, mix(mix_in, hash_str(word))),
            key(Template::NeighbourSuffix, mix(mix_in, hash_str(suffix3))),
        ];
        info.slots[slot].extend(extra.into_iter().filter_map(&mut *resolve));
        // "the X airbase": the neighbour's cluster speaks for words the labelled data
        // rarely has there.
        let clustered = cluster_values.iter().flatten();
        let keys = clustered.map(|&v| key(Template::ClusterNeighbour, mix(mix_in, v)));
        info.slots[slot].extend(keys.filter_map(&mut *resolve));
    }
    info
}

/// The stand-in for positions before the first and after the last token of a sentence.
pub(crate) const BOUNDARY: &str = "<S>";

/// Gazetteer types: CoNLL PER, ORG, LOC, MISC; GMB per, org, geo, gpe; news outlets.
pub(crate) const GAZETTEER_TYPES: usize = 9;

/// Gazetteer evidence at one token.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct GazetteerMarks {
    /// Per type, the token's place in the longest match (0 none, 1 single, 2 begin,
    /// 3 inside, 4 last).
    pub place: [u8; GAZETTEER_TYPES],
    /// Type bits of the multi-word names the token is a part of.
    pub parts: u16,
}

/// Where features go: the tagger sums their weights, the learner collects their rows.
pub(crate) trait FeatureSink<W> {
    /// The features of word `w` in slot `slot` (its own, or as a neighbour).
    fn word(&mut self, w: &W, slot: usize);
    /// A feature given by key (unknown keys are skipped, or added when learning).
    fn key(&mut self, key: u32);
}

/// Whether a sentence is set in capitals (a headline such as "SOCCER - JAPAN GET LUCKY
/// WIN"): there, capitals say nothing, while in running text an all-caps word is
/// usually an acronym and a name.
pub(crate) fn is_headline(words: &[&str]) -> bool {
    let (mut caps, mut total) = (0, 0);
    for w in words {
        if w.chars().filter(|c| c.is_alphabetic()).nth(1).is_some() {
            total += 1;
            if !w.chars().any(char::is_lowercase) {
                caps += 1;
            }
        }
    }
    total > 0 && caps * 10 >= total * 6
}

/// Sends all features of token `i` that don't depend on earlier labels to `out`.
/// Positions outside the sentence see `boundary`; `headline` is [`is_headline`].
pub(crate) fn static_features<W: WordView>(
    words: &[&W],
    boundary: &W,
    gazetteer: &[GazetteerMarks],
    headline: bool,
    i: usize,
    out: &mut impl FeatureSink<W>,
) {
    let at = |j: isize| -> &W {
        if j < 0 || j as usize >= words.len() {
            boundary
        } else {
            words[j as usize]
        }
    };
    let i_s = i as isize;
    let w = at(i_s);
    let (prev, next) = (at(i_s - 1), at(i_s + 1));
    out.word(w, OWN);
    out.word(at(i_s - 2), AS_PREV2);
    out.word(prev, AS_PREV);
    out.word(next, AS_NEXT);
    out.word(at(i_s + 2), AS_NEXT2);
    out.key(key(Template::BigramPrev, mix(prev.lower(), w.lower())));
    out.key(key(Template::BigramNext, mix(w.lower(), next.lower())));
    out.key(key(
        Template::ShapeTrigram,
        mix(mix(prev.shape(), w.shape()), next.shape()),
    ));
    if i == 0 {
        out.word(w, AS_FIRST);
    }
    out.word(w, if headline { IN_HEADLINE } else { IN_BODY });
    let neighbours = [
        (Template::Gazetteer, i_s),
        (Template::GazetteerPrev, i_s - 1),
        (Template::GazetteerNext, i_s + 1),
    ];
    for (template, j) in neighbours {
        let Some(m) = gazetteer.get(j as usize).filter(|_| j >= 0) else {
            continue;
        };
        for (t, &mark) in m.place.iter().enumerate() {
            if mark != 0 {
                out.key(key(template, (t as u64) << 8 | u64::from(mark)));
            }
        }
    }
    for t in 0..GAZETTEER_TYPES as u64 {
        if gazetteer[i].parts & (1 << t) != 0 {
            out.key(key(Template::GazetteerPart, t));
        }
    }
}

/// Sends the features of the labels already chosen for the two previous tokens
/// (`LABELS` stands for "before the sentence"), and a bias, to `out`. They depend on
/// nothing else, so the tagger sums them once per label pair.
pub(crate) fn label_features<W>(prev: usize, prev2: usize, out: &mut impl FeatureSink<W>) {
    let (p, p2) = (prev as u64, prev2 as u64);
    out.key(key(Template::Bias, 0));
    out.key(key(Template::PrevLabel, p));
    out.key(key(Template::PrevLabels, p << 8 | p2));
}

/// Sends the features pairing the previous label with the current word to `out`.
pub(crate) fn history_features<W: WordView>(prev: usize, word: &W, out: &mut impl FeatureSink<W>) {
    let p = prev as u64;
    out.key(key(Template::PrevLabelShape, mix(p, word.shape())));
    out.key(key(Template::PrevLabelLower, mix(p, word.lower())));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_and_forms() {
        assert_eq!(shape("al-Sharaa", false), "x-Xx");
        assert_eq!(shape("U.S.", true), "X.X.");
        assert_eq!(shape("Hmeimim", true), "Xxxxxx+");
        assert_eq!(hash_lower("1996-08-22"), hash_str("0000-00-00"));
        assert_eq!(hash_lower("SYRIA"), hash_str("syria"));
        assert_eq!(normalize_token("Moscow’s—"), "Moscow's--");
        assert_eq!(name_after_particle("al-Assad"), Some("Assad"));
        assert_eq!(name_after_particle("d’Estaing"), Some("Estaing"));
        assert_eq!(name_after_particle("well-Known"), None);
        assert_eq!(name_after_particle("al-qaida"), None);
        assert_eq!(name_after_particle("Al-Sharaa"), Some("Sharaa"));
        assert_eq!(name_after_particle("US-Led"), None);
        assert!(is_capitalized("al-Sharaa") && !is_capitalized("al-qaida"));
    }

    #[test]
    fn curly_and_straight_forms_share_features() {
        let mut all = |k: u32| Some(k);
        let (casing, clusters) = (CaseStats::default(), WordClusters::default());
        let a = word_info("’s", &casing, &clusters, &mut all);
        let b = word_info("'s", &casing, &clusters, &mut all);
        assert_eq!(a.slots, b.slots);
        let c = word_info("Syria", &casing, &clusters, &mut all);
        assert_ne!(a.slots[OWN], c.slots[OWN]);
    }
}
