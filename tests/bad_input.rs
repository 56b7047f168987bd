//! Messy corpora: every kind of bad file gets a clear message (file, line, reason), is
//! counted in the summary and the exit status, and never keeps the good articles beside
//! it out of the index.

mod util;

use serde_json::Value;
use util::Env;

const GOOD: &str = "---\ntitle: Harbour reopens\ndate: 2025-03-04\n---\n\
    The harbour at Northgate reopened to ferries on Tuesday after repairs.\n";

/// Ingests a corpus of one good article plus `files`; returns (exit code, stderr, env).
fn ingest_with(files: &[(&str, &[u8])]) -> (i32, String, Env) {
    let env = Env::new();
    env.write("corpus/good.md", GOOD);
    for (name, bytes) in files {
        env.write(&format!("corpus/{name}"), bytes);
    }
    let out = env.run(&["ingest", "corpus"]);
    let code = out.status.code().unwrap();
    let stderr = util::stderr(&out);
    assert!(!stderr.contains("panicked"), "{stderr}");
    // The good article always goes in.
    let hits = env.ok(&["query", "harbour ferries", "--count"], 0);
    assert_eq!(hits.trim(), "1", "{stderr}");
    (code, stderr, env)
}

fn assert_reported(stderr: &str, file: &str, reason: &str) {
    let line = stderr
        .lines()
        .find(|l| l.contains(file))
        .unwrap_or_else(|| panic!("{file} not reported:\n{stderr}"));
    assert!(line.contains(reason), "expected `{reason}` in: {line}");
}

fn articles(env: &Env) -> u64 {
    let stats: Value = serde_json::from_str(&env.ok(&["stats", "--format", "json"], 0)).unwrap();
    stats["articles"].as_u64().unwrap()
}

#[test]
fn binary_empty_and_blank_files_are_not_indexed_and_make_exit_1() {
    let (code, stderr, env) = ingest_with(&[
        ("nul.txt", b"PK\x03\x04\x00\x00binary\x00stuff"),
        ("empty.txt", b""),
        ("blank.md", b"  \n\n\t \n"),
    ]);
    assert_eq!(code, 1);
    assert_reported(&stderr, "nul.txt", "binary file (contains NUL bytes)");
    assert_reported(&stderr, "empty.txt", "empty file");
    assert_reported(&stderr, "blank.md", "empty file");
    assert!(stderr.contains("not indexed: 3 files"), "{stderr}");
    assert_eq!(articles(&env), 1);
}

