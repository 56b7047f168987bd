//! Tests of the web archive reader on archives built in memory (the fixtures under
//! tests/data/warc are checked through the binary in tests/warc.rs).

use std::io::Write;

use super::host;
use crate::model::Article;
use crate::read::{
    Format, FormatKind, PageOutcome, ReadError, ReadReport, read_bytes, read_reader_deferring,
};

const PAGE: &str = "<html><head><title>Quay fire</title></head><body>\
    <article><p>A fire broke out on the quay.</p></article></body></html>";

/// A WARC/1.0 record with `fields` (name, value) and `block`.
fn record(kind: &str, fields: &[(&str, &str)], block: &[u8]) -> Vec<u8> {
    let mut out = format!("WARC/1.0\r\nWARC-Type: {kind}\r\n");
    for (name, value) in fields {
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    out.push_str(&format!("Content-Length: {}\r\n\r\n", block.len()));
    let mut out = out.into_bytes();
    out.extend_from_slice(block);
    out.extend_from_slice(b"\r\n\r\n");
    out
}

/// A response record for `uri` holding an HTTP message with `headers` and `body`.
fn response(uri: &str, status: &str, headers: &str, body: &[u8]) -> Vec<u8> {
    let mut http = format!("HTTP/1.1 {status}\r\n{headers}\r\n").into_bytes();
    http.extend_from_slice(body);
    let date = "2025-11-03T09:30:00Z";
    let fields = [("WARC-Target-URI", uri), ("WARC-Date", date)];
    record("response", &fields, &http)
}

fn html_response(uri: &str, body: &str) -> Vec<u8> {
    response(
        uri,
        "200 OK",
        "Content-Type: text/html\r\n",
        body.as_bytes(),
    )
}

fn read(bytes: &[u8], gzip: bool) -> (Vec<Article>, Result<ReadReport, ReadError>) {
    let mut articles = Vec::new();
    let format = Format {
        kind: FormatKind::Warc,
        gzip,
    };
    let rel = "crawls/2025-11-03-crawl.warc";
    let result = read_bytes(bytes, rel, format, &mut |a| articles.push(a));
    (articles, result)
}

fn gzip_members(records: &[Vec<u8>]) -> Vec<u8> {
    records
        .iter()
        .flat_map(|r| {
            let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            gz.write_all(r).unwrap();
            gz.finish().unwrap()
        })
        .collect()
}

#[test]
fn only_html_pages_fetched_with_200_are_articles_and_the_rest_is_counted_by_reason() {
    let records = [
        record("warcinfo", &[], b"software: test\r\n"),
        record(
            "request",
            &[("WARC-Target-URI", "https://q.example/fire")],
            b"GET /",
        ),
        html_response("https://www.q.example/fire", PAGE),
        record("metadata", &[], b"outlinks: none\r\n"),
        record(
            "revisit",
            &[("WARC-Target-URI", "https://q.example/fire")],
            b"",
        ),
        record(
            "resource",
            &[("WARC-Target-URI", "file:///x.html")],
            PAGE.as_bytes(),
        ),
        response(
            "https://q.example/old",
            "301 Moved",
            "Content-Type: text/html\r\n",
            b"<p>x</p>",
        ),
        response(
            "https://q.example/robots.txt",
            "200 OK",
            "Content-Type: text/plain\r\n",
            b"<p>",
        ),
        response("https://q.example/a.pdf", "200 OK", "", b"%PDF-1.4"),
        html_response("https://q.example/fire?ref=rss", PAGE),
        html_response("https://q.example/", "<html><nav><p>Home</p></nav></html>"),
        record(
            "response",
            &[("WARC-Target-URI", "dns:q.example")],
            b"q.example. A 1.2.3.4",
        ),
    ]
    .concat();
    let (articles, result) = read(&records, false);
    let report = result.unwrap();
    assert_eq!(articles.len(), 1);
    let article = &articles[0];
    assert_eq!(article.id, "https://www.q.example/fire");
    assert_eq!(article.url.as_deref(), Some("https://www.q.example/fire"));
    assert_eq!(article.source.as_deref(), Some("q.example"));
    assert_eq!(article.title, "Quay fire");
    assert_eq!(article.body, "A fire broke out on the quay.");
    assert_eq!(article.path, "crawls/2025-11-03-crawl.warc");
    assert_eq!(
        article.crawled.map(|at| at.to_rfc3339()),
        Some("2025-11-03T09:30:00+00:00".into())
    );
    let passed: Vec<(&str, u64)> = report.records_passed.into_iter().collect();
    assert_eq!(
        passed,
        [
            ("HTML page without article text", 1),
            ("duplicate payload", 1),
            ("metadata record", 1),
            ("non-200 response", 1),
            ("non-HTML response", 2),
            ("non-HTTP response", 1),
            ("other record type", 1),
            ("request record", 1),
            ("revisit record", 1),
            ("warcinfo record", 1),
        ]
    );
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    assert_eq!((report.articles, report.skipped), (1, 0));
}

#[test]
fn the_crawl_date_is_never_the_publication_date() {
    // No date in the page or its URL, one in the archive's file name and the WARC-Date.
    let (articles, result) = read(&html_response("https://q.example/fire", PAGE), false);
    result.unwrap();
    assert!(articles[0].crawled.is_some());
    assert_eq!(articles[0].published_raw, None);
    assert_eq!(crate::process::resolve_published(&articles[0]), None);
    // A date in the URL dates the page, as a path dates a saved page.
    let (articles, _) = read(
        &html_response("https://q.example/2024/02/29/fire", PAGE),
        false,
    );
    let published = crate::process::resolve_published(&articles[0]).unwrap();
    assert_eq!(published.at.to_rfc3339(), "2024-02-29T00:00:00+00:00");
    // And the page's own metadata before that.
    let dated = PAGE.replace(
        "<title>",
        "<meta property=\"article:published_time\" content=\"2024-01-05T10:00:00Z\"><title>",
    );
    let (articles, _) = read(
        &html_response("https://q.example/2024/02/29/f", &dated),
        false,
    );
    assert_eq!(
        articles[0].published_raw.as_deref(),
        Some("2024-01-05T10:00:00Z")
    );
}

#[test]
fn a_url_met_again_with_another_payload_is_named_by_its_record_id() {
    let updated = PAGE.replace("broke out", "was put out");
    let again = |id: Option<&str>| {
        let mut fields = vec![("WARC-Target-URI", "https://q.example/fire")];
        fields.extend(id.map(|id| ("WARC-Record-ID", id)));
        let http = format!("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n{updated}");
        record("response", &fields, http.as_bytes())
    };
    let records = [
        html_response("https://q.example/fire", PAGE),
        again(Some("<urn:uuid:5e1d0c2a-0000-4000-8000-000000000001>")),
    ]
    .concat();
    let (articles, _) = read(&records, false);
    let ids: Vec<&str> = articles.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "https://q.example/fire",
            "urn:uuid:5e1d0c2a-0000-4000-8000-000000000001"
        ]
    );
    // Without a record id (not valid WARC, but written): the record's number.
    let records = [html_response("https://q.example/fire", PAGE), again(None)].concat();
    let (articles, _) = read(&records, false);
    assert_eq!(articles[1].id, "https://q.example/fire#record-2");
}

