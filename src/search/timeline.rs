//! Timelines: matching passages (and articles) per calendar day, week, month, quarter or
//! year, by publication date or by the dates the passages mention.
//!
//! tantivy's date histogram has fixed-width buckets and no calendar months, so buckets
//! are computed here from the fast fields: the publication date, or the mentioned months.
//! Mentions by day or week need the exact mentioned days and read the stored dates.

use std::collections::{BTreeMap, HashSet};

use chrono::{Datelike, Days, Months, NaiveDate};
use serde::{Deserialize, Serialize};
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::index::SegmentReader;
use tantivy::{DocId, Score, SegmentOrdinal};

use super::collect::{OrdNames, first_ord};
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
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Bucket {
    /// `2025-10-15`, `2025-W42`, `2025-10`, `2025-Q4` or `2025`.
    pub bucket: String,
    /// First and last day of the bucket.
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub passages: u64,
    pub articles: u64,
    /// With `--normalize`: what the filters alone select in the bucket, and the share.
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub totals: Option<Totals>,
}

/// The denominator of a normalised bucket: passages and articles under the same filters
/// without the query.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Totals {
    pub total_passages: u64,
    pub total_articles: u64,
    /// `passages / total_passages`; `None` (no data) when the bucket holds no article at
    /// all under the filters.
    pub share: Option<f64>,
}

impl Totals {
    /// The totals of a bucket whose matching passages number `passages`.
    pub fn new(passages: u64, total_passages: u64, total_articles: u64) -> Totals {
        Totals {
            total_passages,
            total_articles,
            share: (total_articles > 0 && total_passages > 0)
                .then(|| passages as f64 / total_passages as f64),
        }
    }
}

/// What a timeline by mentions counts outside its range: passages mentioning a date
/// before its first bucket (`earlier`) or after its last (`later`), each passage once.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Outside {
    /// `earlier` or `later`.
    pub bucket: String,
    /// Open for `earlier`: the day after the range for `later`.
    pub start: Option<NaiveDate>,
    /// The day before the range for `earlier`; open for `later`.
    pub end: Option<NaiveDate>,
    pub passages: u64,
    pub articles: u64,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub totals: Option<Totals>,
}

/// A timeline: every bucket of its range, empty ones included.
#[derive(Clone, Debug, Serialize)]
pub struct Timeline {
    pub unit: Unit,
    pub by: By,
    /// Whether buckets carry [`Totals`] (`--normalize`).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub normalized: bool,
    pub buckets: Vec<Bucket>,
    /// By mentions: passages mentioning dates before and after the range.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub earlier: Option<Outside>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub later: Option<Outside>,
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

    /// The largest share of a bucket, if the timeline is normalised and has any data.
    pub fn max_share(&self) -> Option<f64> {
        self.buckets
            .iter()
            .filter_map(|b| b.totals.and_then(|t| t.share))
            .reduce(f64::max)
    }
}

/// At most this many buckets are shown: a wider range the user gave (or publication dates
/// spread wider) is an error asking for a coarser unit; a range chosen from mentions is
/// narrowed to fit (see [`super::coverage`]).
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

    /// The first day of the bucket `n` buckets after the one starting at `start`.
    pub fn advance(self, start: NaiveDate, n: u32) -> NaiveDate {
        let months = |k: u32| {
            start
                .checked_add_months(Months::new(k))
                .unwrap_or(NaiveDate::MAX)
        };
        let days = |k: u64| {
            start
                .checked_add_days(Days::new(k))
                .unwrap_or(NaiveDate::MAX)
        };
        match self {
            Unit::Day => days(n as u64),
            Unit::Week => days(7 * n as u64),
            Unit::Month => months(n),
            Unit::Quarter => months(3 * n),
            Unit::Year => months(12 * n),
        }
    }

    /// The TIMEX3-style label of the bucket starting at `start`.
    pub fn label(self, start: NaiveDate) -> String {
        match self {
            // Formatted by hand: chrono's strftime parses its pattern on every call, and a
            // batch labels every bucket of every label.
            Unit::Day => format!(
                "{:04}-{:02}-{:02}",
                start.year(),
                start.month(),
                start.day()
            ),
            Unit::Week => {
                let w = start.iso_week();
                format!("{}-W{:02}", w.year(), w.week())
            }
            Unit::Month => format!("{:04}-{:02}", start.year(), start.month()),
            Unit::Quarter => format!("{}-Q{}", start.year(), start.month0() / 3 + 1),
            Unit::Year => start.year().to_string(),
        }
    }
}

