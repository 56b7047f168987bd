//! Ingest of the fixture corpus (tests/data/corpus, see tests/data/FIXTURES.md): every
//! input format, broken files of each kind, and what queries then return.

mod util;

use serde_json::Value;
use util::{Env, jsonl, path_str, repo};

fn fixtures() -> std::path::PathBuf {
    repo().join("tests/data/corpus")
}

/// Ingests the fixture corpus; returns the env and the ingest's stderr.
fn ingested() -> (Env, String) {
    let env = Env::new();
    let errors = env.dir.path().join("errors.jsonl");
    let out = env.run(&[
        "ingest",
        path_str(&fixtures()),
        "--errors",
        path_str(&errors),
    ]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "some fixture files are broken: {}",
        util::stderr(&out)
    );
    assert!(out.stdout.is_empty(), "ingest writes nothing to stdout");
    (env, util::stderr(&out))
}

fn hits(env: &Env, args: &[&str]) -> Vec<Value> {
    let mut full = vec!["query"];
    full.extend_from_slice(args);
    full.extend_from_slice(&["--all", "--format", "jsonl"]);
    jsonl(&env.ok(&full, 0))
}

fn article_ids(hits: &[Value]) -> Vec<String> {
    let mut ids: Vec<String> = hits
        .iter()
        .map(|h| h["article_id"].as_str().unwrap().to_string())
        .collect();
    ids.sort();
    ids.dedup();
    ids
}

#[test]
fn broken_files_are_reported_by_name_and_reason_and_the_rest_goes_in() {
    let (env, stderr) = ingested();
    for (file, reason) in [
        ("broken/binary.txt", "binary file (contains NUL bytes)"),
        ("broken/empty.txt", "empty file"),
        ("broken/no-body.html", "no article body"),
        (
            "broken/truncated.json",
            "not valid JSON: EOF while parsing a string at line 3 column 75",
        ),
        (
            "broken/truncated.jsonl.gz",
            "truncated gzip stream; kept the 2 articles read before it",
        ),
        ("feeds/wire.jsonl:3", "invalid JSON"),
        (
            "legacy/liege-protest-cp1252.txt:1",
            "not valid UTF-8; decoded as Windows-1252",
        ),
    ] {
        let line = stderr
            .lines()
            .find(|l| l.contains(file))
            .unwrap_or_else(|| panic!("{file} not reported:\n{stderr}"));
        assert!(line.contains(reason), "{line}");
    }
    assert!(stderr.contains("not indexed: 5 files"), "{stderr}");
    assert!(
        stderr.contains("skipped: 1 files (documentation file)"),
        "{stderr}"
    );
    assert!(
        stderr.contains("skipped: 1 files (unsupported format)"),
        "{stderr}"
    );

    let errors = jsonl(&std::fs::read_to_string(env.dir.path().join("errors.jsonl")).unwrap());
    // The files that did not go in, then the record that did not (the broken line).
    let failed: Vec<String> = errors
        .iter()
        .filter(|e| e["kind"] == "error")
        .map(|e| {
            let name = e["path"].as_str().unwrap().rsplit('/').next().unwrap();
            match e["line"].as_u64() {
                Some(line) => format!("{name}:{line}"),
                None => name.to_string(),
            }
        })
        .collect();
    assert_eq!(
        failed,
        [
            "binary.txt",
            "empty.txt",
            "no-body.html",
            "truncated.json",
            "truncated.jsonl.gz",
            "wire.jsonl:3"
        ]
    );

    let stats: Value = serde_json::from_str(&env.ok(&["stats", "--format", "json"], 0)).unwrap();
    // 18 clean articles from 12 files, plus the 2 read before the truncated gzip's end,
    // held under that file's partial record.
    assert_eq!(stats["articles"], 20, "{stats}");
    assert_eq!(stats["files"], 13, "{stats}");
    assert_eq!(stats["complete"], true, "{stats}");
}