#[test]
fn a_payload_digest_header_decides_duplicates_when_present() {
    let with_digest = |uri: &str, digest: &str, body: &str| {
        let http = format!("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n{body}");
        let fields = [("WARC-Target-URI", uri), ("WARC-Payload-Digest", digest)];
        record("response", &fields, http.as_bytes())
    };
    let other = PAGE.replace("quay", "pier");
    let records = [
        with_digest("https://q.example/a", "sha1:AAAA", PAGE),
        with_digest("https://q.example/b", "sha1:AAAA", &other),
        with_digest("https://q.example/c", "sha1:BBBB", PAGE),
    ]
    .concat();
    let (articles, result) = read(&records, false);
    assert_eq!(articles.len(), 2);
    assert_eq!(result.unwrap().records_passed["duplicate payload"], 1);
}

#[test]
fn per_record_gzip_and_a_cut_inside_a_record() {
    let records = [
        record("warcinfo", &[], b"software: test\r\n"),
        html_response("https://q.example/one", PAGE),
        html_response("https://q.example/two", &PAGE.replace("quay", "pier")),
    ];
    let gz = gzip_members(&records);
    let (articles, result) = read(&gz, true);
    assert_eq!((articles.len(), result.unwrap().articles), (2, 2));
    // Cut inside the last gzip member: the first page stays, the file is reported.
    let (articles, result) = read(&gz[..gz.len() - 40], true);
    assert_eq!(articles.len(), 1);
    assert_eq!(
        result.unwrap_err().to_string(),
        "web archive cut off inside record 3; kept the 1 article read before it"
    );
    // The same cut in an uncompressed archive.
    let plain = records.concat();
    let (articles, result) = read(&plain[..plain.len() - 40], false);
    assert_eq!(articles.len(), 1);
    assert!(matches!(
        result,
        Err(ReadError::TruncatedWarc {
            record: 3,
            articles: 1
        })
    ));
}

#[test]
fn windows_1252_payloads_and_undecodable_pages() {
    let page =
        b"<html><body><p>Caf\xE9 owners said \x93no\x94 to the \x802 levy.</p></body></html>";
    let declared = response(
        "https://l.example/levy",
        "200 OK",
        "Content-Type: text/html; charset=windows-1252\r\n",
        page,
    );
    let (articles, result) = read(&declared, false);
    assert!(result.unwrap().warnings.is_empty());
    assert_eq!(
        articles[0].body,
        "Café owners said \u{201c}no\u{201d} to the €2 levy."
    );
    // Undeclared: still read, with a warning naming the record.
    let undeclared = response("https://l.example/levy", "200 OK", "", page);
    let (articles, result) = read(&undeclared, false);
    assert_eq!(
        articles[0].body,
        "Café owners said \u{201c}no\u{201d} to the €2 levy."
    );
    let warnings = result.unwrap().warnings;
    assert_eq!(warnings.len(), 1);
    assert_eq!(
        warnings[0].to_string(),
        "record 1 (https://l.example/levy): not valid UTF-8; decoded as Windows-1252"
    );
    // A page whose gzip body is broken is a lost record, warned about.
    let broken = response(
        "https://l.example/broken",
        "200 OK",
        "Content-Type: text/html\r\nContent-Encoding: gzip\r\n",
        b"\x1f\x8b\x08\x00garbage",
    );
    let (articles, result) = read(&broken, false);
    let report = result.unwrap();
    assert!(articles.is_empty());
    assert_eq!(report.skipped, 1);
    assert!(report.warnings[0].lost);
    assert!(
        report.warnings[0]
            .message
            .starts_with("record 1 (https://l.example/broken): bad gzip body"),
        "{:?}",
        report.warnings
    );
}

