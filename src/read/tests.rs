//! Tests of `read_file` on real files: format detection, gzip (whole, truncated,
//! corrupt), encodings end to end, and the whole-file error cases.

use std::io::Write;
use std::path::PathBuf;

use flate2::Compression;
use flate2::write::GzEncoder;
use tempfile::TempDir;

use super::*;

fn write(dir: &TempDir, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

/// Read a file the way ingest does, format from its name.
fn read(path: &Path, rel: &str) -> (Vec<Article>, Result<ReadReport, ReadError>) {
    let format = detect_format(path).expect("supported format");
    let mut articles = Vec::new();
    let result = read_file(path, rel, format, &mut |article| articles.push(article));
    (articles, result)
}

#[test]
fn formats_are_detected_case_insensitively_with_gzip_flag() {
    let detect = |name: &str| detect_format(Path::new(name)).map(|format| format.to_string());
    assert_eq!(detect("a/b/story.TXT").as_deref(), Some("txt"));
    assert_eq!(detect("notes.md").as_deref(), Some("txt"));
    assert_eq!(detect("feed.ndjson").as_deref(), Some("jsonl"));
    assert_eq!(detect("dump.JSONL.GZ").as_deref(), Some("jsonl.gz"));
    assert_eq!(detect("page.htm").as_deref(), Some("html"));
    assert_eq!(detect("page.html.gz").as_deref(), Some("html.gz"));
    assert_eq!(detect("a.json"), Some("json".to_string()));
    assert_eq!(detect("report.pdf"), None);
    assert_eq!(detect("archive.gz"), None);
    assert_eq!(detect("Makefile"), None);
    assert_eq!(detect(".txt"), None);
    assert_eq!(
        detect_format(Path::new("x.json.gz")),
        Some(Format {
            kind: FormatKind::Json,
            gzip: true
        })
    );
}

#[test]
fn gzip_text_and_json_lines_read_like_plain_files() {
    let dir = TempDir::new().unwrap();
    let text = write(
        &dir,
        "a.txt.gz",
        &gzip(b"Rates rise\n\nThe bank raised interest rates.\n"),
    );
    let (articles, result) = read(&text, "a.txt.gz");
    assert_eq!(result.unwrap().articles, 1);
    assert_eq!(articles[0].title, "Rates rise");
    assert_eq!(articles[0].body, "The bank raised interest rates.");
    assert_eq!(articles[0].id, "a.txt.gz");
    assert_eq!(articles[0].path, text.display().to_string());

    let lines =
        b"{\"title\":\"One\",\"body\":\"First.\"}\n{\"title\":\"Two\",\"body\":\"Second.\"}\n";
    let path = write(&dir, "b.jsonl.gz", &gzip(lines));
    let (articles, result) = read(&path, "sub/b.jsonl.gz");
    assert_eq!(result.unwrap().articles, 2);
    assert_eq!(articles[1].id, "sub/b.jsonl.gz:2");
}

#[test]
fn truncated_gzip_is_an_error_keeping_complete_lines() {
    let dir = TempDir::new().unwrap();
    let mut lines = String::new();
    for n in 1..=400 {
        lines.push_str(&format!(
            "{{\"id\":\"a{n}\",\"body\":\"Paragraph number {n} about oil prices.\"}}\n"
        ));
    }
    let full = gzip(lines.as_bytes());
    let path = write(&dir, "cut.jsonl.gz", &full[..full.len() / 2]);
    let (articles, result) = read(&path, "cut.jsonl.gz");
    let err = result.unwrap_err();
    let ReadError::TruncatedGzip { articles: kept } = err else {
        panic!("{err}")
    };
    assert!(kept > 0 && kept < 400, "kept {kept}");
    assert_eq!(articles.len(), kept);
    // Every kept article is a complete line, in order.
    assert_eq!(articles.last().unwrap().id, format!("a{kept}"));
    assert_eq!(
        err.to_string(),
        format!("truncated gzip stream; kept the {kept} articles read before it")
    );

    let path = write(&dir, "cut.txt.gz", &gzip(b"Title\n\nBody text here.")[..15]);
    let (articles, result) = read(&path, "cut.txt.gz");
    assert!(articles.is_empty());
    assert_eq!(result.unwrap_err().to_string(), "truncated gzip stream");
}

#[test]
fn gz_file_that_is_not_gzip_is_reported() {
    let dir = TempDir::new().unwrap();
    let path = write(
        &dir,
        "fake.json.gz",
        b"{\"body\": \"not compressed at all\"}",
    );
    let err = read(&path, "fake.json.gz").1.unwrap_err();
    assert!(matches!(err, ReadError::BadGzip(_)), "{err}");
    assert!(
        err.to_string().starts_with("not a valid gzip stream"),
        "{err}"
    );
}

#[test]
fn whole_file_errors_have_user_messages() {
    let dir = TempDir::new().unwrap();
    let cases: &[(&str, &[u8], &str)] = &[
        ("empty.txt", b"", "empty file"),
        ("blank.md", b"  \n\n\t\n", "empty file"),
        ("blank.jsonl", b"\n  \n", "empty file"),
        (
            "nul.txt",
            b"Title\n\nBody\0\0\x01binary",
            "binary file (contains NUL bytes)",
        ),
        (
            "nul.jsonl",
            b"{\"body\":\"x\"}\0\0",
            "binary file (contains NUL bytes)",
        ),
        (
            "cut.json",
            b"{\"title\": \"Oil\",\n \"body\": \"x\"\n",
            "not valid JSON: EOF while parsing an object at line 3 column 0",
        ),
        (
            "scalar.json",
            b"\"just a string\"",
            "expected a JSON object or an array of objects, found a string",
        ),
        (
            "nobody.html",
            b"<html><body><nav><p>Home</p></nav></body></html>",
            "no article body: no article text in the page",
        ),
    ];
    for (name, bytes, message) in cases {
        let path = write(&dir, name, bytes);
        let (articles, result) = read(&path, name);
        assert!(articles.is_empty(), "{name}");
        let err = result.unwrap_err();
        assert_eq!(err.to_string(), *message, "{name}");
        // The message already holds the cause; a chain printer must not repeat it.
        assert!(std::error::Error::source(&err).is_none(), "{name}");
    }
}

#[test]
fn skip_errors_are_told_apart_from_failures() {
    assert!(ReadError::Empty.is_skip());
    assert!(ReadError::NoBody("x".into()).is_skip());
    assert!(!ReadError::Binary.is_skip());
    assert!(!ReadError::TruncatedGzip { articles: 0 }.is_skip());
}

#[test]
fn missing_file_is_an_io_error_with_a_plain_message() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("gone.txt");
    let format = Format {
        kind: FormatKind::Text,
        gzip: false,
    };
    let err = read_file(&path, "gone.txt", format, &mut |_| {}).unwrap_err();
    assert_eq!(err.to_string(), "no such file or directory");
}

