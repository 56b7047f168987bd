//! Field names and values: how the many spellings of "title", "body", "date"... in JSON
//! corpora and front matter map onto [`Article`] fields.
//!
//! Takes a JSON object (or a front-matter key) and gives the article fields it carries,
//! plus the keys it did not recognise and a message for each value that had a shape
//! gazette cannot use. Values are converted leniently: numbers become strings (epoch
//! timestamps stay raw for the dates stage), lists of strings are joined, an object with
//! a `name` stands for a publisher or author.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use crate::model::Article;

/// An article field a corpus file can fill.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Field {
    Title,
    Body,
    Published,
    Source,
    Url,
    Id,
    Author,
    Language,
}

/// Accepted key spellings (compared lowercased), best first: when a record has two keys
/// for one field, the earlier spelling wins if its value is usable.
const ALIASES: &[(Field, &[&str])] = &[
    (Field::Title, &["title", "headline"]),
    (
        Field::Body,
        &["body", "text", "content", "article", "maintext"],
    ),
    (
        Field::Published,
        &[
            "published",
            "date",
            "published_at",
            "publishedat",
            "publish_date",
            "published_date",
            "date_published",
            "pubdate",
            "pub_date",
            "datetime",
            "timestamp",
        ],
    ),
    (
        Field::Source,
        &["source", "publisher", "outlet", "site", "source_domain"],
    ),
    (Field::Url, &["url", "link"]),
    (Field::Id, &["id", "guid", "uuid"]),
    (Field::Author, &["author", "authors", "byline"]),
    (Field::Language, &["language", "lang"]),
];

/// The field a key names, and its rank among that field's spellings (0 = preferred).
pub(crate) fn field_for_key(key: &str) -> Option<(Field, usize)> {
    let key = key.trim().to_lowercase();
    ALIASES.iter().find_map(|(field, names)| {
        names
            .iter()
            .position(|name| *name == key)
            .map(|rank| (*field, rank))
    })
}

/// Body key spellings, for the "no body" message.
fn body_keys() -> String {
    ALIASES
        .iter()
        .find(|(field, _)| *field == Field::Body)
        .map(|(_, names)| names.join(", "))
        .unwrap_or_default()
}

/// What one JSON object yields: the article (its body empty when the record has only a
/// headline), or why it has neither title nor usable body, and messages for values that
/// were ignored.
pub(crate) struct FromObject {
    pub article: Result<Article, String>,
    pub problems: Vec<String>,
}

/// Fill `article` (which already carries path and fallback id) from a JSON object,
/// recording unrecognised keys in `unknown`.
pub(crate) fn from_object(
    object: &Map<String, Value>,
    mut article: Article,
    unknown: &mut BTreeSet<String>,
) -> FromObject {
    // (field, rank, key, value), sorted so the preferred spelling of each field comes first.
    let mut known: Vec<(Field, usize, &str, &Value)> = Vec::new();
    for (key, value) in object {
        match field_for_key(key) {
            Some((field, rank)) => known.push((field, rank, key, value)),
            None => {
                unknown.insert(key.clone());
            }
        }
    }
    known.sort_by_key(|(field, rank, _, _)| (*field as u8, *rank));

    let mut problems = Vec::new();
    let mut body_problem = None;
    // A body field of a shape gazette cannot read (an object...): the story is there but
    // lost, so the headline alone does not stand for the article.
    let mut body_unusable = false;
    let mut filled: Vec<Field> = Vec::new();
    for (field, _, key, value) in known {
        if filled.contains(&field) {
            continue;
        }
        let converted = match field {
            Field::Body => body_text(value),
            Field::Author => author_text(value),
            Field::Source => named_text(value),
            Field::Published => date_text(value),
            _ => scalar_text(value),
        };
        let text = match converted {
            Ok(Some(text)) => text,
            Ok(None) => {
                if field == Field::Body && body_problem.is_none() {
                    body_problem = Some(format!("field \"{key}\" is empty"));
                }
                continue;
            }
            Err(shape) => {
                let message = format!("field \"{key}\" is {shape}");
                if field == Field::Body {
                    body_problem = Some(message);
                    body_unusable = true;
                } else {
                    problems.push(format!("{message}; ignored"));
                }
                continue;
            }
        };
        filled.push(field);
        let slot = match field {
            Field::Title => {
                article.title = text;
                continue;
            }
            Field::Body => {
                article.body = text;
                continue;
            }
            Field::Id => {
                article.id = text;
                continue;
            }
            Field::Published => &mut article.published_raw,
            Field::Source => &mut article.source,
            Field::Url => &mut article.url,
            Field::Author => &mut article.author,
            Field::Language => &mut article.language,
        };
        *slot = Some(text);
    }

    // A headline with no body (absent, null or empty) is a headline-only article, as
    // wire briefs are; `process` indexes its title as its one passage.
    let headline_only = filled.contains(&Field::Title) && !body_unusable;
    if filled.contains(&Field::Body) || headline_only {
        return FromObject {
            article: Ok(article),
            problems,
        };
    }
    let why = body_problem.unwrap_or_else(|| format!("no {} field", body_keys()));
    FromObject {
        article: Err(why),
        problems,
    }
}

