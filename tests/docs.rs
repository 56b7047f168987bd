//! `gazette completions SHELL` and `gazette man`: generated from the same clap definitions
//! as `--help`, so every subcommand and flag the help shows must be in them.

mod util;

use std::collections::BTreeSet;

use util::Env;

const SUBCOMMANDS: &[&str] = &[
    "ingest",
    "query",
    "batch",
    "stats",
    "tag",
    "completions",
    "man",
];

/// The long flags `gazette SUB --help` lists, without their dashes.
fn long_flags(env: &Env, sub: &str) -> BTreeSet<String> {
    let help = env.ok(&[sub, "--help"], 0);
    let flags: BTreeSet<String> = help
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .filter_map(|w| w.strip_prefix("--"))
        .filter(|f| !f.is_empty())
        .map(str::to_string)
        .collect();
    assert!(flags.contains("help"), "{sub}: {help}");
    flags
}

#[test]
fn completions_cover_every_subcommand_and_flag() {
    let env = Env::new();
    for shell in ["bash", "zsh", "fish"] {
        let script = env.ok(&["completions", shell], 0);
        for sub in SUBCOMMANDS {
            assert!(script.contains(sub), "{shell}: no {sub}");
        }
        for sub in ["ingest", "query", "stats", "tag"] {
            for flag in long_flags(&env, sub) {
                let written = match shell {
                    "fish" => format!("-l {flag}"),
                    _ => format!("--{flag}"),
                };
                assert!(script.contains(&written), "{shell}: no {written} ({sub})");
            }
        }
    }
    let fish = env.ok(&["completions", "fish"], 0);
    assert!(fish.contains("complete -c gazette"), "{fish}");
    assert!(
        env.ok(&["completions", "zsh"], 0)
            .starts_with("#compdef gazette")
    );
    // Values of value-enum flags complete too.
    assert!(env.ok(&["completions", "bash"], 0).contains("jsonl"));
}

#[test]
fn the_bash_script_parses() {
    let env = Env::new();
    let path = env.write("gazette.bash", env.ok(&["completions", "bash"], 0));
    let status = std::process::Command::new("bash")
        .arg("-n")
        .arg(&path)
        .status()
        .expect("bash runs");
    assert!(status.success());
}

#[test]
fn an_unknown_shell_is_refused_with_the_choices() {
    let env = Env::new();
    let out = env.run(&["completions", "tcsh"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = util::stderr(&out);
    assert!(
        stderr.contains("bash") && stderr.contains("fish"),
        "{stderr}"
    );
}

#[test]
fn man_page_has_a_section_per_subcommand_with_its_flags() {
    let env = Env::new();
    let page = env.ok(&["man"], 0);
    assert!(page.starts_with(".ie "), "roff preamble first");
    assert!(page.contains(".TH gazette 1"), "{page}");
    assert!(page.contains(".SH NAME"));
    assert_eq!(page.matches(".ds Aq").count(), 2, "one preamble");
    for sub in SUBCOMMANDS {
        let heading = format!(".SH \"GAZETTE {}\"", sub.to_uppercase());
        let at = page
            .find(&heading)
            .unwrap_or_else(|| panic!("no {heading}"));
        let section = &page[at..];
        let section = &section[..section[1..].find(".SH ").map_or(section.len(), |e| e + 1)];
        assert!(
            section.contains(&format!("\\fBgazette {sub}\\fR")),
            "{section}"
        );
        for flag in long_flags(&env, sub) {
            // roff writes a hyphen as `\-`.
            let roff = format!("\\fB\\-\\-{}\\fR", flag.replace('-', "\\-"));
            assert!(section.contains(&roff), "{sub}: no --{flag}");
        }
    }
    assert!(
        !page.contains("GAZETTE HELP"),
        "clap's help subcommand is not a section"
    );
    // The help texts are the same words.
    assert!(page.contains("Only passages from this source"));
}
