//! Reproducible answers: every JSON answer of `query` and `batch` carries `meta` (versions,
//! an index fingerprint, the query as given and as executed, every filter and option,
//! the time), `--meta FILE` writes the same object beside other formats, and the same
//! command on the same index gives the same bytes apart from `ran_at` (the bundled
//! corpus, plus a small article written here).

mod util;

use serde_json::Value;
use util::{Env, path_str, repo};

fn bundled() -> Env {
    let env = Env::new();
    env.ok(&["ingest", path_str(&repo().join("corpus")), "--quiet"], 0);
    env
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

/// The output with the value of every `"ran_at"` blanked, as bytes to compare.
fn without_time(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find("\"ran_at\"") {
        let (before, after) = rest.split_at(at);
        out.push_str(before);
        // `"ran_at":"..."` or, pretty, `"ran_at": "..."`: skip to the value's closing quote.
        let value = after.find(": \"").or_else(|| after.find(":\"")).unwrap();
        let open = after[value..].find('"').unwrap() + value + 1;
        let close = after[open..].find('"').unwrap() + open;
        out.push_str("\"ran_at\":_");
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    out
}

#[test]
fn query_json_carries_what_was_asked_and_what_ran() {
    let env = bundled();
    let out = env.ok(
        &[
            "query",
            "person:Putin Russia",
            "--loc",
            "Syria",
            "--since",
            "2025-10",
            "--format",
            "json",
        ],
        0,
    );
    let answer = json(&out);
    let meta = &answer["meta"];
    assert_eq!(meta["gazette"], env!("CARGO_PKG_VERSION"));
    assert_eq!(meta["command"], "query");
    assert!(meta["schema"].as_u64().unwrap() >= 1);
    let fingerprint = meta["index"]["fingerprint"].as_str().unwrap();
    assert_eq!(fingerprint.len(), 16, "{fingerprint}");
    assert!(meta["index"]["passages"].as_u64().unwrap() > 0);
    let q = &meta["queries"][0];
    assert_eq!(q["query"], "person:Putin Russia");
    // The surname as executed: the full name the index holds.
    assert_eq!(q["executed"], "(person:\"vladimir putin\") Russia");
    let f = &meta["filters"];
    assert_eq!(f["since"], "2025-10-01");
    assert_eq!(f["until"], Value::Null);
    assert_eq!(f["names"][0]["filter"], "loc");
    assert_eq!(f["names"][0]["name"], "Syria");
    assert_eq!(f["names"][0]["keys"][0], "loc:syria");
    assert_eq!(f["aliases"], serde_json::json!([]));
    assert_eq!(meta["options"]["limit"], 10);
    assert_eq!(meta["options"]["sort"], "score");
    // ISO 8601, UTC, to the second.
    let ran_at = meta["ran_at"].as_str().unwrap();
    assert!(ran_at.ends_with('Z') && ran_at.len() == 20, "{ran_at}");
    assert!(answer["total"].as_u64().unwrap() > 0);
}

#[test]
fn meta_file_beside_csv_matches_the_json_meta() {
    let env = bundled();
    let args = ["query", "Russia", "--loc", "Kremlin", "--all"];
    let from_json = json(&env.ok(&[&args[..], &["--format", "json"]].concat(), 0))["meta"].clone();
    let csv = env.ok(
        &[&args[..], &["--format", "csv", "--meta", "meta.json"]].concat(),
        0,
    );
    assert!(csv.starts_with("rank,"), "{csv}");
    let written = std::fs::read_to_string(env.dir.path().join("meta.json")).unwrap();
    let from_file = json(&written);
    let strip = |mut v: Value| {
        v.as_object_mut().unwrap().remove("ran_at");
        v
    };
    assert_eq!(strip(from_json), strip(from_file));

    // Timelines carry it too, and --count writes it to the file.
    let timeline = json(&env.ok(
        &["query", "Russia", "--timeline", "month", "--format", "json"],
        0,
    ));
    assert_eq!(timeline["meta"]["options"]["timeline"], "month");
    assert_eq!(timeline["meta"]["options"]["by"], "published");
    assert!(timeline["buckets"].is_array());
    env.ok(&["query", "Russia", "--count", "--meta", "count.json"], 0);
    let count = json(&std::fs::read_to_string(env.dir.path().join("count.json")).unwrap());
    assert_eq!(count["options"]["count"], true);
}

#[test]
fn the_same_command_on_the_same_index_gives_the_same_bytes() {
    let env = bundled();
    for args in [
        &[
            "query",
            "Syria OR Russia",
            "--all",
            "--facets",
            "--format",
            "json",
        ][..],
        &[
            "query",
            "",
            "--loc",
            "Syria",
            "--timeline",
            "week",
            "--by",
            "mentions",
            "--normalize",
            "--format",
            "json",
        ],
    ] {
        let one = env.ok(&[args, &["-j", "1"]].concat(), 0);
        let two = env.ok(&[args, &["-j", "2"]].concat(), 0);
        assert!(one.contains("\"ran_at\""), "{one}");
        assert_eq!(without_time(&one), without_time(&two), "{args:?}");
    }
    env.write("book.tsv", "energy\tenergy\nwar\twar OR military\n");
    for extra in [&[][..], &["--timeline", "month"], &["--cooccurrence"]] {
        let args = [&["batch", "book.tsv", "--format", "json"][..], extra].concat();
        let one = env.ok(&[&args[..], &["-j", "1"]].concat(), 0);
        let two = env.ok(&[&args[..], &["-j", "2"]].concat(), 0);
        assert_eq!(without_time(&one), without_time(&two), "{args:?}");
        let answer = json(&one);
        assert_eq!(answer["meta"]["command"], "batch");
        assert_eq!(answer["meta"]["queries"][1]["label"], "war");
        assert_eq!(answer["meta"]["queries"][1]["query"], "war OR military");
        assert!(answer["rows"].as_array().is_some_and(|r| !r.is_empty()));
    }
}

#[test]
fn the_fingerprint_follows_the_index_contents() {
    let env = bundled();
    let fingerprint = |env: &Env| {
        let out = env.ok(&["query", "Syria", "--format", "json", "--limit", "0"], 0);
        json(&out)["meta"]["index"]["fingerprint"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let first = fingerprint(&env);
    assert_eq!(fingerprint(&env), first);
    // Re-ingesting the unchanged corpus commits nothing: same index, same fingerprint.
    env.ok(&["ingest", path_str(&repo().join("corpus")), "--quiet"], 0);
    assert_eq!(fingerprint(&env), first);
    env.write(
        "more/brief.txt",
        "Syria brief\n\nSyria and Russia met again in Moscow on Tuesday.\n",
    );
    env.ok(&["ingest", "more", "--quiet"], 0);
    let second = fingerprint(&env);
    assert_ne!(second, first);
    // Changing a file replaces its passages: another fingerprint again.
    env.write(
        "more/brief.txt",
        "Syria brief\n\nSyria and Russia met once more in Moscow on Wednesday.\n",
    );
    env.ok(&["ingest", "more", "--quiet"], 0);
    let third = fingerprint(&env);
    assert!(third != second && third != first);
}
