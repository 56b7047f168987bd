//! Web archives through the binary (tests/data/warc, see tests/data/FIXTURES.md): the
//! right pages become articles with the right URLs and nothing else does, `crawled` is
//! the WARC-Date and `published` never is, other records are counted by reason without a
//! warning each, and a cut archive keeps its complete records and is completed by a
//! re-ingest once the rest of it is there.

mod util;

use serde_json::Value;
use util::{Env, jsonl, path_str, repo};

fn fixtures(folder: &str) -> std::path::PathBuf {
    repo().join("tests/data/warc").join(folder)
}

/// Every article of the index: its first passage, by article id.
fn articles(env: &Env) -> Vec<Value> {
    let query = "river OR union OR levy OR bridge OR flood OR ferry OR market OR strike";
    let hits = jsonl(&env.ok(&["query", query, "--all", "--format", "jsonl"], 0));
    let mut first: Vec<Value> = hits.into_iter().filter(|h| h["passage"] == 0).collect();
    first.sort_by_key(|h| h["article_id"].as_str().unwrap().to_string());
    first
}

fn by_id<'a>(articles: &'a [Value], id: &str) -> &'a Value {
    articles
        .iter()
        .find(|a| a["article_id"] == id)
        .unwrap_or_else(|| panic!("no article {id}"))
}

#[test]
fn the_pages_of_a_crawl_become_articles_and_nothing_else_does() {
    let env = Env::new();
    let out = env.run(&["ingest", path_str(&fixtures("crawl"))]);
    let stderr = util::stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("indexed 5 articles"), "{stderr}");
    // No warning at all: the Windows-1252 page says so in its HTTP header.
    assert!(!stderr.contains("gazette:"), "{stderr}");
    for line in [
        "skipped: 2 web archive records (warcinfo record)",
        "skipped: 2 web archive records (request record)",
        "skipped: 1 web archive records (metadata record)",
        "skipped: 1 web archive records (revisit record)",
        "skipped: 1 web archive records (other record type)",
        "skipped: 1 web archive records (non-HTTP response)",
        "skipped: 2 web archive records (non-200 response)",
        "skipped: 3 web archive records (non-HTML response)",
        "skipped: 2 web archive records (duplicate payload)",
        "skipped: 1 web archive records (HTML page without article text)",
    ] {
        assert!(stderr.contains(line), "{line}\n{stderr}");
    }

    let articles = articles(&env);
    let ids: Vec<&str> = articles
        .iter()
        .map(|a| a["article_id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "https://meuse-observer.example/economy/cafe-levy",
            "https://valley-times.example/2025/09/12/flood-warning",
            "https://www.harbour-gazette.example/news/port-calder-strike-ends",
            "https://www.riverside-courier.example/2025/10/30/bridge-reopens",
            // The flood page crawled again with an updated story.
            "urn:uuid:gzip-0005",
        ]
    );
    for article in &articles {
        assert!(article["crawled"].is_string(), "{article}");
    }

    // The site's name from the page; the URL from the record, not the page's og:url; no
    // publication date in the page or its URL, so none, whatever the crawl date and the
    // archive's file name (2025-11-03-...) say.
    let strike = by_id(
        &articles,
        "https://www.harbour-gazette.example/news/port-calder-strike-ends",
    );
    assert_eq!(strike["title"], "Dock workers end strike at Port Calder");
    assert_eq!(strike["source"], "The Harbour Gazette");
    assert_eq!(
        strike["url"],
        "https://www.harbour-gazette.example/news/port-calder-strike-ends"
    );
    assert_eq!(strike["published"], Value::Null);
    assert_eq!(strike["crawled"], "2025-11-03T09:03:00Z");
    assert!(
        strike["path"]
            .as_str()
            .unwrap()
            .ends_with("crawl/2025-11-03-news-crawl.warc")
    );
    assert!(
        strike["text"]
            .as_str()
            .unwrap()
            .starts_with("Dock workers at Port Calder voted")
    );

    // Chunked transfer encoding; no site name, so the host; the page's published_time.
    let bridge = by_id(
        &articles,
        "https://www.riverside-courier.example/2025/10/30/bridge-reopens",
    );
    assert_eq!(bridge["source"], "riverside-courier.example");
    assert_eq!(bridge["published"], "2025-10-29T18:00:00Z");
    assert_eq!(bridge["crawled"], "2025-11-03T09:05:00Z");
    assert_eq!(
        bridge["text"],
        "The Old Mill bridge reopened to traffic after fourteen months of repairs, the council said."
    );

    // Gzip members, gzip content encoding, Windows-1252 declared in the HTTP header.
    let levy = by_id(
        &articles,
        "https://meuse-observer.example/economy/cafe-levy",
    );
    assert_eq!(levy["title"], "Liège café owners reject terrace levy");
    assert_eq!(
        levy["text"],
        "Café owners in Liège said \u{201c}no\u{201d} to a €2 levy on every terrace table on Tuesday."
    );
    assert_eq!(levy["source"], "The Meuse Observer");

    // Dated by its URL; the second crawl of the same URL is its own article.
    let flood = by_id(
        &articles,
        "https://valley-times.example/2025/09/12/flood-warning",
    );
    assert_eq!(flood["published"], "2025-09-12T00:00:00Z");
    let update = by_id(&articles, "urn:uuid:gzip-0005");
    assert_eq!(update["url"], flood["url"]);
    assert_eq!(update["title"], "Flood warning lifted for the lower valley");
    assert_eq!(update["crawled"], "2025-11-04T09:05:00Z");

    // Nothing from the records that are not pages: not the redirect, the robots.txt,
    // the PDF, the 404, the index page, the FTP resource, or the pages' menus.
    let absent = [
        "Redirecting",
        "Disallow",
        "Quarterly",
        "found",
        "title:news",
        "FTP",
        "\"Most read\"",
        "Subscribe",
    ];
    for word in absent {
        let count = env.ok(&["query", word, "--count"], 1);
        assert_eq!(count.trim(), "0", "{word}");
    }

    // Ingesting again reads nothing; the ids do not change.
    let again = env.run(&["ingest", path_str(&fixtures("crawl"))]);
    assert!(util::stderr(&again).contains("unchanged: 2 files (5 articles)"));
}

