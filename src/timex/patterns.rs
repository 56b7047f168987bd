//! The pattern table and the scan that runs it over a passage.
//!
//! Takes a text, gives non-overlapping [`Candidate`]s (byte span plus parsed [`Expr`]).
//! Speed matters because every passage of every article passes through here: a few
//! byte-level checks decide which pattern families can match at all, and all regexes are
//! compiled once, ASCII-only so they stay on the lazy DFA.

use std::sync::LazyLock;

use chrono::{Datelike, NaiveDate};
use regex::{Captures, Regex, RegexSet, RegexSetBuilder};

use super::context::{ascii_regex, is_unit_word, next_word};
use super::lexicon::month_number;
use super::resolve::{Expr, Shift};
use super::value::Value;
use super::{explicit, names, relative, spelled};

/// A time expression found by a pattern, not yet anchored.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Candidate {
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) expr: Expr,
}

impl Candidate {
    pub(crate) fn new(start: usize, end: usize, expr: Expr) -> Candidate {
        Candidate { start, end, expr }
    }
}

type Build = fn(&Captures, &str) -> Option<Candidate>;

/// One regex and the check that turns its matches into candidates.
pub(crate) struct Pattern {
    regex: Regex,
    build: Build,
}

impl Pattern {
    pub(crate) fn new(regex: &str, build: Build) -> Pattern {
        Pattern {
            regex: ascii_regex(regex),
            build,
        }
    }
}

/// Years a written date may have: older or later ones are typos, ids or amounts.
pub(crate) fn plausible_year(y: i32) -> bool {
    (1000..=2100).contains(&y)
}

static PATTERNS: LazyLock<Vec<Pattern>> = LazyLock::new(|| {
    let mut all = explicit::patterns();
    all.extend(spelled::patterns());
    all.extend(names::patterns());
    all.extend(relative::patterns());
    all
});

/// All patterns in one automaton: one pass over a passage says which patterns match at
/// all, so the per-pattern searches (with captures) run only for those, usually none or
/// two or three.
static PATTERN_SET: LazyLock<RegexSet> = LazyLock::new(|| {
    RegexSetBuilder::new(PATTERNS.iter().map(|p| p.regex.as_str()))
        .unicode(false)
        .build()
        .expect("each pattern compiled alone")
});

/// Cheap first checks: a passage with no digit, no month abbreviation and none of these
/// word stems cannot hold a time expression.
static MONTH_TRIGGER: LazyLock<Regex> = LazyLock::new(|| {
    ascii_regex(
        r"Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC",
    )
});

static WORD_TRIGGER: LazyLock<Regex> = LazyLock::new(|| {
    ascii_regex(
        r"(?i)day|tomorrow|tonight|week|month|year|quarter|decade|centur|summer|winter|spring|autumn|fall|now|current|recent|lately|future|past|soon|ago|half|christmas|halloween|valentine|thanksgiving|eighteen|nineteen|twenty|thousand|ties\b|ies\b|Q[1-4]",
    )
});

/// All candidates in `text`, overlaps resolved in favour of the longer expression.
pub(crate) fn scan(text: &str) -> Vec<Candidate> {
    let has_digit = text.bytes().any(|b| b.is_ascii_digit());
    if !has_digit && !MONTH_TRIGGER.is_match(text) && !WORD_TRIGGER.is_match(text) {
        return Vec::new();
    }
    let matched = PATTERN_SET.matches(text);
    if !matched.matched_any() {
        return Vec::new();
    }
    let mut found = Vec::new();
    for index in matched.iter() {
        let pattern = &PATTERNS[index];
        for caps in pattern.regex.captures_iter(text) {
            if let Some(c) = (pattern.build)(&caps, text) {
                found.push(c);
            }
        }
    }
    let mut kept = select(found);
    add_range_ends(text, &mut kept);
    inherit_years(text, &mut kept);
    kept
}

