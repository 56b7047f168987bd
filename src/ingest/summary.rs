//! What an ingest did: counts for the end-of-run summary and the problem list.

use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::Path;
use std::time::Duration;

use serde::Serialize;

use super::IngestEvents;
use crate::index::writer::Held;
use crate::model::DateOrigin;
use crate::process::ProcessedArticle;

/// A file that could not be indexed, or a warning about one.
#[derive(Clone, Debug, Serialize)]
pub struct FileProblem {
    pub path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    pub reason: String,
}

/// Counts of one ingest run.
#[derive(Debug, Default)]
pub struct IngestSummary {
    /// Files read and indexed in this run.
    pub files_read: u64,
    /// Files skipped because the index already holds them unchanged.
    pub unchanged: u64,
    pub articles_unchanged: u64,
    pub articles: u64,
    /// Articles with a title and no body, indexed as one passage, the title.
    pub headline_only: u64,
    pub passages: u64,
    /// Bytes of article body text indexed.
    pub body_bytes: u64,
    /// Files skipped by reason (unsupported format, documentation file, ...).
    pub skipped: BTreeMap<String, u64>,
    /// Files that could not be indexed.
    pub failed: Vec<FileProblem>,
    /// Records inside indexed files that could not be (a broken JSON line...), as listed
    /// by the readers (at most 100 a file; `records_lost` counts them all).
    pub lost: Vec<FileProblem>,
    /// Warnings about files that were indexed (or partly so).
    pub warnings: Vec<FileProblem>,
    /// Articles by where their publication date came from; `None` = unknown.
    pub date_origins: BTreeMap<Option<DateOrigin>, u64>,
    /// Records inside indexed files that could not be read (broken JSON lines...).
    pub records_lost: u64,
    /// Web archive records that are not articles (requests, redirects, images, ...), by
    /// reason; passed over without a warning each.
    pub records_passed: BTreeMap<&'static str, u64>,
    /// Files removed from the index because they vanished from the corpus.
    pub pruned: u64,
    /// Articles whose id another article of this run, or an article of another file in
    /// the index, also had: the index keeps one of the two (the rule is at `article_id`).
    pub duplicate_ids: u64,
    /// Whether the run was stopped before reading everything.
    pub interrupted: bool,
    pub elapsed: Duration,
    /// Distinct unknown-field sets already warned about.
    unknown_sets: HashSet<BTreeSet<String>>,
    /// Hashes of the article ids indexed in this run, each with the walk-order number of
    /// the file it came from (16 bytes an article, plus the table's slack).
    seen_ids: HashMap<u64, usize>,
}

/// What the writer does with an article, by its id (see [`IngestSummary::article_id`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum IdAction {
    /// No other copy of the id anywhere: add the article.
    Add,
    /// Delete every other copy of the id, then add the article.
    Replace,
    /// A later file of this run has the id: leave this article out.
    Skip,
}

/// Duplicate ids warned about one by one; the rest are only counted.
const DUPLICATE_ID_WARNINGS: u64 = 20;

impl IngestSummary {
    pub(crate) fn count_article(&mut self, processed: &ProcessedArticle, passages: usize) {
        self.articles += 1;
        self.headline_only += u64::from(processed.headline_only());
        self.passages += passages as u64;
        self.body_bytes += processed.article.body.len() as u64;
        *self
            .date_origins
            .entry(processed.article.published.map(|p| p.origin))
            .or_default() += 1;
    }

    /// A file that could not be indexed (whole).
    pub(crate) fn fail(
        &mut self,
        path: &Path,
        line: Option<usize>,
        reason: &str,
        events: &mut dyn IngestEvents,
    ) {
        let problem = report("error", path, line, reason, events);
        self.failed.push(problem);
    }

    /// A reader's warning about a file that was indexed (or partly so): an error when the
    /// record it names did not go in.
    pub(crate) fn warn_or_lose(
        &mut self,
        path: &Path,
        warning: crate::read::ReadWarning,
        events: &mut dyn IngestEvents,
    ) {
        if warning.lost {
            let problem = report("error", path, warning.line, &warning.message, events);
            self.lost.push(problem);
        } else {
            self.warn(path, warning.line, &warning.message, events);
        }
    }

    /// A problem in a file that was indexed (or partly so).
    pub(crate) fn warn(
        &mut self,
        path: &Path,
        line: Option<usize>,
        reason: &str,
        events: &mut dyn IngestEvents,
    ) {
        let problem = report("warning", path, line, reason, events);
        self.warnings.push(problem);
    }

    /// Warns once per distinct set of unknown fields over the whole run.
    pub(crate) fn unknown_fields(
        &mut self,
        path: &Path,
        fields: BTreeSet<String>,
        events: &mut dyn IngestEvents,
    ) {
        if fields.is_empty() || self.unknown_sets.contains(&fields) {
            return;
        }
        let list = fields
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>()
            .join(", ");
        self.unknown_sets.insert(fields);
        let reason = format!("ignored unknown fields: {list} (reported once per set of fields)");
        self.warn(path, None, &reason, events);
    }

