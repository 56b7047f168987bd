//! Paragraphs of an article body: which line breaks end a paragraph and which are only
//! hard wrapping.
//!
//! Takes a body and gives the byte ranges of its paragraphs, trimmed of whitespace, never
//! empty. Bodies come in two layouts, decided once per body by [`is_hard_wrapped`]:
//! - **one line per paragraph** (the BBC corpus, most web text): every line break ends a
//!   paragraph, whether or not blank lines separate them;
//! - **hard-wrapped** (wire copy wrapped at ~70 columns): lines are joined, and a paragraph
//!   ends at a blank line, or, if the body marks paragraphs by indentation, before an
//!   indented line, and before a list item (`- `, `* `, `• `). A wrapped body with neither
//!   mark is split after a line that ends a sentence, or is clearly short, although the
//!   next word would still have fitted on it: a wrapper does not break there.
//!
//! Line breaks are `\n`, `\r\n` or a lone `\r`. Widths are counted in chars.

use std::ops::Range;

/// Wrapped text is narrower than this many chars: lines beyond it are paragraphs.
const MAX_WRAP_WIDTH: u32 = 120;
/// Nobody wraps news text narrower than this; shorter lines are lists or headings.
const MIN_WRAP_WIDTH: u32 = 40;

/// One line of the body, measured once.
#[derive(Clone, Copy, Debug)]
struct Line {
    /// First byte after the indentation.
    start: usize,
    /// End of the content, trailing whitespace excluded.
    end: usize,
    /// Leading whitespace, in chars.
    indent: u32,
    /// Width from the start of the line to `end`, in chars.
    width: u32,
    /// Width of the first word, in chars.
    first_word: u32,
    /// The line ends with sentence punctuation (possibly inside quotes or brackets).
    terminal: bool,
    /// The first word starts with a lower-case letter, as a wrapped continuation often does.
    starts_lower: bool,
    /// The line starts with a list bullet (`- `, `* `, `• `).
    bullet: bool,
    /// The line ends with a colon, as the line introducing a list does.
    introduces: bool,
}

impl Line {
    fn is_blank(&self) -> bool {
        self.start == self.end
    }
}

/// Byte ranges of the paragraphs of `body`, in order.
pub(crate) fn paragraphs(body: &str) -> Vec<Range<usize>> {
    let lines = measure_lines(body);
    let mut out = Vec::new();
    let Some(wrap_width) = is_hard_wrapped(&lines) else {
        out.extend(
            lines
                .iter()
                .filter(|l| !l.is_blank())
                .map(|l| l.start..l.end),
        );
        return out;
    };
    let marks = ParagraphMarks::of(&lines);
    let mut current: Option<Range<usize>> = None;
    let mut prev: Option<&Line> = None;
    // Whether the current paragraph is a list item, so a bullet after it starts the next.
    let mut in_list = false;
    for line in &lines {
        if line.is_blank() {
            out.extend(current.take());
            prev = None;
            continue;
        }
        let breaks = prev.is_some_and(|prev| marks.breaks_between(prev, line, wrap_width, in_list));
        match &mut current {
            Some(range) if !breaks => range.end = line.end,
            _ => {
                out.extend(current.take());
                current = Some(line.start..line.end);
                in_list = line.bullet;
            }
        }
        prev = Some(line);
    }
    out.extend(current);
    out
}

/// How a hard-wrapped body marks its paragraphs.
struct ParagraphMarks {
    /// Indentation of ordinary (continuation) lines; deeper lines open paragraphs.
    base_indent: u32,
    by_indent: bool,
    by_blank_lines: bool,
}

impl ParagraphMarks {
    fn of(lines: &[Line]) -> ParagraphMarks {
        let base_indent = lines
            .iter()
            .filter(|l| !l.is_blank())
            .map(|l| l.indent)
            .min()
            .unwrap_or(0);
        let (mut indented_after_text, mut flush_after_text) = (0u32, 0u32);
        for pair in lines.windows(2) {
            let (prev, line) = (&pair[0], &pair[1]);
            if prev.is_blank() || line.is_blank() {
                continue;
            }
            if line.indent > base_indent {
                indented_after_text += 1;
            } else {
                flush_after_text += 1;
            }
        }
        // Blank lines are marks only between text, not leading or trailing the body.
        let first = lines.iter().position(|l| !l.is_blank()).unwrap_or(0);
        let last = lines.iter().rposition(|l| !l.is_blank()).unwrap_or(0);
        ParagraphMarks {
            base_indent,
            // Both kinds must occur: if every line after the first is indented, the
            // indentation is the text's margin, not a paragraph mark.
            by_indent: indented_after_text > 0 && flush_after_text > 0,
            by_blank_lines: lines[first..last.max(first)].iter().any(Line::is_blank),
        }
    }

