//! Keyword in context (a concordance): one line per occurrence of a word or phrase of the
//! query in the matching passages, with the words to its left and right.
//!
//! Takes [`Hit`]s whose [`Hit::matches`] were found (`QueryConfig::occurrences`), gives
//! [`KwicLine`]s: the match, and its left and right contexts cut to a width in characters
//! and/or at the sentence around it, whitespace runs shown as one space. Lines can be
//! ordered as AntConc orders them: by the match, or by the words nearest it on the left
//! (1L, 2L, ...) or right (1R, 2R, ...).

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::search::Hit;
use crate::segment;

/// How contexts are cut.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window {
    /// At most this many characters each side; `None` with `sentence`: the whole
    /// sentence.
    pub width: Option<usize>,
    /// Contexts stop at the sentence holding the match.
    pub sentence: bool,
}

/// The order of concordance lines.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum KwicSort {
    /// The hits' rank order, occurrences in text order within a passage.
    #[default]
    Rank,
    /// By the match (lowercased), then the words to its right.
    Match,
    /// By the words to the left, nearest first.
    Left,
    /// By the words to the right, nearest first.
    Right,
}

/// One occurrence and its contexts, with its passage's metadata.
#[derive(Clone, Debug, Serialize)]
pub struct KwicLine {
    /// Rank of the passage among the hits.
    pub rank: usize,
    pub article_id: String,
    pub passage: u64,
    /// Byte range of the match in the passage text.
    pub start: usize,
    pub end: usize,
    pub left: String,
    #[serde(rename = "match")]
    pub matched: String,
    pub right: String,
    pub score: f32,
    pub title: String,
    pub source: Option<String>,
    pub url: Option<String>,
    pub path: String,
    #[serde(serialize_with = "crate::search::serialize_published")]
    pub published: Option<DateTime<Utc>>,
}

/// The concordance lines of one hit (of rank `rank`), in text order.
pub fn lines(hit: &Hit, rank: usize, context: Window) -> Vec<KwicLine> {
    let text = hit.text.as_str();
    let sentences = if context.sentence {
        segment::sentences(text)
    } else {
        Vec::new()
    };
    hit.matches
        .iter()
        .map(|m| {
            // The sentence holding the match's start, and the one holding its end (a
            // phrase match may cross a sentence boundary).
            let (from, to) = if context.sentence {
                let first = sentences.iter().find(|s| s.end > m.start);
                let last = sentences.iter().rev().find(|s| s.start < m.end);
                (
                    first.map_or(0, |s| s.start.min(m.start)),
                    last.map_or(text.len(), |s| s.end.max(m.end)),
                )
            } else {
                (0, text.len())
            };
            // Only what the width can show is squeezed (a long passage with many matches
            // would otherwise be copied once per match): `width` chars need at most 4
            // bytes each, plus slack for whitespace runs squeezed to one.
            let (from, to) = match context.width {
                Some(w) => {
                    let reach = w.saturating_mul(8).saturating_add(16);
                    (
                        ceil_char_boundary(text, from.max(m.start.saturating_sub(reach))),
                        floor_char_boundary(text, to.min(m.end.saturating_add(reach))),
                    )
                }
                None => (from, to),
            };
            let mut left = squeeze(&text[from..m.start]);
            let mut right = squeeze(&text[m.end..to]);
            if let Some(w) = context.width {
                left = last_chars(&left, w);
                right = first_chars(&right, w);
            }
            KwicLine {
                rank,
                article_id: hit.article_id.clone(),
                passage: hit.passage,
                start: m.start,
                end: m.end,
                left,
                matched: squeeze(&text[m.start..m.end]),
                right,
                score: hit.score,
                title: hit.title.clone(),
                source: hit.source.clone(),
                url: hit.url.clone(),
                path: hit.path.clone(),
                published: hit.published,
            }
        })
        .collect()
}

/// Orders `lines` by `sort`; ties keep their order (rank order, text order).
pub fn sort(lines: &mut [KwicLine], sort: KwicSort) {
    let key = |line: &KwicLine| -> Vec<String> {
        match sort {
            KwicSort::Rank => Vec::new(),
            KwicSort::Match => std::iter::once(line.matched.to_lowercase())
                .chain(words(&line.right))
                .collect(),
            KwicSort::Left => {
                let mut w = words(&line.left).collect::<Vec<_>>();
                w.reverse();
                w
            }
            KwicSort::Right => words(&line.right).collect(),
        }
    };
    if sort != KwicSort::Rank {
        // Stable: ties keep rank and text order.
        lines.sort_by_cached_key(key);
    }
}

