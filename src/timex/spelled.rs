//! Patterns for dates written in words or shorthand: years in words ("nineteen
//! ninety-six", "the year two thousand"), days as ordinal words ("May first", "the fifth of
//! November") and two-digit years ("in '89", "the summer of '88").
//!
//! Same shape as `explicit`: regex plus check, giving [`Candidate`]s. Word lists that would
//! sit at the start of a regex are checked in code instead, since every pattern's prefix
//! is tracked over every passage.

use chrono::NaiveDate;
use regex::Captures;

use super::explicit::{day, whole};
use super::lexicon::{
    DAY_ORDINAL_ALT, MONTH_FULL_ALT, day_ordinal_value, month_is_ambiguous, month_number,
};
use super::patterns::{Candidate, Pattern};
use super::resolve::Expr;
use super::value::{Season, Value};

pub(crate) fn patterns() -> Vec<Pattern> {
    let (mf, dord) = (MONTH_FULL_ALT, DAY_ORDINAL_ALT);
    vec![
        // Days as ordinal words: "May first", "March twenty-fifth, 1990", "the fifth of
        // November" (the ordinal before "of" is checked in code: a word list at the start of
        // a pattern would slow the scan of every passage).
        Pattern::new(
            &format!(
                r"\b(?:(?P<m>{mf})\s+(?:(?i:the)\s+)?(?P<ow>(?i:{dord}))|(?P<of>(?i:of))\s+(?P<m2>{mf}))\b(?:,?\s+(?P<y>\d{{4}})\b)?"
            ),
            ordinal_day,
        ),
        // Years in words, as broadcast transcripts write them: "nineteen ninety-six",
        // "January nineteen ninety-seven", "the winter of nineteen ninety-four", "the year two
        // thousand".
        Pattern::new(
            &format!(
                r"\b(?:(?P<m>{mf})\s+|(?:(?i:the)\s+)?(?P<s>(?i:spring|summer|autumn|winter|fall))\s+(?:(?i:of)\s+)?)?(?:(?P<c>(?i:eighteen|nineteen|twenty))[\s-]+(?:(?i:hundred)[\s-]+(?:(?i:and)[\s-]+)?)?(?P<tens>(?i:ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety))(?:[\s-]+(?P<unit>(?i:one|two|three|four|five|six|seven|eight|nine)))?|(?i:the\s+year\s+)?(?P<k>(?i:two\s+thousand))(?:[\s-]+(?:(?i:and)\s+)?(?P<kunit>(?i:one|two|three|four|five|six|seven|eight|nine|ten)))?)\b"
            ),
            spelled_year,
        ),
        // Two-digit years after a preposition or a season: "in '89", "since '05", "the
        // summer of '88" (not "the '80s", a decade). The words before are checked in code.
        Pattern::new("(?P<yy>(?:'|\u{2019})\\d{2})\\b", short_year),
    ]
}

fn ordinal_day(caps: &Captures, text: &str) -> Option<Candidate> {
    let (_, end) = whole(caps);
    let (start, month, day) = if let (Some(m), Some(ow)) = (caps.name("m"), caps.name("ow")) {
        let month = month_number(m.as_str())?;
        // "May first-time buyers", "March second reading" are not dates; "Theresa May
        // first said" is a name before an adverb.
        let (_, before) = word_before(text, m.start());
        let name_before = before
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_uppercase())
            && !matches!(
                before.to_ascii_lowercase().as_str(),
                "on" | "in" | "by" | "since" | "until" | "from" | "before" | "after" | "of" | "for"
            );
        let after = super::context::next_word(text, ow.end());
        if text[ow.end()..].starts_with('-')
            || month_is_ambiguous(month) && name_before
            || matches!(
                after,
                "reading" | "time" | "round" | "place" | "half" | "quarter"
            )
        {
            return None;
        }
        (m.start(), month, day_ordinal_value(ow.as_str())?)
    } else {
        let (start, day) = ordinal_before(text, caps.name("of")?.start())?;
        (start, month_number(caps.name("m2")?.as_str())?, day)
    };
    let expr = match caps.name("y") {
        Some(y) => Expr::Fixed(Value::Day(day_of(y.as_str(), month, day)?)),
        None => {
            NaiveDate::from_ymd_opt(2000, month, day)?;
            Expr::MonthDay { month, day }
        }
    };
    Some(Candidate::new(start, end, expr))
}

