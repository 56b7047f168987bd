//! Concept expansion: `query --expand` on the bundled corpus (the acceptance
//! case), and `gazette expand` naming its evidence on a corpus written here.

mod util;

use serde_json::Value;
use util::{Env, jsonl, seed_env, stderr};

#[test]
fn expand_finds_reliance_for_dependence_in_the_bundled_article() {
    let env = seed_env();
    let plain = env.ok(&["query", "energy dependence", "--format", "jsonl"], 0);
    assert_eq!(plain.lines().count(), 1);
    let out = env.run(&["query", "energy dependence", "--expand"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = String::from_utf8(out.stdout.clone()).unwrap();
    assert!(
        text.contains("Syria’s [dependence] on Russian supplies, especially in [energy] and food"),
        "{text}"
    );
    assert!(
        text.contains(
            "Syria’s ongoing [reliance] on Russian production and expertise, especially in the [energy] sector"
        ),
        "{text}"
    );
    assert!(text.contains("2 of 2 matching passages"), "{text}");
    assert!(
        stderr(&out).contains("expanded query: energy (dependence OR reliance)"),
        "{}",
        stderr(&out)
    );
    // JSON: the query as given and as executed.
    let json: Value = serde_json::from_str(&env.ok(
        &["query", "energy dependence", "--expand", "--format", "json"],
        0,
    ))
    .unwrap();
    let q = &json["meta"]["queries"][0];
    assert_eq!(q["query"], "energy dependence");
    assert_eq!(q["executed"], "energy (dependence OR reliance)");
    assert_eq!(json["meta"]["options"]["expand"], true);
    assert_eq!(json["total"], 2);
}

/// Five passages about energy: the query matches the first two ("dependency" stems as
/// "dependence" does); "electricity" (a kind of energy in WordNet) meets "dependence" in
/// the third; "reliance" (a kind of dependence) occurs only without "energy". Four about
/// vitality (a synonym of energy), one of them with "dependence".
fn energy_env() -> Env {
    Env::with_corpus(&[
        (
            "a.txt",
            "Gas\n\nEurope's energy dependence on Russian gas worries ministers.\n\n\
             Energy dependency on Russian gas grew again this winter.\n",
        ),
        (
            "b.txt",
            "Grid\n\nElectricity dependence on imports is a risk for the grid.\n\n\
             Their reliance on coal is falling, ministers said.\n\n\
             Ministers discussed gas prices and coal.\n",
        ),
        (
            "c.txt",
            "Town\n\nVitality and dependence on sport.\n\nThe vitality of the town.\n\n\
             Vitality returns.\n\nThe vitality of youth.\n",
        ),
    ])
}

fn row<'a>(rows: &'a [Value], candidate: &str) -> &'a Value {
    rows.iter()
        .find(|r| r["candidate"] == candidate)
        .unwrap_or_else(|| panic!("no candidate {candidate:?} in {rows:?}"))
}

#[test]
fn expand_names_each_candidates_evidence() {
    let env = energy_env();
    let json: Value =
        serde_json::from_str(&env.ok(&["expand", "energy dependence", "--format", "json"], 0))
            .unwrap();
    assert_eq!(json["meta"]["command"], "expand");
    assert_eq!(json["passages"], 2);
    let rows = json["rows"].as_array().unwrap();
    // A kind of energy, meeting the other word in a passage the query misses: used.
    let electricity = row(rows, "electricity");
    assert_eq!(electricity["word"], "energy");
    assert_eq!(electricity["source"], "hyponym");
    assert_eq!(electricity["added"], 1);
    assert_eq!(electricity["with_rest"], 1);
    // Every passage it adds meets the rest, as every passage of "energy" is a hit.
    assert_eq!(electricity["share"], 1.0);
    assert_eq!(electricity["needed"], 1.0);
    assert_eq!(electricity["used"], true);
    // A synonym meeting "dependence" once in four passages: the rest of the query
    // supports it less than it supports "energy", so it is shown and not used.
    let vitality = row(rows, "vitality");
    assert_eq!(vitality["source"], "synonym");
    assert_eq!(vitality["added"], 4);
    assert_eq!(vitality["with_rest"], 1);
    assert_eq!(vitality["share"], 0.25);
    assert_eq!(vitality["used"], false);
    let example = &electricity["example"];
    assert!(
        example["article_id"]
            .as_str()
            .is_some_and(|s| !s.is_empty())
    );
    assert_eq!(example["passage"], 0);
    assert!(
        example["snippet"]
            .as_str()
            .unwrap()
            .contains("Electricity dependence on imports"),
        "{example}"
    );
    // A kind of dependence, never with "energy": shown with what it adds alone, not used.
    let reliance = row(rows, "reliance");
    assert_eq!(reliance["word"], "dependence");
    assert_eq!(reliance["source"], "hyponym");
    assert_eq!(reliance["added"], 1);
    assert_eq!(reliance["with_rest"], 0);
    assert_eq!(reliance["used"], false);
    assert!(
        reliance["example"]["snippet"]
            .as_str()
            .unwrap()
            .contains("reliance on coal")
    );
    // "dependency" is no candidate: the stemmer already matches it.
    assert!(rows.iter().all(|r| r["candidate"] != "dependency"));
    // Key words of the matches are labelled and never used.
    let key: Vec<&Value> = rows.iter().filter(|r| r["source"] == "keyness").collect();
    assert!(key.iter().any(|r| r["candidate"] == "russian"), "{rows:?}");
    assert!(key.iter().all(|r| r["used"] == false));
    assert_eq!(json["expanded"], "(energy OR electricity) dependence");
    assert_eq!(json["expanded_adds"], 1);
    // The expanded query is what `query --expand` runs.
    let q: Value = serde_json::from_str(&env.ok(
        &["query", "energy dependence", "--expand", "--format", "json"],
        0,
    ))
    .unwrap();
    assert_eq!(q["meta"]["queries"][0]["executed"], json["expanded"]);
    assert_eq!(q["total"], 3);
}

#[test]
fn expand_in_text_jsonl_and_csv() {
    let env = energy_env();
    let text = env.ok(&["expand", "energy dependence"], 0);
    assert!(text.contains("word"), "{text}");
    assert!(text.contains("with_rest"), "{text}");
    assert!(
        text.lines()
            .any(|l| l.contains("electricity") && l.contains("hyponym") && l.contains("yes")),
        "{text}"
    );
    assert!(text.contains("expanded query: (energy OR electricity) dependence"));
    let out = env.run(&["expand", "energy dependence", "--format", "jsonl"]);
    let rows = jsonl(&String::from_utf8(out.stdout.clone()).unwrap());
    assert_eq!(row(&rows, "reliance")["with_rest"], 0);
    assert!(stderr(&out).contains("expanded query: (energy OR electricity) dependence"));
    let csv = env.ok(&["expand", "energy dependence", "--format", "csv"], 0);
    assert_eq!(
        csv.lines().next().unwrap(),
        "word,candidate,source,added,with_rest,share,needed,used,example_article_id,example_passage,example_snippet"
    );
}

#[test]
fn filters_bound_what_supports_a_candidate() {
    let env = energy_env();
    // Outside the "a.txt" article nothing is matched, so nothing is used.
    let json: Value = serde_json::from_str(&env.ok(
        &[
            "expand",
            "energy dependence",
            "--format",
            "json",
            "--keyness",
            "0",
            "--source",
            "nowhere",
        ],
        1,
    ))
    .unwrap();
    assert_eq!(json["passages"], 0);
    assert!(
        json["rows"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["used"] == false)
    );
    assert_eq!(json["expanded"], "energy dependence");
}
