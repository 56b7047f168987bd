//! End-to-end tests of the news idioms [`super::extract`] learned from TimeBank/AQUAINT
//! errors: ranges of days, ordinal-word and two-digit dates, tense cues that point back,
//! results-story quarters, and words that look like dates but are titles. Each test would
//! fail without the rule it names.

use chrono::NaiveDate;

use super::extract;

/// (surface, value) pairs found in `text` with publication date `anchor` (YYYY-MM-DD).
fn values(text: &str, anchor: &str) -> Vec<(String, String)> {
    let anchor = NaiveDate::parse_from_str(anchor, "%Y-%m-%d").ok();
    extract(text, anchor)
        .into_iter()
        .map(|m| (m.text, m.value))
        .collect()
}

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    expected
        .iter()
        .map(|(s, v)| (s.to_string(), v.to_string()))
        .collect()
}

#[test]
fn a_bare_day_after_a_date_is_a_second_day() {
    let text = "The summit will be held on April 24 and 25 in Washington.";
    assert_eq!(
        values(text, "1999-02-10"),
        pairs(&[("April 24", "1999-04-24"), ("25", "1999-04-25")])
    );
    // The year after the range's last day covers the whole range.
    let text = "Talks ran March 3-5, 1999, in Rome.";
    assert_eq!(
        values(text, "2005-02-10"),
        pairs(&[
            ("March 3", "1999-03-03"),
            ("5", "1999-03-05"),
            ("1999", "1999")
        ])
    );
    // Quantities and clock times after a date are not days.
    assert_eq!(
        values("On May 5 and 6 people died.", "1999-06-10"),
        pairs(&[("May 5", "1999-05-05")])
    );
    assert_eq!(
        values("Trading closed on June 3 to 4.5% higher.", "1999-06-10"),
        pairs(&[("June 3", "1999-06-03")])
    );
    assert_eq!(
        values(
            "The fair runs on June 3 and 4 a.m. trains are full.",
            "1999-06-10"
        ),
        pairs(&[("June 3", "1999-06-03")])
    );
    assert_eq!(
        values("Voting is on June 3 and 4 a day apart.", "1999-06-10"),
        pairs(&[("June 3", "1999-06-03"), ("4", "1999-06-04")])
    );
}

#[test]
fn days_written_as_ordinal_words() {
    let text = "The vote is set for May first. On March twenty-fifth, 1990, the fifth of \
                November was chosen.";
    assert_eq!(
        values(text, "1990-04-10"),
        pairs(&[
            ("May first", "1990-05-01"),
            ("March twenty-fifth, 1990", "1990-03-25"),
            ("the fifth of November", "1989-11-05"),
        ])
    );
    assert!(
        values(
            "Theresa May first said no to May first-time buyers.",
            "1990-04-10"
        )
        .is_empty()
    );
}

#[test]
fn two_digit_years_take_the_century_of_the_anchor() {
    let text = "Profits rose in '89, as in the summer of '88, and the class of '05 graduated.";
    assert_eq!(
        values(text, "1990-01-10"),
        pairs(&[
            ("'89", "1989"),
            ("summer of '88", "1988-SU"),
            ("'05", "1905")
        ])
    );
    assert_eq!(
        values("He played for Wales in '05.", "2025-01-10"),
        pairs(&[("'05", "2005")])
    );
    // "the '80s" stays a decade.
    assert_eq!(
        values("Music of the '80s.", "2025-01-10"),
        pairs(&[("the '80s", "198")])
    );
}

#[test]
fn titles_in_title_case_are_not_weeks() {
    let text = "Baker said on ABC's \"This Week With David Brinkley\" that he was sure. \
                He spoke on \"This Week,\" he said.";
    assert!(values(text, "1991-02-25").is_empty());
    assert_eq!(
        values("This week, talks stalled.", "1991-02-25"),
        pairs(&[("This week", "1991-W09")])
    );
}

#[test]
fn programme_titles_are_not_days() {
    let text = "Carson, who hosted the Tonight Show, and the Today programme's host spoke.";
    assert!(values(text, "2005-01-24").is_empty());
    assert_eq!(
        values("Today, the Tonight Show airs.", "2005-01-24"),
        pairs(&[("Today", "2005-01-24")])
    );
}

#[test]
fn a_possessive_weekday_is_the_one_just_past() {
    // 2000-01-07 is a Friday; "would" alone would push Wednesday forward.
    let text = "Relatives said they would look for ways around Wednesday's ruling.";
    assert_eq!(
        values(text, "2000-01-07"),
        pairs(&[("Wednesday's", "2000-01-05")])
    );
    // "ahead of" keeps the possessive open to the sentence's own cue.
    let text = "Traders will sell ahead of Friday's vote.";
    assert_eq!(
        values(text, "2000-01-05"),
        pairs(&[("Friday's", "2000-01-07")])
    );
}

