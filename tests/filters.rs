//! Query filters given more than once: `--source` means any of them (a passage has one
//! source); entity filters are all required (tests/entities.rs).

mod util;

use util::{Env, jsonl};

#[test]
fn repeated_source_means_any_of_them() {
    let article = |source: &str| {
        format!("---\ntitle: Harbour report\nsource: {source}\n---\nThe harbour reopened today.\n")
    };
    let env = Env::with_corpus(&[
        ("a.md", &article("North Wire")),
        ("b.md", &article("South Post")),
        ("c.md", &article("East Herald")),
    ]);
    let sources = |args: &[&str]| -> Vec<String> {
        let mut full = vec!["query", "harbour", "--all", "--format", "jsonl"];
        full.extend_from_slice(args);
        let mut s: Vec<String> = jsonl(&env.ok(&full, 0))
            .iter()
            .map(|h| h["source"].as_str().unwrap().to_string())
            .collect();
        s.sort();
        s
    };
    assert_eq!(sources(&["--source", "north wire"]), ["North Wire"]);
    assert_eq!(
        sources(&["--source", "north wire", "--source", "SOUTH POST"]),
        ["North Wire", "South Post"]
    );
    assert_eq!(sources(&[]).len(), 3);
    // With only unknown sources nothing matches.
    env.ok(
        &[
            "query",
            "harbour",
            "--source",
            "nowhere",
            "--source",
            "elsewhere",
            "--count",
        ],
        1,
    );
}
