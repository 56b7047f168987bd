//! A 1987 wire dump as such dumps come (tests/data/wire-1987, see tests/data/FIXTURES.md):
//! JSON lines, one file gzipped, headline-only briefs, debris after the dates. Every
//! record with a title or a body is an article, the ingest exits 0, and publication dates
//! are read from the debris-suffixed fields.

mod util;

use serde_json::Value;
use util::{Env, jsonl, path_str, repo};

fn dump() -> std::path::PathBuf {
    repo().join("tests/data/wire-1987")
}

/// Ingests the dump; returns the env and the ingest's stderr.
fn ingested() -> (Env, String) {
    let env = Env::new();
    let out = env.run(&["ingest", path_str(&dump())]);
    let stderr = util::stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    (env, stderr)
}

/// The one hit of `article_id:ID`.
fn article(env: &Env, id: &str) -> Value {
    let query = format!("article_id:\"{id}\"");
    let hits = jsonl(&env.ok(&["query", &query, "--all", "--format", "jsonl"], 0));
    assert_eq!(hits.len(), 1, "{id}: {hits:?}");
    hits.into_iter().next().unwrap()
}

#[test]
fn every_record_with_a_title_or_a_body_is_an_article_and_the_ingest_exits_0() {
    let (env, stderr) = ingested();
    // 20 records: 8 with a headline and no body (absent, null, empty or blank), 2 with a
    // body and no headline, 10 with both.
    assert!(stderr.contains("indexed 20 articles"), "{stderr}");
    assert!(stderr.contains("headline only: 8 articles"), "{stderr}");
    // No warning but the Reuters file's extra fields.
    let warnings: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("gazette:"))
        .collect();
    assert_eq!(warnings.len(), 1, "{stderr}");
    assert!(warnings[0].contains("ignored unknown fields: newid, places, topics"));
    let stats: Value = serde_json::from_str(&env.ok(&["stats", "--format", "json"], 0)).unwrap();
    assert_eq!(stats["articles"], 20, "{stats}");
    assert_eq!(stats["files"], 2, "{stats}");
    assert_eq!(stats["complete"], true, "{stats}");
}

#[test]
fn a_headline_only_brief_is_one_tagged_passage_its_title() {
    let (env, _) = ingested();
    let title = "Texaco to Pay Dividend on April 15";
    let hit = article(&env, "AP870302-0003");
    assert_eq!(hit["title"], title);
    assert_eq!(hit["text"], title);
    assert_eq!(hit["passage"], 0);
    assert_eq!(
        (hit["start"].as_u64(), hit["end"].as_u64()),
        (Some(0), Some(34))
    );
    // Dates resolved against the publication date, entities as `gazette tag` finds them.
    let dates: Vec<&str> = hit["dates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["value"].as_str().unwrap())
        .collect();
    assert_eq!(dates, ["1987-04-15"]);
    let mut tag = assert_cmd::Command::cargo_bin("gazette").unwrap();
    let tagged = tag
        .args(["tag", "--published", "1987-03-02"])
        .write_stdin(title)
        .output()
        .unwrap();
    let tagged: Value = serde_json::from_slice(&tagged.stdout).unwrap();
    assert_eq!(hit["entities"], tagged["entities"]);
    // Found by its headline words like any passage.
    let out = env.ok(&["query", "quarterly dividend", "--count"], 0);
    assert_eq!(out.trim(), "2", "Chrysler's and General Motors' briefs");
}

#[test]
fn publication_dates_are_read_past_the_debris() {
    let (env, _) = ingested();
    for (id, published) in [
        // `&#5;&#5;&#5;A` after the time, as written in the file.
        ("AP870302-0001", "1987-03-02T00:01:12Z"),
        // The control characters those references stand for.
        ("AP870302-0003", "1987-03-02T01:02:45Z"),
        ("AP870304-0002", "1987-03-04T16:10:44Z"),
        // From the gzipped file: longer debris, references and raw control characters.
        ("REU-1987-0001", "1987-03-05T09:01:03Z"),
        ("REU-1987-0003", "1987-03-05T10:22:19Z"),
        ("REU-1987-0009", "1987-03-06T12:00:00Z"),
    ] {
        assert_eq!(article(&env, id)["published"], published, "{id}");
    }
    // `03-MAR-19&#5;87`: the date before the debris is incomplete, so there is none.
    assert_eq!(article(&env, "AP870303-0003")["published"], Value::Null);
    let stats: Value = serde_json::from_str(&env.ok(&["stats", "--format", "json"], 0)).unwrap();
    assert_eq!(
        stats["date_origins"],
        serde_json::json!({"metadata": 19, "unknown": 1})
    );
}
