//! HTML articles (`.html`, `.htm`): one saved news page gives one article.
//!
//! Takes the decoded page and gives its article: metadata from OpenGraph and `<meta>`
//! tags, `<time datetime>` and JSON-LD (`application/ld+json`, with `@graph` or arrays),
//! and the body from the main content's `<p>` paragraphs. Pages are full of text that is
//! not the story (menus, cookie banners, related links), so paragraphs come from the
//! article container when there is one, and never from nav/header/footer/aside/forms.

use std::borrow::Cow;

use scraper::{ElementRef, Html, Selector};

use super::{ArticleSource, ReadError, Sink, jsonld, main_text};

/// Ancestors whose paragraphs are page furniture, not article text.
const NOISE: &[&str] = &[
    "nav",
    "header",
    "footer",
    "aside",
    "script",
    "style",
    "form",
    "noscript",
    "template",
    "figure",
    "figcaption",
    "button",
    "select",
];

/// Content containers, most specific first.
const CONTAINERS: &[&str] = &["[itemprop=articleBody]", "article", "main", "[role=main]"];

/// `<meta name=...>` spellings of the publication date, in order of preference.
const DATE_META: &[&str] = &[
    "article:published_time",
    "og:article:published_time",
    "date",
    "pubdate",
    "publish-date",
    "publishdate",
    "dc.date",
    "dc.date.issued",
    "dcterms.date",
    "dcterms.created",
];

/// Read one HTML page.
pub(crate) fn read(text: &str, source: &ArticleSource, sink: &mut Sink) -> Result<(), ReadError> {
    let text = &*strip_inert(text);
    let page = Html::parse_document(text);
    let meta = Meta::collect(&page);
    let linked = jsonld::collect(&page, sink);

    let mut article = source.article(source.rel.clone());
    article.title = meta
        .get("og:title")
        .map(str::to_string)
        .or_else(|| first_text(&page, "title"))
        .or_else(|| first_text(&page, "h1"))
        .or_else(|| linked.headline.clone())
        .unwrap_or_default();

    // Found only when needed (a page with no date meta, a main text to check): the
    // search runs the paragraph collector over every candidate element.
    let container = std::cell::OnceCell::new();
    let container = || *container.get_or_init(|| main_container(&page));
    article.published_raw = DATE_META
        .iter()
        .find_map(|name| meta.get(name))
        .map(str::to_string)
        .or_else(|| container().and_then(time_datetime))
        .or_else(|| linked.published.clone());
    article.source = meta
        .get("og:site_name")
        .map(str::to_string)
        .or(linked.publisher.clone());
    article.url = meta
        .get("og:url")
        .map(str::to_string)
        .or_else(|| attr_of(&page, "link[rel=canonical]", "href"));
    article.author = meta
        .get("author")
        .filter(|author| !author.starts_with("http"))
        .map(str::to_string)
        .or(linked.author.clone());
    article.language = attr_of(&page, "html", "lang");

    // A page with no main text stays an error even with a title: every page has one
    // (menus, indexes, error pages), so a title alone does not show the page holds an
    // article, and a story whose text could not be found must be reported, not indexed
    // as a headline.
    let body = main_text(text, &page, container, &article, linked.body.as_deref());
    if body.is_empty() {
        return Err(ReadError::NoBody("no article text in the page".to_string()));
    }
    article.body = body.join("\n\n");
    sink.emit(article);
    Ok(())
}

/// Below this many characters, a main text that came out as one block is what
/// trafilatura scraped from a page it found no article in (its own `min_extracted_size`).
const SHORT_TEXT: usize = 250;

/// The article's paragraphs: trafilatura's main text. Where that came out as one block
/// (its last resort, which runs a page's text together) or not at all, the publisher's
/// JSON-LD `articleBody` (one paragraph a line) or the `<p>` text of the article
/// container: instead of a short block always (trafilatura's scraps of a page it found
/// no article in), instead of a long one when it is the same text in paragraphs or with
/// less furniture. A short block that neither confirms is a page without an article
/// (a 404 page, an index).
/// Ad labels and bylines go.
fn main_text<'a>(
    text: &str,
    page: &'a Html,
    container: impl Fn() -> Option<ElementRef<'a>>,
    article: &crate::model::Article,
    linked_body: Option<&str>,
) -> Vec<String> {
    let mut body = main_text::paragraphs(text, &article.title);
    if body.len() <= 1 {
        let linked: Vec<String> = linked_body
            .map(|body| {
                body.lines()
                    .map(collapse)
                    .filter(|line| !line.is_empty())
                    .collect()
            })
            .unwrap_or_default();
        let own = paragraphs(container().unwrap_or(page.root_element()));
        let short = body.iter().map(|p| p.chars().count()).sum::<usize>() < SHORT_TEXT;
        if let Some(better) = [linked, own].into_iter().find(|candidate| {
            !candidate.is_empty() && (short || main_text::restructures(&body, candidate))
        }) {
            body = better;
        } else if short {
            body.clear();
        }
    }
    main_text::drop_furniture(&mut body, article.author.as_deref());
    body
}