    /// Whether a paragraph ends between two adjacent non-blank lines; `in_list` says the
    /// paragraph `prev` belongs to is a list item.
    fn breaks_between(&self, prev: &Line, line: &Line, wrap_width: u32, in_list: bool) -> bool {
        // A wrapper breaks a line only when the next word does not fit on it, so a line
        // with room left that ends a sentence, or is clearly short, ended its paragraph.
        // (Optimal-fit wrappers like fmt leave some room, hence not any room at all.)
        let next_word_fits = prev.width + 1 + line.first_word <= wrap_width;
        let ends_paragraph = next_word_fits && (prev.terminal || prev.width * 10 < wrap_width * 8);
        if self.by_indent && line.indent > self.base_indent {
            // An indented line opens a paragraph, unless it continues an indented block
            // (a quotation) whose previous line was wrapped: long, and not ending a
            // sentence, since one-line paragraphs are common in indented wire copy.
            return line.indent != prev.indent || prev.terminal || ends_paragraph;
        }
        // A list item opens a paragraph. A dash merely wrapped to the start of a line ("the
        // firm\n- which ...") follows a full line, or at least a line that neither is in a
        // list nor ends a sentence or an introduction.
        if line.bullet && next_word_fits && (in_list || prev.terminal || prev.introduces) {
            return true;
        }
        if self.by_indent || self.by_blank_lines {
            return false;
        }
        ends_paragraph
    }
}

/// The wrap width if the body is hard-wrapped, `None` if each line is a paragraph.
///
/// Hard-wrapped text has few lines wider than [`MAX_WRAP_WIDTH`] and a wrap width (the
/// 95th percentile of line widths, robust to a stray long line) of at least
/// [`MIN_WRAP_WIDTH`]. Among its lines followed by a line that could continue them
/// (non-blank, not indented, not a list item), most are near the wrap width, and many do
/// not end a sentence or are followed by a lower-case word. The BBC's long paragraph
/// lines fail the first test, a list of short items the width tests, a body of
/// one-sentence lines the last.
fn is_hard_wrapped(lines: &[Line]) -> Option<u32> {
    let mut widths = [0u32; MAX_WRAP_WIDTH as usize + 1];
    let (mut text_lines, mut too_wide) = (0u32, 0u32);
    for line in lines.iter().filter(|l| !l.is_blank()) {
        text_lines += 1;
        match widths.get_mut(line.width as usize) {
            Some(count) => *count += 1,
            None => too_wide += 1,
        }
    }
    if text_lines == 0 || too_wide * 10 > text_lines {
        return None;
    }
    let wanted = (text_lines * 95).div_ceil(100);
    let mut seen = 0;
    let wrap_width = widths.iter().position(|&count| {
        seen += count;
        seen >= wanted
    })? as u32;
    if wrap_width < MIN_WRAP_WIDTH {
        return None;
    }
    let base_indent = lines
        .iter()
        .filter(|l| !l.is_blank())
        .map(|l| l.indent)
        .min();
    let (mut inner, mut near_width, mut open, mut lower_next) = (0u32, 0u32, 0u32, 0u32);
    for pair in lines.windows(2) {
        let (line, next) = (&pair[0], &pair[1]);
        // Only line pairs that wrapping would join tell anything: not those where the next
        // line is blank, indented or a list item, which start a paragraph in either layout.
        if line.is_blank() || next.is_blank() || Some(next.indent) > base_indent || next.bullet {
            continue;
        }
        inner += 1;
        near_width += u32::from(line.width * 10 >= wrap_width * 7);
        open += u32::from(!line.terminal);
        lower_next += u32::from(next.starts_lower);
    }
    let wrapped = inner > 0
        && near_width * 10 >= inner * 6
        && (open * 10 >= inner * 4 || lower_next * 10 >= inner * 3);
    wrapped.then_some(wrap_width)
}

/// Splits `body` into lines and measures each.
fn measure_lines(body: &str) -> Vec<Line> {
    let bytes = body.as_bytes();
    let mut lines = Vec::with_capacity(bytes.len() / 64 + 1);
    // Lone `\r` line breaks are rare: look for them only if the body has any `\r`, so
    // the usual search is a fast single-byte one.
    let any_cr = bytes.contains(&b'\r');
    let mut from = 0;
    while from <= bytes.len() {
        let found = if any_cr {
            bytes[from..].iter().position(|&b| b == b'\n' || b == b'\r')
        } else {
            body[from..].find('\n')
        };
        let stop = found.map_or(bytes.len(), |i| from + i);
        lines.push(measure(body, from, stop));
        from = match bytes.get(stop) {
            Some(b'\r') if bytes.get(stop + 1) == Some(&b'\n') => stop + 2,
            Some(_) => stop + 1,
            None => break,
        };
    }
    lines
}

fn measure(body: &str, from: usize, stop: usize) -> Line {
    let raw = &body[from..stop];
    let content = raw.trim_start();
    let start = stop - content.len();
    let content = content.trim_end();
    let end = start + content.len();
    let indent = char_count(&raw[..start - from]);
    let first_word = content
        .find(char::is_whitespace)
        .map_or(content, |i| &content[..i]);
    let unquoted = content.trim_end_matches(['"', '\'', ')', ']', '”', '’', '»']);
    Line {
        start,
        end,
        indent,
        width: indent + char_count(content),
        first_word: char_count(first_word),
        terminal: unquoted.ends_with(['.', '?', '!', '…']),
        starts_lower: content.chars().next().is_some_and(char::is_lowercase),
        bullet: ["- ", "* ", "• ", "– ", "— ", "· "]
            .iter()
            .any(|bullet| content.starts_with(bullet)),
        introduces: content.ends_with(':'),
    }
}

/// Chars in `s`, counted without decoding: every byte that does not continue a char.
fn char_count(s: &str) -> u32 {
    s.bytes().filter(|&b| (b as i8) >= -0x40).count() as u32
}
