//! Concept expansion, with its evidence: other words the index uses for what a query's
//! words ask, and what each would add.
//!
//! The words of a query that can be expanded are its bare words ([`query_words`]): not
//! the words of a phrase (a phrase is a fixed expression; a synonym inside it is another
//! phrase), not negated words, not field clauses, not words with wildcards, slop or
//! boosts. For each such word, the candidates are its WordNet relatives (synonyms,
//! derived forms, direct hyponyms; [`crate::wordnet`]) whose every word the index holds
//! and whose analysed terms differ from the word's own (the stemmer already matches
//! "dependent" for "dependence"), and, with evidence asked for, the key words of the
//! query's own matches ([`super::keyness`]). For each candidate, counted over the whole
//! index under the query's filters:
//! - `added`: passages matching the candidate and not the query;
//! - `with_rest`: passages matching the query with the word replaced by the candidate
//!   and not the query itself (what the candidate adds to this query);
//! - an example of those passages (the best ranked), or of `added` when none.
//!
//! A WordNet candidate is *used* when `with_rest` is at least 1 and its `share`
//! (`with_rest / added`: how often its passages hold the rest of the query) is at least
//! the word's own (the query's passages over the word's) and at least [`MIN_SHARE`]: the
//! rest of the query supports its sense as much as it does the word's. (The first rule,
//! `with_rest` >= 1 alone, added mostly noise on the BBC dev concepts: "job losses" took
//! "business", "game", "going"; this one was chosen on those concepts, see the README.)
//! Key words are shown, never used: they are the words around a concept (Russia,
//! supplies), not other words for it. The expanded query replaces each word by `(word OR
//! used OR "used phrase")`.

use serde::Serialize;

use super::keyness;
use crate::search::{Hit, QueryConfig, Search, SearchError};
use crate::wordnet::{self, Relation};

/// The least share of a used candidate's passages that hold the rest of the query,
/// whatever the word's own share (which is 0 when the query matches nothing).
pub const MIN_SHARE: f64 = 0.1;

/// What to propose.
#[derive(Clone, Copy, Debug)]
pub struct Options {
    /// Key words of the matches proposed besides WordNet's (0: none).
    pub keyness: usize,
    /// Find examples and key words (`expand`); without, only what the rule needs
    /// (`query --expand`).
    pub evidence: bool,
}

/// Where a candidate comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    Synonym,
    Derived,
    Hyponym,
    /// A key word of the query's matches.
    Keyness,
}

impl Source {
    pub fn name(self) -> &'static str {
        match self {
            Source::Synonym => "synonym",
            Source::Derived => "derived",
            Source::Hyponym => "hyponym",
            Source::Keyness => "keyness",
        }
    }
}

impl From<Relation> for Source {
    fn from(r: Relation) -> Source {
        match r {
            Relation::Synonym => Source::Synonym,
            Relation::Derived => Source::Derived,
            Relation::Hyponym => Source::Hyponym,
        }
    }
}

/// A word of the query that can be expanded, and where it is in the query string.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueryWord {
    pub word: String,
    /// Byte range in the query string.
    pub start: usize,
    pub end: usize,
}

/// One passage a candidate adds.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Example {
    pub article_id: String,
    pub passage: u64,
    /// About 160 characters around the candidate's first occurrence.
    pub snippet: String,
}

/// One candidate for one word of the query, with its evidence.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Candidate {
    /// The query word it stands beside.
    pub word: String,
    /// As it goes in a query: a word, or a quoted phrase.
    pub candidate: String,
    pub source: Source,
    /// Passages matching the candidate and not the query.
    pub added: u64,
    /// Passages matching the query with the word replaced by the candidate, and not the
    /// query.
    pub with_rest: u64,
    /// `with_rest / added` (0 when nothing is added).
    pub share: f64,
    /// The share the rule asks for: the word's own (the query's passages over the
    /// word's), at least [`MIN_SHARE`].
    pub needed: f64,
    pub example: Option<Example>,
    /// Whether the expanded query uses it.
    pub used: bool,
}

/// The candidates of a query and the query they make.
#[derive(Clone, Debug, Serialize)]
pub struct Expansion {
    /// The query as given.
    pub query: String,
    /// Passages the query matches.
    pub passages: u64,
    /// Its words that were expanded (bare words).
    pub words: Vec<String>,
    pub candidates: Vec<Candidate>,
    /// The query with each word replaced by an OR of it and its used candidates.
    pub expanded: String,
    /// Passages the expanded query matches and the query does not.
    pub expanded_adds: u64,
    /// The rule a candidate passed to be used, in words.
    pub rule: String,
}

