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
