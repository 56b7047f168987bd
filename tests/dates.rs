//! Dates end to end: publication dates from metadata, path and dateline; mentioned dates
//! tagged, indexed and filtered with --mentions; timelines and charts.

mod util;

use serde_json::Value;
use util::{Env, jsonl, path_str, repo, seed, seed_env};

#[test]
fn the_seed_articles_dates_are_resolved_against_its_publication_date() {
    let seed = seed();
    let out = Env::new().ok(&["tag", path_str(&seed), "--published", "2025-10-15"], 0);
    let doc: Value = serde_json::from_str(out.trim()).unwrap();
    let text = std::fs::read_to_string(&seed).unwrap();
    let dates: Vec<(String, String)> = doc["dates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            util::assert_span(&text, d);
            (
                d["text"].as_str().unwrap().to_string(),
                d["value"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let value_of = |surface: &str| {
        dates
            .iter()
            .find(|(t, _)| t == surface)
            .map(|(_, v)| v.as_str())
            .unwrap_or_else(|| panic!("{surface} not tagged: {dates:?}"))
    };
    assert_eq!(value_of("October 15, 2025"), "2025-10-15");
    assert_eq!(value_of("ten months ago"), "2024-12");
    assert_eq!(value_of("July"), "2025-07");
    assert_eq!(value_of("this week"), "2025-W42");
    let values: Vec<&str> = dates.iter().map(|(_, v)| v.as_str()).collect();
    assert!(
        values.contains(&"2025-01") && values.contains(&"2025-09"),
        "{dates:?}"
    );
    // The week's range is Monday to Sunday.
    let week = util::find_by(&doc["dates"], "value", "2025-W42");
    assert_eq!(week["range"]["start"], "2025-10-13");
    assert_eq!(week["range"]["end"], "2025-10-19");
}

#[test]
fn mentions_filter_finds_the_passage_that_talks_about_july() {
    let env = seed_env();
    let hits = jsonl(&env.ok(
        &["query", "", "--mentions", "2025-07", "--format", "jsonl"],
        0,
    ));
    assert_eq!(hits.len(), 1, "{hits:?}");
    let text = hits[0]["text"].as_str().unwrap();
    assert!(
        text.contains("Asaad al-Shibani made a trip to Moscow in July"),
        "{text}"
    );
    let july = util::find_by(&hits[0]["dates"], "text", "July");
    assert_eq!(july["value"], "2025-07");
    assert_eq!(july["range"]["start"], "2025-07-01");
    // A day inside a month mentioned as a whole matches too; a day outside does not.
    env.ok(&["query", "", "--mentions", "2025-07-04", "--count"], 0);
    env.ok(&["query", "", "--mentions", "2025-08", "--count"], 1);
    // Ranges and quarters.
    env.ok(
        &["query", "Damascus", "--mentions", "2025-Q1", "--count"],
        0,
    );
    env.ok(
        &["query", "", "--mentions", "2025-06..2025-07", "--count"],
        0,
    );
    let out = env.run(&["query", "", "--mentions", "soon"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn publication_dates_come_from_metadata_then_path_then_dateline_else_none() {
    let env = Env::new();
    env.write(
        "c/meta.json",
        r#"{"title": "A", "body": "Budget talks.", "date": "Thu, 26 Feb 1987 15:01:01 GMT"}"#,
    );
    env.write("c/2024/03/09/path.txt", "B\n\nBudget talks resumed.\n");
    env.write(
        "c/line.txt",
        "C\n\nMOSCOW, Oct 15, 2025 (Reuters) - Budget talks resumed on Wednesday.\n",
    );
    env.write("c/none.txt", "D\n\nBudget talks resumed on Monday.\n");
    let out = env.run(&["ingest", "c"]);
    assert_eq!(out.status.code(), Some(0));
    let stderr = util::stderr(&out);
    assert!(stderr.contains("publication dates:"), "{stderr}");
    let hits = jsonl(&env.ok(
        &[
            "query", "budget", "--all", "--format", "jsonl", "--sort", "date",
        ],
        0,
    ));
    let by_title = |t: &str| hits.iter().find(|h| h["title"] == t).unwrap()["published"].clone();
    assert_eq!(by_title("A"), "1987-02-26T15:01:01Z");
    assert_eq!(by_title("B"), "2024-03-09T00:00:00Z");
    assert_eq!(by_title("C"), "2025-10-15T00:00:00Z");
    assert!(
        by_title("D").is_null(),
        "a weekday alone is no publication date"
    );
    let stats: Value = serde_json::from_str(&env.ok(&["stats", "--format", "json"], 0)).unwrap();
    assert_eq!(stats["date_origins"]["metadata"], 1, "{stats}");
    assert_eq!(stats["date_origins"]["path"], 1, "{stats}");
    assert_eq!(stats["date_origins"]["dateline"], 1, "{stats}");
    assert_eq!(stats["date_origins"]["unknown"], 1, "{stats}");
}

#[test]
fn timelines_count_calendar_buckets_and_draw_charts() {
    let env = Env::new();
    env.ok(
        &[
            "ingest",
            path_str(&repo().join("tests/data/corpus")),
            "--quiet",
        ],
        1,
    );
    let json: Value = serde_json::from_str(&env.ok(
        &[
            "query",
            "\"interest rates\"",
            "--timeline",
            "month",
            "--format",
            "json",
        ],
        0,
    ))
    .unwrap();
    let buckets = json["buckets"].as_array().unwrap();
    // From the 2024 archive to October 2025, empty months included.
    assert_eq!(buckets.first().unwrap()["bucket"], "2024-05");
    assert_eq!(buckets.last().unwrap()["bucket"], "2025-10");
    assert_eq!(buckets.len(), 18);
    let october = buckets.iter().find(|b| b["bucket"] == "2025-10").unwrap();
    assert_eq!(october["start"], "2025-10-01");
    assert_eq!(october["end"], "2025-10-31");
    assert!(october["articles"].as_u64().unwrap() >= 3, "{october}");
    assert!(october["passages"].as_u64().unwrap() >= october["articles"].as_u64().unwrap());
    let undated = json["undated"].as_u64().unwrap();
    assert!(undated >= 1, "the undated rates-decision article");

    let text = env.ok(&["query", "\"interest rates\"", "--timeline", "quarter"], 0);
    assert!(text.contains("2025-Q4") && text.contains('█'), "{text}");
    let csv = env.ok(
        &[
            "query",
            "\"interest rates\"",
            "--timeline",
            "year",
            "--format",
            "csv",
        ],
        0,
    );
    assert_eq!(
        csv.lines().next().unwrap(),
        "bucket,start,end,passages,articles"
    );
    assert!(csv.contains("2024,2024-01-01,2024-12-31,"), "{csv}");

    let svg = env.dir.path().join("rates.svg");
    env.ok(
        &[
            "query",
            "\"interest rates\"",
            "--timeline",
            "month",
            "--plot",
            path_str(&svg),
        ],
        0,
    );
    let drawn = std::fs::read_to_string(&svg).unwrap();
    assert!(drawn.contains("interest rates") && drawn.contains("matching passages"));
    let png = env.dir.path().join("rates.png");
    env.ok(
        &[
            "query",
            "\"interest rates\"",
            "--timeline",
            "week",
            "--plot",
            path_str(&png),
        ],
        0,
    );
    assert!(std::fs::read(&png).unwrap().starts_with(b"\x89PNG"));
}

#[test]
fn timeline_by_mentions_counts_the_months_passages_talk_about() {
    let env = seed_env();
    let json: Value = serde_json::from_str(&env.ok(
        &[
            "query",
            "Damascus",
            "--timeline",
            "month",
            "--by",
            "mentions",
            "--format",
            "json",
        ],
        0,
    ))
    .unwrap();
    let buckets = json["buckets"].as_array().unwrap();
    let count = |b: &str| {
        buckets
            .iter()
            .find(|x| x["bucket"] == b)
            .map(|x| x["passages"].as_u64().unwrap())
    };
    assert_eq!(count("2025-01"), Some(1), "{json}");
    assert_eq!(count("2025-09"), Some(1), "{json}");
    assert_eq!(count("2025-03"), Some(0), "{json}");
}

#[test]
fn a_day_filter_counts_and_facets_only_passages_about_that_day() {
    let env = Env::with_corpus(&[(
        "a.md",
        "---\ntitle: Vote\ndate: 2025-07-25\n---\nThe vote in Vienna on July 20 was delayed.\n\nThe July figures from Berlin were weak.\n",
    )]);
    assert_eq!(
        env.ok(&["query", "", "--mentions", "2025-07-20", "--count"], 0)
            .trim(),
        "2"
    );
    assert_eq!(
        env.ok(&["query", "", "--mentions", "2025-07-04", "--count"], 0)
            .trim(),
        "1"
    );
    assert_eq!(
        env.ok(&["query", "vote", "--mentions", "2025-07-04", "--count"], 1)
            .trim(),
        "0"
    );
    let out = env.ok(
        &[
            "query",
            "",
            "--mentions",
            "2025-07-04",
            "--facets",
            "--format",
            "json",
        ],
        0,
    );
    let doc: Value = serde_json::from_str(&out).unwrap();
    let places: Vec<&str> = doc["facets"]["loc"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    assert_eq!(places, ["Berlin"], "{doc}");
    assert_eq!(doc["total"], 1);
}
