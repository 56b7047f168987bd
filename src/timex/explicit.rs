//! Patterns for time expressions that carry their own year or need none: full dates,
//! months with years, years, decades, centuries, quarters, halves, seasons.
//!
//! Each pattern is a regex plus a function that checks a match and turns it into a
//! [`Candidate`]. The table is built once; `extract` runs the patterns whose trigger words
//! occur in a passage.

use chrono::NaiveDate;
use regex::Captures;

use super::context::{business_context, number_is_year, sports_context, sports_nearby};
use super::lexicon::{MONTH_ALT, MONTH_FULL_ALT, WEEKDAY_ALT, month_number, ordinal_value};
use super::patterns::{Candidate, Pattern, plausible_year};
use super::resolve::Expr;
use super::value::{Season, Value};

pub(crate) fn patterns() -> Vec<Pattern> {
    let (m, mf, w) = (MONTH_ALT, MONTH_FULL_ALT, WEEKDAY_ALT);
    let ord = super::lexicon::ORDINAL_ALT;
    vec![
        // "October 15, 2025", "Thu, Oct. 15 2025", "Monday, October 13th, 2025".
        Pattern::new(
            &format!(
                r"\b(?:(?:{w}),?\s+)?(?P<m>{m})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?:,\s*|\s+)(?P<y>\d{{4}})\b"
            ),
            full_date,
        ),
        // "15 October 2025", "the 15th of October, 2025".
        Pattern::new(
            &format!(
                r"\b(?:(?:{w}),?\s+)?(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m>{m})\.?,?\s+(?P<y>\d{{4}})\b"
            ),
            full_date,
        ),
        // ISO and other numeric dates: "2025-10-15", "2025/10/15", "10/15/2025".
        Pattern::new(
            r"\b(?P<y>\d{4})(?P<s1>[-/.])(?P<mo>\d{1,2})(?P<s2>[-/.])(?P<d>\d{1,2})\b",
            iso_date,
        ),
        Pattern::new(r"\b(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<y>\d{4})\b", us_date),
        // "Oct. 15", "Monday, Oct. 13", "October 15th morning".
        Pattern::new(
            &format!(
                r"\b(?:(?:{w}),?\s+)?(?P<m>{m})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\b(?:\s+(?P<part>(?i:morning|afternoon|evening|night))\b)?"
            ),
            month_day,
        ),
        // "15 October", "the 15th of October".
        Pattern::new(
            &format!(
                r"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m>{mf}|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\b"
            ),
            month_day,
        ),
        // "July 1997", "early November 1989", "January of 2025".
        Pattern::new(
            &format!(
                r"\b(?:(?P<mod>(?i:early|late|mid|the\s+end\s+of|the\s+beginning\s+of|the\s+start\s+of|the\s+middle\s+of))[\s-]+)?(?P<m>{m})\.?,?\s+(?:of\s+)?(?P<y>\d{{4}})\b"
            ),
            month_year,
        ),
        // Years: "1990", "in 2025", "mid-2025", "fiscal 1989", "FY2025".
        Pattern::new(
            r"\b(?:(?P<prep>(?i:in|since|until|till|during|before|after|through|circa|year|throughout))\s+)?(?:(?P<mod>(?i:early|late|mid|fiscal\s+year|fiscal|calendar\s+year|calendar|FY|the\s+end\s+of|the\s+start\s+of|the\s+beginning\s+of|the\s+middle\s+of))[\s-]*)?(?P<y>\d{4})\b",
            year,
        ),
        // Decades: "the 1990s", "the early 1980s", "the '80s", "the nineties".
        Pattern::new(
            r"(?:\b(?i:the)\s+)?(?:\b(?P<mod>(?i:early|late|mid))[\s-]+)?(?:\b(?P<dec>1[0-9]\d0|20\d0)|'(?P<d2>[3-9]0))'?s\b",
            decade,
        ),
        Pattern::new(
            r"\b(?i:the)\s+(?:(?i:early|late|mid)[\s-]+)?(?P<word>(?i:twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties))\b",
            decade_word,
        ),
        // Centuries: "the 20th century", "the nineteenth century".
        Pattern::new(
            r"\b(?:(?i:the)\s+)?(?:(?i:early|late|mid)[\s-]+)?(?P<n>\d{1,2}(?:st|nd|rd|th)|(?i:eighteenth|nineteenth|twentieth|twenty[\s-]first))[\s-]+(?i:century)\b",
            century,
        ),
        // Quarters: "the third quarter", "third-quarter", "the 1988 third quarter",
        // "the fourth quarter of 2025", "next year's first quarter", "fiscal 1990's first
        // quarter".
        Pattern::new(
            &format!(
                r"\b(?:(?i:the|its|this|that)\s+)?(?:(?i:fiscal)\s+)?(?:(?P<y1>\d{{4}})(?:'s)?\s+)?(?:(?P<rel>(?i:this|last|next))\s+year's\s+)?(?:(?i:fiscal)[\s-]+)?(?P<ord>(?i:{ord}))[\s-]+(?i:quarter|qtr)\b(?:\s+(?i:of)\s+(?:(?i:fiscal\s+year|fiscal|calendar|the\s+fiscal\s+year)\s+)?(?P<y2>\d{{4}})\b|\s+(?P<rel2>(?i:this|last|next))\s+year\b)?"
            ),
            quarter,
        ),
        // "Q3", "Q3 2025", "2025 Q3", "2025-Q3".
        Pattern::new(
            r"\b(?:(?P<y1>\d{4})[\s-]?)?Q(?P<q>[1-4])\b(?:\s+(?P<y2>\d{4})\b)?",
            quarter_code,
        ),
        // Halves: "the second half of 1990", "the first half of this year", "first-half",
        // "fiscal 1990's second half".
        Pattern::new(
            r"\b(?:(?i:the)\s+)?(?:(?:(?i:fiscal)\s+)?(?P<y1>\d{4})(?:'s)?\s+)?(?P<ord>(?i:first|second|1st|2nd|last))[\s-]+(?i:half)\b(?:\s+(?i:of)\s+(?:(?P<y>\d{4})\b|(?P<rel>(?i:this|last|next|the))\s+year\b))?",
            half,
        ),
        // Seasons with a year: "summer 2025", "the fall of 1989".
        Pattern::new(
            r"\b(?:(?i:the)\s+)?(?:(?i:early|late|mid)[\s-]+)?(?P<s>(?i:spring|summer|autumn|winter|fall))(?:\s+(?i:of))?\s+(?P<y>\d{4})\b",
            season_year,
        ),
    ]
}

