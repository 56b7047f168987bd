//! Near-duplicate groups on the `tests/data/copies` fixture (see FIXTURES.md): the groups,
//! `group`/`copies` on hits, `--dedup` counts against hand counts, `gazette copies` in
//! every format, `stats`, and that grouping follows the committed articles whatever the
//! threads, the file order or later changes.

mod util;

use util::{Env, count, jsonl, path_str, repo, walk};

/// A new workspace with the fixture corpus copied under `c/`, paths mapped by `rename`.
fn corpus_env(rename: &dyn Fn(&str) -> String) -> Env {
    let env = Env::new();
    let root = repo().join("tests/data/copies");
    for entry in walk(&root) {
        let rel = entry.strip_prefix(&root).unwrap();
        let rel = rename(path_str(rel));
        env.write(&format!("c/{rel}"), std::fs::read(&entry).unwrap());
    }
    env
}

fn ingested(threads: &str) -> Env {
    let env = corpus_env(&|p| p.to_string());
    env.ok(&["ingest", "c", "--quiet", "-j", threads], 0);
    env
}

/// Every hit's (article, group, copies) of `query`, sorted and deduplicated.
fn hit_groups(env: &Env, query: &str, extra: &[&str]) -> Vec<(String, String, u64)> {
    let mut args = vec!["query", query, "--all", "-f", "jsonl"];
    args.extend(extra);
    let out = env.run(&args);
    assert!(out.status.code().unwrap() <= 1, "{}", util::stderr(&out));
    let mut rows: Vec<(String, String, u64)> = jsonl(&String::from_utf8(out.stdout).unwrap())
        .iter()
        .map(|h| {
            (
                h["article_id"].as_str().unwrap().to_string(),
                h["group"].as_str().unwrap().to_string(),
                h["copies"].as_u64().unwrap(),
            )
        })
        .collect();
    rows.sort();
    rows.dedup();
    rows
}

/// The group of every article in the index (every article has a passage with "the").
fn all_groups(env: &Env) -> Vec<(String, String, u64)> {
    hit_groups(env, "", &["--since", "2000"])
}

fn row(a: &str, g: &str, n: u64) -> (String, String, u64) {
    (a.into(), g.into(), n)
}

/// The hand-made answer: the port strike three times (wire first), the drought twice
/// (same day: the smaller id first), everything else alone.
fn expected() -> Vec<(String, String, u64)> {
    vec![
        row("earn-1", "earn-1", 1),
        row("earn-2", "earn-2", 1),
        row("earn-3", "earn-3", 1),
        row("herald-77", "wire-a1", 3),
        row("morning-12", "morning-12", 2),
        row("post-5521", "wire-a1", 3),
        row("wire-a1", "wire-a1", 3),
        row("wire-b1", "morning-12", 2),
        row("wire-c1", "wire-c1", 1),
    ]
}

#[test]
fn copies_group_and_template_reports_do_not() {
    let env = ingested("2");
    assert_eq!(all_groups(&env), expected());
    // Hand counts: "dockers" is in 2 passages of each of the 3 copies (the trimmed one
    // lost a paragraph without it), "reservoirs" in 3 of each of 2, "net profit" in one
    // passage of each of 3 different reports.
    assert_eq!(count(&env, "dockers", &[]), 6);
    assert_eq!(count(&env, "dockers", &["--dedup"]), 2);
    assert_eq!(count(&env, "reservoirs", &[]), 6);
    assert_eq!(count(&env, "reservoirs", &["--dedup"]), 3);
    assert_eq!(count(&env, "\"net profit\"", &["--dedup"]), 3);
    // Every hit under --dedup belongs to a group's first article.
    let dedup = hit_groups(&env, "dockers OR reservoirs", &["--dedup"]);
    assert_eq!(
        dedup,
        vec![
            row("morning-12", "morning-12", 2),
            row("wire-a1", "wire-a1", 3)
        ]
    );
    let stats: serde_json::Value =
        serde_json::from_str(&env.ok(&["stats", "-f", "json"], 0)).unwrap();
    assert_eq!(stats["articles"], 9);
    assert_eq!(stats["groups"], 2);
    assert_eq!(stats["articles_in_groups"], 5);
}

