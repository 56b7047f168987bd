//! Snapshots of the help texts and of a query's text output, so unintended changes to what
//! users read show up in review. Regenerate with `UPDATE_SNAPSHOTS=1 cargo test --test snapshots`.

mod util;

use util::{Env, repo};

fn check(name: &str, actual: &str) {
    let path = repo().join("tests/snapshots").join(name);
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("missing snapshot {name}; run with UPDATE_SNAPSHOTS=1"));
    assert_eq!(
        actual, expected,
        "snapshot {name} changed; rerun with UPDATE_SNAPSHOTS=1 if intended"
    );
}

#[test]
fn help_texts() {
    let env = Env::new();
    check("help.txt", &env.ok(&["--help"], 0));
    for cmd in [
        "ingest",
        "query",
        "batch",
        "collocates",
        "keyness",
        "network",
        "expand",
        "stats",
        "entities",
        "copies",
        "export",
        "tag",
        "extract",
        "completions",
        "man",
    ] {
        let mut cmd_env = assert_cmd::Command::cargo_bin("gazette").unwrap();
        let out = cmd_env.args([cmd, "--help"]).output().unwrap();
        check(
            &format!("help-{cmd}.txt"),
            &String::from_utf8(out.stdout).unwrap(),
        );
    }
}

#[test]
fn text_output_of_a_query() {
    let env = Env::new();
    // Copied, so the paths in the output are relative and the same on every machine.
    let name = "2025-10-15-syria-russia-moscow-talks.md";
    let article = std::fs::read(repo().join("corpus").join(name)).unwrap();
    env.write(&format!("corpus/{name}"), article);
    env.ok(&["ingest", "corpus", "--quiet"], 0);
    let out = env.ok(
        &[
            "query",
            "Hmeimim airbase",
            "--limit",
            "2",
            "--color",
            "never",
        ],
        0,
    );
    check("query-hmeimim.txt", &out);
}