#[test]
fn quiet_prints_one_error_line_per_file_or_record_that_did_not_go_in_and_nothing_else() {
    let env = Env::new();
    let root = fixtures();
    let path = |rel: &str| root.join(rel).display().to_string();
    let expected = [
        format!(
            "gazette: error: {}: binary file (contains NUL bytes)",
            path("broken/binary.txt")
        ),
        format!("gazette: error: {}: empty file", path("broken/empty.txt")),
        format!(
            "gazette: error: {}: no article body: no article text in the page",
            path("broken/no-body.html")
        ),
        format!(
            "gazette: error: {}: not valid JSON: EOF while parsing a string at line 3 column 75",
            path("broken/truncated.json")
        ),
        format!(
            "gazette: error: {}: truncated gzip stream; kept the 2 articles read before it",
            path("broken/truncated.jsonl.gz")
        ),
        format!(
            "gazette: error: {}:3: invalid JSON: EOF while parsing a string at column 56",
            path("feeds/wire.jsonl")
        ),
    ];
    // Again: the files that failed, and the one only part of which went in, are read (and
    // reported) again; the file with a broken line went in and is unchanged.
    for (run, expected) in [&expected[..], &expected[..5]].into_iter().enumerate() {
        let out = env.run(&["ingest", path_str(&root), "--quiet"]);
        assert_eq!(out.status.code(), Some(1), "run {run}");
        assert!(out.stdout.is_empty());
        let stderr = util::stderr(&out);
        let mut lines: Vec<&str> = stderr.lines().collect();
        lines.sort();
        assert_eq!(lines, expected, "run {run}");
    }
}

#[test]
fn every_format_is_searchable_with_its_metadata() {
    let (env, _) = ingested();
    // .md with front matter (title from the heading), date in words.
    let h = &hits(&env, &["Riverside United"])[0];
    assert_eq!(h["article_id"], "corpus/2025/cup-final.md");
    assert_eq!(h["published"], "2025-10-12T00:00:00Z");
    // .txt with full front matter: own id, source, url.
    let h = &hits(
        &env,
        &["OPEC", "--source", "gazette wire", "--since", "2025-10-01"],
    )[0];
    assert_eq!(h["article_id"], "gw-2025-1015-opec");
    assert_eq!(h["source"], "Gazette Wire");
    assert!(h["url"].as_str().unwrap().starts_with("http"));
    // .txt without front matter: the first line is the title, no date.
    let rates = hits(&env, &["\"interest rates\"", "--until", "2030"]);
    assert!(
        !rates
            .iter()
            .any(|h| h["article_id"] == "corpus/2025/rates-decision.txt"),
        "undated"
    );
    let h = hits(&env, &["\"quarter point\""]);
    assert!(h.iter().any(|h| {
        h["title"]
            .as_str()
            .unwrap()
            .starts_with("Central bank raises interest rates")
    }));
    // gzip: a text file and JSON lines.
    let ids = article_ids(&hits(&env, &["\"oil prices\"", "--until", "2024-12-31"]));
    assert_eq!(ids, ["corpus/archive/oil-2024.txt.gz"]);
    assert!(
        article_ids(&hits(&env, &["\"interest rates\""]))
            .iter()
            .any(|i| *i == "arch-2024-001")
    );
    // .json object: numeric id, publisher, time zone converted to UTC.
    let h = &hits(&env, &["turnout", "--source", "Iberia Daily"])[0];
    assert_eq!(h["article_id"], "90210");
    assert_eq!(h["published"], "2025-11-02T20:15:00Z");
    // .json array: ids by position.
    let ids = article_ids(&hits(&env, &["mortgage", "--source", "harbour markets"]));
    assert_eq!(ids, ["corpus/feeds/markets.json#1"]);
    // .jsonl: the lines around the broken one went in, by their own ids or line numbers.
    let ids = article_ids(&hits(&env, &["recount"]));
    assert!(ids.iter().any(|i| *i == "wi-1103-recount"), "{ids:?}");
    // .ndjson.
    assert!(
        article_ids(&hits(&env, &["minutes"]))
            .iter()
            .any(|i| *i == "brief-001")
    );
    // HTML: main paragraphs only, not navigation, asides or footers.
    let h = &hits(&env, &["\"interest rates\"", "--source", "the ledger"])[0];
    assert_eq!(h["article_id"], "corpus/web/rates-analysis.html");
    assert_eq!(h["published"], "2025-10-17T06:45:00Z");
    env.ok(&["query", "rights reserved", "--count"], 1);
    env.ok(&["query", "\"read more\"", "--count"], 1);
    // .htm with JSON-LD.
    let h = hits(&env, &["coalition", "--source", "plaza press"]);
    assert!(
        article_ids(&h)
            .iter()
            .any(|i| *i == "corpus/web/election-night.htm"),
        "{h:?}"
    );
    // Windows-1252 text decoded, and searchable with accents.
    let h = &hits(&env, &["Liège"])[0];
    assert_eq!(h["title"], "Café owners in Liège protest energy bills");
    // Skipped files never reach the index.
    env.ok(&["query", "draft", "--count"], 1);
}

