//! Which words of a passage matched, and which window of a long passage to show.
//!
//! Takes the query's terms on the text field and a passage, gives byte spans of the words
//! whose analysed form (lowercased, stemmed) is one of those terms: exactly what tantivy
//! matched, so "prices" is highlighted for the query "price".

use std::collections::{HashMap, HashSet};

use tantivy::query::Query;
use tantivy::schema::Field;
use tantivy::tokenizer::TextAnalyzer;

use super::Span;

/// The analysed terms a query looks for in one field, and what is known of the words
/// seen so far.
#[derive(Clone)]
pub(crate) struct QueryTerms {
    terms: HashSet<String>,
    /// Each term less its last char: the stemmer only rewrites a word's ending, so a word
    /// can stem to a term only if it starts with this. Saves stemming most words.
    prefixes: Vec<String>,
    /// Lowercased words already stemmed, and whether they matched: `--all` over
    /// thousands of passages stems each distinct word once.
    seen: HashMap<String, bool>,
}

impl QueryTerms {
    pub(crate) fn of(query: &dyn Query, field: Field) -> QueryTerms {
        let mut terms = HashSet::new();
        query.query_terms(&mut |term, _| {
            if term.field() == field
                && let Some(text) = term.value().as_str()
            {
                terms.insert(text.to_string());
            }
        });
        let prefixes = terms.iter().map(|t| stem_prefix(t)).collect();
        QueryTerms {
            terms,
            prefixes,
            seen: HashMap::new(),
        }
    }

    /// Byte spans in `text` of the words matching one of the terms. `words` splits and
    /// lowercases as the field's analyzer does before stemming; `stem` is the field's
    /// analyzer itself.
    pub(crate) fn highlight(
        &mut self,
        words: &mut TextAnalyzer,
        stem: &mut TextAnalyzer,
        text: &str,
    ) -> Vec<Span> {
        if self.terms.is_empty() {
            return Vec::new();
        }
        let mut spans = Vec::new();
        words.token_stream(text).process(&mut |token| {
            let word = token.text.as_str();
            if !self.prefixes.iter().any(|p| word.starts_with(p.as_str())) {
                return;
            }
            let matched = match self.seen.get(word) {
                Some(&m) => m,
                None => {
                    let mut m = false;
                    stem.token_stream(word)
                        .process(&mut |t| m |= self.terms.contains(&t.text));
                    self.seen.insert(word.to_string(), m);
                    m
                }
            };
            if matched {
                spans.push(Span {
                    start: token.offset_from,
                    end: token.offset_to,
                });
            }
        });
        spans
    }
}

/// A term less its last char: the stemmer only rewrites a word's ending, so a word can
/// stem to `term` only if it starts with this (most words need no stemming to be ruled
/// out).
pub(crate) fn stem_prefix(term: &str) -> String {
    let cut = term.char_indices().last().map_or(0, |(i, _)| i);
    term[..cut].to_string()
}

/// The byte window of `text` to show in a terminal: all of it when it is at most
/// `max_bytes` long, else about `max_bytes` around the densest run of highlights, cut at
/// word boundaries.
pub fn snippet_window(text: &str, highlights: &[Span], max_bytes: usize) -> (usize, usize) {
    if text.len() <= max_bytes {
        return (0, text.len());
    }
    // The highlight that starts the window holding the most highlights.
    let mut best = (0, 0usize);
    for (i, h) in highlights.iter().enumerate() {
        let n = highlights[i..]
            .iter()
            .take_while(|o| o.end <= h.start + max_bytes)
            .count();
        if n > best.1 {
            best = (i, n);
        }
    }
    let center = highlights.get(best.0).map_or(0, |h| h.start);
    // Start a little before the first highlight, for context.
    let mut start = center.saturating_sub(max_bytes / 5);
    let mut end = (start + max_bytes).min(text.len());
    if end == text.len() {
        start = end.saturating_sub(max_bytes);
    }
    start = word_boundary_after(text, start);
    end = word_boundary_before(text, end);
    if end <= start {
        return (0, crate::process::floor_char_boundary(text, max_bytes));
    }
    (start, end)
}

fn word_boundary_after(text: &str, pos: usize) -> usize {
    if pos == 0 {
        return 0;
    }
    let pos = crate::process::floor_char_boundary(text, pos);
    // Just after the first whitespace char, whatever its width (NBSP is two bytes).
    text[pos..]
        .char_indices()
        .find(|(_, c)| c.is_whitespace())
        .map_or(pos, |(i, c)| pos + i + c.len_utf8())
}

fn word_boundary_before(text: &str, pos: usize) -> usize {
    if pos >= text.len() {
        return text.len();
    }
    let pos = crate::process::floor_char_boundary(text, pos);
    text[..pos].rfind(char::is_whitespace).unwrap_or(pos)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_highlighted_when_their_stem_is_a_query_term() {
        let manager = tantivy::tokenizer::TokenizerManager::default();
        let (mut words, mut stem) = (
            manager.get("default").unwrap(),
            manager.get("en_stem").unwrap(),
        );
        let mut terms = QueryTerms {
            terms: ["price".to_string(), "happi".to_string()].into(),
            prefixes: vec!["pric".into(), "happ".into()],
            seen: HashMap::new(),
        };
        let text = "Prices rose; pricing is happy, a priceless Happiness. Prickly price.";
        let got: Vec<&str> = terms
            .highlight(&mut words, &mut stem, text)
            .iter()
            .map(|s| &text[s.start..s.end])
            .collect();
        assert_eq!(got, ["Prices", "pricing", "happy", "Happiness", "price"]);
        // Same answer from the memo on a second passage.
        let again = terms.highlight(&mut words, &mut stem, "The price was happy.");
        assert_eq!(again.len(), 2);
    }

    #[test]
    fn windows_start_on_char_boundaries_after_wide_whitespace() {
        let text = format!(
            "{}oil prices rose{}",
            "mot\u{a0}".repeat(120),
            "\u{3000}fin".repeat(120)
        );
        let at = text.find("oil").unwrap();
        let spans = [Span {
            start: at,
            end: at + 3,
        }];
        for max in [50, 101, 200, 333] {
            let (start, end) = snippet_window(&text, &spans, max);
            assert!(
                text.is_char_boundary(start) && text.is_char_boundary(end),
                "{max}"
            );
            assert!(start <= at && at + 3 <= end, "{max}: {start}..{end}");
        }
    }

    #[test]
    fn short_text_is_shown_whole() {
        assert_eq!(snippet_window("Oil prices rose.", &[], 300), (0, 16));
    }

    #[test]
    fn long_text_window_contains_the_highlights_and_cuts_at_words() {
        let text = format!(
            "{} oil prices rose {}",
            "word ".repeat(200),
            "tail ".repeat(200)
        );
        let at = text.find("oil").unwrap();
        let spans = [
            Span {
                start: at,
                end: at + 3,
            },
            Span {
                start: at + 4,
                end: at + 10,
            },
        ];
        let (start, end) = snippet_window(&text, &spans, 200);
        assert!(start <= at && end >= at + 10, "{start}..{end} misses {at}");
        assert!(end - start <= 200);
        assert!(text[start..].starts_with(|c: char| !c.is_whitespace()));
        assert!(text.as_bytes()[start - 1] == b' ');
    }
}
