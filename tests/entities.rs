//! Entities end to end: tagging the seed article, canonical names, entity filters and
//! query syntax, facets, and `gazette tag`.

mod util;

use std::collections::BTreeSet;

use serde_json::Value;
use util::{Env, jsonl, path_str, seed, seed_env};

#[test]
fn the_seed_articles_people_places_and_organisations_are_tagged() {
    let out = Env::new().ok(&["tag", path_str(&seed())], 0);
    let doc: Value = serde_json::from_str(out.trim()).unwrap();
    let text = std::fs::read_to_string(seed()).unwrap();
    let mut found: BTreeSet<(String, String)> = BTreeSet::new();
    for e in doc["entities"].as_array().unwrap() {
        util::assert_span(&text, e);
        found.insert((
            e["type"].as_str().unwrap().into(),
            e["canonical"].as_str().unwrap().into(),
        ));
    }
    let expected = [
        (
            "PER",
            &[
                "Vladimir Putin",
                "Ahmed al-Sharaa",
                "Bashar al-Assad",
                "Sergey Lavrov",
                "Dmitry Peskov",
                "Donald Trump",
                "Asaad al-Shibani",
            ][..],
        ),
        (
            "LOC",
            &["Moscow", "Syria", "Russia", "Damascus", "Ukraine", "Gaza"],
        ),
        ("ORG", &["AP", "BBC", "Reuters", "SANA", "CBS News", "NHK"]),
    ];
    // Only names whose type the text makes plain: "the Tartous naval port" and "the
    // Hmeimim airbase" are places to a reader, but names the model never saw in a context
    // ("the X airbase") shared with nationality words ("the Russian airbase"), so their
    // type is a close call that a retrain may settle either way. The held-out fixture
    // (src/ner/tests.rs) measures such names in bulk.
    for (kind, names) in expected {
        for name in names {
            assert!(
                found.contains(&(kind.to_string(), name.to_string())),
                "{kind} {name} missing: {found:?}"
            );
        }
    }
    // Short forms take the canonical full name; possessives are not part of a mention.
    let putins: Vec<&Value> = doc["entities"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["text"] == "Putin")
        .collect();
    assert!(!putins.is_empty() && putins.iter().all(|e| e["canonical"] == "Vladimir Putin"));
    assert!(
        !doc["entities"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["text"].as_str().unwrap().ends_with("’s"))
    );
}

#[test]
fn entity_filters_match_canonical_names_case_insensitively_and_by_surname() {
    let env = seed_env();
    let by_flag = env.ok(&["query", "", "--person", "Putin", "--count"], 0);
    let n: usize = by_flag.trim().parse().unwrap();
    assert!(n >= 4, "{n}");
    for args in [
        &["query", "", "--person", "vladimir putin", "--count"][..],
        &["query", "", "--person", "VLADIMIR PUTIN", "--count"],
        &["query", "person:Putin", "--count"],
        &["query", "person:\"Vladimir Putin\"", "--count"],
        &["query", "", "--entity", "Putin", "--count"],
    ] {
        assert_eq!(env.ok(args, 0), by_flag, "{args:?}");
    }
    // Every hit mentions him, under his canonical name.
    for hit in jsonl(&env.ok(
        &[
            "query", "", "--person", "Putin", "--all", "--format", "jsonl",
        ],
        0,
    )) {
        assert!(
            hit["entities"]
                .as_array()
                .unwrap()
                .iter()
                .any(|e| e["canonical"] == "Vladimir Putin" && e["type"] == "PER")
        );
    }
    env.ok(&["query", "org:Reuters", "--count"], 0);
    env.ok(&["query", "", "--org", "reuters", "--count"], 0);
    env.ok(&["query", "loc:Damascus Russian", "--count"], 0);
    env.ok(&["query", "", "--loc", "Damascus", "--count"], 0);
    env.ok(&["query", "", "--person", "Damascus", "--count"], 1);
    // Repeated entity filters are all required: every hit mentions both names.
    let both = jsonl(&env.ok(
        &[
            "query", "", "--person", "Putin", "--loc", "Moscow", "--all", "--format", "jsonl",
        ],
        0,
    ));
    assert!(!both.is_empty() && both.len() <= n);
    for hit in &both {
        let canon: Vec<&str> = hit["entities"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["canonical"].as_str().unwrap())
            .collect();
        assert!(
            canon.contains(&"Vladimir Putin") && canon.contains(&"Moscow"),
            "{canon:?}"
        );
    }
}

