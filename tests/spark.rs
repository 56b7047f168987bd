//! The Spark job (scripts/spark/ingest.sh): a shard set built on a local Spark cluster (a
//! master, two workers and their executor JVMs: `local-cluster[2,1,1024]`) answers as one
//! index of the same corpus; a re-run on an unchanged corpus changes no byte of it; an
//! executor killed in the middle of a task's ingest costs a retry, not a different set.
//! With `--annotations`, the Parquet datasets it writes, read back with Spark SQL, count
//! what gazette counts.
//!
//! Needs the PySpark of scripts/spark/setup.sh (in .venv-spark/) and Java 17 or 21:
//! these tests fail without them (scripts/test.sh runs the set-up when it is missing).

mod util;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use util::sets::{copies_env, gazette, same_answers};
use util::{Env, read_all, repo};

const MASTER: &str = "local-cluster[2,1,1024]";
/// Stops a Spark job that neither ends nor reaches the point a test waits for. Only a
/// hung job takes this long: the slowest seen took a few minutes on a loaded machine.
const HUNG: Duration = Duration::from_secs(20 * 60);

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
/// generated wire stories, 200 each, of every month of 1987, join the fixture under
/// `c/wire/`. The set is partitioned `by` id or month.
fn reference(wire_files: usize, by: &str) -> (Env, serde_json::Value) {
    let env = copies_env();
    write_wire_files(&env, wire_files);
    let corpus = env.dir.path().join("c");
    let corpus = util::path_str(&corpus);
    env.ok(&["ingest", corpus, "--quiet"], 0);
    let local = env.dir.path().join("local");
    gazette(
        &env,
        &[
            "ingest",
            corpus,
            "--quiet",
            "--shards",
            "3",
            "--partition-by",
            by,
        ],
        &local,
        0,
    );
    let shards = manifest(&local)["shards"].clone();
    (env, shards)
}

/// `files` JSON lines files of 200 short wire stories each, every one distinct, under
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
        let lines: String = (0..200)
            .map(|i| {
                let city = CITIES[(f * 3 + i) % CITIES.len()];
                let topic = TOPICS[(f + i * 2) % TOPICS.len()];
                format!(
                    "{{\"id\": \"wire-{f}-{i}\", \"title\": \"{city} talks on {topic}\", \
                     \"date\": \"1987-{:02}-{:02}\", \"body\": \"Officials from {city} \
                     met trade envoys on Monday to discuss {topic}, story {f}-{i}. Minister \
                     Anna Berg said the talks would resume in {city} in April.\"}}\n",
                    1 + (f + i) % 12,
                    1 + (f + i) % 28
                )
            })
            .collect();
        env.write(&format!("c/wire/wire-{f:02}.jsonl"), lines);
    }
}

