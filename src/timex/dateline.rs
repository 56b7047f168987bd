//! Publication dates from outside the metadata: the file path and the article's dateline.
//!
//! Takes a path or the opening of an article's text; gives a calendar day only when the
//! path or text states it. What "states" means for a dateline:
//!
//! - the day, month and year are all written out in the dateline position: the very start
//!   of the text, optionally after a place and agency ("MOSCOW, Oct. 15, 2025 (Reuters) -",
//!   "WASHINGTON (AP) — Oct. 15, 2025"), as an opening "On October 15, 2025, …", or as a
//!   date line of its own among the first lines ("15 October 2025",
//!   "Published: 2025-10-15");
//! - or the dateline gives day and month ("MOSCOW, Oct 15 (Reuters) -") and the caller
//!   knows the year (`hint`, e.g. from the path or the corpus).
//!
//! Weekdays and relative words never count: "Shares in X rose on Monday" says nothing about
//! which Monday. Neither does a date in the middle of the first sentence ("… since the
//! crisis of October 15, 2008, …"), which is usually an event, not the publication.

use std::sync::LazyLock;

use chrono::NaiveDate;
use regex::Regex;

use super::lexicon::{MONTH_ALT, WEEKDAY_ALT, month_number};
use super::published::published_day;

/// Paths and datelines are short, so these regexes may use Unicode classes.
fn unicode_regex(pattern: &str) -> Regex {
    Regex::new(pattern).unwrap_or_else(|e| panic!("bad dateline pattern {pattern}: {e}"))
}

/// Years a path or dateline date may have.
const YEARS: std::ops::RangeInclusive<i32> = 1800..=2100;

static PATH_DATES: LazyLock<[Regex; 3]> = LazyLock::new(|| {
    [
        // 2025/10/15/ as directories.
        unicode_regex(r"(?:^|[/\\])(?P<y>\d{4})[/\\](?P<m>\d{1,2})[/\\](?P<d>\d{1,2})(?:[/\\]|$)"),
        // 2025-10-15-slug.txt, 2025_10_15, 2025.10.15 in a name.
        unicode_regex(
            r"(?:^|[^0-9])(?P<y>\d{4})(?P<s>[-_.])(?P<m>\d{2})[-_.](?P<d>\d{2})(?:[^0-9]|$)",
        ),
        // 20251015 in a name, not inside a longer number.
        unicode_regex(r"(?:^|[^0-9])(?P<y>(?:19|20)\d{2})(?P<m>\d{2})(?P<d>\d{2})(?:[^0-9]|$)"),
    ]
});

/// A publication date written in a file or folder path: `2025/10/15/`,
/// `2025-10-15-slug.txt`, `20251015`. The date nearest the file name wins; impossible or
/// implausible dates give `None`.
pub fn from_path(path: &str) -> Option<NaiveDate> {
    let mut best: Option<(usize, NaiveDate)> = None;
    for re in PATH_DATES.iter() {
        for caps in re.captures_iter(path) {
            let (Some(y), Some(m), Some(d)) = (caps.name("y"), caps.name("m"), caps.name("d"))
            else {
                continue;
            };
            let (Ok(y), Ok(m), Ok(d)) =
                (y.as_str().parse(), m.as_str().parse(), d.as_str().parse())
            else {
                continue;
            };
            if !YEARS.contains(&y) {
                continue;
            }
            let Some(date) = NaiveDate::from_ymd_opt(y, m, d) else {
                continue;
            };
            let at = caps.get(0).map_or(0, |g| g.end());
            if best.is_none_or(|(pos, _)| at > pos) {
                best = Some((at, date));
            }
        }
    }
    best.map(|(_, date)| date)
}

static DATELINE: LazyLock<Regex> = LazyLock::new(|| {
    let (m, w) = (MONTH_ALT, WEEKDAY_ALT);
    // Place: an upper-case word or words, optionally ", State" ("NEW YORK", "Paris,
    // France" only in capitals as datelines print it); agency in brackets.
    let place = r"[A-Z][A-Z.'\- ]{1,40}(?:,\s*[A-Z][A-Za-z.' ]{1,30})?";
    let agency = r"\([A-Za-z.&' \-]{2,30}\)";
    let sep = r"(?:\s*(?:-{1,2}|_|\x{2014}|\x{2013}|:|,))?\s*";
    let date = format!(
        r"(?:(?:{w}),?\s+)?(?:(?P<m1>{m})\.?\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?|(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m2>{m})\.?)(?:,?\s+(?P<y>\d{{4}}))?"
    );
    Regex::new(&format!(
        r"^\s*(?:(?P<place>{place})\s*(?:{agency})?{sep}|(?P<on>[Oo]n)\s+)(?:{agency}\s*)?{date}(?P<tail>\s*(?:{agency})?\s*(?:-{{1,2}}|_|\x{{2014}}|\x{{2013}}|:|,)?)"
    ))
    .expect("dateline pattern")
});

/// How many opening lines may hold a date line of their own.
const DATE_LINE_SEARCH: usize = 4;

/// A publication date stated by a dateline in the opening lines of `text`; `hint` is a year
/// known from elsewhere, used only when the dateline gives day and month but no year.
pub fn from_dateline(text: &str, hint: Option<i32>) -> Option<NaiveDate> {
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .take(DATE_LINE_SEARCH)
        .collect();
    // A line that is only a date, or "Published: <date>".
    for line in &lines {
        let body = strip_label(line);
        if body.len() <= 60
            && let Some(day) = published_day(body)
        {
            return Some(day);
        }
    }
    // A dateline at the start of the first line of body text (the headline may precede it).
    for line in lines.iter().take(2) {
        if let Some(day) = dateline_at_start(line, hint) {
            return Some(day);
        }
    }
    None
}

