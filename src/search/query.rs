//! From the user's query string and filter flags to one tantivy query.
//!
//! Takes a [`QueryConfig`], gives a `Box<dyn Query>` restricted to passages. The query
//! language is tantivy's, over `text` and `title` (boosted), with every word required by
//! default. Entity clauses (`person:Putin`, `entity:"Hmeimim"`) are rewritten to the
//! canonical names the index holds before parsing, so a surname alone finds the full name.
//! Syntax errors are reported with the column where they happen.

use std::ops::Bound;

use serde::Serialize;
use tantivy::Term;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, Occur, Query, QueryParser, RangeQuery, TermQuery,
};
use tantivy::schema::IndexRecordOption;

use super::names::NameResolver;
use super::{QueryConfig, SearchError};
use crate::index::GazetteIndex;
use crate::model::EntityKind;
use crate::schema::{self, KIND_PASSAGE};

/// How much a match of the query in the article's title adds, relative to the text.
const TITLE_BOOST: f32 = 2.0;

/// Fields a user may name in the query language, as `field:value`.
pub const QUERY_FIELDS: &[&str] = &[
    "text",
    "title",
    "source",
    "person",
    "org",
    "loc",
    "misc",
    "entity",
    "published",
    "article_id",
];

/// The query as it ran: the query string with its entity clauses rewritten to the index
/// keys they resolved to, and the keys each entity filter flag resolved to. Part of every
/// answer's `meta`, so a reader sees what "Putin" or "U.S." stood for.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Executed {
    /// The query string after name resolution (empty for filters alone).
    pub query: String,
    /// Each entity filter flag, in the order given, with the keys it matched.
    pub names: Vec<ResolvedName>,
}

/// One entity filter flag and the index keys it resolved to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ResolvedName {
    /// `person`, `org`, `loc` or `entity` (any type).
    pub filter: &'static str,
    /// The name as given.
    pub name: String,
    /// `type:key` for each index key the name stands for.
    pub keys: Vec<String>,
}

/// [`build`] or [`build_filters`].
pub(crate) type Builder = fn(
    &GazetteIndex,
    &QueryConfig,
    &NameResolver,
) -> Result<(Box<dyn Query>, Executed), SearchError>;

/// Builds the query for `config`, and what it resolved names to.
pub(crate) fn build(
    gazette: &GazetteIndex,
    config: &QueryConfig,
    names: &NameResolver<'_, '_>,
) -> Result<(Box<dyn Query>, Executed), SearchError> {
    if config.query.trim().is_empty() && !config.has_filters() {
        return Err(SearchError::EmptyQuery);
    }
    build_filters(gazette, config, names)
}

