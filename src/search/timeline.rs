//! Timelines: matching passages (and articles) per calendar day, week, month, quarter or
//! year, by publication date or by the dates the passages mention.
//!
//! tantivy's date histogram has fixed-width buckets and no calendar months, so buckets
//! are computed here from the fast fields: the publication date, or the mentioned months.
//! Mentions by day or week need the exact mentioned days and read the stored dates.

use std::collections::{BTreeMap, HashSet};

use chrono::{Datelike, Days, Months, NaiveDate};
use serde::Serialize;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::index::SegmentReader;
use tantivy::{DocId, Score, SegmentOrdinal};

use super::SearchError;
use crate::model::DateRange;
use crate::schema;

/// Calendar bucket size.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Unit {
    Day,
    Week,
    Month,
    Quarter,
    Year,
}

/// Which date a passage is counted under.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum By {
    /// The article's publication date.
    Published,
    /// Each time the passage mentions (a passage mentioning two months counts in both).
    Mentions,
}

/// One bucket of a timeline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Bucket {
    /// `2025-10-15`, `2025-W42`, `2025-10`, `2025-Q4` or `2025`.
    pub bucket: String,
    /// First and last day of the bucket.
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub passages: u64,
    pub articles: u64,
}

/// A timeline: every bucket from the first to the last with data, empty ones included.
#[derive(Clone, Debug, Serialize)]
pub struct Timeline {
    pub unit: Unit,
    pub by: By,
    pub buckets: Vec<Bucket>,
    /// Matching passages with no date to count them under.
    pub undated: u64,
}

impl Timeline {
    /// The largest passage count of a bucket (at least 1, for scaling bars).
    pub fn max_passages(&self) -> u64 {
        self.buckets
            .iter()
            .map(|b| b.passages)
            .max()
            .unwrap_or(0)
            .max(1)
    }
}

/// At most this many buckets are counted; a wider span is an error asking for a coarser
/// unit.
pub const MAX_BUCKETS: usize = 5_000;

impl Unit {
    /// The first day of the bucket holding `day`.
    pub fn floor(self, day: NaiveDate) -> NaiveDate {
        let ymd = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).expect("valid calendar day");
        match self {
            Unit::Day => day,
            Unit::Week => day - Days::new(day.weekday().num_days_from_monday() as u64),
            Unit::Month => ymd(day.year(), day.month(), 1),
            Unit::Quarter => ymd(day.year(), (day.month0() / 3) * 3 + 1, 1),
            Unit::Year => ymd(day.year(), 1, 1),
        }
    }

    /// The first day of the next bucket.
    pub fn next(self, start: NaiveDate) -> NaiveDate {
        match self {
            Unit::Day => start + Days::new(1),
            Unit::Week => start + Days::new(7),
            Unit::Month => start + Months::new(1),
            Unit::Quarter => start + Months::new(3),
            Unit::Year => start + Months::new(12),
        }
    }

    /// The TIMEX3-style label of the bucket starting at `start`.
    pub fn label(self, start: NaiveDate) -> String {
        match self {
            Unit::Day => start.format("%Y-%m-%d").to_string(),
            Unit::Week => {
                let w = start.iso_week();
                format!("{}-W{:02}", w.year(), w.week())
            }
            Unit::Month => start.format("%Y-%m").to_string(),
            Unit::Quarter => format!("{}-Q{}", start.year(), start.month0() / 3 + 1),
            Unit::Year => start.year().to_string(),
        }
    }
}

/// Per-bucket passage counts and article keys, before filling the gaps.
#[derive(Default)]
pub(crate) struct Tally {
    buckets: BTreeMap<NaiveDate, (u64, HashSet<String>)>,
    undated: u64,
}

impl Tally {
    /// Counts one passage under each of the bucket starts it falls in.
    pub(crate) fn add(&mut self, starts: &[NaiveDate], article: &str) {
        if starts.is_empty() {
            self.undated += 1;
        }
        for start in starts {
            let entry = self.buckets.entry(*start).or_default();
            entry.0 += 1;
            if !entry.1.contains(article) {
                entry.1.insert(article.to_string());
            }
        }
    }

    fn merge(&mut self, other: Tally) {
        self.undated += other.undated;
        for (start, (n, articles)) in other.buckets {
            let entry = self.buckets.entry(start).or_default();
            entry.0 += n;
            entry.1.extend(articles);
        }
    }

    /// The timeline from the first to the last bucket with data; an error when that is
    /// more than [`MAX_BUCKETS`] buckets of `unit`.
    pub(crate) fn finish(self, unit: Unit, by: By) -> Result<Timeline, SearchError> {
        let mut buckets = Vec::new();
        if let (Some(first), Some(last)) = (
            self.buckets.keys().next().copied(),
            self.buckets.keys().next_back().copied(),
        ) {
            let mut start = first;
            while start <= last {
                if buckets.len() == MAX_BUCKETS {
                    return Err(SearchError::TooManyBuckets {
                        unit: unit.label(first) + " .. " + &unit.label(last),
                        max: MAX_BUCKETS,
                    });
                }
                let next = unit.next(start);
                let (passages, articles) = self
                    .buckets
                    .get(&start)
                    .map_or((0, 0), |(n, a)| (*n, a.len() as u64));
                buckets.push(Bucket {
                    bucket: unit.label(start),
                    start,
                    end: next.pred_opt().unwrap_or(next),
                    passages,
                    articles,
                });
                start = next;
            }
        }
        Ok(Timeline {
            unit,
            by,
            buckets,
            undated: self.undated,
        })
    }
}

