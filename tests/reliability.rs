//! Interrupted and concurrent ingests: kill -9, Ctrl-C, a second writer, stale locks,
//! incompatible indexes. The index must always open, answer with its last commit, and end
//! up equal to one built in a single run.

mod util;

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;
use util::{Env, jsonl, path_str};

const WORDS: &[&str] = &[
    "harbour",
    "council",
    "budget",
    "ferry",
    "minister",
    "inflation",
    "election",
    "strike",
    "railway",
    "market",
    "energy",
    "tariff",
    "hospital",
    "court",
    "festival",
    "drought",
];

/// Writes `files` small articles with deterministic text under `dir`; every tenth is a
/// copy of the one before (so the answers compared include near-duplicate groups).
fn write_corpus(env: &Env, dir: &str, files: usize) {
    let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut body = String::new();
    for i in 0..files {
        if i % 10 != 9 {
            body.clear();
            for _ in 0..4 {
                let words: Vec<&str> = (0..40)
                    .map(|_| WORDS[(next() % WORDS.len() as u64) as usize])
                    .collect();
                body.push_str(&words.join(" "));
                body.push_str(".\n\n");
            }
        }
        let text = format!(
            "---\ntitle: Report {i}\ndate: 2025-{:02}-{:02}\n---\n{body}",
            i % 12 + 1,
            i % 28 + 1
        );
        env.write(&format!("{dir}/{:03}/{i:05}.md", i / 100), text);
    }
}

/// What a finished index answers: counts and the passages of a few queries.
fn answers(env: &Env) -> (Value, Vec<Vec<(String, u64)>>) {
    let stats: Value = serde_json::from_str(&env.ok(&["stats", "--format", "json"], 0)).unwrap();
    let summary = serde_json::json!({"articles": stats["articles"], "passages": stats["passages"], "files": stats["files"], "groups": stats["groups"], "articles_in_groups": stats["articles_in_groups"]});
    let mut lists = Vec::new();
    for q in ["harbour AND drought", "\"energy tariff\"", "ferry -court"] {
        let out = env.ok(&["query", q, "--all", "--format", "jsonl"], 0);
        let mut list: Vec<(String, u64)> = jsonl(&out)
            .iter()
            .map(|h| {
                (
                    format!("{} {} {}", h["article_id"], h["group"], h["copies"]),
                    h["passage"].as_u64().unwrap(),
                )
            })
            .collect();
        list.sort();
        lists.push(list);
    }
    (summary, lists)
}

/// `ingest CORPUS` on one thread, committing every 50 ms, plus `extra`.
fn spawn_ingest(env: &Env, corpus: &str, extra: &[&str]) -> Child {
    let mut args = vec!["--threads", "1", "--commit-every", "0.05"];
    args.extend_from_slice(extra);
    spawn_ingest_with(env, corpus, &args)
}

/// `ingest CORPUS ARGS` into the env's index.
fn spawn_ingest_with(env: &Env, corpus: &str, args: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_gazette"))
        .args(["ingest", corpus, "--index", path_str(&env.index())])
        .args(args)
        .current_dir(env.dir.path())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

#[test]
fn an_ingest_killed_at_any_point_completes_to_the_same_index() {
    let reference = Env::new();
    write_corpus(&reference, "news", 300);
    reference.ok(&["ingest", "news", "--quiet"], 0);
    let expected = answers(&reference);
    // Every tenth article is a copy of the one before: 30 groups of two.
    assert_eq!(expected.0["groups"], 30);
    assert_eq!(expected.0["articles_in_groups"], 60);

    let env = Env::new();
    write_corpus(&env, "news", 300);
    let mut kills = 0;
    for delay_ms in [150, 400, 900, 1600] {
        let mut child = spawn_ingest(&env, "news", &["--quiet"]);
        std::thread::sleep(Duration::from_millis(delay_ms));
        let finished = child.try_wait().unwrap().is_some();
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        kills += usize::from(!finished);
        // Whatever was committed opens and answers.
        if env.index().join("meta.json").exists() {
            let out = env.run(&["query", "harbour", "--count"]);
            assert!(
                matches!(out.status.code(), Some(0 | 1)),
                "{}",
                util::stderr(&out)
            );
        }
    }
    assert!(
        kills > 0,
        "the ingest was never interrupted; make the corpus larger"
    );
    let out = env.run(&["ingest", "news"]);
    assert_eq!(out.status.code(), Some(0), "{}", util::stderr(&out));
    assert_eq!(answers(&env), expected);
}

/// Articles the index holds in its last commit (0 before the first).
fn committed_articles(env: &Env) -> u64 {
    if !env.index().join("meta.json").exists() {
        return 0;
    }
    let out = env.run(&["stats", "--format", "json"]);
    if out.status.code() != Some(0) {
        return 0;
    }
    let stats: Value = serde_json::from_slice(&out.stdout).unwrap();
    stats["articles"].as_u64().unwrap_or(0)
}

/// JSON-lines files of `records` short articles each, several batches a file, so that
/// a commit could fall between the batches of one file.
fn write_wire_corpus(env: &Env, dir: &str, files: usize, records: usize) {
    for f in 0..files {
        let lines: String = (0..records)
            .map(|i| {
                let word = |k: usize| WORDS[(f * 7 + i * 3 + k) % WORDS.len()];
                format!(
                    "{{\"id\": \"w{f}-{i}\", \"title\": \"Wire {f} {i}\", \"date\": \"1987-03-02\", \
                     \"body\": \"The {} {} met the {} {} on {} {}.\"}}\n",
                    word(0),
                    word(1),
                    word(2),
                    word(3),
                    word(4),
                    word(5)
                )
            })
            .collect();
        env.write(&format!("{dir}/wire-{f:02}.jsonl"), lines);
    }
}

fn stats(env: &Env) -> Value {
    serde_json::from_str(&env.ok(&["stats", "--format", "json"], 0)).unwrap()
}

/// Two threads (files are read and tagged at once), a commit due every 20 ms.
const KILLED: &[&str] = &["--threads", "2", "--commit-every", "0.02", "--quiet"];

/// Waits until the ingest has committed about `commits` times (0: until the index
/// exists), waits `extra` more, and kills it (SIGKILL). Whether it was still running. Kill
/// points are set by what the ingest did, not by the clock, so they fall in the same
/// places on a fast machine and on a slow one.
fn kill_after_commits(env: &Env, child: &mut Child, commits: usize, extra: Duration) -> bool {
    let meta = env.index().join("meta.json");
    let (mut last, mut seen) = (None, 0);
    let started = Instant::now();
    while last.is_none() || seen < commits {
        if child.try_wait().unwrap().is_some() {
            return false;
        }
        // Each commit rewrites meta.json (atomically); the first version is the empty
        // index.
        if let Ok(text) = std::fs::read_to_string(&meta)
            && last.as_ref() != Some(&text)
        {
            seen += usize::from(last.is_some());
            last = Some(text);
        }
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "no commit came"
        );
        std::thread::sleep(Duration::from_millis(1));
    }
    std::thread::sleep(extra);
    let running = child.try_wait().unwrap().is_none();
    let _ = child.kill();
    let _ = child.wait();
    running
}

