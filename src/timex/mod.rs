//! Dates for gazette: publication dates of articles and time expressions inside them.
//!
//! - [`parse_published`], [`from_path`], [`from_dateline`]: an article's publication date
//!   from its metadata, its file path, or a dateline in its opening lines, in that order of
//!   trust (see [`crate::model::DateOrigin`]). [`published_day`] gives the metadata date as
//!   written (local day), the better anchor when the metadata carries a time zone.
//! - [`extract`] / [`extract_article`]: the DATE-type time expressions in a passage ("October
//!   15, 2025", "ten months ago", "this week", "the 1990s"), normalised TIMEX3-style and
//!   resolved to day ranges against the publication date.
//! - [`parse_mentions_filter`]: a user's date filter (`2025-Q3`, `2025-01..2025-03`) as a
//!   day range, to compare with the ranges of extracted mentions.
//!
//! Durations ("three years"), clock times and sets ("every week") are not extracted: only
//! expressions that name a point or period on the calendar matter for search.
//!
//! Stages: `patterns` (regex table in `explicit`, `spelled`, `names` and `relative`, words in
//! `lexicon`, look-around checks in `context`) finds candidates; `resolve` and `reference`
//! anchor them; `value` renders TIMEX3 values and day ranges.

mod context;
mod dateline;
mod explicit;
mod filter;
mod holidays;
mod lexicon;
mod names;
mod patterns;
mod published;
mod reference;
mod relative;
mod resolve;
mod spelled;
mod value;

use chrono::NaiveDate;

use crate::model::DateMention;

pub use dateline::{from_dateline, from_path};
pub use filter::{FilterError, parse_mentions_filter};
pub use published::{parse_published, parse_published_with_day, published_day};

/// Finds the time expressions in `text` and normalises them.
///
/// `anchor` is the publication date: relative expressions ("yesterday", "in July", "ten
/// months ago") resolve against it. Without one they keep a partial TIMEX3 value
/// (`XXXX-07`, `XXXX-WXX-1`) and no range. Vague references ("now", "recently") come out
/// as `PRESENT_REF`/`PAST_REF`/`FUTURE_REF` with no range. Offsets are bytes into `text`.
///
/// Expressions relative to an earlier one ("a year earlier", "that quarter") look back only
/// within `text`; use [`extract_article`] to carry them across an article's passages.
pub fn extract(text: &str, anchor: Option<NaiveDate>) -> Vec<DateMention> {
    extract_with(text, anchor, &mut reference::References::default())
}

/// [`extract`] over the passages of one article in order, so that "a year earlier" in one
/// passage can refer to "the third quarter" in the one before. Gives one list per passage,
/// offsets relative to that passage.
pub fn extract_article<'a>(
    passages: impl IntoIterator<Item = &'a str>,
    anchor: Option<NaiveDate>,
) -> Vec<Vec<DateMention>> {
    let mut refs = reference::References::default();
    passages
        .into_iter()
        .map(|text| extract_with(text, anchor, &mut refs))
        .collect()
}

fn extract_with(
    text: &str,
    anchor: Option<NaiveDate>,
    refs: &mut reference::References,
) -> Vec<DateMention> {
    patterns::scan(text)
        .into_iter()
        .map(|c| {
            let future = c.expr.wants_tense() && context::looks_ahead(text, c.start, c.end);
            let value = resolve::resolve(&c.expr, anchor, future, refs);
            if c.expr.sets_reference() {
                refs.note(&value, anchor);
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
mod idiom_tests;
#[cfg(test)]
mod tests;