#[test]
fn what_is_not_a_web_archive_is_refused_whole() {
    let (_, result) = read(b"<html><p>saved page</p></html>", false);
    assert_eq!(
        result.unwrap_err().to_string(),
        "not a valid web archive: not a WARC file (it starts with \"<html><p>saved page</p></html>\")"
    );
    let (_, result) = read(b"", false);
    assert!(matches!(result, Err(ReadError::Empty)));
}

#[test]
fn hosts_as_readers_know_sites() {
    assert_eq!(
        host("https://www.BBC.co.uk/news/x").as_deref(),
        Some("bbc.co.uk")
    );
    assert_eq!(
        host("http://user:pw@news.example:8080?q=1").as_deref(),
        Some("news.example")
    );
    assert_eq!(
        host("http://[2001:db8::1]:80/a").as_deref(),
        Some("2001:db8::1")
    );
    assert_eq!(host("dns:news.example"), None);
    assert_eq!(host("https:///path"), None);
}

#[test]
fn damaged_archives_never_panic() {
    // Every fixture-like archive with bytes flipped, cut or dropped at many places: the
    // reader may refuse, warn or lose records, but must not panic (the fuzz target
    // `readers` explores further).
    let records = [
        record("warcinfo", &[], "software: tést\r\n".as_bytes()),
        response(
            "https://q.example/chunked",
            "200 OK",
            "Content-Type: text/html; charset=utf-8\r\nTransfer-Encoding: chunked\r\n",
            format!("{:x}\r\n{PAGE}\r\n0\r\n\r\n", PAGE.len()).as_bytes(),
        ),
        html_response("https://q.example/€", PAGE),
    ]
    .concat();
    let gz = gzip_members(std::slice::from_ref(&records));
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move |bound: usize| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1);
        (state >> 33) as usize % bound
    };
    for round in 0..3000 {
        let (source, gzip) = if round % 3 == 0 {
            (&gz, true)
        } else {
            (&records, false)
        };
        let mut damaged = source.clone();
        match round % 4 {
            0 => damaged.truncate(next(source.len())),
            1 => {
                let at = next(source.len());
                damaged[at] = next(256) as u8;
            }
            2 => {
                let at = next(source.len());
                damaged.remove(at);
            }
            _ => {
                let at = next(source.len());
                damaged.insert(at, [b'\n', b'\r', b':', 0xE2, b'0'][next(5)]);
            }
        }
        let _ = read(&damaged, gzip);
    }
}

#[test]
fn pages_handed_on_unextracted_give_the_same_articles_where_they_are_extracted() {
    let records = [
        record("warcinfo", &[], b"software: test\r\n"),
        html_response("https://q.example/fire", PAGE),
        html_response("https://q.example/", "<html><nav><p>Home</p></nav></html>"),
        response("https://q.example/a.pdf", "200 OK", "", b"%PDF-1.4"),
    ]
    .concat();
    let (inline, inline_report) = read(&records, false);
    let inline_report = inline_report.unwrap();
    let (mut articles, mut pages) = (Vec::new(), Vec::new());
    let format = Format {
        kind: FormatKind::Warc,
        gzip: false,
    };
    let path = std::path::Path::new("crawls/2025-11-03-crawl.warc");
    let report = read_reader_deferring(
        &records[..],
        path,
        "crawls/2025-11-03-crawl.warc",
        format,
        &mut |a| articles.push(a),
        &mut |p| pages.push(p),
    )
    .unwrap();
    // The reader counts what it passed over itself; the pages are left to the caller.
    assert!(articles.is_empty());
    assert_eq!((pages.len(), report.articles), (2, 2));
    assert_eq!(report.records_passed.get("non-HTML response"), Some(&1));
    assert_eq!(
        report.records_passed.get("HTML page without article text"),
        None
    );
    let outcomes: Vec<PageOutcome> = pages.into_iter().map(|p| p.extract().0).collect();
    match &outcomes[..] {
        [PageOutcome::Article(article), PageOutcome::Passed(reason)] => {
            assert_eq!(**article, inline[0]);
            assert_eq!(*reason, "HTML page without article text");
        }
        _ => panic!("not an article and a page without text"),
    }
    assert_eq!(
        inline_report
            .records_passed
            .get("HTML page without article text"),
        Some(&1)
    );
}
