//! `gazette batch`: a codebook's counts, only-counts, timelines and hits equal to the same
//! queries run one by one with `query`; co-occurrence against hand counts; malformed
//! codebooks refused with their line numbers (tests/data/attention, see FIXTURES.md, and a
//! small corpus written here).

mod util;

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;
use util::{Env, count, jsonl, path_str, repo, stderr};

/// Labels and queries run against tests/data/attention: overlapping passages ("ferry"
/// and "oil prices" share one), articles shared without a shared passage, and none.
const BOOK: &[(&str, &str)] = &[
    ("oil", "\"oil prices\""),
    ("travel", "record OR routes"),
    ("ferry", "ferry"),
    ("leisure", "festival OR hotels OR museum"),
    ("none", "zeppelin"),
];

fn attention_env() -> Env {
    let env = Env::new();
    let corpus = repo().join("tests/data/attention");
    env.ok(&["ingest", path_str(&corpus), "--quiet"], 0);
    env.write(
        "book.tsv",
        "# attention codebook\n\n".to_string()
            + &BOOK
                .iter()
                .map(|(l, q)| format!("{l}\t{q}\n"))
                .collect::<String>(),
    );
    env
}

/// `batch book.tsv ARGS...` as JSON lines.
fn batch(env: &Env, args: &[&str]) -> Vec<Value> {
    let mut all = vec!["batch", "book.tsv"];
    all.extend(args);
    all.extend(["--format", "jsonl"]);
    let out = env.run(&all);
    assert!(out.status.code().unwrap() <= 1, "{}", stderr(&out));
    jsonl(&String::from_utf8(out.stdout).unwrap())
}

/// `query QUERY ARGS...` as JSON lines (exit 1, no hits, is still an answer).
fn query(env: &Env, q: &str, args: &[&str]) -> Vec<Value> {
    let mut all = vec!["query", q];
    all.extend(args);
    all.extend(["--format", "jsonl"]);
    let out = env.run(&all);
    assert!(out.status.code().unwrap() <= 1, "{}", stderr(&out));
    jsonl(&String::from_utf8(out.stdout).unwrap())
}

type Passage = (String, u64);

/// The passages (article, ordinal) and articles of `query --all`.
fn hit_sets(env: &Env, q: &str, filters: &[&str]) -> (BTreeSet<Passage>, BTreeSet<String>) {
    let mut args = filters.to_vec();
    args.push("--all");
    let hits = query(env, q, &args);
    let passages = hits
        .iter()
        .map(|h| {
            let id = h["article_id"].as_str().unwrap().to_string();
            (id, h["passage"].as_u64().unwrap())
        })
        .collect();
    let articles = hits
        .iter()
        .map(|h| h["article_id"].as_str().unwrap().to_string())
        .collect();
    (passages, articles)
}

#[test]
fn counts_equal_the_queries_run_one_by_one() {
    let env = attention_env();
    for filters in [&[][..], &["--source", "Gazette"], &["--since", "2025-02"]] {
        let rows = batch(&env, filters);
        assert_eq!(rows.len(), BOOK.len(), "{filters:?}");
        let sets: Vec<_> = BOOK
            .iter()
            .map(|(_, q)| hit_sets(&env, q, filters))
            .collect();
        for (k, ((label, q), row)) in BOOK.iter().zip(&rows).enumerate() {
            let what = format!("{label} {filters:?}: {row}");
            assert_eq!(row["label"], *label, "{what}");
            assert_eq!(row["query"], *q, "{what}");
            assert_eq!(row["passages"], count(&env, q, filters), "{what}");
            let (passages, articles) = &sets[k];
            assert_eq!(row["passages"], passages.len() as u64, "{what}");
            assert_eq!(row["articles"], articles.len() as u64, "{what}");
            // Only: in no other label's --all answer.
            let others = || sets.iter().enumerate().filter(move |(j, _)| *j != k);
            let only_passages = passages
                .iter()
                .filter(|p| others().all(|(_, s)| !s.0.contains(*p)))
                .count();
            let only_articles = articles
                .iter()
                .filter(|a| others().all(|(_, s)| !s.1.contains(*a)))
                .count();
            assert_eq!(row["only_passages"], only_passages as u64, "{what}");
            assert_eq!(row["only_articles"], only_articles as u64, "{what}");
        }
    }
    // The fixture must exercise what is checked: a shared passage, a label alone.
    let rows = batch(&env, &[]);
    let ferry = &rows[2];
    assert!(ferry["only_passages"].as_u64() < ferry["passages"].as_u64());
    assert_eq!(rows[4]["passages"], 0);
}

