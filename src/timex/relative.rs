//! Patterns for time expressions relative to the publication date or to an earlier
//! mention: "yesterday", "last week", "ten months ago", "a year earlier", "the quarter",
//! "that year", and vague references ("now", "recently", "current"). Calendar names without
//! a year (months, weekdays, holidays) are in `names`.
//!
//! Same shape as `explicit`: regex plus check, giving [`Candidate`]s whose [`Expr`] the
//! resolver anchors later.

use regex::Captures;

use super::context::{next_word, previous_word};
use super::lexicon::{COUNT_ALT, count_value};
use super::patterns::{Candidate, Pattern};
use super::resolve::{Expr, Shift, Unit};
use super::value::Season;

pub(crate) fn patterns() -> Vec<Pattern> {
    let count = COUNT_ALT;
    vec![
        // "yesterday", "today", "tomorrow", "tonight", "late yesterday", "yesterday morning".
        Pattern::new(
            r"\b(?:(?P<mod>(?i:early|late|earlier|later))\s+)?(?P<w>(?i:the\s+day\s+before\s+yesterday|the\s+day\s+after\s+tomorrow|yesterday|today|tomorrow|tonight))\b(?:\s+(?P<part>(?i:morning|afternoon|evening|night))\b)?",
            relative_day,
        ),
        // "last week", "this year", "earlier this month", "next quarter", "last summer".
        Pattern::new(
            r"\b(?P<mod>(?i:last|this|next|coming|the\s+coming|the\s+current|current|earlier\s+this|later\s+this|early\s+this|late\s+this|earlier\s+last|early\s+last|late\s+last|later\s+last|early\s+next|late\s+next|later\s+next|sometime\s+next|sometime\s+last|sometime\s+this|the\s+end\s+of\s+this|the\s+end\s+of\s+last|the\s+end\s+of\s+next|the\s+end\s+of\s+the|the\s+start\s+of\s+this|the\s+beginning\s+of\s+this|the\s+start\s+of\s+the|the\s+beginning\s+of\s+the|the\s+middle\s+of\s+the|so\s+far\s+this|earlier\s+in\s+the|later\s+in\s+the|this\s+past))\s+(?P<unit>(?i:week|weekend|month|year|quarter|decade|century|summer|winter|spring|autumn|fall))\b",
            relative_unit,
        ),
        // "the weekend".
        Pattern::new(r"\b(?i:the)\s+weekend\b", the_weekend),
        // "ten months ago", "a year earlier", "two weeks from now".
        Pattern::new(
            &format!(
                r"\b(?:(?P<mod>(?i:almost|nearly|about|some|more\s+than|less\s+than|roughly|around|over|just\s+over|just|exactly|barely|only|approximately))\s+)?(?P<n>(?i:{count}))[\s-]+(?P<unit>(?i:day|week|month|year|decade|century|centuries))s?\s+(?P<dir>(?i:ago|earlier|later|from\s+now|hence|back))\b"
            ),
            ago,
        ),
        // "year-ago", "the year-earlier quarter", "the latest quarter", "the quarter".
        Pattern::new(
            r"\b(?:(?i:the)\s+)?(?:(?i:comparable|same|corresponding)\s+)?(?i:year-ago|year-earlier)(?:\s+(?i:quarter|period))?\b",
            year_earlier,
        ),
        // "the 1988 period", "the 1988 quarter": the quarter under discussion, that year.
        Pattern::new(
            r"\b(?i:the)\s+(?P<y>\d{4})\s+(?:quarter|period)\b",
            quarter_in_year,
        ),
        Pattern::new(
            r"\b(?i:the)\s+(?:(?i:latest|most\s+recent|previous|prior|recent|comparable|corresponding)\s+)?(?:(?i:fiscal)\s+)?(?:quarter|period)\b",
            the_quarter,
        ),
        // "now", "currently", "recently", "the future", "in recent years".
        Pattern::new(
            r"\b(?P<w>(?i:right\s+now|now|currently|current|the\s+past\s+year|nowadays|these\s+days|at\s+present|recently|more\s+recently|until\s+recently|lately|recent\s+(?:years|months|weeks|days|times)|the\s+near\s+future|the\s+future|the\s+past|the\s+(?:near|short)\s+term))\b",
            reference,
        ),
        // "for the year", "in the fiscal year", "the current year": the year of publication.
        Pattern::new(
            r"\b(?:(?P<prep>(?i:for|in|during|through|throughout))\s+)?(?P<y>(?i:the)\s+(?P<adj>(?i:full|fiscal|current|calendar)\s+)?(?:(?i:fiscal)\s+)?(?i:year))\b",
            the_year,
        ),
        // Anaphoric: "that year", "later that year", "the following month", "that same day",
        // "the next morning": relative to the time the text last mentioned.
        Pattern::new(
            r"\b(?:(?i:earlier|later|early|late)\s+)?(?P<rel>(?i:that(?:\s+same)?|the\s+same|the\s+following|the\s+next|the\s+previous|the\s+preceding))\s+(?P<unit>(?i:day|morning|afternoon|evening|night|week|month|year|quarter))\b",
            anaphora,
        ),
        // "year-end", "by year end", "the year's end".
        Pattern::new(
            r"\b(?:(?P<prep>(?i:since|by|at|around|before|until|through|after))\s+)?(?P<y>(?:(?i:the)\s+)?(?i:year[-\s]end|year's\s+end))\b",
            year_end,
        ),
    ]
}