/// The bare words of `query` (tantivy's query language) that expansion may replace.
pub fn query_words(query: &str) -> Vec<QueryWord> {
    let chars: Vec<(usize, char)> = query.char_indices().collect();
    let byte = |k: usize| chars.get(k).map_or(query.len(), |c| c.0);
    let stops = |c: char| c.is_whitespace() || matches!(c, '(' | ')' | '"');
    let mut out = Vec::new();
    // For each open parenthesis: whether its words are excluded (negated, a field's).
    let mut groups: Vec<bool> = Vec::new();
    let mut not = false;
    let mut k = 0;
    // Skips a quoted phrase starting at `k` and whatever is glued to its end (~2, ^3, *).
    let skip_phrase = |mut k: usize| {
        k += 1;
        while k < chars.len() && chars[k].1 != '"' {
            k += 1;
        }
        k += 1;
        while k < chars.len() && !stops(chars[k].1) {
            k += 1;
        }
        k
    };
    while k < chars.len() {
        let c = chars[k].1;
        if c.is_whitespace() {
            k += 1;
        } else if c == '(' {
            groups.push(std::mem::take(&mut not));
            k += 1;
        } else if c == ')' {
            groups.pop();
            not = false;
            k += 1;
        } else if c == '"' {
            not = false;
            k = skip_phrase(k);
        } else {
            let start = k;
            while k < chars.len() && !stops(chars[k].1) {
                k += 1;
            }
            let token = &query[byte(start)..byte(k)];
            let next = chars.get(k).map(|c| c.1);
            if token.ends_with(':') || token == "-" || token == "+" {
                // `field:(...)`, `field:"..."`, `-(...)`, `+(...)`.
                match next {
                    Some('(') => {
                        groups.push(token != "+" || not);
                        not = false;
                        k += 1;
                    }
                    Some('"') => {
                        not = false;
                        k = skip_phrase(k);
                    }
                    _ => {}
                }
                continue;
            }
            match token {
                "AND" | "OR" => continue,
                "NOT" => {
                    not = true;
                    continue;
                }
                _ => {}
            }
            let negated = std::mem::take(&mut not) || token.starts_with('-');
            let word = token.strip_prefix('+').unwrap_or(token);
            let excluded = groups.iter().any(|&g| g);
            if !negated && !excluded && !word.is_empty() && word.chars().all(char::is_alphanumeric)
            {
                let end = byte(k);
                out.push(QueryWord {
                    word: word.to_string(),
                    start: end - word.len(),
                    end,
                });
            }
        }
    }
    out
}

/// `query` with each `(word, replacement)` put in place of its word.
pub fn substitute(query: &str, replacements: &[(&QueryWord, String)]) -> String {
    let mut sorted: Vec<&(&QueryWord, String)> = replacements.iter().collect();
    sorted.sort_by_key(|(w, _)| std::cmp::Reverse(w.start));
    let mut out = query.to_string();
    for (w, text) in sorted {
        out.replace_range(w.start..w.end, text);
    }
    out
}

/// A word or phrase as it goes in a query.
fn as_query(text: &str) -> String {
    if text.chars().all(char::is_alphanumeric) {
        text.to_string()
    } else {
        format!("\"{}\"", text.replace('"', ""))
    }
}

