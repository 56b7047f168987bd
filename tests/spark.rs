//! The Spark job (scripts/spark/ingest.sh): a shard set built on a local Spark cluster (a
//! master, two workers and their executor JVMs: `local-cluster[2,1,1024]`) answers as one
//! index of the same corpus; a re-run on an unchanged corpus changes no byte of it; an
//! executor killed in the middle of a task's ingest costs a retry, not a different set.
//!
//! Needs the PySpark of scripts/spark/setup.sh (in .venv-spark/) and Java 17 or 21:
//! these tests fail without them (scripts/test.sh runs the set-up when it is missing).

mod util;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use util::sets::{copies_env, gazette, same_answers};
use util::{Env, repo};

const MASTER: &str = "local-cluster[2,1,1024]";

/// `scripts/spark/ingest.sh c SET --shards 3 --master local-cluster[2,1,1024] EXTRA...`
/// with the gazette binary under test, started in `env`; `pause` is the test hook of
/// scripts/spark/ingest_job.py (`GAZETTE_SPARK_TEST_PAUSE`).
fn spark(env: &Env, set: &str, extra: &[&str], pause: Option<&str>) -> std::process::Child {
    let venv = repo().join(".venv-spark");
    assert!(
        venv.join("bin/spark-submit").is_file(),
        "no PySpark in {} (no bin/spark-submit): run scripts/spark/setup.sh \
         (scripts/test.sh does it when missing)",
        venv.display()
    );
    let mut cmd = Command::new(repo().join("scripts/spark/ingest.sh"));
    cmd.args(["c", set, "--shards", "3", "--master", MASTER, "--gazette"])
        .arg(env!("CARGO_BIN_EXE_gazette"))
        .args(extra)
        .current_dir(env.dir.path())
        .env_remove("GAZETTE_SPARK_TEST_PAUSE")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(pause) = pause {
        cmd.env("GAZETTE_SPARK_TEST_PAUSE", pause);
    }
    cmd.spawn().expect("scripts/spark/ingest.sh runs")
}

/// The job's output, asserted to be a success. spark-submit passes the Python driver's
/// stderr on to its stdout, so both are taken. `articles`: the corpus's.
fn succeeded(out: Output, articles: u64) -> String {
    let stderr = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stderr),
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(
        out.status.success(),
        "scripts/spark/ingest.sh: {}\n{stderr}",
        out.status
    );
    assert!(
        stderr.contains(&format!("3 shards, {articles} articles")),
        "the job's summary: {stderr}"
    );
    stderr
}

/// The fixture as one index (`idx`), as a set built by `gazette ingest --shards 3`
/// (`local`), and the manifest's shards of the latter. Both are given the corpus by its
/// absolute path, as the Spark job gives it to its tasks (which run in folders of their
/// own), since an index records its files' paths as given. `wire_files` more files of
/// generated wire stories, 60 each, join the fixture under `c/wire/`.
fn reference(wire_files: usize) -> (Env, serde_json::Value) {
    let env = copies_env();
    write_wire_files(&env, wire_files);
    let corpus = env.dir.path().join("c");
    let corpus = util::path_str(&corpus);
    env.ok(&["ingest", corpus, "--quiet"], 0);
    let local = env.dir.path().join("local");
    gazette(
        &env,
        &["ingest", corpus, "--quiet", "--shards", "3"],
        &local,
        0,
    );
    let shards = manifest(&local)["shards"].clone();
    (env, shards)
}

/// `files` JSON lines files of 60 short wire stories each, every one distinct, under
/// `c/wire/`.
fn write_wire_files(env: &Env, files: usize) {
    const CITIES: &[&str] = &[
        "Paris", "Berlin", "Madrid", "Lisbon", "Vienna", "Oslo", "Warsaw",
    ];
    const TOPICS: &[&str] = &[
        "rail fares",
        "port fees",
        "grain quotas",
        "bond sales",
        "road tolls",
    ];
    for f in 0..files {
        let lines: String = (0..60)
            .map(|i| {
                let city = CITIES[(f * 3 + i) % CITIES.len()];
                let topic = TOPICS[(f + i * 2) % TOPICS.len()];
                format!(
                    "{{\"id\": \"wire-{f}-{i}\", \"title\": \"{city} talks on {topic}\", \
                     \"date\": \"1987-03-{:02}\", \"body\": \"Officials from {city} met \
                     trade envoys on Monday to discuss {topic}, story {f}-{i}. Minister Anna \
                     Berg said the talks would resume in {city} in April.\"}}\n",
                    1 + (f + i) % 28
                )
            })
            .collect();
        env.write(&format!("c/wire/wire-{f:02}.jsonl"), lines);
    }
}

