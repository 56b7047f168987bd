//! `gazette network`: edges and weights equal to the co-mentions counted from the hits'
//! own entities, type and weight filters, and the graph formats (the bundled corpus).

mod util;

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;
use util::{Env, jsonl, path_str, repo};

fn bundled() -> Env {
    let env = Env::new();
    env.ok(&["ingest", path_str(&repo().join("corpus")), "--quiet"], 0);
    env
}

/// Edge (source, target) -> (passages, articles), counted here from `query --all` hits.
fn expected(env: &Env, query: &str, types: &[&str]) -> BTreeMap<(String, String), (u64, u64)> {
    let field = |t: &str| match t {
        "PER" => "person",
        "ORG" => "org",
        "LOC" => "loc",
        _ => "misc",
    };
    let mut args = vec!["query", query, "--all", "--format", "jsonl"];
    if query.is_empty() {
        args.extend(["--since", "1900"]);
    }
    let mut edges: BTreeMap<(String, String), (u64, BTreeSet<String>)> = BTreeMap::new();
    for hit in jsonl(&env.ok(&args, 0)) {
        let named: BTreeSet<String> = hit["entities"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| types.is_empty() || types.contains(&e["type"].as_str().unwrap()))
            .map(|e| {
                format!(
                    "{}:{}",
                    field(e["type"].as_str().unwrap()),
                    e["canonical"].as_str().unwrap()
                )
            })
            .collect();
        let named: Vec<String> = named.into_iter().collect();
        for (i, a) in named.iter().enumerate() {
            for b in &named[i + 1..] {
                let e = edges.entry((a.clone(), b.clone())).or_default();
                e.0 += 1;
                e.1.insert(hit["article_id"].as_str().unwrap().to_string());
            }
        }
    }
    edges
        .into_iter()
        .map(|(k, (p, a))| (k, (p, a.len() as u64)))
        .collect()
}

fn network(env: &Env, args: &[&str]) -> Value {
    let all = [&["network"][..], args, &["--format", "json"]].concat();
    serde_json::from_str(&env.ok(&all, 0)).unwrap()
}

fn edges(net: &Value) -> BTreeMap<(String, String), (u64, u64)> {
    net["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                (
                    e["source"].as_str().unwrap().to_string(),
                    e["target"].as_str().unwrap().to_string(),
                ),
                (
                    e["passages"].as_u64().unwrap(),
                    e["articles"].as_u64().unwrap(),
                ),
            )
        })
        .collect()
}

#[test]
fn edges_are_the_co_mentions_of_the_hits() {
    let env = bundled();
    let whole = network(&env, &[]);
    let want = expected(&env, "", &[]);
    assert!(want.len() > 10, "{want:?}");
    assert_eq!(edges(&whole), want);
    assert_eq!(whole["passages"], 27);
    // Every node of an edge is listed once, with the passages naming it.
    let nodes: BTreeSet<&str> = whole["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["id"].as_str().unwrap())
        .collect();
    for (a, b) in want.keys() {
        assert!(nodes.contains(a.as_str()) && nodes.contains(b.as_str()));
    }
    assert_eq!(whole["meta"]["command"], "network");
    // A query, a type filter and a weight floor.
    let russia = network(&env, &["Russia", "--types", "PER,LOC", "--min", "2"]);
    let want: BTreeMap<_, _> = expected(&env, "Russia", &["PER", "LOC"])
        .into_iter()
        .filter(|(_, (p, _))| *p >= 2)
        .collect();
    assert!(!want.is_empty());
    assert_eq!(edges(&russia), want);
    assert!(
        russia["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .all(|n| n["type"] == "PER" || n["type"] == "LOC")
    );
}

#[test]
fn graph_formats_and_edge_lists() {
    let env = bundled();
    let net = network(&env, &["--min", "2"]);
    let (nodes, edges) = (
        net["nodes"].as_array().unwrap().len(),
        net["edges"].as_array().unwrap().len(),
    );
    let graphml = env.ok(&["network", "--min", "2", "--format", "graphml"], 0);
    assert!(graphml.starts_with("<?xml") && graphml.trim_end().ends_with("</graphml>"));
    assert_eq!(graphml.matches("<node id=").count(), nodes);
    assert_eq!(graphml.matches("<edge id=").count(), edges);
    let gexf = env.ok(&["network", "--min", "2", "--format", "gexf"], 0);
    assert!(gexf.trim_end().ends_with("</gexf>"));
    assert_eq!(gexf.matches("<node id=").count(), nodes);
    assert_eq!(gexf.matches("<edge id=").count(), edges);
    let csv = env.ok(&["network", "--min", "2", "--format", "csv"], 0);
    assert!(
        csv.starts_with("source,target,passages,articles,first,last\n"),
        "{csv}"
    );
    assert_eq!(csv.lines().count(), edges + 1);
    assert!(csv.contains(",2025-10-15,2025-10-15"));
    let bad = env.run(&["network", "--types", "PERSON"]);
    assert_eq!(bad.status.code(), Some(2));
}