#[test]
fn past_perfect_and_past_passive_outweigh_deadlines_and_plans() {
    // 1999-05-07 is a Friday.
    let text = "Until Thursday, they had not called Kopp a suspect.";
    assert_eq!(
        values(text, "1999-05-07"),
        pairs(&[("Thursday", "1999-05-06")])
    );
    let text = "Only two members had filed reports by Wednesday.";
    assert_eq!(
        values(text, "1999-05-07"),
        pairs(&[("Wednesday", "1999-05-05")])
    );
    let text = "A memorial service planned for Saturday was canceled.";
    assert_eq!(
        values(text, "1999-10-24"),
        pairs(&[("Saturday", "1999-10-23")])
    );
    // A future modal still wins over a past perfect later in the sentence.
    let text = "The musical will open in November, said Mr Richards, who had seen it.";
    assert_eq!(
        values(text, "2005-01-15"),
        pairs(&[("November", "2005-11")])
    );
    // And a deadline with no past verb still looks ahead.
    let text = "Members must file reports by Wednesday.";
    assert_eq!(
        values(text, "1999-05-07"),
        pairs(&[("Wednesday", "1999-05-12")])
    );
}

#[test]
fn expects_to_looks_ahead() {
    // 2025-10-15 is a Wednesday.
    let text = "The company expects to report results on Monday.";
    assert_eq!(
        values(text, "2025-10-15"),
        pairs(&[("Monday", "2025-10-20")])
    );
}

#[test]
fn current_is_the_present() {
    let text = "The current chairman defended current market conditions.";
    assert_eq!(
        values(text, "1989-10-30"),
        pairs(&[("current", "PRESENT_REF"), ("current", "PRESENT_REF")])
    );
    let text = "The current account deficit widened; at the then current price, a current \
                of 5 amps.";
    assert!(values(text, "1989-10-30").is_empty());
}

#[test]
fn the_past_year_and_the_year_in_progress() {
    assert_eq!(
        values("Hate groups grew over the past year.", "1998-03-03"),
        pairs(&[("the past year", "1997")])
    );
    let text = "Sales fell in the first nine months of the year and in the current fiscal \
                year that ends in June.";
    let found = values(text, "1989-10-30");
    assert!(
        found.contains(&("the year".into(), "1989".into())),
        "{found:?}"
    );
    assert!(
        found.contains(&("the current fiscal year".into(), "1989".into())),
        "{found:?}"
    );
    assert!(values("She was named player of the year.", "1989-10-30").is_empty());
}

#[test]
fn the_same_day_inside_a_month_keeps_the_month() {
    let text = "Slepian was killed in October 1998. His name was crossed out that same day.";
    let found = values(text, "1999-02-06");
    assert!(
        found.contains(&("that same day".into(), "1998-10-XX".into())),
        "{found:?}"
    );
    // With nothing to refer to, "that day" is some day, not the future.
    assert_eq!(
        values("Losses mounted that day.", ""),
        pairs(&[("that day", "XXXX-XX-XX")])
    );
}

#[test]
fn a_forecast_quarter_does_not_become_the_reported_one() {
    let text = "Third-quarter profit rose. The company expects a fourth-quarter charge. \
                Net fell to $5 million from $6 million a year ago.";
    let found = values(text, "1989-11-02");
    assert!(
        found.contains(&("a year ago".into(), "1988-Q3".into())),
        "{found:?}"
    );
}

#[test]
fn a_month_between_a_determiner_and_a_noun() {
    let text = "It is trying to sell itself under a June agreement. The March accession follows.";
    assert_eq!(
        values(text, "1989-10-27"),
        pairs(&[("June", "1989-06"), ("March", "1989-03")])
    );
    assert!(
        values(
            "The May government and the March on Washington.",
            "1989-10-27"
        )
        .is_empty()
    );
}

#[test]
fn a_year_before_a_quarter_or_half() {
    let text = "Profit in fiscal 1990's first quarter and 1989's second half rose.";
    assert_eq!(
        values(text, "1989-10-26"),
        pairs(&[
            ("fiscal 1990's first quarter", "1990-Q1"),
            ("1989's second half", "1989-H2"),
        ])
    );
}

#[test]
fn a_bare_first_half_in_business_news_only() {
    assert_eq!(
        values("Sales fell 5% in the first half.", "1990-10-10"),
        pairs(&[("the first half", "1990-H1")])
    );
    let text = "Ireland scored twice. \"The second half was about spending time in their half.\"";
    assert!(values(text, "1990-10-10").is_empty());
    assert!(values("Chelsea dominated the first half.", "1990-10-10").is_empty());
}

#[test]
fn a_season_of_a_spelled_year() {
    let text = "Oil fell to the level we saw in the winter of nineteen ninety-four.";
    assert_eq!(
        values(text, "1998-02-23"),
        pairs(&[("the winter of nineteen ninety-four", "1994-WI")])
    );
}

#[test]
fn us_holidays_on_a_weekday_of_a_month() {
    let text = "Violence will be a theme of our campaign from now to Election Day.";
    let found = values(text, "1998-10-26");
    assert!(
        found.contains(&("Election Day".into(), "1998-11-03".into())),
        "{found:?}"
    );
    assert_eq!(
        values("He left on Labor Day.", "2025-10-15"),
        pairs(&[("Labor Day", "2025-09-01")])
    );
    // A longer name that contains one is not the holiday.
    assert!(values("Holocaust Memorial Day was marked.", "2005-01-28").is_empty());
}
