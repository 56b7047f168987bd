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
