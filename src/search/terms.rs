//! The words of passages as the index sees them, and how often the index holds each: what
//! the analyses over a set of hits (collocates, keyness) count with.
//!
//! [`Tokenizer`] splits a passage the way the text field was indexed (lowercased words,
//! each with its stem, which is the indexed term) and keeps each word's byte range.
//! [`Search::term_stats`] gives, per stem, its occurrences and the passages holding it in
//! the whole index; [`Search::text_totals`] the passages and tokens of the index.

use std::collections::HashMap;

use tantivy::postings::Postings;
use tantivy::schema::IndexRecordOption;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{DocSet, TERMINATED, Term};

use super::{Search, SearchError};

/// One word of a passage.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TextToken {
    /// The indexed term (lowercased, stemmed).
    pub stem: String,
    /// The word lowercased, as written otherwise.
    pub word: String,
    /// Byte range in the passage text.
    pub start: usize,
    pub end: usize,
}

/// Splits passages into [`TextToken`]s, stemming each distinct word once.
pub struct Tokenizer {
    words: TextAnalyzer,
    stem: TextAnalyzer,
    memo: HashMap<String, String>,
}

impl Tokenizer {
    pub fn tokens(&mut self, text: &str) -> Vec<TextToken> {
        let mut out = Vec::new();
        let (stem, memo) = (&mut self.stem, &mut self.memo);
        self.words.token_stream(text).process(&mut |t| {
            let stemmed = match memo.get(&t.text) {
                Some(s) => s.clone(),
                None => {
                    let mut s = String::new();
                    stem.token_stream(&t.text)
                        .process(&mut |st| s.push_str(&st.text));
                    memo.insert(t.text.clone(), s.clone());
                    s
                }
            };
            out.push(TextToken {
                stem: stemmed,
                word: t.text.clone(),
                start: t.offset_from,
                end: t.offset_to,
            });
        });
        out
    }
}

/// How often the index holds one term.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TermStats {
    /// Occurrences in the text of every passage.
    pub tokens: u64,
    /// Passages whose text holds it.
    pub passages: u64,
}

impl Search<'_> {
    /// A tokenizer giving the terms the text field was indexed with.
    pub fn tokenizer(&self) -> Result<Tokenizer, SearchError> {
        let index = &self.gazette.index;
        Ok(Tokenizer {
            words: index
                .tokenizers()
                .get("default")
                .expect("tantivy registers its default tokenizer"),
            stem: index.tokenizer_for_field(self.gazette.fields.text)?,
            memo: HashMap::new(),
        })
    }

    /// Occurrences and passages of each stem in the text of the whole index (deleted
    /// passages not counted).
    pub fn term_stats(&self, stems: &[&str]) -> Result<Vec<TermStats>, SearchError> {
        let field = self.gazette.fields.text;
        let mut out = vec![TermStats::default(); stems.len()];
        for reader in self.searcher.segment_readers() {
            let inverted = reader.inverted_index(field)?;
            for (stats, stem) in out.iter_mut().zip(stems) {
                let term = Term::from_field_text(field, stem);
                let Some(mut postings) =
                    inverted.read_postings(&term, IndexRecordOption::WithFreqs)?
                else {
                    continue;
                };
                while postings.doc() != TERMINATED {
                    if !reader.is_deleted(postings.doc()) {
                        stats.tokens += u64::from(postings.term_freq());
                        stats.passages += 1;
                    }
                    postings.advance();
                }
            }
        }
        Ok(out)
    }

    /// Passages whose text holds each stem, from the term dictionary alone (no postings
    /// read; deleted passages count until a merge drops them).
    pub fn term_stats_passages(&self, stems: &[&str]) -> Result<Vec<u64>, SearchError> {
        let field = self.gazette.fields.text;
        stems
            .iter()
            .map(|s| Ok(self.searcher.doc_freq(&Term::from_field_text(field, s))?))
            .collect()
    }

    /// Passages of the whole index, and tokens of their text (deleted passages' tokens
    /// count until a merge drops them; an ingest ends with a merge).
    pub fn text_totals(&self) -> Result<(u64, u64), SearchError> {
        let field = self.gazette.fields.text;
        let mut tokens = 0;
        for reader in self.searcher.segment_readers() {
            tokens += reader.inverted_index(field)?.total_num_tokens();
        }
        let passages = self.index_state()?.passages as u64;
        Ok((passages, tokens))
    }
}
