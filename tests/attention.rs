//! Normalised timelines (`--normalize`) checked against counts made apart, bucket by
//! bucket; buckets without data; the range of a timeline by mentions and its `earlier`
//! and `later` rows (tests/data/attention, see FIXTURES.md).

mod util;

use std::collections::BTreeSet;

use serde_json::Value;
use util::{Env, count, jsonl, path_str, repo, stderr};

fn attention_env() -> Env {
    let env = Env::new();
    let corpus = repo().join("tests/data/attention");
    env.ok(&["ingest", path_str(&corpus), "--quiet"], 0);
    env
}

/// Every hit of `query QUERY FILTERS... --all`, as JSON.
fn hits(env: &Env, query: &str, filters: &[&str]) -> Vec<Value> {
    let mut args = vec!["query", query];
    args.extend(filters);
    args.extend(["--all", "--format", "jsonl"]);
    let out = env.run(&args);
    assert!(out.status.code().unwrap() <= 1, "{}", stderr(&out));
    jsonl(&String::from_utf8(out.stdout).unwrap())
}

fn articles(hits: &[Value]) -> u64 {
    let ids: BTreeSet<&str> = hits
        .iter()
        .map(|h| h["article_id"].as_str().unwrap())
        .collect();
    ids.len() as u64
}

/// Asserts a normalised row's counts: `passages`/`articles` of the query, totals of the
/// filters alone (both computed apart with `filters`), and the share.
fn check_row(env: &Env, row: &Value, query: &str, filters: &[&str]) {
    let what = format!("{query:?} {filters:?}: {row}");
    assert_eq!(row["passages"], count(env, query, filters), "{what}");
    assert_eq!(
        row["articles"],
        articles(&hits(env, query, filters)),
        "{what}"
    );
    let total = count(env, "", filters);
    assert_eq!(row["total_passages"], total, "{what}");
    assert_eq!(
        row["total_articles"],
        articles(&hits(env, "", filters)),
        "{what}"
    );
    if total == 0 {
        assert!(row["share"].is_null(), "no data, not zero: {what}");
    } else {
        let share = row["passages"].as_u64().unwrap() as f64 / total as f64;
        assert!(
            (row["share"].as_f64().unwrap() - share).abs() < 1e-12,
            "{what}"
        );
    }
}

#[test]
fn normalised_shares_by_publication_equal_matches_over_totals_counted_apart() {
    let env = attention_env();
    for source in [None, Some("Gazette")] {
        let mut extra: Vec<&str> = Vec::new();
        if let Some(s) = source {
            extra.extend(["--source", s]);
        }
        let mut args = vec![
            "query",
            "\"oil prices\"",
            "--timeline",
            "month",
            "--normalize",
        ];
        args.extend(&extra);
        args.extend(["--format", "json"]);
        let json: Value = serde_json::from_str(&env.ok(&args, 0)).unwrap();
        assert_eq!(json["normalized"], true);
        let buckets = json["buckets"].as_array().unwrap();
        let names: Vec<&str> = buckets
            .iter()
            .map(|b| b["bucket"].as_str().unwrap())
            .collect();
        assert_eq!(
            names,
            ["2025-01", "2025-02", "2025-03", "2025-04", "2025-05"]
        );
        for b in buckets {
            let (since, until) = (b["start"].as_str().unwrap(), b["end"].as_str().unwrap());
            let mut filters = vec!["--since", since, "--until", until];
            filters.extend(&extra);
            check_row(&env, b, "\"oil prices\"", &filters);
        }
        // No article in April: no data, not zero attention.
        assert!(buckets[3]["share"].is_null(), "{json}");
        assert_eq!(buckets[3]["total_articles"], 0);
    }
    // By hand: January holds 6 passages (3 articles), 2 say "oil prices".
    let csv = env.ok(
        &[
            "query",
            "\"oil prices\"",
            "--timeline",
            "month",
            "--normalize",
            "--format",
            "csv",
        ],
        0,
    );
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "bucket,start,end,passages,articles,total_passages,total_articles,share"
    );
    assert!(
        lines[1].starts_with("2025-01,2025-01-01,2025-01-31,2,2,6,3,0.333"),
        "{csv}"
    );
    assert_eq!(lines[4], "2025-04,2025-04-01,2025-04-30,0,0,0,0,", "{csv}");
    let text = env.ok(
        &[
            "query",
            "\"oil prices\"",
            "--timeline",
            "month",
            "--normalize",
        ],
        0,
    );
    assert!(
        text.contains("33.33%") && text.contains("no data"),
        "{text}"
    );
    // Without --normalize the shape is unchanged: no totals.
    let plain: Value = serde_json::from_str(&env.ok(
        &[
            "query",
            "\"oil prices\"",
            "--timeline",
            "month",
            "--format",
            "json",
        ],
        0,
    ))
    .unwrap();
    assert!(plain.get("normalized").is_none() && plain.get("earlier").is_none());
    assert!(plain["buckets"][0].get("share").is_none(), "{plain}");
    // The chart shows the share.
    let svg = env.dir.path().join("share.svg");
    env.ok(
        &[
            "query",
            "\"oil prices\"",
            "--timeline",
            "month",
            "--normalize",
            "--plot",
            path_str(&svg),
        ],
        0,
    );
    let drawn = std::fs::read_to_string(&svg).unwrap();
    assert!(
        drawn.contains("share of the passages under the filters"),
        "chart y axis"
    );
}

