//! Plain-text and Markdown articles (`.txt`, `.md`).
//!
//! Takes the decoded text of one file and gives one article. Metadata comes from optional
//! front matter: a first line `---`, `key: value` lines (the same key spellings as JSON,
//! values optionally quoted), a closing `---`. Without a title key, the first non-empty
//! line is the title (a Markdown `# ` or underline is stripped) and the rest is the body.
//! A front-matter title with nothing after it is a headline-only article (empty body).
//! The body is kept as written, apart from CRLF becoming LF and outer blank lines going:
//! segmentation needs the blank lines between paragraphs.

use std::borrow::Cow;

use super::fields::{self, Field};
use super::{ArticleSource, ReadError, ReadWarning, Sink};

/// A first line longer than this is a paragraph, not a headline: it stays in the body.
const MAX_TITLE_CHARS: usize = 250;

/// Read one text article.
pub(crate) fn read(text: &str, source: &ArticleSource, sink: &mut Sink) -> Result<(), ReadError> {
    let text: Cow<str> = if text.contains('\r') {
        Cow::Owned(text.replace("\r\n", "\n"))
    } else {
        text.into()
    };
    let mut article = source.article(source.rel.clone());

    let rest = match split_front_matter(&text) {
        FrontMatter::None => text.as_ref(),
        FrontMatter::Unclosed { after_opening } => {
            sink.warn(ReadWarning::at_line(
                1,
                "front matter is never closed with \"---\"; read the file as plain text",
            ));
            after_opening
        }
        FrontMatter::Closed { lines, body } => {
            apply_front_matter(lines, &mut article, sink);
            body
        }
    };

    let (title, body) = if article.title.is_empty() {
        split_title(rest)
    } else {
        (None, trim_blank_lines(rest))
    };
    if let Some(title) = title {
        article.title = title;
    }
    // A front-matter title with no text after it is a headline-only article (its title
    // is its one passage); with neither there is nothing to index.
    if body.is_empty() && article.title.is_empty() {
        return Err(ReadError::NoBody("no text".to_string()));
    }
    article.body = body.to_string();
    sink.emit(article);
    Ok(())
}

enum FrontMatter<'a> {
    None,
    /// `---` on the first line and no closing line: everything after the opener.
    Unclosed {
        after_opening: &'a str,
    },
    /// The `key: value` lines and the text after the closing fence.
    Closed {
        lines: Vec<&'a str>,
        body: &'a str,
    },
}

fn is_fence(line: &str) -> bool {
    line.trim_end() == "---"
}

fn split_front_matter(text: &str) -> FrontMatter<'_> {
    let Some((first, after_opening)) = text.split_once('\n') else {
        return FrontMatter::None;
    };
    if !is_fence(first) {
        return FrontMatter::None;
    }
    let mut lines = Vec::new();
    let mut offset = 0;
    for line in after_opening.split_inclusive('\n') {
        offset += line.len();
        if is_fence(line) {
            return FrontMatter::Closed {
                lines,
                body: &after_opening[offset..],
            };
        }
        lines.push(line.trim_end());
    }
    FrontMatter::Unclosed { after_opening }
}

/// Set article fields from `key: value` lines. YAML lists, nested blocks and comments are
/// skipped: gazette only needs flat scalar metadata.
fn apply_front_matter(lines: Vec<&str>, article: &mut crate::model::Article, sink: &mut Sink) {
    for line in lines {
        if line.starts_with([' ', '\t', '-', '#']) {
            continue;
        }
        let Some((key, value)) = line.split_once(':') else {
            continue;
        };
        let key = key.trim();
        let value = unquote(value.trim());
        let Some((field, _)) = fields::field_for_key(key) else {
            if !key.is_empty() {
                sink.report.unknown_fields.insert(key.to_string());
            }
            continue;
        };
        if value.is_empty() {
            continue;
        }
        let value = value.to_string();
        match field {
            Field::Title => article.title = value,
            Field::Id => article.id = value,
            Field::Published => article.published_raw = Some(value),
            Field::Source => article.source = Some(value),
            Field::Url => article.url = Some(value),
            Field::Author => article.author = Some(value),
            Field::Language => article.language = Some(value),
            // A body in front matter would be odd; the text after it is the body.
            Field::Body => {
                sink.report.unknown_fields.insert(key.to_string());
            }
        }
    }
}

fn unquote(value: &str) -> &str {
    for quote in ['"', '\''] {
        if value.len() >= 2 && value.starts_with(quote) && value.ends_with(quote) {
            return &value[1..value.len() - 1];
        }
    }
    value
}

/// The first non-empty line as title and the rest as body; no title when the line is
/// the only text (then it is the body) or too long to be a headline.
fn split_title(text: &str) -> (Option<String>, &str) {
    let text = trim_blank_lines(text);
    let (first, mut rest) = text.split_once('\n').unwrap_or((text, ""));
    if first.chars().count() > MAX_TITLE_CHARS {
        return (None, text);
    }
    // Setext heading: "Title" underlined with === or ---.
    let (underline, after) = rest.split_once('\n').unwrap_or((rest, ""));
    let underline = underline.trim();
    if !underline.is_empty()
        && (underline.chars().all(|c| c == '=') || underline.chars().all(|c| c == '-'))
    {
        rest = after;
    }
    let body = trim_blank_lines(rest);
    if body.is_empty() {
        return (None, text);
    }
    (Some(heading_text(first)), body)
}

