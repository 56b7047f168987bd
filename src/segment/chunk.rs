//! Splitting long paragraphs into passages of a searchable size.
//!
//! Takes one paragraph's text and gives the byte ranges (relative to it, trimmed) of its
//! chunks. A paragraph of at most [`MAX_WORDS`] words is one chunk. A longer one is cut
//! between sentences into chunks of about [`MIN_WORDS`]..[`MAX_WORDS`] words, packed
//! greedily but aiming at an even size, so a 65-word paragraph gives two chunks of ~32
//! rather than 60 + 5. Passages of a few sentences make a hit point at what matched (a
//! long paragraph's best sentence would otherwise hide in the middle of a passage) and keep
//! BM25 from favouring long paragraphs; the floor is "split above ~120 words".
//! A sentence is cut inside only when it alone has more than
//! [`HUGE_SENTENCE_WORDS`] words (tables, run-on lists), and then at word boundaries.
//! Words are runs of non-whitespace (Unicode whitespace, as `str::split_whitespace`).

use std::ops::Range;

use super::sentences::for_each_sentence;

/// A chunk aims to have at most this many words.
pub(crate) const MAX_WORDS: usize = 60;
/// A chunk may exceed [`MAX_WORDS`] up to this to avoid leaving a fragment behind.
const SOFT_MAX_WORDS: usize = MAX_WORDS + MAX_WORDS / 5;
/// A chunk smaller than this takes the next sentence even past [`MAX_WORDS`].
pub(crate) const MIN_WORDS: usize = 20;
/// A sentence longer than this is cut at word boundaries.
pub(crate) const HUGE_SENTENCE_WORDS: usize = 250;

/// A sentence, or a piece of a huge one, with its word count.
#[derive(Clone, Debug)]
struct Unit {
    range: Range<usize>,
    words: usize,
}

/// Calls `emit` with the chunks of `paragraph` (a trimmed paragraph), in order.
pub(crate) fn split_paragraph(paragraph: &str, mut emit: impl FnMut(Range<usize>)) {
    let total = count_words(paragraph);
    if total <= MAX_WORDS {
        emit(0..paragraph.len());
        return;
    }
    let units = units(paragraph);
    let mut chunks: Vec<Unit> = Vec::new();
    let mut remaining = total;
    let mut next = 0;
    while next < units.len() {
        // Aim every chunk at an equal share of what is left.
        let target = remaining as f64 / remaining.div_ceil(MAX_WORDS).max(1) as f64;
        let mut chunk = units[next].clone();
        next += 1;
        while let Some(unit) = units.get(next) {
            let with = chunk.words + unit.words;
            let take = if with <= MAX_WORDS {
                chunk.words < MIN_WORDS || with as f64 - target <= target - chunk.words as f64
            } else {
                chunk.words < MIN_WORDS && with <= SOFT_MAX_WORDS
            };
            if !take {
                break;
            }
            chunk.range.end = unit.range.end;
            chunk.words = with;
            next += 1;
        }
        // Sentence word counts add up to `total` (sentences end at whitespace), but
        // saturate rather than trust that with a panic.
        remaining = remaining.saturating_sub(chunk.words);
        chunks.push(chunk);
    }
    // A fragment left at the end joins the chunk before it if that stays about MAX_WORDS.
    if let [.., before, last] = chunks.as_mut_slice()
        && last.words < MIN_WORDS
        && before.words + last.words <= SOFT_MAX_WORDS
    {
        before.range.end = last.range.end;
        before.words += last.words;
        chunks.pop();
    }
    for chunk in chunks {
        emit(chunk.range);
    }
}

/// The sentences of `paragraph`, huge ones cut into pieces of at most [`MAX_WORDS`].
fn units(paragraph: &str) -> Vec<Unit> {
    let mut units = Vec::new();
    for_each_sentence(paragraph, |range| {
        let words = count_words(&paragraph[range.clone()]);
        if words <= HUGE_SENTENCE_WORDS {
            units.push(Unit { range, words });
            return;
        }
        // Even pieces: 130 words give 3 pieces of ~44, not 60 + 60 + 10.
        let per_piece = words.div_ceil(words.div_ceil(MAX_WORDS));
        let mut piece: Option<Unit> = None;
        for word in word_ranges(&paragraph[range.clone()]) {
            let word = range.start + word.start..range.start + word.end;
            match &mut piece {
                Some(p) if p.words < per_piece => {
                    p.range.end = word.end;
                    p.words += 1;
                }
                _ => {
                    units.extend(piece.take());
                    piece = Some(Unit {
                        range: word,
                        words: 1,
                    });
                }
            }
        }
        units.extend(piece);
    });
    units
}