#[test]
fn dedup_counts_agree_across_all_facets_and_timelines() {
    let env = ingested("1");
    let all = env.ok(&["query", "dockers", "--all", "--dedup", "-f", "jsonl"], 0);
    assert_eq!(jsonl(&all).len(), 2);
    // Timelines: March 4 held only the later copies.
    let timeline = |extra: &[&str]| {
        let mut args = vec!["query", "dockers", "--timeline", "day", "-f", "csv"];
        args.extend(extra);
        env.ok(&args, 0)
    };
    assert_eq!(
        timeline(&[]),
        "bucket,start,end,passages,articles\n\
         2025-03-03,2025-03-03,2025-03-03,2,1\n\
         2025-03-04,2025-03-04,2025-03-04,4,2\n"
    );
    assert_eq!(
        timeline(&["--dedup"]),
        "bucket,start,end,passages,articles\n2025-03-03,2025-03-03,2025-03-03,2,1\n"
    );
    // Normalised, the totals count each story once too: March 4 held only later
    // copies, so it has no data; March 3 holds the 5 passages of the first article.
    let normalized = timeline(&["--dedup", "--normalize"]);
    let rows: Vec<&str> = normalized.lines().collect();
    assert_eq!(
        rows[0],
        "bucket,start,end,passages,articles,total_passages,total_articles,share"
    );
    assert_eq!(rows[1], "2025-03-03,2025-03-03,2025-03-03,2,1,5,1,0.4");
    assert_eq!(rows[2], "2025-03-04,2025-03-04,2025-03-04,0,0,0,0,");
    // Facets count the first article's passages only: the same as asking for that
    // article alone.
    let facets = |query: &str, extra: &[&str]| -> serde_json::Value {
        let mut args = vec!["query", query, "--facets", "-f", "json"];
        args.extend(extra);
        let v: serde_json::Value = serde_json::from_str(&env.ok(&args, 0)).unwrap();
        v["facets"].clone()
    };
    let dedup = facets("dockers", &["--dedup"]);
    assert_eq!(dedup, facets("dockers AND article_id:wire-a1", &[]));
    assert_ne!(dedup, facets("dockers", &[]));
}

#[test]
fn copies_lists_a_group_in_every_format() {
    let env = ingested("2");
    for id in ["wire-a1", "post-5521"] {
        let v: serde_json::Value =
            serde_json::from_str(&env.ok(&["copies", id, "-f", "json"], 0)).unwrap();
        assert_eq!(v["group"], "wire-a1");
        assert_eq!(v["articles"], 3);
        assert_eq!(v["meta"]["command"], "copies");
        assert_eq!(v["meta"]["options"]["article_id"], id);
        let rows = v["copies"].as_array().unwrap();
        let ids: Vec<&str> = rows
            .iter()
            .map(|r| r["article_id"].as_str().unwrap())
            .collect();
        assert_eq!(ids, ["wire-a1", "herald-77", "post-5521"]);
        assert_eq!(rows[0]["similarity"], 1.0);
        assert_eq!(rows[1]["source"], "Coast Herald");
        assert_eq!(rows[2]["published"], "2025-03-04T09:00:00Z");
        assert!(
            rows[2]["path"]
                .as_str()
                .unwrap()
                .ends_with("feeds/daily.jsonl")
        );
        let s = rows[2]["similarity"].as_f64().unwrap();
        assert!((0.8..1.0).contains(&s), "the trimmed copy: {s}");
    }
    let csv = env.ok(&["copies", "wire-b1", "-f", "csv"], 0);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "article_id,group,source,published,path,similarity"
    );
    assert!(lines[1].starts_with("morning-12,morning-12,Morning Star,2025-03-05T00:00:00Z,"));
    assert!(lines[2].starts_with("wire-b1,morning-12,Global Wire,"));
    assert_eq!(lines.len(), 3);
    let tsv = env.ok(&["copies", "morning-12", "-f", "tsv"], 0);
    assert_eq!(tsv.lines().count(), 3);
    assert!(
        tsv.lines()
            .nth(1)
            .unwrap()
            .starts_with("morning-12\tmorning-12\t")
    );
    let lines = jsonl(&env.ok(&["copies", "wire-b1", "-f", "jsonl"], 0));
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[1]["group"], "morning-12");
    let text = env.ok(&["copies", "wire-a1"], 0);
    assert!(text.starts_with("group wire-a1: 3 articles"), "{text}");
    // An article without copies is a group of one; an unknown id is an empty answer.
    let alone = jsonl(&env.ok(&["copies", "earn-2", "-f", "jsonl"], 0));
    assert_eq!(alone.len(), 1);
    assert_eq!(alone[0]["group"], "earn-2");
    env.ok(&["copies", "no-such-article"], 1);
    // Hits carry the group in CSV too.
    let csv = env.ok(&["query", "dockers", "-f", "csv", "-n", "1"], 0);
    let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    let at = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let first: Vec<String> = csv::ReaderBuilder::new()
        .from_reader(csv.as_bytes())
        .records()
        .next()
        .unwrap()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    assert_eq!(first[at("group")], "wire-a1");
    assert_eq!(first[at("copies")], "3");
}