#[test]
fn a_cut_archive_keeps_its_complete_records_and_is_reported_once() {
    let env = Env::new();
    let out = env.run(&["ingest", path_str(&fixtures("cut"))]);
    let stderr = util::stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let reports: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("gazette:"))
        .collect();
    assert_eq!(reports.len(), 1, "{stderr}");
    assert!(
        reports[0].ends_with(
            "cut/2025-11-05-cut.warc: web archive cut off inside record 3; kept the 1 article \
             read before it"
        ),
        "{stderr}"
    );
    let articles = articles(&env);
    assert_eq!(articles.len(), 1);
    assert_eq!(
        articles[0]["article_id"],
        "https://island-post.example/ferry-winter"
    );
}

#[test]
fn a_cut_archive_completed_later_gives_the_rest_on_re_ingest() {
    let whole = std::fs::read(fixtures("crawl").join("2025-11-04-news-crawl.warc.gz")).unwrap();
    // The gzip members (one per record) start with the same 10-byte header: written with
    // mtime 0 and no name. Cut in the middle of the fifth, the updated flood page.
    let member_header = [0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00];
    let starts: Vec<usize> = (0..whole.len() - 8)
        .filter(|&i| whole[i..i + 8] == member_header)
        .collect();
    assert_eq!(starts.len(), 7, "one member per record");
    let cut = (starts[4] + starts[5]) / 2;
    let env = Env::new();
    let path = env.write("c/crawl.warc.gz", &whole[..cut]);
    let out = env.run(&["ingest", "c"]);
    let stderr = util::stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("web archive cut off inside record 5; kept the 2 articles read before it"),
        "{stderr}"
    );
    let ids = |env: &Env| -> Vec<String> {
        articles(env)
            .iter()
            .map(|a| a["article_id"].as_str().unwrap().to_string())
            .collect()
    };
    let before = ids(&env);
    assert_eq!(before.len(), 2);
    // The download finished: the next ingest reads the file again and adds the rest.
    std::fs::write(&path, &whole).unwrap();
    let out = env.run(&["ingest", "c"]);
    let stderr = util::stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("indexed 3 articles"), "{stderr}");
    // The pages read before keep their ids (no duplicate), the new one comes after them.
    let after = ids(&env);
    assert_eq!(after.len(), 3);
    assert!(
        before.iter().all(|id| after.contains(id)),
        "{before:?} {after:?}"
    );
    assert!(
        after.contains(&"urn:uuid:gzip-0005".to_string()),
        "{after:?}"
    );
    assert!(!stderr.contains("same id"), "{stderr}");
    let stats: Value = serde_json::from_str(&env.ok(&["stats", "--format", "json"], 0)).unwrap();
    assert_eq!(
        (stats["articles"].as_u64(), stats["complete"].as_bool()),
        (Some(3), Some(true))
    );
}

#[test]
fn an_archive_with_no_page_is_read_without_error_and_not_read_again() {
    let robots = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nUser-agent: *\r\n";
    let warc = format!(
        "WARC/1.1\r\nWARC-Type: response\r\nWARC-Target-URI: https://a.example/robots.txt\r\n\
         Content-Length: {}\r\n\r\n{robots}\r\n\r\n",
        robots.len()
    );
    let env = Env::new();
    env.write("c/robots.warc", &warc);
    let out = env.run(&["ingest", "c"]);
    let stderr = util::stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("indexed 0 articles (0 passages) from 1 files"),
        "{stderr}"
    );
    assert!(
        stderr.contains("skipped: 1 web archive records (non-HTML response)"),
        "{stderr}"
    );
    assert!(!stderr.contains("gazette:"), "{stderr}");
    let again = util::stderr(&env.run(&["ingest", "c"]));
    assert!(again.contains("unchanged: 1 files (0 articles)"), "{again}");
}
