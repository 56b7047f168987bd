//! Tests of passage segmentation over whole bodies: layouts, offsets and invariants.

use super::*;

/// Passage texts, for compact assertions.
fn texts(body: &str) -> Vec<String> {
    passages(body).into_iter().map(|p| p.text).collect()
}

/// Greedy wrapping at `width` chars, as wire services do; `indent` starts each paragraph.
fn wrap(paragraph: &str, width: usize, indent: &str) -> String {
    let mut lines = vec![indent.to_owned()];
    for word in paragraph.split_whitespace() {
        let line = lines.last_mut().unwrap();
        if line.trim().is_empty() {
            line.push_str(word);
        } else if line.chars().count() + 1 + word.chars().count() <= width {
            line.push(' ');
            line.push_str(word);
        } else {
            lines.push(word.to_owned());
        }
    }
    lines.join("\n")
}

/// Every invariant the rest of the pipeline relies on.
fn assert_invariants(body: &str) {
    let passages = passages(body);
    let mut covered_to = 0;
    for (i, p) in passages.iter().enumerate() {
        assert_eq!(p.ordinal as usize, i);
        assert!(p.start < p.end, "empty passage {i} in {body:?}");
        assert!(p.start >= covered_to, "overlap at passage {i} in {body:?}");
        assert_eq!(p.text.len(), p.end - p.start);
        assert_eq!(p.text, body[p.start..p.end].replace(['\r', '\n'], " "));
        assert_eq!(p.text.trim(), p.text, "untrimmed passage {i} in {body:?}");
        assert!(p.entities.is_empty() && p.dates.is_empty());
        // No text is lost between passages: only whitespace lies outside them.
        assert!(
            body[covered_to..p.start].trim().is_empty(),
            "lost text in {body:?}"
        );
        covered_to = p.end;
    }
    assert!(
        body[covered_to..].trim().is_empty(),
        "lost text at the end of {body:?}"
    );
}

const FIRST: &str = "Quarterly profits at the harbour authority of Northgate rose 12% to \
    £4.1m in the three months to June, the authority said on Tuesday.";
const SECOND: &str = "The authority, which is now one of the largest employers on the coast, \
    benefited from higher container traffic and from a new ferry route. Its profits were lifted by \
    one-off land sales that offset a dip at its dredging arm.";
const THIRD: &str = "Northgate said on Friday that it now owns 8% of the ferry operator.";

#[test]
fn blank_line_paragraphs_of_long_lines_are_passages() {
    let body = format!("{FIRST}\n\n{SECOND}\n\n{THIRD}\n");
    assert_eq!(texts(&body), [FIRST, SECOND, THIRD]);
    assert_invariants(&body);
}

#[test]
fn each_line_is_a_paragraph_when_there_are_no_blank_lines() {
    // The seed article's layout: long lines, single line breaks, no blank lines.
    let body = format!("{FIRST}\n{SECOND}\n{THIRD}");
    assert_eq!(texts(&body), [FIRST, SECOND, THIRD]);
    // Short one-sentence lines too: they end sentences, so they are not wrapped text.
    let short = "Markets fell sharply on Monday in Asia.\nThe yen rose against the dollar.\n\
                 Oil prices were unchanged at $53 a barrel.\nGold slipped back in late trading.";
    assert_eq!(passages(short).len(), 4);
}