/// The words of a context, lowercased, without the punctuation around them.
fn words(context: &str) -> impl Iterator<Item = String> + '_ {
    context
        .split_whitespace()
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
        .filter(|w| !w.is_empty())
}

/// `text` with every run of whitespace (line breaks too) shown as one space.
fn squeeze(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            space = true;
        } else {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(c);
        }
    }
    // A context keeps the space that separates it from the match.
    if space {
        out.push(' ');
    }
    if text.starts_with(char::is_whitespace) && !out.starts_with(' ') {
        out.insert(0, ' ');
    }
    out
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_char_boundary(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i += 1;
    }
    i
}

fn last_chars(s: &str, n: usize) -> String {
    let count = s.chars().count();
    s.chars().skip(count.saturating_sub(n)).collect()
}

fn first_chars(s: &str, n: usize) -> String {
    s.chars().take(n).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::Span;

    fn hit(text: &str, matches: &[(usize, usize)]) -> Hit {
        Hit {
            article_id: "a".into(),
            passage: 3,
            start: 0,
            end: text.len() as u64,
            score: 1.0,
            title: "t".into(),
            source: None,
            url: None,
            path: "p".into(),
            published: None,
            crawled: None,
            text: text.into(),
            highlights: Vec::new(),
            matches: matches
                .iter()
                .map(|&(start, end)| Span { start, end })
                .collect(),
            entities: Vec::new(),
            dates: Vec::new(),
            group: "a".into(),
            copies: 1,
        }
    }

    #[test]
    fn contexts_are_cut_to_width_and_whitespace_squeezed() {
        let text = "First  line.\nOil prices rose again\tin March. Then they fell.";
        let at = text.find("Oil prices").unwrap();
        let h = hit(text, &[(at, at + 10)]);
        let wide = lines(
            &h,
            1,
            Window {
                width: Some(100),
                sentence: false,
            },
        );
        assert_eq!(wide[0].left, "First line. ");
        assert_eq!(wide[0].matched, "Oil prices");
        assert_eq!(wide[0].right, " rose again in March. Then they fell.");
        assert_eq!((wide[0].start, wide[0].end), (at, at + 10));
        let narrow = lines(
            &h,
            1,
            Window {
                width: Some(6),
                sentence: false,
            },
        );
        assert_eq!(
            (narrow[0].left.as_str(), narrow[0].right.as_str()),
            ("line. ", " rose ")
        );
        let sentence = lines(
            &h,
            1,
            Window {
                width: None,
                sentence: true,
            },
        );
        assert_eq!(sentence[0].left, "");
        assert_eq!(sentence[0].right, " rose again in March.");
    }

    #[test]
    fn wide_characters_are_cut_on_their_boundaries() {
        let text = format!("{} oil {}", "é".repeat(100), "ü".repeat(100));
        let at = text.find("oil").unwrap();
        for w in [1, 5, 30] {
            let l = lines(
                &hit(&text, &[(at, at + 3)]),
                1,
                Window {
                    width: Some(w),
                    sentence: false,
                },
            );
            assert_eq!(l[0].left.chars().count(), w);
            assert_eq!(l[0].right.chars().count(), w);
            assert!(l[0].left.ends_with(' ') && l[0].right.starts_with(' '));
        }
    }

    #[test]
    fn sorts_by_the_nearest_words() {
        let text = "b x KEY c a; a y KEY a c; c z KEY b b";
        let spans: Vec<(usize, usize)> = text
            .match_indices("KEY")
            .map(|(i, m)| (i, i + m.len()))
            .collect();
        let h = hit(text, &spans);
        let ctx = Window {
            width: Some(4),
            sentence: false,
        };
        let order = |s: KwicSort| {
            let mut l = lines(&h, 1, ctx);
            sort(&mut l, s);
            l.iter().map(|l| l.start).collect::<Vec<_>>()
        };
        let (k1, k2, k3) = (spans[0].0, spans[1].0, spans[2].0);
        assert_eq!(order(KwicSort::Rank), [k1, k2, k3]);
        // 1L: x, y, z.
        assert_eq!(order(KwicSort::Left), [k1, k2, k3]);
        // 1R: c, a, b.
        assert_eq!(order(KwicSort::Right), [k2, k3, k1]);
        // Same match: by 1R.
        assert_eq!(order(KwicSort::Match), [k2, k3, k1]);
    }
}
