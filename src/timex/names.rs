//! Patterns for calendar names that need the publication date for their year: bare
//! months ("in July", "a June agreement"), weekdays ("last Friday"), seasons ("the summer")
//! and holidays ("Christmas Day", "Thanksgiving", "Election Day").
//!
//! Same shape as `explicit` and `relative`: regex plus check, giving [`Candidate`]s whose
//! [`Expr`] the resolver anchors later. Most of the work is telling the names from other
//! words: "May" the verb or the surname, "March" the verb, "Sunday Times", "Good Friday".

use regex::Captures;

use super::context::{next_word, previous_word};
use super::explicit::year_shift;
use super::holidays::Holiday;
use super::lexicon::{
    MONTH_FULL_ALT, WEEKDAY_ALT, month_is_ambiguous, month_number, weekday_number,
};
use super::patterns::{Candidate, Pattern};
use super::relative::shift_of;
use super::resolve::{Expr, Shift};
use super::value::Season;

pub(crate) fn patterns() -> Vec<Pattern> {
    let (mf, w) = (MONTH_FULL_ALT, WEEKDAY_ALT);
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
        // "the summer", "the early spring".
        Pattern::new(
            r"\b(?i:the)\s+(?:(?i:early|late|mid)[\s-]+)?(?P<s>(?i:summer|winter|spring|autumn))\b",
            bare_season,
        ),
        // US holidays on a weekday of a month: Thanksgiving, Election Day, Labor Day,
        // Memorial Day.
        Pattern::new(
            r"\b(?:(?P<mod>(?i:last|next|this))\s+)?(?P<h>Thanksgiving(?:\s+Day)?|Election\s+Day|Labor\s+Day|Memorial\s+Day)\b",
            floating_holiday,
        ),
        // Fixed-date holidays.
        Pattern::new(
            r"\b(?:(?P<prep>(?i:at|over|before|after|since|until|till|by|for|on|during|around|of|this|last|next))\s+)?(?P<h>Christmas\s+Day|Christmas\s+Eve|Christmas|Boxing\s+Day|New\s+Year's\s+Day|New\s+Year's\s+Eve|Valentine's\s+Day|Halloween|May\s+Day|Guy\s+Fawkes\s+Night|Bonfire\s+Night)\b",
            holiday,
        ),
    ]
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
        if (!strong && !attributive_month(text, mm.start(), mm.end(), month)) || names_follow {
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

/// "a June agreement", "the March accession", "its April report": a month name between a
/// determiner and a common noun modifies the noun as a date. Not "May" (a surname often
/// in the same slot: "the May government"), and not before a function word ("the March
/// on Washington").
fn attributive_month(text: &str, start: usize, end: usize, month: u32) -> bool {
    if month == 5 {
        return false;
    }
    let before = previous_word(text, start).to_ascii_lowercase();
    if !matches!(
        before.as_str(),
        "the" | "a" | "an" | "its" | "their" | "his" | "her" | "our" | "this" | "that"
    ) || !text[end..].starts_with(' ')
    {
        return false;
    }
    let next = next_word(text, end);
    next.len() > 2
        && next.bytes().all(|b| b.is_ascii_lowercase())
        && !matches!(
            next,
            "and"
                | "or"
                | "on"
                | "of"
                | "for"
                | "to"
                | "the"
                | "with"
                | "was"
                | "were"
                | "is"
                | "are"
                | "has"
                | "had"
                | "have"
                | "will"
                | "would"
                | "said"
                | "says"
                | "who"
                | "which"
                | "that"
                | "from"
                | "into"
                | "through"
                | "against"
                | "towards"
                | "toward"
                | "past"
                | "ended"
        )
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

fn floating_holiday(caps: &Captures, text: &str) -> Option<Candidate> {
    let whole = caps.get(0)?;
    let name = caps.name("h")?;
    let holiday = Holiday::from_name(name.as_str())?;
    // "Holocaust Memorial Day", "Election Day Coverage": a capitalised word around the
    // name makes it part of a longer one ("Thanksgiving" alone is never part of one).
    let before = previous_word(text, whole.start());
    let capital_before = before
        .bytes()
        .next()
        .is_some_and(|b| b.is_ascii_uppercase())
        && !matches!(
            before.to_ascii_lowercase().as_str(),
            "on" | "by"
                | "since"
                | "before"
                | "after"
                | "until"
                | "for"
                | "at"
                | "over"
                | "the"
                | "this"
                | "last"
                | "next"
                | "in"
        );
    let capital_after = next_word(text, whole.end())
        .bytes()
        .next()
        .is_some_and(|b| b.is_ascii_uppercase());
    let modified = caps.name("mod").is_some();
    if holiday != Holiday::Thanksgiving && !modified && (capital_before || capital_after) {
        return None;
    }
    let shift = caps
        .name("mod")
        .map_or(Shift::Nearest, |m| shift_of(m.as_str()));
    Some(Candidate::new(
        whole.start(),
        whole.end(),
        Expr::Holiday { holiday, shift },
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
