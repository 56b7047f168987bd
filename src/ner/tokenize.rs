//! Splits raw news text into tokens with byte offsets, and tokens into sentences.
//!
//! Takes any `&str` and gives [`Token`]s whose `start..end` index the input, grouped into
//! sentences. The split follows the CoNLL-2003 (Penn Treebank-like) conventions the model
//! was trained on, so that real text looks like training text: the possessive `'s` / `’s`
//! and contractions (`n't`, `'re`, ...) are separate tokens ("Russia's" -> "Russia" "'s"),
//! a trailing apostrophe is its own token ("CBS News’" -> "News" "’"), hyphenated names and
//! dates stay whole ("al-Sharaa", "1996-08-22"), abbreviations keep their period ("U.S.",
//! "Corp.", "J."), and curly quotes and dashes are single punctuation tokens.

/// One token: a byte range into the tagged text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Token {
    pub start: usize,
    pub end: usize,
}

/// Abbreviations that keep their trailing period (besides single letters and dotted
/// forms such as "U.S."). Compared case-insensitively; chosen from titles, company
/// suffixes, months and US state abbreviations common in news.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "st", "jr", "sr", "gen", "col", "lt", "maj", "capt", "sgt", "cpl",
    "adm", "rep", "sen", "gov", "pres", "prof", "rev", "hon", "corp", "inc", "ltd", "co", "bros",
    "plc", "mt", "ft", "ave", "blvd", "no", "nos", "vs", "etc", "jan", "feb", "mar", "apr", "jun",
    "jul", "aug", "sep", "sept", "oct", "nov", "dec", "calif", "fla", "ill", "mass", "mich",
    "penn", "tex", "wash", "ariz", "colo", "conn", "ga", "ky", "la", "md", "minn", "mo", "nev",
    "okla", "ore", "pa", "tenn", "va", "wis", "ala", "ark", "del", "kan", "neb", "wyo", "approx",
    "dept", "est", "fig", "gov't", "univ", "assn", "cie", "messrs",
];

/// Splits `text` into tokens, in text order.
pub(crate) fn tokenize(text: &str) -> Vec<Token> {
    let bytes = text.as_bytes();
    let mut tokens = Vec::with_capacity(text.len() / 5);
    let mut pos = 0;
    while pos < text.len() {
        let c = char_at(text, pos);
        if c.is_whitespace() {
            pos += c.len_utf8();
        } else if c.is_alphanumeric() {
            pos = word(text, pos, &mut tokens);
        } else if is_apostrophe(c) {
            // A clitic after a space, as in CoNLL text ("Russia 's"), is one token.
            let after = pos + c.len_utf8();
            let end = clitic_end(text, after).unwrap_or(after);
            tokens.push(Token { start: pos, end });
            pos = end;
        } else {
            // Punctuation: runs of the same ASCII mark ("--", "...") stay together.
            let mut end = pos + c.len_utf8();
            if c.is_ascii() && matches!(c, '-' | '.' | '=' | '*' | '_' | '!' | '?') {
                while end < bytes.len() && bytes[end] == c as u8 {
                    end += 1;
                }
            }
            tokens.push(Token { start: pos, end });
            pos = end;
        }
    }
    tokens
}

/// Scans one word starting at `start` (an alphanumeric char), pushes its token(s) and
/// returns the position after them.
fn word(text: &str, start: usize, tokens: &mut Vec<Token>) -> usize {
    let mut pos = start;
    let mut end = start;
    let mut inner_period = false;
    loop {
        let c = char_at(text, pos);
        if c.is_alphanumeric() || is_mark(c) {
            pos += c.len_utf8();
            end = pos;
            continue;
        }
        if pos >= text.len() {
            break;
        }
        let next = pos + c.len_utf8();
        let next_char = char_at(text, next);
        if is_apostrophe(c) {
            // "Russia's" / "don't" split before the clitic; "O'Brien" stays whole.
            let prev_n = text[..pos].ends_with(['n', 'N']);
            if clitic_end(text, next).is_some() {
                break;
            }
            if prev_n
                && matches!(next_char, 't' | 'T')
                && !char_at(text, next + 1).is_alphanumeric()
            {
                // "don't" -> "do" "n't": back up over the n.
                end = pos - 1;
                if end > start {
                    tokens.push(Token { start, end });
                }
                tokens.push(Token {
                    start: end,
                    end: next + 1,
                });
                return next + 1;
            }
            if next_char.is_alphabetic() {
                pos = next;
                continue;
            }
            break;
        }
        let joins = match c {
            '-' | '‑' | '.' | '&' | '/' | '@' => next_char.is_alphanumeric(),
            // "1,000" and "10:30" are numbers, "Moscow, Syria" is not.
            ',' | ':' => {
                next_char.is_ascii_digit() && text[..pos].ends_with(|p: char| p.is_ascii_digit())
            }
            _ => false,
        };
        if joins {
            inner_period |= c == '.';
            pos = next;
            continue;
        }
        break;
    }
    // A trailing period belongs to abbreviations: "U.S.", "J.", "Corp.", "3." in lists.
    if text[end..].starts_with('.') && !text[end..].starts_with("..") {
        let w = &text[start..end];
        let single = w.chars().count() == 1 && w.chars().all(char::is_alphabetic);
        // "No. 5" is an abbreviation, "said no." is not.
        let numbered = !w.eq_ignore_ascii_case("no") && !w.eq_ignore_ascii_case("nos")
            || text[end + 1..]
                .trim_start()
                .starts_with(|c: char| c.is_ascii_digit());
        let listed = numbered && ABBREVIATIONS.iter().any(|a| a.eq_ignore_ascii_case(w));
        let ordinal = w.len() <= 2 && w.bytes().all(|b| b.is_ascii_digit());
        if inner_period || single || listed || ordinal {
            end += 1;
        }
    }
    tokens.push(Token { start, end });
    end
}

