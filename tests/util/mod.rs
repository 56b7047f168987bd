//! Test helpers: run the real `gazette` binary in a temporary folder.

#![allow(dead_code)]

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;

pub mod sets;

/// A temporary workspace with an index folder.
pub struct Env {
    pub dir: tempfile::TempDir,
}

impl Env {
    pub fn new() -> Env {
        Env {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn index(&self) -> PathBuf {
        self.dir.path().join("idx")
    }

    /// `gazette ARGS... --index <tmp>/idx` (for subcommands that take an index).
    pub fn run(&self, args: &[&str]) -> Output {
        let mut cmd = Command::cargo_bin("gazette").expect("binary built");
        cmd.args(args);
        if matches!(
            args.first(),
            Some(
                &"ingest"
                    | &"query"
                    | &"batch"
                    | &"stats"
                    | &"entities"
                    | &"copies"
                    | &"collocates"
                    | &"keyness"
                    | &"network"
                    | &"expand"
                    | &"article"
                    | &"export"
            )
        ) {
            cmd.arg("--index").arg(self.index());
        }
        cmd.current_dir(self.dir.path());
        cmd.output().expect("gazette runs")
    }

    /// Runs and returns stdout, asserting the exit code.
    pub fn ok(&self, args: &[&str], code: i32) -> String {
        let out = self.run(args);
        assert_eq!(
            out.status.code(),
            Some(code),
            "gazette {args:?}\nstdout: {}\nstderr: {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("utf-8 stdout")
    }

    /// A workspace whose index holds `files` (name, text), written under `c/`.
    pub fn with_corpus(files: &[(&str, &str)]) -> Env {
        let env = Env::new();
        for (name, text) in files {
            env.write(&format!("c/{name}"), text);
        }
        env.ok(&["ingest", "c", "--quiet"], 0);
        env
    }

    /// Writes a file under the workspace, creating folders.
    pub fn write(&self, rel: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.dir.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, contents).unwrap();
        path
    }
}

/// The repository root (for the bundled corpus and fixtures).
/// Every file under `root`, in path order.
pub fn walk(root: &Path) -> Vec<std::path::PathBuf> {
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

pub fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

pub fn path_str(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// The bundled seed article.
pub fn seed() -> PathBuf {
    repo().join("corpus/2025-10-15-syria-russia-moscow-talks.md")
}

/// A workspace whose index holds the bundled corpus.
pub fn seed_env() -> Env {
    let env = Env::new();
    env.ok(&["ingest", path_str(&repo().join("corpus")), "--quiet"], 0);
    env
}

/// Asserts that a tagged span's byte offsets point at its `text` in `input`.
pub fn assert_span(input: &str, span: &serde_json::Value) {
    let start = span["start"].as_u64().unwrap() as usize;
    let end = span["end"].as_u64().unwrap() as usize;
    assert_eq!(
        &input[start..end],
        span["text"].as_str().unwrap(),
        "byte offsets into the input"
    );
}

/// Parses JSON lines.
pub fn jsonl(s: &str) -> Vec<serde_json::Value> {
    s.lines()
        .map(|l| serde_json::from_str(l).expect("valid JSON line"))
        .collect()
}

/// The first element of the JSON array `list` whose `field` is `value`.
pub fn find_by<'a>(list: &'a serde_json::Value, field: &str, value: &str) -> &'a serde_json::Value {
    list.as_array()
        .expect("a JSON array")
        .iter()
        .find(|item| item[field] == value)
        .unwrap_or_else(|| panic!("no {field} = {value:?} in {list}"))
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// `query QUERY FILTERS... --count` in `env`, as a number (exit 1 when 0 is still an
/// answer).
pub fn count(env: &Env, query: &str, filters: &[&str]) -> u64 {
    let mut args = vec!["query", query];
    args.extend(filters);
    args.push("--count");
    let out = env.run(&args);
    assert!(out.status.code().unwrap() <= 1, "{}", stderr(&out));
    String::from_utf8(out.stdout)
        .unwrap()
        .trim()
        .parse()
        .unwrap()
}

/// A thread that reads `pipe` to its end, so that a child's full pipe cannot stall it
/// while a test waits on something else.
pub fn read_all(mut pipe: impl Read + Send + 'static) -> std::thread::JoinHandle<String> {
    std::thread::spawn(move || {
        let mut text = String::new();
        let _ = pipe.read_to_string(&mut text);
        text
    })
}
