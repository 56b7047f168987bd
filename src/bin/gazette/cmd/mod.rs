//! One file per subcommand; each only orchestrates library calls.

pub mod analysis;
pub mod batch;
pub mod copies;
pub mod docs;
pub mod entities;
pub mod expand;
pub mod extract;
pub mod ingest;
pub mod query;
pub mod stats;
pub mod tag;
