//! From a read article to indexable passages: publication date, segmentation, tagging.
//!
//! Takes an [`Article`] as a reader produced it, gives a [`ProcessedArticle`]: the article
//! with its publication date resolved, its passages carrying entities and dates, and the
//! sketch of its body for near-duplicate grouping. Pure
//! and index-free, so the ingest workers run it in parallel and `gazette tag` shares it.

use chrono::NaiveDate;

use crate::dedup::Sketch;
use crate::model::{Article, DateMention, DateOrigin, EntityMention, Passage, Published};
use crate::{ner, segment, timex};

/// An article ready to be indexed.
#[derive(Clone, Debug)]
pub struct ProcessedArticle {
    pub article: Article,
    pub passages: Vec<Passage>,
    /// What near-duplicate grouping knows of the body (made here, on the workers).
    pub sketch: Sketch,
}

impl ProcessedArticle {
    /// A headline with no body text (a wire brief): indexed as one passage, its title.
    pub fn headline_only(&self) -> bool {
        self.article.body.is_empty() && !self.passages.is_empty()
    }
}

/// How many bytes of the body a dateline may be found in.
const DATELINE_WINDOW: usize = 400;

/// Resolves the publication date: metadata, else the path (the URL for a crawled page),
/// else a dateline; else none. Never the crawl date.
pub fn resolve_published(article: &Article) -> Option<Published> {
    resolve(article).map(|(published, _)| published)
}

/// The publication date and the day relative dates resolve against: the day as the
/// source wrote it (a late-evening `+03:00` time is that day, not the previous UTC one).
fn resolve(article: &Article) -> Option<(Published, NaiveDate)> {
    let raw = article.published_raw.as_deref();
    if let Some((at, written)) = raw.and_then(timex::parse_published_with_day) {
        let origin = DateOrigin::Metadata;
        return Some((Published { at, origin }, written));
    }
    // A page from a web archive is dated by its URL, as a saved page is by its path: the
    // archive's file name holds the crawl's date, not the page's.
    let dated_path = match article.crawled {
        Some(_) => article.url.as_deref().unwrap_or(""),
        None => &article.path,
    };
    let found = timex::from_path(dated_path)
        .map(|d| (d, DateOrigin::Path))
        .or_else(|| {
            let opening = floor_char_boundary(&article.body, DATELINE_WINDOW);
            timex::from_dateline(&article.body[..opening], None).map(|d| (d, DateOrigin::Dateline))
        })?;
    let (day, origin) = found;
    let at = day.and_hms_opt(0, 0, 0)?.and_utc();
    Some((Published { at, origin }, day))
}

/// Resolves the date, splits the body into passages and tags each passage. Entity names
/// are made canonical across the whole article ("Putin" after "Vladimir Putin").
pub fn process(mut article: Article, tagger: &ner::Tagger) -> ProcessedArticle {
    let resolved = resolve(&article);
    article.published = resolved.map(|(published, _)| published);
    let anchor = resolved.map(|(_, day)| day);
    let mut passages = segment::passages(&article.body);
    if passages.is_empty() {
        // No body text: a headline-only article, whose title is its one passage (none
        // when it has no title either, and then it is not indexed).
        article.body.clear();
        passages.extend(headline_passage(&article.title));
    }
    // Dates across the article, so "a year earlier" can refer to an earlier passage.
    let dates = timex::extract_article(passages.iter().map(|p| p.text.as_str()), anchor);
    // Entities across the article too: a name's earlier mentions inform later ones.
    let entities = tagger.tag_parts(passages.iter().map(|p| p.text.as_str()));
    let mut mentions: Vec<(usize, EntityMention)> = Vec::new();
    for (i, ((passage, dates), found)) in passages.iter_mut().zip(dates).zip(entities).enumerate() {
        // "non-OPEC" is not OPEC: negated forms are not entities.
        mentions.extend(
            found
                .into_iter()
                .filter(|m| !ner::is_negated(&m.text))
                .map(|m| (i, m)),
        );
        passage.dates = dates;
    }
    let (owners, mut flat): (Vec<usize>, Vec<EntityMention>) = mentions.into_iter().unzip();
    ner::canonicalize(&mut flat);
    for (i, mention) in owners.into_iter().zip(flat) {
        passages[i].entities.push(mention);
    }
    let sketch = Sketch::of(&article.body);
    ProcessedArticle {
        article,
        passages,
        sketch,
    }
}