#[test]
fn hard_wrapped_paragraphs_are_joined_with_offsets_kept() {
    let body = [FIRST, SECOND, THIRD].map(|p| wrap(p, 70, "")).join("\n\n");
    assert!(body.lines().all(|l| l.len() <= 70));
    let passages = passages(&body);
    assert_eq!(
        passages
            .iter()
            .map(|p| p.text.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect::<Vec<_>>(),
        [FIRST, SECOND, THIRD]
    );
    let second = &passages[1];
    assert!(body[second.start..second.end].contains('\n'));
    assert!(!second.text.contains('\n'));
    // An offset into the text is the same offset into the body.
    let at = second.text.find("ferry").unwrap();
    assert_eq!(&body[second.start + at..second.start + at + 5], "ferry");
    assert_invariants(&body);
}

#[test]
fn indented_lines_start_paragraphs_in_indentation_marked_text() {
    let body = [FIRST, SECOND, THIRD]
        .map(|p| wrap(p, 66, "   "))
        .join("\n");
    let got = texts(&body);
    assert_eq!(got.len(), 3, "{got:?}");
    assert!(got[0].starts_with("Quarterly") && got[1].starts_with("The authority"));
    assert!(got[2].starts_with("Northgate said"));
    assert_invariants(&body);
}

#[test]
fn unmarked_wrapped_text_breaks_where_a_sentence_ends_on_a_line_with_room() {
    let body = [FIRST, SECOND, THIRD].map(|p| wrap(p, 72, "")).join("\n");
    assert_eq!(texts(&body).len(), 3);
    assert_invariants(&body);
}

#[test]
fn crlf_line_breaks_are_handled() {
    let body = format!("{FIRST}\r\n\r\n{SECOND}\r\n{THIRD}\r\n");
    assert_eq!(texts(&body), [FIRST, SECOND, THIRD]);
    let wrapped = [FIRST, SECOND]
        .map(|p| wrap(p, 70, ""))
        .join("\n\n")
        .replace('\n', "\r\n");
    let passages = passages(&wrapped);
    assert_eq!(passages.len(), 2);
    assert!(passages[0].text.contains("rose 12%") && !passages[0].text.contains('\r'));
    assert_invariants(&wrapped);
}

#[test]
fn lone_carriage_returns_break_lines_too() {
    let body = format!("{FIRST}\r{SECOND}\r\r{THIRD}");
    assert_eq!(texts(&body), [FIRST, SECOND, THIRD]);
}

#[test]
fn an_indented_quotation_in_indentation_marked_text_stays_one_paragraph() {
    let quote = wrap(SECOND, 70, "    ").replace('\n', "\n    ");
    let body = format!(
        "{}\n{quote}\n{}",
        wrap(FIRST, 70, "  "),
        wrap(THIRD, 70, "  ")
    );
    let got = texts(&body);
    assert_eq!(got.len(), 3, "{got:?}");
    assert!(got[1].starts_with("The authority") && got[1].ends_with("dredging arm."));
    assert_invariants(&body);
}

#[test]
fn whitespace_only_lines_are_blank_and_passages_are_trimmed() {
    let body = format!("  \t\n   {FIRST}  \n \t \n\u{a0}{THIRD}\u{a0}\n   ");
    let passages = passages(&body);
    assert_eq!(passages.len(), 2);
    assert_eq!(passages[0].text, FIRST);
    assert_eq!(passages[1].text, THIRD);
    assert_eq!(&body[passages[0].start..passages[0].end], FIRST);
    assert!(super::passages("").is_empty());
    assert!(super::passages(" \r\n\t\n ").is_empty());
}

#[test]
fn short_list_lines_are_not_taken_for_wrapped_text() {
    let body = "KENYA:\nTotal dead: 192\nAmericans: 12\nInjured: 4,877\nHospitalized: 542";
    assert_eq!(
        texts(body),
        [
            "KENYA:",
            "Total dead: 192",
            "Americans: 12",
            "Injured: 4,877",
            "Hospitalized: 542"
        ]
    );
}

#[test]
fn list_items_in_wrapped_text_stay_apart() {
    let items = "The report recommends the following changes to the agency:\n\
                 - a comprehensive ban on smoking in all enclosed public places\n\
                 - fixed penalty notices for those who break the law, to be\n\
                 examined by the committee next year\n\
                 - a review of licensing for public houses";
    let body = format!("{}\n\n{items}", wrap(SECOND, 72, ""));
    let got = texts(&body);
    assert_eq!(got.len(), 5, "{got:?}");
    assert_eq!(
        got[3],
        "- fixed penalty notices for those who break the law, to be examined by the committee next year"
    );
    assert_invariants(&body);
}

#[test]
fn a_long_paragraph_is_split_between_sentences() {
    let paragraph = [FIRST, SECOND, THIRD, FIRST, SECOND, THIRD, FIRST].join(" ");
    let body = format!("{paragraph}\n\n{THIRD}");
    let passages = passages(&body);
    let words: Vec<usize> = passages
        .iter()
        .map(|p| p.text.split_whitespace().count())
        .collect();
    let total = paragraph.split_whitespace().count();
    let (chunks, last) = words.split_at(words.len() - 1);
    assert!(chunks.len() >= 2, "{words:?}");
    assert!(chunks.iter().all(|n| (20..=72).contains(n)), "{words:?}");
    assert_eq!(chunks.iter().sum::<usize>(), total);
    assert!(
        passages[..chunks.len()]
            .iter()
            .all(|p| p.text.ends_with('.'))
    );
    assert_eq!(last, [THIRD.split_whitespace().count()]);
    assert_eq!(passages.last().unwrap().text, THIRD);
    assert_invariants(&body);
}

#[test]
fn the_last_sentence_of_a_paragraph_over_60_words_starts_a_passage() {
    // Shaped like the seed article's 78-word paragraph whose last sentence opens
    // "Al-Sharaa, recognizing Syria's dependence ...": split above 60 words, that sentence
    // becomes the start of its own passage, so a hit on it points at it.
    let closing = "Warner, recognizing the port's dependence on ferry fares, especially in \
        winter and in the holiday months, seemed keen to use the new route to widen the \
        authority's income.";
    let body = format!("{FIRST}\n{SECOND} {closing}\n{THIRD}");
    let passages = passages(&body);
    let texts: Vec<&str> = passages.iter().map(|p| p.text.as_str()).collect();
    assert_eq!(texts.len(), 4, "{texts:#?}");
    assert_eq!(texts[1], SECOND);
    assert_eq!(texts[2], closing);
    let last = sentences(closing).pop().unwrap();
    assert_eq!(&closing[last], closing);
}

/// The bundled article (`corpus/`): 14 one-line paragraphs; a paragraph of at most
/// `MAX_WORDS` words is one passage, a longer one is cut between sentences, 27 in all.
#[test]
fn bundled_article_paragraphs_are_split_into_passages() {
    let file = include_str!("../../corpus/2025-10-15-syria-russia-moscow-talks.md");
    let body = file
        .splitn(3, "---\n")
        .nth(2)
        .expect("front matter, then the body");
    let passages = passages(body);
    let mut offset = 0;
    let mut lines = Vec::new();
    for line in body.split_inclusive('\n') {
        let trimmed = line.trim();
        if !trimmed.is_empty() {
            let start = offset + line.find(trimmed).unwrap();
            lines.push(start..start + trimmed.len());
        }
        offset += line.len();
    }
    assert_eq!(lines.len(), 14);
    for line in &lines {
        let inside: Vec<&Passage> = passages
            .iter()
            .filter(|p| p.start >= line.start && p.end <= line.end)
            .collect();
        let text = &body[line.clone()];
        if chunk::count_words(text) <= chunk::MAX_WORDS {
            assert_eq!(inside.len(), 1, "{text}");
            assert_eq!(inside[0].text, text);
        } else {
            assert!(inside.len() > 1, "{text}");
            assert_eq!(inside[0].start, line.start);
            assert_eq!(inside.last().unwrap().end, line.end);
        }
    }
    // No passage crosses a paragraph boundary.
    assert!(
        passages
            .iter()
            .all(|p| lines.iter().any(|l| p.start >= l.start && p.end <= l.end))
    );
    assert_eq!(passages.len(), 27);
    assert!(
        passages
            .iter()
            .any(|p| p.text.starts_with("Al-Sharaa, recognizing Syria"))
    );
    assert_invariants(body);
}

/// A tiny deterministic generator (xorshift), so the property test needs no extra crate.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// The generator's vocabulary, space-separated: abbreviations, quotes, numbers, non-ASCII.
const WORDS: &str = "the firm said Mr. U.S. Inc. 3.5% J. e.g. No. 10 “quoted” \"Yes.\" Smith. Why? \
    now! and... The He café Syria’s — - (AP) Jan. St. vs. $1.13bn growth, It '' `` etc. Co. \
    a.m. «Oui.» “Yes…” 日本. 😀! Ph.D. x. … . ?!";
/// Whitespace between words, from plain spaces to paragraph breaks and Unicode spaces.
const GAPS: &[&str] = &[
    " ", " ", " ", " ", "  ", "\t", "\n", "\r\n", "\n\n", " \n \n", "\u{a0}", "\n   ", "\u{2028}",
    "\u{3000}", "\r",
];

fn random_body(rng: &mut Rng) -> String {
    let vocabulary: Vec<&str> = WORDS.split_whitespace().collect();
    let paragraphs = 1 + rng.below(6);
    let mut body = String::new();
    for _ in 0..paragraphs {
        let longest = if rng.below(4) == 0 { 400 } else { 60 };
        let words = 1 + rng.below(longest);
        let mut paragraph = String::new();
        for _ in 0..words {
            paragraph.push_str(rng.pick(&vocabulary));
            paragraph.push(' ');
        }
        let text = match rng.below(4) {
            0 => {
                let width = 40 + rng.below(60);
                wrap(&paragraph, width, rng.pick(&["", "  ", "\t"]))
            }
            1 => paragraph.replace(' ', rng.pick(GAPS)),
            _ => {
                let mut mixed = String::new();
                for word in paragraph.split(' ') {
                    mixed.push_str(word);
                    mixed.push_str(rng.pick(GAPS));
                }
                mixed
            }
        };
        body.push_str(&text);
        body.push_str(rng.pick(&["\n", "\n\n", "\r\n", "\r\n\r\n", "\r", " \n\t\n"]));
    }
    body
}

#[test]
fn invariants_hold_on_generated_bodies() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for _ in 0..2000 {
        let body = random_body(&mut rng);
        assert_invariants(&body);
        for p in passages(&body) {
            // A chunk exceeds ~120 words only when one sentence does, never past 250.
            assert!(p.text.split_whitespace().count() <= chunk::HUGE_SENTENCE_WORDS);
            // A blank line always ends a passage.
            assert!(!body[p.start..p.end].replace('\r', "").contains("\n\n"));
        }
        let ranges = sentences(&body);
        for pair in ranges.windows(2) {
            assert!(pair[0].end <= pair[1].start);
            assert!(body[pair[0].end..pair[1].start].trim().is_empty());
        }
        for range in &ranges {
            assert!(!body[range.clone()].is_empty());
            assert_eq!(body[range.clone()].trim(), &body[range.clone()]);
        }
    }
}
