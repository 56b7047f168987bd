//! Where a query matched inside a passage, occurrence by occurrence: each word of the
//! query where its analysed form (lowercased, stemmed) appears, and each phrase where its
//! words appear in order within its slop, as one span from its first word to its last.
//!
//! Highlights ([`super::highlight`]) mark every word that is a query term; a concordance
//! needs the occurrences themselves: `"oil prices"` is one match "oil prices", and a lone
//! "oil" elsewhere in the passage is none. The query string is read with tantivy's own
//! grammar and every literal analysed with the text field's analyzer, so what is found is
//! what tantivy matched. Negated clauses and other fields than the text are left out.

use std::collections::HashMap;

use tantivy::tokenizer::TextAnalyzer;
use tantivy_query_grammar::{Occur, UserInputAst, UserInputLeaf};

use super::Span;
use super::highlight::stem_prefix;

/// One thing to find: a word (one term) or a phrase (several, in order).
#[derive(Clone, Debug, PartialEq, Eq)]
struct Unit {
    terms: Vec<String>,
    /// Extra words allowed between the phrase's words, in all.
    slop: u32,
    /// The last term is a prefix (`"oil pri"*`).
    prefix: bool,
}

/// The words and phrases of one query, ready to be found in passages.
#[derive(Clone, Debug, Default)]
pub(crate) struct Matcher {
    units: Vec<Unit>,
    /// Every term of every unit, sorted and once each.
    terms: Vec<String>,
    /// Each term's [`stem_prefix`].
    prefixes: Vec<String>,
    /// Some unit ends in a prefix, so tokens keep their text.
    has_prefix: bool,
    /// Lowercased words already stemmed, and the term they are.
    seen: HashMap<String, Option<u32>>,
}

/// A token of a passage: its byte range, which query term it is (an index into
/// [`Matcher::terms`]) and, for prefix units, its analysed text.
struct Token {
    term: Option<u32>,
    prefix_text: Option<String>,
    from: usize,
    to: usize,
}

impl Matcher {
    /// The units of `query` (tantivy query language, entity clauses already rewritten)
    /// on the text field, analysed with `analyzer` (the text field's).
    pub(crate) fn of(query: &str, analyzer: &mut TextAnalyzer) -> Matcher {
        let (ast, _) = tantivy_query_grammar::parse_query_lenient(query);
        let mut units = Vec::new();
        collect(&ast, analyzer, &mut units);
        units.dedup();
        let mut terms: Vec<String> = units.iter().flat_map(|u| u.terms.clone()).collect();
        terms.sort();
        terms.dedup();
        let has_prefix = units.iter().any(|u| u.prefix);
        let prefixes = terms.iter().map(|t| stem_prefix(t)).collect();
        Matcher {
            units,
            terms,
            prefixes,
            has_prefix,
            seen: HashMap::new(),
        }
    }

    /// The byte spans of every occurrence in `text`, in text order. Where occurrences
    /// overlap (the word `oil` inside the phrase `"oil prices"`), the one starting first
    /// is kept, the longer of two starting together.
    /// `words` splits and lowercases as the text field's analyzer does before stemming;
    /// `stem` is that analyzer.
    pub(crate) fn find(
        &mut self,
        words: &mut TextAnalyzer,
        stem: &mut TextAnalyzer,
        text: &str,
    ) -> Vec<Span> {
        if self.units.is_empty() {
            return Vec::new();
        }
        // Tokens are kept without their text (a passage has many, and most are no query
        // term): only which term they are.
        let mut tokens = Vec::new();
        let (terms, prefixes, seen) = (&self.terms, &self.prefixes, &mut self.seen);
        words.token_stream(text).process(&mut |t| {
            let word = t.text.as_str();
            let term = if !prefixes.iter().any(|p| word.starts_with(p.as_str())) {
                None
            } else if let Some(&term) = seen.get(word) {
                term
            } else {
                let mut stemmed = String::new();
                stem.token_stream(word)
                    .process(&mut |s| stemmed.push_str(&s.text));
                let term = terms.binary_search(&stemmed).ok().map(|i| i as u32);
                seen.insert(word.to_string(), term);
                term
            };
            tokens.push(Token {
                term,
                prefix_text: self.has_prefix.then(|| {
                    let mut stemmed = String::new();
                    stem.token_stream(word)
                        .process(&mut |s| stemmed.push_str(&s.text));
                    stemmed
                }),
                from: t.offset_from,
                to: t.offset_to,
            })
        });
        let mut found: Vec<Span> = Vec::new();
        for unit in &self.units {
            let ids: Vec<Option<u32>> = unit
                .terms
                .iter()
                .map(|t| self.terms.binary_search(t).ok().map(|i| i as u32))
                .collect();
            for i in 0..tokens.len() {
                if let Some(last) = unit.match_at(&ids, &tokens, i) {
                    found.push(Span {
                        start: tokens[i].from,
                        end: tokens[last].to,
                    });
                }
            }
        }
        found.sort_by_key(|s| (s.start, std::cmp::Reverse(s.end)));
        let mut kept: Vec<Span> = Vec::with_capacity(found.len());
        for span in found {
            if kept.last().is_none_or(|k| span.start >= k.end) {
                kept.push(span);
            }
        }
        kept
    }
}

