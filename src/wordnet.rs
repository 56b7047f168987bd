//! WordNet 3.0 relations shipped with the binary: for a word, its synonyms, its
//! derivationally related forms and its direct hyponyms (the kinds of it), which concept
//! expansion (`analysis::expand`) proposes as other words for what a query asks.
//!
//! The data is `data/wordnet/relations.tsv.gz` (built by `scripts/build-wordnet.py` from
//! the WordNet 3.0 database files of Debian's `wordnet-base`; licence in
//! `data/wordnet/LICENSE`): one line per lemma, sorted, `lemma<TAB>synonyms<TAB>derived
//! <TAB>hyponyms`, each a `|`-separated list. It is decompressed on first use (about
//! 60 ms) and looked up by binary search over its lines, so a query that
//! never expands pays nothing. A query word is inflected ("losses") and WordNet lists
//! base forms: [`base_forms`] applies WordNet's own detachment rules (`morphy`), without
//! its exception lists (so "rose" is not found as a form of "rise").

use std::io::Read;
use std::sync::OnceLock;

use serde::Serialize;

static RELATIONS_GZ: &[u8] = include_bytes!("../data/wordnet/relations.tsv.gz");

/// How a relative is related to the word.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Relation {
    /// Another lemma of a synset holding the word.
    Synonym,
    /// A derivationally related form ("rely" of "reliance").
    Derived,
    /// A lemma of a direct hyponym of a synset holding the word ("reliance" of
    /// "dependence").
    Hyponym,
}

impl Relation {
    pub const ALL: [Relation; 3] = [Relation::Synonym, Relation::Derived, Relation::Hyponym];

    pub fn name(self) -> &'static str {
        match self {
            Relation::Synonym => "synonym",
            Relation::Derived => "derived",
            Relation::Hyponym => "hyponym",
        }
    }
}

/// One related lemma (lowercased; a multiword lemma has spaces).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Relative {
    pub lemma: &'static str,
    pub relation: Relation,
}

/// The decompressed relations and where each line starts.
struct WordNet {
    text: String,
    /// Byte offset of each lemma line, in lemma order.
    lines: Vec<usize>,
}

fn wordnet() -> &'static WordNet {
    static WN: OnceLock<WordNet> = OnceLock::new();
    WN.get_or_init(|| {
        let mut text = String::new();
        flate2::read::GzDecoder::new(RELATIONS_GZ)
            .read_to_string(&mut text)
            .expect("the bundled WordNet relations are valid gzip and UTF-8");
        let mut lines = Vec::with_capacity(150_000);
        let mut at = 0;
        for line in text.split_inclusive('\n') {
            if !line.starts_with('#') {
                lines.push(at);
            }
            at += line.len();
        }
        WordNet { text, lines }
    })
}

impl WordNet {
    /// The line of `lemma` (without its newline), if WordNet has it.
    fn line(&self, lemma: &str) -> Option<&str> {
        let line_at = |start: usize| {
            let rest = &self.text[start..];
            &rest[..rest.find('\n').unwrap_or(rest.len())]
        };
        let key = |start: usize| {
            let line = line_at(start);
            &line[..line.find('\t').unwrap_or(line.len())]
        };
        let i = self
            .lines
            .binary_search_by(|&start| key(start).cmp(lemma))
            .ok()?;
        Some(line_at(self.lines[i]))
    }
}

/// Whether WordNet lists `lemma` (lowercase).
pub fn contains(lemma: &str) -> bool {
    wordnet().line(lemma).is_some()
}

/// The lemmas `word` (lowercase) may be a form of: itself if WordNet lists it, and
/// whatever WordNet's detachment rules make of it that WordNet lists ("losses" ->
/// "loss", "rising" -> "rising", "rise"), in that order, once each.
pub fn base_forms(word: &str) -> Vec<String> {
    // morphy's rules for nouns, verbs and adjectives, in its order.
    const RULES: &[(&str, &str)] = &[
        ("s", ""),
        ("ses", "s"),
        ("xes", "x"),
        ("zes", "z"),
        ("ches", "ch"),
        ("shes", "sh"),
        ("men", "man"),
        ("ies", "y"),
        ("es", "e"),
        ("es", ""),
        ("ed", "e"),
        ("ed", ""),
        ("ing", "e"),
        ("ing", ""),
        ("er", ""),
        ("est", ""),
        ("er", "e"),
        ("est", "e"),
    ];
    let mut out: Vec<String> = Vec::new();
    let mut add = |w: String| {
        if !out.contains(&w) && contains(&w) {
            out.push(w);
        }
    };
    add(word.to_string());
    for (suffix, ending) in RULES {
        if let Some(stem) = word.strip_suffix(suffix)
            && !stem.is_empty()
        {
            add(format!("{stem}{ending}"));
        }
    }
    out
}

/// The relatives of one lemma (lowercase, as WordNet lists it), synonyms first, then
/// derived forms, then hyponyms, each list in alphabetical order. Empty when WordNet
/// does not list the lemma.
pub fn relatives(lemma: &str) -> Vec<Relative> {
    let Some(line) = wordnet().line(lemma) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (field, relation) in line.split('\t').skip(1).zip(Relation::ALL) {
        out.extend(
            field
                .split('|')
                .filter(|l| !l.is_empty())
                .map(|lemma| Relative { lemma, relation }),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn related(lemma: &str, relation: Relation) -> Vec<&'static str> {
        relatives(lemma)
            .into_iter()
            .filter(|r| r.relation == relation)
            .map(|r| r.lemma)
            .collect()
    }

    #[test]
    fn reliance_is_a_kind_of_dependence_not_a_synonym() {
        assert!(related("dependence", Relation::Hyponym).contains(&"reliance"));
        assert!(!related("dependence", Relation::Synonym).contains(&"reliance"));
        assert!(related("dependence", Relation::Synonym).contains(&"dependency"));
    }

    #[test]
    fn derived_forms_and_multiword_lemmas() {
        assert_eq!(related("reliance", Relation::Derived), ["reliant", "rely"]);
        assert!(related("price", Relation::Hyponym).contains(&"asking price"));
        assert!(contains("asking price"));
        // A lemma is never its own relative.
        assert!(relatives("price").iter().all(|r| r.lemma != "price"));
    }

    #[test]
    fn instances_give_no_synonyms() {
        // "Price" is also the singer Leontyne Price, an instance, not another word.
        assert!(!related("price", Relation::Synonym).contains(&"leontyne price"));
        assert!(related("price", Relation::Synonym).contains(&"cost"));
    }

    #[test]
    fn inflected_words_find_their_lemmas() {
        assert_eq!(base_forms("houses"), ["house"]);
        assert!(base_forms("losses").contains(&"loss".to_string()));
        assert_eq!(base_forms("prices"), ["price"]);
        assert_eq!(base_forms("rising"), ["rising", "rise"]);
        assert!(base_forms("qwzxv").is_empty());
        assert!(relatives("qwzxv").is_empty());
    }
}
