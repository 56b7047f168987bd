//! One file per subcommand; each only orchestrates library calls. [`answer`] runs the
//! commands that answer from an index into any writer: the command line's standard
//! output and `gazette serve`'s responses both go through it, so the two cannot differ.

pub mod analysis;
pub mod article;
pub mod batch;
pub mod copies;
pub mod docs;
pub mod entities;
pub mod expand;
pub mod export;
pub mod extract;
pub mod groups;
pub mod ingest;
pub mod merge;
pub mod query;
pub mod stats;
pub mod tag;

use std::io::Write;

use crate::cli::Command;
use crate::exit::Code;

/// What a command reads besides its arguments and the index: standard input on the
/// command line, the request body in the server (`tag`'s text, `batch`'s codebook).
pub enum Input<'a> {
    Stdin,
    Body(&'a [u8]),
}

/// Runs one subcommand, its answer to `out`.
pub fn run(command: Command, out: &mut dyn Write) -> anyhow::Result<Code> {
    match command {
        Command::Ingest(a) => ingest::run(a),
        Command::Extract(a) => extract::run(a),
        Command::Completions(a) => docs::completions(a),
        Command::Man => docs::man(),
        Command::Serve(a) => crate::serve::run(a),
        Command::Merge(a) => merge::run(a),
        Command::Groups(a) => groups::run(a, out),
        Command::Export(a) => export::run(&a, out),
        other => answer(&other, Input::Stdin, out),
    }
}

/// Runs a command that reads the index (or tags text) and writes one answer to `out`.
/// Commands that write files, walk folders or run for long (ingest, extract, merge, export,
/// groups, serve) are refused: the server never reaches them.
pub fn answer(command: &Command, input: Input, out: &mut dyn Write) -> anyhow::Result<Code> {
    match command {
        Command::Query(a) => query::run(a, out),
        Command::Batch(a) => match input {
            Input::Stdin => batch::run(a, None, out),
            Input::Body(body) => {
                let text = std::str::from_utf8(body)
                    .map_err(|_| anyhow::anyhow!("the codebook is not UTF-8 text"))?;
                batch::run(a, Some(text), out)
            }
        },
        Command::Collocates(a) => analysis::collocates(a, out),
        Command::Keyness(a) => analysis::keyness(a, out),
        Command::Network(a) => analysis::network(a, out),
        Command::Expand(a) => expand::run(a, out),
        Command::Stats(a) => stats::run(a, out),
        Command::Entities(a) => entities::run(a, out),
        Command::Copies(a) => copies::run(a, out),
        Command::Article(a) => article::run(a, out),
        Command::Tag(a) => match input {
            Input::Stdin => tag::run(a, &mut std::io::stdin(), out),
            Input::Body(mut body) => tag::run(a, &mut body, out),
        },
        Command::Ingest(_)
        | Command::Extract(_)
        | Command::Completions(_)
        | Command::Man
        | Command::Merge(_)
        | Command::Groups(_)
        | Command::Export(_)
        | Command::Serve(_) => anyhow::bail!("this command does not answer from the index"),
    }
}
