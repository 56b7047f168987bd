//! Anchoring: turns a parsed expression ([`Expr`]) into a [`Value`] given the publication
//! date.
//!
//! Takes what a pattern understood ("last week", "July", "ten months ago") plus the anchor
//! day and whether the sentence looks forward in time, and gives a TIMEX3 value. Without an
//! anchor, anything relative stays partial (`XXXX-07`, `XXXX-WXX-1`) and gets no range: a
//! date that is wrong is worse than none.

use chrono::{Datelike, Duration, NaiveDate};

use super::holidays::Holiday;
use super::reference::{References, from_reference};
use super::value::{Season, Value, add_months, iso_week, month_span};

/// Which occurrence a modifier asks for: "last May", "this May", "next May", or plain "May".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Shift {
    Nearest,
    Last,
    This,
    Next,
}

/// The calendar unit of a relative expression ("last week", "three months ago").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Unit {
    Day,
    Week,
    Weekend,
    Month,
    Quarter,
    Year,
    Decade,
    Century,
}

/// What a pattern understood, before anchoring.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Expr {
    /// Fully specified in the text ("October 15, 2025", "1990s", "Q3 2025").
    Fixed(Value),
    /// Month and day without a year ("Oct. 15").
    MonthDay {
        month: u32,
        day: u32,
    },
    /// A month without a year ("July", "last May").
    Month {
        month: u32,
        shift: Shift,
    },
    /// A month in a year given relative to the anchor ("June last year": years = -1).
    MonthInYear {
        month: u32,
        years: i64,
    },
    /// A weekday (0 = Monday), e.g. "on Monday", "last Friday night".
    Weekday {
        weekday: u32,
        shift: Shift,
    },
    /// `n` units from the anchor: "yesterday" (Day, -1), "last week" (Week, -1),
    /// "ten months ago" (Month, -10), "this year" (Year, 0).
    Offset {
        unit: Unit,
        n: i64,
    },
    /// Quarter (1-4) or half (1-2) of a year relative to the anchor ("next year's first
    /// quarter": years = Some(1)), or of an unstated year ("the third quarter": None).
    QuarterOfYear {
        quarter: u32,
        years: Option<i64>,
    },
    HalfOfYear {
        half: u32,
        years: Option<i64>,
    },
    /// The last day of the anchor's year, or of the year before ("since year-end").
    YearEnd {
        years: i64,
    },
    /// A holiday whose day changes with the year ("Thanksgiving", "Election Day").
    Holiday {
        holiday: Holiday,
        shift: Shift,
    },
    /// "the weekend": the one just past when written early in the week, else this week's.
    TheWeekend,
    /// A season without a year ("this summer", "last winter").
    Season {
        season: Season,
        shift: Shift,
    },
    /// `n` units from the publication date: "ten months ago" (Month, -10), "two weeks from
    /// now" (Week, 2). "A year ago" next to a quarter means that quarter a year back, as in
    /// "net income of $5 million in the third quarter, up from $4 million a year ago".
    Ago {
        unit: Unit,
        n: i64,
    },
    /// `n` units from the time the text last mentioned: "a year earlier", "two days
    /// later", "the year-ago quarter"; from the publication date if it mentioned none.
    FromReference {
        unit: Unit,
        n: i64,
    },
    /// "the 1988 period": the quarter under discussion, in the year given; the year alone
    /// when no quarter was mentioned.
    ReferenceQuarterOf {
        year: i32,
    },
    /// "year-ago", "the year-earlier quarter", "the comparable period": in results
    /// reporting, the current reporting period a year back: the quarter under discussion,
    /// else (for "quarter") the last complete quarter, else the year, a year back.
    YearAgo {
        quarter: bool,
    },
    /// "the quarter", "the latest quarter": the quarter the text is talking about, else for
    /// "latest" the last complete quarter before publication.
    ReferenceQuarter {
        latest: bool,
    },
    /// A year written with two digits ("in '89"), optionally a season of it ("the summer
    /// of '88"): the century comes from the anchor.
    ShortYear {
        yy: u32,
        season: Option<Season>,
    },
    /// A vague reference or an unresolvable value, kept as is (`PAST_REF`, `XXXX-QX`).
    Vague(&'static str),
}

