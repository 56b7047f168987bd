//! Equal ranks are settled by article id (bytes), then passage number, never by where
//! the passages sit in the index: a page of hits, a page whose end or start cuts a run of
//! ties, `--all`, and `--sort date` (newest first, undated last, then score, then id).
//!
//! The fixture is ingested one file per commit, the larger ids first, so that index order
//! (segment, then document) is the reverse of the required order within each tie.

mod util;

use util::{Env, jsonl};

/// Identical passages score identically: every `tie` article has this body.
const TIED: &str = "The harbour reopened after the storm.";
/// Scores higher than [`TIED`]: the query word twice.
const HIGHER: &str = "The harbour reopened after the harbour storm.";

fn article(id: &str, date: Option<&str>, body: &str) -> String {
    let date = date.map(|d| format!("date: {d}\n")).unwrap_or_default();
    format!("---\ntitle: Harbour news\n{date}id: {id}\n---\n\n{body}\n")
}

/// One ingest (one commit, one segment) per article, in this order.
fn env() -> Env {
    let files = [
        ("c3.md", article("c-3", Some("2025-03-01"), TIED)),
        ("b2.md", article("b-2", Some("2025-03-01"), TIED)),
        // Two identical passages in one article: they tie too, passage 0 first.
        (
            "a1.md",
            article("a-1", Some("2025-03-01"), &format!("{TIED}\n\n{TIED}")),
        ),
        ("undated.md", article("0-undated", None, TIED)),
        ("z.md", article("z-top", Some("2025-03-01"), HIGHER)),
        ("m.md", article("m-top", Some("2025-01-01"), HIGHER)),
    ];
    let env = Env::new();
    for (name, text) in &files {
        let path = env.write(&format!("c/{name}"), text);
        env.ok(&["ingest", util::path_str(&path), "--quiet"], 0);
    }
    env
}

/// `article_id/passage` of each hit of `query harbour ARGS --format jsonl`, in order.
fn order(env: &Env, args: &[&str]) -> Vec<String> {
    let mut full = vec!["query", "harbour", "--format", "jsonl"];
    full.extend_from_slice(args);
    jsonl(&env.ok(&full, 0))
        .iter()
        .map(|h| format!("{}/{}", h["article_id"].as_str().unwrap(), h["passage"]))
        .collect()
}

const BY_SCORE: [&str; 7] = [
    "m-top/0",
    "z-top/0",
    "0-undated/0",
    "a-1/0",
    "a-1/1",
    "b-2/0",
    "c-3/0",
];

const BY_DATE: [&str; 7] = [
    // 2025-03-01: the higher score first, then the ties by id and passage.
    "z-top/0",
    "a-1/0",
    "a-1/1",
    "b-2/0",
    "c-3/0",
    // 2025-01-01, then undated.
    "m-top/0",
    "0-undated/0",
];

#[test]
fn ties_are_ordered_by_article_id_then_passage() {
    let env = env();
    // The scores really tie (else this test proves nothing).
    let hits = jsonl(&env.ok(&["query", "harbour", "--all", "--format", "jsonl"], 0));
    let scores: Vec<f64> = hits.iter().map(|h| h["score"].as_f64().unwrap()).collect();
    assert_eq!(scores.len(), 7);
    assert_eq!(scores[0], scores[1], "{scores:?}");
    assert!(scores[1] > scores[2], "{scores:?}");
    assert!(scores[2..].iter().all(|&s| s == scores[2]), "{scores:?}");

    // A page of hits, whole.
    assert_eq!(order(&env, &[]), BY_SCORE);
    // --all.
    assert_eq!(order(&env, &["--all"]), BY_SCORE);
    // Every window: pages whose ends and starts cut the runs of ties.
    for offset in 0..7 {
        for limit in 1..8 {
            let (o, l) = (offset.to_string(), limit.to_string());
            let want: Vec<&str> = BY_SCORE.iter().skip(offset).take(limit).copied().collect();
            let args = ["--offset", o.as_str(), "--limit", l.as_str()];
            assert_eq!(order(&env, &args), want, "{args:?}");
        }
    }
    // --all with an offset into a run of ties.
    assert_eq!(order(&env, &["--all", "--offset", "3"]), BY_SCORE[3..]);
}

#[test]
fn date_order_breaks_ties_by_score_then_article_id_then_passage() {
    let env = env();
    assert_eq!(order(&env, &["--sort", "date"]), BY_DATE);
    assert_eq!(order(&env, &["--sort", "date", "--all"]), BY_DATE);
    assert_eq!(
        order(&env, &["--sort", "date", "--offset", "2", "--limit", "2"]),
        BY_DATE[2..4]
    );
}
