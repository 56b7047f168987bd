//! Resolved TIMEX3 values and the inclusive day ranges they cover.
//!
//! A [`Value`] is what a time expression means once anchored: a day, a month, an ISO week,
//! a quarter… It renders as a TIMEX3 value string (`2025-10-15`, `2025-W42`, `2025-Q3`,
//! `199` for the 1990s) and gives the calendar days it spans. Partial values (`XXXX-07`)
//! and vague references (`PAST_REF`) render but have no range.

use chrono::{Datelike, Duration, NaiveDate, Weekday};

use crate::model::DateRange;

/// Seasons, TIMEX3 `SP`, `SU`, `FA`, `WI` (northern hemisphere, meteorological).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Season {
    Spring,
    Summer,
    Fall,
    Winter,
}

impl Season {
    pub(crate) fn from_word(word: &str) -> Option<Season> {
        match word.to_ascii_lowercase().as_str() {
            "spring" => Some(Season::Spring),
            "summer" => Some(Season::Summer),
            "fall" | "autumn" => Some(Season::Fall),
            "winter" => Some(Season::Winter),
            _ => None,
        }
    }

    /// First month of the season (winter starts in December of the season's year).
    pub(crate) fn first_month(self) -> u32 {
        match self {
            Season::Spring => 3,
            Season::Summer => 6,
            Season::Fall => 9,
            Season::Winter => 12,
        }
    }

    fn code(self) -> &'static str {
        match self {
            Season::Spring => "SP",
            Season::Summer => "SU",
            Season::Fall => "FA",
            Season::Winter => "WI",
        }
    }
}

/// A normalised time expression.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Value {
    /// A calendar day. A part of the day ("Monday night") widens the span but not the
    /// value: the day is what search filters on.
    Day(NaiveDate),
    /// ISO week: ISO year and week number.
    Week(i32, u32),
    /// The weekend (Saturday and Sunday) of an ISO week.
    Weekend(i32, u32),
    Month(i32, u32),
    Quarter(i32, u32),
    Half(i32, u32),
    Season(i32, Season),
    Year(i32),
    /// A decade by its first three digits: 199 is the 1990s.
    Decade(i32),
    /// A century by its first two digits: 19 is 1900-1999 ("the 20th century", "the 1900s").
    Century(i32),
    /// A value that could not be anchored, already in TIMEX3 form (`XXXX-07`, `PAST_REF`).
    Partial(String),
}

impl Value {
    /// The TIMEX3 value string.
    pub(crate) fn timex(&self) -> String {
        match self {
            Value::Day(d) => d.format("%Y-%m-%d").to_string(),
            Value::Week(y, w) => format!("{y:04}-W{w:02}"),
            Value::Weekend(y, w) => format!("{y:04}-W{w:02}-WE"),
            Value::Month(y, m) => format!("{y:04}-{m:02}"),
            Value::Quarter(y, q) => format!("{y:04}-Q{q}"),
            Value::Half(y, h) => format!("{y:04}-H{h}"),
            Value::Season(y, s) => format!("{y:04}-{}", s.code()),
            Value::Year(y) => format!("{y:04}"),
            Value::Decade(d) => format!("{d:03}"),
            Value::Century(c) => format!("{c:02}"),
            Value::Partial(s) => s.clone(),
        }
    }

    /// The inclusive range of days the value covers; `None` for partial values.
    pub(crate) fn range(&self) -> Option<DateRange> {
        let (start, end) = match *self {
            Value::Day(d) => (d, d),
            Value::Week(y, w) => {
                let monday = NaiveDate::from_isoywd_opt(y, w, Weekday::Mon)?;
                (monday, monday + Duration::days(6))
            }
            Value::Weekend(y, w) => {
                let saturday = NaiveDate::from_isoywd_opt(y, w, Weekday::Sat)?;
                (saturday, saturday + Duration::days(1))
            }
            Value::Month(y, m) => month_span(y, m, 1)?,
            Value::Quarter(y, q) => month_span(y, (q - 1) * 3 + 1, 3)?,
            Value::Half(y, h) => month_span(y, (h - 1) * 6 + 1, 6)?,
            Value::Season(y, s) => month_span(y, s.first_month(), 3)?,
            Value::Year(y) => month_span(y, 1, 12)?,
            Value::Decade(d) => (ymd(d * 10, 1, 1)?, ymd(d * 10 + 9, 12, 31)?),
            Value::Century(c) => (ymd(c * 100, 1, 1)?, ymd(c * 100 + 99, 12, 31)?),
            Value::Partial(_) => return None,
        };
        Some(DateRange { start, end })
    }
}

fn ymd(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

/// First and last day of `count` months starting at month `m` of year `y` (may cross into
/// the next year, as winter does).
pub(crate) fn month_span(y: i32, m: u32, count: u32) -> Option<(NaiveDate, NaiveDate)> {
    let start = ymd(y, m, 1)?;
    let last_index = (y * 12 + m as i32 - 1) + count as i32 - 1;
    let (ly, lm) = (
        last_index.div_euclid(12),
        last_index.rem_euclid(12) as u32 + 1,
    );
    Some((start, last_day_of_month(ly, lm)?))
}

/// The last day of a month.
pub(crate) fn last_day_of_month(y: i32, m: u32) -> Option<NaiveDate> {
    let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    ymd(ny, nm, 1).map(|d| d - Duration::days(1))
}

/// Shift a (year, month) by `delta` months.
pub(crate) fn add_months(y: i32, m: u32, delta: i64) -> (i32, u32) {
    let index = y as i64 * 12 + m as i64 - 1 + delta;
    (index.div_euclid(12) as i32, index.rem_euclid(12) as u32 + 1)
}

/// The ISO (year, week) of a day.
pub(crate) fn iso_week(d: NaiveDate) -> (i32, u32) {
    let w = d.iso_week();
    (w.year(), w.week())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, dd).unwrap()
    }

    #[test]
    fn renders_timex_values() {
        assert_eq!(Value::Week(2025, 42).timex(), "2025-W42");
        assert_eq!(Value::Month(2024, 12).timex(), "2024-12");
        assert_eq!(Value::Decade(199).timex(), "199");
        assert_eq!(Value::Day(d(2025, 10, 13)).timex(), "2025-10-13");
        assert_eq!(Value::Season(1990, Season::Summer).timex(), "1990-SU");
    }

    #[test]
    fn ranges_are_inclusive_days() {
        let w = Value::Week(2025, 42).range().unwrap();
        assert_eq!((w.start, w.end), (d(2025, 10, 13), d(2025, 10, 19)));
        let q = Value::Quarter(2025, 3).range().unwrap();
        assert_eq!((q.start, q.end), (d(2025, 7, 1), d(2025, 9, 30)));
        let feb = Value::Month(2024, 2).range().unwrap();
        assert_eq!(feb.end, d(2024, 2, 29));
        let winter = Value::Season(2024, Season::Winter).range().unwrap();
        assert_eq!((winter.start, winter.end), (d(2024, 12, 1), d(2025, 2, 28)));
        assert_eq!(Value::Decade(199).range().unwrap().end, d(1999, 12, 31));
        assert!(Value::Partial("XXXX-07".into()).range().is_none());
    }

    #[test]
    fn month_arithmetic() {
        assert_eq!(add_months(2025, 10, -10), (2024, 12));
        assert_eq!(add_months(2025, 1, -1), (2024, 12));
        assert_eq!(add_months(2025, 12, 1), (2026, 1));
    }
}
