//! `gazette serve`: a real server on an ephemeral loopback port, a real HTTP client.
//! Every endpoint's JSON equals the command line's for the same request (less `ran_at`),
//! errors carry the command line's messages with 4xx statuses, the token rule, CORS, a
//! request while an ingest commits, hostile paths and parameters, and a clean stop.

mod util;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};

use serde_json::Value;
use util::{Env, jsonl, path_str, repo};

/// A running `gazette serve`; killed when dropped.
struct Server {
    child: Child,
    base: String,
    log: Arc<Mutex<Vec<String>>>,
}

impl Server {
    fn start(index: &Path, extra: &[&str]) -> Server {
        Server::start_at(index, "127.0.0.1:0", extra)
    }

    fn start_at(index: &Path, addr: &str, extra: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_gazette"))
            .args(["serve", "--index", path_str(index), "--addr", addr])
            .args(extra)
            .stderr(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .expect("gazette serve starts");
        let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
        let first = lines.next().expect("a first line").expect("utf-8");
        let base = first
            .split("http://")
            .nth(1)
            .unwrap_or_else(|| panic!("no address in {first:?}"))
            .trim_end_matches('/')
            .to_string();
        let log = Arc::new(Mutex::new(vec![first]));
        let sink = log.clone();
        std::thread::spawn(move || {
            for line in lines.map_while(Result::ok) {
                sink.lock().unwrap().push(line);
            }
        });
        Server {
            child,
            base: format!("http://{base}"),
            log,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    fn get(&self, path: &str) -> (u16, String) {
        call(agent().get(&self.url(path)).call())
    }

    fn json(&self, path: &str) -> Value {
        let (status, body) = self.get(path);
        assert_eq!(status, 200, "GET {path}: {body}");
        serde_json::from_str(&body).unwrap_or_else(|e| panic!("GET {path}: {e}: {body}"))
    }

    fn post(&self, path: &str, body: &str) -> (u16, String) {
        call(agent().post(&self.url(path)).send(body))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into()
}

fn call(result: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> (u16, String) {
    let mut response = result.expect("the server answers");
    let status = response.status().as_u16();
    let body = response
        .body_mut()
        .with_config()
        .limit(64 * 1024 * 1024)
        .read_to_string()
        .expect("a text body");
    (status, body)
}

/// The fixture index: the near-duplicate fixture (sources, dates, groups) and the
/// bundled article (entities, mentioned dates).
fn fixture() -> Env {
    let env = Env::new();
    env.ok(
        &[
            "ingest",
            path_str(&repo().join("tests/data/copies")),
            path_str(&repo().join("corpus")),
            "--quiet",
        ],
        0,
    );
    env
}

/// A JSON answer without the time it ran.
fn timeless(mut v: Value) -> Value {
    if let Some(meta) = v.get_mut("meta").and_then(Value::as_object_mut) {
        assert!(meta.remove("ran_at").is_some(), "meta has ran_at");
    }
    v
}

fn cli_json(env: &Env, args: &[&str]) -> Value {
    let out = env.run(args);
    assert!(
        out.status.code().is_some_and(|c| c <= 1),
        "gazette {args:?}: {}",
        util::stderr(&out)
    );
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("gazette {args:?}: {e}"))
}

#[test]
fn every_endpoint_answers_as_the_command_line() {
    let env = fixture();
    let server = Server::start(&env.index(), &[]);
    let article = {
        let hits = cli_json(&env, &["query", "port", "--format", "json", "-n", "1"]);
        hits["hits"][0]["article_id"].as_str().unwrap().to_string()
    };
    let cases: Vec<(String, Vec<&str>)> = vec![
        (
            "/api/v1/search?q=port&limit=3".into(),
            vec!["query", "port", "-n", "3", "--format", "json"],
        ),
        (
            "/api/v1/search?q=port&since=2025-03-04&source=Daily%20Post&source=Global%20Wire&facets=true&facet-limit=3&offset=1".into(),
            vec![
                "query", "port", "--since", "2025-03-04", "--source", "Daily Post", "--source",
                "Global Wire", "--facets", "--facet-limit", "3", "--offset", "1", "--format", "json",
            ],
        ),
        (
            "/api/v1/search?q=&loc=Syria&sort=date&dedup=true".into(),
            vec!["query", "", "--loc", "Syria", "--sort", "date", "--dedup", "--format", "json"],
        ),
        (
            "/api/v1/search?q=energy%20dependence&expand=true".into(),
            vec!["query", "energy dependence", "--expand", "--format", "json"],
        ),
        (
            "/api/v1/timeline?q=port&unit=day&dedup=1".into(),
            vec!["query", "port", "--timeline", "day", "--dedup", "--format", "json"],
        ),
        (
            "/api/v1/timeline?q=Russia&by=mentions&normalize=true".into(),
            vec![
                "query", "Russia", "--timeline", "month", "--by", "mentions", "--normalize",
                "--format", "json",
            ],
        ),
        (
            "/api/v1/kwic?q=%22port%20of%22&width=20&kwic-sort=right&limit=5".into(),
            vec![
                "query", "\"port of\"", "--kwic", "--width", "20", "--kwic-sort", "right", "-n",
                "5", "--format", "json",
            ],
        ),
        (
            "/api/v1/collocates?q=port&window=3&min-freq=1&measure=mi".into(),
            vec![
                "collocates", "port", "--window", "3", "--min-freq", "1", "--measure", "mi",
                "--format", "json",
            ],
        ),
        (
            "/api/v1/keyness?q=strike&min-freq=1".into(),
            vec!["keyness", "strike", "--min-freq", "1", "--format", "json"],
        ),
        (
            "/api/v1/expand?q=energy%20dependence".into(),
            vec!["expand", "energy dependence", "--format", "json"],
        ),
        (
            "/api/v1/network?types=PER,LOC".into(),
            vec!["network", "--types", "PER,LOC", "--format", "json"],
        ),
        (
            format!("/api/v1/copies?article-id={article}"),
            vec!["copies", &article, "--format", "json"],
        ),
        (
            "/api/v1/copies?all=true".into(),
            vec!["copies", "--all", "--format", "json"],
        ),
        (
            format!("/api/v1/article?id={article}"),
            vec!["article", &article, "--format", "json"],
        ),
        (
            "/api/v1/entities?type=LOC&min=2&limit=5".into(),
            vec!["entities", "--type", "LOC", "--min", "2", "--limit", "5", "--format", "json"],
        ),
        ("/api/v1/stats".into(), vec!["stats", "--format", "json"]),
    ];
    for (path, args) in &cases {
        let api = server.json(path);
        let cli = cli_json(&env, args);
        if path.starts_with("/api/v1/stats") {
            // stats has no meta; its answer is the index's.
            assert_eq!(api, cli, "{path}");
        } else {
            assert_eq!(
                timeless(api),
                timeless(cli),
                "{path} against gazette {args:?}"
            );
        }
    }
    // The article endpoint: every passage, in order, the hit's among them.
    let whole = server.json(&format!("/api/v1/article?id={article}"));
    let numbers: Vec<u64> = whole["passages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["passage"].as_u64().unwrap())
        .collect();
    assert_eq!(numbers, (0..numbers.len() as u64).collect::<Vec<_>>());
    assert_eq!(whole["article"]["article_id"], article.as_str());
}

#[test]
fn batch_and_tag_take_their_input_as_the_body() {
    let env = fixture();
    let server = Server::start(&env.index(), &[]);
    let book = "strike\tstrike OR walkout\ndrought\tdrought\nsyria\tloc:Syria\n";
    let codebook = env.write("book.tsv", book);
    let (status, body) = server.post("/api/v1/batch?dedup=true", book);
    assert_eq!(status, 200, "{body}");
    let cli = cli_json(
        &env,
        &["batch", path_str(&codebook), "--dedup", "--format", "json"],
    );
    let mut api: Value = serde_json::from_str(&body).unwrap();
    let mut cli = timeless(cli);
    api = timeless(api);
    // The codebook's name is the one thing that differs: a file against the body.
    api["meta"]["options"]["codebook"] = Value::Null;
    cli["meta"]["options"]["codebook"] = Value::Null;
    assert_eq!(api, cli);
    let (status, body) = server.post("/api/v1/batch?timeline=day&normalize=true", book);
    assert_eq!(status, 200, "{body}");
    let cli = cli_json(
        &env,
        &[
            "batch",
            path_str(&codebook),
            "--timeline",
            "day",
            "--normalize",
            "--format",
            "json",
        ],
    );
    let mut api = timeless(serde_json::from_str(&body).unwrap());
    let mut cli = timeless(cli);
    api["meta"]["options"]["codebook"] = Value::Null;
    cli["meta"]["options"]["codebook"] = Value::Null;
    assert_eq!(api, cli);
    let (status, body) = server.post("/api/v1/batch", "strike\tstrike AND\n");
    assert_eq!(status, 400);
    assert!(body.contains("line 1"), "{body}");

    let text = "Vladimir Putin met Ahmed al-Sharaa in Moscow on Wednesday.";
    let (status, body) = server.post("/api/v1/tag?published=2025-10-15", text);
    assert_eq!(status, 200, "{body}");
    let tagged: Value = serde_json::from_str(&body).unwrap();
    let file = env.write("t.txt", text);
    let cli = jsonl(&env.ok(&["tag", path_str(&file), "--published", "2025-10-15"], 0));
    assert_eq!(tagged["entities"], cli[0]["entities"]);
    assert_eq!(tagged["dates"], cli[0]["dates"]);
    assert_eq!(tagged["dates"][0]["value"], "2025-10-15", "{body}");
    // GET is not how they are called.
    assert_eq!(server.get("/api/v1/tag").0, 405);
    assert_eq!(server.post("/api/v1/search?q=port", "").0, 405);
}

#[test]
fn export_streams_every_hit_as_the_command_line_writes_them() {
    let env = fixture();
    let server = Server::start(&env.index(), &[]);
    for (format, content_type) in [("jsonl", "application/x-ndjson"), ("csv", "text/csv")] {
        let mut response = agent()
            .get(&server.url(&format!(
                "/api/v1/export?q=port%20OR%20strike&format={format}"
            )))
            .call()
            .unwrap();
        assert_eq!(response.status().as_u16(), 200);
        let headers = response.headers();
        assert!(
            headers["content-type"]
                .to_str()
                .unwrap()
                .starts_with(content_type),
            "{headers:?}"
        );
        assert!(
            headers["content-disposition"]
                .to_str()
                .unwrap()
                .contains(&format!("gazette-export.{format}"))
        );
        let body = response.body_mut().read_to_string().unwrap();
        let cli = env.ok(&["query", "port OR strike", "--all", "--format", format], 0);
        assert_eq!(body, cli, "export {format}");
        assert!(body.lines().count() >= 5, "{body}");
    }
    let (status, body) = server.get("/api/v1/export?q=port%20AND&format=csv");
    assert_eq!(status, 400);
    assert!(body.contains("column"), "{body}");
    let (status, _) = server.get("/api/v1/export?q=port&format=xml");
    assert_eq!(status, 400);
}

#[test]
fn errors_are_json_with_the_command_lines_messages() {
    let env = fixture();
    let server = Server::start(&env.index(), &[]);
    let check = |path: &str, status: u16, needle: &str| {
        let (got, body) = server.get(path);
        assert_eq!(got, status, "{path}: {body}");
        let v: Value = serde_json::from_str(&body).unwrap_or_else(|e| panic!("{path}: {e}"));
        let message = v["error"].as_str().expect("an error message");
        assert!(message.contains(needle), "{path}: {message}");
    };
    check(
        "/api/v1/search?q=port%20AND",
        400,
        "query syntax error at column 6",
    );
    check(
        "/api/v1/search?q=port&since=March",
        400,
        "--since \"March\" is not a date",
    );
    check("/api/v1/search?q=port&limit=-1", 400, "limit");
    check("/api/v1/search?q=port&limit=100000000", 400, "export");
    check("/api/v1/search?q=port&sort=random", 400, "random");
    check(
        "/api/v1/search?q=port&index=/etc",
        400,
        "unknown parameter `index`",
    );
    check(
        "/api/v1/search?q=port&meta=/tmp/x",
        400,
        "unknown parameter `meta`",
    );
    check(
        "/api/v1/search?q=port&aliases=/etc/passwd",
        400,
        "unknown parameter `aliases`",
    );
    check("/api/v1/search?q=port&all=true", 400, "export");
    check("/api/v1/search?q=", 400, "an empty query needs a filter");
    check("/api/v1/search?q=port&dedup=perhaps", 400, "true or false");
    check("/api/v1/timeline?q=port&unit=century", 400, "century");
    check("/api/v1/collocates?q=", 400, "needs a query");
    check("/api/v1/nothing", 404, "no endpoint /api/v1/nothing");
    check(
        "/api/v1/article?id=no-such-article",
        404,
        "no article \"no-such-article\"",
    );
    check("/api/v1/copies?article-id=nope", 404, "no article \"nope\"");
    check("/api/v1/copies", 400, "required");
    // Oversized bodies. The server answers 413 as soon as the body passes its limit and
    // closes the connection, so the client may still be sending the rest and see a broken
    // pipe instead of the answer: a few tries, and every answer that comes must be a 413.
    let big = "x".repeat(5 * 1024 * 1024);
    let mut answered = None;
    for _ in 0..10 {
        match agent().post(&server.url("/api/v1/tag")).send(&big) {
            Ok(response) => {
                let (status, body) = call(Ok(response));
                assert_eq!(status, 413, "{body}");
                answered = Some(body);
                break;
            }
            Err(ureq::Error::Io(e))
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::BrokenPipe | std::io::ErrorKind::ConnectionReset
                ) => {}
            Err(e) => panic!("the server answers: {e}"),
        }
    }
    let body = answered.expect("a 413 answer within 10 tries");
    assert!(body.contains("error"));
    // Still serving.
    assert_eq!(server.get("/api/v1/stats").0, 200);
}

#[test]
fn hostile_paths_and_parameters_get_a_clean_4xx() {
    let env = fixture();
    let server = Server::start(&env.index(), &[]);
    for path in [
        "/../Cargo.toml",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/..%2fCargo.toml",
        "/app.js/../../Cargo.toml",
        "/%2e%2e%2fCargo.toml",
        "/api/v1/..%2f..%2fCargo.toml",
        "/index.html%00.js",
        "/api/v2/search?q=port",
    ] {
        let (status, body) = server.get(path);
        assert!((400..500).contains(&status), "{path}: {status}");
        assert!(!body.contains("[package]"), "{path} served a file: {body}");
    }
    for query in [
        "q=%ZZ",
        "q=port&limit=%FF%FE",
        "q=port&offset=99999999999999999999999",
        "q=port&person=",
        "q=%00",
        "q=port&since=9999-99-99",
    ] {
        let (status, _) = server.get(&format!("/api/v1/search?{query}"));
        assert!(status < 500, "{query}: {status}");
    }
    let (status, body) = server.get("/api/v1/search?q=port");
    assert_eq!(status, 200, "{body}");
    assert_eq!(server.get("/").0, 200);
    assert!(server.get("/app.js").1.len() > 10);
}

#[test]
fn the_token_rule() {
    let env = fixture();
    // Loopback with a token: every request needs it.
    let server = Server::start(&env.index(), &["--token", "s3cret"]);
    let url = server.url("/api/v1/stats");
    let (status, body) = call(agent().get(&url).call());
    assert_eq!(status, 401, "{body}");
    assert!(body.contains("Bearer"));
    let (status, _) = call(
        agent()
            .get(&url)
            .header("Authorization", "Bearer wrong")
            .call(),
    );
    assert_eq!(status, 401);
    let (status, _) = call(
        agent()
            .get(&url)
            .header("Authorization", "Bearer s3cret")
            .call(),
    );
    assert_eq!(status, 200);
    assert_eq!(call(agent().get(&server.url("/")).call()).0, 401);
    // A browser: Basic authentication, any user, the token as the password.
    let basic = |pair: &str| {
        use base64::Engine;
        format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(pair)
        )
    };
    let (status, _) = call(
        agent()
            .get(&url)
            .header("Authorization", basic("me:s3cret"))
            .call(),
    );
    assert_eq!(status, 200);
    let (status, _) = call(
        agent()
            .get(&url)
            .header("Authorization", basic("s3cret:x"))
            .call(),
    );
    assert_eq!(status, 401);
    drop(server);

    // Any other address needs a token, and says so loudly.
    let out = env.run(&[
        "serve",
        "--index",
        path_str(&env.index()),
        "--addr",
        "0.0.0.0:0",
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", util::stderr(&out));
    assert!(util::stderr(&out).contains("--token"));
    let server = Server::start_at(&env.index(), "0.0.0.0:0", &["--token", "t0ken"]);
    let port = server.base.rsplit(':').next().unwrap().to_string();
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert!(
        server
            .log
            .lock()
            .unwrap()
            .iter()
            .any(|l| l.contains("WARNING")),
        "{:?}",
        server.log.lock().unwrap()
    );
    let url = format!("http://127.0.0.1:{port}/api/v1/stats");
    assert_eq!(call(agent().get(&url).call()).0, 401);
    let ok = agent()
        .get(&url)
        .header("Authorization", "Bearer t0ken")
        .call();
    assert_eq!(call(ok).0, 200);
}

#[test]
fn cors_only_when_asked() {
    let env = fixture();
    let server = Server::start(&env.index(), &[]);
    let response = agent()
        .get(&server.url("/api/v1/stats"))
        .header("Origin", "http://example.org")
        .call()
        .unwrap();
    assert!(
        response
            .headers()
            .get("access-control-allow-origin")
            .is_none()
    );
    drop(server);
    let server = Server::start(&env.index(), &["--cors", "http://localhost:3000"]);
    let response = agent()
        .get(&server.url("/api/v1/stats"))
        .header("Origin", "http://localhost:3000")
        .call()
        .unwrap();
    assert_eq!(
        response.headers()["access-control-allow-origin"],
        "http://localhost:3000"
    );
    let other = agent()
        .get(&server.url("/api/v1/stats"))
        .header("Origin", "http://evil.example")
        .call()
        .unwrap();
    assert!(other.headers().get("access-control-allow-origin").is_none());
    let preflight = agent()
        .options(&server.url("/api/v1/search"))
        .header("Origin", "http://localhost:3000")
        .header("Access-Control-Request-Method", "GET")
        .call()
        .unwrap();
    assert_eq!(preflight.status().as_u16(), 204);
}

#[test]
fn answers_follow_an_ingest_committing_beside_the_server() {
    let env = Env::new();
    env.ok(&["ingest", path_str(&repo().join("corpus")), "--quiet"], 0);
    let server = Server::start(&env.index(), &[]);
    let before = server.json("/api/v1/stats")["articles"].as_u64().unwrap();
    // Many small files, committed every 50 ms, while the server answers.
    for i in 0..300 {
        env.write(
            &format!("more/{i:03}.txt"),
            format!(
                "Harbour note {i}\n\nThe harbour of Valmora reported ship number {i} on Monday."
            ),
        );
    }
    let mut ingest = Command::new(env!("CARGO_BIN_EXE_gazette"))
        .args([
            "ingest",
            "more",
            "--quiet",
            "--commit-every",
            "0.05",
            "-j",
            "1",
        ])
        .arg("--index")
        .arg(env.index())
        .current_dir(env.dir.path())
        .spawn()
        .unwrap();
    let mut seen = Vec::new();
    loop {
        let done = ingest.try_wait().unwrap().is_some();
        let (status, body) = server.get("/api/v1/search?q=harbour&limit=1");
        assert_eq!(status, 200, "{body}");
        let v: Value = serde_json::from_str(&body).unwrap();
        seen.push(v["total"].as_u64().unwrap());
        if done {
            break;
        }
    }
    assert!(ingest.wait().unwrap().success());
    assert!(
        seen.windows(2).all(|w| w[0] <= w[1]),
        "counts only grow: {seen:?}"
    );
    let after = server.json("/api/v1/stats")["articles"].as_u64().unwrap();
    assert_eq!(after, before + 300);
    assert_eq!(
        server.json("/api/v1/search?q=harbour&limit=1")["total"],
        300
    );
}

#[test]
fn logs_a_line_per_request_and_stops_on_sigterm() {
    let env = fixture();
    let mut server = Server::start(&env.index(), &[]);
    server.get("/api/v1/search?q=port");
    server.get("/api/v1/nothing");
    std::thread::sleep(std::time::Duration::from_millis(200));
    {
        let log = server.log.lock().unwrap();
        assert!(
            log.iter()
                .any(|l| l.starts_with("GET /api/v1/search?q=port 200 ") && l.ends_with(" ms")),
            "{log:?}"
        );
        assert!(
            log.iter()
                .any(|l| l.starts_with("GET /api/v1/nothing 404 ")),
            "{log:?}"
        );
    }
    // SIGTERM: a clean stop, exit 0.
    unsafe { libc::kill(server.child.id() as i32, libc::SIGTERM) };
    let status = server.child.wait().unwrap();
    assert!(status.success(), "{status:?}");
    std::thread::sleep(std::time::Duration::from_millis(100));
    assert!(
        server
            .log
            .lock()
            .unwrap()
            .iter()
            .any(|l| l.contains("shutting down"))
    );
}

#[test]
fn many_clients_at_once_get_every_answer() {
    // Bounded: 32 clients, 1,600 mixed requests, then it stops; the figures on BBC are
    // scripts/bench-serve.py's.
    let env = fixture();
    let server = Server::start(&env.index(), &[]);
    let article = server.json("/api/v1/search?q=port&limit=1")["hits"][0]["article_id"]
        .as_str()
        .unwrap()
        .to_string();
    let paths = [
        "/api/v1/search?q=port".to_string(),
        "/api/v1/search?q=strike&facets=true&dedup=true".to_string(),
        "/api/v1/timeline?q=port&unit=day".to_string(),
        "/api/v1/kwic?q=port&limit=5".to_string(),
        format!("/api/v1/article?id={article}"),
        "/api/v1/entities?limit=5".to_string(),
        "/api/v1/stats".to_string(),
        "/api/v1/search?q=port%20AND".to_string(),
    ];
    let next = std::sync::atomic::AtomicUsize::new(0);
    let failures = Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..32 {
            s.spawn(|| {
                let agent = agent();
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    if i >= 1600 {
                        break;
                    }
                    let path = &paths[i % paths.len()];
                    let expected = if path.ends_with("%20AND") { 400 } else { 200 };
                    match agent.get(&server.url(path)).call() {
                        Ok(mut r) => {
                            let status = r.status().as_u16();
                            let body = r.body_mut().read_to_string().unwrap_or_default();
                            if status != expected || body.is_empty() {
                                failures.lock().unwrap().push(format!("{path}: {status}"));
                            }
                        }
                        Err(e) => failures.lock().unwrap().push(format!("{path}: {e}")),
                    }
                }
            });
        }
    });
    let failures = failures.into_inner().unwrap();
    assert!(
        failures.is_empty(),
        "{} failed: {:?}",
        failures.len(),
        &failures[..failures.len().min(5)]
    );
    assert_eq!(server.get("/api/v1/stats").0, 200);
}