/// Number of whitespace-separated words in `text`, as `split_whitespace` counts them.
///
/// This runs over every paragraph, so it counts word starts byte-pairwise (which the
/// compiler vectorises) and decodes chars only in the rare text with non-ASCII spaces.
pub(crate) fn count_words(text: &str) -> usize {
    let bytes = text.as_bytes();
    let is_space = |b: u8| b == b' ' || (b'\t'..=b'\r').contains(&b);
    // Lead bytes of the non-ASCII whitespace chars (U+0085, U+00A0, U+1680, U+2000.., U+3000).
    let may_be_space = |b: u8| b == 0xC2 || (0xE1..=0xE3).contains(&b);
    let unicode_spaces = !text.is_ascii()
        && bytes.iter().enumerate().any(|(at, &b)| {
            may_be_space(b) && text[at..].chars().next().is_some_and(char::is_whitespace)
        });
    if unicode_spaces {
        return text.split_whitespace().count();
    }
    let first = bytes.first().is_some_and(|&b| !is_space(b));
    // Word starts are summed in u8 lanes over blocks of 255 byte pairs (so a lane cannot
    // overflow): sixteen pairs per vector instruction instead of two with usize lanes.
    let mut starts = usize::from(first);
    let mut at = 1;
    while at < bytes.len() {
        let end = (at + 255).min(bytes.len());
        let pairs = bytes[at - 1..end - 1].iter().zip(&bytes[at..end]);
        let block = pairs.fold(0u8, |n, (&a, &b)| n + u8::from(is_space(a) & !is_space(b)));
        starts += usize::from(block);
        at = end;
    }
    starts
}

/// Byte ranges of the whitespace-separated words of `text`.
fn word_ranges(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    // Each word is a subslice of `text`, so its address gives its offset.
    let base = text.as_ptr() as usize;
    text.split_whitespace().map(move |word| {
        let start = word.as_ptr() as usize - base;
        start..start + word.len()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `n` sentences of `words` words each: "Word word ... end."
    fn paragraph(n: usize, words: usize) -> String {
        let sentence = format!("Word {}end.", "word ".repeat(words - 2));
        vec![sentence; n].join(" ")
    }

    fn chunks(text: &str) -> Vec<&str> {
        let mut out = Vec::new();
        split_paragraph(text, |r| out.push(&text[r]));
        out
    }

    fn word_counts(text: &str) -> Vec<usize> {
        chunks(text).into_iter().map(count_words).collect()
    }

    #[test]
    fn counts_whitespace_separated_words() {
        assert_eq!(count_words(""), 0);
        assert_eq!(count_words("  one\ttwo\r\nthree\u{a0}four  "), 4);
    }

    #[test]
    fn a_paragraph_of_at_most_60_words_is_one_chunk() {
        let text = paragraph(6, 10);
        assert_eq!(chunks(&text), [text.as_str()]);
    }

    #[test]
    fn a_long_paragraph_is_packed_into_even_chunks_of_whole_sentences() {
        // 65 words: two chunks of about 32, not 60 + 5.
        assert_eq!(word_counts(&paragraph(13, 5)), [35, 30]);
        let text = paragraph(50, 12);
        let counts = word_counts(&text);
        assert_eq!(counts.iter().sum::<usize>(), 600);
        assert!(
            counts.iter().all(|&n| (MIN_WORDS..=MAX_WORDS).contains(&n)),
            "{counts:?}"
        );
        assert!(
            chunks(&text)
                .iter()
                .all(|c| c.starts_with("Word") && c.ends_with("end."))
        );
    }

    #[test]
    fn a_fragment_left_at_the_end_joins_the_chunk_before() {
        let text = [
            paragraph(1, 59),
            paragraph(1, 5),
            paragraph(1, 59),
            paragraph(1, 5),
        ]
        .join(" ");
        assert_eq!(word_counts(&text), [59, 69]);
    }

    #[test]
    fn a_long_sentence_is_kept_whole_and_a_huge_one_is_cut_at_words() {
        let long = [paragraph(1, 200), paragraph(2, 30)].join(" ");
        assert_eq!(word_counts(&long), [200, 60]);
        let huge = "word ".repeat(300);
        let counts = word_counts(huge.trim());
        assert_eq!(counts, [60, 60, 60, 60, 60]);
        assert!(
            chunks(huge.trim())
                .iter()
                .all(|c| c.starts_with("word") && c.ends_with("word"))
        );
    }
}
