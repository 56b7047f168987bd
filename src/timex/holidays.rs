//! US holidays whose date moves from year to year: Thanksgiving, Election Day, Labor Day,
//! Memorial Day.
//!
//! Takes a holiday's name as written and a year; gives the day it falls on that year, so
//! the resolver can pick the occurrence a text means as it does for "Oct. 15".

use chrono::{NaiveDate, Weekday};

/// A holiday defined by a weekday of a month.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Holiday {
    /// The fourth Thursday of November.
    Thanksgiving,
    /// US federal elections: the Tuesday after the first Monday of November.
    ElectionDay,
    /// The first Monday of September.
    LaborDay,
    /// The last Monday of May.
    MemorialDay,
}

impl Holiday {
    /// The holiday a name ("Thanksgiving Day", "Election Day") stands for.
    pub(crate) fn from_name(name: &str) -> Option<Holiday> {
        let first = name.split_whitespace().next()?;
        match first {
            "Thanksgiving" => Some(Holiday::Thanksgiving),
            "Election" => Some(Holiday::ElectionDay),
            "Labor" => Some(Holiday::LaborDay),
            "Memorial" => Some(Holiday::MemorialDay),
            _ => None,
        }
    }

    /// The month the holiday falls in.
    pub(crate) fn month(self) -> u32 {
        match self {
            Holiday::Thanksgiving | Holiday::ElectionDay => 11,
            Holiday::LaborDay => 9,
            Holiday::MemorialDay => 5,
        }
    }

    /// The day the holiday falls on in `year`.
    pub(crate) fn day_in(self, year: i32) -> Option<NaiveDate> {
        let nth = |weekday, n| NaiveDate::from_weekday_of_month_opt(year, self.month(), weekday, n);
        match self {
            Holiday::Thanksgiving => nth(Weekday::Thu, 4),
            Holiday::ElectionDay => nth(Weekday::Mon, 1)?.succ_opt(),
            Holiday::LaborDay => nth(Weekday::Mon, 1),
            Holiday::MemorialDay => nth(Weekday::Mon, 5).or_else(|| nth(Weekday::Mon, 4)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, dd: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, dd)
    }

    #[test]
    fn days_of_floating_holidays() {
        assert_eq!(Holiday::Thanksgiving.day_in(2025), d(2025, 11, 27));
        // 1998: first Monday is Nov 2, so Election Day is Nov 3; 2026: Monday Nov 2 too.
        assert_eq!(Holiday::ElectionDay.day_in(1998), d(1998, 11, 3));
        // 2022: November starts on a Tuesday, so the election is the 8th, not the 1st.
        assert_eq!(Holiday::ElectionDay.day_in(2022), d(2022, 11, 8));
        assert_eq!(Holiday::LaborDay.day_in(2025), d(2025, 9, 1));
        assert_eq!(Holiday::MemorialDay.day_in(2025), d(2025, 5, 26));
        assert_eq!(Holiday::MemorialDay.day_in(2021), d(2021, 5, 31));
        assert_eq!(
            Holiday::from_name("Election Day"),
            Some(Holiday::ElectionDay)
        );
        assert_eq!(Holiday::from_name("Christmas"), None);
    }
}
