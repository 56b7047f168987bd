//! Sentence boundaries in English news text.
//!
//! Takes any text (a passage, a paragraph, a whole body) and gives the byte ranges of its
//! sentences, trimmed of surrounding whitespace, in order, covering every non-whitespace
//! byte. It is a single left-to-right scan with no allocation beyond the output, because
//! segmentation runs on every article during ingest.
//!
//! A sentence ends at `.`, `?`, `!` or an ellipsis (`...`, `…`), plus any closing quotes or
//! brackets, when whitespace follows and the next word does not start in lower case. A
//! blank line always ends a sentence. A single `.` needs more care, decided by the word
//! before it (see the `abbreviations` module):
//! - titles and the like (`Mr.`, `Gen.`, `e.g.`, `vs.`) never end a sentence;
//! - `No.`, `Vol.`, `pp.` and the like are abbreviations only before a number;
//! - abbreviations that may close a sentence (`Inc.`, `U.S.`, `Jan.`, `etc.`), initials
//!   (`W.`) and dotted acronyms end one only if a closing quote follows the period, or if
//!   the next word is a closed-class word that typically opens a sentence (`The`, `He`,
//!   `But`, ...). So "based in the U.S. The company said" is split, while "the U.S.
//!   Embassy", "George W. Bush" and "Jan. 5" are not. The price is that "in the U.S.
//!   Officials said" stays one sentence: wrongly joining two sentences costs a search
//!   engine less than cutting a name in half;
//! - any other word (including numbers: "in 2004. The") ends a sentence.
//!
//! Decimals (`3.5%`), URLs and `U.S.-led` never split because no whitespace follows the
//! period.

use std::ops::Range;

use super::abbreviations::{Token, classify, is_sentence_starter};

/// Byte ranges of the sentences of `text`, in order, trimmed, never empty.
///
/// Every non-whitespace byte of `text` lies in exactly one range, so the ranges can be
/// packed back into passages without losing text.
pub fn sentences(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    for_each_sentence(text, |range| out.push(range));
    out
}

/// The scanner behind [`sentences`], calling `emit` per sentence so callers that only
/// count or pack sentences need not collect them.
pub(crate) fn for_each_sentence(text: &str, mut emit: impl FnMut(Range<usize>)) {
    let bytes = text.as_bytes();
    let len = bytes.len();
    let mut start = skip_whitespace(text, 0);
    let mut i = start;
    while i < len {
        i = next_candidate(bytes, i);
        if i == len {
            break;
        }
        match bytes[i] {
            b'.' | b'?' | b'!' => {}
            0xE2 if bytes[i..].starts_with(ELLIPSIS) => {}
            b'\n' => {
                // A blank line ends a sentence even without punctuation (headings, lists).
                let next = skip_whitespace(text, i);
                if next < len && bytes[i + 1..next].contains(&b'\n') {
                    emit(start..trim_end(text, i));
                    start = next;
                }
                i = next.max(i + 1);
                continue;
            }
            _ => {
                i += 1;
                continue;
            }
        }
        match boundary_at(text, i) {
            Boundary::Split { end, next } => {
                emit(start..end);
                start = next;
                i = next;
            }
            Boundary::Continue(resume) => i = resume,
        }
    }
    if start < len {
        let end = trim_end(text, len);
        if end > start {
            emit(start..end);
        }
    }
}

const ELLIPSIS: &[u8] = "…".as_bytes();

/// The bytes the scanner stops at: terminators, line breaks and the first byte of `…`.
const CANDIDATES: [u8; 5] = [b'.', b'?', b'!', b'\n', 0xE2];