#[test]
fn an_ingest_killed_at_any_point_leaves_nothing_prune_cannot_remove() {
    let mut partial = 0;
    // (commits seen, then milliseconds more): before the first commit, right after one,
    // and between commits, when files are partly written.
    let kills = [
        (0, 0),
        (0, 15),
        (1, 0),
        (1, 7),
        (2, 3),
        (2, 12),
        (3, 0),
        (4, 9),
        (6, 4),
    ];
    for (commits, extra) in kills {
        let env = Env::new();
        write_wire_corpus(&env, "news", 12, 70);
        let mut child = spawn_ingest_with(&env, "news", KILLED);
        let at = format!("after {commits} commits and {extra} ms");
        let killed = kill_after_commits(&env, &mut child, commits, Duration::from_millis(extra));
        let before = stats(&env);
        // A kill that lands after the final commit, while the process is still exiting,
        // finds every file in and the index complete; any earlier kill, an incomplete one.
        let finished = before["files"] == 12;
        if killed && !finished {
            assert_eq!(before["complete"], false, "killed {at}: {before}");
            partial += usize::from(before["articles"].as_u64().unwrap() > 0);
        }
        // Every file committed is committed whole, with its record.
        let (articles, files) = (before["articles"].as_u64(), before["files"].as_u64());
        assert_eq!(articles, files.map(|n| n * 70), "killed {at}: {before}");
        // The corpus vanishes: pruning removes everything the killed ingest committed.
        std::fs::remove_dir_all(env.dir.path().join("news")).unwrap();
        std::fs::create_dir(env.dir.path().join("news")).unwrap();
        env.ok(&["ingest", "news", "--prune", "--quiet"], 0);
        let after = stats(&env);
        for key in ["articles", "passages", "files"] {
            assert_eq!(after[key], 0, "killed {at} ({before}): {after}");
        }
    }
    assert!(
        partial >= 4,
        "only {partial} kills left a partly committed ingest; make the corpus larger"
    );
}

#[test]
fn stats_says_incomplete_while_the_first_ingest_runs_and_after_a_kill_before_its_first_commit() {
    let env = Env::new();
    write_wire_corpus(&env, "news", 6, 100);
    // No periodic commit: the index exists, empty, until the ingest ends.
    let mut child = spawn_ingest_with(&env, "news", &["--commit-every", "1000", "--quiet"]);
    let started = Instant::now();
    while !env.index().join("meta.json").exists() && started.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(5));
    }
    let running = stats(&env);
    let still_running = child.try_wait().unwrap().is_none();
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        still_running,
        "the ingest ended too soon; make the corpus larger"
    );
    assert_eq!(running["articles"], 0, "{running}");
    assert_eq!(running["complete"], false, "while running: {running}");
    let killed = stats(&env);
    assert_eq!(killed["complete"], false, "after the kill: {killed}");
    env.ok(&["ingest", "news", "--quiet"], 0);
    let done = stats(&env);
    assert_eq!(
        (done["articles"].as_u64(), done["complete"].as_bool()),
        (Some(600), Some(true))
    );
}