impl Expr {
    /// Whether the resolved value may serve as the reference time for later expressions:
    /// times derived from another time ("a year earlier") do not move the story's focus.
    pub(crate) fn sets_reference(&self) -> bool {
        !matches!(
            self,
            Expr::Ago { .. }
                | Expr::FromReference { .. }
                | Expr::YearAgo { .. }
                | Expr::ReferenceQuarter { .. }
                | Expr::ReferenceQuarterOf { .. }
                | Expr::Vague(_)
        )
    }

    /// Whether resolving this expression depends on the tense of its sentence.
    pub(crate) fn wants_tense(&self) -> bool {
        matches!(
            self,
            Expr::MonthDay { .. }
                | Expr::Month {
                    shift: Shift::Nearest,
                    ..
                }
                | Expr::Weekday {
                    shift: Shift::Nearest,
                    ..
                }
                | Expr::Holiday {
                    shift: Shift::Nearest,
                    ..
                }
        )
    }
}

/// Resolves `expr` against the anchor day. `future` says the sentence looks ahead ("will
/// meet on Monday"), which moves bare weekdays and months forward instead of back.
pub(crate) fn resolve(
    expr: &Expr,
    anchor: Option<NaiveDate>,
    future: bool,
    refs: &References,
) -> Value {
    if let Some(v) = from_reference(expr, anchor, refs) {
        return v;
    }
    let Some(anchor) = anchor else {
        return partial(expr);
    };
    match *expr {
        Expr::Ago { unit, n } => offset(anchor, unit, n),
        Expr::ReferenceQuarter { latest: true } => offset(anchor, Unit::Quarter, -1),
        Expr::YearAgo { quarter: true } => offset(anchor, Unit::Quarter, -5),
        Expr::YearAgo { quarter: false } => offset(anchor, Unit::Year, -1),
        Expr::FromReference { .. } | Expr::ReferenceQuarter { .. } => partial(expr),
        Expr::ReferenceQuarterOf { year } => Value::Year(year),
        Expr::Fixed(ref v) => v.clone(),
        Expr::MonthDay { month, day } => match month_day(anchor, month, day, future) {
            Some(d) => Value::Day(d),
            None => partial(expr),
        },
        Expr::Month { month, shift } => {
            let (y, m) = month_occurrence(anchor, month, shift, future);
            Value::Month(y, m)
        }
        Expr::Weekday { weekday, shift } => {
            Value::Day(weekday_occurrence(anchor, weekday, shift, future))
        }
        Expr::Offset { unit, n } => offset(anchor, unit, n),
        Expr::MonthInYear { month, years } => Value::Month(anchor.year() + years as i32, month),
        Expr::QuarterOfYear { quarter, years } => {
            let y = match years {
                Some(n) => anchor.year() + n as i32,
                None => year_of_period(anchor, (quarter - 1) * 3 + 1),
            };
            Value::Quarter(y, quarter)
        }
        Expr::HalfOfYear { half, years } => {
            let y = match years {
                Some(n) => anchor.year() + n as i32,
                None => year_of_period(anchor, (half - 1) * 6 + 1),
            };
            Value::Half(y, half)
        }
        Expr::Season { season, shift } => Value::Season(season_year(anchor, season, shift), season),
        Expr::YearEnd { years } => {
            let y = anchor.year() + years as i32;
            NaiveDate::from_ymd_opt(y, 12, 31).map_or_else(|| partial(expr), Value::Day)
        }
        Expr::Holiday { holiday, shift } => {
            let days: Vec<NaiveDate> = (anchor.year() - 1..=anchor.year() + 1)
                .filter_map(|y| holiday.day_in(y))
                .collect();
            let day = match shift {
                Shift::Last => days.iter().rev().find(|d| **d < anchor).copied(),
                Shift::Next => days.iter().find(|d| **d > anchor).copied(),
                Shift::This => holiday.day_in(anchor.year()),
                Shift::Nearest => nearest_day(anchor, days, future),
            };
            day.map_or_else(|| partial(expr), Value::Day)
        }
        Expr::TheWeekend => {
            let early_in_week = anchor.weekday().num_days_from_monday() < 2;
            offset(anchor, Unit::Weekend, if early_in_week { -1 } else { 0 })
        }
        Expr::ShortYear { yy, season } => {
            let y = full_year(anchor, yy);
            match season {
                Some(season) => Value::Season(y, season),
                None => Value::Year(y),
            }
        }
        Expr::Vague(s) => Value::Partial(s.to_string()),
    }
}