pub(crate) fn shift_of(modifier: &str) -> Shift {
    let m = modifier.to_ascii_lowercase();
    if m.contains("past") || m.starts_with("last") {
        Shift::Last
    } else if m.contains("next") || m.contains("coming") {
        Shift::Next
    } else if m.starts_with("this") {
        Shift::This
    } else {
        Shift::Nearest
    }
}

fn relative_day(caps: &Captures, text: &str) -> Option<Candidate> {
    let word = caps.name("w")?;
    let lower = word.as_str().to_ascii_lowercase();
    // "USA Today", "the Today programme", "the Tonight Show": a title, not a day.
    let next = next_word(text, word.end()).to_ascii_lowercase();
    let capitalised = word.as_str().starts_with(|c: char| c.is_ascii_uppercase());
    if previous_word(text, word.start()) == "USA"
        || matches!(next.as_str(), "programme" | "program" | "show")
        || capitalised && previous_word(text, word.start()).eq_ignore_ascii_case("the")
    {
        return None;
    }
    let n = if lower.ends_with("before yesterday") {
        -2
    } else if lower.ends_with("after tomorrow") {
        2
    } else if lower == "yesterday" {
        -1
    } else if lower == "tomorrow" {
        1
    } else {
        0
    };
    let whole = caps.get(0)?;
    Some(Candidate::new(
        whole.start(),
        whole.end(),
        Expr::Offset { unit: Unit::Day, n },
    ))
}

fn unit_of(word: &str) -> Option<Unit> {
    match word.to_ascii_lowercase().as_str() {
        "day" => Some(Unit::Day),
        "week" => Some(Unit::Week),
        "weekend" => Some(Unit::Weekend),
        "month" => Some(Unit::Month),
        "quarter" => Some(Unit::Quarter),
        "year" => Some(Unit::Year),
        "decade" => Some(Unit::Decade),
        "century" | "centuries" => Some(Unit::Century),
        _ => None,
    }
}

fn relative_unit(caps: &Captures, text: &str) -> Option<Candidate> {
    let modifier = caps.name("mod")?.as_str();
    let unit_word = caps.name("unit")?.as_str();
    let whole = caps.get(0)?;
    if is_quoted_title(text, whole.start(), whole.end(), unit_word) {
        return None;
    }
    let shift = shift_of(modifier);
    if let Some(season) = Season::from_word(unit_word) {
        // "this fall" is a season; a bare "fall" after "the end of the" is not.
        let shift = if shift == Shift::Nearest {
            Shift::This
        } else {
            shift
        };
        let expr = Expr::Season { season, shift };
        return Some(Candidate::new(whole.start(), whole.end(), expr));
    }
    let unit = unit_of(unit_word)?;
    let n = match shift {
        Shift::Last => -1,
        Shift::Next => 1,
        Shift::This | Shift::Nearest => 0,
    };
    Some(Candidate::new(
        whole.start(),
        whole.end(),
        Expr::Offset { unit, n },
    ))
}

/// A capitalised unit ("This Week", "Next Year") in running text is a title: ABC's
/// "This Week", "Last Week Tonight". Title case counts only when the phrase is quoted or
/// runs on into more capitalised words, so "THIS WEEK" headlines and sentence starts
/// ("This week, talks…") stay dates.
fn is_quoted_title(text: &str, start: usize, end: usize, unit_word: &str) -> bool {
    let capital = unit_word
        .bytes()
        .next()
        .is_some_and(|b| b.is_ascii_uppercase())
        && unit_word.bytes().skip(1).any(|b| b.is_ascii_lowercase());
    if !capital {
        return false;
    }
    let before = text[..start].trim_end_matches(' ');
    let quoted = before.ends_with(['"', '`', '\'']) || before.ends_with('\u{201c}');
    let next = next_word(text, end);
    quoted || next.bytes().next().is_some_and(|b| b.is_ascii_uppercase())
}