/// [`build`] without its check that something narrows the query: with an empty query
/// and no filter, every passage.
pub(crate) fn build_filters(
    gazette: &GazetteIndex,
    config: &QueryConfig,
    names: &NameResolver<'_, '_>,
) -> Result<(Box<dyn Query>, Executed), SearchError> {
    let f = &gazette.fields;
    let mut executed = Executed::default();
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(
        Occur::Must,
        Box::new(TermQuery::new(
            Term::from_field_text(f.kind, KIND_PASSAGE),
            IndexRecordOption::Basic,
        )),
    )];
    let text = config.query.trim();
    if !text.is_empty() {
        check_syntax(text)?;
        let rewritten = names.rewrite_query(text)?;
        executed.query = rewritten.clone();
        // The passage text must match (a hit's text holds what was asked for); the same
        // query on the title only adds to the score, so a passage of an article whose
        // headline matches ranks higher, but a headline alone never makes a hit.
        let mut parser = QueryParser::for_index(&gazette.index, vec![f.text]);
        if !config.any {
            parser.set_conjunction_by_default();
        }
        let parsed = parser
            .parse_query(&rewritten)
            .map_err(|e| SearchError::from_parser(text, e))?;
        clauses.push((Occur::Must, parsed));
        let title_parser = QueryParser::for_index(&gazette.index, vec![f.title]);
        let (in_title, _) = title_parser.parse_query_lenient(&rewritten);
        clauses.push((
            Occur::Should,
            Box::new(BoostQuery::new(in_title, TITLE_BOOST)),
        ));
    }

    // A passage has one source, so several `--source` flags mean any of them; the entity
    // filters below stay conjunctive (a passage can mention Putin and Trump).
    if !config.sources.is_empty() {
        let any_of: Vec<(Occur, Box<dyn Query>)> = config
            .sources
            .iter()
            .map(|source| (Occur::Should, name_term(gazette, f.source, source)))
            .collect();
        clauses.push((Occur::Must, Box::new(BooleanQuery::new(any_of))));
    }
    for (kind, name) in &config.entities {
        let keys = names.resolve_filter(*kind, name)?;
        executed.names.push(ResolvedName {
            filter: kind.map_or("entity", |k| k.field_name()),
            name: name.clone(),
            keys: keys
                .iter()
                .map(|(kind, key)| format!("{}:{key}", kind.field_name()))
                .collect(),
        });
        let any_of: Vec<(Occur, Box<dyn Query>)> = keys
            .into_iter()
            .map(|(kind, key)| (Occur::Should, term_query(f.entity(kind), &key)))
            .collect();
        clauses.push((Occur::Must, Box::new(BooleanQuery::new(any_of))));
    }
    if config.since.is_some() || config.until.is_some() {
        let day = |d: chrono::NaiveDate| {
            let secs = d
                .and_hms_opt(0, 0, 0)
                .expect("midnight exists")
                .and_utc()
                .timestamp();
            Term::from_field_date(f.published, tantivy::DateTime::from_timestamp_secs(secs))
        };
        let lower = config
            .since
            .map_or(Bound::Unbounded, |d| Bound::Included(day(d)));
        // --until is inclusive of the whole day.
        let upper = config.until.map_or(Bound::Unbounded, |d| {
            Bound::Excluded(day(d.succ_opt().unwrap_or(d)))
        });
        clauses.push((Occur::Must, Box::new(RangeQuery::new(lower, upper))));
    }
    if let Some(range) = config.mentions {
        use chrono::Datelike;
        let first = schema::month_number(range.start.year(), range.start.month());
        let last = schema::month_number(range.end.year(), range.end.month());
        let lower = Bound::Included(Term::from_field_u64(f.mention_month, first));
        let upper = Bound::Included(Term::from_field_u64(f.mention_month, last));
        clauses.push((Occur::Must, Box::new(RangeQuery::new(lower, upper))));
    }
    if clauses.len() == 1 {
        clauses.push((Occur::Must, Box::new(AllQuery)));
    }
    Ok((Box::new(BooleanQuery::new(clauses)), executed))
}

/// A term query on a name field, with the value normalised as the field's tokenizer does.
pub(crate) fn name_term(
    gazette: &GazetteIndex,
    field: tantivy::schema::Field,
    value: &str,
) -> Box<dyn Query> {
    term_query(field, &normalize_for_field(gazette, field, value))
}

pub(crate) fn term_query(field: tantivy::schema::Field, key: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, key),
        IndexRecordOption::Basic,
    ))
}

/// Runs `value` through `field`'s tokenizer, giving the term the index holds.
pub(crate) fn normalize_for_field(
    gazette: &GazetteIndex,
    field: tantivy::schema::Field,
    value: &str,
) -> String {
    let mut analyzer = gazette
        .index
        .tokenizer_for_field(field)
        .expect("name fields have registered tokenizers");
    let mut out = String::new();
    analyzer
        .token_stream(value.trim())
        .process(&mut |t| out.push_str(&t.text));
    out
}

