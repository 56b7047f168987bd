//! gazette: a search engine for news corpora, built on tantivy.
//!
//! The pipeline, in the order data flows (see ARCHITECTURE.md):
//! [`corpus`] walks folders → [`read`] turns files into [`model::Article`]s →
//! [`segment`] splits bodies into passages → [`ner`] and [`timex`] tag entities and dates
//! and [`dedup`] sketches bodies for near-duplicate groups ([`process`] runs those per
//! article) → [`index`] writes tantivy documents
//! ([`schema`] defines them) → [`search`] answers queries → [`output`] prints hits.
//! [`ingest`] runs the first half as a parallel pipeline; [`codebook`] answers many
//! labelled queries at once; [`stats`] describes an index and [`plot`] draws timelines;
//! [`shards`] reads a set of indexes built apart as one.

pub mod analysis;
pub mod codebook;
pub mod corpus;
pub mod dedup;
pub mod index;
pub mod ingest;
pub mod meta;
pub mod model;
pub mod ner;
pub mod output;
pub mod plot;
pub mod process;
pub mod read;
pub mod schema;
pub mod search;
pub mod segment;
pub mod shards;
pub mod stats;
pub mod timex;
pub mod wordnet;
