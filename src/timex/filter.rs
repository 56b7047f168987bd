//! User date filters: `2025`, `2025-07`, `2025-07-04`, `2025-Q3`, `2025-W42`, `2025-H1`,
//! `199X`/`1990s`, and ranges `FROM..TO` (either end may be open).
//!
//! Takes what a user typed after a `--date`-like option; gives the inclusive day range to
//! compare with [`crate::model::DateMention::range`] (overlap means a hit), or an error
//! saying what was expected.

use chrono::NaiveDate;
use thiserror::Error;

use crate::model::DateRange;

use super::value::Value;

/// Why a date filter could not be parsed.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum FilterError {
    #[error(
        "invalid date filter '{0}': expected YYYY, YYYY-MM, YYYY-MM-DD, YYYY-Qn, YYYY-Wnn, \
         YYYY-Hn, a decade like 1990s, or FROM..TO"
    )]
    Invalid(String),
    #[error("invalid date filter '{0}': the range ends before it starts")]
    Reversed(String),
}

/// Parses a user's date filter into an inclusive day range.
///
/// `2025-Q3` is 2025-07-01..=2025-09-30; `2025-01..2025-03` is 2025-01-01..=2025-03-31;
/// `2024..` runs from 2024-01-01 to the end of time, `..2024-06` from the beginning of time.
pub fn parse_mentions_filter(s: &str) -> Result<DateRange, FilterError> {
    let s = s.trim();
    let invalid = || FilterError::Invalid(s.to_string());
    if let Some((from, to)) = s.split_once("..") {
        let start = match from.trim() {
            "" => NaiveDate::MIN,
            f => single(f).ok_or_else(invalid)?.start,
        };
        let end = match to.trim() {
            "" => NaiveDate::MAX,
            t => single(t).ok_or_else(invalid)?.end,
        };
        if from.trim().is_empty() && to.trim().is_empty() {
            return Err(invalid());
        }
        if end < start {
            return Err(FilterError::Reversed(s.to_string()));
        }
        return Ok(DateRange { start, end });
    }
    single(s).ok_or_else(invalid)
}

/// One period: the range of the TIMEX3-like value it names.
fn single(s: &str) -> Option<DateRange> {
    let upper = s.to_ascii_uppercase();
    let value = if let Some(decade) = upper.strip_suffix("0S").or_else(|| upper.strip_suffix('X')) {
        // "1990s" -> 199, "199X" -> 199
        if decade.len() != 3 || !decade.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        Value::Decade(decade.parse().ok()?)
    } else {
        let (year, rest) = match upper.split_once('-') {
            Some((y, r)) => (y, Some(r)),
            None => (upper.as_str(), None),
        };
        if year.len() != 4 || !year.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let y: i32 = year.parse().ok()?;
        match rest {
            None => Value::Year(y),
            Some(r) => period_of_year(y, r)?,
        }
    };
    value.range()
}

fn period_of_year(y: i32, rest: &str) -> Option<Value> {
    let number = |t: &str| -> Option<u32> {
        (!t.is_empty() && t.len() <= 2 && t.bytes().all(|b| b.is_ascii_digit()))
            .then(|| t.parse().ok())?
    };
    if let Some(q) = rest.strip_prefix('Q') {
        let q = number(q).filter(|q| (1..=4).contains(q))?;
        return Some(Value::Quarter(y, q));
    }
    if let Some(h) = rest.strip_prefix('H') {
        let h = number(h).filter(|h| (1..=2).contains(h))?;
        return Some(Value::Half(y, h));
    }
    if let Some(w) = rest.strip_prefix('W') {
        let w = number(w)?;
        // Checks the week exists in that ISO year (W53 only in some).
        NaiveDate::from_isoywd_opt(y, w, chrono::Weekday::Mon)?;
        return Some(Value::Week(y, w));
    }
    match rest.split_once('-') {
        None => {
            let m = number(rest).filter(|m| (1..=12).contains(m))?;
            Some(Value::Month(y, m))
        }
        Some((m, d)) => {
            let day = NaiveDate::from_ymd_opt(y, number(m)?, number(d)?)?;
            Some(Value::Day(day))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn range(s: &str) -> (String, String) {
        let r = parse_mentions_filter(s).unwrap();
        (r.start.to_string(), r.end.to_string())
    }

    fn pair(a: &str, b: &str) -> (String, String) {
        (a.to_string(), b.to_string())
    }

    #[test]
    fn single_periods() {
        assert_eq!(range("2025"), pair("2025-01-01", "2025-12-31"));
        assert_eq!(range("2025-01"), pair("2025-01-01", "2025-01-31"));
        assert_eq!(range("2024-02"), pair("2024-02-01", "2024-02-29"));
        assert_eq!(range("2025-07-04"), pair("2025-07-04", "2025-07-04"));
        assert_eq!(range("2025-Q3"), pair("2025-07-01", "2025-09-30"));
        assert_eq!(range("2025-q3"), pair("2025-07-01", "2025-09-30"));
        assert_eq!(range("2025-W42"), pair("2025-10-13", "2025-10-19"));
        assert_eq!(range("2025-H1"), pair("2025-01-01", "2025-06-30"));
        assert_eq!(range("1990s"), pair("1990-01-01", "1999-12-31"));
        assert_eq!(range("199X"), pair("1990-01-01", "1999-12-31"));
    }

    #[test]
    fn ranges_and_open_ends() {
        assert_eq!(range("2025-01..2025-03"), pair("2025-01-01", "2025-03-31"));
        assert_eq!(
            range("2025-Q1..2025-07-04"),
            pair("2025-01-01", "2025-07-04")
        );
        assert_eq!(range(" 2024.. ").0, "2024-01-01");
        assert_eq!(parse_mentions_filter("2024..").unwrap().end, NaiveDate::MAX);
        assert_eq!(range("..2024-06").1, "2024-06-30");
    }

    #[test]
    fn bad_filters_say_what_is_expected() {
        for bad in [
            "",
            "..",
            "2025-13",
            "2025-02-30",
            "2025-Q5",
            "2025-W60",
            "25",
            "July",
            "2025/10",
        ] {
            assert!(parse_mentions_filter(bad).is_err(), "{bad}");
        }
        assert_eq!(
            parse_mentions_filter("2025..2024"),
            Err(FilterError::Reversed("2025..2024".into()))
        );
        let message = parse_mentions_filter("soon").unwrap_err().to_string();
        assert!(
            message.starts_with("invalid date filter 'soon': expected YYYY"),
            "{message}"
        );
    }
}
