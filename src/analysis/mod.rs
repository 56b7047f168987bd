//! Analyses over the hits of one query: what a corpus linguist asks of a set of
//! passages rather than of one passage. [`kwic`]: keyword-in-context lines, one per
//! occurrence of the query's words and phrases.

pub mod kwic;