fn number(caps: &Captures, name: &str) -> Option<u32> {
    caps.name(name)?.as_str().parse().ok()
}

/// A day that exists, in a plausible year.
pub(crate) fn day(y: u32, m: u32, d: u32) -> Option<NaiveDate> {
    let y = i32::try_from(y).ok()?;
    if !plausible_year(y) {
        return None;
    }
    NaiveDate::from_ymd_opt(y, m, d)
}

pub(crate) fn whole(caps: &Captures) -> (usize, usize) {
    let m = caps.get(0).expect("group 0 always matches");
    (m.start(), m.end())
}

fn full_date(caps: &Captures, _text: &str) -> Option<Candidate> {
    let m = month_number(caps.name("m")?.as_str())?;
    let d = day(number(caps, "y")?, m, number(caps, "d")?)?;
    let (start, end) = whole(caps);
    Some(Candidate::new(start, end, Expr::Fixed(Value::Day(d))))
}

fn iso_date(caps: &Captures, _text: &str) -> Option<Candidate> {
    if caps.name("s1")?.as_str() != caps.name("s2")?.as_str() {
        return None;
    }
    let d = day(number(caps, "y")?, number(caps, "mo")?, number(caps, "d")?)?;
    let (start, end) = whole(caps);
    Some(Candidate::new(start, end, Expr::Fixed(Value::Day(d))))
}

/// "10/15/2025" (US) or "15/10/2025" (elsewhere): only when the order is unambiguous or
/// both readings agree, since guessing wrong invents a date.
fn us_date(caps: &Captures, _text: &str) -> Option<Candidate> {
    let (a, b, y) = (number(caps, "a")?, number(caps, "b")?, number(caps, "y")?);
    let (m, d) = match (a <= 12, b <= 12) {
        (true, false) => (a, b),
        (false, true) => (b, a),
        (true, true) if a == b => (a, b),
        _ => return None,
    };
    let d = day(y, m, d)?;
    let (start, end) = whole(caps);
    Some(Candidate::new(start, end, Expr::Fixed(Value::Day(d))))
}