fn the_weekend(caps: &Captures, _text: &str) -> Option<Candidate> {
    let whole = caps.get(0)?;
    Some(Candidate::new(whole.start(), whole.end(), Expr::TheWeekend))
}

fn ago(caps: &Captures, _text: &str) -> Option<Candidate> {
    let whole = caps.get(0)?;
    let dir = caps.name("dir")?.as_str().to_ascii_lowercase();
    let unit = unit_of(caps.name("unit")?.as_str())?;
    let sign = if matches!(dir.as_str(), "ago" | "back" | "earlier") {
        -1
    } else {
        1
    };
    let from_reference = matches!(dir.as_str(), "earlier" | "later");
    let Some(count) = count_value(caps.name("n")?.as_str()) else {
        let vague = if sign < 0 { "PAST_REF" } else { "FUTURE_REF" };
        return Some(Candidate::new(
            whole.start(),
            whole.end(),
            Expr::Vague(vague),
        ));
    };
    // "a decade ago" is a year ten years back, not the previous decade.
    let (unit, n) = match unit {
        Unit::Decade => (Unit::Year, count * 10),
        Unit::Century => (Unit::Year, count * 100),
        u => (u, count),
    };
    let expr = if from_reference {
        Expr::FromReference { unit, n: sign * n }
    } else {
        Expr::Ago { unit, n: sign * n }
    };
    Some(Candidate::new(whole.start(), whole.end(), expr))
}

fn year_earlier(caps: &Captures, _text: &str) -> Option<Candidate> {
    let whole = caps.get(0)?;
    let quarter = whole.as_str().to_ascii_lowercase().ends_with("quarter");
    let expr = Expr::YearAgo { quarter };
    Some(Candidate::new(whole.start(), whole.end(), expr))
}

fn quarter_in_year(caps: &Captures, _text: &str) -> Option<Candidate> {
    let whole = caps.get(0)?;
    let year: i32 = caps.name("y")?.as_str().parse().ok()?;
    if !super::patterns::plausible_year(year) {
        return None;
    }
    Some(Candidate::new(
        whole.start(),
        whole.end(),
        Expr::ReferenceQuarterOf { year },
    ))
}

fn the_quarter(caps: &Captures, text: &str) -> Option<Candidate> {
    let whole = caps.get(0)?;
    // "the quarter of the city", "the quarter-final".
    if next_word(text, whole.end()).eq_ignore_ascii_case("of")
        || text[whole.end()..].starts_with('-')
    {
        return None;
    }
    let lower = whole.as_str().to_ascii_lowercase();
    let expr = if lower.contains("previous") || lower.contains("prior") {
        Expr::FromReference {
            unit: Unit::Quarter,
            n: -1,
        }
    } else if lower.contains("comparable") || lower.contains("corresponding") {
        Expr::YearAgo {
            quarter: lower.ends_with("quarter"),
        }
    } else {
        let latest = lower.contains("latest") || lower.contains("recent");
        if !latest && lower.ends_with("period") {
            return None;
        }
        Expr::ReferenceQuarter { latest }
    };
    Some(Candidate::new(whole.start(), whole.end(), expr))
}