/// The year a two-digit year means: the latest one ending in those digits that is no more
/// than ten years after the anchor ("'89" in 2025 is 1989, "'30" is 2030).
fn full_year(anchor: NaiveDate, yy: u32) -> i32 {
    let y = anchor.year().div_euclid(100) * 100 + yy as i32;
    if y > anchor.year() + 10 { y - 100 } else { y }
}

/// The unanchored form of an expression: TIMEX3 with `X` for what the anchor would give.
fn partial(expr: &Expr) -> Value {
    let s = match *expr {
        Expr::Fixed(ref v) => return v.clone(),
        Expr::MonthDay { month, day, .. } => format!("XXXX-{month:02}-{day:02}"),
        Expr::Month { month, .. } | Expr::MonthInYear { month, .. } => format!("XXXX-{month:02}"),
        Expr::Weekday { weekday, .. } => format!("XXXX-WXX-{}", weekday + 1),
        Expr::Offset { unit, n, .. } => match unit {
            Unit::Day if n == 0 => "PRESENT_REF".to_string(),
            Unit::Day => "XXXX-XX-XX".to_string(),
            Unit::Week => "XXXX-WXX".to_string(),
            Unit::Weekend => "XXXX-WXX-WE".to_string(),
            Unit::Month => "XXXX-XX".to_string(),
            Unit::Quarter => "XXXX-QX".to_string(),
            Unit::Year => "XXXX".to_string(),
            Unit::Decade => "XXX".to_string(),
            Unit::Century => "XX".to_string(),
        },
        Expr::QuarterOfYear { quarter, .. } => format!("XXXX-Q{quarter}"),
        Expr::HalfOfYear { half, .. } => format!("XXXX-H{half}"),
        Expr::Season { season, .. } => {
            let code = Value::Season(0, season).timex();
            format!("XXXX{}", &code[4..])
        }
        Expr::TheWeekend => "XXXX-WXX-WE".to_string(),
        Expr::Holiday { holiday, .. } => format!("XXXX-{:02}-XX", holiday.month()),
        Expr::YearEnd { .. } => "XXXX-12-31".to_string(),
        // "that day" with nothing to refer to: some day, not the future.
        Expr::FromReference { unit, n: 0 } => return partial(&Expr::Offset { unit, n: 1 }),
        Expr::Ago { n, .. } | Expr::FromReference { n, .. } => {
            if n < 0 { "PAST_REF" } else { "FUTURE_REF" }.to_string()
        }
        Expr::ReferenceQuarter { .. } => "XXXX-QX".to_string(),
        Expr::ReferenceQuarterOf { year } => return Value::Year(year),
        Expr::YearAgo { .. } => "PAST_REF".to_string(),
        Expr::ShortYear { yy, season } => {
            let code = season.map_or(String::new(), |s| {
                Value::Season(0, s).timex()[4..].to_string()
            });
            format!("XX{yy:02}{code}")
        }
        Expr::Vague(s) => s.to_string(),
    };
    Value::Partial(s)
}

/// The year for a month and day without one: the latest occurrence on or before the anchor
/// (news mostly reports what happened), unless the next one is much closer; the next one
/// when the sentence looks ahead and it is within half a year.
fn month_day(anchor: NaiveDate, month: u32, day: u32, future: bool) -> Option<NaiveDate> {
    let candidates = (anchor.year() - 1..=anchor.year() + 1)
        .filter_map(|y| NaiveDate::from_ymd_opt(y, month, day))
        .collect();
    nearest_day(anchor, candidates, future)
}

/// Picks among yearly occurrences of a day (sorted) the one a news text means; see
/// [`month_day`].
fn nearest_day(anchor: NaiveDate, candidates: Vec<NaiveDate>, future: bool) -> Option<NaiveDate> {
    let back = candidates.iter().rev().find(|d| **d <= anchor).copied();
    let ahead = candidates.iter().find(|d| **d >= anchor).copied();
    match (back, ahead) {
        (Some(b), Some(a)) => {
            let (back_days, ahead_days) = ((anchor - b).num_days(), (a - anchor).num_days());
            // Looking ahead, the next one within half a year; otherwise the past one
            // unless the next is much closer.
            let forward = if future {
                ahead_days <= 183
            } else {
                ahead_days * 3 < back_days
            };
            Some(if forward { a } else { b })
        }
        (b, a) => b.or(a),
    }
}