/// The first byte at or after `from` that is one of [`CANDIDATES`] (or `bytes.len()`).
///
/// Tests eight bytes at a time with the classic "has a zero byte" bit trick, which is
/// exact for "any byte matches", so the byte-by-byte search only runs near a match. This
/// loop is where sentence splitting spends its time.
fn next_candidate(bytes: &[u8], mut from: usize) -> usize {
    const ONES: u64 = u64::from_le_bytes([1; 8]);
    const HIGHS: u64 = ONES << 7;
    let has_byte = |word: u64, byte: u8| {
        let diff = word ^ (ONES * u64::from(byte));
        diff.wrapping_sub(ONES) & !diff & HIGHS != 0
    };
    while let Some(chunk) = bytes[from..].first_chunk::<8>() {
        let word = u64::from_le_bytes(*chunk);
        if CANDIDATES.iter().any(|&byte| has_byte(word, byte)) {
            break;
        }
        from += 8;
    }
    from + bytes[from..]
        .iter()
        .position(|b| CANDIDATES.contains(b))
        .unwrap_or(bytes.len() - from)
}

/// What to do after a sentence terminator.
enum Boundary {
    /// The sentence ends at `end`; the next one starts at `next`.
    Split { end: usize, next: usize },
    /// Not a boundary; resume scanning at this byte (past the punctuation run).
    Continue(usize),
}

/// Decides whether the terminator starting at byte `at` ends a sentence. At the end of
/// the text it does not: the caller's tail closes the last sentence.
fn boundary_at(text: &str, at: usize) -> Boundary {
    let bytes = text.as_bytes();
    let len = bytes.len();
    // The whole run of terminators: "?!", "...", "…", ".".
    let (mut j, mut dots, mut strong) = (at, 0usize, false);
    while j < len {
        match bytes[j] {
            b'.' => dots += 1,
            b'?' | b'!' => strong = true,
            0xE2 if bytes[j..].starts_with(ELLIPSIS) => {
                strong = true;
                j += ELLIPSIS.len();
                continue;
            }
            _ => break,
        }
        j += 1;
    }
    strong |= dots >= 2;
    // Closing quotes and brackets belong to the sentence they close.
    let mut end = j;
    while let Some(width) = closing_mark_len(&bytes[end..]) {
        end += width;
    }
    let closed = end > j;
    // Resuming past the whole run keeps the scan linear even on "......" or "?!?!".
    let resume = Boundary::Continue(end);
    match text[end..].chars().next() {
        // "3.5", "U.S.-led", "bbc.co.uk", "Yahoo!'s": inside a token.
        Some(after) if !after.is_whitespace() => return resume,
        None => return resume,
        Some(_) => {}
    }
    let next = skip_whitespace(text, end);
    if next == len {
        return resume;
    }
    let word_at = skip_opening_marks(bytes, next);
    let first = text[word_at..].chars().next();
    if first.is_some_and(char::is_lowercase) {
        return resume;
    }
    let split = strong
        || match classify(token_before(text, at)) {
            Token::Title => false,
            Token::MayEnd => closed || is_sentence_starter(&text[word_at..]),
            Token::Numbering => !first.is_some_and(|c| c.is_ascii_digit()),
            Token::Word => true,
        };
    if split {
        Boundary::Split { end, next }
    } else {
        resume
    }
}

/// The token ending right before byte `at` (a period), without surrounding quotes or
/// brackets and without a hyphenated prefix ("ex-Gen" -> "Gen").
fn token_before(text: &str, at: usize) -> &str {
    // Bounded lookback: a token longer than this is a URL or noise, not an abbreviation.
    const MAX_TOKEN: usize = 32;
    let bytes = text.as_bytes();
    let mut from = at;
    while from > 0 && at - from < MAX_TOKEN && !bytes[from - 1].is_ascii_whitespace() {
        from -= 1;
    }
    if from > 0 && !bytes[from - 1].is_ascii_whitespace() {
        return "";
    }
    let token = &text[from..at];
    let token = token.trim_start_matches(['"', '\'', '(', '[', '`', '“', '‘', '«']);
    let token = token.trim_end_matches(['"', '\'', ')', ']', '”', '’', '»']);
    match token.rfind(['-', '/']) {
        Some(cut) => &token[cut + 1..],
        None => token,
    }
}

/// Byte length of a closing quote or bracket at the start of `bytes`, if any.
fn closing_mark_len(bytes: &[u8]) -> Option<usize> {
    match bytes {
        [b'"' | b'\'' | b')' | b']', ..] => Some(1),
        // ” ’ (U+201D, U+2019) and » (U+00BB)
        [0xE2, 0x80, 0x9D | 0x99, ..] => Some(3),
        [0xC2, 0xBB, ..] => Some(2),
        _ => None,
    }
}