#[test]
fn other_encodings_are_decoded_with_a_warning_and_go_in() {
    let mut utf16 = vec![0xFF, 0xFE];
    for unit in "Café society\n\nThe Liège café reopened.\n".encode_utf16() {
        utf16.extend_from_slice(&unit.to_le_bytes());
    }
    let (code, stderr, env) = ingest_with(&[
        (
            "latin1.txt",
            b"Pr\xeat \xe0 porter\n\nThe caf\xe9 in Li\xe8ge raised prices by \xa35.\n",
        ),
        ("utf16.txt", &utf16),
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert_reported(
        &stderr,
        "latin1.txt",
        "not valid UTF-8; decoded as Windows-1252",
    );
    assert_eq!(env.ok(&["query", "Liège café", "--count"], 0).trim(), "2");
    assert_eq!(articles(&env), 3);
}

#[test]
fn malformed_json_loses_only_what_is_broken() {
    let jsonl = b"{\"title\": \"One\", \"body\": \"First market report.\"}\n\
        {\"title\": \"Two\", \"body\": \"broken\n\
        {\"title\": \"Three\", \"body\": \"Third market report.\"}\n";
    let nested = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let (code, stderr, env) = ingest_with(&[
        ("feed.jsonl", jsonl),
        ("cut.json", b"{\"title\": \"Cut\", \"body\": \"Half a rep"),
        ("types.json", b"[{\"title\": 42, \"body\": [\"Para one on tariffs.\", \"Para two.\"]}, {\"title\": \"x\", \"body\": 7}]"),
        ("nested.json", nested.as_bytes()),
    ]);
    assert_eq!(code, 1);
    assert_reported(&stderr, "feed.jsonl:2", "invalid JSON");
    assert_reported(&stderr, "cut.json", "not valid JSON: EOF while parsing");
    assert_reported(&stderr, "nested.json", "recursion limit exceeded");
    assert!(stderr.contains("not indexed: 2 files"), "{stderr}");
    assert!(
        stderr.contains("not indexed: 1 records inside files"),
        "{stderr}"
    );
    // Lines 1 and 3 of the feed, and the array entry with a number as title and an
    // array as body.
    assert_eq!(
        env.ok(&["query", "\"market report\"", "--count"], 0).trim(),
        "2"
    );
    let out = env.ok(&["query", "tariffs", "--format", "jsonl"], 0);
    let hit: Value = serde_json::from_str(out.lines().next().unwrap()).unwrap();
    assert_eq!(hit["title"], "42");
}

#[test]
fn truncated_gzip_html_without_body_and_unclosed_front_matter() {
    let mut gz = Vec::new();
    {
        use std::io::Write;
        let mut enc = flate2::write::GzEncoder::new(&mut gz, flate2::Compression::default());
        enc.write_all(b"Flood warning\n\nRivers rose across the valley overnight.\n")
            .unwrap();
        enc.finish().unwrap();
    }
    let truncated = &gz[..gz.len() - 12];
    let (code, stderr, env) = ingest_with(&[
        ("flood.txt.gz", truncated),
        (
            "menu.html",
            b"<html><body><nav><p>Home</p></nav><div>x</div></body></html>",
        ),
        (
            "open.md",
            b"---\ntitle: Never closed\ndate: 2025-01-01\n\nStrike talks resumed at the railway.\n",
        ),
    ]);
    assert_eq!(code, 1);
    assert_reported(&stderr, "flood.txt.gz", "gzip");
    assert_reported(&stderr, "menu.html", "no article body");
    assert_reported(&stderr, "open.md", "front matter");
    // The unclosed front matter is read as text, so nothing is lost.
    env.ok(&["query", "railway strike", "--count"], 0);
}

#[test]
fn a_file_cut_short_keeps_its_articles_under_a_partial_record_until_it_is_pruned() {
    let mut gz = Vec::new();
    {
        use std::io::Write;
        let mut enc = flate2::write::GzEncoder::new(&mut gz, flate2::Compression::default());
        for i in 0..3 {
            writeln!(
                enc,
                "{{\"id\": \"d{i}\", \"body\": \"Dredging of the channel, part {i}.\"}}"
            )
            .unwrap();
        }
        enc.finish().unwrap();
    }
    let (code, stderr, env) = ingest_with(&[("cut.jsonl.gz", &gz[..gz.len() - 12])]);
    assert_eq!(code, 1);
    assert_reported(&stderr, "cut.jsonl.gz", "truncated gzip stream; kept the");
    let kept = env.ok(&["query", "dredging", "--count"], 0);
    assert!(kept.trim().parse::<u64>().unwrap() >= 1, "{kept}");
    // Read (and reported) again, not skipped as unchanged.
    let out = env.run(&["ingest", "corpus"]);
    assert_eq!(out.status.code(), Some(1));
    assert_reported(&util::stderr(&out), "cut.jsonl.gz", "truncated gzip stream");
    assert_eq!(env.ok(&["query", "dredging", "--count"], 0), kept);
    // Gone from the corpus: pruned with everything it held.
    std::fs::remove_file(env.dir.path().join("corpus/cut.jsonl.gz")).unwrap();
    let out = env.run(&["ingest", "corpus", "--prune"]);
    assert_eq!(out.status.code(), Some(0), "{}", util::stderr(&out));
    env.ok(&["query", "dredging", "--count"], 1);
    assert_eq!(articles(&env), 1);
}

#[test]
fn impossible_and_far_off_dates_are_not_published_dates() {
    let (code, stderr, env) = ingest_with(&[
        (
            "feb30.md",
            b"---\ntitle: Leap\ndate: 2025-02-30\n---\nCouncil budget approved.\n",
        ),
        (
            "far.md",
            b"---\ntitle: Far\ndate: 9999-01-01\n---\nCouncil budget delayed.\n",
        ),
        (
            "old.md",
            b"---\ntitle: Old\ndate: 0004-05-06\n---\nCouncil budget ancient.\n",
        ),
    ]);
    assert_eq!(code, 0, "{stderr}");
    let out = env.ok(
        &["query", "council budget", "--all", "--format", "jsonl"],
        0,
    );
    for line in out.lines() {
        let hit: Value = serde_json::from_str(line).unwrap();
        assert!(hit["published"].is_null(), "{hit}");
    }
    let stats: Value = serde_json::from_str(&env.ok(&["stats", "--format", "json"], 0)).unwrap();
    assert_eq!(stats["last_published"], "2025-03-04");
}

#[test]
fn a_50000_word_article_is_split_into_passages() {
    let mut body = String::from("Long report\n\n");
    for i in 0..2500 {
        body.push_str(&format!(
            "Paragraph {i} says the drought hit farms and the council met again. "
        ));
        body.push_str("Officials said water would be rationed for weeks.\n\n");
    }
    let words = body.split_whitespace().count();
    assert!(words >= 50_000, "{words}");
    let (code, _, env) = ingest_with(&[("long.txt", body.as_bytes())]);
    assert_eq!(code, 0);
    let n: u64 = env
        .ok(&["query", "drought", "--count"], 0)
        .trim()
        .parse()
        .unwrap();
    assert_eq!(n, 2500);
}

#[test]
fn paths_that_cannot_be_walked() {
    let env = Env::new();
    env.write("corpus/good.md", GOOD);
    // A path that does not exist is a fatal error.
    let out = env.run(&["ingest", "nowhere"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(util::stderr(&out).contains("nowhere: no such file or folder"));
    // An empty folder is fine: nothing to do, said so.
    std::fs::create_dir_all(env.dir.path().join("empty")).unwrap();
    let out = env.run(&["ingest", "empty"]);
    assert_eq!(out.status.code(), Some(0), "{}", util::stderr(&out));
    assert!(util::stderr(&out).contains("indexed 0 articles"));
    // A symlink loop, followed on request, is reported and the rest goes in.
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink("..", env.dir.path().join("corpus/loop")).unwrap();
        let out = env.run(&["ingest", "corpus", "--follow"]);
        let stderr = util::stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{stderr}");
        assert!(stderr.contains("loop"), "{stderr}");
        env.ok(&["query", "harbour", "--count"], 0);
    }
}

#[test]
#[cfg(unix)]
fn unreadable_files_are_reported() {
    use std::os::unix::fs::PermissionsExt;
    use std::os::unix::process::CommandExt;
    let env = Env::new();
    env.write("corpus/good.md", GOOD);
    let secret = env.write("corpus/secret.txt", "Secret\n\nHidden text.\n");
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_gazette"));
    cmd.args(["ingest", "corpus", "--index", "idx"])
        .current_dir(env.dir.path());
    // Root reads any file; run the ingest as an unprivileged user so permissions apply
    // (CI runs as root), with the work folder open to that user.
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } == 0 {
        for entry in walkdir::WalkDir::new(env.dir.path()) {
            let entry = entry.unwrap();
            let mode = if entry.file_type().is_dir() {
                0o777
            } else {
                0o644
            };
            std::fs::set_permissions(entry.path(), std::fs::Permissions::from_mode(mode)).unwrap();
        }
        cmd.uid(65534).gid(65534);
    }
    std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o000)).unwrap();
    let out = cmd.output().unwrap();
    let stderr = util::stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert_reported(&stderr, "secret.txt", "ermission denied");
    assert!(stderr.contains("indexed 1 articles"), "{stderr}");
}