/// The page without what no reader shows: scripts, style sheets and comments are half
/// the bytes of a news page, and both parses (gazette's and trafilatura's, which copies
/// its tree twice) would carry them. Scripts holding JSON stay (JSON-LD is metadata).
/// Each is cut where the HTML tokenizer ends it: a script at the first `</script`, a
/// comment at the first `-->`; one left open is kept, for the parser to deal with. The
/// text of `<title>` and `<textarea>` is left alone.
fn strip_inert(text: &str) -> Cow<'_, str> {
    let bytes = text.as_bytes();
    let mut out = String::new();
    let (mut kept, mut at) = (0, 0);
    while let Some(offset) = text[at..].find('<') {
        let start = at + offset;
        let rest = &bytes[start..];
        // Text elements whose content is not markup: "<script" there is words.
        if let Some(tag) = ["title", "textarea"]
            .into_iter()
            .find(|tag| starts_tag(&rest[1..], tag.as_bytes()))
        {
            let close = if tag == "title" {
                "</title"
            } else {
                "</textarea"
            };
            match find(text, start + 1, close) {
                Some(c) => {
                    at = c + 1;
                    continue;
                }
                None => break,
            }
        }
        let end = if rest.starts_with(b"<!--") {
            find(text, start + 4, "-->").map(|e| e + 3)
        } else if let Some(tag) = [&b"script"[..], b"style"]
            .into_iter()
            .find(|tag| starts_tag(&rest[1..], tag))
        {
            let open_end = text[start..].find('>').map(|e| start + e + 1);
            let json =
                open_end.is_some_and(|e| text[start..e].to_ascii_lowercase().contains("json"));
            let close = if tag == b"script" {
                "</script"
            } else {
                "</style"
            };
            match open_end {
                Some(e) if !json => {
                    find(text, e, close).and_then(|c| text[c..].find('>').map(|g| c + g + 1))
                }
                _ => None,
            }
        } else {
            None
        };
        match end {
            Some(end) => {
                out.push_str(&text[kept..start]);
                kept = end;
                at = end;
            }
            None => at = start + 1,
        }
    }
    if kept == 0 {
        return Cow::Borrowed(text);
    }
    out.push_str(&text[kept..]);
    Cow::Owned(out)
}

/// Whether `rest` (after a `<`) opens the element `tag`: its name, any case, then a space,
/// `>` or `/`.
fn starts_tag(rest: &[u8], tag: &[u8]) -> bool {
    rest.len() > tag.len()
        && rest[..tag.len()].eq_ignore_ascii_case(tag)
        && matches!(
            rest[tag.len()],
            b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'>' | b'/'
        )
}

/// The byte offset of `needle` (ASCII) in `text` from `from` on, ignoring ASCII case.
fn find(text: &str, from: usize, needle: &str) -> Option<usize> {
    let hay = &text.as_bytes()[from..];
    let first = needle.as_bytes()[0];
    let mut at = 0;
    while let Some(i) = hay[at..]
        .iter()
        .position(|b| b.eq_ignore_ascii_case(&first))
    {
        let start = at + i;
        if hay.len() - start >= needle.len()
            && hay[start..start + needle.len()].eq_ignore_ascii_case(needle.as_bytes())
        {
            return Some(from + start);
        }
        at = start + 1;
    }
    None
}

/// `<meta>` values by lowercased `property`/`name`/`itemprop`; the first one wins.
struct Meta(Vec<(String, String)>);

impl Meta {
    fn collect(page: &Html) -> Meta {
        let selector = Selector::parse("meta[content]").expect("static selector");
        let mut pairs = Vec::new();
        for element in page.select(&selector) {
            let value = element.value();
            let key = value
                .attr("property")
                .or(value.attr("name"))
                .or(value.attr("itemprop"));
            let (Some(key), Some(content)) = (key, value.attr("content")) else {
                continue;
            };
            let content = collapse(content);
            if !content.is_empty() {
                pairs.push((key.trim().to_lowercase(), content));
            }
        }
        Meta(pairs)
    }

    fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// The article container with the most paragraph text, from the most specific kind
/// present (a page may hold several `<article>` teasers besides the story).
fn main_container(page: &Html) -> Option<ElementRef<'_>> {
    for css in CONTAINERS {
        let selector = Selector::parse(css).expect("static selector");
        let best = page
            .select(&selector)
            .map(|element| {
                (
                    paragraphs(element).iter().map(String::len).sum::<usize>(),
                    element,
                )
            })
            .filter(|(len, _)| *len > 0)
            .max_by_key(|(len, _)| *len);
        if let Some((_, element)) = best {
            return Some(element);
        }
    }
    None
}

/// The `<p>` texts under `root`, whitespace collapsed, skipping empty ones and those
/// inside page furniture.
fn paragraphs(root: ElementRef<'_>) -> Vec<String> {
    let selector = Selector::parse("p").expect("static selector");
    root.select(&selector)
        .filter(|p| !inside_noise(*p, root))
        .map(|p| collapse(&p.text().collect::<String>()))
        .filter(|text| !text.is_empty())
        .collect()
}

/// Whether an element sits inside navigation, header, footer... below `root`.
fn inside_noise(element: ElementRef<'_>, root: ElementRef<'_>) -> bool {
    element
        .ancestors()
        .take_while(|node| node.id() != root.id())
        .filter_map(|node| node.value().as_element())
        .any(|ancestor| NOISE.contains(&ancestor.name()))
}

/// The `datetime` of the first `<time>` under `root`.
fn time_datetime(root: ElementRef<'_>) -> Option<String> {
    let selector = Selector::parse("time[datetime]").expect("static selector");
    root.select(&selector)
        .filter_map(|time| time.value().attr("datetime"))
        .map(collapse)
        .find(|value| !value.is_empty())
}

fn first_text(page: &Html, css: &str) -> Option<String> {
    let selector = Selector::parse(css).expect("static selector");
    page.select(&selector)
        .map(|element| collapse(&element.text().collect::<String>()))
        .find(|text| !text.is_empty())
}

fn attr_of(page: &Html, css: &str, attr: &str) -> Option<String> {
    let selector = Selector::parse(css).expect("static selector");
    page.select(&selector)
        .filter_map(|element| element.value().attr(attr))
        .map(collapse)
        .find(|value| !value.is_empty())
}

