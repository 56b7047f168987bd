//! One name per entity, end to end on `tests/data/names` (see FIXTURES.md): spellings,
//! corporate suffixes and aliases merged; negated forms and longer names kept apart;
//! majority type and its split; `gazette entities`; alias files.

mod util;

use serde_json::{Value, json};
use util::{Env, count, path_str, repo};

fn names_env() -> Env {
    let env = Env::new();
    let corpus = repo().join("tests/data/names");
    env.ok(&["ingest", path_str(&corpus), "--quiet"], 0);
    env
}

fn entities(env: &Env, extra: &[&str]) -> Vec<Value> {
    let mut args = vec!["entities", "--format", "json"];
    args.extend(extra);
    let out = env.ok(&args, 0);
    let listing = serde_json::from_str::<Value>(&out).unwrap();
    assert_eq!(listing["meta"]["command"], "entities");
    listing["entities"].as_array().unwrap().clone()
}

fn entry<'a>(list: &'a [Value], name: &str) -> &'a Value {
    list.iter()
        .find(|e| e["name"] == name)
        .unwrap_or_else(|| panic!("no entity {name:?} in {list:?}"))
}

#[test]
fn spellings_suffixes_and_aliases_are_one_entity_in_the_listing() {
    let env = names_env();
    let all = entities(&env, &[]);
    // Hand counts (FIXTURES.md): "OPEC" ORG in 3 passages, "Opec" MISC in 1.
    let opec = entry(&all, "OPEC");
    assert_eq!(opec["type"], "ORG");
    assert_eq!(
        (opec["passages"].as_u64(), opec["articles"].as_u64()),
        (Some(4), Some(3))
    );
    assert_eq!(opec["types"], json!({"ORG": 3, "MISC": 1}));
    // "Exxon Corp" (2 passages), "Exxon Inc." (1), "Exxon's" tagged PER (1): one
    // organisation, named by its most frequent spelling.
    let exxon = entry(&all, "Exxon Corp");
    assert_eq!(exxon["type"], "ORG");
    assert_eq!(exxon["passages"], 4);
    assert_eq!(exxon["types"], json!({"ORG": 3, "PER": 1}));
    let forms: Vec<&str> = exxon["forms"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["form"].as_str().unwrap())
        .collect();
    assert_eq!(forms, ["Exxon Corp", "Exxon", "Exxon Inc."]);
    // "United States", "U.S.", "US", "USA" (built-in aliases), under the table's name; the
    // passage saying both "USA" and "United States" counts once.
    let us = entry(&all, "United States");
    assert_eq!(
        (us["passages"].as_u64(), us["articles"].as_u64()),
        (Some(4), Some(4))
    );
    assert_eq!(us["types"], json!({"LOC": 4}));
    assert_eq!(entry(&all, "United Kingdom")["forms"][0]["form"], "Britain");
    // Case: the dateline's "LONDON" and the body's "London", a tie won by mixed case.
    assert_eq!(entry(&all, "London")["passages"], 2);
    // Kept apart: a longer name, a name that is only a suffix, negated forms.
    assert_eq!(entry(&all, "Bank of England")["passages"], 1);
    assert_eq!(entry(&all, "England")["passages"], 1);
    assert_eq!(entry(&all, "Co")["type"], "MISC");
    for e in &all {
        let name = e["name"].as_str().unwrap().to_lowercase();
        assert!(!name.starts_with("non-"), "a negated form is listed: {e}");
        assert_eq!(all.iter().filter(|o| o["name"] == e["name"]).count(), 1);
    }
    // Most mentioned first, ties by name.
    let keys: Vec<(i64, String)> = all
        .iter()
        .map(|e| {
            (
                -e["passages"].as_i64().unwrap(),
                e["name"].as_str().unwrap().into(),
            )
        })
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
}

#[test]
fn listing_filters_and_formats() {
    let env = names_env();
    let orgs = entities(&env, &["--type", "ORG", "--min", "2"]);
    let names: Vec<&str> = orgs.iter().map(|e| e["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Exxon Corp", "OPEC"]);
    assert_eq!(entities(&env, &["--limit", "1"]).len(), 1);
    let csv = env.ok(
        &["entities", "--type", "ORG", "--min", "4", "--format", "csv"],
        0,
    );
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "name,type,passages,articles,types,forms");
    assert!(
        lines.contains(&"OPEC,ORG,4,3,MISC:1;ORG:3,OPEC (ORG 3); Opec (MISC 1)"),
        "{csv}"
    );
    let jsonl = util::jsonl(&env.ok(&["entities", "--format", "jsonl", "--type", "LOC"], 0));
    assert!(jsonl.iter().all(|e| e["type"] == "LOC"));
    let text = env.ok(&["entities", "--type", "MISC"], 0);
    assert!(text.contains("Co  (Co (MISC 1))"), "{text}");
    // Nothing above the bar: exit 1.
    env.ok(&["entities", "--min", "1000"], 1);
}