#[test]
fn words_and_names_that_never_meet_say_so() {
    let env = seed_env();
    // In the seed article Putin and energy are never in the same passage.
    let out = env.run(&["query", "energy", "--person", "Putin"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = util::stderr(&out);
    assert!(
        stderr.contains("query \"energy\" alone: 2") && stderr.contains("person \"Putin\" alone:"),
        "{stderr}"
    );
    // Within the whole article they do co-occur with Moscow.
    let hits = jsonl(&env.ok(
        &[
            "query", "Moscow", "--person", "Putin", "--all", "--format", "jsonl",
        ],
        0,
    ));
    assert!(!hits.is_empty());
}

#[test]
fn who_is_mentioned_alongside_the_hmeimim_airbase() {
    let env = seed_env();
    let query = ["query", "Hmeimim airbase", "--facets", "--limit", "1"];
    let out = env.ok(&[&query[..], &["--format", "json"]].concat(), 0);
    let doc: Value = serde_json::from_str(&out).unwrap();
    let hit = &doc["hits"][0];
    let text = hit["text"].as_str().unwrap();
    assert!(text.contains("Hmeimim airbase"), "{text}");
    let syria = util::find_by(&hit["entities"], "canonical", "Syria");
    assert_eq!(syria["type"], "LOC");
    let (s, e) = (
        syria["start"].as_u64().unwrap() as usize,
        syria["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(&text[s..e], "Syria");
    let places: Vec<&str> = doc["facets"]["loc"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    for place in ["Syria", "Russia", "Soviet Union"] {
        assert!(places.contains(&place), "{places:?}");
    }
    assert!(doc["facets"]["loc"][0]["passages"].as_u64().unwrap() >= 1);
    // The same facets in JSON lines and CSV.
    let lines = jsonl(&env.ok(&[&query[..], &["--format", "jsonl"]].concat(), 0));
    assert!(
        lines
            .iter()
            .any(|l| l["facet"] == "loc" && l["name"] == "Soviet Union")
    );
    let csv = env.ok(&[&query[..], &["--format", "csv"]].concat(), 0);
    assert!(
        csv.starts_with("facet,name,passages\n") && csv.contains("loc,Soviet Union,"),
        "{csv}"
    );
    // Facets over a broader query count passages.
    let out = env.ok(
        &[
            "query", "Syria", "--facets", "--format", "json", "--limit", "0",
        ],
        0,
    );
    let doc: Value = serde_json::from_str(&out).unwrap();
    let people = doc["facets"]["person"].as_array().unwrap();
    assert_eq!(people[0]["name"], "Ahmed al-Sharaa", "{people:?}");
}

#[test]
fn an_ambiguous_surname_lists_the_candidates() {
    let env = Env::with_corpus(&[(
        "a.txt",
        "Talks\n\nJohn Smith met Anna Smith in Vienna on Monday to discuss trade.\n",
    )]);
    let out = env.run(&["query", "", "--person", "Smith"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = util::stderr(&out);
    assert!(
        stderr.contains("ambiguous")
            && stderr.contains("john smith")
            && stderr.contains("anna smith"),
        "{stderr}"
    );
    env.ok(&["query", "", "--person", "Anna Smith", "--count"], 0);
}

#[test]
fn tag_reads_json_lines_and_keeps_input_order() {
    let env = Env::new();
    let input = env.write(
        "in.jsonl",
        "{\"id\": \"b\", \"text\": \"Angela Merkel visited Paris yesterday.\", \"published\": \"2015-06-02\"}\n\
         {\"id\": 7, \"text\": \"No names here.\"}\n",
    );
    let out = jsonl(&env.ok(&["tag", "--input", "jsonl", path_str(&input)], 0));
    assert_eq!(out.len(), 2);
    assert_eq!(out[0]["id"], "b");
    assert_eq!(out[1]["id"], "7");
    let kinds: Vec<(&str, &str)> = out[0]["entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["type"].as_str().unwrap(), e["text"].as_str().unwrap()))
        .collect();
    assert!(
        kinds.contains(&("PER", "Angela Merkel")) && kinds.contains(&("LOC", "Paris")),
        "{kinds:?}"
    );
    assert_eq!(out[0]["dates"][0]["value"], "2015-06-01");
    assert!(out[1]["entities"].as_array().unwrap().is_empty());
}

#[test]
fn a_surname_finds_articles_that_name_the_person_either_way() {
    let env = Env::with_corpus(&[
        (
            "a.txt",
            "Talks\n\nVladimir Putin met officials in Moscow on Monday.\n",
        ),
        (
            "b.txt",
            "Reaction\n\nCritics said Putin had not answered the letter.\n",
        ),
    ]);
    let hits = jsonl(&env.ok(
        &[
            "query", "", "--person", "Putin", "--all", "--format", "jsonl",
        ],
        0,
    ));
    let mut titles: Vec<&str> = hits.iter().map(|h| h["title"].as_str().unwrap()).collect();
    titles.sort();
    assert_eq!(titles, ["Reaction", "Talks"], "{hits:?}");
}
