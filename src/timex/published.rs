//! Publication dates from article metadata: ISO 8601, RFC 2822, wire-service stamps,
//! written-out dates and Unix epochs.
//!
//! Takes the raw string a reader found (`published_raw`) and gives a UTC instant, or `None`
//! when the string is not a date we can trust: impossible days (2025-02-30), years outside
//! 1800..=2100, ambiguous numeric orders (03/04/2025). A wrong date is worse than none.
//!
//! Real dumps append debris to date fields (`27-MAR-1987 00:02:59.13&#5;&#5;&#5;RM`). A
//! control character, a numeric character reference or markup never belongs to a date
//! notation, so the field is cut at the first one and what comes before is parsed as
//! strictly as a clean field: a date part that is incomplete (`27-MAR-1987 00:&#5;`) or
//! ambiguous still gives none, and so does a field where a time or zone follows the
//! debris.

use std::sync::LazyLock;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use regex::{Captures, Regex};

use super::context::ascii_regex;
use super::lexicon::month_number;

/// Years a publication date may have.
const YEARS: std::ops::RangeInclusive<i32> = 1800..=2100;

/// Parses a publication date as news metadata writes it.
///
/// Accepts ISO 8601 with or without time and zone (`2025-10-15`, `2025-10-15T08:30:00Z`,
/// `2025-10-15T08:30:00+03:00`, `2025-10-15 08:30:00`), RFC 2822 (`Thu, 26 Feb 1987
/// 15:01:01 GMT`), wire stamps (`26-FEB-1987 15:01:01.79`), written dates (`October 15,
/// 2025`, `Oct. 15, 2025`, `15 Oct 2025`, optionally followed by a time and zone), compact
/// `20251015`, and Unix epoch seconds or milliseconds. A missing time means midnight, a
/// missing zone UTC. Debris after the date, from a control character, `&` or `<` on, is
/// ignored ([`without_debris`]).
pub fn parse_published(raw: &str) -> Option<DateTime<Utc>> {
    parse_published_with_day(raw).map(|(at, _)| at)
}

/// [`parse_published`] and the day as written ([`published_day`]) from one parse.
pub fn parse_published_with_day(raw: &str) -> Option<(DateTime<Utc>, NaiveDate)> {
    let (local, offset) = parse_local(raw)?;
    let at = match offset {
        Some(off) => off
            .from_local_datetime(&local)
            .single()?
            .with_timezone(&Utc),
        None => Utc.from_utc_datetime(&local),
    };
    YEARS
        .contains(&chrono::Datelike::year(&at))
        .then_some((at, local.date()))
}

/// The calendar day of publication as written, before any conversion to UTC.
///
/// `2025-10-15T01:00:00+03:00` is 2025-10-15 here but 2025-10-14 in UTC: the written day
/// is the better anchor for "yesterday" and "on Monday" in the article.
pub fn published_day(raw: &str) -> Option<NaiveDate> {
    let (local, _) = parse_local(raw)?;
    let day = local.date();
    YEARS.contains(&chrono::Datelike::year(&day)).then_some(day)
}

/// Local date-time and, when the string gives one, its UTC offset.
fn parse_local(raw: &str) -> Option<(NaiveDateTime, Option<FixedOffset>)> {
    let s = without_debris(raw)?.trim();
    if s.is_empty() {
        return None;
    }
    if s.bytes().all(|b| b.is_ascii_digit()) {
        return digits_only(s).map(|dt| (dt, FixedOffset::east_opt(0)));
    }
    if let Ok(dt) = DateTime::parse_from_rfc3339(s) {
        return Some((dt.naive_local(), Some(*dt.offset())));
    }
    if let Ok(dt) = DateTime::parse_from_rfc2822(s) {
        return Some((dt.naive_local(), Some(*dt.offset())));
    }
    let (date, rest) = leading_date(s)?;
    let (time, offset) = trailing_time(rest)?;
    Some((date.and_time(time), offset))
}

