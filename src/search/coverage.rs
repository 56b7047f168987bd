//! Which buckets a timeline shows, what falls outside them, and normalised shares.
//!
//! Takes the [`Tally`] of a query (and, with `--normalize`, the tally of its filters
//! alone), gives a [`Timeline`]. A timeline by publication date runs from its first to its
//! last bucket with data. A timeline by mentions cannot: one passage mentioning the year
//! 1130 and another 2050 would ask for 11,000 months. Without a range from the user it
//! covers the central 99% of the passages it counts ([`Coverage::Central`]) and reports the
//! rest as `earlier` and `later`.

use chrono::NaiveDate;

use super::timeline::{Bucket, By, MAX_BUCKETS, Outside, Tally, Timeline, Totals, Unit};
use super::{QueryConfig, SearchError};

/// Share of the counted mentions left out at each end by [`Coverage::Central`] (0.5% each
/// side: the central 99%).
pub const TAIL: f64 = 0.005;

/// The range of dates a timeline covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Coverage {
    /// From the first to the last bucket with data (timelines by publication date).
    Data,
    /// The central 99% of the dated passages: from the first bucket to the last, after
    /// dropping whole buckets holding together at most 0.5% of the passages (rounded
    /// down) from each end, each passage counted once, at the first date it mentions for
    /// the early end and at the last for the late end (so a passage about the whole year
    /// 1130 weighs one passage, not 365 days). When that is still more than
    /// [`MAX_BUCKETS`] buckets, the window of [`MAX_BUCKETS`] buckets with the most
    /// counted mentions (ties: the latest).
    Central,
    /// A range the user gave; an open end is the [`Coverage::Central`] one.
    Given {
        start: Option<NaiveDate>,
        end: Option<NaiveDate>,
    },
}

impl Coverage {
    /// The span of a timeline of `config` by `by`: by mentions, `--mentions` if given,
    /// else `--since`/`--until` if either is, else [`Coverage::Central`].
    pub fn of(config: &QueryConfig, by: By) -> Coverage {
        match (by, config.mentions) {
            (By::Published, _) => Coverage::Data,
            (By::Mentions, Some(range)) => Coverage::Given {
                start: Some(range.start),
                end: Some(range.end),
            },
            (By::Mentions, None) if config.since.is_some() || config.until.is_some() => {
                Coverage::Given {
                    start: config.since,
                    end: config.until,
                }
            }
            (By::Mentions, None) => Coverage::Central,
        }
    }
}

/// The first and last bucket start `coverage` gives on `tally`; `None` when there is nothing
/// to show. An error only for more than [`MAX_BUCKETS`] buckets of data by publication
/// date, or of a range the user gave.
pub fn choose(
    tally: &Tally,
    unit: Unit,
    coverage: Coverage,
) -> Result<Option<(NaiveDate, NaiveDate)>, SearchError> {
    let range = match coverage {
        Coverage::Data => tally.extent(),
        Coverage::Central => central(tally, unit),
        Coverage::Given { start, end } => {
            let data = central(tally, unit);
            let first = start.map(|d| unit.floor(d)).or(data.map(|d| d.0));
            let last = end.map(|d| unit.floor(d)).or(data.map(|d| d.1));
            match (first, last) {
                (Some(a), Some(b)) => Some((a, b.max(a))),
                (Some(a), None) | (None, Some(a)) => Some((a, a)),
                (None, None) => None,
            }
        }
    };
    if let Some((first, last)) = range
        && coverage != Coverage::Central
        && unit.advance(first, MAX_BUCKETS as u32) <= last
    {
        return Err(SearchError::TooManyBuckets {
            unit: unit.label(first) + " .. " + &unit.label(last),
            max: MAX_BUCKETS,
        });
    }
    Ok(range)
}

/// [`Coverage::Central`] on `tally`.
fn central(tally: &Tally, unit: Unit) -> Option<(NaiveDate, NaiveDate)> {
    let by_first = tally.passages_by_extreme(true);
    let by_last = tally.passages_by_extreme(false);
    let total: u64 = by_first.iter().map(|w| w.1).sum();
    let tail = (total as f64 * TAIL).floor() as u64;
    // Drop whole buckets from each end while their passages stay within the tail.
    let trim = |iter: &mut dyn Iterator<Item = &(NaiveDate, u64)>| {
        let mut dropped = 0;
        for (day, n) in iter {
            dropped += n;
            if dropped > tail {
                return Some(*day);
            }
        }
        None
    };
    let a = trim(&mut by_first.iter())?;
    let b = trim(&mut by_last.iter().rev())?;
    let (first, last) = (a.min(b), a.max(b));
    let weights: Vec<(NaiveDate, u64)> = tally.weights().collect();
    if unit.advance(first, MAX_BUCKETS as u32) > last {
        return Some((first, last));
    }
    // Still too wide: the densest window of MAX_BUCKETS buckets starting at a bucket
    // with data (the best window always can), ties to the latest.
    let kept: Vec<&(NaiveDate, u64)> = weights
        .iter()
        .filter(|(d, _)| *d >= first && *d <= last)
        .collect();
    let (mut best, mut best_sum, mut sum, mut end) = (first, 0, 0, 0);
    for (i, (start, _)) in kept.iter().enumerate() {
        let limit = unit.advance(*start, MAX_BUCKETS as u32);
        while end < kept.len() && kept[end].0 < limit {
            sum += kept[end].1;
            end += 1;
        }
        if sum >= best_sum {
            (best, best_sum) = (*start, sum);
        }
        sum -= kept[i].1;
    }
    let last = unit.advance(best, MAX_BUCKETS as u32 - 1).min(last);
    Some((best, last))
}

