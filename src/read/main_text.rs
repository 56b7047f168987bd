//! A web page's main text: the article's paragraphs without the page around them.
//!
//! Takes the decoded page and gives its paragraphs. The main content is found by
//! trafilatura (the `trafilatura` crate, a port of go-trafilatura), chosen by its score on
//! the Zyte article-extraction benchmark (see the README): it drops menus, teasers,
//! comment threads and other page furniture far better than a `<p>` collector. Its plain
//! text runs paragraphs together, so the paragraphs are rebuilt here from its content
//! HTML, one per block element, as segmentation needs them.

use scraper::{ElementRef, Html, Node};
use trafilatura::{ExtractionFocus, Options};

/// Elements that start and end a paragraph of their own.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "blockquote",
    "pre",
    "table",
    "tr",
    "section",
    "article",
    "header",
    "footer",
    "main",
    "figure",
    "figcaption",
    "hr",
];

/// The main text of `page` as paragraphs (whitespace collapsed, none empty), or an empty
/// list when trafilatura finds none. A leading heading that repeats `title` is dropped:
/// the title is indexed on its own.
pub(crate) fn paragraphs(page: &str, title: &str) -> Vec<String> {
    let mut options = Options::default();
    // Picked by benchmark F1 (README): recall focus keeps paragraphs the balanced mode
    // drops between subheadings; comments are pruned before the main text is searched.
    options.focus = ExtractionFocus::FavorRecall;
    options.exclude_comments = true;
    let Ok(extracted) = trafilatura::extract(page, &options) else {
        return Vec::new();
    };
    let mut out = block_texts(&extracted.content_html);
    if out
        .first()
        .is_some_and(|first| same_words(first, title) && !title.is_empty())
    {
        out.remove(0);
    }
    out
}

/// Whether `candidate` is `flat` (a main text that came out as one block, as
/// trafilatura's last-resort extraction gives it) in paragraphs, or with less furniture:
/// at least 90% of its words are in `flat` and it keeps at least half of them.
pub(crate) fn restructures(flat: &[String], candidate: &[String]) -> bool {
    let mut pool: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for word in flat.iter().flat_map(|p| words(p)) {
        *pool.entry(word).or_default() += 1;
    }
    let total: usize = pool.values().sum();
    let (mut found, mut seen) = (0usize, 0usize);
    for word in candidate.iter().flat_map(|p| words(p)) {
        seen += 1;
        if let Some(left) = pool.get_mut(&word).filter(|left| **left > 0) {
            *left -= 1;
            found += 1;
        }
    }
    seen > 0 && found * 10 >= seen * 9 && found * 2 >= total
}

/// Drops a byline ("By Ana Ruiz", "By Ana Ruiz, Reuters", the page's author) that opens
/// or closes the text: a name line, not the story, and it would repeat in every article
/// of a writer. Only short lines go, so a paragraph that starts with "By" stays.
pub(crate) fn drop_bylines(paragraphs: &mut Vec<String>, author: Option<&str>) {
    let byline = |text: &str| {
        let words = text.split_whitespace().count();
        let by = text
            .strip_prefix("By ")
            .or_else(|| text.strip_prefix("by "))
            .or_else(|| text.strip_prefix("BY "));
        (words <= 8 && by.is_some_and(|name| name.starts_with(char::is_uppercase)))
            || author.is_some_and(|author| same_words(text, author))
    };
    if paragraphs.len() > 1 && paragraphs.first().is_some_and(|p| byline(p)) {
        paragraphs.remove(0);
    }
    if paragraphs.len() > 1 && paragraphs.last().is_some_and(|p| byline(p)) {
        paragraphs.pop();
    }
}

/// The text of each block of an HTML fragment, in order, whitespace collapsed.
fn block_texts(html: &str) -> Vec<String> {
    let fragment = Html::parse_fragment(html);
    let mut out = Vec::new();
    let mut current = String::new();
    walk(fragment.root_element(), &mut current, &mut out);
    flush(&mut current, &mut out);
    out
}

fn walk(element: ElementRef<'_>, current: &mut String, out: &mut Vec<String>) {
    for child in element.children() {
        match child.value() {
            Node::Text(text) => current.push_str(text),
            Node::Element(el) => {
                let Some(child) = ElementRef::wrap(child) else {
                    continue;
                };
                let name = el.name();
                if name == "br" {
                    current.push('\n');
                    continue;
                }
                let block = BLOCKS.contains(&name);
                if block {
                    flush(current, out);
                }
                walk(child, current, out);
                if block {
                    flush(current, out);
                } else if matches!(name, "td" | "th") {
                    current.push(' ');
                }
            }
            _ => {}
        }
    }
}

fn flush(current: &mut String, out: &mut Vec<String>) {
    let text = super::html::collapse(current);
    if !text.is_empty() {
        out.push(text);
    }
    current.clear();
}

/// Whether two texts hold the same words, ignoring case, punctuation and spacing.
fn same_words(a: &str, b: &str) -> bool {
    words(a).eq(words(b))
}

/// Lowercased runs of letters and digits.
fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_become_paragraphs_and_inline_markup_does_not() {
        assert_eq!(
            block_texts(
                "<h2>Rates</h2><p>The bank <b>raised</b> rates\n by <a href=x>a quarter</a>.</p>\
                 <ul><li>One</li><li>Two</li></ul><p>Line<br>break</p><div>Tail</div>"
            ),
            [
                "Rates",
                "The bank raised rates by a quarter.",
                "One",
                "Two",
                "Line break",
                "Tail"
            ]
        );
    }

    #[test]
    fn heading_repeating_the_title_is_dropped() {
        let page = "<html><head><title>x</title></head><body><nav><a href=/>Home</a></nav>\
            <article><h1>Central bank raises rates</h1>\
            <p>The central bank raised interest rates by a quarter point on Thursday, \
            its third rise this year, saying inflation was still running well above its \
            target and that wages were rising faster than productivity.</p>\
            <p>Markets had expected the move, and shares rose after the decision as \
            traders bet that this would be the last increase of the cycle.</p>\
            </article></body></html>";
        let body = paragraphs(page, "Central Bank Raises Rates!");
        assert_eq!(body.len(), 2, "{body:?}");
        assert!(body[0].starts_with("The central bank raised"));
        let body = paragraphs(page, "Something else");
        assert_eq!(body[0], "Central bank raises rates");
    }
}