#[test]
fn ranked_hits_contain_the_query_and_formats_agree() {
    let (env, _) = ingested();
    let all = hits(&env, &["\"oil prices\""]);
    assert!(all.len() >= 5);
    for h in &all {
        let text = h["text"].as_str().unwrap().to_lowercase();
        assert!(text.contains("oil price"), "{text}");
    }
    let scores: Vec<f64> = all.iter().map(|h| h["score"].as_f64().unwrap()).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
    // A passage whose headline also matches outranks one whose headline does not.
    assert!(
        all[0]["title"]
            .as_str()
            .unwrap()
            .to_lowercase()
            .contains("oil prices")
    );

    let count: usize = env
        .ok(&["query", "\"oil prices\"", "--count"], 0)
        .trim()
        .parse()
        .unwrap();
    assert_eq!(count, all.len());
    let page = jsonl(&env.ok(
        &[
            "query",
            "\"oil prices\"",
            "--limit",
            "2",
            "--offset",
            "1",
            "--format",
            "jsonl",
        ],
        0,
    ));
    assert_eq!(page.len(), 2);
    assert_eq!(page[0]["text"], all[1]["text"]);

    let json: Value =
        serde_json::from_str(&env.ok(&["query", "\"oil prices\"", "--format", "json"], 0)).unwrap();
    assert_eq!(json["total"], count);
    assert_eq!(json["hits"][0], all[0]);

    let csv = env.ok(
        &["query", "\"oil prices\"", "--format", "csv", "--limit", "3"],
        0,
    );
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(&header[..3], ["rank", "article_id", "passage"]);
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 3);
    assert_eq!(&rows[0][11], all[0]["text"].as_str().unwrap());
    let tsv = env.ok(
        &["query", "\"oil prices\"", "--format", "tsv", "--limit", "1"],
        0,
    );
    assert_eq!(
        tsv.lines().next().unwrap().split('\t').count(),
        header.len()
    );

    let text = env.ok(
        &[
            "query",
            "\"oil prices\"",
            "--limit",
            "1",
            "--color",
            "never",
        ],
        0,
    );
    assert!(
        text.contains("[Oil] [prices]") || text.contains("[oil] [prices]"),
        "{text}"
    );

    let by_date = hits(&env, &["\"oil prices\"", "--sort", "date"]);
    let dates: Vec<&str> = by_date
        .iter()
        .filter_map(|h| h["published"].as_str())
        .collect();
    assert!(dates.windows(2).all(|w| w[0] >= w[1]), "{dates:?}");
}

#[test]
fn re_ingest_is_idempotent_and_follows_changes() {
    let env = Env::new();
    let corpus = env.dir.path().join("news");
    copy_dir(&fixtures(), &corpus);
    let ingest = |extra: &[&str]| {
        let mut args = vec!["ingest", path_str(&corpus), "--quiet"];
        args.extend_from_slice(extra);
        let _ = env.run(&args);
        let stats: Value =
            serde_json::from_str(&env.ok(&["stats", "--format", "json"], 0)).unwrap();
        (
            stats["articles"].as_u64().unwrap(),
            stats["passages"].as_u64().unwrap(),
        )
    };
    let first = ingest(&[]);
    assert_eq!(ingest(&[]), first, "same corpus, same index");
    // A changed file replaces its old passages.
    let opec = corpus.join("2025/opec-output-cut.txt");
    let text = std::fs::read_to_string(&opec)
        .unwrap()
        .replace("OPEC+", "The cartel");
    std::fs::write(&opec, text + "\n\nA closing paragraph about zebrafish.\n").unwrap();
    let changed = ingest(&[]);
    assert_eq!(changed.0, first.0);
    assert_eq!(changed.1, first.1 + 1);
    env.ok(&["query", "zebrafish", "--count"], 0);
    let left = env.ok(&["query", "\"OPEC+ agrees\"", "--count"], 1);
    assert_eq!(left.trim(), "0");
    // A vanished file stays until --prune.
    assert!(
        article_ids(&hits(&env, &["Riverside"]))
            .iter()
            .any(|i| *i == "news/2025/cup-final.md")
    );
    std::fs::remove_file(corpus.join("2025/cup-final.md")).unwrap();
    assert_eq!(ingest(&[]).0, first.0);
    let pruned = ingest(&["--prune"]);
    assert_eq!(pruned.0, first.0 - 1);
    let cup_final = |env: &Env| {
        article_ids(&hits(env, &["Riverside"]))
            .iter()
            .any(|i| *i == "news/2025/cup-final.md")
    };
    assert!(!cup_final(&env), "pruned");
    // --rebuild starts afresh and lands on the same counts.
    assert_eq!(ingest(&["--rebuild"]), pruned);
}