/// The timeline of `tally` over `range` (from [`choose`]), with `earlier` and `later`
/// for timelines by mentions, and totals and shares from `base` (the tally of the same
/// filters without the query) when given.
pub fn assemble(
    tally: &Tally,
    base: Option<&Tally>,
    unit: Unit,
    by: By,
    range: Option<(NaiveDate, NaiveDate)>,
) -> Timeline {
    let totals = |passages: u64, of: (u64, u64)| base.map(|_| Totals::new(passages, of.0, of.1));
    let zero = (0, 0);
    let mut buckets = Vec::new();
    let (mut earlier, mut later) = (None, None);
    if let Some((first, last)) = range {
        let mut start = first;
        while start <= last {
            let next = unit.next(start);
            let (passages, articles) = tally.count(start);
            buckets.push(Bucket {
                bucket: unit.label(start),
                start,
                end: next.pred_opt().unwrap_or(next),
                passages,
                articles,
                totals: totals(passages, base.map_or(zero, |b| b.count(start))),
            });
            start = next;
        }
        if by == By::Mentions {
            let outside = |before: bool| {
                let (passages, articles) = tally.outside(first, last, before);
                let of = base.map_or(zero, |b| b.outside(first, last, before));
                let after_last = unit.next(last);
                Outside {
                    bucket: if before { "earlier" } else { "later" }.to_string(),
                    start: (!before).then_some(after_last),
                    end: before.then(|| first.pred_opt().unwrap_or(first)),
                    passages,
                    articles,
                    totals: totals(passages, of),
                }
            };
            (earlier, later) = (Some(outside(true)), Some(outside(false)));
        }
    }
    Timeline {
        unit,
        by,
        normalized: base.is_some(),
        buckets,
        earlier,
        later,
        undated: tally.undated,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, 1).unwrap()
    }

    /// `n` passages of distinct articles in each of `months`, plus passages in several.
    fn tally(months: &[((i32, u32), u64)], spanning: &[&[(i32, u32)]]) -> Tally {
        let mut t = Tally::default();
        let mut id = 0;
        for &((y, m), n) in months {
            for _ in 0..n {
                id += 1;
                t.add(&[day(y, m)], &format!("a{id}"));
            }
        }
        for months in spanning {
            id += 1;
            let starts: Vec<NaiveDate> = months.iter().map(|&(y, m)| day(y, m)).collect();
            t.add(&starts, &format!("a{id}"));
        }
        t
    }

    #[test]
    fn central_drops_thin_tails_and_counts_them_once_outside() {
        // 400 counts in 2005; one passage mentions 1130 and 2005, one 2050 alone.
        let t = tally(
            &[((2005, 3), 398), ((2050, 1), 1)],
            &[&[(1130, 1), (2005, 3)]],
        );
        let range = choose(&t, Unit::Month, Coverage::Central).unwrap();
        assert_eq!(range, Some((day(2005, 3), day(2005, 3))));
        let tl = assemble(&t, None, Unit::Month, By::Mentions, range);
        assert_eq!(tl.buckets.len(), 1);
        assert_eq!(tl.buckets[0].passages, 399);
        let earlier = tl.earlier.unwrap();
        assert_eq!((earlier.passages, earlier.articles), (1, 1));
        assert_eq!(
            earlier.end,
            Some(NaiveDate::from_ymd_opt(2005, 2, 28).unwrap())
        );
        let later = tl.later.unwrap();
        assert_eq!((later.passages, later.start), (1, Some(day(2005, 4))));
    }

    #[test]
    fn a_wide_central_range_keeps_the_densest_window() {
        let t = tally(&[((1130, 1), 1), ((2005, 1), 1)], &[]);
        let (first, last) = choose(&t, Unit::Month, Coverage::Central).unwrap().unwrap();
        assert_eq!(last, day(2005, 1));
        assert!(Unit::Month.advance(first, MAX_BUCKETS as u32) > last);
        // A range the user gave is never narrowed: too wide is an error.
        let given = Coverage::Given {
            start: Some(day(1130, 1)),
            end: None,
        };
        assert!(matches!(
            choose(&t, Unit::Month, given),
            Err(SearchError::TooManyBuckets { .. })
        ));
    }

    #[test]
    fn shares_are_matches_over_totals_and_empty_buckets_have_no_data() {
        let t = tally(&[((2005, 1), 1), ((2005, 3), 2)], &[]);
        let base = tally(&[((2005, 1), 4), ((2005, 3), 2)], &[]);
        let range = choose(&base, Unit::Month, Coverage::Data).unwrap();
        let tl = assemble(&t, Some(&base), Unit::Month, By::Published, range);
        let shares: Vec<Option<f64>> = tl.buckets.iter().map(|b| b.totals.unwrap().share).collect();
        assert_eq!(shares, [Some(0.25), None, Some(1.0)]);
        assert!(tl.earlier.is_none() && tl.normalized);
    }
}