/// Runs of whitespace (including newlines and NBSP) become one space; ends trimmed.
pub(crate) fn collapse(text: &str) -> String {
    text.split(|c: char| c.is_whitespace())
        .filter(|word| !word.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::super::{FormatKind, read_sample};
    use crate::model::Article;

    fn page(html: &str) -> Article {
        let (mut articles, result) = read_sample(html.as_bytes(), "web/p.html", FormatKind::Html);
        let report = result.unwrap();
        assert!(report.warnings.is_empty(), "{:?}", report.warnings);
        assert_eq!(articles.len(), 1);
        articles.remove(0)
    }

    #[test]
    fn open_graph_page_with_noise() {
        let article = page(
            r#"<!doctype html><html lang="en-GB"><head>
            <title>Rates up | Ledger</title>
            <meta property="og:title" content="Central bank raises  interest rates">
            <meta property="og:site_name" content="The Ledger">
            <meta property="og:url" content="https://ledger.example/rates">
            <meta property="article:published_time" content="2025-09-18T14:00:00Z">
            <meta name="author" content="Ana Ruiz">
            <script>var x = "<p>not text</p>";</script><style>p{color:red}</style>
            </head><body>
            <header><p>Subscribe now</p></header><nav><p>Home</p><p>World</p></nav>
            <article><header><p>By Ana Ruiz</p></header>
              <p>The central bank raised interest rates
                 by a quarter point.</p>
              <figure><figcaption><p>The governor.</p></figcaption></figure>
              <p>  Markets had expected the move.&nbsp;</p>
              <p> </p>
              <aside><p>Related: mortgages</p></aside>
            </article>
            <footer><p>(c) Ledger</p></footer><form><p>Sign up</p></form>
            </body></html>"#,
        );
        assert_eq!(article.title, "Central bank raises interest rates");
        assert_eq!(article.source.as_deref(), Some("The Ledger"));
        assert_eq!(article.url.as_deref(), Some("https://ledger.example/rates"));
        assert_eq!(
            article.published_raw.as_deref(),
            Some("2025-09-18T14:00:00Z")
        );
        assert_eq!(article.author.as_deref(), Some("Ana Ruiz"));
        assert_eq!(article.language.as_deref(), Some("en-GB"));
        assert_eq!(
            article.body,
            "The central bank raised interest rates by a quarter point.\n\nMarkets had expected the move."
        );
        assert_eq!(article.id, "web/p.html");
    }

    #[test]
    fn fallbacks_title_h1_time_canonical_json_ld() {
        let article = page(
            r#"<html><head><link rel="canonical" href="https://x.example/derby">
            <script type="application/ld+json">{"@type":"NewsArticle","datePublished":"2025-04-12",
              "publisher":{"@type":"Organization","name":"Sports Daily"},"author":{"name":"Lee Park"}}</script>
            </head><body><h1> Derby   ends level </h1>
            <main><time datetime="2025-04-13">Sunday</time><p>The match ended 1-1.</p></main></body></html>"#,
        );
        assert_eq!(article.title, "Derby ends level");
        assert_eq!(article.url.as_deref(), Some("https://x.example/derby"));
        // <time> inside the content comes before JSON-LD, as in the spec's order.
        assert_eq!(article.published_raw.as_deref(), Some("2025-04-13"));
        assert_eq!(article.source.as_deref(), Some("Sports Daily"));
        assert_eq!(article.author.as_deref(), Some("Lee Park"));
        assert_eq!(article.body, "The match ended 1-1.");
    }

    #[test]
    fn meta_name_dates_and_title_element() {
        let article = page(
            r#"<html><head><title>Polls close</title><meta name="DC.date" content="2024-11-05">
            </head><body><p>Voters queued.</p><div><p>Turnout was high.</p></div></body></html>"#,
        );
        assert_eq!(article.title, "Polls close");
        assert_eq!(article.published_raw.as_deref(), Some("2024-11-05"));
        assert_eq!(article.body, "Voters queued.\n\nTurnout was high.");
    }

    #[test]
    fn longest_article_element_wins_and_article_body_itemprop_first() {
        let article = page(
            r#"<body><article><p>Teaser.</p></article>
            <article><p>The real story, which is much longer than a teaser.</p></article></body>"#,
        );
        assert_eq!(
            article.body,
            "The real story, which is much longer than a teaser."
        );
        let article = page(
            r#"<body><article><p>Headline blurb in article.</p>
            <div itemprop="articleBody"><p>Body one.</p></div></article></body>"#,
        );
        assert_eq!(article.body, "Body one.");
    }

    #[test]
    fn scripts_styles_and_comments_go_before_parsing_json_and_text_stay() {
        let page = "<html><head><TITLE>Why <script> tags matter</title>\
            <script>var a = '<p>not text</p>';</script>\
            <SCRIPT type=\"application/ld+json\">{\"@type\":\"NewsArticle\"}</SCRIPT>\
            <style media=screen>p { color: red }</style><scripts>kept</scripts>\
            <!-- <script>in a comment</script> --></head><body>\
            <script>document.write('<!--')</script><p>Story.</p>\
            <textarea><style>typed</style></textarea><script>never closed";
        assert_eq!(
            super::strip_inert(page),
            "<html><head><TITLE>Why <script> tags matter</title>\
            <SCRIPT type=\"application/ld+json\">{\"@type\":\"NewsArticle\"}</SCRIPT>\
            <scripts>kept</scripts>\
            </head><body>\
            <p>Story.</p>\
            <textarea><style>typed</style></textarea><script>never closed"
        );
        // Nothing to strip: the page itself, not a copy.
        assert!(matches!(
            super::strip_inert("<p>Plain.</p>"),
            std::borrow::Cow::Borrowed(_)
        ));
    }

    #[test]
    fn deeply_nested_markup_does_not_overflow() {
        // html5ever builds the tree iteratively; it is quadratic in depth, so stay modest.
        let depth = 5_000;
        let html = format!(
            "<article>{}<p>Deep text.</p>{}</article>",
            "<div>".repeat(depth),
            "</div>".repeat(depth)
        );
        assert_eq!(page(&html).body, "Deep text.");
    }

    #[test]
    fn page_without_paragraphs_has_no_body() {
        let (articles, result) = read_sample(
            b"<html><body><div>Menu</div><nav><p>Home</p></nav></body></html>",
            "x.html",
            FormatKind::Html,
        );
        assert!(articles.is_empty());
        let err = result.unwrap_err();
        assert!(err.is_skip());
        assert_eq!(
            err.to_string(),
            "no article body: no article text in the page"
        );
    }
}