/// If a contraction clitic ("s", "re", "ve", "ll", "d", "m", after an apostrophe) starts
/// at `pos` and ends at a word boundary, returns its end.
fn clitic_end(text: &str, pos: usize) -> Option<usize> {
    let rest = &text[pos..];
    for clitic in ["s", "re", "ve", "ll", "d", "m"] {
        if rest.len() >= clitic.len()
            && rest.is_char_boundary(clitic.len())
            && rest[..clitic.len()].eq_ignore_ascii_case(clitic)
            && !char_at(rest, clitic.len()).is_alphanumeric()
        {
            return Some(pos + clitic.len());
        }
    }
    None
}

/// Combining marks continue a word (decomposed diacritics).
fn is_mark(c: char) -> bool {
    ('\u{300}'..='\u{36f}').contains(&c)
}

pub(crate) fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | '‘' | 'ʼ')
}

/// The char at byte `pos`, or a space past the end (a boundary for every rule above).
fn char_at(text: &str, pos: usize) -> char {
    text.get(pos..)
        .and_then(|s| s.chars().next())
        .unwrap_or(' ')
}

/// Groups tokens into sentences, returned as index ranges into `tokens`.
///
/// A line break always ends a sentence (headlines, datelines and paragraphs are lines).
/// Inside a line, ".", "!", "?" (plus closing quotes or brackets after them) end one when
/// the next token starts with a capital, a digit or an opening quote; abbreviation tokens
/// such as "U.S." never do, which errs towards longer sentences.
pub(crate) fn sentences(text: &str, tokens: &[Token]) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut begin = 0;
    // End (exclusive token index) of the dateline being read, if any.
    let mut dateline_end = dateline(text, tokens, 0).unwrap_or(0);
    for i in 0..tokens.len() {
        let is_last = i + 1 == tokens.len();
        let ends = is_last || {
            let gap = &text[tokens[i].end..tokens[i + 1].start];
            gap.contains('\n')
                || ends_sentence(text, tokens, i)
                || i + 1 == dateline_end
                || (i + 1 > dateline_end
                    && dateline(text, tokens, i + 1).is_some_and(|end| {
                        dateline_end = end;
                        true
                    }))
        };
        if ends {
            out.push(begin..i + 1);
            begin = i + 1;
        }
    }
    out
}

/// Whether a word is written in capitals (two letters or more, none lowercase).
fn all_caps(word: &str) -> bool {
    word.starts_with(char::is_uppercase)
        && word.chars().filter(|c| c.is_alphabetic()).nth(1).is_some()
        && !word.chars().any(char::is_lowercase)
}

