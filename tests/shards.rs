//! Shard sets: `ingest --shards N` builds a set whose answers equal those of one index of
//! the same corpus (hits, scores, counts, facets, timelines, groups, entities, stats);
//! `ingest --shard K/N` builds one shard; a set that is missing a shard, or an index
//! asked to become another shard, is refused.

mod util;

use util::Env;
use util::sets::{copies_env, gazette, same_answers};

/// A workspace with the near-duplicates fixture and the seed article under `c/`, ingested
/// as one index (`idx`) and as a set of `shards` shards (`set`).
fn built(shards: &str) -> Env {
    let env = copies_env();
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

/// `batch --partial K` counts shard K of a set alone, and `batch --merge` adds the shards'
/// parts up to the answer `batch` gives on the whole set and on one index: counts,
/// co-occurrence and timelines (by publication and by mention, normalised, with
/// `--dedup`, whose groups cross shards).
#[test]
fn a_codebook_counted_shard_by_shard_adds_up_to_the_whole_answer() {
    let env = built("3");
    env.write(
        "book.tsv",
        "strike\tstrike\nwater\treservoirs OR water\nprofit\tprofit\nrussia\trussia\n",
    );
    let set = env.dir.path().join("set");
    let variants: &[&[&str]] = &[
        &[],
        &["--dedup"],
        &["--cooccurrence"],
        &["--timeline", "month"],
        &["--timeline", "month", "--by", "mentions"],
        &["--timeline", "month", "--normalize"],
        &["--timeline", "week", "--dedup"],
    ];
    for extra in variants {
        let with = |more: &[&str]| -> Vec<String> {
            let mut args = vec!["batch", "book.tsv", "--format", "csv"];
            args.extend_from_slice(extra);
            args.extend_from_slice(more);
            args.into_iter().map(String::from).collect()
        };
        let run = |more: &[&str], index: &std::path::Path| {
            let args = with(more);
            gazette(
                &env,
                &args.iter().map(String::as_str).collect::<Vec<_>>(),
                index,
                0,
            )
        };
        let one = run(&[], &env.index());
        let whole = run(&[], &set);
        assert_eq!(one, whole, "{extra:?}");
        let mut files = Vec::new();
        let mut parts = Vec::new();
        for k in 0..3 {
            let part = run(&["--partial", &k.to_string()], &set);
            let file = format!("part-{k}.json");
            env.write(&file, &part);
            parts.push(part);
            files.push(file);
        }
        assert!(
            parts[0] != parts[1] && parts[1] != parts[2],
            "{extra:?}: {parts:?}"
        );
        let mut merge = vec!["--merge"];
        merge.extend(files.iter().map(String::as_str));
        assert_eq!(run(&merge, &set), whole, "{extra:?} merged");
    }
    // A part of another answer, or of another shard count, is refused.
    let counts = gazette(&env, &["batch", "book.tsv", "--partial", "0"], &set, 0);
    env.write("counts.json", &counts);
    let out = env.run(&[
        "batch",
        "book.tsv",
        "--cooccurrence",
        "--merge",
        "counts.json",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let out = env.run(&["batch", "book.tsv", "--partial", "0"]);
    assert_eq!(out.status.code(), Some(2), "an index is no shard set");
}

/// `--partition-by month`: each publication month's articles (and the undated ones) are
/// in one shard, the shards record it, and the set answers as one index of the corpus;
/// a shard by month is not rebuilt by id, nor a shard by id by month.
#[test]
fn a_set_partitioned_by_month_keeps_each_month_in_one_shard_and_answers_as_one_index() {
    let env = Env::new();
    // Articles of 16 months (2 undated) in every format, broken files among them.
    for fixture in ["corpus", "attention"] {
        let root = util::repo().join("tests/data").join(fixture);
        for path in util::walk(&root) {
            let rel = path.strip_prefix(&root).unwrap();
            let to = format!("c/{fixture}/{}", util::path_str(rel));
            env.write(&to, std::fs::read(&path).unwrap());
        }
    }
    env.ok(&["ingest", "c", "--quiet"], 1);
    let set = env.dir.path().join("set");
    let by_month = ["ingest", "c", "--quiet", "--shards", "3"];
    let by_month = [&by_month[..], &["--partition-by", "month"]].concat();
    gazette(&env, &by_month, &set, 1);
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(set.join("shards.json")).unwrap()).unwrap();
    let shard = |k: usize| set.join(format!("shard-{k:04}-of-0003"));
    let mut month_of_shard = std::collections::BTreeMap::new();
    let mut undated_in = Vec::new();
    for k in 0..3 {
        assert_eq!(manifest["shards"][k]["shard"], format!("{k}/3 by month"));
        assert!(manifest["shards"][k]["articles"].as_u64().unwrap() > 0);
        let dated = gazette(
            &env,
            &[
                "query",
                "",
                "--since",
                "1900-01-01",
                "--all",
                "--format",
                "jsonl",
            ],
            &shard(k),
            0,
        );
        for hit in util::jsonl(&dated) {
            let month = hit["published"].as_str().unwrap()[..7].to_string();
            let first = *month_of_shard.entry(month.clone()).or_insert(k);
            assert_eq!(first, k, "{month} is in shards {first} and {k}");
        }
        let stats: serde_json::Value =
            serde_json::from_str(&gazette(&env, &["stats", "--format", "json"], &shard(k), 0))
                .unwrap();
        if stats["date_origins"].get("unknown").is_some() {
            undated_in.push(k);
        }
    }
    assert!(month_of_shard.len() >= 10, "{month_of_shard:?}");
    assert_eq!(undated_in.len(), 1, "the undated articles are in one shard");

    // The set answers as the one index does.
    env.write("other", "set");
    let (one, many) = util::sets::both(&env, &["stats", "--format", "json"]);
    let stats = |s: &str| {
        let mut v: serde_json::Value = serde_json::from_str(s).unwrap();
        for layout in ["index_bytes", "segments"] {
            v.as_object_mut().unwrap().remove(layout);
        }
        v
    };
    assert_eq!(stats(&one), stats(&many));
    for args in [
        &[
            "query",
            "rates OR bank OR talks",
            "--all",
            "--format",
            "jsonl",
        ][..],
        &[
            "query",
            "rates OR bank",
            "--timeline",
            "month",
            "--format",
            "csv",
        ],
        &["query", "", "--since", "1900-01-01", "--facets", "--count"],
        &["entities", "--format", "jsonl"],
    ] {
        let (one, many) = util::sets::both(&env, args);
        assert_eq!(one, many, "{args:?}");
    }

    // A shard built alone by month is the shard the set holds; one by id is another.
    let alone = env.dir.path().join("alone");
    let one_shard = ["ingest", "c", "--quiet", "--shard", "1/3"];
    gazette(
        &env,
        &[&one_shard[..], &["--partition-by", "month"]].concat(),
        &alone,
        1,
    );
    let count = |index: &std::path::Path| gazette(&env, &["stats", "--format", "json"], index, 0);
    assert_eq!(stats(&count(&alone)), stats(&count(&shard(1))));
    let err = gazette(&env, &one_shard, &shard(1), 2);
    assert!(err.is_empty());
    // A re-run keeps the set (it re-reads the broken files only, as any ingest does);
    // the same set by id is refused without --rebuild.
    let before = stats(&count(&set));
    gazette(&env, &by_month, &set, 1);
    assert_eq!(stats(&count(&set)), before);
    gazette(&env, &["ingest", "c", "--quiet", "--shards", "3"], &set, 2);
    let out = env.run(&["ingest", "c", "--partition-by", "month"]);
    assert_eq!(out.status.code(), Some(2), "--partition-by without shards");
}