impl Unit {
    /// Whether the unit starts at token `i` (`ids`: its terms' indexes in the matcher's
    /// terms); the index of its last token if so. A phrase takes, for each next word, its
    /// nearest occurrence after the previous word, while the words skipped stay within
    /// the slop.
    fn match_at(&self, ids: &[Option<u32>], tokens: &[Token], i: usize) -> Option<usize> {
        let last = self.terms.len() - 1;
        let is = |k: usize, t: &Token| {
            if self.prefix && k == last {
                t.prefix_text
                    .as_deref()
                    .is_some_and(|text| text.starts_with(self.terms[k].as_str()))
            } else {
                ids[k].is_some() && t.term == ids[k]
            }
        };
        if !is(0, &tokens[i]) {
            return None;
        }
        let (mut at, mut budget) = (i, self.slop as usize);
        for k in 1..self.terms.len() {
            let window = tokens.get(at + 1..=(at + 1 + budget).min(tokens.len() - 1))?;
            let skip = window.iter().position(|t| is(k, t))?;
            budget -= skip;
            at += 1 + skip;
        }
        Some(at)
    }
}

/// Adds the units of every literal of `ast` that can match the text field.
fn collect(ast: &UserInputAst, analyzer: &mut TextAnalyzer, units: &mut Vec<Unit>) {
    match ast {
        UserInputAst::Clause(clauses) => {
            for (occur, sub) in clauses {
                if *occur != Some(Occur::MustNot) {
                    collect(sub, analyzer, units);
                }
            }
        }
        UserInputAst::Boost(sub, _) => collect(sub, analyzer, units),
        UserInputAst::Leaf(leaf) => {
            let UserInputLeaf::Literal(lit) = leaf.as_ref() else {
                return;
            };
            if lit.field_name.as_deref().is_some_and(|f| f != "text") {
                return;
            }
            let mut terms = Vec::new();
            analyzer
                .token_stream(&lit.phrase)
                .process(&mut |t| terms.push(t.text.clone()));
            if !terms.is_empty() {
                units.push(Unit {
                    terms,
                    slop: lit.slop,
                    prefix: lit.prefix,
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn find(query: &str, text: &str) -> Vec<String> {
        let manager = tantivy::tokenizer::TokenizerManager::default();
        let mut analyzer = manager.get("en_stem").unwrap();
        let mut words = manager.get("default").unwrap();
        let mut matcher = Matcher::of(query, &mut analyzer);
        matcher
            .find(&mut words, &mut analyzer, text)
            .iter()
            .map(|s| text[s.start..s.end].to_string())
            .collect()
    }

    #[test]
    fn words_match_by_stem_and_phrases_as_one_span() {
        let text = "Oil prices rose. Oil was cheap, but the price of oil, prices said, fell.";
        assert_eq!(find("price", text), ["prices", "price", "prices"]);
        // Punctuation between two words does not part them (tantivy's positions neither).
        assert_eq!(find("\"oil prices\"", text), ["Oil prices", "oil, prices"]);
        // The word inside a phrase match is not matched again; elsewhere it is.
        assert_eq!(
            find("oil \"oil prices\"", text),
            ["Oil prices", "Oil", "oil, prices"]
        );
        assert_eq!(find("oil \"crude oil\"", text), ["Oil", "Oil", "oil"]);
    }

    #[test]
    fn slop_allows_words_between_in_order() {
        let text = "dependence on Russian energy; energy and its dependence";
        assert_eq!(
            find("\"dependence energy\"~2", text),
            ["dependence on Russian energy"]
        );
        assert!(find("\"dependence energy\"~1", text).is_empty());
    }

    #[test]
    fn negated_and_other_field_clauses_are_not_matches() {
        let text = "Gas and oil, gas from Russia";
        assert_eq!(find("gas -oil", text), ["Gas", "gas"]);
        assert_eq!(find("gas AND NOT oil", text), ["Gas", "gas"]);
        assert_eq!(find("title:oil gas", text), ["Gas", "gas"]);
        assert_eq!(find("text:oil", text), ["oil"]);
        assert_eq!(find("loc:\"russia\" gas", text), ["Gas", "gas"]);
    }

    #[test]
    fn a_phrase_prefix_matches_the_start_of_its_last_word() {
        let text = "oil pricing and oil prices";
        assert_eq!(find("\"oil pri\"*", text), ["oil pricing", "oil prices"]);
    }
}