/// `raw` up to the debris after it, if any: a control character other than whitespace
/// (`\u{5}`), a numeric character reference (`&#5;`) or markup (`<`). Wire dumps append
/// such debris to date fields; what precedes it is the date as written, and is parsed as
/// strictly as a clean field. `None` when what follows the debris could be more of the
/// date (a time or zone after it: `1987-03-27\u{5} 00:02:59`, `<b>10:00</b>`), since
/// reading the part before it alone would guess. Other text (`&lt;EST&gt;`) is not
/// debris: it stays, and spoils the field.
fn without_debris(raw: &str) -> Option<&str> {
    let cut = raw.char_indices().find_map(|(i, c)| {
        let debris = (c.is_control() && !c.is_whitespace())
            || c == '<'
            || (c == '&' && after_reference(&raw[i..]).is_some());
        debris.then_some(i)
    });
    let Some(cut) = cut else {
        return Some(raw);
    };
    let mut rest = &raw[cut..];
    if rest.starts_with('<') {
        // Markup: whatever it holds must not be a time.
        return (!rest.contains(|c: char| c.is_ascii_digit())).then_some(&raw[..cut]);
    }
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_control() || c.is_whitespace());
        match after_reference(rest) {
            Some(after) => rest = after,
            None => break,
        }
    }
    let continues =
        rest.starts_with(|c: char| c.is_ascii_digit() || matches!(c, ':' | '+' | '-' | '.'));
    (!continues).then_some(&raw[..cut])
}

/// What follows a numeric character reference (`&#5;`, `&#x1F;`) at the start of `s`.
fn after_reference(s: &str) -> Option<&str> {
    let body = s.strip_prefix("&#")?;
    let (hex, body) = match body.strip_prefix(['x', 'X']) {
        Some(rest) => (true, rest),
        None => (false, body),
    };
    let digits = body
        .find(|c: char| {
            !(if hex {
                c.is_ascii_hexdigit()
            } else {
                c.is_ascii_digit()
            })
        })
        .unwrap_or(body.len());
    (digits > 0).then_some(())?;
    body[digits..].strip_prefix(';')
}

/// `20251015`, epoch seconds (9-10 digits) or milliseconds (12-13 digits).
fn digits_only(s: &str) -> Option<NaiveDateTime> {
    match s.len() {
        8 => {
            let d = NaiveDate::parse_from_str(s, "%Y%m%d").ok()?;
            Some(d.and_time(NaiveTime::MIN))
        }
        9 | 10 => DateTime::from_timestamp(s.parse().ok()?, 0).map(|d| d.naive_utc()),
        12 | 13 => DateTime::from_timestamp_millis(s.parse().ok()?).map(|d| d.naive_utc()),
        _ => None,
    }
}

const WEEKDAY_PREFIX: &str = r"^(?:(?i:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?i:day|nesday|sday|rsday|urday)?\.?,?\s+)?";

static DATE_FORMS: LazyLock<[Regex; 4]> = LazyLock::new(|| {
    let w = WEEKDAY_PREFIX;
    [
        // 2025-10-15, 2025/10/15, 2025.10.15
        ascii_regex(&format!(
            r"{w}(?P<y>\d{{4}})(?P<s1>[-/.])(?P<mo>\d{{1,2}})(?P<s2>[-/.])(?P<d>\d{{1,2}})"
        )),
        // 26-FEB-1987, 15 Oct 2025, 15 October, 2025
        ascii_regex(&format!(
            r"{w}(?P<d>\d{{1,2}})(?:st|nd|rd|th)?[-\s/.]+(?P<m>[A-Za-z]{{3,9}})\.?[-\s/.,]+(?P<y>\d{{4}})"
        )),
        // October 15, 2025; Oct. 15 2025
        ascii_regex(&format!(
            r"{w}(?P<m>[A-Za-z]{{3,9}})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}})"
        )),
        // 10/15/2025 or 15/10/2025, only when the order is unambiguous
        ascii_regex(&format!(
            r"{w}(?P<a>\d{{1,2}})[/.](?P<b>\d{{1,2}})[/.](?P<y>\d{{4}})"
        )),
    ]
});