#[test]
fn encodings_are_handled_end_to_end() {
    let dir = TempDir::new().unwrap();
    let path = write(
        &dir,
        "latin.txt",
        b"Caf\xE9 owners protest\n\nPrices at the caf\xE9 rose 5%.",
    );
    let (articles, result) = read(&path, "latin.txt");
    let report = result.unwrap();
    assert_eq!(articles[0].title, "Café owners protest");
    assert_eq!(
        report.warnings[0].to_string(),
        "line 1: not valid UTF-8; decoded as Windows-1252"
    );

    let mut utf16 = vec![0xFF, 0xFE];
    let jsonl = "{\"title\":\"Zürich\",\"body\":\"Straße\"}\n\n{\"body\":\"two\"}\n";
    utf16.extend(jsonl.encode_utf16().flat_map(u16::to_le_bytes));
    let path = write(&dir, "wide.jsonl", &utf16);
    let (articles, result) = read(&path, "wide.jsonl");
    assert_eq!(result.unwrap().articles, 2);
    assert_eq!(articles[0].title, "Zürich");
    assert_eq!(articles[1].id, "wide.jsonl:3");

    let mut bom = vec![0xEF, 0xBB, 0xBF];
    bom.extend_from_slice(b"{\"body\":\"after a BOM\"}\n");
    let path = write(&dir, "bom.jsonl", &bom);
    let (articles, result) = read(&path, "bom.jsonl");
    assert!(result.unwrap().warnings.is_empty());
    assert_eq!(articles[0].body, "after a BOM");
}