/// The title as the one passage of a headline-only article; its range is in the title.
fn headline_passage(title: &str) -> Option<Passage> {
    let trimmed = title.trim_start();
    let start = title.len() - trimmed.len();
    let end = start + trimmed.trim_end().len();
    (start < end).then(|| Passage {
        ordinal: 0,
        start,
        end,
        // Same length, so tag offsets stay valid in the stored text.
        text: title[start..end].replace(['\n', '\r'], " "),
        entities: Vec::new(),
        dates: Vec::new(),
    })
}

/// Tags one free-standing text, as `gazette tag` does: entities (canonical within the
/// text) and dates anchored at `published`.
pub fn tag_text(
    text: &str,
    published: Option<NaiveDate>,
    tagger: &ner::Tagger,
) -> (Vec<EntityMention>, Vec<DateMention>) {
    let mut entities = tagger.tag(text);
    entities.retain(|m| !ner::is_negated(&m.text));
    ner::canonicalize(&mut entities);
    (entities, timex::extract(text, published))
}

/// The largest index `<= max` that is a char boundary of `s`.
pub(crate) fn floor_char_boundary(s: &str, max: usize) -> usize {
    if max >= s.len() {
        return s.len();
    }
    (0..=max)
        .rev()
        .find(|&i| s.is_char_boundary(i))
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metadata_date_wins_and_records_its_origin() {
        let article = Article {
            published_raw: Some("2025-10-15".into()),
            body: "Text.".into(),
            ..Default::default()
        };
        let p = resolve_published(&article).unwrap();
        assert_eq!(p.origin, DateOrigin::Metadata);
        assert_eq!(
            p.at.date_naive(),
            NaiveDate::from_ymd_opt(2025, 10, 15).unwrap()
        );
    }

    #[test]
    fn a_headline_only_article_is_its_title_as_one_tagged_passage() {
        let article = Article {
            title: "Chrysler Corp to pay dividend on April 15".into(),
            published_raw: Some("27-MAR-1987 00:02:59.13&#5;&#5;&#5;RM".into()),
            ..Default::default()
        };
        let processed = process(article, ner::Tagger::builtin());
        assert!(processed.headline_only());
        let [passage] = processed.passages.as_slice() else {
            panic!("{:?}", processed.passages)
        };
        assert_eq!(passage.text, "Chrysler Corp to pay dividend on April 15");
        assert_eq!((passage.start, passage.end), (0, passage.text.len()));
        let values: Vec<_> = passage.dates.iter().map(|d| d.value.as_str()).collect();
        assert_eq!(values, ["1987-04-15"]);
        assert!(
            passage.entities.iter().any(|e| e.text.contains("Chrysler")),
            "{:?}",
            passage.entities
        );
        // With neither title nor body there is nothing to index.
        let blank = process(
            Article {
                title: " ".into(),
                body: "\n\n".into(),
                ..Default::default()
            },
            ner::Tagger::builtin(),
        );
        assert!(blank.passages.is_empty() && !blank.headline_only());
        // A body, however short, is indexed as a body.
        let brief = process(
            Article {
                title: "Oil".into(),
                body: "Prices rose.".into(),
                ..Default::default()
            },
            ner::Tagger::builtin(),
        );
        assert!(!brief.headline_only());
        assert_eq!(brief.passages[0].text, "Prices rose.");
    }

    #[test]
    fn floor_char_boundary_never_splits_a_char() {
        let s = "a£b";
        assert_eq!(floor_char_boundary(s, 2), 1);
        assert_eq!(floor_char_boundary(s, 3), 3);
        assert_eq!(floor_char_boundary(s, 10), s.len());
    }
}