fn manifest(set: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(set.join("shards.json")).unwrap()).unwrap()
}

/// The Spark-built `set` holds the same shards as `gazette ingest --shards 3` and answers
/// as the one index does.
fn same_set(env: &Env, local_shards: &serde_json::Value) {
    let set = env.dir.path().join("set");
    let m = manifest(&set);
    assert_eq!(&m["shards"], local_shards, "{m}");
    assert_eq!(m["gazette_version"], env!("CARGO_PKG_VERSION"), "{m}");
    assert_eq!(m["arguments"][0], "ingest_job.py", "{m}");
    env.write("other", "set");
    same_answers(env);
}

/// Every shard's meta.json, and the manifest.
fn snapshot(set: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files = vec![set.join("shards.json")];
    for k in 0..3 {
        files.push(set.join(format!("shard-{k:04}-of-0003/meta.json")));
    }
    files
        .into_iter()
        .map(|f| {
            let bytes = std::fs::read(&f).unwrap();
            (f, bytes)
        })
        .collect()
}

#[test]
fn a_set_built_on_spark_answers_as_one_index_and_a_rerun_changes_nothing() {
    let (env, local_shards) = reference(0);
    let started = Instant::now();
    let out = succeeded(
        spark(&env, "set", &[], None).wait_with_output().unwrap(),
        10,
    );
    eprintln!("the Spark job: {:.1?}", started.elapsed());
    // The near-duplicate groups the job computed in Spark are those gazette computes
    // over the set itself, byte for byte.
    let set = env.dir.path().join("set");
    let groups = set.join("groups.bin");
    let from_spark = std::fs::read(&groups).expect("the job stores the set's groups");
    assert!(!out.contains(" 0 groups of copies"), "{out}");
    std::fs::remove_file(&groups).unwrap();
    gazette(&env, &["stats"], &set, 0);
    assert!(
        from_spark == std::fs::read(&groups).unwrap(),
        "the groups differ"
    );
    same_set(&env, &local_shards);

    let before = snapshot(&set);
    succeeded(
        spark(&env, "set", &[], None).wait_with_output().unwrap(),
        10,
    );
    for ((path, old), (_, new)) in before.iter().zip(snapshot(&set)) {
        assert!(*old == new, "a re-run rewrote {}", path.display());
    }
}

#[test]
fn an_executor_killed_in_the_middle_of_an_ingest_is_replaced_and_the_set_is_the_same() {
    // 10 fixture articles and 12 files of 60 wire stories: each task's ingest commits
    // after almost every file (`--commit-every 0.02`), a dozen times.
    let (env, local_shards) = reference(12);
    let marker = env.dir.path().join("paused");
    // Task 1's first attempt stops its ingest (SIGSTOP) after the ingest's first commit
    // that holds articles, and writes its executor's pid and the shard's state to
    // `marker`.
    let pause = format!("1:{}", marker.display());
    let child = spark(&env, "set", &["--commit-every", "0.02"], Some(&pause));
    let deadline = Instant::now() + Duration::from_secs(180);
    let state: serde_json::Value = loop {
        if let Ok(text) = std::fs::read_to_string(&marker) {
            break serde_json::from_str(&text).unwrap();
        }
        assert!(Instant::now() < deadline, "task 1 never started");
        std::thread::sleep(Duration::from_millis(200));
    };
    assert_eq!(
        state["paused"], true,
        "task 1's ingest ended before its pause: {state}"
    );
    let pid = state["executor"].as_i64().expect("an executor pid") as i32;
    let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap();
    assert!(
        String::from_utf8_lossy(&cmdline).contains("CoarseGrainedExecutorBackend"),
        "{pid} is not an executor"
    );
    // SAFETY: kill(2) on a pid of this test's own job.
    assert_eq!(unsafe { libc::kill(pid, libc::SIGKILL) }, 0);
    let stderr = succeeded(child.wait_with_output().unwrap(), 730);
    assert!(stderr.contains("ExecutorLostFailure"), "{stderr}");
    same_set(&env, &local_shards);

    // The kill fell in the middle of the shard's ingest: part of it was committed, not
    // all.
    let shard = &state["shard"];
    assert_eq!(shard["complete"], false, "{state}");
    let (at_kill, whole) = (
        shard["articles"].as_u64().unwrap(),
        local_shards[1]["articles"].as_u64().unwrap(),
    );
    eprintln!("killed with {at_kill} of shard 1's {whole} articles committed");
    assert!(
        0 < at_kill && at_kill < whole,
        "{at_kill} of {whole} articles at the kill"
    );
}