/// The candidates of every expandable word of `base.query` under `base`'s filters, with
/// their evidence, and the expanded query.
pub fn expand(
    search: &Search,
    base: &QueryConfig,
    options: Options,
    threads: usize,
) -> Result<Expansion, SearchError> {
    let query = base.query.trim().to_string();
    let words = query_words(&query);
    let config = |q: String| QueryConfig {
        query: q,
        all: false,
        limit: 0,
        offset: 0,
        occurrences: false,
        ..base.clone()
    };
    let count = |q: String| -> Result<u64, SearchError> {
        Ok(search.count(&search.prepare(&config(q))?)? as u64)
    };
    let passages = count(query.clone())?;
    let mut tokenizer = search.tokenizer()?;
    let mut stems = |text: &str| -> Vec<String> {
        tokenizer.tokens(text).into_iter().map(|t| t.stem).collect()
    };

    // Key words of the matches, each proposed for every word.
    let mut key_words: Vec<String> = Vec::new();
    if options.evidence && options.keyness > 0 && passages > 0 {
        let target = search.prepare(&QueryConfig {
            query: query.clone(),
            all: true,
            ..base.clone()
        })?;
        let found = keyness::keyness(
            search,
            &target,
            None,
            keyness::Options {
                min_freq: 2,
                limit: options.keyness + words.len(),
                all_words: false,
            },
            threads,
        )?;
        let own: Vec<Vec<String>> = words.iter().map(|w| stems(&w.word)).collect();
        key_words = found
            .terms
            .into_iter()
            .map(|t| t.term)
            .filter(|t| !own.contains(&stems(t)))
            .take(options.keyness)
            .collect();
    }

    let mut candidates = Vec::new();
    for word in &words {
        let alone = count(word.word.clone())?;
        let needed = if alone > 0 {
            (passages as f64 / alone as f64).max(MIN_SHARE)
        } else {
            MIN_SHARE
        };
        let own = stems(&word.word);
        let mut seen: Vec<Vec<String>> = vec![own.clone()];
        let mut proposed: Vec<(String, Source)> = Vec::new();
        for lemma in wordnet::base_forms(&word.word.to_lowercase()) {
            for r in wordnet::relatives(&lemma) {
                let terms = stems(r.lemma);
                if terms.is_empty() || seen.contains(&terms) {
                    continue;
                }
                let refs: Vec<&str> = terms.iter().map(String::as_str).collect();
                if search.term_stats_passages(&refs)?.contains(&0) {
                    continue;
                }
                seen.push(terms);
                proposed.push((as_query(r.lemma), r.relation.into()));
            }
        }
        for k in &key_words {
            let terms = stems(k);
            if !seen.contains(&terms) {
                seen.push(terms);
                proposed.push((as_query(k), Source::Keyness));
            }
        }
        for (candidate, source) in proposed {
            let replaced = substitute(&query, &[(word, candidate.clone())]);
            let with_rest_query = format!("+({replaced}) -({query})");
            let added_query = format!("+{candidate} -({query})");
            let with_rest = count(with_rest_query.clone())?;
            let added = count(added_query.clone())?;
            let example = if options.evidence {
                let from = if with_rest > 0 {
                    Some(with_rest_query)
                } else if added > 0 {
                    Some(added_query)
                } else {
                    None
                };
                match from {
                    Some(q) => {
                        let first = stems(&candidate).into_iter().next();
                        example(search, base, q, first.as_deref())?
                    }
                    None => None,
                }
            } else {
                None
            };
            let share = if added > 0 {
                with_rest as f64 / added as f64
            } else {
                0.0
            };
            candidates.push(Candidate {
                word: word.word.clone(),
                candidate,
                source,
                added,
                with_rest,
                share,
                needed,
                example,
                used: source != Source::Keyness && with_rest >= 1 && share >= needed,
            });
        }
    }
    candidates.sort_by(|a, b| {
        let at = |c: &Candidate| words.iter().position(|w| w.word == c.word);
        at(a)
            .cmp(&at(b))
            .then(a.source.cmp(&b.source))
            .then(b.with_rest.cmp(&a.with_rest))
            .then(b.added.cmp(&a.added))
            .then_with(|| a.candidate.cmp(&b.candidate))
    });
    let replacements: Vec<(&QueryWord, String)> = words
        .iter()
        .filter_map(|w| {
            let used: Vec<&str> = candidates
                .iter()
                .filter(|c| c.used && c.word == w.word)
                .map(|c| c.candidate.as_str())
                .collect();
            (!used.is_empty()).then(|| (w, format!("({} OR {})", w.word, used.join(" OR "))))
        })
        .collect();
    let expanded = substitute(&query, &replacements);
    let expanded_adds = if expanded == query {
        0
    } else {
        count(format!("+({expanded}) -({query})"))?
    };
    Ok(Expansion {
        query,
        passages,
        words: words.iter().map(|w| w.word.clone()).collect(),
        candidates,
        expanded,
        expanded_adds,
        rule: format!(
            "a WordNet relative (synonym, derived form, direct hyponym) is used when the \
             query with the word replaced by it matches a passage the query does not \
             (with_rest >= 1) and the share of its passages that do (with_rest / added) \
             is at least the word's own share (the query's passages over the word's) and \
             at least {MIN_SHARE}; key words are shown, never used"
        ),
    })
}