/// Passages and their distinct articles.
pub(crate) type Cell = (u64, HashSet<String>);

/// Per-bucket passage counts and article keys, before a range is chosen. Opaque outside
/// the library: made by [`Search::tally`](super::Search::tally), turned into a
/// [`Timeline`] by [`coverage::assemble`](super::coverage::assemble).
#[derive(Clone, Default)]
pub struct Tally {
    /// Per bucket its passages and articles; the article sets are left empty in a
    /// summed tally, whose `summed` counts them.
    pub(crate) buckets: BTreeMap<NaiveDate, Cell>,
    /// Passages counted in several buckets (by mentions) touching each bucket, and by
    /// their first and last bucket: so the passages mentioning anything before (after) a
    /// range are counted once each.
    spanning: BTreeMap<NaiveDate, u64>,
    lowest: BTreeMap<NaiveDate, u64>,
    highest: BTreeMap<NaiveDate, u64>,
    pub(crate) undated: u64,
    /// Set in a tally made of counts alone ([`Tally::summed`]), which tallies of
    /// disjoint sets of articles (a shard set's shards) add up to exactly.
    summed: Option<Summed>,
}

/// A tally's articles as counts: per bucket, and by the first and the last bucket each
/// article is counted in (the distinct articles before or after a range are those whose
/// first or last bucket is).
#[derive(Clone, Default, Debug, PartialEq, Serialize, Deserialize)]
struct Summed {
    articles: BTreeMap<NaiveDate, u64>,
    first: BTreeMap<NaiveDate, u64>,
    last: BTreeMap<NaiveDate, u64>,
}

/// A [`Tally`] of counts alone, as JSON: what a shard hands the merge of a batch run
/// over a shard set's shards apart (`gazette batch --partial`, `--merge`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TallyCounts {
    passages: BTreeMap<NaiveDate, u64>,
    spanning: BTreeMap<NaiveDate, u64>,
    lowest: BTreeMap<NaiveDate, u64>,
    highest: BTreeMap<NaiveDate, u64>,
    undated: u64,
    #[serde(flatten)]
    articles: Summed,
}

impl Tally {
    /// The same tally as counts alone: its buckets' passages and articles, and its
    /// articles by their first and last bucket.
    pub fn counts(&self) -> TallyCounts {
        let articles = match &self.summed {
            Some(summed) => summed.clone(),
            None => self.articles_as_counts(),
        };
        TallyCounts {
            passages: self.buckets.iter().map(|(d, (n, _))| (*d, *n)).collect(),
            spanning: self.spanning.clone(),
            lowest: self.lowest.clone(),
            highest: self.highest.clone(),
            undated: self.undated,
            articles,
        }
    }

    /// The buckets' article sets as counts: per bucket, and by each article's first and
    /// last bucket.
    fn articles_as_counts(&self) -> Summed {
        let mut articles = Summed::default();
        let mut seen: HashSet<&str> = HashSet::new();
        for (start, (_, ids)) in &self.buckets {
            articles.articles.insert(*start, ids.len() as u64);
            let new = ids.iter().filter(|id| seen.insert(id.as_str())).count() as u64;
            if new > 0 {
                articles.first.insert(*start, new);
            }
        }
        seen.clear();
        for (start, (_, ids)) in self.buckets.iter().rev() {
            let new = ids.iter().filter(|id| seen.insert(id.as_str())).count() as u64;
            if new > 0 {
                articles.last.insert(*start, new);
            }
        }
        articles
    }

