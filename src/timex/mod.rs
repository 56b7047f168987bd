//! Dates for gazette: publication dates of articles and time expressions inside them.
//!
//! - [`parse_published`], [`from_path`], [`from_dateline`]: an article's publication date
//!   from its metadata, its file path, or a dateline in its opening lines, in that order of
//!   trust (see [`crate::model::DateOrigin`]).
//! - [`extract`]: the DATE-type time expressions in a passage ("October 15, 2025", "ten
//!   months ago", "this week", "the 1990s"), normalised TIMEX3-style and resolved to day
//!   ranges against the publication date.
//! - [`parse_mentions_filter`]: a user's date filter (`2025-Q3`, `2025-01..2025-03`) as a
//!   day range, to compare with the ranges of extracted mentions.
//!
//! Durations ("three years"), clock times and sets ("every week") are not extracted: only
//! expressions that name a point or period on the calendar matter for search.

mod context;
mod dateline;
mod explicit;
mod filter;
mod lexicon;
mod patterns;
mod published;
mod reference;
mod relative;
mod resolve;
mod value;

use chrono::NaiveDate;

use crate::model::DateMention;

pub use dateline::{from_dateline, from_path};
pub use filter::{FilterError, parse_mentions_filter};
pub use published::parse_published;

/// Finds the time expressions in `text` and normalises them.
///
/// `anchor` is the publication date: relative expressions ("yesterday", "in July", "ten
/// months ago") resolve against it. Without one they keep a partial TIMEX3 value
/// (`XXXX-07`, `XXXX-WXX-1`) and no range. Vague references ("now", "recently") come out
/// as `PRESENT_REF`/`PAST_REF`/`FUTURE_REF` with no range. Offsets are bytes into `text`.
pub fn extract(text: &str, anchor: Option<NaiveDate>) -> Vec<DateMention> {
    let mut refs = reference::References::default();
    patterns::scan(text)
        .into_iter()
        .map(|c| {
            let future = c.expr.wants_tense() && context::looks_ahead(text, c.start, c.end);
            let value = resolve::resolve(&c.expr, anchor, future, &refs);
            if c.expr.sets_reference() {
                refs.note(&value);
            }
            DateMention {
                start: c.start,
                end: c.end,
                text: text[c.start..c.end].to_string(),
                range: value.range(),
                value: value.timex(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests;