fn month_day(caps: &Captures, text: &str) -> Option<Candidate> {
    let m = month_number(caps.name("m")?.as_str())?;
    let d = number(caps, "d")?;
    // Check the day exists in some year (Feb 29 does in leap years).
    NaiveDate::from_ymd_opt(2000, m, d)?;
    let (start, end) = whole(caps);
    // "May 5:30" or "Jan 3,000" are not dates.
    if matches!(text.as_bytes().get(end), Some(b':' | b',' | b'.'))
        && text.as_bytes().get(end + 1).is_some_and(u8::is_ascii_digit)
    {
        return None;
    }
    Some(Candidate::new(
        start,
        end,
        Expr::MonthDay { month: m, day: d },
    ))
}

fn month_year(caps: &Captures, _text: &str) -> Option<Candidate> {
    let m = month_number(caps.name("m")?.as_str())?;
    let y = i32::try_from(number(caps, "y")?).ok()?;
    if !plausible_year(y) {
        return None;
    }
    let (start, end) = whole(caps);
    Some(Candidate::new(start, end, Expr::Fixed(Value::Month(y, m))))
}

fn year(caps: &Captures, text: &str) -> Option<Candidate> {
    let ym = caps.name("y")?;
    let y: i32 = ym.as_str().parse().ok()?;
    let prep = caps.name("prep");
    let modifier = caps.name("mod");
    let licensed = prep.is_some() || modifier.is_some();
    // Years before 1800 only with a temporal preposition: bare they are mostly counts.
    let low = if licensed { 1000 } else { 1800 };
    if !(low..=2100).contains(&y) || !number_is_year(text, ym.start(), ym.end(), licensed) {
        return None;
    }
    let start = modifier.map_or(ym.start(), |m| m.start());
    Some(Candidate::new(start, ym.end(), Expr::Fixed(Value::Year(y))))
}

fn decade(caps: &Captures, _text: &str) -> Option<Candidate> {
    let first3 = if let Some(d) = caps.name("dec") {
        let full: i32 = d.as_str().parse().ok()?;
        // "the 1800s" is a century; "the 2000s" is usually the decade.
        if full % 100 == 0 && full != 2000 {
            let (start, end) = whole(caps);
            let c = Value::Century(full / 100);
            return Some(Candidate::new(start, end, Expr::Fixed(c)));
        }
        full / 10
    } else {
        190 + caps.name("d2")?.as_str()[..1].parse::<i32>().ok()?
    };
    let (start, end) = whole(caps);
    Some(Candidate::new(
        start,
        end,
        Expr::Fixed(Value::Decade(first3)),
    ))
}

fn decade_word(caps: &Captures, _text: &str) -> Option<Candidate> {
    let word = caps.name("word")?.as_str().to_ascii_lowercase();
    let tens = [
        "twenties",
        "thirties",
        "forties",
        "fifties",
        "sixties",
        "seventies",
        "eighties",
        "nineties",
    ]
    .iter()
    .position(|t| *t == word)? as i32
        + 2;
    let (start, end) = whole(caps);
    Some(Candidate::new(
        start,
        end,
        Expr::Fixed(Value::Decade(190 + tens)),
    ))
}

fn century(caps: &Captures, _text: &str) -> Option<Candidate> {
    let n = caps.name("n")?.as_str().to_ascii_lowercase();
    let ordinal: i32 = match n.as_str() {
        "eighteenth" => 18,
        "nineteenth" => 19,
        "twentieth" => 20,
        s if s.starts_with("twenty") => 21,
        s => s
            .trim_end_matches(|c: char| c.is_ascii_alphabetic())
            .parse()
            .ok()?,
    };
    if !(1..=21).contains(&ordinal) {
        return None;
    }
    let (start, end) = whole(caps);
    Some(Candidate::new(
        start,
        end,
        Expr::Fixed(Value::Century(ordinal - 1)),
    ))
}

/// Relative year words: "this" 0, "last" -1, "next" +1.
pub(crate) fn year_shift(word: &str) -> Option<i64> {
    match word.to_ascii_lowercase().as_str() {
        "this" => Some(0),
        "last" => Some(-1),
        "next" => Some(1),
        _ => None,
    }
}