#[test]
fn within_one_file_the_last_copy_of_an_id_wins_whichever_worker_tagged_it() {
    // 100 records in batches of 32: the copies of `w-5` sit in different batches, which
    // different workers tag; the writer applies a file's batches in order.
    let mut lines = String::new();
    for i in 0..100 {
        let (id, body) = match i {
            5 => (
                "w-5".to_string(),
                "The first account of the flood.".to_string(),
            ),
            90 => (
                "w-5".to_string(),
                "The corrected account of the flood.".to_string(),
            ),
            _ => (
                format!("w-{i}"),
                format!("Routine item number {i} about tides."),
            ),
        };
        lines.push_str(&format!("{{\"id\": \"{id}\", \"body\": \"{body}\"}}\n"));
    }
    for _ in 0..3 {
        let env = Env::new();
        env.write("c/wire.jsonl", &lines);
        let out = env.run(&["ingest", "c", "--threads", "4"]);
        assert_reported(
            &util::stderr(&out),
            "wire.jsonl",
            "\"w-5\" already came earlier",
        );
        assert_eq!(env.ok(&["query", "corrected", "--count"], 0).trim(), "1");
        assert_eq!(env.ok(&["query", "flood", "--count"], 0).trim(), "1");
        assert_eq!(env.ok(&["query", "tides", "--count"], 0).trim(), "98");
    }
}