#[test]
fn filters_find_every_spelling_alias_and_majority_type() {
    let env = names_env();
    for name in [
        "US",
        "U.S.",
        "United States",
        "the USA",
        "United States of America",
    ] {
        assert_eq!(count(&env, "", &["--loc", name]), 4, "--loc {name}");
    }
    for name in [
        "Exxon",
        "Exxon Corp.",
        "Exxon, Inc.",
        "EXXON CORPORATION",
        "Exxon's",
    ] {
        // Three ORG passages and the one where "Exxon's" was tagged PER: ORG is the
        // majority type, so an --org filter finds that one too.
        assert_eq!(count(&env, "", &["--org", name]), 4, "--org {name}");
    }
    assert_eq!(count(&env, "", &["--person", "Exxon"]), 1);
    assert_eq!(count(&env, "", &["--org", "Opec"]), 4);
    assert_eq!(count(&env, "", &["--entity", "opec"]), 4);
    // MISC is not OPEC's majority type: a misc filter finds only its MISC passage.
    assert_eq!(count(&env, "misc:Opec", &[]), 1);
    assert_eq!(count(&env, "", &["--entity", "non-OPEC"]), 0);
    assert_eq!(count(&env, "", &["--org", "Bank of England"]), 1);
    assert_eq!(count(&env, "", &["--loc", "England"]), 1);
    assert_eq!(count(&env, "", &["--loc", "Britain"]), 1);
    assert_eq!(count(&env, "", &["--loc", "UK"]), 1);
    // The query language's entity clauses resolve the same way.
    assert_eq!(count(&env, "loc:US", &[]), 4);
    assert_eq!(count(&env, "org:\"Exxon Inc.\"", &[]), 4);
}

#[test]
fn facets_merge_under_the_majority_type_with_the_split() {
    let env = names_env();
    let out = env.ok(
        &[
            "query", "", "--org", "OPEC", "--facets", "--format", "json", "--limit", "10",
        ],
        0,
    );
    let doc: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["total"], 4);
    let org = doc["facets"]["org"].as_array().unwrap();
    assert_eq!(
        org[0],
        json!({"name": "OPEC", "passages": 4, "types": {"MISC": 1, "ORG": 3}})
    );
    assert!(doc["facets"]["misc"].as_array().unwrap().is_empty());
    let loc = doc["facets"]["loc"].as_array().unwrap();
    assert!(
        loc.iter()
            .any(|f| f["name"] == "United States" && f["passages"] == 1)
    );
    // Hits carry the entity's name across the index: "Opec" is "OPEC", "US" is
    // "United States".
    for hit in doc["hits"].as_array().unwrap() {
        for e in hit["entities"].as_array().unwrap() {
            if e["text"] == "Opec" {
                assert_eq!(e["canonical"], "OPEC");
            }
            if e["text"] == "US" {
                assert_eq!(e["canonical"], "United States");
            }
        }
    }
    // Aliases merge in facets, a passage naming two of them counting once.
    let out = env.ok(
        &[
            "query", "", "--loc", "U.S.", "--facets", "--format", "json", "--limit", "0",
        ],
        0,
    );
    let doc: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["total"], 4);
    assert_eq!(
        doc["facets"]["loc"][0],
        json!({"name": "United States", "passages": 4, "types": {"LOC": 4}})
    );
    // JSON lines carry the split too; text shows it for a split entity.
    let lines = util::jsonl(&env.ok(
        &[
            "query", "", "--org", "OPEC", "--facets", "--format", "jsonl",
        ],
        0,
    ));
    assert!(lines.iter().any(|l| l["facet"] == "org"
        && l["name"] == "OPEC"
        && l["types"] == json!({"MISC": 1, "ORG": 3})));
    let text = env.ok(
        &["query", "", "--org", "OPEC", "--facets", "--color", "never"],
        0,
    );
    assert!(text.contains("OPEC  (MISC 1, ORG 3)"), "{text}");
}

#[test]
fn alias_files_from_the_user_and_the_index_folder_apply_without_reingest() {
    let env = names_env();
    let mine = env.write(
        "mine.tsv",
        "# my aliases\n\nOrganization of the Petroleum Exporting Countries\tOPEC\n",
    );
    let mine = path_str(&mine);
    assert_eq!(
        count(
            &env,
            "",
            &[
                "--org",
                "Organization of the Petroleum Exporting Countries",
                "--aliases",
                mine
            ]
        ),
        4
    );
    let listed = entities(&env, &["--aliases", mine, "--type", "ORG"]);
    assert_eq!(
        entry(&listed, "Organization of the Petroleum Exporting Countries")["passages"],
        4
    );
    // Without the file, the long name is nobody.
    assert_eq!(
        count(
            &env,
            "",
            &["--org", "Organization of the Petroleum Exporting Countries"]
        ),
        0
    );
    // The index folder's aliases.tsv applies to every command.
    env.write("idx/aliases.tsv", "Wien\tVienna\n");
    assert_eq!(count(&env, "", &["--loc", "Wien"]), 1);
    assert_eq!(entry(&entities(&env, &[]), "Wien")["passages"], 1);
    // A malformed file is an error naming its line, before anything runs.
    let bad = env.write("bad.tsv", "# fine\nOPEC\tOpec\njust one name\n");
    let out = env.run(&["query", "oil", "--aliases", path_str(&bad)]);
    assert_eq!(out.status.code(), Some(2));
    let err = util::stderr(&out);
    assert!(err.contains("bad.tsv, line 3"), "{err}");
    let out = env.run(&["entities", "--aliases", path_str(&bad)]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn tagging_drops_negated_forms_only() {
    let env = Env::new();
    let text = "Non-OPEC producers met. The non-Opec supply grew. The Non-Aligned Movement met \
                in Belgrade. OPEC said nothing.";
    let input = env.write("t.txt", text);
    let out = env.ok(&["tag", path_str(&input)], 0);
    let doc: Value = serde_json::from_str(out.trim()).unwrap();
    let names: Vec<&str> = doc["entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["text"].as_str().unwrap())
        .collect();
    assert!(
        names
            .iter()
            .all(|n| !n.to_lowercase().starts_with("non-opec")),
        "{names:?}"
    );
    assert!(names.contains(&"OPEC"), "{names:?}");
}