/// The shape of a JSON value, for messages: "an object", "an array"...
pub(crate) fn shape(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A single value as text: strings trimmed (empty -> none), numbers as written.
fn scalar_text(value: &Value) -> Result<Option<String>, &'static str> {
    match value {
        Value::Null => Ok(None),
        Value::String(text) => Ok(non_empty(text.trim())),
        Value::Number(number) => Ok(Some(number.to_string())),
        other => Err(shape(other)),
    }
}

/// Like [`scalar_text`], plus MongoDB-export dates (`{"$date": ...}`).
fn date_text(value: &Value) -> Result<Option<String>, &'static str> {
    match value {
        Value::Object(object) if object.len() == 1 && object.contains_key("$date") => {
            scalar_text(&object["$date"])
        }
        other => scalar_text(other),
    }
}

/// A publisher or person: a string, or an object with a `name` (schema.org, NewsAPI).
pub(crate) fn named_text(value: &Value) -> Result<Option<String>, &'static str> {
    match value {
        Value::Object(object) => {
            match object.iter().find(|(k, _)| k.eq_ignore_ascii_case("name")) {
                Some((_, name)) => scalar_text(name),
                None => Err("an object without a name"),
            }
        }
        other => scalar_text(other),
    }
}

/// One author or a list of them, joined with ", ".
pub(crate) fn author_text(value: &Value) -> Result<Option<String>, &'static str> {
    let Value::Array(items) = value else {
        return named_text(value);
    };
    let mut names = Vec::new();
    for item in items {
        if let Some(name) =
            named_text(item).map_err(|_| "an array with values that are not names")?
        {
            names.push(name);
        }
    }
    Ok(non_empty(&names.join(", ")))
}

/// The body: a string, or a list of paragraph strings joined by blank lines.
fn body_text(value: &Value) -> Result<Option<String>, &'static str> {
    let Value::Array(items) = value else {
        return scalar_text(value);
    };
    let mut paragraphs = Vec::new();
    for item in items {
        match item {
            Value::String(text) if !text.trim().is_empty() => paragraphs.push(text.trim()),
            Value::String(_) | Value::Null => {}
            _ => return Err("an array with values that are not text"),
        }
    }
    Ok(non_empty(&paragraphs.join("\n\n")))
}