/// Skips opening quotes and brackets (`"`, `'`, `` ` ``, `(`, `[`, “, ‘, «) from `at`.
fn skip_opening_marks(bytes: &[u8], mut at: usize) -> usize {
    loop {
        match &bytes[at..] {
            [b'"' | b'\'' | b'`' | b'(' | b'[', ..] => at += 1,
            [0xE2, 0x80, 0x9C | 0x98, ..] => at += 3,
            [0xC2, 0xAB, ..] => at += 2,
            _ => return at,
        }
    }
}

/// The first byte at or after `from` that is not whitespace (or `text.len()`).
pub(crate) fn skip_whitespace(text: &str, from: usize) -> usize {
    text[from..]
        .find(|c: char| !c.is_whitespace())
        .map_or(text.len(), |i| from + i)
}

/// The end of `text[..to]` with trailing whitespace removed.
pub(crate) fn trim_end(text: &str, to: usize) -> usize {
    text[..to].trim_end().len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str) -> Vec<&str> {
        sentences(text).into_iter().map(|r| &text[r]).collect()
    }

    #[test]
    fn splits_at_periods_questions_and_exclamations() {
        assert_eq!(
            split("Prices rose. Did they? Yes!  Markets cheered."),
            ["Prices rose.", "Did they?", "Yes!", "Markets cheered."]
        );
    }

    #[test]
    fn titles_and_phrase_abbreviations_never_end_a_sentence() {
        let text = "Mr. Smith met Mrs. Jones, Dr. Who and Gen. Lee. Sen. Byrd spoke, e.g. France \
                    i.e. Paris, vs. Spain.";
        assert_eq!(
            split(text),
            [
                "Mr. Smith met Mrs. Jones, Dr. Who and Gen. Lee.",
                "Sen. Byrd spoke, e.g. France i.e. Paris, vs. Spain."
            ]
        );
    }

    #[test]
    fn company_month_and_place_abbreviations_stay_inside_names() {
        let text = "Apple Inc. Chief Executive Tim Cook, Acme Corp. President Jo, Foo Ltd. \
                    Director Al and Bar Co. Chairman Bo met on Jan. 5 and Sept. 9 in St. Louis.";
        assert_eq!(split(text).len(), 1);
        assert_eq!(
            split("He lives at No. 10 Downing Street. It is old.").len(),
            2
        );
    }

    #[test]
    fn number_abbreviations_are_words_before_anything_but_numbers() {
        assert_eq!(
            split("\"No. Definitely not.\" He left."),
            ["\"No.", "Definitely not.\"", "He left."]
        );
    }

    #[test]
    fn abbreviation_ends_a_sentence_before_a_sentence_starter() {
        // The documented heuristic: a closed-class word after "U.S." opens a new sentence,
        // another capitalised word continues a name.
        assert_eq!(
            split("The firm is based in the U.S. The company said it would grow."),
            [
                "The firm is based in the U.S.",
                "The company said it would grow."
            ]
        );
        assert_eq!(
            split("He visited the U.S. Embassy in the U.K. capital.").len(),
            1
        );
        assert_eq!(split("Shares of Apple Inc. It rose 5%.").len(), 2);
        assert_eq!(
            split("They sold apples, pears, etc. But prices fell.").len(),
            2
        );
        // A closing quote after the abbreviation's period ends the sentence too.
        assert_eq!(split("\"We love the U.S.\" Smith said.").len(), 2);
    }

    #[test]
    fn initials_do_not_end_sentences() {
        assert_eq!(
            split("George W. Bush met J. R. R. Tolkien fans and Franklin D. Roosevelt.").len(),
            1
        );
        assert_eq!(split("He read J.R.R. Tolkien.").len(), 1);
        // Unless a sentence starter follows: "Plan B. The".
        assert_eq!(split("They chose Plan B. The rest failed.").len(), 2);
        // An initial "A." is not the article "A".
        assert_eq!(split("Paul A. Reese and J. A. Smith agreed.").len(), 1);
    }

    #[test]
    fn decimals_urls_and_hyphenated_acronyms_do_not_split() {
        assert_eq!(
            split("Profits rose 3.5% to $1.13bn at bbc.co.uk and U.S.-led talks. Then what?"),
            [
                "Profits rose 3.5% to $1.13bn at bbc.co.uk and U.S.-led talks.",
                "Then what?"
            ]
        );
    }

    #[test]
    fn numbers_end_sentences() {
        assert_eq!(
            split("Sales peaked in 2004. The next year was worse.").len(),
            2
        );
    }

    #[test]
    fn ellipses_split_only_before_a_capital() {
        assert_eq!(
            split("He paused... Then he left. And so … we waited.").len(),
            3
        );
        assert_eq!(split("And so... we waited.").len(), 1);
    }

    #[test]
    fn closing_quotes_stay_with_their_sentence() {
        assert_eq!(
            split("\"It was a bomb,\" he said. \"You can see it.\" The embassy was shut."),
            [
                "\"It was a bomb,\" he said.",
                "\"You can see it.\"",
                "The embassy was shut."
            ]
        );
        assert_eq!(
            split("“We won.” The fans cheered. ‘Again?’ Yes."),
            ["“We won.”", "The fans cheered.", "‘Again?’", "Yes."]
        );
        // Reported speech continues after a closing quote in lower case.
        assert_eq!(split("\"Stop!\" he said. \"Why?\" she asked.").len(), 2);
        // Wire copy quotes with `` and ''.
        assert_eq!(
            split("called it ``grave.'' ``What we fear,'' he said.").len(),
            2
        );
    }

    #[test]
    fn lower_case_after_a_period_continues_the_sentence() {
        assert_eq!(
            split("He arrived at 9 a.m. and left at 5 p.m. on Monday.").len(),
            1
        );
        assert_eq!(
            split("The meeting ends at 9 a.m. The vote follows.").len(),
            2
        );
    }

    #[test]
    fn a_blank_line_ends_a_sentence_without_punctuation() {
        assert_eq!(
            split("KENYA:\n\nTotal dead: 192\r\n \r\nInjured"),
            ["KENYA:", "Total dead: 192", "Injured"]
        );
        // A single line break does not (hard-wrapped text).
        assert_eq!(split("the leader\nof the party said.").len(), 1);
    }

    #[test]
    fn candidate_search_matches_a_byte_by_byte_search() {
        let text = "abcdefghijklmnop. qrstuvwx?yz!\nABCDEFGHIJ… KLMNOPQRSTUVWXYZ0123456789";
        let bytes = text.as_bytes();
        for from in 0..=bytes.len() {
            let naive = (from..bytes.len())
                .find(|&i| CANDIDATES.contains(&bytes[i]))
                .unwrap_or(bytes.len());
            assert_eq!(next_candidate(bytes, from), naive, "from {from}");
        }
    }

    #[test]
    fn long_punctuation_runs_are_scanned_once() {
        // Quadratic rescanning would take minutes here.
        let dots = format!("Wait{}", ".".repeat(200_000));
        assert_eq!(split(&dots), [dots.as_str()]);
        let marks = format!("What{} Now", "?!\"".repeat(50_000));
        assert_eq!(split(&marks).len(), 2);
    }

    #[test]
    fn ranges_are_trimmed_and_cover_all_text() {
        let text = "  One. Two!\t\n Three?  Four  ";
        let ranges = sentences(text);
        assert_eq!(split(text), ["One.", "Two!", "Three?", "Four"]);
        let covered: usize = ranges.iter().map(|r| text[r.clone()].len()).sum();
        let between: usize = ranges.windows(2).map(|w| w[1].start - w[0].end).sum();
        assert_eq!(ranges[0].start, 2);
        assert_eq!(covered + between, ranges.last().unwrap().end - 2);
        assert!(sentences("").is_empty());
        assert!(sentences(" \n\t ").is_empty());
    }
}
