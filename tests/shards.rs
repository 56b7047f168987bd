//! Shard sets: `ingest --shards N` builds a set whose answers equal those of one index of
//! the same corpus (hits, scores, counts, facets, timelines, groups, entities, stats);
//! `ingest --shard K/N` builds one shard; a set that is missing a shard, or an index
//! asked to become another shard, is refused.

mod util;

use std::path::Path;

use util::{Env, jsonl, path_str, repo};

/// A workspace with the near-duplicates fixture and the seed article under `c/`, ingested
/// as one index (`idx`) and as a set of `shards` shards (`set`).
fn built(shards: &str) -> Env {
    let env = Env::new();
    let root = repo().join("tests/data/copies");
    for path in walk(&root) {
        let rel = path.strip_prefix(&root).unwrap();
        env.write(
            &format!("c/{}", path_str(rel)),
            std::fs::read(&path).unwrap(),
        );
    }
    env.write("c/seed.md", std::fs::read(util::seed()).unwrap());
    env.ok(&["ingest", "c", "--quiet"], 0);
    let set = env.dir.path().join("set");
    gazette(
        &env,
        &["ingest", "c", "--quiet", "--shards", shards],
        &set,
        0,
    );
    env
}

fn walk(root: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(root).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out.sort();
    out
}

/// `gazette ARGS --index INDEX`, asserting the exit code; stdout.
fn gazette(env: &Env, args: &[&str], index: &Path, code: i32) -> String {
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
fn both(env: &Env, args: &[&str]) -> (String, String) {
    let one = gazette(env, args, &env.index(), 0);
    let other = std::fs::read_to_string(env.dir.path().join("other")).unwrap();
    let set = gazette(env, args, &env.dir.path().join(other.trim()), 0);
    (one, set)
}

const QUERIES: &[&str] = &[
    "strike",
    "reservoirs",
    "profit",
    "harbour OR water",
    "\"fourth quarter\"",
    "russia",
    "",
];

#[test]
fn a_shard_set_and_its_merge_answer_as_one_index_of_the_same_corpus() {
    let env = built("3");
    env.write("other", "set");
    same_answers(&env);
    let out = assert_cmd::Command::cargo_bin("gazette")
        .unwrap()
        .args(["merge", "set", "--index", "merged"])
        .current_dir(env.dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    env.write("other", "merged");
    same_answers(&env);
    // The merged index is an ordinary one: a re-ingest finds every file unchanged.
    let out = assert_cmd::Command::cargo_bin("gazette")
        .unwrap()
        .args(["ingest", "c", "--index", "merged"])
        .current_dir(env.dir.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("indexed 0 articles"), "{stderr}");
    // Merging into a folder that holds something is refused.
    let out = assert_cmd::Command::cargo_bin("gazette")
        .unwrap()
        .args(["merge", "set", "--index", "merged"])
        .current_dir(env.dir.path())
        .output()
        .unwrap();
    assert!(!out.status.success());
}

fn same_answers(env: &Env) {
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
fn hits(out: &str) -> Vec<(String, u64, f64, String, u64)> {
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

#[test]
fn a_set_without_one_of_its_shards_or_with_a_wrong_one_is_refused() {
    let env = built("2");
    let set = env.dir.path().join("set");
    let shard = |k: u32| set.join(format!("shard-{k:04}-of-0002"));
    // Re-running on an unchanged corpus changes nothing.
    let meta = |k| std::fs::read(shard(k).join("meta.json")).unwrap();
    let before = (meta(0), meta(1));
    gazette(&env, &["ingest", "c", "--quiet", "--shards", "2"], &set, 0);
    assert!(before == (meta(0), meta(1)), "a re-run rewrote a shard");

    // A set is not ingested into as if it were one index.
    let err = gazette(&env, &["ingest", "c", "--quiet"], &set, 2);
    assert!(err.is_empty());
    // A shard that is another shard, or a whole index, is not taken for one.
    let err = gazette(
        &env,
        &["ingest", "c", "--quiet", "--shard", "1/2"],
        &shard(0),
        2,
    );
    assert!(err.is_empty());
    let err = gazette(&env, &["ingest", "c", "--quiet"], &shard(0), 2);
    assert!(err.is_empty());
    std::fs::rename(shard(1), set.join("elsewhere")).unwrap();
    let out = assert_cmd::Command::cargo_bin("gazette")
        .unwrap()
        .args(["query", "oil", "--index"])
        .arg(&set)
        .output()
        .unwrap();
    assert_ne!(out.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("shard-0001-of-0002"), "{stderr}");
    // The shard folder back, under another shard's name: refused too.
    std::fs::rename(set.join("elsewhere"), shard(1)).unwrap();
    let manifest = std::fs::read_to_string(set.join("shards.json")).unwrap();
    let swapped = manifest
        .replace("shard-0000-of-0002", "TMP")
        .replace("shard-0001-of-0002", "shard-0000-of-0002")
        .replace("TMP", "shard-0001-of-0002");
    std::fs::write(set.join("shards.json"), swapped).unwrap();
    let out = assert_cmd::Command::cargo_bin("gazette")
        .unwrap()
        .args(["query", "oil", "--index"])
        .arg(&set)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_ne!(out.status.code(), Some(0));
    assert!(stderr.contains("was built as"), "{stderr}");
}