fn non_empty(text: &str) -> Option<String> {
    (!text.is_empty()).then(|| text.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn read(value: Value) -> (FromObject, BTreeSet<String>) {
        let mut unknown = BTreeSet::new();
        let base = Article {
            id: "a.json".into(),
            ..Article::default()
        };
        let result = from_object(value.as_object().unwrap(), base, &mut unknown);
        (result, unknown)
    }

    #[test]
    fn key_spellings_map_case_insensitively() {
        assert_eq!(field_for_key("Headline"), Some((Field::Title, 1)));
        assert_eq!(field_for_key("mainText"), Some((Field::Body, 4)));
        assert_eq!(field_for_key("publishedAt"), Some((Field::Published, 3)));
        assert_eq!(field_for_key("source_domain"), Some((Field::Source, 4)));
        assert_eq!(field_for_key("GUID"), Some((Field::Id, 1)));
        assert_eq!(field_for_key("byline"), Some((Field::Author, 2)));
        assert_eq!(field_for_key("summary"), None);
    }

    #[test]
    fn varied_names_fill_every_field() {
        let (result, unknown) = read(json!({
            "Headline": "OPEC cuts output",
            "maintext": "Oil prices rose.",
            "pubDate": 1_760_000_000,
            "outlet": {"name": "Gazette Wire"},
            "link": "https://example.org/opec",
            "uuid": 42,
            "authors": ["A. Writer", {"name": "B. Reporter"}],
            "lang": "en",
            "tags": ["oil"],
            "Summary": "x",
        }));
        let article = result.article.unwrap();
        assert_eq!(article.title, "OPEC cuts output");
        assert_eq!(article.body, "Oil prices rose.");
        assert_eq!(article.published_raw.as_deref(), Some("1760000000"));
        assert_eq!(article.source.as_deref(), Some("Gazette Wire"));
        assert_eq!(article.url.as_deref(), Some("https://example.org/opec"));
        assert_eq!(article.id, "42");
        assert_eq!(article.author.as_deref(), Some("A. Writer, B. Reporter"));
        assert_eq!(article.language.as_deref(), Some("en"));
        assert!(result.problems.is_empty());
        assert_eq!(unknown.into_iter().collect::<Vec<_>>(), ["Summary", "tags"]);
    }

    #[test]
    fn preferred_spelling_wins_and_empty_values_fall_through() {
        let (result, _) =
            read(json!({"text": "second", "body": "first", "title": "", "headline": "H"}));
        let article = result.article.unwrap();
        assert_eq!(article.body, "first");
        assert_eq!(article.title, "H");
        let (result, _) = read(json!({"body": "", "content": "from content"}));
        assert_eq!(result.article.unwrap().body, "from content");
    }

    #[test]
    fn wrong_types_are_converted_or_reported() {
        let (result, _) = read(json!({
            "title": 2024,
            "body": ["First paragraph.", " ", "Second paragraph."],
            "url": ["a", "b"],
            "date": {"$date": "2025-10-15T08:00:00Z"},
            "source": true,
        }));
        let article = result.article.unwrap();
        assert_eq!(article.title, "2024");
        assert_eq!(article.body, "First paragraph.\n\nSecond paragraph.");
        assert_eq!(
            article.published_raw.as_deref(),
            Some("2025-10-15T08:00:00Z")
        );
        assert_eq!(article.url, None);
        assert_eq!(
            result.problems,
            [
                "field \"source\" is a boolean; ignored",
                "field \"url\" is an array; ignored"
            ]
        );
    }

    #[test]
    fn a_headline_without_a_body_is_an_article_with_an_empty_body() {
        for value in [
            json!({"title": "CHRYSLER SETS QUARTERLY DIVIDEND"}),
            json!({"headline": "CHRYSLER SETS QUARTERLY DIVIDEND", "body": ""}),
            json!({"title": "CHRYSLER SETS QUARTERLY DIVIDEND", "text": null, "body": "  "}),
        ] {
            let article = read(value.clone()).0.article.unwrap();
            assert_eq!(article.title, "CHRYSLER SETS QUARTERLY DIVIDEND", "{value}");
            assert_eq!(article.body, "", "{value}");
        }
    }

    #[test]
    fn missing_or_unusable_body_gives_no_article_and_says_why() {
        let why = |value| read(value).0.article.unwrap_err();
        assert_eq!(
            why(json!({"id": "x", "date": "2025-10-15"})),
            "no body, text, content, article, maintext field"
        );
        assert_eq!(
            why(json!({"title": " ", "body": ""})),
            "field \"body\" is empty"
        );
        // A body that is there but cannot be read is not made up for by the headline.
        assert_eq!(
            why(json!({"title": "T", "body": {"html": "<p>x</p>"}})),
            "field \"body\" is an object"
        );
        assert_eq!(
            why(json!({"body": {"html": "<p>x</p>"}})),
            "field \"body\" is an object"
        );
        assert_eq!(why(json!({"Text": "   "})), "field \"Text\" is empty");
        assert_eq!(
            why(json!({"body": [1, 2]})),
            "field \"body\" is an array with values that are not text"
        );
    }
}
