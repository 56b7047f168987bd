//! The one tantivy schema of a gazette index, shared by ingest, query and tests.
//!
//! An index holds three kinds of documents, told apart by the `kind` field:
//! - `passage`: one searchable passage with its article's metadata, entities and dates;
//! - `article`: one record per indexed article (id, file, source, path, publication date
//!   and the [`crate::dedup::Sketch`] of its body), written and deleted with the
//!   article's passages, from which the near-duplicate groups are computed;
//! - `file`: one record per ingested corpus file (size, mtime, content hash), committed
//!   in the same commit as that file's passages, so the index itself knows which files it
//!   holds and re-ingest, crash recovery and `--prune` need no side file.
//!
//! Every query is restricted to `kind:passage`.

use tantivy::Index;
use tantivy::schema::{
    DateOptions, DateTimePrecision, FAST, Field, INDEXED, IndexRecordOption, NumericOptions,
    STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::{AsciiFoldingFilter, LowerCaser, RawTokenizer, TextAnalyzer};

use crate::model::EntityKind;

mod name_key;
mod stem_cache;

/// Bumped whenever the schema or the meaning of a field changes; an index written with
/// another version is refused with a message asking to re-ingest.
pub const SCHEMA_VERSION: u32 = 3;

/// Tokenizer for entity names: the whole value is one term, its matching key
/// ([`crate::ner::normalize_name`]: case, diacritics, a leading "the", a possessive and
/// corporate suffixes folded away), so `person:"vladimir putin"`, `Person:"Vladimir
/// Pútin"` and `org:"Exxon Corp."` / `org:exxon` match the same terms.
pub const NAME_TOKENIZER: &str = "gazette_name_key";

/// Tokenizer for sources: the whole value is one term, lowercased and ASCII-folded (no
/// suffix or "the" removal: a source is a label, not a name to merge).
pub const SOURCE_TOKENIZER: &str = "gazette_source";

/// Tokenizer for passage text and titles.
pub const TEXT_TOKENIZER: &str = "en_stem";

/// `kind` value of passage documents.
pub const KIND_PASSAGE: &str = "passage";
/// `kind` value of article records.
pub const KIND_ARTICLE: &str = "article";
/// `kind` value of file records.
pub const KIND_FILE: &str = "file";

/// Handles to every field of the schema.
#[derive(Clone, Debug)]
pub struct Fields {
    pub kind: Field,
    // Passage documents.
    pub article_id: Field,
    pub passage: Field,
    pub start: Field,
    pub end: Field,
    pub text: Field,
    pub title: Field,
    pub source: Field,
    pub url: Field,
    pub path: Field,
    pub published: Field,
    /// When a web crawler fetched the page (web archives only); stored, not searched.
    pub crawled: Field,
    pub date_origin: Field,
    pub person: Field,
    pub org: Field,
    pub loc: Field,
    pub misc: Field,
    /// Months (`year * 12 + month0`) that the passage's resolved date mentions overlap.
    pub mention_month: Field,
    /// Stored JSON of the passage's entity mentions.
    pub entities: Field,
    /// One raw term per distinct entity of the passage, `key \x1f type \x1f canonical
    /// spelling` ([`name_form_term`]): its term dictionary gives, without reading any
    /// document, every spelling of every key and type with its passage count.
    pub names: Field,
    /// Stored JSON of the passage's date mentions.
    pub dates: Field,
    /// Passage documents: the canonical path of the corpus file they came from.
    pub file_key: Field,
    // Article records (besides `article_id`, `file_key`, `source`, `path`, `published`).
    /// The stored bytes of the article's [`crate::dedup::Sketch`].
    pub sketch: Field,
    // File records.
    /// The canonical path of the file a record describes.
    pub record_key: Field,
    pub file_size: Field,
    pub file_mtime: Field,
    pub file_hash: Field,
    pub file_articles: Field,
}

impl Fields {
    /// The entity field for one entity type.
    pub fn entity(&self, kind: EntityKind) -> Field {
        match kind {
            EntityKind::Person => self.person,
            EntityKind::Organisation => self.org,
            EntityKind::Location => self.loc,
            EntityKind::Misc => self.misc,
        }
    }
}

/// Builds the schema and the handles to its fields.
pub fn build_schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text_indexing = TextFieldIndexing::default()
        .set_tokenizer(TEXT_TOKENIZER)
        .set_index_option(IndexRecordOption::WithFreqsAndPositions);
    let text_options = TextOptions::default()
        .set_indexing_options(text_indexing)
        .set_stored();
    // Names: matched case-insensitively through the name tokenizer, while the fast column
    // keeps the canonical spelling for facets and display.
    let name_options = TextOptions::default()
        .set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(NAME_TOKENIZER)
                .set_index_option(IndexRecordOption::Basic),
        )
        .set_fast("raw");
    let source_options = TextOptions::default()
        .set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(SOURCE_TOKENIZER)
                .set_index_option(IndexRecordOption::Basic),
        )
        .set_fast("raw")
        .set_stored();
    let u64_stored = NumericOptions::default().set_stored();
    let date_options = DateOptions::default()
        .set_indexed()
        .set_stored()
        .set_fast()
        .set_precision(DateTimePrecision::Seconds);

    let fields = Fields {
        kind: b.add_text_field("kind", STRING),
        article_id: b.add_text_field("article_id", STRING | STORED | FAST),
        passage: b.add_u64_field("passage", INDEXED | STORED | FAST),
        start: b.add_u64_field("start", u64_stored.clone()),
        end: b.add_u64_field("end", u64_stored.clone()),
        text: b.add_text_field("text", text_options.clone()),
        title: b.add_text_field("title", text_options),
        source: b.add_text_field("source", source_options),
        url: b.add_text_field("url", STORED),
        path: b.add_text_field("path", STORED),
        published: b.add_date_field("published", date_options),
        crawled: b.add_date_field(
            "crawled",
            DateOptions::default()
                .set_stored()
                .set_precision(DateTimePrecision::Seconds),
        ),
        date_origin: b.add_text_field("date_origin", STRING | FAST),
        person: b.add_text_field("person", name_options.clone()),
        org: b.add_text_field("org", name_options.clone()),
        loc: b.add_text_field("loc", name_options.clone()),
        misc: b.add_text_field("misc", name_options),
        mention_month: b.add_u64_field("mention_month", INDEXED | FAST),
        entities: b.add_text_field("entities", STORED),
        dates: b.add_text_field("dates", STORED),
        names: b.add_text_field("names", STRING),
        file_key: b.add_text_field("file_key", STRING),
        sketch: b.add_bytes_field("sketch", STORED),
        record_key: b.add_text_field("record_key", STRING | STORED),
        file_size: b.add_u64_field("file_size", u64_stored.clone()),
        file_mtime: b.add_i64_field("file_mtime", NumericOptions::default().set_stored()),
        file_hash: b.add_text_field("file_hash", STORED),
        file_articles: b.add_u64_field("file_articles", u64_stored),
    };
    (b.build(), fields)
}

