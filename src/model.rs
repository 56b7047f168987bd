//! The plain structs the pipeline stages hand each other.
//!
//! Readers produce [`Article`]s, segmentation turns them into [`Passage`]s, the taggers
//! attach [`EntityMention`]s and [`DateMention`]s, and search returns them again inside
//! hits. Nothing here knows about tantivy, so every stage can be tested without an index.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// One news article as read from the corpus, before segmentation. Serialized (without
/// its resolved publication date) between the stages of a staged ingest.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Article {
    /// Stable id: the article's own id field, else derived from its path relative to the
    /// ingest root (plus `:LINE` for JSON lines).
    pub id: String,
    /// Headline; may be empty when the source has none.
    pub title: String,
    /// Body text. Passage byte ranges point into this string. Empty for a headline-only
    /// article (a title and no body), which is indexed as its title.
    pub body: String,
    /// The publication date as written in the source metadata, not yet parsed.
    pub published_raw: Option<String>,
    /// Resolved publication date (filled by the dates stage, not by readers).
    #[serde(skip)]
    pub published: Option<Published>,
    /// When a web crawler fetched the page (a WARC record's `WARC-Date`); never a
    /// publication date. `None` for articles that did not come from a web archive.
    pub crawled: Option<DateTime<Utc>>,
    /// Publisher or outlet.
    pub source: Option<String>,
    pub url: Option<String>,
    pub author: Option<String>,
    pub language: Option<String>,
    /// Path of the file the article came from, as given to ingest (display and re-reading).
    pub path: String,
}

/// A publication date and where it came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Published {
    pub at: DateTime<Utc>,
    pub origin: DateOrigin,
}

/// Where an article's publication date was found, in order of trust.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DateOrigin {
    /// Front matter, JSON field or HTML meta tag.
    Metadata,
    /// A date in the file path (`2025/10/15/`, `2025-10-15-slug.txt`).
    Path,
    /// A dateline in the opening lines of the text.
    Dateline,
}

impl DateOrigin {
    pub fn as_str(self) -> &'static str {
        match self {
            DateOrigin::Metadata => "metadata",
            DateOrigin::Path => "path",
            DateOrigin::Dateline => "dateline",
        }
    }
}

/// One searchable unit: a paragraph, or part of a long one.
#[derive(Clone, Debug, PartialEq)]
pub struct Passage {
    /// 0-based position of the passage in its article.
    pub ordinal: u32,
    /// Byte range of the passage in [`Article::body`]. `text` is that range, except that
    /// line breaks inside a hard-wrapped paragraph are folded to spaces (same length).
    /// A headline-only article (empty body) has one passage, its title: the range is then
    /// in [`Article::title`].
    pub start: usize,
    pub end: usize,
    pub text: String,
    /// Entities whose span lies in this passage; offsets relative to `text`.
    pub entities: Vec<EntityMention>,
    /// Time expressions in this passage; offsets relative to `text`.
    pub dates: Vec<DateMention>,
}

/// The CoNLL-2003 entity types.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum EntityKind {
    #[serde(rename = "PER")]
    Person,
    #[serde(rename = "ORG")]
    Organisation,
    #[serde(rename = "LOC")]
    Location,
    #[serde(rename = "MISC")]
    Misc,
}

impl EntityKind {
    pub const ALL: [EntityKind; 4] = [
        EntityKind::Person,
        EntityKind::Organisation,
        EntityKind::Location,
        EntityKind::Misc,
    ];

    /// The CoNLL tag: `PER`, `ORG`, `LOC`, `MISC`.
    pub fn tag(self) -> &'static str {
        match self {
            EntityKind::Person => "PER",
            EntityKind::Organisation => "ORG",
            EntityKind::Location => "LOC",
            EntityKind::Misc => "MISC",
        }
    }

    /// The index field and query prefix: `person`, `org`, `loc`, `misc`.
    pub fn field_name(self) -> &'static str {
        match self {
            EntityKind::Person => "person",
            EntityKind::Organisation => "org",
            EntityKind::Location => "loc",
            EntityKind::Misc => "misc",
        }
    }

    pub fn from_tag(tag: &str) -> Option<EntityKind> {
        match tag {
            "PER" => Some(EntityKind::Person),
            "ORG" => Some(EntityKind::Organisation),
            "LOC" => Some(EntityKind::Location),
            "MISC" => Some(EntityKind::Misc),
            _ => None,
        }
    }
}

/// A named entity found in a text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EntityMention {
    /// Byte range in the text that was tagged.
    pub start: usize,
    pub end: usize,
    /// The surface text, exactly `text[start..end]`.
    pub text: String,
    #[serde(rename = "type")]
    pub kind: EntityKind,
    /// The canonical name within the article ("Putin" -> "Vladimir Putin").
    pub canonical: String,
}

/// A time expression found in a text, normalised TIMEX3-style.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DateMention {
    /// Byte range in the text that was tagged.
    pub start: usize,
    pub end: usize,
    pub text: String,
    /// TIMEX3-style value: `2025-10-15`, `2025-10`, `2025`, `2025-W42`, `2025-Q3`, or a
    /// partial value such as `XXXX-07` when it could not be anchored.
    pub value: String,
    /// The days the expression covers, when it could be resolved: first day inclusive,
    /// last day inclusive.
    pub range: Option<DateRange>,
}

/// An inclusive range of calendar days.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DateRange {
    pub start: NaiveDate,
    pub end: NaiveDate,
}

impl DateRange {
    /// Whether two inclusive ranges share at least one day.
    pub fn overlaps(&self, other: &DateRange) -> bool {
        self.start <= other.end && other.start <= self.end
    }
}