    /// Notes the id of an article about to be indexed from `path`, the file `file_seq`
    /// in walk order, and says what to do with it. The index keeps one article per id,
    /// and the same one whichever worker finishes first: within a file the last copy,
    /// between files of this run the copy from the file latest in walk order (so this
    /// article is skipped when such a file brought the id already), and a new file's copy
    /// over one the index holds from another file (`held_from`, asked only for ids new to
    /// this run). Each case is a duplicate record, two corpora whose derived ids collide,
    /// or a file that moved; says so.
    pub(crate) fn article_id(
        &mut self,
        id: &str,
        path: &Path,
        file_seq: usize,
        held_from: impl FnOnce() -> Held,
        events: &mut dyn IngestEvents,
    ) -> IdAction {
        use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher};
        let hash = BuildHasherDefault::<DefaultHasher>::default().hash_one(id);
        let (action, mut reason) = match self.seen_ids.entry(hash) {
            Entry::Occupied(mut earlier) if *earlier.get() <= file_seq => {
                earlier.insert(file_seq);
                let reason = format!(
                    "article id {id:?} already came earlier in this ingest; this article \
                     replaces the earlier one"
                );
                (IdAction::Replace, reason)
            }
            Entry::Occupied(_) => {
                let reason = format!(
                    "article id {id:?} also comes in a file after this one in this ingest; \
                     that article is kept and this one skipped"
                );
                (IdAction::Skip, reason)
            }
            Entry::Vacant(new) => {
                new.insert(file_seq);
                let other = match held_from() {
                    Held::Nowhere => return IdAction::Add,
                    Held::Unknown => return IdAction::Replace,
                    Held::Elsewhere(other) => other,
                };
                let reason = format!(
                    "article id {id:?} is already in the index from {other}; this article \
                     replaces that one"
                );
                (IdAction::Replace, reason)
            }
        };
        self.duplicate_ids += 1;
        if self.duplicate_ids <= DUPLICATE_ID_WARNINGS {
            if self.duplicate_ids == DUPLICATE_ID_WARNINGS {
                reason.push_str(" (further duplicate ids are counted, not listed)");
            }
            self.warn(path, None, &reason, events);
        }
        action
    }

    /// Whether everything the corpus holds went in: no file failed, no record was lost.
    pub fn complete(&self) -> bool {
        self.failed.is_empty() && self.records_lost == 0
    }
}

/// Tells the user about a problem (`error: path:line: reason`) and gives it back.
fn report(
    kind: &str,
    path: &Path,
    line: Option<usize>,
    reason: &str,
    events: &mut dyn IngestEvents,
) -> FileProblem {
    let problem = FileProblem {
        path: path.display().to_string(),
        line,
        reason: reason.to_string(),
    };
    let message = format!("{kind}: {}", describe(&problem));
    if kind == "error" {
        events.error(&message);
    } else {
        events.warn(&message);
    }
    problem
}

/// `path:line: reason`, the shape compilers and grep use.
pub fn describe(p: &FileProblem) -> String {
    match p.line {
        Some(line) => format!("{}:{}: {}", p.path, line, p.reason),
        None => format!("{}: {}", p.path, p.reason),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Keeps the warnings an ingest would print.
    #[derive(Default)]
    struct Warnings(Vec<String>);

    impl IngestEvents for Warnings {
        fn start(&mut self, _: u64, _: u64) {}
        fn file_done(&mut self, _: u64) {}
        fn warn(&mut self, message: &str) {
            self.0.push(message.to_string());
        }
        fn committed(&mut self, _: bool) {}
    }

    #[test]
    fn only_an_id_no_one_else_has_is_added_without_deleting() {
        let (mut summary, mut events) = (IngestSummary::default(), Warnings::default());
        let mut action = |id: &str, file_seq: usize, held: Held| {
            summary.article_id(id, Path::new("f"), file_seq, || held, &mut events)
        };
        assert_eq!(action("a", 1, Held::Nowhere), IdAction::Add);
        // A lookup that could not answer deletes to be safe, silently.
        assert_eq!(action("b", 1, Held::Unknown), IdAction::Replace);
        assert_eq!(
            action("c", 1, Held::Elsewhere("old/c.txt".into())),
            IdAction::Replace
        );
        // Again in the same file or a later one: replaces; from an earlier file: skipped.
        assert_eq!(action("a", 1, Held::Nowhere), IdAction::Replace);
        assert_eq!(action("a", 2, Held::Nowhere), IdAction::Replace);
        assert_eq!(action("a", 0, Held::Nowhere), IdAction::Skip);
        assert_eq!(summary.duplicate_ids, 4);
        assert_eq!(events.0.len(), 4, "{:?}", events.0);
        assert!(events.0[0].contains("already in the index from old/c.txt"));
    }
}