/// Registers gazette's own tokenizers on an index. Tokenizers are not persisted by
/// tantivy, so this runs every time an index is created or opened. `en_stem` is replaced
/// by a version that gives the same terms with each word type stemmed once (see
/// `stem_cache`), so indexes written before and after read alike.
pub fn register_tokenizers(index: &Index) {
    index
        .tokenizers()
        .register(TEXT_TOKENIZER, stem_cache::en_stem());
    index.tokenizers().register(
        NAME_TOKENIZER,
        TextAnalyzer::from(name_key::NameKeyTokenizer::default()),
    );
    index.tokenizers().register(
        SOURCE_TOKENIZER,
        TextAnalyzer::builder(RawTokenizer::default())
            .filter(LowerCaser)
            .filter(AsciiFoldingFilter)
            .build(),
    );
}

/// Separates the parts of a [`Fields::names`] term (never part of a name).
pub const NAME_FORM_SEPARATOR: char = '\u{1f}';

/// The [`Fields::names`] term of one entity: its key, its type's field name and its
/// canonical spelling in the article.
pub fn name_form_term(kind: EntityKind, canonical: &str) -> String {
    let key = crate::ner::normalize_name(canonical);
    let sep = NAME_FORM_SEPARATOR;
    let canonical = canonical.replace(sep, " ");
    format!("{key}{sep}{}{sep}{canonical}", kind.field_name())
}

/// The parts of a [`Fields::names`] term: key, type and spelling.
pub fn parse_name_form_term(term: &str) -> Option<(&str, EntityKind, &str)> {
    let mut parts = term.splitn(3, NAME_FORM_SEPARATOR);
    let key = parts.next()?;
    let kind = parts.next()?;
    let kind = EntityKind::ALL
        .into_iter()
        .find(|k| k.field_name() == kind)?;
    Some((key, kind, parts.next()?))
}

/// The month number stored in `mention_month` for a calendar month (1-based `month`).
pub fn month_number(year: i32, month: u32) -> u64 {
    (year as i64 * 12 + month as i64 - 1).max(0) as u64
}

/// The calendar month of a `mention_month` value.
pub fn month_of_number(n: u64) -> (i32, u32) {
    ((n / 12) as i32, (n % 12) as u32 + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_form_terms_round_trip() {
        let term = name_form_term(EntityKind::Organisation, "Exxon Corp.");
        assert_eq!(
            parse_name_form_term(&term),
            Some(("exxon", EntityKind::Organisation, "Exxon Corp."))
        );
    }

    #[test]
    fn month_numbers_round_trip() {
        for (y, m) in [(2025, 1), (2025, 12), (1999, 7), (1, 1)] {
            assert_eq!(month_of_number(month_number(y, m)), (y, m));
        }
        assert!(month_number(2025, 1) > month_number(2024, 12));
    }

    #[test]
    fn every_entity_kind_has_a_field_named_like_its_query_prefix() {
        let (schema, fields) = build_schema();
        for kind in EntityKind::ALL {
            let field = fields.entity(kind);
            assert_eq!(schema.get_field_name(field), kind.field_name());
        }
    }

    #[test]
    fn name_tokenizer_folds_case_and_diacritics() {
        let (schema, _) = build_schema();
        let index = Index::create_in_ram(schema);
        register_tokenizers(&index);
        let mut analyzer = index.tokenizers().get(NAME_TOKENIZER).unwrap();
        let mut terms = Vec::new();
        for name in [
            "Vladimir Pútin",
            "Exxon Corp.",
            "the Kremlin's",
            "Group",
            "",
        ] {
            analyzer
                .token_stream(name)
                .process(&mut |t| terms.push(t.text.clone()));
        }
        assert_eq!(terms, ["vladimir putin", "exxon", "kremlin", "group"]);
    }
}