#[test]
fn groups_do_not_depend_on_threads_or_file_order() {
    let one = ingested("1");
    // Folders renamed so the walk meets the files in another order (ids are in the files).
    let reordered = corpus_env(&|p| {
        p.replace("wire/", "z-wire/")
            .replace("feeds/", "a-feeds/")
            .replace("papers/", "m-papers/")
    });
    reordered.ok(&["ingest", "c", "--quiet", "-j", "2"], 0);
    assert_eq!(all_groups(&one), expected());
    assert_eq!(all_groups(&reordered), expected());
    // The cached tables (after their fingerprint line) are the same bytes.
    let table = |env: &Env| {
        let bytes = std::fs::read(env.index().join("groups.bin")).unwrap();
        let line = bytes.iter().position(|&b| b == b'\n').unwrap();
        bytes[line + 1..].to_vec()
    };
    assert_eq!(table(&one), table(&reordered));
    let listing = |env: &Env| env.ok(&["copies", "--all", "-f", "jsonl"], 0);
    let (a, b) = (listing(&one), listing(&reordered));
    let ids = |s: &str| -> Vec<(String, String)> {
        jsonl(s)
            .iter()
            .map(|r| (r["group"].to_string(), r["article_id"].to_string()))
            .collect()
    };
    assert_eq!(ids(&a), ids(&b));
    assert_eq!(ids(&a).len(), 5);
}

#[test]
fn a_later_copy_joins_and_a_changed_or_pruned_one_leaves() {
    let env = ingested("2");
    let late = std::fs::read(repo().join("tests/data/copies-late/weekly.txt")).unwrap();
    env.write("c/late/weekly.txt", &late);
    env.ok(&["ingest", "c", "--quiet"], 0);
    // Published earlier than both: it becomes the drought group's first article.
    let mut want = expected();
    for r in want.iter_mut().filter(|r| r.1 == "morning-12") {
        *r = row(&r.0, "weekly-3", 3);
    }
    want.push(row("weekly-3", "weekly-3", 3));
    want.sort();
    assert_eq!(all_groups(&env), want);
    assert_eq!(count(&env, "reservoirs", &["--dedup"]), 2);

    // Rewritten as another story, it leaves the group.
    let text = String::from_utf8(late).unwrap();
    let body_at = text.find("By Staff").unwrap();
    let other = format!(
        "{}A new bridge over the Drava opened to traffic on Friday, two years late and forty \
         percent over budget, after a ceremony attended by the regional governor and several \
         hundred residents who had campaigned for it since the ferry closed in 2019.\n",
        &text[..body_at]
    );
    // A different size, so the file is read again whatever the clock's resolution.
    env.write("c/late/weekly.txt", other);
    env.ok(&["ingest", "c", "--quiet"], 0);
    let mut want = expected();
    want.push(row("weekly-3", "weekly-3", 1));
    want.sort();
    assert_eq!(all_groups(&env), want);

    // Back as a copy, then pruned: the group is as it was.
    env.write("c/late/weekly.txt", &text);
    env.ok(&["ingest", "c", "--quiet"], 0);
    assert_eq!(
        all_groups(&env)
            .iter()
            .filter(|r| r.1 == "weekly-3")
            .count(),
        3
    );
    std::fs::remove_file(env.dir.path().join("c/late/weekly.txt")).unwrap();
    env.ok(&["ingest", "c", "--quiet", "--prune"], 0);
    assert_eq!(all_groups(&env), expected());
}

#[test]
fn an_ingest_leaves_the_groups_of_its_merged_commit_cached() {
    // The groups are computed beside the final merge, from the commit before it: they
    // must be cached under the merged commit, or every query would compute them again.
    let env = ingested("2");
    let cache = env.index().join("groups.bin");
    let fingerprint = |bytes: &[u8]| bytes.split(|&b| b == b'\n').next().unwrap().to_vec();
    let first = std::fs::read(&cache).unwrap();
    env.write(
        "c/late/weekly.txt",
        std::fs::read(repo().join("tests/data/copies-late/weekly.txt")).unwrap(),
    );
    env.ok(&["ingest", "c", "--quiet"], 0);
    let cached = std::fs::read(&cache).unwrap();
    assert_ne!(fingerprint(&first), fingerprint(&cached), "a new commit");
    assert!(all_groups(&env).contains(&row("weekly-3", "weekly-3", 3)));
    assert_eq!(count(&env, "reservoirs", &["--dedup"]), 2);
    assert_eq!(
        std::fs::read(&cache).unwrap(),
        cached,
        "the queries found the cache current"
    );
}

