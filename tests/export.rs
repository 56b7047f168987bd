//! `gazette export`: every passage as a JSON line, by article id then passage, with its
//! article's metadata and its mentions; the same lines from a shard set as from one index
//! of the same corpus, and counts that agree with `stats` and `entities`.

mod util;

use std::collections::BTreeMap;

use util::sets::{copies_env, gazette};
use util::{assert_span, jsonl, seed_env};

#[test]
fn the_seed_article_is_exported_passage_by_passage_with_keys_and_dates() {
    let env = seed_env();
    let out = env.ok(&["export"], 0);
    let lines = jsonl(&out);
    let stats: serde_json::Value =
        serde_json::from_str(&env.ok(&["stats", "--format", "json"], 0)).unwrap();
    assert_eq!(lines.len() as u64, stats["passages"].as_u64().unwrap());
    for (n, line) in lines.iter().enumerate() {
        assert_eq!(line["article_id"], "25f37bf15139f9bb");
        assert_eq!(line["passage"], n as u64, "in passage order");
        assert_eq!(line["published"], "2025-10-15T00:00:00Z");
        assert_eq!(line["date_origin"], "metadata");
        assert_eq!(
            line["title"],
            "Al-Sharaa meets Putin in Moscow: first talks since the fall of Assad"
        );
        let text = line["text"].as_str().unwrap();
        for m in line["entities"].as_array().unwrap() {
            assert_span(text, m);
            let canonical = m["canonical"].as_str().unwrap();
            assert_eq!(m["key"], gazette::ner::normalize_name(canonical), "{m}");
        }
        for d in line["dates"].as_array().unwrap() {
            assert_span(text, d);
        }
    }
    let first = &lines[0];
    let putin = util::find_by(&first["entities"], "text", "Vladimir Putin");
    assert_eq!(putin["type"], "PER");
    assert_eq!(putin["key"], "vladimir putin");
    assert_eq!(putin["entity"], "vladimir putin");
    let day = util::find_by(&first["dates"], "text", "October 15, 2025");
    assert_eq!(day["value"], "2025-10-15");
    assert_eq!(
        day["range"],
        serde_json::json!({"start": "2025-10-15", "end": "2025-10-15"})
    );
    // The built-in aliases put "U.S." in the United States' entity; the key stays its own.
    let us = lines
        .iter()
        .flat_map(|l| l["entities"].as_array().unwrap())
        .find(|m| m["text"] == "U.S.")
        .expect("U.S. is tagged");
    assert_eq!(us["key"], "us");
    assert_eq!(us["entity"], "united states");
}

#[test]
fn alias_files_set_the_entity_and_meta_says_so() {
    let env = seed_env();
    env.write("kremlin.tsv", "Russian government\tKremlin\n");
    let out = env.ok(
        &["export", "--aliases", "kremlin.tsv", "--meta", "meta.json"],
        0,
    );
    let kremlin: Vec<serde_json::Value> = jsonl(&out)
        .iter()
        .flat_map(|l| l["entities"].as_array().unwrap().clone())
        .filter(|m| m["key"] == "kremlin")
        .collect();
    assert!(!kremlin.is_empty());
    assert!(
        kremlin.iter().all(|m| m["entity"] == "russian government"),
        "{kremlin:?}"
    );
    let meta: serde_json::Value =
        serde_json::from_slice(&std::fs::read(env.dir.path().join("meta.json")).unwrap()).unwrap();
    assert_eq!(meta["command"], "export");
    assert_eq!(meta["options"]["aliases"][0], "kremlin.tsv");
}

#[test]
fn a_shard_set_exports_the_lines_of_one_index_and_the_counts_agree() {
    let env = copies_env();
    env.ok(&["ingest", "c", "--quiet"], 0);
    let set = env.dir.path().join("set");
    gazette(&env, &["ingest", "c", "--quiet", "--shards", "3"], &set, 0);
    let one = env.ok(&["export"], 0);
    let many = gazette(&env, &["export"], &set, 0);
    assert!(one == many, "the set's export differs from the index's");

    let lines = jsonl(&one);
    let stats: serde_json::Value =
        serde_json::from_str(&env.ok(&["stats", "--format", "json"], 0)).unwrap();
    assert_eq!(lines.len() as u64, stats["passages"].as_u64().unwrap());
    // Article id (bytes), then passage: strictly increasing.
    let keys: Vec<(String, u64)> = lines
        .iter()
        .map(|l| {
            let id = l["article_id"].as_str().unwrap().to_string();
            (id, l["passage"].as_u64().unwrap())
        })
        .collect();
    assert!(keys.windows(2).all(|w| w[0] < w[1]), "{keys:?}");
    let articles: std::collections::BTreeSet<&str> = keys.iter().map(|k| k.0.as_str()).collect();
    assert_eq!(articles.len() as u64, stats["articles"].as_u64().unwrap());

    // Passages per entity and type, as `gazette entities` counts them.
    let mut exported: BTreeMap<String, BTreeMap<String, u64>> = BTreeMap::new();
    let mut entity_of: BTreeMap<String, String> = BTreeMap::new();
    for line in &lines {
        let mut seen = std::collections::BTreeSet::new();
        for m in line["entities"].as_array().unwrap() {
            let entity = m["entity"].as_str().unwrap().to_string();
            let kind = m["type"].as_str().unwrap().to_string();
            entity_of.insert(m["canonical"].as_str().unwrap().to_string(), entity.clone());
            if seen.insert((entity.clone(), kind.clone())) {
                *exported.entry(entity).or_default().entry(kind).or_default() += 1;
            }
        }
    }
    let listed = jsonl(&env.ok(&["entities", "--format", "jsonl"], 0));
    assert_eq!(listed.len(), exported.len());
    for entry in &listed {
        let form = entry["forms"][0]["form"].as_str().unwrap();
        let entity = &entity_of[form];
        let types: BTreeMap<String, u64> = serde_json::from_value(entry["types"].clone()).unwrap();
        assert_eq!(&exported[entity], &types, "{}", entry["name"]);
    }
}
