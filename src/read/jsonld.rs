//! JSON-LD metadata in HTML pages (`<script type="application/ld+json">`).
//!
//! Takes a parsed page and gives the headline, `datePublished`, author and publisher
//! name of its article node. News sites nest these in arrays and `@graph`s and point
//! to the publisher by `@id`, so nodes are flattened first and references resolved.
//! Broken JSON-LD is common and harmless: a warning, and the page is read without it.

use scraper::{Html, Selector};
use serde_json::{Map, Value};

use super::fields::{author_text, named_text};
use super::{ReadWarning, Sink};

/// How deep arrays and `@graph`s are followed; real pages need two or three levels.
const MAX_DEPTH: usize = 6;

/// What the page's JSON-LD says about its article.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Linked {
    pub headline: Option<String>,
    pub published: Option<String>,
    pub author: Option<String>,
    pub publisher: Option<String>,
    /// `articleBody`: the story's text as the publisher gives it, paragraphs (when
    /// marked at all) on lines of their own.
    pub body: Option<String>,
}

/// Gather JSON-LD from every `ld+json` script in the page.
pub(crate) fn collect(page: &Html, sink: &mut Sink) -> Linked {
    let selector = Selector::parse("script[type]").expect("static selector");
    let mut documents = Vec::new();
    for script in page.select(&selector) {
        let kind = script.value().attr("type").unwrap_or_default();
        if !kind.trim().eq_ignore_ascii_case("application/ld+json") {
            continue;
        }
        let text = script.text().collect::<String>();
        match serde_json::from_str::<Value>(&text) {
            Ok(value) => documents.push(value),
            Err(err) => sink.warn(ReadWarning::new(format!("invalid JSON-LD ignored: {err}"))),
        }
    }
    let mut nodes = Vec::new();
    for document in &documents {
        flatten(document, &mut nodes, 0);
    }
    from_nodes(&nodes)
}

fn flatten<'a>(value: &'a Value, nodes: &mut Vec<&'a Map<String, Value>>, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    match value {
        Value::Array(items) => items
            .iter()
            .for_each(|item| flatten(item, nodes, depth + 1)),
        Value::Object(object) => {
            nodes.push(object);
            if let Some(graph) = object.get("@graph") {
                flatten(graph, nodes, depth + 1);
            }
        }
        _ => {}
    }
}

/// Whether a node's `@type` (a string or a list) names an article-like thing.
fn is_article(node: &Map<String, Value>) -> bool {
    let article_like =
        |kind: &str| kind.ends_with("Article") || kind.ends_with("Posting") || kind == "Report";
    match node.get("@type") {
        Some(Value::String(kind)) => article_like(kind),
        Some(Value::Array(kinds)) => kinds.iter().filter_map(Value::as_str).any(article_like),
        _ => false,
    }
}

fn from_nodes(nodes: &[&Map<String, Value>]) -> Linked {
    let article = nodes
        .iter()
        .find(|node| is_article(node))
        .or_else(|| nodes.iter().find(|node| node.contains_key("datePublished")));
    let Some(article) = article else {
        return Linked::default();
    };
    let text = |key: &str| match article.get(key) {
        Some(Value::String(text)) if !text.trim().is_empty() => Some(text.trim().to_string()),
        _ => None,
    };
    let publisher = article.get("publisher").and_then(|publisher| {
        named_text(publisher).ok().flatten().or_else(|| {
            // {"@id": "#org"} points at an Organization node elsewhere in the graph.
            let id = publisher.get("@id")?.as_str()?;
            let node = nodes
                .iter()
                .find(|node| node.get("@id").and_then(Value::as_str) == Some(id))?;
            named_text(&Value::Object((*node).clone())).ok().flatten()
        })
    });
    Linked {
        headline: text("headline"),
        published: text("datePublished"),
        author: article
            .get("author")
            .and_then(|author| author_text(author).ok().flatten()),
        publisher,
        body: text("articleBody"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn linked(html: &str) -> (Linked, Vec<String>) {
        let page = Html::parse_document(html);
        let mut on_article = |_| {};
        let mut sink = Sink::new(&mut on_article);
        let linked = collect(&page, &mut sink);
        (
            linked,
            sink.report
                .warnings
                .iter()
                .map(ToString::to_string)
                .collect(),
        )
    }

    #[test]
    fn graph_with_publisher_reference_is_resolved() {
        let (found, warnings) = linked(
            r##"<script type="application/ld+json">{"@context":"https://schema.org","@graph":[
                {"@type":"Organization","@id":"#org","name":"Harbour Times"},
                {"@type":"WebPage","datePublished":"2020-01-01"},
                {"@type":["NewsArticle"],"headline":"Port strike ends","datePublished":"2025-03-04T09:30:00+01:00",
                 "author":[{"@type":"Person","name":"Mira Holm"},{"@type":"Person","name":"Jon Vik"}],
                 "publisher":{"@id":"#org"}}]}</script>"##,
        );
        assert!(warnings.is_empty());
        assert_eq!(
            found,
            Linked {
                headline: Some("Port strike ends".into()),
                published: Some("2025-03-04T09:30:00+01:00".into()),
                author: Some("Mira Holm, Jon Vik".into()),
                publisher: Some("Harbour Times".into()),
                body: None,
            }
        );
    }

    #[test]
    fn top_level_array_and_plain_publisher() {
        let (found, _) = linked(
            r#"<script type="application/ld+json">[{"@type":"BreadcrumbList"},
               {"@type":"Article","datePublished":"2024-11-02","publisher":{"name":"Daily Ledger"},"author":"K. Osei"}]</script>"#,
        );
        assert_eq!(found.published.as_deref(), Some("2024-11-02"));
        assert_eq!(found.publisher.as_deref(), Some("Daily Ledger"));
        assert_eq!(found.author.as_deref(), Some("K. Osei"));
    }

    #[test]
    fn broken_json_ld_is_a_warning() {
        let (found, warnings) =
            linked(r#"<script type="application/ld+json">{"@type": "NewsArticle",</script>"#);
        assert_eq!(found, Linked::default());
        assert_eq!(warnings.len(), 1);
        assert!(
            warnings[0].starts_with("invalid JSON-LD ignored: EOF while parsing"),
            "{}",
            warnings[0]
        );
    }

    #[test]
    fn deeply_nested_json_ld_does_not_overflow() {
        let deep = format!(
            "<script type=\"application/ld+json\">{}</script>",
            "[".repeat(100_000)
        );
        let (found, warnings) = linked(&deep);
        assert_eq!(found, Linked::default());
        assert!(
            warnings[0].contains("recursion limit exceeded"),
            "{}",
            warnings[0]
        );
    }
}
