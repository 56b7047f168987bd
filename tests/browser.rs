//! The search page of `gazette serve` in headless Chromium: ingests `tests/data/browser`,
//! starts the server on an ephemeral loopback port and runs
//! `node tests/browser/page.test.mjs URL` against it (typing a query, facets, the
//! timeline, an article, copies, export, URL state, the injection fixture, phone width).
//!
//! Needs Node.js, Debian's `chromium` and the npm packages of `tests/browser`
//! (`playwright-core`). When one is missing the test fails and says what to install: a
//! skipped browser test would look like a passing one.

mod util;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use util::{Env, path_str, read_all, repo};

const CHROMIUM: &str = "/usr/bin/chromium";
/// The whole browser run takes some 10 s; this only stops a hung one.
const RUN_LIMIT: Duration = Duration::from_secs(300);

/// A child process killed when dropped, so a failing assertion leaves no server behind.
struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// What the browser run needs and this machine lacks, each with how to get it.
fn missing_tools() -> Vec<String> {
    let mut missing = Vec::new();
    let node = Command::new("node").arg("--version").output();
    if !node.is_ok_and(|out| out.status.success()) {
        missing.push("Node.js (`apt-get install nodejs npm`)".to_string());
    }
    if !Path::new(CHROMIUM).exists() {
        missing.push(format!(
            "{CHROMIUM} (`apt-get install chromium chromium-driver`)"
        ));
    }
    if !repo()
        .join("tests/browser/node_modules/playwright-core/package.json")
        .exists()
    {
        missing.push("playwright-core (`npm ci --prefix tests/browser`)".to_string());
    }
    missing
}

/// Starts `gazette serve` on `index` at an ephemeral port; its base URL, from the first
/// line it writes on stderr, and a channel of the lines after it (the request log).
fn serve(index: &Path) -> (Killed, String, mpsc::Receiver<String>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_gazette"))
        .args(["serve", "--index", path_str(index), "--addr", "127.0.0.1:0"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("gazette serve starts");
    let stderr = child.stderr.take().expect("piped stderr");
    let server = Killed(child);
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let first = rx
        .recv_timeout(Duration::from_secs(60))
        .expect("gazette serve writes its address within a minute");
    let base = first
        .split_once(" on ")
        .map(|(_, url)| url.trim().to_string())
        .filter(|url| url.starts_with("http://"))
        .unwrap_or_else(|| panic!("no URL in the first line of gazette serve: {first:?}"));
    (server, base, rx)
}

#[test]
fn the_page_in_headless_chromium() {
    let missing = missing_tools();
    assert!(
        missing.is_empty(),
        "the browser tests need {}; install them (as .ci/run does) and run again",
        missing.join(", ")
    );

    let env = Env::new();
    env.ok(
        &[
            "ingest",
            path_str(&repo().join("tests/data/browser")),
            "--quiet",
        ],
        0,
    );
    let (server, base, log) = serve(&env.index());

    let mut node = Command::new("node")
        .arg(repo().join("tests/browser/page.test.mjs"))
        .arg(&base)
        .current_dir(repo().join("tests/browser"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("node starts");
    // Read its output as it comes, so a full pipe cannot stall it.
    let stdout = read_all(node.stdout.take().expect("piped stdout"));
    let stderr = read_all(node.stderr.take().expect("piped stderr"));
    let started = Instant::now();
    let status = loop {
        if let Some(status) = node.try_wait().expect("waiting for node") {
            break Some(status);
        }
        if started.elapsed() > RUN_LIMIT {
            let _ = node.kill();
            let _ = node.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    drop(server);
    let (stdout, stderr) = (stdout.join().unwrap(), stderr.join().unwrap());
    let requests: Vec<String> = log.try_iter().collect();
    let report = format!(
        "node tests/browser/page.test.mjs {base}\n--- stdout\n{stdout}--- stderr\n{stderr}\
         --- gazette serve (last 40 lines)\n{}",
        requests[requests.len().saturating_sub(40)..].join("\n")
    );
    match status {
        None => panic!("the browser checks ran over {RUN_LIMIT:?} and were stopped\n{report}"),
        Some(status) => assert!(
            status.success(),
            "browser checks failed ({status})\n{report}"
        ),
    }
    assert!(
        stdout.contains(" browser checks passed"),
        "no summary line from the browser checks\n{report}"
    );
}