#[test]
fn ctrl_c_commits_says_so_and_exits_130() {
    let env = Env::new();
    write_corpus(&env, "news", 400);
    // A file of many articles, likely to be mid-read when Ctrl-C comes: it must not be
    // recorded as done, or the resumed ingest would skip its rest.
    let lines: String = (0..3000)
        .map(|i| format!("{{\"id\": \"w{i}\", \"title\": \"Wire {i}\", \"body\": \"Tariff talks, part {i}.\"}}\n"))
        .collect();
    env.write("news/000/wire.jsonl", lines);
    let mut child = spawn_ingest(&env, "news", &[]);
    // Interrupt once some articles are committed: a fixed delay lets a fast machine finish
    // first, and the test would then test nothing.
    let started = Instant::now();
    while committed_articles(&env) == 0 {
        assert!(
            child.try_wait().unwrap().is_none(),
            "the ingest finished before it could be interrupted; make the corpus larger"
        );
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "nothing committed"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    let status = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{stderr}");
    assert!(stderr.contains("stopped by Ctrl-C"), "{stderr}");
    assert!(stderr.contains("committed"), "{stderr}");
    let stats: Value = serde_json::from_str(&env.ok(&["stats", "--format", "json"], 0)).unwrap();
    assert_eq!(
        stats["complete"], false,
        "stats tells the ingest did not finish"
    );
    let committed = stats["articles"].as_u64().unwrap();
    assert!(
        committed > 0 && committed < 3400,
        "stopped part-way: {committed} of 3400 articles"
    );
    // Resuming completes it.
    env.ok(&["ingest", "news", "--quiet"], 0);
    let stats: Value = serde_json::from_str(&env.ok(&["stats", "--format", "json"], 0)).unwrap();
    assert_eq!(stats["articles"], 3400);
    assert_eq!(stats["complete"], true);
}

#[test]
fn queries_see_committed_batches_while_an_ingest_runs() {
    let env = Env::new();
    write_corpus(&env, "news", 600);
    let mut child = spawn_ingest(&env, "news", &["--quiet"]);
    let started = Instant::now();
    let mut seen_during = None;
    while child.try_wait().unwrap().is_none() && started.elapsed() < Duration::from_secs(120) {
        if env.index().join("meta.json").exists() {
            let out = env.run(&["stats", "--format", "json"]);
            if out.status.code() == Some(0) {
                let stats: Value = serde_json::from_slice(&out.stdout).unwrap();
                let n = stats["articles"].as_u64().unwrap();
                if n > 0 && n < 600 && child.try_wait().unwrap().is_none() {
                    assert_eq!(stats["complete"], false, "mid-ingest: {stats}");
                    seen_during = Some(n);
                    break;
                }
            }
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        seen_during.is_some(),
        "no committed batch was visible while ingesting"
    );
}

#[test]
fn a_second_writer_is_refused_at_once_with_the_holders_pid() {
    let env = Env::new();
    write_corpus(&env, "news", 3);
    std::fs::create_dir_all(env.index()).unwrap();
    let lock = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(env.index().join("gazette.lock"))
        .unwrap();
    lock.try_lock().unwrap();
    std::fs::write(env.index().join("gazette.lock"), "31337").unwrap();
    let started = Instant::now();
    let out = env.run(&["ingest", "news"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = util::stderr(&out);
    assert!(
        stderr.contains("index is being written by another process (pid 31337)"),
        "{stderr}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "refused at once, not after waiting"
    );
    drop(lock);
    // With the holder gone, the pid left behind is reported as a stale lock and the
    // ingest goes on.
    let out = env.run(&["ingest", "news"]);
    assert_eq!(out.status.code(), Some(0));
    let stderr = util::stderr(&out);
    assert!(
        stderr.contains("a previous ingest (pid 31337) did not finish cleanly"),
        "{stderr}"
    );
}

#[test]
fn an_index_from_another_schema_version_is_refused_with_a_re_ingest_hint() {
    let env = Env::new();
    write_corpus(&env, "news", 3);
    env.ok(&["ingest", "news", "--quiet"], 0);
    let meta_path = env.index().join("meta.json");
    let mut meta: Value =
        serde_json::from_str(&std::fs::read_to_string(&meta_path).unwrap()).unwrap();
    meta["payload"] =
        Value::String(r#"{"gazette_schema":999,"gazette_version":"9.9.9","complete":true}"#.into());
    std::fs::write(&meta_path, meta.to_string()).unwrap();
    for args in [&["query", "harbour"][..], &["stats"], &["ingest", "news"]] {
        let out = env.run(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = util::stderr(&out);
        assert!(
            stderr.contains("incompatible gazette") && stderr.contains("--rebuild"),
            "{stderr}"
        );
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
    env.ok(&["ingest", "news", "--rebuild", "--quiet"], 0);
    env.ok(&["query", "harbour", "--count"], 0);
}