/// Which (year, month) a month name without a year means.
fn month_occurrence(anchor: NaiveDate, month: u32, shift: Shift, future: bool) -> (i32, u32) {
    let (ay, am) = (anchor.year(), anchor.month());
    let back = (am as i64 - month as i64).rem_euclid(12); // months since its last start
    let ahead = (month as i64 - am as i64).rem_euclid(12);
    let delta = match shift {
        Shift::This => month as i64 - am as i64,
        Shift::Last => -(if back == 0 { 12 } else { back }),
        Shift::Next => {
            if ahead == 0 {
                12
            } else {
                ahead
            }
        }
        // Past-tense reporting: the latest such month, unless the next one is much closer;
        // the next one when the sentence looks ahead.
        Shift::Nearest if future => ahead,
        Shift::Nearest => {
            if ahead * 3 < back {
                ahead
            } else {
                -back
            }
        }
    };
    add_months(ay, am, delta)
}

/// Which day a weekday name means: the anchor itself when it is that weekday (wire copy
/// names the day of publication), else the latest one before it, or the next one after it
/// when the sentence looks ahead.
fn weekday_occurrence(anchor: NaiveDate, weekday: u32, shift: Shift, future: bool) -> NaiveDate {
    let today = anchor.weekday().num_days_from_monday() as i64;
    let target = weekday as i64;
    let back = (today - target).rem_euclid(7);
    let ahead = (target - today).rem_euclid(7);
    let delta = match shift {
        Shift::Last => -(if back == 0 { 7 } else { back }),
        Shift::Next => {
            if ahead == 0 {
                7
            } else {
                ahead
            }
        }
        Shift::This => target - today,
        Shift::Nearest if future => ahead,
        Shift::Nearest => -back,
    };
    anchor + Duration::days(delta)
}

pub(crate) fn offset(anchor: NaiveDate, unit: Unit, n: i64) -> Value {
    match unit {
        Unit::Day => Value::Day(anchor + Duration::days(n)),
        Unit::Week => {
            let (y, w) = iso_week(anchor + Duration::weeks(n));
            Value::Week(y, w)
        }
        Unit::Weekend => {
            let (y, w) = iso_week(anchor + Duration::weeks(n));
            Value::Weekend(y, w)
        }
        Unit::Month => {
            let (y, m) = add_months(anchor.year(), anchor.month(), n);
            Value::Month(y, m)
        }
        Unit::Quarter => {
            let q0 = anchor.year() as i64 * 4 + (anchor.month() as i64 - 1) / 3 + n;
            Value::Quarter(q0.div_euclid(4) as i32, q0.rem_euclid(4) as u32 + 1)
        }
        Unit::Year => Value::Year(anchor.year() + n as i32),
        Unit::Decade => Value::Decade(anchor.year().div_euclid(10) + n as i32),
        Unit::Century => Value::Century(anchor.year().div_euclid(100) + n as i32),
    }
}

/// The year of a quarter or half named without one ("the third quarter"): the anchor's
/// year, unless the period would start more than about a quarter after the anchor, in which
/// case it is last year's (results for the fourth quarter are reported in January).
fn year_of_period(anchor: NaiveDate, first_month: u32) -> i32 {
    let y = anchor.year();
    match NaiveDate::from_ymd_opt(y, first_month, 1) {
        Some(start) if start > anchor + Duration::days(92) => y - 1,
        _ => y,
    }
}