/// A `2025-10-15` style date.
fn iso_date(word: &str) -> bool {
    let b = word.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

/// If a wire dateline starts at token `start`, the token index after it. A dateline is a
/// place in capitals, perhaps a region after a comma, then a date or an agency in
/// brackets and a dash: "AL-AIN , United Arab Emirates 1996-12-06", "WASHINGTON (Reuters)
/// -". Running into the text around it (when an article's lines were joined with spaces)
/// it made "Adrian Warner BERLIN" one person, and every later "Berlin" followed.
fn dateline(text: &str, tokens: &[Token], start: usize) -> Option<usize> {
    let word = |k: usize| tokens.get(k).map(|t| &text[t.start..t.end]);
    let capitalised = |k: usize| word(k).is_some_and(|w| w.starts_with(char::is_uppercase));
    if !word(start).is_some_and(all_caps) || start > 0 && word(start - 1).is_some_and(all_caps) {
        return None;
    }
    let mut k = start + 1;
    while k < start + 4 && word(k).is_some_and(all_caps) {
        k += 1;
    }
    for _ in 0..2 {
        if word(k) != Some(",") {
            break;
        }
        let region = k + 1;
        k = region;
        while k < region + 4 && capitalised(k) {
            k += 1;
        }
        if k == region {
            return None;
        }
    }
    if iso_date(word(k)?) {
        return Some(k + 1);
    }
    if word(k)? != "(" {
        return None;
    }
    let agency = k + 1;
    k = agency;
    while k < agency + 3 && capitalised(k) {
        k += 1;
    }
    let dash = matches!(word(k + 1), Some("-" | "--" | "—" | "–"));
    (k > agency && word(k) == Some(")") && dash).then_some(k + 2)
}

fn ends_sentence(text: &str, tokens: &[Token], i: usize) -> bool {
    let tok = &text[tokens[i].start..tokens[i].end];
    let next = &text[tokens[i + 1].start..tokens[i + 1].end];
    let is_stop = |t: &str| matches!(t, "." | "!" | "?" | "..." | "?!" | "!!" | "??");
    let is_closer = |t: &str| matches!(t, "\"" | "”" | "’" | "'" | ")" | "]");
    let stop_here = if is_stop(tok) {
        !is_closer(next)
    } else if is_closer(tok) && i > 0 {
        is_stop(&text[tokens[i - 1].start..tokens[i - 1].end])
    } else {
        false
    };
    if !stop_here {
        return false;
    }
    let first = next.chars().next().unwrap_or(' ');
    first.is_uppercase() || first.is_ascii_digit() || matches!(first, '"' | '“' | '‘' | '(')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<&str> {
        tokenize(text)
            .iter()
            .map(|t| &text[t.start..t.end])
            .collect()
    }

    #[test]
    fn splits_possessives_and_contractions() {
        assert_eq!(words("Russia's army"), ["Russia", "'s", "army"]);
        assert_eq!(words("Moscow’s might"), ["Moscow", "’s", "might"]);
        assert_eq!(
            words("CBS News’ “60 Minutes,”"),
            ["CBS", "News", "’", "“", "60", "Minutes", ",", "”"]
        );
        assert_eq!(words("couldn’t don't"), ["could", "n’t", "do", "n't"]);
        assert_eq!(words("Russia 's"), ["Russia", "'s"]);
        assert_eq!(words("O'Brien we're"), ["O'Brien", "we", "'re"]);
    }

    #[test]
    fn keeps_names_abbreviations_and_numbers_whole() {
        assert_eq!(
            words("U.S. President Ahmed al-Sharaa—once"),
            ["U.S.", "President", "Ahmed", "al-Sharaa", "—", "once"]
        );
        assert_eq!(
            words("Acme Corp. rose 3.5 pct to 1,000 on 1996-08-22."),
            [
                "Acme",
                "Corp.",
                "rose",
                "3.5",
                "pct",
                "to",
                "1,000",
                "on",
                "1996-08-22",
                "."
            ]
        );
        assert_eq!(
            words("J. Smith -- ok..."),
            ["J.", "Smith", "--", "ok", "..."]
        );
        assert_eq!(words("No. 5 said no."), ["No.", "5", "said", "no", "."]);
    }

    #[test]
    fn offsets_index_the_input() {
        let text = "Café “Zürich’s” Peskov";
        let toks = tokenize(text);
        assert_eq!(toks[0], Token { start: 0, end: 5 });
        assert_eq!(&text[toks[2].start..toks[2].end], "Zürich");
        assert_eq!(&text[toks[3].start..toks[3].end], "’s");
        assert_eq!(toks.last().unwrap().end, text.len());
    }

    #[test]
    fn finds_sentence_ends() {
        let text = "He met Putin. Then he left.\nMOSCOW 1996\nThe U.S. Army said “no.” Later";
        let toks = tokenize(text);
        let sents: Vec<String> = sentences(text, &toks)
            .into_iter()
            .map(|r| text[toks[r.start].start..toks[r.end - 1].end].to_string())
            .collect();
        assert_eq!(
            sents,
            [
                "He met Putin.",
                "Then he left.",
                "MOSCOW 1996",
                "The U.S. Army said “no.”",
                "Later"
            ]
        );
    }

    #[test]
    fn a_dateline_is_a_sentence_even_without_line_breaks() {
        let split = |text: &str| -> Vec<String> {
            let toks = tokenize(text);
            sentences(text, &toks)
                .into_iter()
                .map(|r| text[toks[r.start].start..toks[r.end - 1].end].to_string())
                .collect()
        };
        assert_eq!(
            split("Crash on island . Rolf Soderlind LONGYEAR , Norway 1996-08-30 The streets"),
            [
                "Crash on island .",
                "Rolf Soderlind",
                "LONGYEAR , Norway 1996-08-30",
                "The streets"
            ]
        );
        assert_eq!(
            split("NEW YORK (Reuters) - Stocks rose."),
            ["NEW YORK (Reuters) -", "Stocks rose."]
        );
        // Capitals without a date or agency after them are no dateline.
        assert_eq!(
            split("Talks with NATO and the EU went on 1996-08-30 in Brussels"),
            ["Talks with NATO and the EU went on 1996-08-30 in Brussels"]
        );
    }
}
