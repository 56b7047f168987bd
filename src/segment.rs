//! Passage segmentation: an article body becomes the passages that are indexed and shown.
//!
//! Takes [`Article::body`](crate::model::Article::body) and gives [`Passage`]s with
//! `ordinal`, `start`, `end` and `text` filled (entities and dates are left to the
//! taggers). The work is split along the two questions it answers:
//! - `layout`: where do paragraphs end? Each line is a paragraph, unless the body is
//!   hard-wrapped, in which case lines are joined back;
//! - `chunk`: is a paragraph too long to be one passage? Then it is cut between
//!   sentences, found by [`sentences`] (public, for later stages too), into chunks of
//!   about 20-60 words.
//!
//! Invariants every passage keeps (and the tests check): `start < end`, the range has no
//! leading or trailing whitespace, `text.len() == end - start`, and `text` is
//! `body[start..end]` with each `\r` and `\n` replaced by a space, so an offset into `text`
//! is the same offset into the body. Passages are in body order, do not overlap and are
//! numbered from 0.

mod abbreviations;
mod chunk;
mod layout;
mod sentences;

pub use sentences::sentences;

use crate::model::Passage;

/// Splits an article body into passages, in body order.
///
/// Linear in the body's length; allocates the lines' measurements, the passages and
/// their texts, and for long paragraphs only, their sentences.
pub fn passages(body: &str) -> Vec<Passage> {
    let mut out = Vec::new();
    for paragraph in layout::paragraphs(body) {
        let text = &body[paragraph.clone()];
        chunk::split_paragraph(text, |range| {
            push_passage(
                &mut out,
                body,
                paragraph.start + range.start..paragraph.start + range.end,
            );
        });
    }
    out
}

/// Appends the passage at `range` of `body` (trimmed again, so whitespace the word
/// splitter does not know, such as a no-break space, never borders a passage).
fn push_passage(out: &mut Vec<Passage>, body: &str, range: std::ops::Range<usize>) {
    let raw = &body[range.clone()];
    let trimmed = raw.trim_start();
    let start = range.end - trimmed.len();
    let end = start + trimmed.trim_end().len();
    if start == end {
        return;
    }
    let slice = &body[start..end];
    // Line breaks inside a joined paragraph become spaces: one byte for one byte, so
    // offsets stay valid. Most passages have none and are copied as they are.
    let has_break = |b: u8| slice.as_bytes().contains(&b);
    let text = if has_break(b'\n') || has_break(b'\r') {
        slice.replace(['\n', '\r'], " ")
    } else {
        slice.to_owned()
    };
    out.push(Passage {
        ordinal: out.len() as u32,
        start,
        end,
        text,
        entities: Vec::new(),
        dates: Vec::new(),
    });
}

#[cfg(test)]
mod tests;