/// "April 24 and 25", "March 3-5", "Oct. 5 to 7, 1999": a bare day number coordinated
/// with a month and day names a second day of that month. Only a later day, and not when
/// a unit or a month follows the number ("May 5 and 6 people", "June 3 and 4 July").
fn add_range_ends(text: &str, kept: &mut Vec<Candidate>) {
    let mut extra = Vec::new();
    for c in kept.iter() {
        let (month, first, year) = match c.expr {
            Expr::MonthDay { month, day } => (month, day, None),
            Expr::Fixed(Value::Day(d)) => (d.month(), d.day(), Some(d.year())),
            _ => continue,
        };
        let Some(caps) = RANGE_END.captures(&text[c.end..]) else {
            continue;
        };
        let number = caps.name("d").expect("group d is not optional");
        let Ok(day) = number.as_str().parse::<u32>() else {
            continue;
        };
        let (start, end) = (c.end + number.start(), c.end + number.end());
        let after = c.end + caps.get(0).expect("group 0 always matches").end();
        let next = next_word(text, after);
        let bytes = text.as_bytes();
        // "May 5 and 6:30", "June 3 and 4.5%", "3 and 4/5", "6 p.m.", "6 o'clock".
        let rest = text[after..].trim_start_matches(' ');
        let number_goes_on = match bytes.get(after) {
            Some(b':' | b'%' | b'/') => true,
            Some(b'.' | b',' | b'-') => bytes.get(after + 1).is_some_and(u8::is_ascii_digit),
            _ => ["a.m.", "p.m.", "o'clock"]
                .iter()
                .any(|t| rest.starts_with(t)),
        };
        if day <= first
            || number_goes_on
            || month_number(next).is_some() && next.len() >= 3
            || is_unit_word(next)
            || kept.iter().any(|k| k.start < end && start < k.end)
        {
            continue;
        }
        let expr = match year {
            Some(y) => match NaiveDate::from_ymd_opt(y, month, day) {
                Some(d) => Expr::Fixed(Value::Day(d)),
                None => continue,
            },
            // Any year: February 29 exists in leap years.
            None if NaiveDate::from_ymd_opt(2000, month, day).is_some() => {
                Expr::MonthDay { month, day }
            }
            None => continue,
        };
        extra.push(Candidate::new(start, end, expr));
    }
    if !extra.is_empty() {
        kept.extend(extra);
        kept.sort_by_key(|c| c.start);
    }
}

/// What may join a day to the end of a range: "and 25", "-25", "to 25th", "through 25".
static RANGE_END: LazyLock<Regex> = LazyLock::new(|| {
    ascii_regex("^\\s*(?:and|or|to|through|-|–)\\s*(?P<d>\\d{1,2})(?:st|nd|rd|th)?\\b")
});

/// Keeps the longest candidates that do not overlap, in text order.
fn select(mut found: Vec<Candidate>) -> Vec<Candidate> {
    found.sort_by_key(|c| (std::cmp::Reverse(c.end - c.start), c.start));
    let mut kept: Vec<Candidate> = Vec::with_capacity(found.len());
    for c in found {
        if kept.iter().all(|k| c.end <= k.start || k.end <= c.start) {
            kept.push(c);
        }
    }
    kept.sort_by_key(|c| c.start);
    kept
}

/// "January and September 2025", "Oct. 5 and Nov. 2, 2025": a month (or month and day)
/// coordinated with a later one that has a year shares that year.
fn inherit_years(text: &str, kept: &mut [Candidate]) {
    for i in (0..kept.len().saturating_sub(1)).rev() {
        let between = text[kept[i].end..kept[i + 1].start].trim();
        let joined = matches!(
            between,
            "," | "and" | "or" | "to" | "through" | "until" | "-"
        ) || between == "\u{2013}"
            || between == "and in";
        if !joined {
            continue;
        }
        let year = match kept[i + 1].expr {
            Expr::Fixed(Value::Month(y, _)) => y,
            Expr::Fixed(Value::Day(d)) => d.year(),
            // "March 3-5, 1999": the year after the range's last day.
            Expr::Fixed(Value::Year(y))
                if between == "," && matches!(kept[i].expr, Expr::MonthDay { .. }) =>
            {
                y
            }
            _ => continue,
        };
        let inherited = match kept[i].expr {
            Expr::Month {
                month,
                shift: Shift::Nearest,
            } => Value::Month(year, month),
            Expr::MonthDay { month, day } => match NaiveDate::from_ymd_opt(year, month, day) {
                Some(d) => Value::Day(d),
                None => continue,
            },
            _ => continue,
        };
        kept[i].expr = Expr::Fixed(inherited);
    }
}
