//! `query --kwic`: one concordance line per occurrence (a phrase as one match, a stemmed
//! word by its stem), exact byte offsets in the passage text, contexts cut to a width or a
//! sentence, AntConc's sorts, and the usual formats (a small corpus written here).

mod util;

use serde_json::Value;
use util::{Env, jsonl};

const OIL: &str = "Oil desk\n\n\
Oil prices rose on Monday. The price of crude oil, traders said, was high.\n\n\
Analysts expect oil prices to fall. Pricing power is weak.\n";

const GAS: &str = "Gas desk\n\n\
Gas supplies from Russia were cut again in January, officials said.\n";

fn env() -> Env {
    Env::with_corpus(&[("oil.txt", OIL), ("gas.txt", GAS)])
}

fn kwic(env: &Env, query: &str, extra: &[&str]) -> Vec<Value> {
    let args = [
        &["query", query, "--kwic", "--all", "--format", "jsonl"][..],
        extra,
    ]
    .concat();
    jsonl(&env.ok(&args, 0))
}

/// Lines in text order (passage, then offset) rather than rank order.
fn in_text_order(mut lines: Vec<Value>) -> Vec<Value> {
    lines.sort_by_key(|l| (l["passage"].as_u64(), l["start"].as_u64()));
    lines
}

/// The passage text of (article, passage), from a plain query.
fn passage_text(env: &Env, query: &str, passage: u64) -> String {
    jsonl(&env.ok(&["query", query, "--all", "--format", "jsonl"], 0))
        .into_iter()
        .find(|h| h["passage"] == passage)
        .map(|h| h["text"].as_str().unwrap().to_string())
        .expect("the passage is a hit")
}

#[test]
fn a_phrase_is_one_match_and_a_lone_word_of_it_is_none() {
    let env = env();
    let lines = in_text_order(kwic(&env, "\"oil prices\"", &[]));
    let matches: Vec<&str> = lines.iter().map(|l| l["match"].as_str().unwrap()).collect();
    assert_eq!(matches, ["Oil prices", "oil prices"], "{lines:?}");
    // Exact byte offsets of the match in its passage's text.
    for line in &lines {
        let text = passage_text(&env, "\"oil prices\"", line["passage"].as_u64().unwrap());
        let (start, end) = (
            line["start"].as_u64().unwrap() as usize,
            line["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(&text[start..end], line["match"].as_str().unwrap());
        assert!(text[..start].ends_with(line["left"].as_str().unwrap()));
        assert!(text[end..].starts_with(line["right"].as_str().unwrap()));
    }
    let first = &lines[0];
    assert_eq!(
        (first["start"].as_u64(), first["end"].as_u64()),
        (Some(0), Some(10))
    );
    assert_eq!(first["left"], "");
    assert_eq!(first["right"], " rose on Monday. The price of crude oil,");
    let second = &lines[1];
    assert_eq!(
        (second["start"].as_u64(), second["end"].as_u64()),
        (Some(16), Some(26))
    );
    assert_eq!(second["left"], "Analysts expect ");
    // The hit's metadata rides along.
    assert_eq!(second["path"], "c/oil.txt");
    assert_eq!(second["title"], "Oil desk");
    assert!(second["article_id"].is_string() && second["rank"].is_u64());
}

#[test]
fn a_word_matches_by_its_stem() {
    let env = env();
    let lines = kwic(&env, "price", &["--width", "10"]);
    let got: Vec<(u64, &str, u64, u64)> = lines
        .iter()
        .map(|l| {
            (
                l["passage"].as_u64().unwrap(),
                l["match"].as_str().unwrap(),
                l["start"].as_u64().unwrap(),
                l["end"].as_u64().unwrap(),
            )
        })
        .collect();
    // "Pricing" stems to "price" too (as tantivy indexed it); "prices" and "price".
    let mut expected = vec![
        (0, "prices", 4, 10),
        (0, "price", 31, 36),
        (1, "prices", 20, 26),
        (1, "Pricing", 36, 43),
    ];
    let mut sorted = got.clone();
    sorted.sort();
    expected.sort();
    assert_eq!(sorted, expected);
    let l = lines.iter().find(|l| l["start"] == 31).unwrap();
    assert_eq!(
        (l["left"].as_str(), l["right"].as_str()),
        (Some("nday. The "), Some(" of crude "))
    );
}

#[test]
fn sentence_contexts_and_sorts() {
    let env = env();
    let lines = in_text_order(kwic(&env, "\"oil prices\"", &["--sentence"]));
    assert_eq!(lines[0]["right"], " rose on Monday.");
    assert_eq!(lines[1]["left"], "Analysts expect ");
    assert_eq!(lines[1]["right"], " to fall.");
    // 1R: "rose" < "to"; 1L: "" (nothing) < "expect".
    let right = kwic(&env, "\"oil prices\"", &["--kwic-sort", "right"]);
    assert_eq!(
        right[0]["right"]
            .as_str()
            .unwrap()
            .split_whitespace()
            .next(),
        Some("rose")
    );
    let left = kwic(&env, "\"oil prices\"", &["--kwic-sort", "left"]);
    assert_eq!(left[0]["left"], "");
    let by_match = kwic(&env, "oil OR gas", &["--kwic-sort", "match"]);
    let matches: Vec<String> = by_match
        .iter()
        .map(|l| l["match"].as_str().unwrap().to_lowercase())
        .collect();
    let mut sorted = matches.clone();
    sorted.sort();
    assert_eq!(matches, sorted);
    assert_eq!(matches.iter().filter(|m| *m == "gas").count(), 1);
    assert_eq!(matches.iter().filter(|m| *m == "oil").count(), 3);
}

#[test]
fn json_csv_and_text_shapes() {
    let env = env();
    let json: Value = serde_json::from_str(&env.ok(
        &["query", "\"oil prices\"", "--kwic", "--format", "json"],
        0,
    ))
    .unwrap();
    assert_eq!(json["lines"].as_array().unwrap().len(), 2);
    assert_eq!(json["occurrences"], 2);
    assert_eq!(json["total"], 2);
    assert_eq!(json["meta"]["options"]["kwic"], true);
    let csv = env.ok(&["query", "\"oil prices\"", "--kwic", "--format", "csv"], 0);
    assert!(
        csv.starts_with("rank,article_id,passage,start,end,left,match,right,"),
        "{csv}"
    );
    assert_eq!(csv.lines().count(), 3);
    let text = env.ok(
        &["query", "\"oil prices\"", "--kwic", "--color", "never"],
        0,
    );
    let rows: Vec<&str> = text.lines().filter(|l| l.contains("[")).collect();
    assert_eq!(rows.len(), 2, "{text}");
    // Aligned on the match.
    let col = |r: &str| r.find('[').unwrap();
    assert_eq!(col(rows[0]), col(rows[1]), "{text}");
    // A query without words has nothing to show in context.
    let out = env.run(&["query", "", "--loc", "Russia", "--kwic"]);
    assert_eq!(out.status.code(), Some(2));
}
