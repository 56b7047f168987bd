//! The Spark job (scripts/spark/ingest.sh): a shard set built on a local Spark cluster (a
//! master, two workers and their executor JVMs: `local-cluster[2,1,1024]`) answers as one
//! index of the same corpus; a re-run on an unchanged corpus changes no byte of it; an
//! executor killed mid-job costs a retry, not a different set.
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

/// `scripts/spark/ingest.sh c SET --shards 3 --master local-cluster[2,1,1024]` with the
/// gazette binary under test, started in `env`; `stall` is the test hook of
/// scripts/spark/ingest_job.py (`GAZETTE_SPARK_TEST_STALL`).
fn spark(env: &Env, set: &str, stall: Option<&str>) -> std::process::Child {
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
        .current_dir(env.dir.path())
        .env_remove("GAZETTE_SPARK_TEST_STALL")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(stall) = stall {
        cmd.env("GAZETTE_SPARK_TEST_STALL", stall);
    }
    cmd.spawn().expect("scripts/spark/ingest.sh runs")
}

/// The job's output, asserted to be a success. spark-submit passes the Python driver's
/// stderr on to its stdout, so both are taken.
fn succeeded(out: Output) -> String {
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
        stderr.contains("3 shards, 10 articles"),
        "the job's summary: {stderr}"
    );
    stderr
}

/// The fixture as one index (`idx`), as a set built by `gazette ingest --shards 3`
/// (`local`), and the manifest's shards of the latter. Both are given the corpus by its
/// absolute path, as the Spark job gives it to its tasks (which run in folders of their
/// own), since an index records its files' paths as given.
fn reference() -> (Env, serde_json::Value) {
    let env = copies_env();
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
    let (env, local_shards) = reference();
    let started = Instant::now();
    succeeded(spark(&env, "set", None).wait_with_output().unwrap());
    eprintln!("the Spark job: {:.1?}", started.elapsed());
    same_set(&env, &local_shards);

    let set = env.dir.path().join("set");
    let before = snapshot(&set);
    succeeded(spark(&env, "set", None).wait_with_output().unwrap());
    for ((path, old), (_, new)) in before.iter().zip(snapshot(&set)) {
        assert!(*old == new, "a re-run rewrote {}", path.display());
    }
}

#[test]
fn an_executor_killed_mid_job_is_replaced_and_the_set_is_the_same() {
    let (env, local_shards) = reference();
    let marker = env.dir.path().join("stalled");
    // Task 1's first attempt writes its executor's pid to `marker`, then waits (up to
    // 120 s) before its ingest, for the kill.
    let stall = format!("1:120:{}", marker.display());
    let child = spark(&env, "set", Some(&stall));
    let deadline = Instant::now() + Duration::from_secs(180);
    let pid = loop {
        if let Ok(text) = std::fs::read_to_string(&marker) {
            break text.trim().parse::<i32>().expect("an executor pid");
        }
        assert!(Instant::now() < deadline, "task 1 never started");
        std::thread::sleep(Duration::from_millis(200));
    };
    let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap();
    assert!(
        String::from_utf8_lossy(&cmdline).contains("CoarseGrainedExecutorBackend"),
        "{pid} is not an executor"
    );
    // SAFETY: kill(2) on a pid of this test's own job.
    assert_eq!(unsafe { libc::kill(pid, libc::SIGKILL) }, 0);
    let stderr = succeeded(child.wait_with_output().unwrap());
    assert!(stderr.contains("ExecutorLostFailure"), "{stderr}");
    same_set(&env, &local_shards);
}