#[test]
fn a_missing_or_stale_cache_is_recomputed_from_the_committed_articles() {
    let env = ingested("2");
    let cache = env.index().join("groups.bin");
    std::fs::remove_file(&cache).unwrap();
    assert_eq!(all_groups(&env), expected());
    assert!(cache.is_file(), "the query wrote the cache again");
    // The cache of an earlier commit (as a kill -9 between a commit and the end of an
    // ingest leaves it) is not believed: a new copy is in its group all the same.
    let old = std::fs::read(&cache).unwrap();
    env.write(
        "c/late/weekly.txt",
        std::fs::read(repo().join("tests/data/copies-late/weekly.txt")).unwrap(),
    );
    env.ok(&["ingest", "c", "--quiet"], 0);
    std::fs::write(&cache, &old).unwrap();
    assert_eq!(count(&env, "reservoirs", &["--dedup"]), 2);
    assert!(all_groups(&env).contains(&row("weekly-3", "weekly-3", 3)));
    // Nor is a file that is not a table.
    std::fs::write(&cache, "garbage").unwrap();
    assert!(all_groups(&env).contains(&row("wire-b1", "weekly-3", 3)));
}

#[test]
fn batch_dedup_counts_equal_the_hand_counts() {
    let env = ingested("2");
    env.write("book.tsv", "strike\tdockers\nwater\treservoirs\n");
    let counts = |extra: &[&str]| -> Vec<(String, u64, u64)> {
        let mut args = vec!["batch", "book.tsv", "-f", "jsonl"];
        args.extend(extra);
        jsonl(&env.ok(&args, 0))
            .iter()
            .map(|l| {
                (
                    l["label"].as_str().unwrap().to_string(),
                    l["passages"].as_u64().unwrap(),
                    l["articles"].as_u64().unwrap(),
                )
            })
            .collect()
    };
    assert_eq!(
        counts(&[]),
        [("strike".into(), 6, 3), ("water".into(), 6, 2)]
    );
    assert_eq!(
        counts(&["--dedup"]),
        [("strike".into(), 2, 1), ("water".into(), 3, 1)]
    );
}

/// `gazette groups`'s three steps, run as the Spark job runs them (pairs by shared band
/// key, components by union-find), give the index's groups byte for byte.
#[test]
fn the_steps_of_gazette_groups_give_the_groups_an_ingest_computes() {
    use std::collections::BTreeMap;
    use std::io::Write;
    use std::process::{Command, Stdio};

    let env = ingested("2");
    let groups_file = env.index().join("groups.bin");
    let listed = env.ok(&["copies", "--all", "-f", "jsonl"], 0);
    let computed = std::fs::read(&groups_file).unwrap();

    let index = util::path_str(&env.index()).to_string();
    let articles = jsonl(&env.ok(&["groups", "--sketches", "--index", &index], 0));
    assert_eq!(articles.len(), 9, "{articles:?}");
    let piped = |args: &[&str], input: String| -> String {
        let mut child = Command::new(env!("CARGO_BIN_EXE_gazette"))
            .args(args)
            .current_dir(env.dir.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "gazette {args:?}");
        String::from_utf8(out.stdout).unwrap()
    };
    let mut pairs = String::new();
    for (i, a) in articles.iter().enumerate() {
        for b in &articles[i + 1..] {
            let (x, y) = (
                a["bands"].as_array().unwrap(),
                b["bands"].as_array().unwrap(),
            );
            if x.iter().zip(y).any(|(p, q)| p == q) {
                pairs += &format!("{}\n", serde_json::json!({"a": a, "b": b}));
            }
        }
    }
    let copies = jsonl(&piped(&["groups", "--decide"], pairs));
    assert!(!copies.is_empty());

    // Union-find over the copies, smallest id as the root.
    let mut parent: BTreeMap<String, String> = BTreeMap::new();
    fn find(parent: &mut BTreeMap<String, String>, x: &str) -> String {
        let p = parent.entry(x.into()).or_insert_with(|| x.into()).clone();
        if p == x { p } else { find(parent, &p) }
    }
    for e in &copies {
        let (a, b) = (
            find(&mut parent, e["a"].as_str().unwrap()),
            find(&mut parent, e["b"].as_str().unwrap()),
        );
        let (keep, join) = if a < b { (a, b) } else { (b, a) };
        parent.insert(join, keep);
    }
    let mut components: BTreeMap<String, Vec<&serde_json::Value>> = BTreeMap::new();
    for a in &articles {
        let id = a["id"].as_str().unwrap();
        if parent.contains_key(id) {
            let root = find(&mut parent, id);
            components.entry(root).or_default().push(a);
        }
    }
    let lines: String = components
        .values()
        .map(|c| format!("{}\n", serde_json::json!(c)))
        .collect();
    std::fs::remove_file(&groups_file).unwrap();
    piped(&["groups", "--import", "--index", &index], lines);
    assert!(
        std::fs::read(&groups_file).unwrap() == computed,
        "the groups differ"
    );
    assert_eq!(env.ok(&["copies", "--all", "-f", "jsonl"], 0), listed);
}
