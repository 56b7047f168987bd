//! Patterns for time expressions that need the publication date: bare months and
//! weekdays, "yesterday", "last week", "ten months ago", "the third quarter", holidays, and
//! vague references ("now", "recently").
//!
//! Same shape as `explicit`: regex plus check, giving [`Candidate`]s whose [`Expr`] the
//! resolver anchors later.

use regex::Captures;

use super::context::{next_word, previous_word};
use super::explicit::year_shift;
use super::lexicon::{
    COUNT_ALT, MONTH_FULL_ALT, WEEKDAY_ALT, count_value, month_is_ambiguous, month_number,
    weekday_number,
};
use super::patterns::{Candidate, Pattern};
use super::resolve::{Expr, Shift, Unit};
use super::value::Season;

pub(crate) fn patterns() -> Vec<Pattern> {
    let (mf, w, count) = (MONTH_FULL_ALT, WEEKDAY_ALT, COUNT_ALT);
    vec![
        // "in July", "last May", "early November", "mid-July", "the end of March".
        Pattern::new(
            &format!(
                r"\b(?:(?P<prep>(?i:in|since|until|till|during|through|throughout|before|after|from|between|by|of|for|to|and|or|around|on))\s+)?(?:(?P<mod>(?i:last|next|this\s+past|this\s+coming|this|early|late|mid|the\s+end\s+of|the\s+beginning\s+of|the\s+start\s+of|the\s+middle\s+of|end\s+of|beginning\s+of|start\s+of|middle\s+of))[\s-]+)?(?P<m>{mf})\b"
            ),
            bare_month,
        ),
        // "June last year", "January this year".
        Pattern::new(
            &format!(r"\b(?P<m>{mf})\s+(?P<rel>(?i:this|last|next))\s+year\b"),
            month_in_year,
        ),
        // "Monday", "last Friday", "this coming Sunday", "Thursday morning".
        Pattern::new(
            &format!(
                r"\b(?:(?P<mod>(?i:last|next|this\s+past|this\s+coming|this|coming|early|late))\s+)?(?P<wd>{w})(?:'s)?\b(?:\s+(?P<part>(?i:morning|afternoon|evening|night))\b)?"
            ),
            weekday,
        ),
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
            r"\b(?P<w>(?i:right\s+now|now|currently|nowadays|these\s+days|at\s+present|recently|more\s+recently|until\s+recently|lately|recent\s+(?:years|months|weeks|days|times)|the\s+near\s+future|the\s+future|the\s+past|the\s+(?:near|short)\s+term))\b",
            reference,
        ),
        // "the summer", "the early spring".
        Pattern::new(
            r"\b(?i:the)\s+(?:(?i:early|late|mid)[\s-]+)?(?P<s>(?i:summer|winter|spring|autumn))\b",
            bare_season,
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
        // Thanksgiving (US): the fourth Thursday of November.
        Pattern::new(
            r"\b(?:(?P<mod>(?i:last|next|this))\s+)?Thanksgiving(?:\s+Day)?\b",
            thanksgiving,
        ),
        // Fixed-date holidays.
        Pattern::new(
            r"\b(?:(?P<prep>(?i:at|over|before|after|since|until|till|by|for|on|during|around|of|this|last|next))\s+)?(?P<h>Christmas\s+Day|Christmas\s+Eve|Christmas|Boxing\s+Day|New\s+Year's\s+Day|New\s+Year's\s+Eve|Valentine's\s+Day|Halloween|May\s+Day|Guy\s+Fawkes\s+Night|Bonfire\s+Night)\b",
            holiday,
        ),
    ]
}

