//! The `gazette` command: parses arguments, runs one subcommand, maps the outcome to an
//! exit code. All the work lives in the `gazette` library.

mod cli;
mod cmd;
mod exit;
mod serve;

use std::io::{BufWriter, Write};
use std::process::ExitCode;

use clap::Parser;

/// mimalloc: ingest allocates many small strings (tokens, mentions, passages) across
/// threads; it measured ~14% faster than the system allocator here. Version 2 without
/// huge pages (see Cargo.toml) costs a query process ~0.4 ms at start-up; version 3 ~1 ms.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let args = cli::Args::parse();
    // Answers go through one buffer; it locks stdout per write, not for the whole run,
    // so commands that also print from other threads (ingest) cannot block on it.
    let mut out = BufWriter::with_capacity(64 * 1024, std::io::stdout());
    let result = cmd::run(args.command, &mut out).and_then(|code| {
        out.flush()?;
        Ok(code)
    });
    match result {
        Ok(code) => code.into(),
        Err(err) => {
            if is_broken_pipe(&err) {
                return exit::Code::Success.into();
            }
            // Whatever was answered before the error still goes out, before the message.
            let _ = out.flush();
            eprintln!("gazette: {err:#}");
            exit::Code::Error.into()
        }
    }
}

/// `gazette query ... | head` closes the pipe early: that is not an error.
fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
