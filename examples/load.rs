//! Load on a running `gazette serve`: N clients on loopback, a fixed number of mixed
//! requests (searches, facets, timelines, concordances, articles, entities, stats),
//! then throughput, errors and latency percentiles per kind. Bounded: it stops after
//! `--requests` requests or `--max-seconds`, whichever comes first.
//!
//! cargo run --release --example load -- http://127.0.0.1:7700 \
//!     --clients 32 --requests 20000 --queries scripts/bench-queries.tsv

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let base = args
        .first()
        .filter(|a| a.starts_with("http://"))
        .expect("usage: load URL [--clients N] [--requests N] [--queries TSV] [--max-seconds S] [--token T]")
        .trim_end_matches('/')
        .to_string();
    let flag = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let clients: usize = flag("--clients").map_or(32, |v| v.parse().unwrap());
    let requests: usize = flag("--requests").map_or(20_000, |v| v.parse().unwrap());
    let max = Duration::from_secs_f64(flag("--max-seconds").map_or(600.0, |v| v.parse().unwrap()));
    let token = flag("--token");
    let queries = match flag("--queries") {
        Some(path) => read_queries(&path),
        None => vec!["q=port".to_string(), "q=strike".to_string()],
    };
    let agent = agent();
    // Article ids to open, from the first query's hits.
    let ids = article_ids(&agent, &base, &queries, token.as_deref());
    let paths = mix(&queries, &ids);

    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<(&'static str, u16, Duration)>> =
        Mutex::new(Vec::with_capacity(requests));
    let started = Instant::now();
    std::thread::scope(|s| {
        for _ in 0..clients {
            s.spawn(|| {
                let agent = agent.clone();
                let mut mine = Vec::new();
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= requests || started.elapsed() > max {
                        break;
                    }
                    let (kind, path) = &paths[i % paths.len()];
                    let t = Instant::now();
                    let status = get(&agent, &format!("{base}{path}"), token.as_deref());
                    mine.push((*kind, status, t.elapsed()));
                }
                results.lock().unwrap().extend(mine);
            });
        }
    });
    let wall = started.elapsed();
    let results = results.into_inner().unwrap();
    report(&results, wall, clients);
}

/// Each query line of the benchmark file as URL parameters: the query, then its flags
/// (`--person "Tony Blair"` → `person=Tony Blair`).
fn read_queries(path: &str) -> Vec<String> {
    let text = std::fs::read_to_string(path).expect("the queries file");
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|line| {
            let mut cols = line.split('\t');
            let query = cols.next().unwrap_or("");
            let flags = cols.next().unwrap_or("-");
            let mut params = form_urlencoded::Serializer::new(String::new());
            params.append_pair("q", query);
            if flags != "-" {
                let words = split_flags(flags);
                for pair in words.chunks(2) {
                    if let [name, value] = pair {
                        params.append_pair(name.trim_start_matches("--"), value);
                    }
                }
            }
            params.finish()
        })
        .collect()
}

/// `--person "Tony Blair" --sort date` → its words, quotes removed.
fn split_flags(flags: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    for c in flags.chars() {
        match c {
            '"' => quoted = !quoted,
            ' ' if !quoted => {
                if !current.is_empty() {
                    words.push(std::mem::take(&mut current));
                }
            }
            _ => current.push(c),
        }
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

/// The requests, in the order the clients take them: half plain searches, the rest
/// facets, timelines, concordances, later pages with dedup, articles, entities, stats.
fn mix(queries: &[String], ids: &[String]) -> Vec<(&'static str, String)> {
    let mut paths = Vec::new();
    for (i, q) in queries.iter().enumerate() {
        paths.push(("search", format!("/api/v1/search?{q}")));
        paths.push(("search", format!("/api/v1/search?{q}&limit=20")));
        paths.push(("search", format!("/api/v1/search?{q}&offset=10&dedup=true")));
        paths.push(("search", format!("/api/v1/search?{q}&any=true")));
        paths.push(("facets", format!("/api/v1/search?{q}&facets=true")));
        paths.push(("timeline", format!("/api/v1/timeline?{q}&unit=month")));
        paths.push(("kwic", format!("/api/v1/kwic?{q}&limit=20")));
        if !ids.is_empty() {
            paths.push((
                "article",
                format!("/api/v1/article?id={}", ids[i % ids.len()]),
            ));
        }
        if i % 4 == 0 {
            paths.push(("entities", "/api/v1/entities?limit=20".to_string()));
            paths.push(("stats", "/api/v1/stats".to_string()));
        }
    }
    paths
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(60)))
        .build()
        .into()
}

/// The status of a GET, its body read whole; 0 when the request failed outright.
fn get(agent: &ureq::Agent, url: &str, token: Option<&str>) -> u16 {
    let mut request = agent.get(url);
    if let Some(token) = token {
        request = request.header("Authorization", format!("Bearer {token}"));
    }
    match request.call() {
        Ok(mut response) => {
            let status = response.status().as_u16();
            match response
                .body_mut()
                .with_config()
                .limit(u64::MAX)
                .read_to_vec()
            {
                Ok(_) => status,
                Err(_) => 0,
            }
        }
        Err(_) => 0,
    }
}

fn article_ids(
    agent: &ureq::Agent,
    base: &str,
    queries: &[String],
    token: Option<&str>,
) -> Vec<String> {
    let mut ids = Vec::new();
    for q in queries.iter().take(5) {
        let mut request = agent.get(format!("{base}/api/v1/search?{q}&limit=5"));
        if let Some(token) = token {
            request = request.header("Authorization", format!("Bearer {token}"));
        }
        let Ok(mut response) = request.call() else {
            continue;
        };
        let Ok(body) = response.body_mut().read_to_string() else {
            continue;
        };
        let Ok(v) = serde_json::from_str::<serde_json::Value>(&body) else {
            continue;
        };
        for hit in v["hits"].as_array().into_iter().flatten() {
            if let Some(id) = hit["article_id"].as_str() {
                ids.push(form_urlencoded::byte_serialize(id.as_bytes()).collect());
            }
        }
    }
    ids
}

fn report(results: &[(&'static str, u16, Duration)], wall: Duration, clients: usize) {
    let errors = results.iter().filter(|(_, s, _)| *s != 200).count();
    let mut by_kind: BTreeMap<&str, Vec<Duration>> = BTreeMap::new();
    for (kind, _, t) in results {
        by_kind.entry(kind).or_default().push(*t);
        by_kind.entry("all").or_default().push(*t);
    }
    println!(
        "{} requests, {clients} clients, {:.1} s, {:.0} requests/s, {errors} errors",
        results.len(),
        wall.as_secs_f64(),
        results.len() as f64 / wall.as_secs_f64()
    );
    println!(
        "{:<10} {:>8} {:>10} {:>10} {:>10}",
        "kind", "count", "p50 ms", "p99 ms", "max ms"
    );
    for (kind, mut times) in by_kind {
        times.sort();
        let at = |q: f64| times[((times.len() as f64 - 1.0) * q).round() as usize];
        println!(
            "{kind:<10} {:>8} {:>10.1} {:>10.1} {:>10.1}",
            times.len(),
            at(0.5).as_secs_f64() * 1e3,
            at(0.99).as_secs_f64() * 1e3,
            times.last().unwrap().as_secs_f64() * 1e3
        );
    }
    let summary = serde_json::json!({
        "requests": results.len(),
        "clients": clients,
        "seconds": wall.as_secs_f64(),
        "errors": errors,
    });
    eprintln!("{summary}");
    if errors > 0 {
        std::process::exit(1);
    }
}
