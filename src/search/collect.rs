//! Collecting every match with its score and date, for `--all` and `--sort date`, or
//! with its article, for analyses over several queries.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::ops::Range;

use chrono::Datelike;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::index::SegmentReader;
use tantivy::{DocAddress, DocId, Score, Searcher, SegmentOrdinal};

use super::SortOrder;
use crate::model::DateRange;

/// One match.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Scored {
    pub score: Score,
    pub address: DocAddress,
    /// Publication time in seconds, when known.
    pub published: Option<i64>,
}

/// Collects every matching passage with its score and publication date.
pub(crate) struct AllScored {
    /// Name of the publication date fast field.
    pub published: String,
}

pub(crate) struct AllScoredSegment {
    segment: SegmentOrdinal,
    published: Option<Column<tantivy::DateTime>>,
    found: Vec<Scored>,
}

impl Collector for AllScored {
    type Fruit = Vec<Scored>;
    type Child = AllScoredSegment;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<AllScoredSegment> {
        let published = reader.fast_fields().date(&self.published).ok();
        Ok(AllScoredSegment {
            segment,
            published,
            found: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, fruits: Vec<Vec<Scored>>) -> tantivy::Result<Vec<Scored>> {
        Ok(fruits.into_iter().flatten().collect())
    }
}

impl SegmentCollector for AllScoredSegment {
    type Fruit = Vec<Scored>;

    fn collect(&mut self, doc: DocId, score: Score) {
        let published = self
            .published
            .as_ref()
            .and_then(|c| c.first(doc))
            .map(|d| d.into_timestamp_secs());
        self.found.push(Scored {
            score,
            address: DocAddress::new(self.segment, doc),
            published,
        });
    }

    fn harvest(self) -> Vec<Scored> {
        self.found
    }
}

/// Collects every matching passage with its article id (no scores): the sets that
/// analyses over several queries compare.
pub(crate) struct WithArticle {
    /// Name of the article id fast field.
    pub article_id: String,
}

pub(crate) struct WithArticleSegment {
    segment: SegmentOrdinal,
    article_id: Option<StrColumn>,
    /// Each match with its article's term ordinal, resolved to ids at harvest.
    found: Vec<(DocId, u64)>,
}

/// The ordinal of "no article id" (a passage always has one; kept total for safety).
pub(crate) const NO_ORD: u64 = u64::MAX;

/// The article id term ordinal of `doc` in `col`, or [`NO_ORD`].
pub(crate) fn first_ord(col: Option<&StrColumn>, doc: DocId) -> u64 {
    col.and_then(|c| c.term_ords(doc).next()).unwrap_or(NO_ORD)
}

/// The strings of a segment's term ordinals, read in one pass over the column's
/// dictionary. Resolving each document's ordinal as it is collected decompresses a
/// dictionary block per document, which was most of the time of a timeline or a batch.
pub(crate) struct OrdNames {
    ords: Vec<u64>,
    names: Vec<String>,
}

impl OrdNames {
    /// Resolves every ordinal of `ords` (any order, repeats and [`NO_ORD`] allowed).
    pub(crate) fn resolve(col: Option<&StrColumn>, ords: impl Iterator<Item = u64>) -> OrdNames {
        let mut sorted: Vec<u64> = ords.filter(|&o| o != NO_ORD).collect();
        sorted.sort_unstable();
        sorted.dedup();
        let mut names = Vec::with_capacity(sorted.len());
        if let Some(col) = col {
            let found = col.dictionary().sorted_ords_to_term_cb(&sorted, |bytes| {
                names.push(String::from_utf8_lossy(bytes).into_owned())
            });
            if !matches!(found, Ok(true)) {
                // A damaged dictionary: fall back to one lookup per ordinal.
                names.clear();
                for &ord in &sorted {
                    let mut name = String::new();
                    let _ = col.ord_to_str(ord, &mut name);
                    names.push(name);
                }
            }
        }
        names.resize(sorted.len(), String::new());
        OrdNames {
            ords: sorted,
            names,
        }
    }

    /// The string of `ord` ("" for [`NO_ORD`] or an ordinal not resolved).
    pub(crate) fn get(&self, ord: u64) -> &str {
        self.ords
            .binary_search(&ord)
            .map_or("", |i| self.names[i].as_str())
    }
}

impl Collector for WithArticle {
    type Fruit = Vec<(DocAddress, String)>;
    type Child = WithArticleSegment;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<WithArticleSegment> {
        Ok(WithArticleSegment {
            segment,
            article_id: reader.fast_fields().str(&self.article_id)?,
            found: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(
        &self,
        fruits: Vec<Vec<(DocAddress, String)>>,
    ) -> tantivy::Result<Vec<(DocAddress, String)>> {
        Ok(fruits.into_iter().flatten().collect())
    }
}

impl SegmentCollector for WithArticleSegment {
    type Fruit = Vec<(DocAddress, String)>;

    fn collect(&mut self, doc: DocId, _: Score) {
        let ord = first_ord(self.article_id.as_ref(), doc);
        self.found.push((doc, ord));
    }

    fn harvest(self) -> Vec<(DocAddress, String)> {
        let names = OrdNames::resolve(
            self.article_id.as_ref(),
            self.found.iter().map(|&(_, ord)| ord),
        );
        self.found
            .into_iter()
            .map(|(doc, ord)| {
                let address = DocAddress::new(self.segment, doc);
                (address, names.get(ord).to_string())
            })
            .collect()
    }
}

/// Orders matches by their primary key only: by score, or newest first with undated last
/// (then by score); what remains equal is left in index order, for [`Ties::sort`] to settle.
pub(crate) fn sort(matches: &mut [Scored], order: SortOrder) {
    let by_score = |a: &Scored, b: &Scored| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| a.address.cmp(&b.address))
    };
    match order {
        SortOrder::Score => matches.sort_by(by_score),
        SortOrder::Date => matches.sort_by(|a, b| {
            // `None < Some`, so comparing b to a puts the undated last.
            b.published.cmp(&a.published).then_with(|| by_score(a, b))
        }),
    }
}

/// Whether `a` and `b` tie under `order`: the same score (and, by date, the same date).
fn tie(a: &Scored, b: &Scored, order: SortOrder) -> bool {
    a.score.total_cmp(&b.score).is_eq() && (order == SortOrder::Score || a.published == b.published)
}

/// The runs of ties of sorted `matches` (more than one match each) that start before
/// `keep`.
fn tie_runs(matches: &[Scored], order: SortOrder, keep: usize) -> Vec<Range<usize>> {
    let mut runs = Vec::new();
    let mut start = 0;
    while start < keep.min(matches.len()) {
        let mut end = start + 1;
        while end < matches.len() && tie(&matches[start], &matches[end], order) {
            end += 1;
        }
        if end - start > 1 {
            runs.push(start..end);
        }
        start = end;
    }
    runs
}

/// Settles ties: matches that rank equal (the same score; by date, the same date and
/// score) are ordered by article id (bytes), then passage number, read from the fast
/// fields. This order does not depend on how documents are laid out in segments, so
/// an index and the same passages spread over other segments answer alike.
pub(crate) struct Ties<'s> {
    pub searcher: &'s Searcher,
    /// Name of the article id fast field.
    pub article_id: &'s str,
    /// Name of the passage number fast field.
    pub passage: &'s str,
}

/// One match in a run of ties: its article's term ordinal in its segment and its
/// passage number; `kept` is false for one that falls past the matches wanted.
struct Member {
    ord: u64,
    passage: u64,
    kept: bool,
}

impl Ties<'_> {
    /// Sorts `matches` by `order`, ties by article id then passage. Only the first `keep`
    /// matches are sure to be in their place: keys are read only for matches in a run
    /// of ties that starts before `keep`, and of a run that crosses `keep`, only the
    /// article ids of the matches that can come before it are read.
    pub(crate) fn sort(
        &self,
        matches: &mut [Scored],
        order: SortOrder,
        keep: usize,
    ) -> tantivy::Result<()> {
        sort(matches, order);
        let keep = keep.min(matches.len());
        let runs = tie_runs(matches, order, keep);
        if runs.is_empty() {
            return Ok(());
        }
        let mut columns: HashMap<SegmentOrdinal, (Option<StrColumn>, Option<Column<u64>>)> =
            HashMap::new();
        let mut members = Vec::with_capacity(runs.iter().map(|r| r.len()).sum());
        for run in &runs {
            for m in &matches[run.clone()] {
                let seg = m.address.segment_ord;
                let (ids, passages) = match columns.entry(seg) {
                    Entry::Occupied(e) => e.into_mut(),
                    Entry::Vacant(e) => {
                        let fast = self.searcher.segment_reader(seg).fast_fields();
                        e.insert((fast.str(self.article_id)?, fast.u64(self.passage).ok()))
                    }
                };
                let doc = m.address.doc_id;
                members.push(Member {
                    ord: first_ord(ids.as_ref(), doc),
                    passage: passages.as_ref().and_then(|c| c.first(doc)).unwrap_or(0),
                    kept: true,
                });
            }
        }
        // A run that crosses `keep` (a page's last places): within a segment, term
        // ordinals are in article id order, so each segment's first `need` matches by
        // (ordinal, passage) are all that can take those places.
        let last = runs.last().expect("runs is not empty");
        if last.end > keep {
            let need = keep - last.start;
            let base = members.len() - last.len();
            let mut by_segment: HashMap<SegmentOrdinal, Vec<usize>> = HashMap::new();
            for (i, m) in matches[last.clone()].iter().enumerate() {
                by_segment
                    .entry(m.address.segment_ord)
                    .or_default()
                    .push(base + i);
            }
            for (_, mut indices) in by_segment {
                if indices.len() > need {
                    let key = |&i: &usize| (members[i].ord, members[i].passage, i);
                    indices.select_nth_unstable_by_key(need, key);
                    for &i in &indices[need..] {
                        members[i].kept = false;
                    }
                }
            }
        }
        // The article ids, one pass over each segment's dictionary.
        let mut ords: HashMap<SegmentOrdinal, Vec<u64>> = HashMap::new();
        let mut at = 0;
        for run in &runs {
            for (m, member) in matches[run.clone()].iter().zip(&members[at..]) {
                if member.kept {
                    ords.entry(m.address.segment_ord)
                        .or_default()
                        .push(member.ord);
                }
            }
            at += run.len();
        }
        // In one segment, term ordinals are in article id order: they compare as the ids
        // do, with no dictionary read (a single-segment index, the usual case).
        let one_segment = ords.len() <= 1;
        let names: HashMap<SegmentOrdinal, OrdNames> = ords
            .into_iter()
            .filter(|_| !one_segment)
            .map(|(seg, ords)| {
                let ids = columns[&seg].0.as_ref();
                (seg, OrdNames::resolve(ids, ords.into_iter()))
            })
            .collect();
        let mut at = 0;
        for run in runs {
            let len = run.len();
            let run_members = &members[at..at + len];
            at += len;
            let mut keyed: Vec<(bool, u64, &str, u64, Scored)> = matches[run.clone()]
                .iter()
                .zip(run_members)
                .map(|(m, member)| {
                    let id = match names.get(&m.address.segment_ord) {
                        Some(names) if member.kept => names.get(member.ord),
                        _ => "",
                    };
                    let ord = if one_segment { member.ord } else { 0 };
                    (!member.kept, ord, id, member.passage, *m)
                })
                .collect();
            keyed.sort_by(|a, b| {
                (a.0, a.1, a.2, a.3, a.4.address).cmp(&(b.0, b.1, b.2, b.3, b.4.address))
            });
            for (slot, (_, _, _, _, m)) in matches[run].iter_mut().zip(keyed) {
                *slot = m;
            }
        }
        Ok(())
    }
}

/// Collects every match scoring at least `score` (with its score; no date): the whole
/// of a run of ties that a page of hits cuts.
pub(crate) struct AtLeast {
    pub score: Score,
}

pub(crate) struct AtLeastSegment {
    segment: SegmentOrdinal,
    score: Score,
    found: Vec<Scored>,
}

impl Collector for AtLeast {
    type Fruit = Vec<Scored>;
    type Child = AtLeastSegment;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        _: &SegmentReader,
    ) -> tantivy::Result<AtLeastSegment> {
        Ok(AtLeastSegment {
            segment,
            score: self.score,
            found: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, fruits: Vec<Vec<Scored>>) -> tantivy::Result<Vec<Scored>> {
        Ok(fruits.into_iter().flatten().collect())
    }
}

impl SegmentCollector for AtLeastSegment {
    type Fruit = Vec<Scored>;

    fn collect(&mut self, doc: DocId, score: Score) {
        if score >= self.score {
            self.found.push(Scored {
                score,
                address: DocAddress::new(self.segment, doc),
                published: None,
            });
        }
    }

    fn harvest(self) -> Vec<Scored> {
        self.found
    }
}

/// Whether a range is whole calendar months, so month terms match it exactly.
pub(crate) fn month_aligned(range: DateRange) -> bool {
    let next = range.end.succ_opt();
    range.start.day() == 1 && next.is_none_or(|d| d.day() == 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn months_quarters_and_years_are_month_aligned_days_are_not() {
        assert!(month_aligned(DateRange {
            start: day(2025, 7, 1),
            end: day(2025, 7, 31)
        }));
        assert!(month_aligned(DateRange {
            start: day(2025, 7, 1),
            end: day(2025, 9, 30)
        }));
        assert!(month_aligned(DateRange {
            start: day(2024, 2, 1),
            end: day(2024, 2, 29)
        }));
        assert!(!month_aligned(DateRange {
            start: day(2025, 7, 4),
            end: day(2025, 7, 4)
        }));
        assert!(!month_aligned(DateRange {
            start: day(2025, 10, 13),
            end: day(2025, 10, 19)
        }));
    }

    #[test]
    #[allow(clippy::single_range_in_vec_init)]
    fn runs_of_ties_are_equal_scores_and_by_date_equal_dates_too() {
        let m = |score: f32, doc: u32, published: Option<i64>| Scored {
            score,
            address: DocAddress::new(0, doc),
            published,
        };
        let v = vec![
            m(3.0, 0, Some(10)),
            m(2.0, 1, Some(10)),
            m(2.0, 2, Some(10)),
            m(2.0, 3, None),
            m(1.0, 4, None),
            m(1.0, 5, None),
        ];
        assert_eq!(tie_runs(&v, SortOrder::Score, 6), [1..4, 4..6]);
        assert_eq!(tie_runs(&v, SortOrder::Date, 6), [1..3, 4..6]);
        // Only runs that start before `keep`, but each whole.
        assert_eq!(tie_runs(&v, SortOrder::Score, 2), [1..4]);
        assert!(tie_runs(&v, SortOrder::Score, 1).is_empty());
        assert_eq!(tie_runs(&v, SortOrder::Score, 99), [1..4, 4..6]);
    }

    #[test]
    fn date_order_puts_newest_first_and_undated_last() {
        let m = |score: f32, doc: u32, published: Option<i64>| Scored {
            score,
            address: DocAddress::new(0, doc),
            published,
        };
        let mut v = vec![
            m(1.0, 0, None),
            m(0.5, 1, Some(10)),
            m(2.0, 2, Some(20)),
            m(3.0, 3, Some(10)),
        ];
        sort(&mut v, SortOrder::Date);
        let docs: Vec<u32> = v.iter().map(|s| s.address.doc_id).collect();
        assert_eq!(docs, [2, 3, 1, 0]);
        sort(&mut v, SortOrder::Score);
        let docs: Vec<u32> = v.iter().map(|s| s.address.doc_id).collect();
        assert_eq!(docs, [3, 2, 0, 1]);
    }
}
