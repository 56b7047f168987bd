//! Collecting every match with its score and date, for `--all` and `--sort date`, or
//! with its article, for analyses over several queries.

use chrono::Datelike;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::index::SegmentReader;
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal};

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
    found: Vec<(DocAddress, String)>,
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
        let mut article = String::new();
        if let Some(col) = &self.article_id
            && let Some(ord) = col.term_ords(doc).next()
        {
            let _ = col.ord_to_str(ord, &mut article);
        }
        self.found
            .push((DocAddress::new(self.segment, doc), article));
    }

    fn harvest(self) -> Vec<(DocAddress, String)> {
        self.found
    }
}

/// Orders matches: by score (ties by index order), or newest first with undated last
/// (ties by score).
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