/// The best-ranked passage of `query` under `base`'s filters, as an example, its snippet
/// around the first word whose stem is `at_stem` (the candidate's first), else around
/// the first match.
fn example(
    search: &Search,
    base: &QueryConfig,
    query: String,
    at_stem: Option<&str>,
) -> Result<Option<Example>, SearchError> {
    let prepared = search.prepare(&QueryConfig {
        query,
        all: false,
        limit: 1,
        offset: 0,
        occurrences: true,
        ..base.clone()
    })?;
    let mut found: Option<Hit> = None;
    search.run(&prepared, 1, &mut |hit| {
        found.get_or_insert(hit);
        Ok(())
    })?;
    let mut tokenizer = search.tokenizer()?;
    Ok(found.map(|hit| {
        let at = at_stem
            .and_then(|stem| {
                tokenizer
                    .tokens(&hit.text)
                    .into_iter()
                    .find(|t| t.stem == stem)
            })
            .map(|t| t.start)
            .or_else(|| hit.matches.first().map(|m| m.start))
            .unwrap_or(0);
        Example {
            snippet: snippet(&hit.text, at),
            article_id: hit.article_id,
            passage: hit.passage,
        }
    }))
}

/// About 160 characters of `text` around byte `at`, cut at words.
fn snippet(text: &str, at: usize) -> String {
    const SIDE: usize = 80;
    let mut start = at.saturating_sub(SIDE);
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    if start > 0 {
        start = text[start..at].find(' ').map_or(start, |i| start + i + 1);
    }
    let mut end = (at + SIDE).min(text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    if end < text.len() {
        end = text[at..end].rfind(' ').map_or(end, |i| at + i);
    }
    let mut s = String::new();
    if start > 0 {
        s.push('…');
    }
    s.push_str(text[start..end].trim());
    if end < text.len() {
        s.push('…');
    }
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(q: &str) -> Vec<String> {
        query_words(q).into_iter().map(|w| w.word).collect()
    }

    #[test]
    fn bare_words_are_expandable_phrases_negations_and_fields_are_not() {
        assert_eq!(words("energy dependence"), ["energy", "dependence"]);
        assert_eq!(words("+energy -gas NOT oil"), ["energy"]);
        assert_eq!(words("\"job losses\" layoffs"), ["layoffs"]);
        assert_eq!(words("\"oil prices\"~2 rise"), ["rise"]);
        assert_eq!(words("person:\"Vladimir Putin\" gas"), ["gas"]);
        assert_eq!(words("title:(oil gas) price"), ["price"]);
        assert_eq!(words("-(oil gas) NOT (coal) price"), ["price"]);
        assert_eq!(words("(oil OR gas) AND price*"), ["oil", "gas"]);
        assert_eq!(words("text:oil loc:Syria"), Vec::<String>::new());
    }

    #[test]
    fn substitution_keeps_the_rest_of_the_query() {
        let q = "+energy \"oil price\" dependence";
        let ws = query_words(q);
        let out = substitute(
            q,
            &[
                (&ws[1], "(dependence OR reliance)".to_string()),
                (&ws[0], "(energy OR power)".to_string()),
            ],
        );
        assert_eq!(
            out,
            "+(energy OR power) \"oil price\" (dependence OR reliance)"
        );
    }

    #[test]
    fn snippets_are_cut_at_words_around_the_point() {
        let text = "a ".repeat(60) + "reliance on Russian production " + &"b ".repeat(60);
        let at = text.find("reliance").unwrap();
        let s = snippet(&text, at);
        assert!(s.starts_with('…') && s.ends_with('…'), "{s}");
        assert!(s.contains("reliance on Russian production"), "{s}");
        assert!(s.chars().count() <= 165, "{s}");
        assert_eq!(snippet("short text", 0), "short text");
    }

    #[test]
    fn candidates_go_in_queries_as_words_or_phrases() {
        assert_eq!(as_query("reliance"), "reliance");
        assert_eq!(as_query("asking price"), "\"asking price\"");
        assert_eq!(as_query("get-up-and-go"), "\"get-up-and-go\"");
    }
}
