//! News web pages with the traps real ones have (tests/data/web-traps, see
//! tests/data/FIXTURES.md): a menu, a cookie banner, a byline, a photo caption, an ad
//! label, related-article teasers, a comment thread, a paywall box, a second story
//! appended by infinite scroll, a story in bare `<div>`s, a two-sentence brief. Each
//! page's article text goes in whole and none of the furniture does, through
//! `gazette extract` and through an ingest and a query.

mod util;

use serde_json::Value;
use util::{Env, jsonl, path_str, repo};

fn pages() -> std::path::PathBuf {
    repo().join("tests/data/web-traps")
}

/// `gazette extract` of the fixture folder, by file name.
fn extracted() -> Vec<(String, Value)> {
    let env = Env::new();
    let out = env.ok(&["extract", path_str(&pages())], 0);
    jsonl(&out)
        .into_iter()
        .map(|article| {
            let name = article["path"]
                .as_str()
                .unwrap()
                .rsplit('/')
                .next()
                .unwrap();
            (name.to_string(), article)
        })
        .collect()
}

fn page<'a>(all: &'a [(String, Value)], name: &str) -> &'a Value {
    &all.iter()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("{name} not read"))
        .1
}

fn paragraphs(article: &Value) -> Vec<&str> {
    article["body"].as_str().unwrap().split("\n\n").collect()
}

/// Every text in `wanted` is a paragraph of the body; none of `furniture` is anywhere.
fn check(article: &Value, wanted: &[&str], furniture: &[&str]) {
    let body = article["body"].as_str().unwrap();
    let found = paragraphs(article);
    for text in wanted {
        assert!(
            found.contains(text),
            "missing paragraph {text:?} in {body:?}"
        );
    }
    for text in furniture {
        assert!(!body.contains(text), "furniture {text:?} in {body:?}");
    }
}

#[test]
fn a_story_page_keeps_its_paragraphs_and_drops_the_page_around_them() {
    let all = extracted();
    let article = page(&all, "harbour-strike.html");
    assert_eq!(
        article["title"],
        "Dock workers walk out as pay talks collapse"
    );
    assert_eq!(article["source"], "The Coastal Ledger");
    assert_eq!(article["author"], "Mairi Campbell");
    assert_eq!(article["published"], "2025-06-03T07:45:00+01:00");
    assert_eq!(
        article["url"],
        "https://ledger.example/business/2025/06/03/dock-strike"
    );
    assert_eq!(
        paragraphs(article),
        [
            "Hundreds of dock workers at the port of Grangemouth walked out on Tuesday morning after talks over a new pay deal collapsed late on Monday, halting container traffic at Scotland's busiest terminal.",
            "The union said its members had rejected a 3.5% offer as \"a real-terms pay cut\" and would stay out for at least 48 hours unless the operator returned with an improved proposal.",
            "Forth Ports, which runs the terminal, said it was disappointed by the decision and that contingency plans would keep fuel and food shipments moving during the stoppage.",
            "Business groups warned that a prolonged dispute could disrupt supply chains already strained by delays at English ports, where a separate ballot of crane drivers closes next week.",
            "Talks are expected to resume on Thursday under the auspices of the conciliation service Acas, the union said.",
        ]
    );
}

#[test]
fn paywall_box_infinite_scroll_and_bare_divs() {
    let all = extracted();
    check(
        page(&all, "paywall-stub.html"),
        &[
            "The central bank kept its benchmark interest rate unchanged on Tuesday and signalled that it was prepared to hold borrowing costs steady for several months while it watched whether inflation continued to slow.",
            "Policy makers voted seven to two to leave the rate at 4.5%, with the two dissenters favouring a further quarter-point increase, according to a statement released after the meeting.",
        ],
        &[
            "Subscribe",
            "membership",
            "Cancel anytime",
            "Sign in",
            "Copyright",
        ],
    );
    check(
        page(&all, "infinite-scroll.html"),
        &[
            "Flood defences along the lower Severn will be rebuilt over the next two years after three winter storms left embankments breached in eleven places, the Environment Agency said on Tuesday.",
            "The agency said the first phase would start in May, once river levels had fallen, and that temporary barriers would remain in place until then.",
        ],
        &[
            "cycle lanes",
            "Councillors",
            "Next article",
            "Regional Media Group",
        ],
    );
    let divs = page(&all, "div-only.html");
    check(
        divs,
        &[
            "Fisheries ministers agreed new catch limits for the North Sea early on Saturday after two days of talks in Brussels, cutting the quota for cod by eight percent while allowing more herring to be landed.",
            "The new limits take effect on the first of January and will be reviewed in the spring when fresh scientific advice on the state of the stocks is published.",
        ],
        &["Most read", "Contact", "Shoreline News 2024"],
    );
    assert_eq!(divs["title"], "Ministers agree new fishing quotas");
    let brief = page(&all, "brief.html");
    assert_eq!(
        paragraphs(brief),
        [
            "The Kingsway bridge was closed on Wednesday morning after a lorry hit the central barrier. Nobody was hurt."
        ]
    );
}

#[test]
fn ingested_pages_are_searchable_without_their_furniture() {
    let env = Env::new();
    let out = env.run(&["ingest", path_str(&pages())]);
    assert_eq!(out.status.code(), Some(0), "{}", util::stderr(&out));
    // The story is found...
    let hits = jsonl(&env.ok(&["query", "Grangemouth", "--format", "jsonl"], 0));
    assert_eq!(hits.len(), 1, "{hits:?}");
    // ...and the comment thread, the cookie banner, the teasers and the appended story
    // are not there to be found.
    for absent in [
        "cookies",
        "portwatcher",
        "whisky",
        "cycle lanes",
        "subscribe",
    ] {
        let out = env.run(&["query", absent, "--format", "jsonl"]);
        assert_eq!(
            out.status.code(),
            Some(1),
            "{absent}: {}",
            String::from_utf8_lossy(&out.stdout)
        );
    }
}
