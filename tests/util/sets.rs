//! The shard set tests' shared part (tests/shards.rs, tests/spark.rs): the
//! near-duplicates fixture as a corpus, and the comparison of a shard set's answers with
//! those of one index of the same corpus.

use std::path::Path;

use super::{Env, jsonl, path_str, repo, walk};

/// A workspace with the near-duplicates fixture and the seed article under `c/`.
pub fn copies_env() -> Env {
    let env = Env::new();
    let root = repo().join("tests/data/copies");
    for path in walk(&root) {
        let rel = path.strip_prefix(&root).unwrap();
        env.write(
            &format!("c/{}", path_str(rel)),
            std::fs::read(&path).unwrap(),
        );
    }
    env.write("c/seed.md", std::fs::read(super::seed()).unwrap());
    env
}

/// `gazette ARGS --index INDEX`, asserting the exit code; stdout.
pub fn gazette(env: &Env, args: &[&str], index: &Path, code: i32) -> String {
    let out = assert_cmd::Command::cargo_bin("gazette")
        .unwrap()
        .args(args)
        .arg("--index")
        .arg(index)
        .current_dir(env.dir.path())
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(code),
        "gazette {args:?} --index {}\n{}",
        index.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The same command on the index and on the other (the set, or the set merged).
pub fn both(env: &Env, args: &[&str]) -> (String, String) {
    let one = gazette(env, args, &env.index(), 0);
    let other = std::fs::read_to_string(env.dir.path().join("other")).unwrap();
    let set = gazette(env, args, &env.dir.path().join(other.trim()), 0);
    (one, set)
}

pub const QUERIES: &[&str] = &[
    "strike",
    "reservoirs",
    "profit",
    "harbour OR water",
    "\"fourth quarter\"",
    "russia",
    "",
];

/// Asserts that the shard set `set/` (3 shards), and the folder named in the file
/// `other` (the set, or the set merged), answer as the index `idx` does.
pub fn same_answers(env: &Env) {
    let set = env.dir.path().join("set");
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(set.join("shards.json")).unwrap()).unwrap();
    let shards = manifest["shards"].as_array().unwrap();
    assert_eq!(shards.len(), 3);
    let articles: u64 = shards.iter().map(|s| s["articles"].as_u64().unwrap()).sum();
    assert!(
        shards.iter().all(|s| s["articles"].as_u64().unwrap() > 0),
        "{manifest}"
    );

    // Every line of `stats` but where the index lives and how it is laid out.
    let (one, many) = both(env, &["stats"]);
    let keep = |s: &str| -> Vec<String> {
        s.lines()
            .filter(|l| {
                !["index:", "size:", "segments:"]
                    .iter()
                    .any(|p| l.starts_with(p))
            })
            .map(str::to_string)
            .collect()
    };
    assert_eq!(keep(&one), keep(&many));
    assert!(one.contains(&format!("articles:   {articles}")), "{one}");
    assert!(
        !one.contains("copies:     0 groups"),
        "the fixture has copies: {one}"
    );

    for q in QUERIES {
        let filter: &[&str] = if q.is_empty() {
            &["--since", "2025-03-04"]
        } else {
            &[]
        };
        let with = |extra: &[&str]| -> Vec<String> {
            let mut args = vec!["query", q];
            args.extend_from_slice(filter);
            args.extend_from_slice(extra);
            args.into_iter().map(str::to_string).collect()
        };
        let run = |extra: &[&str]| {
            let args = with(extra);
            both(env, &args.iter().map(String::as_str).collect::<Vec<_>>())
        };
        // Counts, with and without --dedup.
        for extra in [&["--count"][..], &["--count", "--dedup"]] {
            let (one, many) = run(extra);
            assert_eq!(one, many, "{q} {extra:?}");
        }
        // Ranked hits: same passages, same order, same groups, same scores to rounding.
        for extra in [
            &["--format", "jsonl", "-n", "50"][..],
            &["--all", "--format", "jsonl"],
        ] {
            let (one, many) = run(extra);
            let (one, many) = (hits(&one), hits(&many));
            assert_eq!(one.len(), many.len(), "{q} {extra:?}");
            for (a, b) in one.iter().zip(&many) {
                assert_eq!(
                    (&a.0, a.1, &a.3, a.4),
                    (&b.0, b.1, &b.3, b.4),
                    "{q} {extra:?}"
                );
                assert!(
                    (a.2 - b.2).abs() <= 1e-4 * a.2.abs().max(1.0),
                    "{q}: score {} against {}",
                    a.2,
                    b.2
                );
            }
        }
        // Facets and timelines: exact.
        let (one, many) = run(&["--facets", "--count", "--format", "json"]);
        assert_eq!(one, many, "{q} facets");
        let (one, many) = run(&["--timeline", "month", "--format", "csv"]);
        assert_eq!(one, many, "{q} timeline");
    }

    let (one, many) = both(env, &["entities", "--format", "jsonl"]);
    assert_eq!(one, many);
    let first = hits(&gazette(
        env,
        &["query", "reservoirs", "--format", "jsonl", "-n", "1"],
        &env.index(),
        0,
    ));
    let (one, many) = both(env, &["copies", &first[0].3, "--format", "jsonl"]);
    assert_eq!(one, many);
}

/// (article id, passage, score, group, copies) of each hit of a JSON lines answer.
pub fn hits(out: &str) -> Vec<(String, u64, f64, String, u64)> {
    jsonl(out)
        .into_iter()
        .filter(|h| h.get("article_id").is_some())
        .map(|h| {
            (
                h["article_id"].as_str().unwrap().to_string(),
                h["passage"].as_u64().unwrap(),
                h["score"].as_f64().unwrap(),
                h["group"].as_str().unwrap_or_default().to_string(),
                h["copies"].as_u64().unwrap_or(1),
            )
        })
        .collect()
}
