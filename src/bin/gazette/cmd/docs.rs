//! `gazette completions SHELL` and `gazette man`: shell completions and a manual page,
//! generated from the clap definitions in `cli.rs`, so they cannot drift from `--help`.

use std::io::Write;

use clap::CommandFactory;

use crate::cli::{Args, CompletionsArgs};
use crate::exit::Code;

/// Prints the completion script for `args.shell`.
pub fn completions(args: CompletionsArgs) -> anyhow::Result<Code> {
    // Generated into memory first: clap_complete panics on a write error, and a closed
    // pipe (`| head`) is not an error here.
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut Args::command(), "gazette", &mut script);
    print_all(&script)
}

/// Prints the manual page, gazette(1), as roff.
pub fn man() -> anyhow::Result<Code> {
    print_all(man_page()?.as_bytes())
}

fn print_all(bytes: &[u8]) -> anyhow::Result<Code> {
    let mut out = std::io::stdout().lock();
    out.write_all(bytes)?;
    out.flush()?;
    Ok(Code::Success)
}

/// The DESCRIPTION of the page (`--help` keeps its one line).
const DESCRIPTION: &str = "gazette reads news articles (text, Markdown, JSON, JSON lines and \
HTML, gzipped or not) into a passage index, tagging the people, organisations, places and \
dates they mention, then answers queries with ranked passages, filtered by source, \
publication date, entity or mentioned date, with facets, timelines and JSON, CSV or text \
output. Each section below is one subcommand; `gazette SUBCOMMAND --help` says the same.";

/// One page, gazette(1), as ripgrep ships: the overview, then a section per subcommand
/// with its synopsis and every option. clap_mangen on its own writes a page per
/// subcommand (gazette-ingest(1), ...), which would need several files installed.
fn man_page() -> anyhow::Result<String> {
    let mut command = Args::command()
        .disable_help_subcommand(true)
        .long_about(DESCRIPTION);
    command.build();
    let mut page = Vec::new();
    let top = clap_mangen::Man::new(command.clone());
    top.render_title(&mut page)?;
    top.render_name_section(&mut page)?;
    top.render_synopsis_section(&mut page)?;
    top.render_description_section(&mut page)?;
    top.render_options_section(&mut page)?;
    for sub in command.get_subcommands().filter(|s| !s.is_hide_set()) {
        let man = clap_mangen::Man::new(sub.clone());
        let name = sub.get_bin_name().unwrap_or(sub.get_name()).to_uppercase();
        let mut section = Vec::new();
        man.render_synopsis_section(&mut section)?;
        man.render_description_section(&mut section)?;
        if sub.get_arguments().any(|a| !a.is_hide_set()) {
            man.render_options_section(&mut section)?;
        }
        // The subcommand's sections become one section named after it: its synopsis, a
        // paragraph saying what it does, and its options as a subsection.
        let section = String::from_utf8(section)?
            .replacen(".SH SYNOPSIS", &format!(".SH \"{name}\""), 1)
            .replacen(".SH DESCRIPTION", ".PP", 1)
            .replacen(".SH OPTIONS", ".SS Options", 1);
        page.extend_from_slice(section.as_bytes());
    }
    top.render_version_section(&mut page)?;
    Ok(once_preamble(&String::from_utf8(page)?))
}

/// Each render call starts with the same two-line roff preamble (defining the apostrophe
/// string); a page needs it once, at the top.
fn once_preamble(page: &str) -> String {
    let mut seen = std::collections::HashSet::new();
    let mut out = String::with_capacity(page.len());
    for line in page.lines() {
        let preamble = line.starts_with(".ie \\n(.g .ds Aq") || line.starts_with(".el .ds Aq");
        if !preamble || seen.insert(line) {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}