/// The year of a season named without one.
fn season_year(anchor: NaiveDate, season: Season, shift: Shift) -> i32 {
    let y = anchor.year();
    // The season's year whose span contains or last preceded the anchor.
    let span = |year: i32| month_span(year, season.first_month(), 3);
    let current = if season == Season::Winter && anchor.month() <= 2 {
        y - 1
    } else {
        y
    };
    match shift {
        Shift::Nearest | Shift::This => current,
        Shift::Last => match span(current) {
            Some((_, end)) if end < anchor => current,
            _ => current - 1,
        },
        Shift::Next => match span(current) {
            Some((start, _)) if start > anchor => current,
            _ => current + 1,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, dd).unwrap()
    }

    fn at(expr: Expr, future: bool) -> String {
        resolve(&expr, Some(d(2025, 10, 15)), future, &References::default()).timex()
    }

    #[test]
    fn weekdays_default_to_the_past_and_today() {
        // 2025-10-15 is a Wednesday.
        let monday = Expr::Weekday {
            weekday: 0,
            shift: Shift::Nearest,
        };
        assert_eq!(at(monday.clone(), false), "2025-10-13");
        assert_eq!(at(monday, true), "2025-10-20");
        let wednesday = Expr::Weekday {
            weekday: 2,
            shift: Shift::Nearest,
        };
        assert_eq!(at(wednesday, false), "2025-10-15");
        let last_wed = Expr::Weekday {
            weekday: 2,
            shift: Shift::Last,
        };
        assert_eq!(at(last_wed, false), "2025-10-08");
    }

    #[test]
    fn months_pick_the_sensible_year() {
        let july = Expr::Month {
            month: 7,
            shift: Shift::Nearest,
        };
        assert_eq!(at(july, false), "2025-07");
        let last_oct = Expr::Month {
            month: 10,
            shift: Shift::Last,
        };
        assert_eq!(at(last_oct, false), "2024-10");
        let march = Expr::Month {
            month: 3,
            shift: Shift::Nearest,
        };
        assert_eq!(at(march.clone(), false), "2025-03");
        assert_eq!(at(march, true), "2026-03");
        let dec = Expr::Month {
            month: 12,
            shift: Shift::Next,
        };
        assert_eq!(at(dec, false), "2025-12");
    }

    #[test]
    fn offsets_from_the_anchor() {
        let ago = Expr::Offset {
            unit: Unit::Month,
            n: -10,
        };
        assert_eq!(at(ago, false), "2024-12");
        let this_week = Expr::Offset {
            unit: Unit::Week,
            n: 0,
        };
        assert_eq!(at(this_week, false), "2025-W42");
        let last_quarter = Expr::Offset {
            unit: Unit::Quarter,
            n: -1,
        };
        assert_eq!(at(last_quarter, false), "2025-Q3");
        assert_eq!(
            at(
                Expr::QuarterOfYear {
                    quarter: 4,
                    years: None
                },
                false
            ),
            "2025-Q4"
        );
        let jan = resolve(
            &Expr::QuarterOfYear {
                quarter: 4,
                years: None,
            },
            Some(d(2026, 1, 20)),
            false,
            &References::default(),
        );
        assert_eq!(jan.timex(), "2025-Q4");
        let summer = Expr::Season {
            season: Season::Summer,
            shift: Shift::Last,
        };
        assert_eq!(at(summer, false), "2025-SU");
    }

    #[test]
    fn month_day_nearest_year() {
        let nov = Expr::MonthDay { month: 11, day: 15 };
        assert_eq!(at(nov, false), "2025-11-15");
        let feb = Expr::MonthDay { month: 2, day: 10 };
        assert_eq!(at(feb, false), "2025-02-10");
        let leap = resolve(
            &Expr::MonthDay { month: 2, day: 29 },
            Some(d(2025, 3, 1)),
            false,
            &References::default(),
        );
        assert_eq!(leap.timex(), "2024-02-29");
    }

    #[test]
    fn unanchored_values_stay_partial() {
        let v = resolve(
            &Expr::Month {
                month: 7,
                shift: Shift::Nearest,
            },
            None,
            false,
            &References::default(),
        );
        assert_eq!(v.timex(), "XXXX-07");
        assert!(v.range().is_none());
        let v = resolve(
            &Expr::Weekday {
                weekday: 0,
                shift: Shift::Nearest,
            },
            None,
            false,
            &References::default(),
        );
        assert_eq!(v.timex(), "XXXX-WXX-1");
        let v = resolve(
            &Expr::Offset {
                unit: Unit::Day,
                n: -1,
            },
            None,
            false,
            &References::default(),
        );
        assert_eq!(v.timex(), "XXXX-XX-XX");
    }
}