/// Rows of a long-form timeline by (label, bucket); `label` given for `query`'s rows.
fn by_bucket(rows: &[Value], label: Option<&str>) -> BTreeMap<(String, String), Value> {
    rows.iter()
        .map(|r| {
            let label = label.map_or_else(|| r["label"].as_str().unwrap().to_string(), Into::into);
            let mut r = r.clone();
            r.as_object_mut().unwrap().remove("label");
            ((label, r["bucket"].as_str().unwrap().to_string()), r)
        })
        .collect()
}

#[test]
fn timelines_equal_the_queries_timelines_over_one_range() {
    let env = attention_env();
    for args in [
        &["--timeline", "month"][..],
        &["--timeline", "month", "--normalize"],
        &["--timeline", "week", "--source", "Herald"],
        &["--timeline", "month", "--by", "mentions"],
        &["--timeline", "month", "--by", "mentions", "--normalize"],
        &[
            "--timeline",
            "month",
            "--by",
            "mentions",
            "--mentions",
            "2025-01..2025-06",
        ],
    ] {
        let batch_rows = by_bucket(&batch(&env, args), None);
        let normalized = args.contains(&"--normalize");
        // One shared range: every label has the same buckets.
        let buckets: BTreeSet<&String> = batch_rows.keys().map(|(_, b)| b).collect();
        assert_eq!(batch_rows.len(), buckets.len() * BOOK.len(), "{args:?}");
        for (label, q) in BOOK {
            let own = by_bucket(&query(&env, q, args), Some(label));
            for (key, row) in &own {
                // The shared range covers each query's own range: always by publication
                // (the union of the ranges) and normalised (the same range, of the
                // filters alone); by mentions on this fixture (each label's central 99%
                // lies inside that of all labels together). earlier/later rows depend on
                // the range, so they are compared only when normalised.
                if row["start"].is_null() || row["end"].is_null() {
                    if normalized {
                        assert_eq!(batch_rows.get(key), Some(row), "{args:?} {key:?}");
                    }
                    continue;
                }
                assert_eq!(batch_rows.get(key), Some(row), "{args:?} {key:?}");
            }
            for (key, row) in batch_rows.iter().filter(|(k, _)| k.0 == *label) {
                if !own.contains_key(key) && !row["start"].is_null() && !row["end"].is_null() {
                    assert_eq!(
                        row["passages"], 0,
                        "{args:?} {key:?}: outside its own range"
                    );
                }
                if normalized {
                    assert!(own.contains_key(key), "{args:?} {key:?}: same range");
                }
            }
        }
    }
}

#[test]
fn cooccurrence_matches_hand_counts() {
    // oil: a1#0 a1#1; gas: a1#0 a2#0; sanctions: a1#1 a3#0. gas and sanctions share
    // article a1 but no passage.
    let line = |id: &str, body: &str| {
        format!(
            "{{\"id\":\"{id}\",\"title\":\"Story {id}\",\"date\":\"2025-03-0{}\",\"body\":\"{body}\"}}\n",
            &id[1..]
        )
    };
    let corpus = line("a1", "Oil and gas flowed.\\n\\nSanctions on oil began.")
        + &line("a2", "The gas pipeline opened.")
        + &line("a3", "Sanctions talks stalled.");
    let env = Env::with_corpus(&[("news.jsonl", &corpus)]);
    env.write("book.tsv", "oil\toil\ngas\tgas\nsanctions\tsanctions\n");
    let pairs = batch(&env, &["--cooccurrence"]);
    let got: Vec<(&str, &str, u64, u64)> = pairs
        .iter()
        .map(|p| {
            (
                p["label"].as_str().unwrap(),
                p["other"].as_str().unwrap(),
                p["passages"].as_u64().unwrap(),
                p["articles"].as_u64().unwrap(),
            )
        })
        .collect();
    #[rustfmt::skip]
    let want = [
        ("oil", "oil", 2, 1), ("oil", "gas", 1, 1), ("oil", "sanctions", 1, 1),
        ("gas", "oil", 1, 1), ("gas", "gas", 2, 2), ("gas", "sanctions", 0, 1),
        ("sanctions", "oil", 1, 1), ("sanctions", "gas", 0, 1), ("sanctions", "sanctions", 2, 2),
    ];
    assert_eq!(got, want);
    let counts = batch(&env, &[]);
    let only: Vec<(u64, u64)> = counts
        .iter()
        .map(|r| {
            let n = |k: &str| r[k].as_u64().unwrap();
            (n("only_passages"), n("only_articles"))
        })
        .collect();
    assert_eq!(only, [(0, 0), (1, 1), (1, 1)]);
    let text = env.ok(&["batch", "book.tsv", "--cooccurrence"], 0);
    assert!(text.contains("passages matched by both") && text.contains("articles matched by both"));
}