/// The date of a line starting with "Published:", "Updated:", "Date:" and the like, or the
/// whole line.
fn strip_label(line: &str) -> &str {
    for label in [
        "Published",
        "Posted",
        "Updated",
        "Date",
        "Dateline",
        "First published",
    ] {
        if let Some(rest) = line.strip_prefix(label) {
            let rest = rest.trim_start_matches([':', ' ', '\t']);
            return rest.strip_prefix("on ").unwrap_or(rest);
        }
    }
    line
}

fn dateline_at_start(line: &str, hint: Option<i32>) -> Option<NaiveDate> {
    let caps = DATELINE.captures(line)?;
    let month_word = caps.name("m1").or_else(|| caps.name("m2"))?.as_str();
    let month = month_number(month_word)?;
    let day: u32 = caps
        .name("d1")
        .or_else(|| caps.name("d2"))?
        .as_str()
        .parse()
        .ok()?;
    let opening_on = caps.name("on").is_some();
    let year: i32 = match caps.name("y") {
        Some(y) => y.as_str().parse().ok()?,
        // "On Oct. 15, …" without a year may be any October: only a place dateline
        // ("MOSCOW, Oct 15 (Reuters) -") takes the hint year.
        None if !opening_on => hint?,
        None => return None,
    };
    // An opening "On October 15, 2025" must end the phrase there, not run on into
    // "On October 15, 2025 anniversary…"-like text; a comma or the end does it.
    if opening_on && !caps.name("tail").is_some_and(|t| t.as_str().contains(',')) {
        return None;
    }
    if !YEARS.contains(&year) {
        return None;
    }
    NaiveDate::from_ymd_opt(year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, dd: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, dd)
    }

    #[test]
    fn dates_in_paths() {
        assert_eq!(
            from_path("news/2025/10/15/putin-sharaa.html"),
            d(2025, 10, 15)
        );
        assert_eq!(from_path("corpus/2025-10-15-putin.txt"), d(2025, 10, 15));
        assert_eq!(from_path("wire/APW20251015.0123.txt"), d(2025, 10, 15));
        assert_eq!(from_path("x/2025_10_15.json"), d(2025, 10, 15));
        // The date nearest the file name wins.
        assert_eq!(from_path("2024/01/02/2025-10-15-slug.txt"), d(2025, 10, 15));
    }

    #[test]
    fn implausible_path_dates() {
        assert_eq!(from_path("bbc/business/001.txt"), None);
        assert_eq!(from_path("ids/12345678.txt"), None);
        assert_eq!(from_path("2025-02-30-slug.txt"), None);
        assert_eq!(from_path("9999/10/15/a.txt"), None);
        assert_eq!(from_path("x/1234567890123.txt"), None);
    }

    #[test]
    fn datelines_with_years() {
        assert_eq!(
            from_dateline("On October 15, 2025, a remarkable scene unfolded.", None),
            d(2025, 10, 15)
        );
        assert_eq!(
            from_dateline(
                "WASHINGTON (AP) \u{2014} Oct. 15, 2025 - The Senate voted.",
                None
            ),
            d(2025, 10, 15)
        );
        assert_eq!(
            from_dateline("MOSCOW, Oct. 15, 2025 (Reuters) - Talks began.", None),
            d(2025, 10, 15)
        );
        assert_eq!(
            from_dateline("Putin meets Sharaa\n\n15 October 2025\n\nThe talks…", None),
            d(2025, 10, 15)
        );
        assert_eq!(
            from_dateline("Published: 2025-10-15\nBody", None),
            d(2025, 10, 15)
        );
    }

    #[test]
    fn year_from_hint_only_for_place_datelines() {
        let text = "MOSCOW, Oct 15 (Reuters) - Russia said on Wednesday…";
        assert_eq!(from_dateline(text, None), None);
        assert_eq!(from_dateline(text, Some(2025)), d(2025, 10, 15));
        assert_eq!(from_dateline("On Oct. 15, shares fell.", Some(2025)), None);
    }

    #[test]
    fn bbc_like_openings_give_nothing() {
        let openings = [
            "Ad sales boost Time Warner profit\n\nQuarterly profits at US media giant TimeWarner jumped 76% to $1.13bn (£600m) for the three months to December, from $639m year-earlier.",
            "Shares in Dollar rose on Monday\n\nShares in the firm rose on Monday after it said profits would beat forecasts.",
            "Yukos unit buyer faces loan claim\n\nThe owners of embattled Russian oil giant Yukos have asked the buyer of its former production unit to pay back a $900m (£479m) loan.",
            "Ask Jeeves tips online ad revival\n\nAsk Jeeves has become the third leading online search firm this week to thank a revival in internet advertising for improved fortunes.",
            "Crude oil prices back above $50\n\nCold weather across parts of the US and much of Europe has pushed US crude oil prices above $50 a barrel for the first time in almost three months. On 31 December the price fell.",
        ];
        for text in openings {
            assert_eq!(from_dateline(text, Some(2004)), None, "{text}");
        }
        assert_eq!(
            from_dateline("Since October 15, 2008, the index has doubled.", None),
            None
        );
    }
}
