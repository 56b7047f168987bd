//! The bundled corpus, as a new user meets it: ingest `corpus/`, then the README's queries.

mod util;

use util::{Env, jsonl};

fn ingested() -> Env {
    util::seed_env()
}

#[test]
fn energy_dependence_ranks_the_al_sharaa_passage_first_with_its_metadata() {
    let env = ingested();
    let out = env.ok(&["query", "energy dependence", "--format", "json"], 0);
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let first = &doc["hits"][0];
    let text = first["text"].as_str().unwrap();
    assert!(
        text.starts_with("Al-Sharaa, recognizing Syria’s dependence on Russian supplies, especially in energy and food"),
        "first hit: {text}"
    );
    assert_eq!(
        first["title"],
        "Al-Sharaa meets Putin in Moscow: first talks since the fall of Assad"
    );
    assert_eq!(first["published"], "2025-10-15T00:00:00Z");
    assert!(
        first["path"]
            .as_str()
            .unwrap()
            .ends_with("corpus/2025-10-15-syria-russia-moscow-talks.md")
    );
    assert_eq!(first["article_id"], "25f37bf15139f9bb");
    // Highlights point at the matched words in the passage.
    let words: Vec<&str> = first["highlights"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| &text[h["start"].as_u64().unwrap() as usize..h["end"].as_u64().unwrap() as usize])
        .collect();
    assert_eq!(words, ["dependence", "energy"]);
    // The byte range points into the article body.
    let (start, end) = (
        first["start"].as_u64().unwrap(),
        first["end"].as_u64().unwrap(),
    );
    assert_eq!((end - start) as usize, text.len());
}

#[test]
fn hits_carry_exactly_the_documented_keys() {
    let env = ingested();
    let out = env.ok(&["query", "Moscow", "--format", "jsonl", "--limit", "1"], 0);
    let hit = &jsonl(&out)[0];
    let mut keys: Vec<&str> = hit
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort();
    assert_eq!(
        keys,
        [
            "article_id",
            "copies",
            "crawled",
            "dates",
            "end",
            "entities",
            "group",
            "highlights",
            "passage",
            "path",
            "published",
            "score",
            "source",
            "start",
            "text",
            "title",
            "url"
        ]
    );
}

#[test]
fn exit_codes_follow_grep() {
    let env = ingested();
    env.ok(&["query", "Moscow", "--count"], 0);
    let out = env.ok(&["query", "zanzibarian", "--count"], 1);
    assert_eq!(out.trim(), "0");
    let out = env.run(&["query", "\"unclosed phrase"]);
    assert_eq!(out.status.code(), Some(2));
    let err = util::stderr(&out);
    assert!(
        err.contains("column 1") && err.contains("never closed"),
        "{err}"
    );
}

#[test]
fn stats_report_the_bundled_article() {
    let env = ingested();
    let out = env.ok(&["stats", "--format", "json"], 0);
    let stats: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(stats["articles"], 1);
    // 14 paragraphs; the long ones are cut between sentences (src/segment/tests.rs).
    assert_eq!(stats["passages"], 27, "{stats}");
    assert_eq!(stats["first_published"], "2025-10-15");
    assert_eq!(stats["last_published"], "2025-10-15");
    assert!(stats["index_bytes"].as_u64().unwrap() > 0);
    assert_eq!(stats["sources"], 0);
}