fn reference(caps: &Captures, text: &str) -> Option<Candidate> {
    let word = caps.name("w")?;
    let lower = word.as_str().to_ascii_lowercase();
    let next = next_word(text, word.end()).to_ascii_lowercase();
    let value = match lower.as_str() {
        "now" | "right now" => {
            // "now-defunct" is an adjective.
            if text[word.end()..].starts_with('-') {
                return None;
            }
            "PRESENT_REF"
        }
        "currently" | "nowadays" | "these days" | "at present" => "PRESENT_REF",
        "current" => {
            // "the current chairman", "current conditions": the present. Not "the then
            // current price", "the current account", an electric or ocean current.
            let prev = previous_word(text, word.start()).to_ascii_lowercase();
            if prev == "then"
                || !next.bytes().next().is_some_and(|b| b.is_ascii_lowercase())
                || matches!(
                    next.as_str(),
                    "account" | "accounts" | "affairs" | "and" | "or" | "in" | "of" | "flows"
                )
            {
                return None;
            }
            "PRESENT_REF"
        }
        "the past year" => {
            // "over the past year": the year before publication, as "last year" ("the past
            // year and a half" and "the past year's" are something else).
            if matches!(next.as_str(), "and" | "or" | "of" | "s")
                || text[word.end()..].starts_with('\'')
            {
                return None;
            }
            return Some(Candidate::new(
                word.start(),
                word.end(),
                Expr::Offset {
                    unit: Unit::Year,
                    n: -1,
                },
            ));
        }
        "the past" => {
            // "the past year" is a duration, "the past tense" not time at all.
            let followed_by_noun = matches!(
                next.as_str(),
                "day"
                    | "days"
                    | "week"
                    | "weeks"
                    | "month"
                    | "months"
                    | "year"
                    | "years"
                    | "decade"
                    | "decades"
                    | "century"
                    | "centuries"
                    | "few"
                    | "several"
                    | "two"
                    | "three"
                    | "four"
                    | "five"
                    | "ten"
                    | "tense"
                    | "quarter"
                    | "quarters"
                    | "season"
                    | "seasons"
                    | "hour"
                    | "hours"
                    | "weekend"
                    | "summer"
                    | "winter"
            );
            if followed_by_noun || text[word.end()..].starts_with('-') {
                return None;
            }
            "PAST_REF"
        }
        l if l.ends_with("term") => "FUTURE_REF",
        l if l.contains("future") => {
            if next == "of" {
                return None;
            }
            "FUTURE_REF"
        }
        _ => "PAST_REF",
    };
    Some(Candidate::new(word.start(), word.end(), Expr::Vague(value)))
}

fn the_year(caps: &Captures, text: &str) -> Option<Candidate> {
    let y = caps.name("y")?;
    let current = caps
        .name("adj")
        .is_some_and(|a| a.as_str().eq_ignore_ascii_case("current "));
    if caps.name("prep").is_none() && !current && !part_of_year(text, y.start()) {
        return None;
    }
    // "the year ended June 30" is a fiscal period, "the year before" relative, "the year
    // of the dragon" not a date, "the year-ago quarter" another pattern's. "The current
    // year" is the year of publication whatever follows ("in the current fiscal year that
    // ends…").
    let next = next_word(text, y.end()).to_ascii_lowercase();
    if text[y.end()..].starts_with('-') || matches!(next.as_str(), "ended" | "ending") {
        return None;
    }
    if !current
        && matches!(
            next.as_str(),
            "ended"
                | "ending"
                | "to"
                | "before"
                | "after"
                | "ago"
                | "earlier"
                | "later"
                | "of"
                | "when"
                | "in"
                | "that"
                | "which"
                | "since"
                | "two"
                | "for"
                | "award"
                | "awards"
        )
    {
        return None;
    }
    Some(Candidate::new(
        y.start(),
        y.end(),
        Expr::Offset {
            unit: Unit::Year,
            n: 0,
        },
    ))
}

/// "the rest of the year", "the first nine months of the year": "the year" after a part of
/// a period is the year under way ("player of the year" is not).
fn part_of_year(text: &str, the: usize) -> bool {
    let of = previous_word(text, the);
    if !of.eq_ignore_ascii_case("of") {
        return false;
    }
    let before = text[..the].trim_end_matches([' ', '\t']);
    let part = previous_word(before, before.len() - of.len()).to_ascii_lowercase();
    matches!(
        part.as_str(),
        "months"
            | "weeks"
            | "days"
            | "quarters"
            | "rest"
            | "remainder"
            | "balance"
            | "half"
            | "part"
            | "course"
    )
}

fn anaphora(caps: &Captures, text: &str) -> Option<Candidate> {
    let whole = caps.get(0)?;
    let rel = caps.name("rel")?.as_str().to_ascii_lowercase();
    let unit_word = caps.name("unit")?.as_str().to_ascii_lowercase();
    let unit = match unit_word.as_str() {
        "morning" | "afternoon" | "evening" | "night" => Unit::Day,
        w => unit_of(w)?,
    };
    // "the next day" counts on; "the next year's budget" is a phrase about next year but
    // "that year's" still refers back.
    if text[whole.end()..].starts_with('-') {
        return None;
    }
    let n = if rel.contains("following") || rel.contains("next") {
        1
    } else if rel.contains("previous") || rel.contains("preceding") {
        -1
    } else {
        0
    };
    Some(Candidate::new(
        whole.start(),
        whole.end(),
        Expr::FromReference { unit, n },
    ))
}

fn year_end(caps: &Captures, _text: &str) -> Option<Candidate> {
    let y = caps.name("y")?;
    let since = caps
        .name("prep")
        .is_some_and(|p| p.as_str().eq_ignore_ascii_case("since"));
    let expr = Expr::YearEnd {
        years: if since { -1 } else { 0 },
    };
    Some(Candidate::new(y.start(), y.end(), expr))
}