#[test]
fn hits_are_every_hit_of_every_label_in_order() {
    let env = attention_env();
    let hits = batch(&env, &["--hits"]);
    let mut want = Vec::new();
    for (label, q) in BOOK {
        for h in query(&env, q, &["--all"]) {
            want.push((
                label.to_string(),
                h["article_id"].clone(),
                h["passage"].clone(),
            ));
        }
    }
    let got: Vec<_> = hits
        .iter()
        .map(|h| {
            let label = h["label"].as_str().unwrap().to_string();
            (label, h["article_id"].clone(), h["passage"].clone())
        })
        .collect();
    assert_eq!(got, want);
    let csv = env.ok(&["batch", "book.tsv", "--hits", "--format", "csv"], 0);
    let mut lines = csv.lines();
    assert!(lines.next().unwrap().starts_with("label,rank,article_id,"));
    assert!(lines.next().unwrap().starts_with("oil,1,"));
}

#[test]
fn malformed_lines_are_all_reported_with_their_numbers_before_anything_runs() {
    let env = attention_env();
    env.write(
        "bad.tsv",
        "# comment\nok\toil\nno tab here\n\tempty label\nempty\t \nparen\t(oil\nfield\tnope:x\nok\tagain\n",
    );
    let out = env.run(&["batch", "bad.tsv", "--timeline", "month", "--plot", "p.svg"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert!(!env.dir.path().join("p.svg").exists());
    let err = stderr(&out);
    for (line, what) in [
        (3, "no tab"),
        (4, "empty label"),
        (5, "empty query"),
        (6, "never closed"),
        (7, "unknown field `nope`"),
        (8, "already used on line 2"),
    ] {
        let needle = format!("line {line}: ");
        let at = err
            .find(&needle)
            .unwrap_or_else(|| panic!("no {needle} in {err}"));
        assert!(
            err[at..].lines().next().unwrap().contains(what),
            "{line}: {err}"
        );
    }
    assert!(!err.contains("line 2: "), "{err}");
}

#[test]
fn plot_draws_one_line_per_label_with_a_legend() {
    let env = attention_env();
    env.ok(
        &[
            "batch",
            "book.tsv",
            "--timeline",
            "month",
            "--plot",
            "lines.svg",
        ],
        0,
    );
    let svg = std::fs::read_to_string(env.dir.path().join("lines.svg")).unwrap();
    for (label, _) in BOOK {
        // plotters writes each text element's content on a line of its own.
        let legend = svg.lines().any(|l| l.trim() == *label);
        assert!(legend, "no legend entry {label}");
    }
}

#[test]
fn the_answer_is_the_same_on_any_number_of_threads() {
    let env = attention_env();
    for mode in [
        &[][..],
        &["--timeline", "month", "--by", "mentions", "--normalize"],
        &["--cooccurrence"],
    ] {
        let run = |threads: &str| {
            let mut args = vec!["batch", "book.tsv", "--format", "csv", "-j", threads];
            args.extend(mode);
            env.ok(&args, 0)
        };
        let one = run("1");
        assert!(one.lines().count() > BOOK.len(), "{mode:?}: {one}");
        assert_eq!(one, run("3"), "{mode:?}");
    }
}