fn num(caps: &Captures, name: &str) -> Option<u32> {
    caps.name(name)?.as_str().parse().ok()
}

/// The date at the start of `s` and what follows it.
fn leading_date(s: &str) -> Option<(NaiveDate, &str)> {
    for (i, re) in DATE_FORMS.iter().enumerate() {
        let Some(caps) = re.captures(s) else { continue };
        let y = i32::try_from(num(&caps, "y")?).ok()?;
        let (m, d) = match i {
            0 => {
                if caps.name("s1")?.as_str() != caps.name("s2")?.as_str() {
                    return None;
                }
                (num(&caps, "mo")?, num(&caps, "d")?)
            }
            3 => {
                let (a, b) = (num(&caps, "a")?, num(&caps, "b")?);
                match (a <= 12, b <= 12) {
                    (true, false) => (a, b),
                    (false, true) => (b, a),
                    (true, true) if a == b => (a, b),
                    _ => return None,
                }
            }
            _ => {
                let word = caps.name("m")?.as_str();
                let m = month_number(word)?;
                // "Octopus 15, 2025" is not a month: the word must be a month name or its
                // abbreviation.
                if !is_month_word(word) {
                    return None;
                }
                (m, num(&caps, "d")?)
            }
        };
        let date = NaiveDate::from_ymd_opt(y, m, d)?;
        return Some((date, &s[caps.get(0)?.end()..]));
    }
    None
}

fn is_month_word(word: &str) -> bool {
    const FULL: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let w = word.to_ascii_lowercase();
    FULL.iter()
        .any(|f| *f == w || (w.len() >= 3 && f.starts_with(&w) && w.len() <= 4))
}

static TIME: LazyLock<Regex> = LazyLock::new(|| {
    ascii_regex(
        r"^(?:\s*[,T]\s*|\s+(?i:at\s+)?)(?P<h>\d{1,2})[:.](?P<mi>\d{2})(?::(?P<s>\d{2})(?:[.,]\d+)?)?\s*(?P<ap>(?i:am|pm|a\.m\.|p\.m\.))?",
    )
});

static ZONE: LazyLock<Regex> = LazyLock::new(|| {
    ascii_regex(
        r"^\s*(?:(?P<z>Z)|(?P<sign>[+-])(?P<oh>\d{2}):?(?P<om>\d{2})|\(?(?P<name>[A-Za-z]{1,5})\)?)\s*$",
    )
});

/// Parses an optional time and zone after the date; `None` if something else follows.
fn trailing_time(rest: &str) -> Option<(NaiveTime, Option<FixedOffset>)> {
    if rest.trim().is_empty() {
        return Some((NaiveTime::MIN, None));
    }
    let caps = TIME.captures(rest)?;
    let mut h = num(&caps, "h")?;
    let mi = num(&caps, "mi")?;
    let sec = caps
        .name("s")
        .and_then(|s| s.as_str().parse().ok())
        .unwrap_or(0);
    if let Some(ap) = caps.name("ap") {
        let pm = ap.as_str().to_ascii_lowercase().starts_with('p');
        if h == 0 || h > 12 {
            return None;
        }
        h = match (pm, h) {
            (false, 12) => 0,
            (true, 12) => 12,
            (true, h) => h + 12,
            (false, h) => h,
        };
    }
    let time = NaiveTime::from_hms_opt(h, mi, sec)?;
    let zone_text = &rest[caps.get(0)?.end()..];
    if zone_text.trim().is_empty() {
        return Some((time, None));
    }
    let z = ZONE.captures(zone_text)?;
    let offset = if z.name("z").is_some() {
        FixedOffset::east_opt(0)
    } else if let Some(sign) = z.name("sign") {
        let secs = (num(&z, "oh")? * 3600 + num(&z, "om")? * 60) as i32;
        FixedOffset::east_opt(if sign.as_str() == "-" { -secs } else { secs })
    } else {
        zone_offset(z.name("name")?.as_str())
    };
    // An unknown zone name leaves the local time as written rather than guessing.
    Some((time, offset))
}