/// The segment ids of the committed index, from tantivy's meta.json, after checking that
/// the folder holds the files of these segments and no others (merged-away segments are
/// deleted).
fn segment_ids(env: &Env) -> Vec<String> {
    let meta: Value =
        serde_json::from_str(&std::fs::read_to_string(env.index().join("meta.json")).unwrap())
            .unwrap();
    let ids: Vec<String> = meta["segments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["segment_id"].as_str().unwrap().replace('-', ""))
        .collect();
    let mut stores: Vec<String> = std::fs::read_dir(env.index())
        .unwrap()
        .filter_map(|e| {
            let name = e.unwrap().file_name().to_string_lossy().into_owned();
            name.strip_suffix(".store").map(str::to_string)
        })
        .collect();
    stores.sort();
    let mut expected = ids.clone();
    expected.sort();
    assert_eq!(stores, expected, "segment files on disk");
    ids
}

#[test]
fn adding_a_few_articles_does_not_rewrite_a_large_index() {
    let env = Env::new();
    for i in 0..60 {
        env.write(
            &format!("c/a{i:02}.txt"),
            format!(
                "Story {i}\n\nThe council met on day {i}.\n\nIt voted on the budget.\n\n\
                 Residents were asked to comment.\n"
            ),
        );
    }
    env.ok(&["ingest", "c", "--quiet"], 0);
    let first = segment_ids(&env);
    assert_eq!(first.len(), 1, "a first ingest ends as one segment");
    // One new article: the large segment is kept as it is, the new one added beside it.
    env.write(
        "c/new1.txt",
        "Harbour news\n\nA heron nested on the pier.\n",
    );
    env.ok(&["ingest", "c", "--quiet"], 0);
    let second = segment_ids(&env);
    assert_eq!(second.len(), 2, "{second:?}");
    assert!(second.contains(&first[0]), "{first:?} -> {second:?}");
    // Another one: the small segments merge with each other, not with the large one.
    env.write("c/new2.txt", "Harbour news\n\nA heron left the pier.\n");
    env.ok(&["ingest", "c", "--quiet"], 0);
    let third = segment_ids(&env);
    assert_eq!(third.len(), 2, "{third:?}");
    assert!(third.contains(&first[0]), "{first:?} -> {third:?}");
    assert_eq!(env.ok(&["query", "heron", "--count"], 0).trim(), "2");
    assert_eq!(env.ok(&["query", "council", "--count"], 0).trim(), "60");
    // Changing most articles deletes most of the large segment: it is rewritten.
    for i in 0..40 {
        env.write(
            &format!("c/a{i:02}.txt"),
            format!("Story {i}\n\nRewritten.\n"),
        );
    }
    env.ok(&["ingest", "c", "--quiet"], 0);
    let fourth = segment_ids(&env);
    assert_eq!(fourth.len(), 1, "{fourth:?}");
    assert_eq!(env.ok(&["query", "council", "--count"], 0).trim(), "20");
}

#[test]
fn query_errors_and_empty_results_have_their_exit_codes() {
    let (env, _) = ingested();
    let out = env.run(&["query", "oil AND"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(util::stderr(&out).contains("`AND` needs something after it"));
    let out = env.run(&["query", "author:smith"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(util::stderr(&out).contains("unknown field `author`"));
    let out = env.run(&["query", ""]);
    assert_eq!(out.status.code(), Some(2));
    assert!(util::stderr(&out).contains("an empty query needs a filter"));
    let out = env.run(&["query", "oil", "--since", "last tuesday"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        env.ok(&["query", "xylophonist", "--format", "jsonl"], 1),
        ""
    );
    // Huge pages are fine.
    env.ok(
        &[
            "query",
            "oil",
            "--limit",
            "18446744073709551615",
            "--format",
            "jsonl",
        ],
        0,
    );
    env.ok(
        &[
            "query",
            "oil",
            "--offset",
            "18446744073709551615",
            "--format",
            "jsonl",
        ],
        0,
    );

    let missing = Env::new();
    let out = missing.run(&["query", "oil"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(util::stderr(&out).contains("run `gazette ingest` first"));
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let dest = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(entry.path(), &dest).unwrap();
        }
    }
}

#[test]
fn a_touched_file_with_the_same_bytes_is_not_read_again() {
    let env = Env::new();
    let file = env.write("c/a.txt", "Harbour\n\nThe harbour reopened on Tuesday.\n");
    env.ok(&["ingest", "c", "--quiet"], 0);
    let later = std::time::SystemTime::now() + std::time::Duration::from_secs(3600);
    std::fs::File::options()
        .write(true)
        .open(&file)
        .unwrap()
        .set_modified(later)
        .unwrap();
    let out = env.run(&["ingest", "c"]);
    let stderr = util::stderr(&out);
    assert!(
        stderr.contains("indexed 0 articles") && stderr.contains("unchanged: 1 files"),
        "{stderr}"
    );
    // And once more: the record now holds the new mtime, so not even a hash is needed.
    let out = env.run(&["ingest", "c"]);
    assert!(util::stderr(&out).contains("unchanged: 1 files"));
    assert_eq!(env.ok(&["query", "harbour", "--count"], 0).trim(), "1");
}

#[test]
fn a_long_answer_is_the_same_on_one_thread_or_several() {
    // 120 articles of four paragraphs, each naming the harbour a different number of times
    // among different words, so scores differ and an answer of more than 256 passages
    // is loaded on several threads.
    let filler = [
        "The council met on Tuesday to discuss the budget for the coming year.",
        "Fishermen said the new rules would cost them dearly in the winter.",
        "Tourists crowded the quay as the ferry arrived late in the afternoon.",
        "Officials promised a full inquiry into the collapse of the old pier.",
    ];
    let mut lines = String::new();
    for a in 0..120 {
        let body: Vec<String> = (0..4)
            .map(|p| {
                let mentions = "The harbour was busy. ".repeat(1 + (a * 7 + p * 3) % 5);
                let words = filler[(a + p) % 4].repeat(1 + (a + 2 * p) % 3);
                format!("{mentions}{words} Paragraph {p} of report {a}.")
            })
            .collect();
        let article = serde_json::json!({
            "id": format!("r{a}"),
            "title": format!("Report {a}"),
            "body": body.join("\n\n"),
        });
        lines.push_str(&format!("{article}\n"));
    }
    let env = Env::new();
    env.write("c/reports.jsonl", lines);
    env.ok(&["ingest", "c", "--quiet"], 0);
    let count: usize = env
        .ok(&["query", "harbour", "--count"], 0)
        .trim()
        .parse()
        .unwrap();
    assert!(count > 300, "{count} passages: too few to load in parallel");

    for (extra, format) in [
        (&["--all"][..], "jsonl"),
        (&["--all", "--sort", "date"][..], "csv"),
        (&["--limit", "290", "--offset", "5"][..], "json"),
    ] {
        let answer = |threads: &str| {
            let mut args = vec!["query", "harbour", "--format", format, "-j", threads];
            args.extend_from_slice(extra);
            let out = env.ok(&args, 0);
            // The one thing allowed to differ: when each ran (JSON's meta, to the second).
            match format {
                "json" => {
                    let mut v: Value = serde_json::from_str(&out).unwrap();
                    assert!(v["meta"]["ran_at"].is_string());
                    v["meta"]["ran_at"] = Value::Null;
                    v.to_string()
                }
                _ => out,
            }
        };
        let one = answer("1");
        for threads in ["2", "3"] {
            assert!(
                one == answer(threads),
                "{extra:?} --format {format}: -j {threads} differs from -j 1"
            );
        }
    }
    let hits = jsonl(&env.ok(
        &["query", "harbour", "--all", "--format", "jsonl", "-j", "3"],
        0,
    ));
    assert_eq!(hits.len(), count);
    let scores: Vec<f64> = hits.iter().map(|h| h["score"].as_f64().unwrap()).collect();
    assert!(
        scores.windows(2).all(|w| w[0] >= w[1]),
        "best first across chunks"
    );
    assert!(scores.first() > scores.last(), "scores differ");
    for hit in &hits {
        assert!(
            !hit["highlights"].as_array().unwrap().is_empty(),
            "every hit highlighted: {hit}"
        );
    }
}
