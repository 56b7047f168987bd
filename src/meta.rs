//! What an answer was computed from: the `meta` object of every JSON answer.
//!
//! A researcher who publishes a count must be able to say how it was made and to make it
//! again. [`Meta`] records the gazette and schema versions, the index's state (a
//! fingerprint that changes whenever its contents do), each query as given and as
//! executed (entity names resolved to the index keys they stood for), every filter, the
//! options that shape the answer, and the time it ran. Everything but `ran_at` is a
//! function of the command and the index, so the same command on the same index gives
//! the same bytes.

use std::collections::BTreeMap;

use chrono::{NaiveDate, SecondsFormat, Utc};
use serde::Serialize;
use serde_json::Value;

use crate::schema::SCHEMA_VERSION;
use crate::search::{IndexState, Prepared, QueryConfig, ResolvedName, Search, SearchError};

/// The `meta` object.
#[derive(Clone, Debug, Serialize)]
pub struct Meta {
    /// The version of gazette that answered.
    pub gazette: &'static str,
    /// The index schema version it read.
    pub schema: u32,
    /// The subcommand (`query`, `batch`, ...).
    pub command: &'static str,
    pub index: IndexState,
    /// Each query, in order (one for `query`; one per label for `batch`).
    pub queries: Vec<QueryMeta>,
    pub filters: FilterMeta,
    /// The options that shape the answer (limit, sort, timeline unit, ...), by the CLI's
    /// long flag names.
    pub options: BTreeMap<&'static str, Value>,
    /// When the answer was computed (UTC, to the second): the one part that differs
    /// between two runs of the same command on the same index.
    pub ran_at: String,
}

/// One query as given and as executed.
#[derive(Clone, Debug, Serialize)]
pub struct QueryMeta {
    /// The codebook label (`batch` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// The query as given.
    pub query: String,
    /// The query after name resolution: entity clauses rewritten to index keys.
    pub executed: String,
    /// Any word (`--any`) instead of every word.
    pub any: bool,
}

/// Every filter, as applied.
#[derive(Clone, Debug, Serialize)]
pub struct FilterMeta {
    pub source: Vec<String>,
    /// First day included (`--since`, widened to its first day).
    pub since: Option<NaiveDate>,
    /// Last day included (`--until`, widened to its last day).
    pub until: Option<NaiveDate>,
    /// `--person`, `--org`, `--loc`, `--entity`, each with the index keys it matched.
    pub names: Vec<ResolvedName>,
    /// First and last day of `--mentions`.
    pub mentions: Option<[NaiveDate; 2]>,
    /// Only each near-duplicate group's first article (`--dedup`).
    pub dedup: bool,
    /// Alias files applied besides the built-in table (the index folder's `aliases.tsv`,
    /// then `--aliases`), as given.
    pub aliases: Vec<String>,
}

impl Meta {
    /// The meta of an answer to `queries` (each with its label, for a codebook), which
    /// share the filters of `shared`, under `options`.
    pub fn new(
        command: &'static str,
        search: &Search,
        shared: &QueryConfig,
        queries: &[(Option<&str>, &Prepared)],
        options: BTreeMap<&'static str, Value>,
    ) -> Result<Meta, SearchError> {
        // Filter names resolve the same for every query; without a query (an empty
        // codebook cannot run) they were never resolved, so none are listed.
        let names = queries
            .first()
            .map(|(_, p)| p.executed().names.clone())
            .unwrap_or_default();
        let aliases = queries
            .first()
            .map(|(_, p)| {
                p.aliases()
                    .files()
                    .iter()
                    .map(|f| f.display().to_string())
                    .collect()
            })
            .unwrap_or_default();
        Ok(Meta {
            gazette: env!("CARGO_PKG_VERSION"),
            schema: SCHEMA_VERSION,
            command,
            index: search.index_state()?,
            queries: queries
                .iter()
                .map(|(label, p)| QueryMeta {
                    label: label.map(str::to_string),
                    query: p.config().query.clone(),
                    executed: p.executed().query.clone(),
                    any: p.config().any,
                })
                .collect(),
            filters: FilterMeta {
                source: shared.sources.clone(),
                since: shared.since,
                until: shared.until,
                names,
                mentions: shared.mentions.map(|r| [r.start, r.end]),
                dedup: shared.dedup,
                aliases,
            },
            options,
            ran_at: Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true),
        })
    }

    /// The meta as one JSON document (for `--meta FILE`).
    pub fn to_json_pretty(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).expect("meta serialises");
        s.push('\n');
        s
    }
}

/// An answer object with `meta` first: `{"meta": {...}, <the answer's own keys>}`.
#[derive(Serialize)]
pub struct WithMeta<'a, T: Serialize> {
    pub meta: &'a Meta,
    #[serde(flatten)]
    pub answer: &'a T,
}