/// UTC offsets of the zone abbreviations news metadata uses.
fn zone_offset(name: &str) -> Option<FixedOffset> {
    let hours = match name.to_ascii_uppercase().as_str() {
        "UTC" | "GMT" | "UT" | "Z" => 0,
        "BST" | "CET" => 1,
        "CEST" | "EET" => 2,
        "EEST" | "MSK" => 3,
        "EST" => -5,
        "EDT" | "CST" => {
            if name.eq_ignore_ascii_case("EDT") {
                -4
            } else {
                -6
            }
        }
        "CDT" => -5,
        "MST" => -7,
        "MDT" => -6,
        "PST" => -8,
        "PDT" => -7,
        _ => return None,
    };
    FixedOffset::east_opt(hours * 3600)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iso(raw: &str) -> Option<String> {
        parse_published(raw).map(|d| d.format("%Y-%m-%dT%H:%M:%S").to_string())
    }

    #[test]
    fn iso_8601_forms() {
        assert_eq!(iso("2025-10-15").as_deref(), Some("2025-10-15T00:00:00"));
        assert_eq!(
            iso("2025-10-15T08:30:00Z").as_deref(),
            Some("2025-10-15T08:30:00")
        );
        assert_eq!(
            iso("2025-10-15T08:30:00+03:00").as_deref(),
            Some("2025-10-15T05:30:00")
        );
        assert_eq!(
            iso("2025-10-15 08:30:00").as_deref(),
            Some("2025-10-15T08:30:00")
        );
        assert_eq!(
            iso("2025-10-15T08:30:00.123-0500").as_deref(),
            Some("2025-10-15T13:30:00")
        );
        assert_eq!(iso(" 2025/10/15 ").as_deref(), Some("2025-10-15T00:00:00"));
    }

    #[test]
    fn rfc_2822_and_wire_stamps() {
        assert_eq!(
            iso("Thu, 26 Feb 1987 15:01:01 GMT").as_deref(),
            Some("1987-02-26T15:01:01")
        );
        assert_eq!(
            iso("26-FEB-1987 15:01:01.79").as_deref(),
            Some("1987-02-26T15:01:01")
        );
        assert_eq!(
            iso("Tue, 14 Oct 2025 22:05:00 +0200").as_deref(),
            Some("2025-10-14T20:05:00")
        );
    }

    #[test]
    fn written_out_dates() {
        assert_eq!(
            iso("October 15, 2025").as_deref(),
            Some("2025-10-15T00:00:00")
        );
        assert_eq!(iso("15 Oct 2025").as_deref(), Some("2025-10-15T00:00:00"));
        assert_eq!(iso("Oct. 15, 2025").as_deref(), Some("2025-10-15T00:00:00"));
        assert_eq!(
            iso("Wednesday, October 15, 2025").as_deref(),
            Some("2025-10-15T00:00:00")
        );
        assert_eq!(
            iso("Oct 15, 2025 8:30 PM EDT").as_deref(),
            Some("2025-10-16T00:30:00")
        );
        assert_eq!(iso("20251015").as_deref(), Some("2025-10-15T00:00:00"));
    }

    #[test]
    fn unix_epochs() {
        assert_eq!(iso("1760517000").as_deref(), Some("2025-10-15T08:30:00"));
        assert_eq!(iso("1760517000000").as_deref(), Some("2025-10-15T08:30:00"));
        assert_eq!(iso("12345"), None);
    }

    #[test]
    fn impossible_or_implausible_dates_are_rejected() {
        assert_eq!(iso("2025-02-30"), None);
        assert_eq!(iso("2025-13-01"), None);
        assert_eq!(iso("February 30, 2025"), None);
        assert_eq!(iso("1700-01-01"), None);
        assert_eq!(iso("2150-01-01"), None);
        assert_eq!(iso("03/04/2025"), None, "day/month order is ambiguous");
        assert_eq!(iso("10/15/2025").as_deref(), Some("2025-10-15T00:00:00"));
        assert_eq!(iso("Octopus 15, 2025"), None);
        assert_eq!(iso("2025-10-15 and more text"), None);
        assert_eq!(iso(""), None);
        assert_eq!(iso("yesterday"), None);
    }

    #[test]
    fn debris_after_a_complete_date_is_ignored() {
        // As in the 1987 wire dumps: a numeric character reference, or the control
        // character it stands for once decoded, then a desk code.
        assert_eq!(
            iso("27-MAR-1987 00:02:59.13&#5;&#5;&#5;RM").as_deref(),
            Some("1987-03-27T00:02:59")
        );
        assert_eq!(
            iso(" 5-MAR-1987 09:07:45.40\u{5}\u{5}\u{5}F\u{16}f0762\u{1f}reute").as_deref(),
            Some("1987-03-05T09:07:45")
        );
        assert_eq!(
            iso("1987-03-27T00:02:59Z<br>").as_deref(),
            Some("1987-03-27T00:02:59")
        );
        assert_eq!(
            iso("March 2, 1987&#5;").as_deref(),
            Some("1987-03-02T00:00:00")
        );
        assert_eq!(
            iso("1987-03-02&#5;RM").as_deref(),
            Some("1987-03-02T00:00:00")
        );
        assert_eq!(iso("541641600&#5;").as_deref(), Some("1987-03-02T00:00:00"));
        assert_eq!(
            published_day("27-MAR-1987 23:59:00-05:00&#5;RM").map(|d| d.to_string()),
            Some("1987-03-27".into())
        );
    }

    #[test]
    fn debris_never_completes_an_incomplete_or_ambiguous_date() {
        // The date part before the debris is cut short: no date.
        assert_eq!(iso("27-MAR-1987 00:&#5;&#5;&#5;RM"), None);
        assert_eq!(iso("27-MAR-19&#5;87"), None);
        assert_eq!(iso("MAR-1987&#5;&#5;&#5;RM"), None);
        assert_eq!(iso("1987-03&#5;"), None);
        assert_eq!(iso("1987-03-27 00:02:59 +05&#5;"), None, "a cut zone");
        assert_eq!(iso("&#5;27-MAR-1987 00:02:59.13"), None, "debris first");
        // Ambiguous or impossible before the debris: still none.
        assert_eq!(iso("03/04/1987&#5;&#5;&#5;RM"), None);
        assert_eq!(iso("30-FEB-1987 10:00:00&#5;"), None);
        // A time or zone after the debris, or inside markup: the part before it alone
        // would be a guess.
        assert_eq!(iso("27-MAR-1987\u{5} 00:02:59"), None);
        assert_eq!(iso("1987-03-27&#5;&#5; 00:02:59"), None);
        assert_eq!(iso("2025-10-15<span>10:00</span>"), None);
        assert_eq!(
            iso("2025-10-15<br>").as_deref(),
            Some("2025-10-15T00:00:00"),
            "markup without a time is debris"
        );
        // A named entity is text, not debris: it may hide a zone (`&lt;EST&gt;`).
        assert_eq!(iso("2025-10-15 10:00 &lt;EST&gt;"), None);
        assert_eq!(iso("Thu, 26 Feb 1987 15:01:01 GMT &amp; more"), None);
        // Text that is not debris still spoils a date: it may be part of it.
        assert_eq!(iso("27-MAR-1987 00:02:59.13 and later"), None);
        assert_eq!(iso("1987-03-27 or 1987-03-28"), None);
    }

    #[test]
    fn written_day_survives_time_zones() {
        let day = published_day("2025-10-15T01:00:00+03:00").unwrap();
        assert_eq!(day.to_string(), "2025-10-15");
        assert_eq!(
            parse_published("2025-10-15T01:00:00+03:00")
                .unwrap()
                .date_naive()
                .to_string(),
            "2025-10-14"
        );
    }
}
