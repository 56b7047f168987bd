//! TEMPORARY stand-in, replaced by the date tagger being written in parallel.
use chrono::{DateTime, NaiveDate, Utc};

use crate::model::{DateMention, DateRange};

pub fn extract(_text: &str, _anchor: Option<NaiveDate>) -> Vec<DateMention> {
    Vec::new()
}

pub fn parse_published(raw: &str) -> Option<DateTime<Utc>> {
    let d = NaiveDate::parse_from_str(raw.get(..10)?, "%Y-%m-%d").ok()?;
    Some(d.and_hms_opt(0, 0, 0)?.and_utc())
}

pub fn from_path(_path: &str) -> Option<NaiveDate> {
    None
}

pub fn from_dateline(_text: &str, _hint: Option<i32>) -> Option<NaiveDate> {
    None
}

pub fn parse_mentions_filter(s: &str) -> Option<DateRange> {
    let d = NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()?;
    Some(DateRange { start: d, end: d })
}
