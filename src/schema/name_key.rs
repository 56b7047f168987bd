//! The name tokenizer: a whole entity name becomes one term, its matching key.
//!
//! The key is [`crate::ner::normalize_name`], so the index's terms, the names a user
//! types and the groups facets count by are made by one function: "Exxon Corp.",
//! "EXXON" and "Exxon's" are all the term `exxon`.

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

use crate::ner;

/// Emits one token, the name's key (none for a name with no key).
#[derive(Clone, Default)]
pub(crate) struct NameKeyTokenizer {
    token: Token,
}

pub(crate) struct NameKeyStream<'a> {
    token: &'a mut Token,
    has_token: bool,
}

impl Tokenizer for NameKeyTokenizer {
    type TokenStream<'a> = NameKeyStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &str) -> NameKeyStream<'a> {
        self.token.reset();
        self.token.position = 0;
        self.token.position_length = 1;
        self.token.offset_from = 0;
        self.token.offset_to = text.len();
        self.token.text = ner::normalize_name(text);
        NameKeyStream {
            has_token: !self.token.text.is_empty(),
            token: &mut self.token,
        }
    }
}

impl TokenStream for NameKeyStream<'_> {
    fn advance(&mut self) -> bool {
        std::mem::take(&mut self.has_token)
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}
