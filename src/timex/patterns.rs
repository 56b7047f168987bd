//! The pattern table and the scan that runs it over a passage.
//!
//! Takes a text, gives non-overlapping [`Candidate`]s (byte span plus parsed [`Expr`]).
//! Speed matters because every passage of every article passes through here: a few
//! byte-level checks decide which pattern families can match at all, and all regexes are
//! compiled once, ASCII-only so they stay on the lazy DFA.

use std::sync::LazyLock;

use regex::{Captures, Regex, RegexSet, RegexSetBuilder};

use super::context::ascii_regex;
use super::resolve::{Expr, Shift};
use super::value::Value;
use super::{explicit, relative};

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
        r"(?i)day|tomorrow|tonight|week|month|year|quarter|decade|centur|summer|winter|spring|autumn|fall|now|recent|lately|future|past|soon|ago|half|christmas|halloween|valentine|thanksgiving|eighteen|nineteen|twenty|thousand|ties\b|ies\b|Q[1-4]",
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
    inherit_years(text, &mut kept);
    kept
}

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
            Expr::Fixed(Value::Day(d)) => chrono::Datelike::year(&d),
            _ => continue,
        };
        let inherited = match kept[i].expr {
            Expr::Month {
                month,
                shift: Shift::Nearest,
            } => Value::Month(year, month),
            Expr::MonthDay { month, day } => {
                match chrono::NaiveDate::from_ymd_opt(year, month, day) {
                    Some(d) => Value::Day(d),
                    None => continue,
                }
            }
            _ => continue,
        };
        kept[i].expr = Expr::Fixed(inherited);
    }
}