#[test]
fn warning_display_puts_the_line_first() {
    let warning = ReadWarning::at_line(7, "invalid JSON: expected value at column 1");
    assert_eq!(
        warning.to_string(),
        "line 7: invalid JSON: expected value at column 1"
    );
    assert_eq!(ReadWarning::new("no line").to_string(), "no line");
}

/// The fixture corpus the integration tests use gives exactly what
/// `tests/data/FIXTURES.md` promises; keep the two in step.
#[test]
fn fixture_corpus_outcomes() {
    use crate::corpus::{CorpusEntry, walk};
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/corpus");
    let mut outcomes = Vec::new();
    for entry in walk(std::slice::from_ref(&root), false) {
        let outcome = match entry {
            CorpusEntry::Article { path, rel, format } => {
                let mut ids = Vec::new();
                let result = read_file(&path, &rel, format, &mut |a| ids.push(a.id));
                let result = match result {
                    Ok(report) => {
                        let warnings: Vec<_> =
                            report.warnings.iter().map(ToString::to_string).collect();
                        format!("ok [{}] warnings [{}]", ids.join(", "), warnings.join("; "))
                    }
                    Err(err) => format!("error [{}] {err}", ids.join(", ")),
                };
                format!("{rel}: {result}")
            }
            CorpusEntry::Skipped { path, reason } => {
                format!(
                    "{}: skipped, {reason}",
                    path.strip_prefix(&root).unwrap().display()
                )
            }
            CorpusEntry::Error { path, message } => {
                format!("{}: walk error, {message}", path.display())
            }
        };
        outcomes.push(outcome);
    }
    assert_eq!(
        outcomes,
        [
            ".draft.txt: skipped, hidden",
            "2025/cup-final.md: ok [2025/cup-final.md] warnings []",
            "2025/opec-output-cut.txt: ok [gw-2025-1015-opec] warnings []",
            "2025/rates-decision.txt: ok [2025/rates-decision.txt] warnings []",
            "README.md: skipped, documentation file",
            "archive/oil-2024.txt.gz: ok [archive/oil-2024.txt.gz] warnings []",
            "archive/wire-2024.jsonl.gz: ok [arch-2024-001, arch-2024-002] warnings []",
            "attachments/press-release.pdf: skipped, unsupported format",
            "broken/binary.txt: error [] binary file (contains NUL bytes)",
            "broken/empty.txt: error [] empty file",
            "broken/no-body.html: error [] no article body: no article text in the page",
            "broken/truncated.json: error [] not valid JSON: EOF while parsing a string at line 3 column 75",
            "broken/truncated.jsonl.gz: error [dredge-1, dredge-2] truncated gzip stream; kept the 2 articles read before it",
            "feeds/briefs.ndjson: ok [brief-001, brief-002] warnings []",
            "feeds/election.json: ok [90210] warnings []",
            "feeds/markets.json: ok [feeds/markets.json#0, feeds/markets.json#1] warnings [article #1: field \"url\" is an object; ignored]",
            "feeds/wire.jsonl: ok [wi-1103-recount, feeds/wire.jsonl:2, 4f1c2a9e-8d7b-4c3a-9e21-0b5d6c7f8a90, 77] warnings [line 3: invalid JSON: EOF while parsing a string at column 56]",
            "legacy/liege-protest-cp1252.txt: ok [legacy/liege-protest-cp1252.txt] warnings [line 1: not valid UTF-8; decoded as Windows-1252]",
            "web/election-night.htm: ok [web/election-night.htm] warnings []",
            "web/rates-analysis.html: ok [web/rates-analysis.html] warnings []",
        ]
    );
}

