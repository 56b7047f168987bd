//! Looks around a candidate expression: is its sentence about the future, is a bare
//! four-digit number really a year, is "the third quarter" a game's.
//!
//! Takes the text and a candidate's byte span; gives yes/no answers the patterns and the
//! resolver use. Cheap on purpose: a few bytes either side, one small regex.

use std::sync::LazyLock;

use regex::{Regex, RegexBuilder};

pub(crate) fn ascii_regex(pattern: &str) -> Regex {
    // ASCII-only classes and word boundaries keep the regexes on the fast DFA path; a
    // compile failure here is a bug in a constant pattern, caught by every test.
    RegexBuilder::new(pattern)
        .unicode(false)
        .build()
        .unwrap_or_else(|e| panic!("bad timex pattern {pattern}: {e}"))
}

/// Words that put a weekday or month into the future: "will meet on Monday", "due in May".
static FUTURE_CUE: LazyLock<Regex> = LazyLock::new(|| {
    ascii_regex(
        r"(?i)\b(?:will|won't|shall|going\s+to|scheduled|expected\s+to|expects?\s+to|expecting|hopes?\s+to|aims?\s+to|due|set\s+to|plans?\s+to|planned|planning|postponed|until|effective|intends?\s+to|upcoming|is\s+to|are\s+to|would|to\s+be|deadline|as\s+soon\s+as|as\s+early\s+as|as\s+late\s+as|next|begins?|starts?|opens?|leaves?|meets?)\b|'ll\b",
    )
});

/// How far back the verb governing a weekday or month may be: a clause, a few words.
const CUE_WINDOW_WORDS: usize = 9;