    /// The sum of tallies of disjoint sets of articles, given as counts: the tally of
    /// all their articles together, as far as a timeline can tell.
    pub fn summed(parts: impl IntoIterator<Item = TallyCounts>) -> Tally {
        let mut tally = Tally {
            summed: Some(Summed::default()),
            ..Tally::default()
        };
        let add = |to: &mut BTreeMap<NaiveDate, u64>, from: BTreeMap<NaiveDate, u64>| {
            for (d, n) in from {
                *to.entry(d).or_default() += n;
            }
        };
        for part in parts {
            for (d, n) in part.passages {
                tally.buckets.entry(d).or_default().0 += n;
            }
            add(&mut tally.spanning, part.spanning);
            add(&mut tally.lowest, part.lowest);
            add(&mut tally.highest, part.highest);
            tally.undated += part.undated;
            let summed = tally.summed.as_mut().expect("set above");
            add(&mut summed.articles, part.articles.articles);
            add(&mut summed.first, part.articles.first);
            add(&mut summed.last, part.articles.last);
        }
        tally
    }

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
        // A passage in one bucket (every passage by publication date) needs nothing more.
        if starts.len() > 1 {
            for start in starts {
                *self.spanning.entry(*start).or_default() += 1;
            }
            if let (Some(lo), Some(hi)) = (starts.iter().min(), starts.iter().max()) {
                *self.lowest.entry(*lo).or_default() += 1;
                *self.highest.entry(*hi).or_default() += 1;
            }
        }
    }

    /// Adds `other`'s counts (passages in both are counted twice, articles once).
    pub fn merge(&mut self, other: Tally) {
        debug_assert!(
            self.summed.is_none() && other.summed.is_none(),
            "summed tallies are added as counts"
        );
        self.undated += other.undated;
        for (start, (n, articles)) in other.buckets {
            let entry = self.buckets.entry(start).or_default();
            entry.0 += n;
            entry.1.extend(articles);
        }
        for (mine, theirs) in [
            (&mut self.spanning, other.spanning),
            (&mut self.lowest, other.lowest),
            (&mut self.highest, other.highest),
        ] {
            for (start, n) in theirs {
                *mine.entry(start).or_default() += n;
            }
        }
    }

    /// Passages and distinct articles of the bucket starting at `start`.
    pub(crate) fn count(&self, start: NaiveDate) -> (u64, u64) {
        let passages = self.buckets.get(&start).map_or(0, |(n, _)| *n);
        let articles = match &self.summed {
            Some(summed) => summed.articles.get(&start).copied().unwrap_or(0),
            None => self.buckets.get(&start).map_or(0, |(_, a)| a.len() as u64),
        };
        (passages, articles)
    }

    /// Passages (each once) and distinct articles counted in a bucket before `first`
    /// (`before`), or after `last`.
    pub(crate) fn outside(&self, first: NaiveDate, last: NaiveDate, before: bool) -> (u64, u64) {
        use std::ops::Bound::{Excluded, Unbounded};
        let range = if before {
            (Unbounded, Excluded(first))
        } else {
            (Excluded(last), Unbounded)
        };
        let mut passages = 0;
        let mut articles: HashSet<&str> = HashSet::new();
        // A passage in one bucket is counted there; a spanning one by its extreme.
        for (start, (n, a)) in self.buckets.range(range) {
            passages += n - self.spanning.get(start).copied().unwrap_or(0);
            articles.extend(a.iter().map(String::as_str));
        }
        let extremes = if before { &self.lowest } else { &self.highest };
        passages += extremes.range(range).map(|(_, n)| n).sum::<u64>();
        let articles = match &self.summed {
            // An article counted before the range has its first bucket there.
            Some(summed) => {
                let by = if before { &summed.first } else { &summed.last };
                by.range(range).map(|(_, n)| n).sum()
            }
            None => articles.len() as u64,
        };
        (passages, articles)
    }

    /// The first and last bucket with data.
    pub(crate) fn extent(&self) -> Option<(NaiveDate, NaiveDate)> {
        Some((
            *self.buckets.keys().next()?,
            *self.buckets.keys().next_back()?,
        ))
    }

    /// Passages counted per bucket with data, in date order.
    pub(crate) fn weights(&self) -> impl Iterator<Item = (NaiveDate, u64)> + '_ {
        self.buckets.iter().map(|(d, (n, _))| (*d, *n))
    }

    /// Dated passages by the first (`first`) or the last bucket they are counted in, in
    /// date order: each passage once.
    pub(crate) fn passages_by_extreme(&self, first: bool) -> Vec<(NaiveDate, u64)> {
        let extremes = if first { &self.lowest } else { &self.highest };
        let mut by: BTreeMap<NaiveDate, u64> = extremes.clone();
        for (start, (n, _)) in &self.buckets {
            let single = n - self.spanning.get(start).copied().unwrap_or(0);
            if single > 0 {
                *by.entry(*start).or_default() += single;
            }
        }
        by.into_iter().collect()
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
    /// The bucket starts of every collected passage, back to back, with each passage's
    /// article ordinal and number of starts: tallied at harvest, once the ordinals are
    /// resolved to ids in one pass.
    starts: Vec<NaiveDate>,
    passages: Vec<(u64, u32)>,
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
            starts: Vec::new(),
            passages: Vec::new(),
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
        let first = self.starts.len();
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
                            if !self.starts[first..].contains(&start) {
                                self.starts.push(start);
                            }
                        }
                    }
                }
            }
        }
        let ord = first_ord(self.article_id.as_ref(), doc);
        let n = (self.starts.len() - first) as u32;
        self.passages.push((ord, n));
    }

    fn harvest(self) -> Tally {
        let names = OrdNames::resolve(
            self.article_id.as_ref(),
            self.passages.iter().map(|&(ord, _)| ord),
        );
        let mut tally = Tally::default();
        let mut at = 0;
        for (ord, n) in self.passages {
            let end = at + n as usize;
            tally.add(&self.starts[at..end], names.get(ord));
            at = end;
        }
        tally
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn tallies_of_disjoint_articles_add_up_as_counts_to_their_merge() {
        let month = |m: u32| day(2025, m, 1);
        // Two shards' tallies: articles in several buckets, passages spanning several.
        let passages: [&[(&[u32], &str)]; 2] = [
            &[
                (&[1], "a"),
                (&[1, 2, 3], "a"),
                (&[5], "a"),
                (&[2], "b"),
                (&[6, 7], "c"),
                (&[], "c"),
            ],
            &[(&[1, 7], "d"), (&[3], "e"), (&[3], "e"), (&[4, 5, 6], "f")],
        ];
        let shards: Vec<Tally> = passages
            .iter()
            .map(|shard| {
                let mut t = Tally::default();
                for (months, article) in *shard {
                    let starts: Vec<NaiveDate> = months.iter().map(|m| month(*m)).collect();
                    t.add(&starts, article);
                }
                t
            })
            .collect();
        let mut merged = Tally::default();
        for t in &shards {
            merged.merge(t.clone());
        }
        let summed = Tally::summed(shards.iter().map(Tally::counts));
        // Through JSON, as the parts travel.
        let json = serde_json::to_string(&shards[0].counts()).unwrap();
        let back: TallyCounts = serde_json::from_str(&json).unwrap();
        assert_eq!(back, shards[0].counts());
        assert_eq!(summed.counts(), merged.counts());
        assert_eq!(summed.undated, 1);
        for m in 1..=7 {
            assert_eq!(summed.count(month(m)), merged.count(month(m)), "month {m}");
        }
        for first in 1..=7 {
            for last in first..=7 {
                for before in [true, false] {
                    assert_eq!(
                        summed.outside(month(first), month(last), before),
                        merged.outside(month(first), month(last), before),
                        "{first}..{last} before {before}"
                    );
                }
            }
        }
        // Articles before March: a, b, d (a counted once though in two buckets).
        assert_eq!(summed.outside(month(3), month(7), true), (4, 3));
        assert_eq!(
            summed.passages_by_extreme(true),
            merged.passages_by_extreme(true)
        );
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
        // As chrono's %Y-%m-%d writes them, early years zero-padded.
        for d in [day(2025, 3, 9), day(987, 1, 1), day(5, 12, 31)] {
            assert_eq!(Unit::Day.label(d), d.format("%Y-%m-%d").to_string());
            assert_eq!(Unit::Month.label(d), d.format("%Y-%m").to_string());
        }
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
        let range =
            super::super::coverage::choose(&t, Unit::Month, super::super::Coverage::Data).unwrap();
        let tl = super::super::coverage::assemble(&t, None, Unit::Month, By::Published, range);
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