/// What a headline with no body gives in each format: an article with an empty body
/// (indexed as its title) where the format states a headline; an error for a web page,
/// whose title every page has.
#[test]
fn a_headline_without_a_body_in_each_format() {
    let headline_only: [(&str, FormatKind, &str); 3] = [
        (
            "a.jsonl",
            FormatKind::JsonLines,
            "{\"title\": \"CHRYSLER SETS QUARTERLY DIVIDEND\", \"body\": \"\"}\n",
        ),
        (
            "a.json",
            FormatKind::Json,
            r#"{"headline": "CHRYSLER SETS QUARTERLY DIVIDEND"}"#,
        ),
        (
            "a.md",
            FormatKind::Text,
            "---\ntitle: CHRYSLER SETS QUARTERLY DIVIDEND\n---\n",
        ),
    ];
    for (rel, kind, text) in headline_only {
        let (articles, result) = read_sample(text.as_bytes(), rel, kind);
        let report = result.unwrap();
        assert!(report.warnings.is_empty(), "{rel}: {:?}", report.warnings);
        assert_eq!(articles.len(), 1, "{rel}");
        assert_eq!(
            articles[0].title, "CHRYSLER SETS QUARTERLY DIVIDEND",
            "{rel}"
        );
        assert_eq!(articles[0].body, "", "{rel}");
    }
    let page = "<html><head><title>CHRYSLER SETS QUARTERLY DIVIDEND</title></head>\
        <body><nav><p>Home</p></nav></body></html>";
    let (articles, result) = read_sample(page.as_bytes(), "a.html", FormatKind::Html);
    assert!(articles.is_empty());
    assert_eq!(
        result.unwrap_err().to_string(),
        "no article body: no article text in the page"
    );
}

/// A date field with debris after it reaches the date parser intact from every format
/// that carries metadata, and is read there.
#[test]
fn debris_after_a_metadata_date_is_read_past_in_every_format() {
    let samples: [(&str, FormatKind, &str); 4] = [
        (
            "a.md",
            FormatKind::Text,
            "---\ntitle: T\ndate: 27-MAR-1987 00:02:59.13&#5;&#5;&#5;RM\n---\nBody.\n",
        ),
        (
            "a.json",
            FormatKind::Json,
            r#"{"title": "T", "body": "Body.", "date": "27-MAR-1987 00:02:59.13&#5;&#5;&#5;RM"}"#,
        ),
        (
            "a.jsonl",
            FormatKind::JsonLines,
            "{\"body\": \"Body.\", \"date\": \"27-MAR-1987 00:02:59.13\\u0005\\u0005\\u0005RM\"}\n",
        ),
        (
            "a.html",
            FormatKind::Html,
            "<html><head><meta property=\"article:published_time\" \
             content=\"27-MAR-1987 00:02:59.13&#5;&#5;&#5;RM\"></head>\
             <body><article><p>Body.</p></article></body></html>",
        ),
    ];
    for (rel, kind, text) in samples {
        let (articles, result) = read_sample(text.as_bytes(), rel, kind);
        result.unwrap();
        let raw = articles[0].published_raw.as_deref().unwrap();
        let published = crate::timex::parse_published(raw).map(|at| at.to_rfc3339());
        assert_eq!(
            published.as_deref(),
            Some("1987-03-27T00:02:59+00:00"),
            "{rel}: {raw:?}"
        );
    }
}