/// The bucket starts a resolved date range touches.
/// Ranges longer than the index's longest indexed mention ("the 20th century") count in
/// no bucket, as they match no `--mentions` filter; callers sort and dedup `out`.
pub(crate) fn bucket_starts(unit: Unit, range: DateRange, out: &mut Vec<NaiveDate>) {
    if (range.end - range.start).num_days() > 11 * 366 {
        return;
    }
    let mut start = unit.floor(range.start);
    while start <= range.end {
        out.push(start);
        start = unit.next(start);
    }
}

/// Counts matching passages by publication date, or by mentioned month (for month,
/// quarter and year buckets of mentions).
pub(crate) struct TimelineCollector {
    pub unit: Unit,
    pub by: By,
    pub published: String,
    pub article_id: String,
    pub mention_month: String,
}

pub(crate) struct TimelineSegment {
    unit: Unit,
    by: By,
    published: Option<Column<tantivy::DateTime>>,
    mention_month: Option<Column<u64>>,
    article_id: Option<StrColumn>,
    tally: Tally,
    starts: Vec<NaiveDate>,
    article: String,
}

impl Collector for TimelineCollector {
    type Fruit = Tally;
    type Child = TimelineSegment;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<TimelineSegment> {
        let ff = reader.fast_fields();
        Ok(TimelineSegment {
            unit: self.unit,
            by: self.by,
            published: ff.date(&self.published).ok(),
            mention_month: ff.u64(&self.mention_month).ok(),
            article_id: ff.str(&self.article_id)?,
            tally: Tally::default(),
            starts: Vec::new(),
            article: String::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Tally>) -> tantivy::Result<Tally> {
        let mut all = Tally::default();
        for t in fruits {
            all.merge(t);
        }
        Ok(all)
    }
}

impl SegmentCollector for TimelineSegment {
    type Fruit = Tally;

    fn collect(&mut self, doc: DocId, _: Score) {
        self.starts.clear();
        match self.by {
            By::Published => {
                let day = self
                    .published
                    .as_ref()
                    .and_then(|c| c.first(doc))
                    .and_then(|d| chrono::DateTime::from_timestamp(d.into_timestamp_secs(), 0))
                    .map(|d| d.date_naive());
                if let Some(day) = day {
                    self.starts.push(self.unit.floor(day));
                }
            }
            By::Mentions => {
                if let Some(col) = &self.mention_month {
                    for m in col.values_for_doc(doc) {
                        let (y, mo) = schema::month_of_number(m);
                        if let Some(day) = NaiveDate::from_ymd_opt(y, mo, 1) {
                            let start = self.unit.floor(day);
                            if !self.starts.contains(&start) {
                                self.starts.push(start);
                            }
                        }
                    }
                }
            }
        }
        self.article.clear();
        if let Some(col) = &self.article_id
            && let Some(ord) = col.term_ords(doc).next()
        {
            let _ = col.ord_to_str(ord, &mut self.article);
        }
        self.tally.add(&self.starts, &self.article);
    }

    fn harvest(self) -> Tally {
        self.tally
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn buckets_are_calendar_correct() {
        let d = day(2025, 10, 15);
        assert_eq!(Unit::Week.floor(d), day(2025, 10, 13));
        assert_eq!(Unit::Week.label(day(2025, 10, 13)), "2025-W42");
        assert_eq!(Unit::Month.floor(d), day(2025, 10, 1));
        assert_eq!(Unit::Month.next(day(2025, 1, 1)), day(2025, 2, 1));
        assert_eq!(Unit::Quarter.floor(d), day(2025, 10, 1));
        assert_eq!(Unit::Quarter.label(day(2025, 7, 1)), "2025-Q3");
        assert_eq!(Unit::Year.label(day(2025, 1, 1)), "2025");
        // ISO week 1 of 2026 starts in December 2025.
        assert_eq!(
            Unit::Week.label(Unit::Week.floor(day(2026, 1, 1))),
            "2026-W01"
        );
    }

    #[test]
    fn tally_fills_gaps_and_counts_distinct_articles() {
        let mut t = Tally::default();
        t.add(&[day(2025, 1, 1)], "a");
        t.add(&[day(2025, 1, 1)], "a");
        t.add(&[day(2025, 3, 1)], "b");
        t.add(&[], "c");
        let tl = t.finish(Unit::Month, By::Published).unwrap();
        let rows: Vec<(&str, u64, u64)> = tl
            .buckets
            .iter()
            .map(|b| (b.bucket.as_str(), b.passages, b.articles))
            .collect();
        assert_eq!(
            rows,
            [("2025-01", 2, 1), ("2025-02", 0, 0), ("2025-03", 1, 1)]
        );
        assert_eq!(tl.buckets[1].end, day(2025, 2, 28));
        assert_eq!(tl.undated, 1);
    }

    #[test]
    fn a_range_touches_every_bucket_it_overlaps() {
        let mut out = Vec::new();
        let week = DateRange {
            start: day(2025, 6, 28),
            end: day(2025, 7, 4),
        };
        bucket_starts(Unit::Month, week, &mut out);
        assert_eq!(out, [day(2025, 6, 1), day(2025, 7, 1)]);
    }
}
