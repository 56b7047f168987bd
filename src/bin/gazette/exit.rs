//! Exit codes, in one place (grep's convention for queries).

use std::process::ExitCode;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Code {
    /// Query: hits found. Ingest: every file went in.
    Success = 0,
    /// Query: no hits. Ingest: some files could not be indexed (see the summary).
    Partial = 1,
    /// Bad arguments, bad query syntax, unusable index, fatal I/O error.
    Error = 2,
    /// Stopped by Ctrl-C (128 + SIGINT), after a clean commit.
    Interrupted = 130,
}

impl From<Code> for ExitCode {
    fn from(code: Code) -> ExitCode {
        ExitCode::from(code as u8)
    }
}