/// `c/wire/wire-NN.jsonl` rewritten as `c/wire/wire-NN.parquet` (tests/spark/to_parquet.py,
/// Spark in local mode), for `files` of them.
fn to_parquet(env: &Env, files: usize) {
    let wire = env.dir.path().join("c/wire");
    let out = Command::new(repo().join(".venv-spark/bin/python"))
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .arg(repo().join("tests/spark/to_parquet.py"))
        .args((0..files).map(|f| wire.join(format!("wire-{f:02}.jsonl"))))
        .stdin(Stdio::null())
        .output()
        .expect("the venv's python runs");
    assert!(
        out.status.success(),
        "tests/spark/to_parquet.py: {}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    for f in 0..files {
        assert!(wire.join(format!("wire-{f:02}.parquet")).is_file());
        assert!(!wire.join(format!("wire-{f:02}.jsonl")).exists());
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
    let (env, local_shards) = reference(0, "id");
    let annotations = ["--annotations", "ann"];
    let started = Instant::now();
    let stderr = succeeded(
        spark(&env, "set", &annotations, None)
            .wait_with_output()
            .unwrap(),
        10,
    );
    eprintln!("the Spark job: {:.1?}", started.elapsed());
    // The near-duplicate groups the job computed in Spark are those gazette computes
    // over the set itself, byte for byte.
    let set = env.dir.path().join("set");
    let groups = set.join("groups.bin");
    let from_spark = std::fs::read(&groups).expect("the job stores the set's groups");
    assert!(!stderr.contains(" 0 groups of copies"), "{stderr}");
    std::fs::remove_file(&groups).unwrap();
    gazette(&env, &["stats"], &set, 0);
    assert!(
        from_spark == std::fs::read(&groups).unwrap(),
        "the groups differ"
    );
    same_set(&env, &local_shards);
    let first = read_annotations(&env, false);
    annotations_count_what_gazette_counts(&env, &first);
    let summary = format!(
        "{} passages, {} entity mentions, {} date mentions",
        first["passages"],
        first["mentions"]
            .as_object()
            .unwrap()
            .values()
            .map(|n| n.as_u64().unwrap())
            .sum::<u64>(),
        first["dates"]
    );
    assert!(stderr.contains(&summary), "{summary}: {stderr}");

    // Re-run with every task reading the corpus itself (`--read shared`, no Spark
    // reading): it finds every file of every shard unchanged, since Spark's reading
    // recorded them as a shard's own reading does, and so commits nothing.
    let before = snapshot(&set);
    let mut rerun = annotations.to_vec();
    rerun.extend(["--read", "shared"]);
    succeeded(
        spark(&env, "set", &rerun, None).wait_with_output().unwrap(),
        10,
    );
    for ((path, old), (_, new)) in before.iter().zip(snapshot(&set)) {
        if path.ends_with("shards.json") {
            continue; // its `arguments` now say --read shared
        }
        assert!(*old == new, "a re-run rewrote {}", path.display());
    }
    assert_eq!(manifest(&set)["shards"], local_shards);
    let arguments = manifest(&set)["arguments"].to_string();
    assert!(arguments.contains(r#""--read","shared""#), "{arguments}");
    batch_on_spark_answers_as_batch(&env);
    // The annotations are written again, with the same rows, and nothing is left beside.
    assert_eq!(read_annotations(&env, true)["digest"], first["digest"]);
    let beside: Vec<String> = std::fs::read_dir(env.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with(".ann"))
        .collect();
    assert!(beside.is_empty(), "{beside:?}");
}

/// scripts/spark/batch.sh on the set: each shard's part counted by a task, added up by
/// the driver, gives what `gazette batch` gives on one index of the corpus.
fn batch_on_spark_answers_as_batch(env: &Env) {
    env.write(
        "book.tsv",
        "strike\tstrike\nwater\treservoirs OR water\nrussia\trussia\n",
    );
    // One job covers the most: a timeline (its range is chosen on the summed counts),
    // counted by mention, with syndicated copies grouped across shards.
    {
        let extra = &["--timeline", "month", "--by", "mentions", "--dedup"][..];
        let started = Instant::now();
        let out = Command::new(repo().join("scripts/spark/batch.sh"))
            .args(["set", "book.tsv", "--master", MASTER, "--gazette"])
            .arg(env!("CARGO_BIN_EXE_gazette"))
            .args(["--output", "answer.csv", "--", "--format", "csv"])
            .args(extra)
            .current_dir(env.dir.path())
            .stdin(Stdio::null())
            .output()
            .expect("scripts/spark/batch.sh runs");
        assert!(
            out.status.success(),
            "scripts/spark/batch.sh: {}\n{}{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        eprintln!("batch on Spark {extra:?}: {:.1?}", started.elapsed());
        let mut args = vec!["batch", "book.tsv", "--format", "csv"];
        args.extend_from_slice(extra);
        let one = env.ok(&args, 0);
        let spark = std::fs::read_to_string(env.dir.path().join("answer.csv")).unwrap();
        assert_eq!(spark, one, "{extra:?}");
        assert!(one.lines().count() > 3, "{one}");
    }
}

/// What tests/spark/annotations.py reads from the Parquet under `ann/` with Spark SQL
/// (only the digest of every row with `digest`).
fn read_annotations(env: &Env, digest: bool) -> serde_json::Value {
    let started = Instant::now();
    let out = Command::new(repo().join(".venv-spark/bin/python"))
        .arg(repo().join("tests/spark/annotations.py"))
        .arg(env.dir.path().join("ann"))
        .args(digest.then_some("--digest"))
        .stdin(Stdio::null())
        .output()
        .expect("the venv's python runs");
    assert!(
        out.status.success(),
        "tests/spark/annotations.py: {}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    eprintln!("reading the annotations back: {:.1?}", started.elapsed());
    serde_json::from_slice(&out.stdout).expect("one JSON object")
}

/// The annotations' columns, and their counts against the one index `idx` of the same
/// corpus: passages as `stats`, mentions as `export`, passages per entity and type as
/// `entities`, per organisation and month as `query --org --timeline month`, per month
/// mentioned as `query --mentions --count`.
fn annotations_count_what_gazette_counts(env: &Env, got: &serde_json::Value) {
    let columns = |table: &str| -> String {
        got["columns"][table]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| format!("{} {}", c[0].as_str().unwrap(), c[1].as_str().unwrap()))
            .collect::<Vec<_>>()
            .join(", ")
    };
    assert_eq!(
        columns("passages"),
        "article_id string, passage int, start bigint, end bigint, text string, \
         title string, source string, url string, path string, published timestamp_ntz, \
         crawled timestamp_ntz, date_origin string, shard int"
    );
    assert_eq!(
        columns("entities"),
        "article_id string, passage int, type string, text string, canonical string, \
         key string, entity string, start int, end int, published timestamp_ntz"
    );
    assert_eq!(
        columns("dates"),
        "article_id string, passage int, text string, value string, range_start date, \
         range_end date, start int, end int, published timestamp_ntz"
    );

    let stats: serde_json::Value =
        serde_json::from_str(&env.ok(&["stats", "--format", "json"], 0)).unwrap();
    assert_eq!(got["passages"], stats["passages"]);
    assert_eq!(got["distinct_passages"], stats["passages"]);

    let lines = util::jsonl(&env.ok(&["export"], 0));
    let mut mentions: BTreeMap<String, u64> = BTreeMap::new();
    let mut entity_of: BTreeMap<String, String> = BTreeMap::new();
    let mut dated_org_mentions = 0;
    for line in &lines {
        for m in line["entities"].as_array().unwrap() {
            let kind = m["type"].as_str().unwrap();
            *mentions.entry(kind.to_string()).or_default() += 1;
            let canonical = m["canonical"].as_str().unwrap().to_string();
            entity_of.insert(canonical, m["entity"].as_str().unwrap().to_string());
            if kind == "ORG" && !line["published"].is_null() {
                dated_org_mentions += 1;
            }
        }
    }
    let dates: usize = lines
        .iter()
        .map(|l| l["dates"].as_array().unwrap().len())
        .sum();
    assert_eq!(got["mentions"], serde_json::json!(mentions));
    assert_eq!(got["dates"], dates as u64);
    assert!(
        dates > 0 && mentions.get("ORG").is_some_and(|n| *n > 0),
        "{mentions:?}"
    );

    // Passages per entity and type.
    let listed = util::jsonl(&env.ok(&["entities", "--format", "jsonl"], 0));
    assert_eq!(listed.len(), got["entity_types"].as_object().unwrap().len());
    let mut organisations = 0;
    for entry in &listed {
        let entity = &entity_of[entry["forms"][0]["form"].as_str().unwrap()];
        assert_eq!(
            got["entity_types"][entity], entry["types"],
            "{}",
            entry["name"]
        );
        if entry["type"] != "ORG" {
            continue;
        }
        // An organisation's passages per month published, as gazette's timeline counts
        // them (every type it was tagged with, since ORG is its majority type).
        organisations += 1;
        let name = entry["name"].as_str().unwrap();
        let out = env.run(&[
            "query",
            "",
            "--org",
            name,
            "--timeline",
            "month",
            "--format",
            "csv",
        ]);
        assert!(out.status.code().unwrap() <= 1, "{}", util::stderr(&out));
        let mut months = serde_json::Map::new();
        for row in String::from_utf8(out.stdout).unwrap().lines().skip(1) {
            let cells: Vec<&str> = row.split(',').collect();
            let passages: u64 = cells[3].parse().unwrap();
            if passages > 0 {
                months.insert(cells[0].to_string(), passages.into());
            }
        }
        let spark = got["entity_months"]
            .get(entity)
            .cloned()
            .unwrap_or_default();
        let spark = spark.as_object().cloned().unwrap_or_default();
        assert_eq!(spark, months, "{name}: passages per month");
    }
    assert!(organisations > 0, "the fixture names organisations");
    // The README's query: ORG mentions of dated passages, each counted once.
    let rows = got["org_months"].as_array().unwrap();
    let total: u64 = rows.iter().map(|r| r[3].as_u64().unwrap()).sum();
    assert_eq!(total, dated_org_mentions);

    // Passages per month mentioned.
    let months = got["mentioned_months"].as_object().unwrap();
    assert!(!months.is_empty());
    for (month, passages) in months {
        let n = util::count(env, "", &["--mentions", month]);
        assert_eq!(passages.as_u64().unwrap(), n, "--mentions {month}");
    }
}

#[test]
fn an_executor_killed_in_the_middle_of_an_ingest_is_replaced_and_the_set_is_the_same() {
    // 10 fixture articles and 12 files of 200 wire stories (2,410 articles): each task's
    // ingest commits after almost every file (`--commit-every 0.02`), a dozen times. The
    // set is partitioned by publication month: 14 months, each in one shard.
    let (env, local_shards) = reference(12, "month");
    // The wire stories as Parquet from here on: the job reads them with Spark's Parquet
    // reader, and their articles (ids, fields, files) are those of the JSON lines the
    // reference indexes read.
    to_parquet(&env, 12);
    let marker = env.dir.path().join("paused");
    // The first attempt of task 1 to start its ingest stops it (SIGSTOP) after the
    // ingest's first commit that holds articles, and writes its executor's pid and the
    // shard's state to `marker`.
    let pause = format!("1:{}", marker.display());
    let mut child = spark(
        &env,
        "set",
        &["--commit-every", "0.02", "--partition-by", "month"],
        Some(&pause),
    );
    // The job's output is read as it comes, so that a full pipe cannot stall it while
    // this waits for the marker.
    let stdout = read_all(child.stdout.take().unwrap());
    let stderr = read_all(child.stderr.take().unwrap());
    // No time limit on how soon task 1 starts (a loaded machine takes minutes to start
    // two clusters' JVMs): the wait ends when the marker appears or the job ends.
    // `HUNG` only stops a job that does neither.
    let started = Instant::now();
    let state: serde_json::Value = loop {
        if let Ok(text) = std::fs::read_to_string(&marker) {
            break serde_json::from_str(&text).unwrap();
        }
        let ended = child.try_wait().unwrap();
        if ended.is_some() || started.elapsed() > HUNG {
            let _ = child.kill();
            let status = child.wait().unwrap();
            panic!(
                "task 1 never paused: after {:.0?}, the job {}\n{}{}",
                started.elapsed(),
                match ended {
                    Some(_) => format!("ended ({status})"),
                    None => "was still running, and was killed".to_string(),
                },
                stderr.join().unwrap(),
                stdout.join().unwrap(),
            );
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    eprintln!("task 1 paused after {:.0?}", started.elapsed());
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
    let status = child.wait().unwrap();
    let output = Output {
        status,
        stdout: stdout.join().unwrap().into_bytes(),
        stderr: stderr.join().unwrap().into_bytes(),
    };
    let stderr = succeeded(output, 2410);
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

/// A line of `gazette export` becomes a row of the job's nested schema; days and times
/// outside Python's and Spark's years 1 to 9999 ("the 1st century" starts in year 0)
/// are clamped to them rather than failing the task (no Spark launched).
#[test]
fn export_lines_become_rows_and_out_of_range_days_are_clamped() {
    let line = serde_json::json!({
        "article_id": "a", "passage": 2, "start": 10, "end": 40, "title": "T",
        "source": null, "url": null, "path": "c/a.txt",
        "published": "2025-10-15T00:00:00Z", "crawled": null, "date_origin": "metadata",
        "text": "In the 1st century, Rome. October 2025.",
        "entities": [{"start": 20, "end": 24, "text": "Rome", "type": "LOC",
                      "canonical": "Rome", "key": "rome", "entity": "rome"}],
        "dates": [
            {"start": 7, "end": 18, "text": "1st century", "value": "00",
             "range": {"start": "0000-01-01", "end": "0099-12-31"}},
            {"start": 26, "end": 38, "text": "October 2025", "value": "2025-10",
             "range": {"start": "2025-10-01", "end": "2025-10-31"}},
            {"start": 0, "end": 2, "text": "In", "value": "XXXX-07", "range": null}
        ]
    });
    let script = "import json, sys\n\
                  sys.path.insert(0, sys.argv[1])\n\
                  import ingest_job\n\
                  row = ingest_job.passage_row(json.loads(sys.argv[2]), 1)\n\
                  print(json.dumps(row, default=str))";
    let out = Command::new(repo().join(".venv-spark/bin/python"))
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .args(["-c", script])
        .arg(repo().join("scripts/spark"))
        .arg(line.to_string())
        .output()
        .expect("the venv's python runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let row: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        row,
        serde_json::json!([
            "a",
            2,
            10,
            40,
            "In the 1st century, Rome. October 2025.",
            "T",
            null,
            null,
            "c/a.txt",
            "2025-10-15 00:00:00",
            null,
            "metadata",
            1,
            [["LOC", "Rome", "Rome", "rome", "rome", 20, 24]],
            [
                ["1st century", "00", "0001-01-01", "0099-12-31", 7, 18],
                [
                    "October 2025",
                    "2025-10",
                    "2025-10-01",
                    "2025-10-31",
                    26,
                    38
                ],
                ["In", "XXXX-07", null, null, 0, 2]
            ]
        ])
    );
}

/// The stages of the job's reading without Spark (scripts/spark/staged.py's executor
/// side and `gazette extract --staged` / `ingest --staged`): the fixture corpus, broken
/// files and all, read once and handed to 3 shards builds the shards `ingest --shards 3`
/// builds, passage for passage; a shard whose articles come short is refused before its
/// ingest starts.
#[test]
fn a_corpus_read_in_stages_builds_the_shards_a_shards_own_reading_builds() {
    read_in_stages_by("id");
    // By month: the read stage puts each article in its month's shard, as ingest does.
    read_in_stages_by("month");
}

fn read_in_stages_by(by: &str) {
    let env = Env::new();
    let root = repo().join("tests/data/corpus");
    for path in util::walk(&root) {
        let rel = path.strip_prefix(&root).unwrap();
        env.write(
            &format!("c/{}", util::path_str(rel)),
            std::fs::read(&path).unwrap(),
        );
    }
    // Broken files: exit 1, as for one ingest.
    gazette(
        &env,
        &["ingest", "c", "-q", "--shards", "3", "--partition-by", by],
        Path::new("local"),
        1,
    );
    let script = r#"
import json, os, sys
sys.path.insert(0, sys.argv[1])
import staged
gazette, by, root = sys.argv[2], sys.argv[3], "c"
files = []
for folder, _, names in os.walk(root):
    for name in names:
        rel = os.path.relpath(os.path.join(folder, name), root).replace(os.sep, "/")
        files.append(rel)
files.sort(key=lambda rel: rel.split("/"))
to_read = [
    {"seq": seq, "local": f"{root}/{rel}", "path": f"{root}/{rel}",
     "key": os.path.realpath(f"{root}/{rel}"), "id_base": f"{root}/{rel}"}
    for seq, rel in enumerate(files)
]
read = list(staged.run_extract(gazette, 3, by, to_read))
headers = [staged.header_of(f) | {"mtime": os.stat(t["path"]).st_mtime_ns}
           for f, t in zip(read, to_read)]
articles = sorted(a for f in read for a in staged.articles_of(f))
for k in range(3):
    mine = [a for a in articles if a[0][0] == k]
    try:
        staged.write_shard_input(f"short-{k}", headers, iter(mine[:-1]), len(mine))
        sys.exit(f"shard {k}: a short input was taken")
    except staged.Truncated as e:
        print(f"refused: {e}", file=sys.stderr)
    staged.write_shard_input(f"in-{k}", headers, iter(mine), len(mine))
print(json.dumps([h["status"] for h in headers]))
"#;
    let out = Command::new(repo().join(".venv-spark/bin/python"))
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .args(["-c", script])
        .arg(repo().join("scripts/spark"))
        .arg(env!("CARGO_BIN_EXE_gazette"))
        .arg(by)
        .current_dir(env.dir.path())
        .output()
        .expect("the venv's python runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert_eq!(stderr.matches("refused: ").count(), 3, "{by}: {stderr}");
    let statuses: Vec<String> = serde_json::from_slice(&out.stdout).unwrap();
    let count = |s: &str| statuses.iter().filter(|x| *x == s).count();
    // FIXTURES.md: 20 files; 3 skipped (hidden, documentation, unsupported) and 5 failed.
    assert_eq!(
        (statuses.len(), count("skipped"), count("failed")),
        (20, 3, 5)
    );
    for k in 0..3 {
        let shard = format!("shard-{k:04}-of-0003");
        let staged = env.dir.path().join("set").join(&shard);
        let source = format!("in-{k}");
        let args = [
            "ingest",
            "--staged",
            &source,
            "-q",
            "--shard",
            &format!("{k}/3"),
            "--partition-by",
            by,
        ];
        gazette(&env, &args, &staged, 1);
        let local = env.dir.path().join("local").join(&shard);
        for args in [
            &["export"][..],
            &["stats"],
            &["entities", "--format", "jsonl"],
        ] {
            let (a, b) = (
                gazette(&env, args, &local, 0),
                gazette(&env, args, &staged, 0),
            );
            let drop_index = |s: &str| -> String {
                s.lines()
                    .filter(|l| !l.starts_with("index:") && !l.starts_with("size:"))
                    .collect::<Vec<_>>()
                    .join("\n")
            };
            assert_eq!(drop_index(&a), drop_index(&b), "{by}: shard {k}: {args:?}");
        }
        // A second staged ingest finds every file read unchanged (the broken ones are
        // read again, as every ingest reads them) and the shard the same.
        let before = gazette(&env, &["export"], &staged, 0);
        let again = Command::new(env!("CARGO_BIN_EXE_gazette"))
            .args([
                "ingest",
                "--staged",
                &source,
                "--shard",
                &format!("{k}/3 by {by}"),
            ])
            .arg("--index")
            .arg(&staged)
            .current_dir(env.dir.path())
            .output()
            .unwrap();
        let summary = util::stderr(&again);
        assert!(
            summary.contains("unchanged: 12 files"),
            "shard {k}: {summary}"
        );
        assert_eq!(before, gazette(&env, &["export"], &staged, 0), "shard {k}");
    }
}