/// Byte offset where the sentence containing `pos` starts (bounded look-back).
fn sentence_start(text: &str, pos: usize) -> usize {
    let floor = floor_char_boundary(text, pos.saturating_sub(160));
    let window = &text.as_bytes()[floor..pos];
    let mut i = window.len();
    while i > 0 {
        let b = window[i - 1];
        if b == b'\n'
            || ((b == b'.' || b == b'?' || b == b'!') && i < window.len() && window[i] == b' ')
        {
            return floor + i;
        }
        i -= 1;
    }
    floor
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_char_boundary(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while i < text.len() && !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// Whether the clause around `start..end` speaks of the future: a cue among the few words
/// before the expression, up to a clause boundary ("the leaders will meet on Monday", but
/// not "exiles will appeal, Cuba said Monday"), or "will" right after it ("Monday will
/// see…").
pub(crate) fn looks_ahead(text: &str, start: usize, end: usize) -> bool {
    let from = floor_char_boundary(text, start.saturating_sub(80));
    let before = &text[from..start];
    let clause = &before[clause_start(before)..];
    let words: Vec<&str> = clause.split_whitespace().collect();
    let window = words[words.len().saturating_sub(CUE_WINDOW_WORDS)..].join(" ");
    let after_end = ceil_char_boundary(text, end + 24);
    let after = text[end..after_end].trim_start();
    // "Wednesday's ruling": a possessive names an event being reported, whatever the verb
    // of the sentence does, unless it is still ahead ("ahead of Friday's vote").
    if text[start..end].ends_with("'s") && !window.to_ascii_lowercase().ends_with("ahead of") {
        return false;
    }
    // A deadline: "by February", "by Feb. 1" ("by" before an agent is not a date).
    let deadline = words.last().is_some_and(|w| w.eq_ignore_ascii_case("by"));
    let cued = deadline
        || FUTURE_CUE.is_match(&window)
        || after.starts_with("will ")
        || after.starts_with("is expected");
    // A past perfect or a past passive in the sentence outweighs a deadline or a plan:
    // "had filed reports by Wednesday", "until Thursday, they had not called him", "the
    // service planned for Saturday was cancelled". It does not outweigh a future modal
    // ("will open in November, said Mr Richards, who had…").
    cued && (MODAL_CUE.is_match(&window)
        || after.starts_with("will ")
        || !reports_past(&window) && !reports_past(&text[end..sentence_end(text, end)]))
}

/// The future modals among the [`FUTURE_CUE`]s.
static MODAL_CUE: LazyLock<Regex> = LazyLock::new(|| {
    ascii_regex(r"(?i)\b(?:will|won't|shall|going\s+to|is\s+to|are\s+to)\b|'ll\b")
});

/// A past perfect ("had", "hadn't") or a past passive ("was cancelled", "were held"), but
/// not a passive that looks ahead ("was expected to", "were scheduled to").
static PAST_CUE: LazyLock<Regex> = LazyLock::new(|| {
    ascii_regex(
        r"(?i)\b(?:had|hadn't|(?:was|were)\s+(?:not\s+)?(?:[a-z]+(?:ed|en)|held|made|put))\b(?P<to>\s+to\b)?",
    )
});

fn reports_past(clause: &str) -> bool {
    PAST_CUE
        .captures_iter(clause)
        .any(|c| c.name("to").is_none() || c[0].to_ascii_lowercase().starts_with("had"))
}

/// Byte offset of the end of the sentence containing `pos` (bounded look-ahead).
fn sentence_end(text: &str, pos: usize) -> usize {
    let to = ceil_char_boundary(text, pos + 120);
    let window = &text.as_bytes()[pos..to];
    let stop = window
        .windows(2)
        .position(|w| matches!(w[0], b'.' | b'?' | b'!' | b'\n') && w[1] == b' ')
        .or_else(|| window.iter().position(|b| *b == b'\n'));
    stop.map_or(to, |i| pos + i)
}

/// Where the clause ending at the end of `before` starts: after the last comma, colon,
/// quote, bracket or sentence end. A full stop after a capital or a short word is an
/// abbreviation ("Daniel P. Davison", "Corp."), not a sentence end.
fn clause_start(before: &str) -> usize {
    let bytes = before.as_bytes();
    for i in (0..bytes.len()).rev() {
        match bytes[i] {
            b',' | b';' | b':' | b'!' | b'?' | b'"' | b'(' | b')' | b'\n' | b'`' => return i + 1,
            b'.' => {
                let word = previous_word(before, i);
                if word.len() > 3 && word.bytes().all(|b| b.is_ascii_lowercase()) {
                    return i + 1;
                }
            }
            _ => {}
        }
    }
    0
}

/// The word right after `end` (letters only), and whether it starts lowercase.
pub(crate) fn next_word(text: &str, end: usize) -> &str {
    let rest = text[end..].trim_start_matches([' ', '\t']);
    let len = rest.bytes().take_while(|b| b.is_ascii_alphabetic()).count();
    &rest[..len]
}

/// The word right before `start`.
pub(crate) fn previous_word(text: &str, start: usize) -> &str {
    let head = text[..start].trim_end_matches([' ', '\t']);
    let len = head
        .bytes()
        .rev()
        .take_while(|b| b.is_ascii_alphabetic())
        .count();
    &head[head.len() - len..]
}

/// Words that may follow a year: function words and the nouns news puts after a year
/// ("the 2004 election"). A bare number followed by any other lowercase word is more
/// likely a count ("2000 people", "1500 troops").
const AFTER_YEAR: &[&str] = &[
    "a",
    "after",
    "and",
    "are",
    "as",
    "at",
    "before",
    "budget",
    "but",
    "by",
    "campaign",
    "census",
    "championship",
    "championships",
    "compared",
    "cup",
    "earnings",
    "edition",
    "election",
    "elections",
    "figure",
    "figures",
    "for",
    "from",
    "games",
    "had",
    "has",
    "have",
    "he",
    "in",
    "is",
    "it",
    "law",
    "level",
    "levels",
    "model",
    "nor",
    "of",
    "on",
    "or",
    "olympics",
    "period",
    "presidential",
    "race",
    "results",
    "revenue",
    "sales",
    "season",
    "she",
    "since",
    "so",
    "summit",
    "than",
    "that",
    "the",
    "they",
    "through",
    "to",
    "tournament",
    "until",
    "version",
    "vote",
    "was",
    "we",
    "were",
    "when",
    "where",
    "which",
    "while",
    "will",
    "with",
    "world",
    "would",
    "budget",
    "general",
    "financial",
    "fiscal",
    "film",
    "movie",
    "album",
    "annual",
    "first",
    "second",
    "third",
    "fourth",
    "final",
    "there",
    "alone",
    "onwards",
    "onward",
];

/// Words before a number that make it a quantity: "about 2000", "a total of 1500".
const QUANTITY_BEFORE: &[&str] = &[
    "about",
    "around",
    "some",
    "nearly",
    "almost",
    "than",
    "total",
    "over",
    "under",
    "least",
    "approximately",
    "roughly",
    "another",
    "only",
    "all",
    "no",
    "number",
    "room",
    "flight",
    "route",
    "page",
    "code",
    "just",
    "exactly",
    "estimated",
    "additional",
    "extra",
];

/// Words before a number that make a following noun phrase likely ("the 1998 bombing",
/// "its 1988 recapitalisation", "a 1996 law").
const DETERMINERS: &[&str] = &[
    "the", "a", "an", "its", "his", "her", "their", "our", "this", "that", "these", "those",
    "whose", "post", "pre", "mid",
];

/// Nouns that after a number make it a count, even behind a determiner ("the 2000 people").
const COUNT_NOUNS: &[&str] = &[
    "people",
    "persons",
    "employees",
    "workers",
    "staff",
    "troops",
    "soldiers",
    "police",
    "officers",
    "jobs",
    "members",
    "students",
    "pupils",
    "units",
    "shares",
    "cars",
    "homes",
    "houses",
    "children",
    "men",
    "women",
    "miles",
    "kilometres",
    "kilometers",
    "km",
    "metres",
    "meters",
    "feet",
    "ft",
    "tons",
    "tonnes",
    "pounds",
    "dollars",
    "euros",
    "barrels",
    "acres",
    "points",
    "votes",
    "seats",
    "cases",
    "deaths",
    "copies",
    "words",
    "pages",
    "calories",
    "rooms",
    "beds",
    "patients",
    "passengers",
    "refugees",
    "vehicles",
    "flights",
    "stores",
    "shops",
    "branches",
    "islands",
    "languages",
    "sq",
    "square",
    "cc",
    "mph",
    "kg",
    "lb",
    "lbs",
];

/// Whether a bare four-digit number at `start..end` reads as a year: not money, not a
/// measure, not part of a longer number or range, and in a position where news writes
/// years. `licensed` is true when a temporal preposition or modifier precedes it.
pub(crate) fn number_is_year(text: &str, start: usize, end: usize, licensed: bool) -> bool {
    let bytes = text.as_bytes();
    let hyphen = start > 0 && bytes[start - 1] == b'-';
    let prev = previous_word(text, start - usize::from(hyphen)).to_ascii_lowercase();
    if start > 0 {
        match bytes[start - 1] {
            b'$' | b'#' | b'.' | b',' | b':' | b'/' => return false,
            // "post-1959" and "mid-1990" are years; "1990-1995" and "A-1998" are not.
            b'-' if !matches!(prev.as_str(), "post" | "pre" | "mid") => return false,
            _ => {}
        }
    }
    // Currency symbols outside ASCII: "£2000", "€2000".
    if matches!(text[..start].chars().next_back(), Some('£' | '€' | '¥')) {
        return false;
    }
    match bytes.get(end) {
        Some(b'%' | b'/') => return false,
        Some(b'.' | b',' | b':' | b'-') if bytes.get(end + 1).is_some_and(u8::is_ascii_digit) => {
            return false;
        }
        _ => {}
    }
    if licensed {
        return true;
    }
    if QUANTITY_BEFORE.contains(&prev.as_str()) {
        return false;
    }
    let word = next_word(text, end);
    if word.is_empty() || word.as_bytes()[0].is_ascii_uppercase() {
        return true;
    }
    let lower = word.to_ascii_lowercase();
    if COUNT_NOUNS.contains(&lower.as_str())
        || matches!(
            lower.as_str(),
            "hours" | "am" | "pm" | "gmt" | "bst" | "est" | "edt" | "hrs"
        )
    {
        return false;
    }
    let possessive = text[..start].trim_end().ends_with("'s");
    possessive || DETERMINERS.contains(&prev.as_str()) || AFTER_YEAR.contains(&lower.as_str())
}

/// Whether `word` (the word after a number) makes the number a quantity or a clock time
/// rather than a day: "6 people", "6 percent", "6 million", "6 pm".
pub(crate) fn is_unit_word(word: &str) -> bool {
    let lower = word.to_ascii_lowercase();
    COUNT_NOUNS.contains(&lower.as_str())
        || matches!(
            lower.as_str(),
            "percent"
                | "per"
                | "pct"
                | "million"
                | "billion"
                | "thousand"
                | "hundred"
                | "years"
                | "months"
                | "weeks"
                | "days"
                | "hours"
                | "minutes"
                | "seconds"
                | "cents"
                | "am"
                | "pm"
                | "of"
        )
}

static SPORTS_CUE: LazyLock<Regex> = LazyLock::new(|| {
    ascii_regex(
        r"(?i)\b(?:scored|scores?|points?|touchdowns?|goals?|quarterback|basket|rebounds?|innings|half-time|halftime|led|lead|trailed|minutes?|game|match|period|overtime|tackle|touchdown|field\s+goal)\b",
    )
});

static BUSINESS_CUE: LazyLock<Regex> = LazyLock::new(|| {
    ascii_regex(
        r"(?i)\b(?:profits?|sales|revenues?|earnings|income|losses|growth|economy|economic|output|inflation|prices|shares|dividends?|fiscal|percent|billion|million|results|turnover|exports|imports|gdp|unemployment|borrowing|orders)\b|%|\$",
    )
});

/// Whether the sentence around `start..end` is about money or the economy, where "the
/// first half" is a half-year.
pub(crate) fn business_context(text: &str, start: usize, end: usize) -> bool {
    let from = sentence_start(text, start);
    let to = sentence_end(text, end);
    BUSINESS_CUE.is_match(&text[from..start]) || BUSINESS_CUE.is_match(&text[end..to])
}

/// Whether a game is being reported anywhere near `start..end` (a few sentences either
/// side): the stricter test for a bare "the second half", which match reports use without
/// a cue in the same sentence ("The second half was about spending time in their half").
pub(crate) fn sports_nearby(text: &str, start: usize, end: usize) -> bool {
    let from = floor_char_boundary(text, start.saturating_sub(300));
    let to = ceil_char_boundary(text, end + 300);
    SPORTS_CUE.is_match(&text[from..to])
}

/// Whether "the first quarter/half" at `start..end` is more likely a part of a game.
pub(crate) fn sports_context(text: &str, start: usize, end: usize) -> bool {
    let from = sentence_start(text, start);
    let to = ceil_char_boundary(text, end + 80);
    let tail = &text[end..to];
    let tail = tail.split(['.', '\n']).next().unwrap_or("");
    SPORTS_CUE.is_match(&text[from..start]) || SPORTS_CUE.is_match(tail)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(text: &str, needle: &str) -> (usize, usize) {
        let s = text.find(needle).unwrap();
        (s, s + needle.len())
    }

    #[test]
    fn future_cues() {
        let t = "The summit will take place on Monday.";
        let (s, e) = span(t, "Monday");
        assert!(looks_ahead(t, s, e));
        let t = "Shares in the firm rose on Monday. They will fall.";
        let (s, e) = span(t, "Monday");
        assert!(!looks_ahead(t, s, e));
        let t = "Exiles will fight the ruling, Cuba predicted Wednesday.";
        let (s, e) = span(t, "Wednesday");
        assert!(!looks_ahead(t, s, e));
        let t = "The group could arrive as soon as Tuesday.";
        let (s, e) = span(t, "Tuesday");
        assert!(looks_ahead(t, s, e));
    }

    #[test]
    fn years_versus_counts() {
        let t = "In 2004 the firm hired 2000 people and paid $1999, up from 1998.";
        let (s, e) = span(t, "2004");
        assert!(number_is_year(t, s, e, true));
        let (s, e) = span(t, "2000");
        assert!(!number_is_year(t, s, e, false));
        let (s, e) = span(t, "1999");
        assert!(!number_is_year(t, s, e, false));
        let (s, e) = span(t, "1998");
        assert!(number_is_year(t, s, e, true));
        let t = "the 1998 bombing, the 2000 people, about 1990 jobs, a total of 1995.";
        let (s, e) = span(t, "1998");
        assert!(number_is_year(t, s, e, false));
        let (s, e) = span(t, "2000");
        assert!(!number_is_year(t, s, e, false));
        let (s, e) = span(t, "1990");
        assert!(!number_is_year(t, s, e, false));
    }

    #[test]
    fn game_quarters() {
        let t = "He scored 12 points in the third quarter.";
        let (s, e) = span(t, "the third quarter");
        assert!(sports_context(t, s, e));
        let t = "Profit rose in the third quarter.";
        let (s, e) = span(t, "the third quarter");
        assert!(!sports_context(t, s, e));
    }
}
