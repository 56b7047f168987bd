//! One file per subcommand; each only orchestrates library calls.

pub mod batch;
pub mod copies;
pub mod docs;
pub mod extract;
pub mod ingest;
pub mod query;
pub mod stats;
pub mod tag;