/// The word before byte `pos` and where it starts.
fn word_before(text: &str, pos: usize) -> (usize, &str) {
    let word = super::context::previous_word(text, pos);
    let head = text[..pos].trim_end_matches([' ', '\t']);
    (head.len() - word.len(), word)
}

/// The ordinal day right before "of" at `of_start` ("the fifth", "the twenty-first"), with
/// where it starts.
fn ordinal_before(text: &str, of_start: usize) -> Option<(usize, u32)> {
    let (mut start, word) = word_before(text, of_start);
    let mut day = day_ordinal_value(word)?;
    if day < 10 {
        // "twenty-first", "thirty first".
        let head = &text[..start];
        if let Some(joined) = head.strip_suffix(['-', ' ']) {
            let (tens_start, tens) = word_before(text, joined.len());
            let tens_value = match tens.to_ascii_lowercase().as_str() {
                "twenty" => Some(20),
                "thirty" => Some(30),
                _ => None,
            };
            if let Some(t) = tens_value {
                day += t;
                start = tens_start;
            }
        }
    }
    if day > 31 {
        return None;
    }
    let (the_start, the) = word_before(text, start);
    if the.eq_ignore_ascii_case("the") {
        start = the_start;
    }
    Some((start, day))
}

fn day_of(year: &str, month: u32, d: u32) -> Option<NaiveDate> {
    day(year.parse().ok()?, month, d)
}

fn spelled_year(caps: &Captures, text: &str) -> Option<Candidate> {
    use super::lexicon::count_value;
    let (start, end) = whole(caps);
    let y = if caps.name("k").is_some() {
        // "two thousand" alone is as often a count as the year 2000: only with "the year"
        // in front, a month, or a unit ("two thousand and one").
        let unit = caps
            .name("kunit")
            .map(|u| count_value(u.as_str()))
            .unwrap_or(Some(0))?;
        let framed = text[start..end]
            .to_ascii_lowercase()
            .starts_with("the year")
            || caps.name("m").is_some()
            || caps.name("s").is_some()
            || unit > 0;
        if !framed {
            return None;
        }
        2000 + unit as i32
    } else {
        let century = match caps.name("c")?.as_str().to_ascii_lowercase().as_str() {
            "eighteen" => 1800,
            "nineteen" => 1900,
            _ => 2000,
        };
        let tens = count_value(caps.name("tens")?.as_str())? as i32;
        let unit = caps
            .name("unit")
            .map_or(Some(0), |u| count_value(u.as_str()))? as i32;
        century + tens + unit
    };
    let season = caps.name("s").and_then(|s| Season::from_word(s.as_str()));
    let value = match (
        caps.name("m").and_then(|m| month_number(m.as_str())),
        season,
    ) {
        (Some(m), _) => Value::Month(y, m),
        (None, Some(s)) => Value::Season(y, s),
        (None, None) => Value::Year(y),
    };
    Some(Candidate::new(start, end, Expr::Fixed(value)))
}

fn short_year(caps: &Captures, text: &str) -> Option<Candidate> {
    let yy = caps.name("yy")?;
    // "'89-90" is a season of two years and "'89,000" a number: the year must end there.
    let bytes = text.as_bytes();
    if matches!(bytes.get(yy.end()), Some(b'-' | b'%' | b'.' | b',' | b'/'))
        && bytes
            .get(yy.end() + 1)
            .is_some_and(u8::is_ascii_alphanumeric)
    {
        return None;
    }
    // A preposition or a season ("summer '88", "the summer of '88") must come first.
    let (mut start, before) = word_before(text, yy.start());
    let mut season = Season::from_word(before);
    if season.is_none() && before.eq_ignore_ascii_case("of") {
        let (season_start, word) = word_before(text, start);
        season = Season::from_word(word);
        if season.is_some() {
            start = season_start;
        }
    }
    if season.is_none() {
        start = yy.start();
        let preposition = matches!(
            before.to_ascii_lowercase().as_str(),
            "in" | "since"
                | "until"
                | "till"
                | "by"
                | "before"
                | "after"
                | "during"
                | "of"
                | "from"
                | "to"
                | "through"
                | "circa"
        );
        if !preposition {
            return None;
        }
    }
    let digits = yy.as_str().trim_start_matches(['\'', '\u{2019}']);
    let expr = Expr::ShortYear {
        yy: digits.parse().ok()?,
        season,
    };
    Some(Candidate::new(start, yy.end(), expr))
}