fn shift_of(modifier: &str) -> Shift {
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

/// Prepositions strong enough to make "May", "March", "June"… a month on their own.
const STRONG_PREPS: &[&str] = &[
    "in",
    "since",
    "until",
    "till",
    "during",
    "through",
    "throughout",
    "before",
    "after",
];

fn bare_month(caps: &Captures, text: &str) -> Option<Candidate> {
    let mm = caps.name("m")?;
    let month = month_number(mm.as_str())?;
    let modifier = caps.name("mod");
    let prep = caps.name("prep").map(|p| p.as_str().to_ascii_lowercase());
    if month_is_ambiguous(month) && modifier.is_none() {
        // "by June" is a deadline; "by May" as often Theresa May's doing.
        let strong = prep
            .as_deref()
            .is_some_and(|p| STRONG_PREPS.contains(&p) || (p == "by" && month != 5));
        // "in May's speech" is Theresa May; "in March Madness" a tournament.
        let next = next_word(text, mm.end());
        let names_follow = text[mm.end()..].starts_with("'s")
            || next.as_bytes().first().is_some_and(u8::is_ascii_uppercase);
        if !strong || names_follow {
            return None;
        }
    }
    let shift = modifier.map_or(Shift::Nearest, |m| shift_of(m.as_str()));
    let start = modifier.map_or(mm.start(), |m| m.start());
    Some(Candidate::new(
        start,
        mm.end(),
        Expr::Month { month, shift },
    ))
}

fn month_in_year(caps: &Captures, _text: &str) -> Option<Candidate> {
    let month = month_number(caps.name("m")?.as_str())?;
    let years = year_shift(caps.name("rel")?.as_str())?;
    let whole = caps.get(0)?;
    Some(Candidate::new(
        whole.start(),
        whole.end(),
        Expr::MonthInYear { month, years },
    ))
}

/// Capitalised words before a weekday that make it a name, not a date ("Good Friday").
const NAME_BEFORE: &[&str] = &[
    "Good", "Black", "Bloody", "Ash", "Easter", "Super", "Holy", "Palm", "Maundy", "Cyber", "Whit",
    "Shrove", "Blue", "Manic", "Fat", "Mad", "Giving", "every", "each", "Every", "Each",
];

/// Capitalised words after a weekday that make it a title ("Sunday Times").
const NAME_AFTER: &[&str] = &[
    "Times",
    "Telegraph",
    "Mirror",
    "Express",
    "Post",
    "Herald",
    "Mail",
    "Independent",
    "Tribune",
    "Sport",
    "People",
    "Observer",
    "Club",
    "School",
    "League",
    "Service",
    "Mass",
    "Night",
    "Morning",
    "Bloody",
    "Business",
    "Review",
    "Magazine",
    "Edition",
];

fn weekday(caps: &Captures, text: &str) -> Option<Candidate> {
    let wd = caps.name("wd")?;
    let weekday = weekday_number(wd.as_str())?;
    if NAME_BEFORE.contains(&previous_word(text, wd.start()))
        || NAME_AFTER.contains(&next_word(text, wd.end()))
    {
        return None;
    }
    let modifier = caps.name("mod");
    let shift = modifier.map_or(Shift::Nearest, |m| shift_of(m.as_str()));
    let start = modifier.map_or(wd.start(), |m| m.start());
    let end = caps.get(0)?.end();
    Some(Candidate::new(start, end, Expr::Weekday { weekday, shift }))
}

fn relative_day(caps: &Captures, text: &str) -> Option<Candidate> {
    let word = caps.name("w")?;
    let lower = word.as_str().to_ascii_lowercase();
    // "USA Today", "the Today programme".
    if previous_word(text, word.start()) == "USA"
        || matches!(
            next_word(text, word.end()),
            "programme" | "program" | "show"
        )
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

fn relative_unit(caps: &Captures, _text: &str) -> Option<Candidate> {
    let modifier = caps.name("mod")?.as_str();
    let unit_word = caps.name("unit")?.as_str();
    let whole = caps.get(0)?;
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

fn bare_season(caps: &Captures, text: &str) -> Option<Candidate> {
    let s = caps.name("s")?;
    let season = Season::from_word(s.as_str())?;
    // "the summer of love", "the spring water", "the winter olympics": only when nothing
    // nominal follows.
    let next = next_word(text, s.end()).to_ascii_lowercase();
    if matches!(
        next.as_str(),
        "of" | "olympics" | "games" | "water" | "session" | "term"
    ) || text[s.end()..].starts_with('-')
    {
        return None;
    }
    let whole = caps.get(0)?;
    Some(Candidate::new(
        whole.start(),
        whole.end(),
        Expr::Season {
            season,
            shift: Shift::Nearest,
        },
    ))
}

fn the_year(caps: &Captures, text: &str) -> Option<Candidate> {
    let y = caps.name("y")?;
    let current = caps
        .name("adj")
        .is_some_and(|a| a.as_str().eq_ignore_ascii_case("current "));
    if caps.name("prep").is_none() && !current {
        return None;
    }
    // "the year ended June 30" is a fiscal period, "the year before" relative, "the year
    // of the dragon" not a date, "the year-ago quarter" another pattern's.
    let next = next_word(text, y.end()).to_ascii_lowercase();
    if text[y.end()..].starts_with('-')
        || matches!(
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

fn thanksgiving(caps: &Captures, _text: &str) -> Option<Candidate> {
    let whole = caps.get(0)?;
    let shift = caps
        .name("mod")
        .map_or(Shift::Nearest, |m| shift_of(m.as_str()));
    Some(Candidate::new(
        whole.start(),
        whole.end(),
        Expr::Thanksgiving { shift },
    ))
}

fn holiday(caps: &Captures, _text: &str) -> Option<Candidate> {
    let h = caps.name("h")?;
    let name = h.as_str();
    let (month, day) = match name.split_whitespace().next()? {
        "Christmas" if name.ends_with("Eve") => (12, 24),
        "Christmas" => {
            // A bare "Christmas" is a season or a theme ("Christmas shopping") unless a
            // preposition makes it a point in time.
            if name == "Christmas" && caps.name("prep").is_none() {
                return None;
            }
            (12, 25)
        }
        "Boxing" => (12, 26),
        "New" if name.ends_with("Eve") => (12, 31),
        "New" => (1, 1),
        "Valentine's" => (2, 14),
        "Halloween" => (10, 31),
        "May" => (5, 1),
        _ => (11, 5),
    };
    Some(Candidate::new(
        h.start(),
        h.end(),
        Expr::MonthDay { month, day },
    ))
}