/// Whether the text right after a "quarter"/"half" match makes it something else:
/// "quarter-final", "quarter finals", "half-time", "half brother".
fn continues_as_other_word(text: &str, end: usize) -> bool {
    let rest = &text[end..];
    let rest = rest.trim_start_matches(['-', ' ']);
    let lower: String = rest
        .chars()
        .take(8)
        .collect::<String>()
        .to_ascii_lowercase();
    [
        "final", "time", "centur", "mile", "brother", "sister", "hour", "back", "of a", "of an",
    ]
    .iter()
    .any(|w| lower.starts_with(w))
}

fn quarter(caps: &Captures, text: &str) -> Option<Candidate> {
    let q = ordinal_value(caps.name("ord")?.as_str())?;
    let (start, end) = whole(caps);
    if continues_as_other_word(text, end) {
        return None;
    }
    let explicit = caps.name("y1").or_else(|| caps.name("y2"));
    let expr = if let Some(y) = explicit {
        let y: i32 = y.as_str().parse().ok()?;
        if !plausible_year(y) {
            return None;
        }
        Expr::Fixed(Value::Quarter(y, q))
    } else if let Some(rel) = caps.name("rel").or_else(|| caps.name("rel2")) {
        Expr::QuarterOfYear {
            quarter: q,
            years: year_shift(rel.as_str()),
        }
    } else {
        if sports_context(text, start, end) {
            return None;
        }
        Expr::QuarterOfYear {
            quarter: q,
            years: None,
        }
    };
    Some(Candidate::new(start, end, expr))
}

fn quarter_code(caps: &Captures, text: &str) -> Option<Candidate> {
    let q: u32 = caps.name("q")?.as_str().parse().ok()?;
    let (start, end) = whole(caps);
    let expr = match caps.name("y1").or_else(|| caps.name("y2")) {
        Some(y) => {
            let y: i32 = y.as_str().parse().ok()?;
            if !plausible_year(y) {
                return None;
            }
            Expr::Fixed(Value::Quarter(y, q))
        }
        None => {
            // "Audi Q3" is a car: a bare code needs a determiner or preposition before it.
            let prev = super::context::previous_word(text, start);
            if !matches!(
                prev,
                "in" | "the"
                    | "for"
                    | "during"
                    | "of"
                    | "its"
                    | "this"
                    | "last"
                    | "next"
                    | "a"
                    | "from"
                    | "to"
                    | "and"
                    | "by"
            ) {
                return None;
            }
            Expr::QuarterOfYear {
                quarter: q,
                years: None,
            }
        }
    };
    Some(Candidate::new(start, end, expr))
}

fn half(caps: &Captures, text: &str) -> Option<Candidate> {
    let h = match caps.name("ord")?.as_str().to_ascii_lowercase().as_str() {
        "first" | "1st" => 1,
        _ => 2,
    };
    let (start, end) = whole(caps);
    if continues_as_other_word(text, end) {
        return None;
    }
    let expr = if let Some(y) = caps.name("y").or_else(|| caps.name("y1")) {
        let y: i32 = y.as_str().parse().ok()?;
        if !plausible_year(y) {
            return None;
        }
        Expr::Fixed(Value::Half(y, h))
    } else if let Some(rel) = caps.name("rel") {
        Expr::HalfOfYear {
            half: h,
            years: year_shift(rel.as_str()),
        }
    } else {
        // A bare "first half" is as often a match as a financial period: only the
        // hyphenated adjective ("first-half profit") or a sentence about money or the
        // economy ("sales rose 5% in the first half"), and never near a score.
        let hyphenated = text[start..end].contains('-');
        let in_business = hyphenated && !sports_context(text, start, end)
            || business_context(text, start, end) && !sports_nearby(text, start, end);
        if !in_business {
            return None;
        }
        Expr::HalfOfYear {
            half: h,
            years: None,
        }
    };
    Some(Candidate::new(start, end, expr))
}

fn season_year(caps: &Captures, _text: &str) -> Option<Candidate> {
    let s = Season::from_word(caps.name("s")?.as_str())?;
    let y: i32 = caps.name("y")?.as_str().parse().ok()?;
    if !plausible_year(y) {
        return None;
    }
    let (start, end) = whole(caps);
    Some(Candidate::new(start, end, Expr::Fixed(Value::Season(y, s))))
}
