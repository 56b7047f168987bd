//! `gazette collocates` and `gazette keyness` against counts and scores worked out by
//! hand on a corpus of eight words (written here), plus stop words and formats.

mod util;

use serde_json::Value;
use util::{Env, jsonl};

/// Three passages: "alpha beta gamma", "beta delta" (one article), "gamma delta
/// epsilon" (another): 8 tokens of text.
fn env() -> Env {
    Env::with_corpus(&[
        ("a.txt", "First\n\nalpha beta gamma\n\nbeta delta\n"),
        ("b.txt", "Second\n\ngamma delta epsilon\n"),
    ])
}

fn rows(env: &Env, args: &[&str]) -> Vec<Value> {
    let all = [args, &["--format", "jsonl", "--min-freq", "1"]].concat();
    jsonl(&env.ok(&all, 0))
}

fn close(v: &Value, expected: f64) -> bool {
    (v.as_f64().unwrap() - expected).abs() < 1e-5
}

#[test]
fn collocates_match_a_hand_computation() {
    let env = env();
    // "beta" occurs twice (f_node = 2); window 1: alpha and gamma around the first,
    // delta after the second. N = 8 tokens, span = 2.
    let got = rows(&env, &["collocates", "beta", "--window", "1"]);
    let terms: Vec<&str> = got.iter().map(|r| r["term"].as_str().unwrap()).collect();
    // logDice: alpha 14 + log2(2/3) = 13.415037; delta and gamma 14 + log2(2/4) = 13
    // (ties by name).
    assert_eq!(terms, ["alpha", "delta", "gamma"]);
    let alpha = &got[0];
    assert_eq!(alpha["cooccurrences"], 1);
    assert_eq!(alpha["frequency"], 1);
    // E = 2 * 1 * 2 / 8.
    assert!(close(&alpha["expected"], 0.5));
    assert!(close(&alpha["score"], 13.415037), "{alpha}");
    assert_eq!(got[2]["frequency"], 2);
    assert!(close(&got[2]["expected"], 1.0));
    assert!(close(&got[2]["score"], 13.0));
    // MI: log2(O / E): alpha 1, gamma 0.
    let mi = rows(
        &env,
        &["collocates", "beta", "--window", "1", "--measure", "mi"],
    );
    assert_eq!(mi[0]["term"], "alpha");
    assert!(close(&mi[0]["score"], 1.0));
    assert!(close(&mi[1]["score"], 0.0));
    // A wider window reaches "gamma" from the second "beta"? No: passages end contexts.
    let wide = rows(&env, &["collocates", "beta", "--window", "5"]);
    let gamma = wide.iter().find(|r| r["term"] == "gamma").unwrap();
    assert_eq!(gamma["cooccurrences"], 1);
}

#[test]
fn keyness_matches_a_hand_computation() {
    let env = env();
    // Target: the 2 passages with "beta"; reference: the 1 other passage.
    let got = rows(&env, &["keyness", "beta", "--all-words"]);
    let terms: Vec<&str> = got.iter().map(|r| r["term"].as_str().unwrap()).collect();
    // gamma and delta are in 1 of 2 target passages and 1 of 1 reference: not key.
    assert_eq!(terms, ["beta", "alpha"]);
    // beta: a = 2, b = 0; E1 = 2 * 2 / 3: G2 = 2 * 2 ln(2 / (4/3)) = 1.621860;
    // log ratio log2((2/2) / (0.5/1)) = 1.
    assert_eq!(
        (got[0]["target"].as_u64(), got[0]["reference"].as_u64()),
        (Some(2), Some(0))
    );
    assert!(close(&got[0]["g2"], 1.621860), "{}", got[0]);
    assert!(close(&got[0]["log_ratio"], 1.0));
    // alpha: a = 1, b = 0; G2 = 2 ln(1 / (2/3)) = 0.810930; log2((1/2) / (0.5/1)) = 0.
    assert!(close(&got[1]["g2"], 0.810930));
    assert!(close(&got[1]["log_ratio"], 0.0));
    // Against the passages of "gamma" less the target's: only "gamma delta epsilon".
    let json: Value = serde_json::from_str(&env.ok(
        &[
            "keyness",
            "beta",
            "--reference",
            "gamma",
            "--min-freq",
            "1",
            "--format",
            "json",
        ],
        0,
    ))
    .unwrap();
    assert_eq!(json["target_passages"], 2);
    assert_eq!(json["reference_passages"], 1);
    assert_eq!(json["meta"]["queries"][1]["label"], "reference");
    assert_eq!(json["rows"][0]["term"], "beta");
}

#[test]
fn stop_words_are_left_out_unless_asked() {
    let env = Env::with_corpus(&[(
        "c.txt",
        "Desk\n\nThe oil price and the oil output of the cartel rose.\n",
    )]);
    let without = rows(&env, &["collocates", "oil", "--window", "2"]);
    assert!(
        without
            .iter()
            .all(|r| r["term"] != "the" && r["term"] != "and")
    );
    assert!(without.iter().any(|r| r["term"] == "price"));
    let with = rows(&env, &["collocates", "oil", "--window", "2", "--all-words"]);
    let the = with.iter().find(|r| r["term"] == "the").unwrap();
    // "the" before each "oil", and the one between them; the third is 3 words away.
    assert_eq!(the["cooccurrences"], 2);
    let csv = env.ok(
        &["collocates", "oil", "--format", "csv", "--min-freq", "1"],
        0,
    );
    assert!(
        csv.starts_with("term,cooccurrences,frequency,expected,score,type\n"),
        "{csv}"
    );
}

#[test]
fn entities_near_the_matches_with_their_index_frequency() {
    let env = Env::new();
    env.ok(
        &[
            "ingest",
            util::path_str(&util::repo().join("corpus")),
            "--quiet",
        ],
        0,
    );
    let words = rows(&env, &["collocates", "Russia", "--limit", "1000"]);
    let with = rows(
        &env,
        &["collocates", "Russia", "--entities", "--limit", "1000"],
    );
    // The words are the same; entities come on top, with their type.
    let plain: Vec<&Value> = with.iter().filter(|r| r.get("type").is_none()).collect();
    assert_eq!(plain.len(), words.len());
    let syria = with
        .iter()
        .find(|r| r["term"] == "Syria" && r["type"] == "LOC")
        .expect("Syria is named near Russia");
    // Its frequency: the passages of the index naming it.
    let named = env.ok(&["query", "", "--loc", "Syria", "--count"], 0);
    assert_eq!(
        syria["frequency"].as_u64().unwrap(),
        named.trim().parse::<u64>().unwrap()
    );
    assert!(syria["cooccurrences"].as_u64().unwrap() >= 1);
}