#[test]
fn normalised_mentions_count_articles_with_a_passage_mentioning_the_bucket() {
    let env = attention_env();
    let range = ["--mentions", "2025-01..2025-06"];
    let mut args = vec![
        "query",
        "\"oil prices\"",
        "--timeline",
        "month",
        "--by",
        "mentions",
    ];
    args.extend(range);
    args.extend(["--normalize", "--format", "jsonl"]);
    let rows = jsonl(&env.ok(&args, 0));
    // earlier, the six months asked for (empty ones included), later.
    let names: Vec<&str> = rows.iter().map(|r| r["bucket"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        [
            "earlier", "2025-01", "2025-02", "2025-03", "2025-04", "2025-05", "2025-06", "later"
        ]
    );
    for row in &rows[1..7] {
        let month = row["bucket"].as_str().unwrap();
        check_row(&env, row, "\"oil prices\"", &["--mentions", month]);
    }
    assert!(rows[4]["share"].is_null(), "April: no passage mentions it");
    // earlier and later: each passage once, from its stored dates.
    for (row, outside) in [(&rows[0], true), (&rows[7], false)] {
        for (query, key) in [("\"oil prices\"", "passages"), ("", "total_passages")] {
            let n = hits(&env, query, &range)
                .iter()
                .filter(|h| {
                    h["dates"].as_array().unwrap().iter().any(|d| {
                        let r = &d["range"];
                        if outside {
                            r["start"].as_str().is_some_and(|s| s < "2025-01-01")
                        } else {
                            r["end"].as_str().is_some_and(|e| e > "2025-06-30")
                        }
                    })
                })
                .count() as u64;
            assert_eq!(row[key], n, "{key} of {row}");
        }
    }
    assert_eq!(rows[0]["start"], Value::Null);
    assert_eq!(rows[0]["end"], "2024-12-31");
    assert_eq!(rows[7]["start"], "2025-07-01");
    assert!(
        rows[0]["total_passages"].as_u64().unwrap() >= 1,
        "the church built in 1130"
    );
    assert_eq!(rows[7]["passages"], 1, "oil prices doubling by 2050");
}

/// 200 passages about March 2025, one also about 1130, one about 2050: the timeline by
/// mentions a corpus like BBC's used to refuse ("1130-01 .. 2050-12 has more than 5000
/// buckets").
fn mentions_env() -> Env {
    let mut lines = String::new();
    for i in 0..200 {
        let body = if i == 0 {
            "The minister said on 3 March 2025 that the abbey was built in 1130.".to_string()
        } else {
            format!("Minister {i} said on 3 March 2025 that the talks went well.")
        };
        lines += &format!("{{\"id\": \"m{i}\", \"title\": \"Talks {i}\", \"body\": \"{body}\"}}\n");
    }
    lines +=
        "{\"id\": \"far\", \"title\": \"Plan\", \"body\": \"The plan runs to 2050, she said.\"}\n";
    Env::with_corpus(&[("talks.jsonl", &lines)])
}

#[test]
fn a_timeline_by_mentions_covers_the_central_mentions_and_reports_the_rest() {
    let env = mentions_env();
    for unit in ["month", "day"] {
        let json: Value = serde_json::from_str(&env.ok(
            &[
                "query",
                "said",
                "--timeline",
                unit,
                "--by",
                "mentions",
                "--format",
                "json",
            ],
            0,
        ))
        .unwrap();
        let buckets = json["buckets"].as_array().unwrap();
        assert_eq!(buckets.len(), 1, "{unit}: {json}");
        assert_eq!(buckets[0]["passages"], 200);
        assert_eq!(json["earlier"]["passages"], 1, "{json}");
        assert_eq!(json["earlier"]["articles"], 1);
        assert_eq!(json["later"]["passages"], 1, "{json}");
        assert_eq!(json["later"]["articles"], 1);
    }
    let csv = env.ok(
        &[
            "query",
            "said",
            "--timeline",
            "month",
            "--by",
            "mentions",
            "--format",
            "csv",
        ],
        0,
    );
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines,
        [
            "bucket,start,end,passages,articles",
            "earlier,,2025-02-28,1,1",
            "2025-03,2025-03-01,2025-03-31,200,200",
            "later,2025-04-01,,1,1",
        ]
    );
    let text = env.ok(
        &["query", "said", "--timeline", "month", "--by", "mentions"],
        0,
    );
    assert!(text.contains("earlier") && text.contains("later"), "{text}");
    // A range the user gives is covered whole, or refused when too wide.
    let asked = jsonl(&env.ok(
        &[
            "query",
            "said",
            "--timeline",
            "year",
            "--by",
            "mentions",
            "--mentions",
            "1100..2060",
            "--format",
            "jsonl",
        ],
        0,
    ));
    assert_eq!(asked.len(), 961 + 2, "1100..2060 and earlier, later");
    assert_eq!(asked[0]["passages"], 0);
    let out = env.run(&[
        "query",
        "said",
        "--timeline",
        "month",
        "--by",
        "mentions",
        "--mentions",
        "1100..2060",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("more than 5000 buckets"),
        "{}",
        stderr(&out)
    );
}