/// "# Oil prices rise #" -> "Oil prices rise".
fn heading_text(line: &str) -> String {
    let line = line.trim();
    let stripped = line.trim_start_matches('#');
    if stripped.len() < line.len() && stripped.starts_with([' ', '\t']) {
        stripped.trim().trim_end_matches('#').trim_end().to_string()
    } else {
        line.to_string()
    }
}

/// Drop whitespace-only lines at the start and trailing whitespace at the end, keeping
/// the first line's indentation.
fn trim_blank_lines(text: &str) -> &str {
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        if !line.trim().is_empty() {
            break;
        }
        start += line.len();
    }
    text[start..].trim_end()
}

#[cfg(test)]
mod tests {
    use super::super::{FormatKind, read_sample};
    use crate::model::Article;

    fn one(text: &str) -> (Article, Vec<String>) {
        let (mut articles, result) = read_sample(text.as_bytes(), "news/a.txt", FormatKind::Text);
        let report = result.unwrap();
        assert_eq!(articles.len(), 1);
        (
            articles.remove(0),
            report.warnings.iter().map(ToString::to_string).collect(),
        )
    }

    #[test]
    fn front_matter_fills_metadata_and_is_stripped() {
        let (article, warnings) = one(
            "---\ntitle: \"OPEC: output cut\"\ndate: 2025-10-15\nsource: 'Gazette Wire'\n\
             url: https://example.org/a\nauthor: A. Writer\nid: opec-1\nlanguage: en\n\
             tags:\n  - oil\nmood: calm\n---\n\nOil prices rose.\n\nSecond paragraph.\n",
        );
        assert_eq!(article.title, "OPEC: output cut");
        assert_eq!(article.published_raw.as_deref(), Some("2025-10-15"));
        assert_eq!(article.source.as_deref(), Some("Gazette Wire"));
        assert_eq!(article.url.as_deref(), Some("https://example.org/a"));
        assert_eq!(article.author.as_deref(), Some("A. Writer"));
        assert_eq!(article.id, "opec-1");
        assert_eq!(article.language.as_deref(), Some("en"));
        assert_eq!(article.body, "Oil prices rose.\n\nSecond paragraph.");
        assert_eq!(article.path, "corpus/news/a.txt");
        assert!(warnings.is_empty());
    }

    #[test]
    fn unknown_front_matter_keys_are_reported() {
        let (_, result) = read_sample(
            b"---\nTitle: T\nmood: calm\ntags:\n - a\n---\nBody.",
            "a.md",
            FormatKind::Text,
        );
        let unknown = result.unwrap().unknown_fields;
        assert_eq!(unknown.into_iter().collect::<Vec<_>>(), ["mood", "tags"]);
    }

    #[test]
    fn front_matter_without_title_falls_back_to_first_line() {
        let (article, _) = one("---\npublished: 12 March 2024\n---\n# Rates rise again\n\nBody.");
        assert_eq!(article.title, "Rates rise again");
        assert_eq!(article.published_raw.as_deref(), Some("12 March 2024"));
        assert_eq!(article.body, "Body.");
        assert_eq!(article.id, "news/a.txt");
    }

    #[test]
    fn first_line_is_title_without_front_matter() {
        let (article, warnings) =
            one("\n\n  Derby ends level  \n\n\nThe match ended 1-1.\n  Late goal.\n\n");
        assert_eq!(article.title, "Derby ends level");
        assert_eq!(article.body, "The match ended 1-1.\n  Late goal.");
        assert!(warnings.is_empty());
    }

    #[test]
    fn markdown_headings_lose_their_markup() {
        assert_eq!(
            one("## Vote count begins ##\n\nPolls closed.").0.title,
            "Vote count begins"
        );
        assert_eq!(
            one("Vote count begins\n=================\n\nPolls closed.")
                .0
                .body,
            "Polls closed."
        );
        assert_eq!(one("#hashtag trend\nBody.").0.title, "#hashtag trend");
    }

    #[test]
    fn crlf_becomes_lf() {
        let (article, _) = one("Title\r\n\r\nPara one.\r\n\r\nPara two.\r\n");
        assert_eq!(article.title, "Title");
        assert_eq!(article.body, "Para one.\n\nPara two.");
    }

    #[test]
    fn a_lone_line_or_a_long_first_line_stays_body() {
        let (article, _) = one("Only one line of news.");
        assert_eq!(
            (article.title.as_str(), article.body.as_str()),
            ("", "Only one line of news.")
        );
        let long = "word ".repeat(80);
        let (article, _) = one(&format!("{long}\n\nMore."));
        assert_eq!(article.title, "");
        assert!(article.body.starts_with("word word"));
    }

    #[test]
    fn unclosed_front_matter_is_a_warning_and_plain_text() {
        let (article, warnings) = one("---\ntitle: Lost\n\nThe rest of the story.\n");
        assert_eq!(
            warnings,
            ["line 1: front matter is never closed with \"---\"; read the file as plain text"]
        );
        assert_eq!(article.title, "title: Lost");
        assert_eq!(article.body, "The rest of the story.");
    }

    #[test]
    fn front_matter_with_a_title_and_no_text_after_is_a_headline_only_article() {
        let (article, warnings) =
            one("---\ntitle: CHRYSLER SETS DIVIDEND\ndate: 1987-03-02\n---\n\n");
        assert_eq!(article.title, "CHRYSLER SETS DIVIDEND");
        assert_eq!(article.body, "");
        assert!(warnings.is_empty());
        // Without a title there is nothing to index.
        let (articles, result) =
            read_sample(b"---\ndate: 1987-03-02\n---\n\n", "a.txt", FormatKind::Text);
        assert!(articles.is_empty());
        assert_eq!(result.unwrap_err().to_string(), "no article body: no text");
    }
}
