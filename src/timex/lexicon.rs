//! Word lists for time expressions: month and weekday names, number words, ordinals.
//!
//! Takes single words (already cut out by a regex) and gives their numeric meaning, so the
//! patterns in `patterns` stay readable and every spelling lives in one place.

/// The month names a date pattern accepts, full names first so alternations prefer them.
/// Case-sensitive on purpose: "may", "march" and "august" as lowercase words are not months.
pub(crate) const MONTH_ALT: &str = "January|February|March|April|May|June|July|August|September|October|November|December|JANUARY|FEBRUARY|MARCH|APRIL|MAY|JUNE|JULY|AUGUST|SEPTEMBER|OCTOBER|NOVEMBER|DECEMBER|Sept|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Oct|Nov|Dec|SEPT|JAN|FEB|MAR|APR|JUN|JUL|AUG|SEP|OCT|NOV|DEC";

/// Full month names only: what a bare month (no day, no year) must be spelt as.
pub(crate) const MONTH_FULL_ALT: &str =
    "January|February|March|April|May|June|July|August|September|October|November|December";

/// Weekday names, capitalised as in running text.
pub(crate) const WEEKDAY_ALT: &str = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday";

/// Month number (1-12) of a month name or abbreviation, any case.
pub(crate) fn month_number(word: &str) -> Option<u32> {
    let w = word.trim_end_matches('.').to_ascii_lowercase();
    let key = w.get(..3)?;
    let n = match key {
        "jan" => 1,
        "feb" => 2,
        "mar" => 3,
        "apr" => 4,
        "may" => 5,
        "jun" => 6,
        "jul" => 7,
        "aug" => 8,
        "sep" => 9,
        "oct" => 10,
        "nov" => 11,
        "dec" => 12,
        _ => return None,
    };
    Some(n)
}

/// Months whose bare name is also a common English word or given name ("May", "March",
/// "April", "June", "August"), so alone they need a temporal preposition in front.
pub(crate) fn month_is_ambiguous(month: u32) -> bool {
    matches!(month, 3 | 4 | 5 | 6 | 8)
}

/// Days since Monday (0 = Monday) of a weekday name.
pub(crate) fn weekday_number(word: &str) -> Option<u32> {
    let w = word.to_ascii_lowercase();
    let n = match w.get(..3)? {
        "mon" => 0,
        "tue" => 1,
        "wed" => 2,
        "thu" => 3,
        "fri" => 4,
        "sat" => 5,
        "sun" => 6,
        _ => return None,
    };
    Some(n)
}

/// Number words used in "ten months ago", "a year ago", "2 weeks ago".
pub(crate) const COUNT_ALT: &str = "a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|a hundred|a couple of|couple of|a few|few|several|some|many|\\d{1,3}";

/// The value of a count word; `None` for vague counts ("a few", "several").
pub(crate) fn count_value(word: &str) -> Option<i64> {
    let w = word.to_ascii_lowercase();
    if let Ok(n) = w.parse::<i64>() {
        return Some(n);
    }
    let n = match w.as_str() {
        "a" | "an" | "one" => 1,
        "two" => 2,
        "three" => 3,
        "four" => 4,
        "five" => 5,
        "six" => 6,
        "seven" => 7,
        "eight" => 8,
        "nine" => 9,
        "ten" => 10,
        "eleven" => 11,
        "twelve" => 12,
        "thirteen" => 13,
        "fourteen" => 14,
        "fifteen" => 15,
        "sixteen" => 16,
        "seventeen" => 17,
        "eighteen" => 18,
        "nineteen" => 19,
        "twenty" => 20,
        "thirty" => 30,
        "forty" => 40,
        "fifty" => 50,
        "sixty" => 60,
        "seventy" => 70,
        "eighty" => 80,
        "ninety" => 90,
        "hundred" | "a hundred" => 100,
        "a couple of" | "couple of" => 2,
        _ => return None,
    };
    Some(n)
}

/// Ordinal words for quarters and halves ("third", "3rd").
pub(crate) const ORDINAL_ALT: &str = "first|second|third|fourth|1st|2nd|3rd|4th";

/// The value of an ordinal word (1-4).
pub(crate) fn ordinal_value(word: &str) -> Option<u32> {
    let n = match word.to_ascii_lowercase().as_str() {
        "first" | "1st" => 1,
        "second" | "2nd" => 2,
        "third" | "3rd" => 3,
        "fourth" | "4th" => 4,
        _ => return None,
    };
    Some(n)
}

/// Ordinal words for days of the month, longest first so "twenty-first" wins over
/// "twenty…" and "first".
pub(crate) const DAY_ORDINAL_ALT: &str = "thirty[\\s-]first|thirtieth|twenty[\\s-](?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)|twentieth|nineteenth|eighteenth|seventeenth|sixteenth|fifteenth|fourteenth|thirteenth|twelfth|eleventh|tenth|ninth|eighth|seventh|sixth|fifth|fourth|third|second|first";

/// The day number (1-31) of an ordinal word ("fifth", "twenty-first").
pub(crate) fn day_ordinal_value(word: &str) -> Option<u32> {
    const UNITS: [&str; 9] = [
        "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
    ];
    const TEENS: [&str; 10] = [
        "tenth",
        "eleventh",
        "twelfth",
        "thirteenth",
        "fourteenth",
        "fifteenth",
        "sixteenth",
        "seventeenth",
        "eighteenth",
        "nineteenth",
    ];
    let w = word.to_ascii_lowercase().replace(' ', "-");
    let unit = |s: &str| UNITS.iter().position(|u| *u == s).map(|i| i as u32 + 1);
    if let Some(n) = unit(&w) {
        return Some(n);
    }
    if let Some(i) = TEENS.iter().position(|t| *t == w) {
        return Some(i as u32 + 10);
    }
    match w.as_str() {
        "twentieth" => Some(20),
        "thirtieth" => Some(30),
        _ => {
            let (tens, rest) = w.split_once('-')?;
            let base = match tens {
                "twenty" => 20,
                "thirty" => 30,
                _ => return None,
            };
            Some(base + unit(rest)?)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_and_abbreviations() {
        assert_eq!(month_number("Sept."), Some(9));
        assert_eq!(month_number("OCTOBER"), Some(10));
        assert_eq!(month_number("Ma"), None);
        assert_eq!(month_number("Monday"), None);
        assert!(month_is_ambiguous(5));
        assert!(!month_is_ambiguous(7));
    }

    #[test]
    fn weekdays_counts_ordinals() {
        assert_eq!(weekday_number("Sunday"), Some(6));
        assert_eq!(count_value("ten"), Some(10));
        assert_eq!(count_value("12"), Some(12));
        assert_eq!(count_value("several"), None);
        assert_eq!(ordinal_value("3rd"), Some(3));
        assert_eq!(day_ordinal_value("fifth"), Some(5));
        assert_eq!(day_ordinal_value("twenty-first"), Some(21));
        assert_eq!(day_ordinal_value("thirty first"), Some(31));
        assert_eq!(day_ordinal_value("nineteenth"), Some(19));
        assert_eq!(day_ordinal_value("fortieth"), None);
    }
}