#[test]
fn between_two_files_the_later_one_in_walk_order_wins_whichever_finished_first() {
    // a.jsonl is long and brings `w-x` last; b.jsonl is one line, so a free worker is
    // done with it long before a.jsonl's last batch is tagged. The index must still keep
    // b's copy, as it would if the files were read one after the other.
    let mut long = String::new();
    for i in 0..300 {
        long.push_str(&format!(
            "{{\"id\": \"w-{i}\", \"body\": \"Routine item number {i} about tides.\"}}\n"
        ));
    }
    long.push_str("{\"id\": \"w-x\", \"body\": \"The first account of the flood.\"}\n");
    for _ in 0..3 {
        let env = Env::new();
        env.write("c/a.jsonl", &long);
        env.write(
            "c/b.jsonl",
            "{\"id\": \"w-x\", \"body\": \"The corrected account of the flood.\"}\n",
        );
        let out = env.run(&["ingest", "c", "--threads", "4"]);
        let stderr = util::stderr(&out);
        assert_eq!(out.status.code(), Some(0), "{stderr}");
        assert!(stderr.contains("article id \"w-x\""), "{stderr}");
        assert!(stderr.contains("same id: 1 articles"), "{stderr}");
        assert_eq!(env.ok(&["query", "flood", "--count"], 0).trim(), "1");
        assert_eq!(env.ok(&["query", "corrected", "--count"], 0).trim(), "1");
        assert_eq!(env.ok(&["query", "tides", "--count"], 0).trim(), "300");
    }
}

#[test]
fn a_repeated_article_id_replaces_the_earlier_article_with_a_warning() {
    let (code, stderr, env) = ingest_with(&[(
        "wire.jsonl",
        b"{\"id\": \"w-1\", \"title\": \"First\", \"body\": \"The quarry flooded overnight.\"}\n\
          {\"id\": \"w-2\", \"title\": \"Other\", \"body\": \"A market opened.\"}\n\
          {\"id\": \"w-1\", \"title\": \"Second\", \"body\": \"The quarry was pumped dry.\"}\n",
    )]);
    assert_eq!(code, 0, "{stderr}");
    assert_reported(
        &stderr,
        "wire.jsonl",
        "article id \"w-1\" already came earlier",
    );
    assert!(stderr.contains("same id: 1 articles"), "{stderr}");
    // The later copy is the one in the index.
    assert_eq!(env.ok(&["query", "quarry", "--count"], 0).trim(), "1");
    assert_eq!(env.ok(&["query", "pumped", "--count"], 0).trim(), "1");
    assert_eq!(articles(&env), 3);
    // Two folders of the same name hold the same relative path: their derived ids collide.
    env.write("a/news/x.txt", "Dam\n\nThe dam held.\n");
    env.write("b/news/x.txt", "Dam\n\nThe dam broke.\n");
    let out = env.run(&["ingest", "a/news", "b/news"]);
    let stderr = util::stderr(&out);
    assert!(stderr.contains("article id \"news/x.txt\""), "{stderr}");
    assert_eq!(env.ok(&["query", "dam", "--count"], 0).trim(), "1");
    // The later root on the command line wins, whichever worker finished first.
    assert_eq!(env.ok(&["query", "broke", "--count"], 0).trim(), "1");
    // A later ingest of a third such folder: the index already holds the id.
    env.write("c/news/x.txt", "Dam\n\nThe dam was inspected.\n");
    let stderr = util::stderr(&env.run(&["ingest", "c/news"]));
    assert_reported(&stderr, "c/news/x.txt", "is already in the index from");
    assert!(
        stderr.contains("b/news/x.txt; this article replaces"),
        "{stderr}"
    );
    assert_eq!(env.ok(&["query", "inspected", "--count"], 0).trim(), "1");
    assert_eq!(env.ok(&["query", "dam", "--count"], 0).trim(), "1");
    // A changed file replaces its own articles without a warning.
    env.write("c/news/x.txt", "Dam\n\nThe dam was inspected twice.\n");
    let stderr = util::stderr(&env.run(&["ingest", "c/news"]));
    assert!(!stderr.contains("article id"), "{stderr}");
    assert!(!stderr.contains("same id"), "{stderr}");
}
