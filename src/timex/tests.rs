//! End-to-end tests of [`super::extract`]: what a reader of the article would check.

use chrono::NaiveDate;

use super::{extract, extract_article};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// (surface, value) pairs found in `text` with the seed article's publication date.
fn values(text: &str, anchor: Option<NaiveDate>) -> Vec<(String, String)> {
    extract(text, anchor)
        .into_iter()
        .map(|m| (m.text, m.value))
        .collect()
}

fn value_of(text: &str, surface: &str, anchor: Option<NaiveDate>) -> Option<String> {
    values(text, anchor)
        .into_iter()
        .find(|(s, _)| s == surface)
        .map(|(_, v)| v)
}

const ANCHOR: Option<NaiveDate> = NaiveDate::from_ymd_opt(2025, 10, 15);

#[test]
fn seed_article_expressions() {
    // Sentences from the seed article (published 2025-10-15).
    let text = "On October 15, 2025, a remarkable scene unfolded in Moscow. The meeting marked \
                the first official talks since al-Sharaa assumed power ten months ago. Earlier \
                this month, Syria held its first parliamentary elections. The Kremlin had \
                planned to host a Russia-Arab summit this week. Russian delegations visited \
                Damascus in January and September 2025, while Syria\u{2019}s Foreign Minister \
                made a trip to Moscow in July.";
    let found = values(text, ANCHOR);
    let expect = [
        ("October 15, 2025", "2025-10-15"),
        ("ten months ago", "2024-12"),
        ("Earlier this month", "2025-10"),
        ("this week", "2025-W42"),
        ("January", "2025-01"),
        ("September 2025", "2025-09"),
        ("July", "2025-07"),
    ];
    for (surface, value) in expect {
        assert!(
            found.iter().any(|(s, v)| s == surface && v == value),
            "{surface} -> {value} not in {found:?}"
        );
    }
    let week = extract(text, ANCHOR)
        .into_iter()
        .find(|m| m.text == "this week")
        .unwrap();
    let range = week.range.unwrap();
    assert_eq!(
        (range.start, range.end),
        (day(2025, 10, 13), day(2025, 10, 19))
    );
}

#[test]
fn offsets_are_bytes_into_the_text() {
    let text = "Syria\u{2019}s minister \u{2014} who came in July \u{2014} left.";
    for m in extract(text, ANCHOR) {
        assert_eq!(&text[m.start..m.end], m.text);
    }
    assert_eq!(value_of(text, "July", ANCHOR).as_deref(), Some("2025-07"));
}

#[test]
fn relative_expressions_resolve_against_the_anchor() {
    let anchor = ANCHOR; // Wednesday 2025-10-15
    let cases = [
        ("Prices fell yesterday.", "yesterday", "2025-10-14"),
        ("The vote is today.", "today", "2025-10-15"),
        ("Shares rose on Monday.", "Monday", "2025-10-13"),
        ("Leaders will meet on Friday.", "Friday", "2025-10-17"),
        ("Talks stalled last week.", "last week", "2025-W41"),
        ("Sales fell last month.", "last month", "2025-09"),
        ("It happened two years ago.", "two years ago", "2023"),
        ("Growth will pick up next year.", "next year", "2026"),
        ("Inflation peaked in the 1990s.", "the 1990s", "199"),
        ("A deal is expected by mid-2025.", "mid-2025", "2025"),
        (
            "Profit rose in the third quarter.",
            "the third quarter",
            "2025-Q3",
        ),
        ("Results for fiscal 2024 were weak.", "fiscal 2024", "2024"),
        ("He left in March 2024.", "March 2024", "2024-03"),
        ("Sales in Q3 beat forecasts.", "Q3", "2025-Q3"),
        ("Sales in Q4 2024 beat forecasts.", "Q4 2024", "2024-Q4"),
        ("It opened on Oct. 1.", "Oct. 1", "2025-10-01"),
        (
            "The law dates from the 19th century.",
            "the 19th century",
            "18",
        ),
        ("Elections are due in December.", "December", "2025-12"),
    ];
    for (text, surface, value) in cases {
        assert_eq!(
            value_of(text, surface, anchor).as_deref(),
            Some(value),
            "{text}"
        );
    }
}

#[test]
fn a_year_earlier_follows_the_quarter_under_discussion() {
    let text = "Net income in the third quarter rose to $5 million from $4 million a year earlier.";
    assert_eq!(
        value_of(text, "a year earlier", ANCHOR).as_deref(),
        Some("2024-Q3")
    );
    let text = "He was arrested in 2010. A year earlier, he had moved to Paris.";
    assert_eq!(
        value_of(text, "A year earlier", ANCHOR).as_deref(),
        Some("2009")
    );
}