/// Catches the mistakes tantivy's parser reports without a position: unbalanced quotes
/// and parentheses, an operator with nothing after it, an unknown field.
fn check_syntax(query: &str) -> Result<(), SearchError> {
    let err = |col: usize, why: &str| SearchError::Syntax {
        query: query.to_string(),
        column: col,
        reason: why.to_string(),
    };
    let mut depth: Vec<usize> = Vec::new();
    let mut quote: Option<usize> = None;
    let chars: Vec<(usize, char)> = query.char_indices().collect();
    for (i, &(_, c)) in chars.iter().enumerate() {
        let col = i + 1;
        match (quote, c) {
            (Some(_), '"') => quote = None,
            (Some(_), _) => {}
            (None, '"') => quote = Some(col),
            (None, '(') => depth.push(col),
            (None, ')') if depth.pop().is_none() => {
                return Err(err(col, "`)` closes a parenthesis that was never opened"));
            }
            _ => {}
        }
    }
    if let Some(col) = quote {
        return Err(err(col, "this quote is never closed"));
    }
    if let Some(col) = depth.pop() {
        return Err(err(col, "this parenthesis is never closed"));
    }
    // Words outside quotes: unknown fields and dangling operators.
    let mut in_quote = false;
    let mut word_start = None;
    let mut words: Vec<(usize, String)> = Vec::new();
    for (i, &(_, c)) in chars.iter().enumerate() {
        if c == '"' {
            in_quote = !in_quote;
        }
        let boundary = c.is_whitespace() || c == '(' || c == ')';
        if in_quote || !boundary {
            word_start.get_or_insert(i);
        } else if let Some(s) = word_start.take() {
            words.push((s + 1, chars[s..i].iter().map(|(_, c)| c).collect()));
        }
    }
    if let Some(s) = word_start {
        words.push((s + 1, chars[s..].iter().map(|(_, c)| c).collect()));
    }
    for (col, word) in &words {
        if let Some((field, _)) = word.split_once(':')
            && field.chars().next().is_some_and(char::is_alphabetic)
            && field.chars().all(|c| c.is_alphanumeric() || c == '_')
            && !QUERY_FIELDS.contains(&field.to_ascii_lowercase().as_str())
        {
            return Err(err(
                *col,
                &format!(
                    "unknown field `{field}`; fields are: {}",
                    QUERY_FIELDS.join(", ")
                ),
            ));
        }
    }
    if let Some((col, word)) = words.last()
        && matches!(word.as_str(), "AND" | "OR" | "NOT")
    {
        return Err(err(*col, &format!("`{word}` needs something after it")));
    }
    if let Some((col, word)) = words.first()
        && matches!(word.as_str(), "AND" | "OR")
    {
        return Err(err(*col, &format!("`{word}` needs something before it")));
    }
    Ok(())
}

/// The entity type a query prefix names, if any.
pub(crate) fn kind_of_prefix(prefix: &str) -> Option<EntityKind> {
    EntityKind::ALL
        .into_iter()
        .find(|k| k.field_name() == prefix)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn syntax_error(q: &str) -> String {
        check_syntax(q).unwrap_err().to_string()
    }

    #[test]
    fn unbalanced_quote_points_at_the_quote() {
        let msg = syntax_error(r#"energy "oil prices"#);
        assert!(msg.contains("column 8"), "{msg}");
        assert!(msg.contains("never closed"), "{msg}");
    }

    #[test]
    fn unbalanced_parentheses_are_located() {
        assert!(syntax_error("(oil OR gas").contains("column 1"));
        assert!(syntax_error("oil) gas").contains("column 4"));
    }

    #[test]
    fn unknown_field_lists_the_valid_ones() {
        let msg = syntax_error("author:smith oil");
        assert!(msg.contains("unknown field `author`"), "{msg}");
        assert!(msg.contains("person"), "{msg}");
    }

    #[test]
    fn dangling_operators_are_errors() {
        assert!(syntax_error("oil AND").contains("needs something after"));
        assert!(syntax_error("OR oil").contains("needs something before"));
    }

    #[test]
    fn good_queries_pass() {
        for q in [
            "energy dependence",
            r#""oil prices" AND opec"#,
            r#""energy dependence"~3"#,
            "+oil -gas (opec OR cartel)",
            r#"person:"Vladimir Putin" loc:Damascus"#,
            "title:syria",
            "Üben café",
        ] {
            assert!(check_syntax(q).is_ok(), "{q}");
        }
    }
}