#[test]
fn without_anchor_values_stay_partial() {
    let text = "He arrived in July, left on Monday and returned yesterday, ten months ago.";
    let found = extract(text, None);
    let by_text = |s: &str| found.iter().find(|m| m.text == s).unwrap();
    assert_eq!(by_text("July").value, "XXXX-07");
    assert_eq!(by_text("Monday").value, "XXXX-WXX-1");
    assert_eq!(by_text("yesterday").value, "XXXX-XX-XX");
    assert_eq!(by_text("ten months ago").value, "PAST_REF");
    assert!(found.iter().all(|m| m.range.is_none()));
    // Explicit dates need no anchor.
    let found = extract("It began on 3 May 2021.", None);
    assert_eq!(found[0].value, "2021-05-03");
    assert!(found[0].range.is_some());
}

#[test]
fn words_that_only_look_like_dates() {
    let texts = [
        "May I ask a question?",
        "Theresa May said the deal was done.",
        "Protesters will march on parliament.",
        "March on, said the general.",
        "The Sun newspaper and the Sunday Times ran the story.",
        "The firm hired 2000 people and paid $1999 for 1500 tonnes.",
        "She won a quarter of the vote in the quarter-final.",
        "He scored twice in the first half and again in the third quarter.",
        "The Second World War ended.",
        "The now-defunct airline sued.",
        "Good Friday services were held.",
        "Call 555-2025 or see page 2010.",
        "Its April Fools prank and June Carter's songs.",
        "He drove an Audi Q3 to work.",
    ];
    for text in texts {
        assert_eq!(
            values(text, ANCHOR),
            Vec::<(String, String)>::new(),
            "{text}"
        );
    }
}

#[test]
fn impossible_dates_are_not_extracted() {
    assert!(
        extract("It was due on February 30, 2025.", ANCHOR)
            .iter()
            .all(|m| m.value != "2025-02-30")
    );
    assert!(extract("See 2025-13-45 for details.", ANCHOR).is_empty());
}

#[test]
fn no_date_words_no_work() {
    assert!(extract("The minister said the talks were constructive.", ANCHOR).is_empty());
    assert!(extract("", ANCHOR).is_empty());
}

#[test]
fn anaphora_and_results_idioms() {
    let text = "Munero fled in June 1998 and returned later that year.";
    assert_eq!(
        value_of(text, "later that year", ANCHOR).as_deref(),
        Some("1998")
    );
    let text = "He was made a general on May 22, 1995, and the following year became attache.";
    assert_eq!(
        value_of(text, "the following year", ANCHOR).as_deref(),
        Some("1996")
    );
    let text = "Sales rose in the third quarter. In the 2024 period, the company lost money.";
    assert_eq!(
        value_of(text, "the 2024 period", ANCHOR).as_deref(),
        Some("2024-Q3")
    );
    let text = "Profit in the year-ago quarter was $3 million.";
    assert_eq!(
        value_of(text, "the year-ago quarter", ANCHOR).as_deref(),
        Some("2024-Q3")
    );
    let text = "The deal should close by year-end.";
    assert_eq!(
        value_of(text, "year-end", ANCHOR).as_deref(),
        Some("2025-12-31")
    );
    let text = "Revenue for the year rose 5%.";
    assert_eq!(value_of(text, "the year", ANCHOR).as_deref(), Some("2025"));
    assert!(values("He was named player of the year.", ANCHOR).is_empty());
}

#[test]
fn spelled_years_holidays_and_deadlines() {
    let text = "Atlanta, nineteen ninety-six. January nineteen ninety-seven, a second bomb.";
    assert_eq!(
        value_of(text, "nineteen ninety-six", ANCHOR).as_deref(),
        Some("1996")
    );
    assert_eq!(
        value_of(text, "January nineteen ninety-seven", ANCHOR).as_deref(),
        Some("1997-01")
    );
    assert!(values("He paid two thousand dollars.", ANCHOR).is_empty());
    let text = "The boy was found on Thanksgiving Day.";
    let january = NaiveDate::from_ymd_opt(2026, 1, 10);
    assert_eq!(
        value_of(text, "Thanksgiving Day", january).as_deref(),
        Some("2025-11-27")
    );
    let text = "Flights will double by August.";
    assert_eq!(value_of(text, "August", ANCHOR).as_deref(), Some("2026-08"));
    assert!(values("The plan was approved by May and her cabinet.", ANCHOR).is_empty());
    let text = "Now that the talks are over, prices fell.";
    assert_eq!(
        value_of(text, "Now", ANCHOR).as_deref(),
        Some("PRESENT_REF")
    );
}

#[test]
fn references_carry_across_passages_of_an_article() {
    let passages = [
        "Profit rose in the third quarter.",
        "A year earlier it had lost money.",
    ];
    let found = extract_article(passages, ANCHOR);
    assert_eq!(found.len(), 2);
    assert_eq!(found[1][0].value, "2024-Q3");
    // Alone, the second passage falls back to the publication year.
    assert_eq!(extract(passages[1], ANCHOR)[0].value, "2024");
}
