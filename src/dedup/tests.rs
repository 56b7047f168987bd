//! Unit tests of shingling, containment and grouping.

use super::*;

const STORY: &str = "The central bank raised its main interest rate by half a point on \
Thursday, the third increase this year, saying that inflation had proved more stubborn \
than it expected. The governor told reporters that the bank would do what it takes to \
bring prices under control, even if growth slowed sharply next year. Markets had \
expected a smaller move, and the currency rose against the dollar after the announcement. \
Economists said the decision showed the bank was more worried about prices than about \
jobs, and that further increases were likely before the summer. Mortgage lenders said \
they would pass the increase on to borrowers within days.";

/// An article record of `body` (also for `exchange`'s tests).
pub(super) fn record(id: &str, published: Option<i64>, body: &str) -> Record {
    Record {
        id: id.into(),
        published,
        sketch: Sketch::of(body),
    }
}

#[test]
fn words_are_normalised() {
    let w: Vec<String> = words("Rates ROSE, by 0.5%—“sharply”!\nO'Neil").collect();
    assert_eq!(w, ["rates", "rose", "by", "0", "5", "sharply", "o", "neil"]);
}

#[test]
fn shingles_ignore_case_spacing_and_punctuation() {
    let a = Sketch::of("The bank raised rates. Markets fell sharply on the news today.");
    let b = Sketch::of("the  bank raised rates\nmarkets fell, sharply, on the news today");
    assert_eq!(a, b);
    assert!(Sketch::of("four words only here").shingles.is_empty());
}

#[test]
fn containment_is_the_share_of_the_smaller_set() {
    assert_eq!(containment(&[1, 2, 3, 4], &[1, 2, 3, 4, 5, 6, 7, 8]), 1.0);
    assert_eq!(containment(&[1, 2, 3, 4], &[3, 4, 5, 6]), 0.5);
    assert_eq!(containment(&[3, 4, 5, 6], &[1, 2, 3, 4]), 0.5);
    assert_eq!(containment(&[], &[1]), 0.0);
}

#[test]
fn a_trimmed_copy_with_a_byline_is_a_copy() {
    let cut = STORY.rfind("Mortgage").unwrap();
    let copy = format!(
        "By Jane Doe, Staff Reporter\n\n{}\n(c) 2024 Wire Service",
        &STORY[..cut]
    );
    let (a, b) = (Sketch::of(STORY), Sketch::of(&copy));
    assert!(containment(&a.shingles, &b.shingles) >= THRESHOLD);
    assert!(copies(&a, &b));
}

#[test]
fn different_stories_and_short_texts_are_not_copies() {
    let other = STORY
        .replace("raised", "cut")
        .replace("half a point", "a quarter point")
        .replace("third increase", "first cut")
        .replace(
            "inflation had proved more stubborn",
            "growth had slowed faster",
        )
        .replace("Markets", "Investors")
        .replace("the currency rose", "the currency fell")
        .replace("more worried about prices", "more worried about jobs")
        .replace("further increases", "further cuts")
        .replace("pass the increase", "pass the cut");
    assert!(!copies(&Sketch::of(STORY), &Sketch::of(&other)));
    // Identical, but too short to tell from a template.
    let brief = "Shares of the company rose five percent in early trading on Monday.";
    assert!(!Sketch::of(brief).groupable());
    assert!(!copies(&Sketch::of(brief), &Sketch::of(brief)));
}

#[test]
fn a_brief_quoted_in_a_long_round_up_is_not_a_copy() {
    let first_half = &STORY[..STORY.find("Economists").unwrap()];
    // The brief whole, then as much again of other text (the story's words backwards).
    let other: Vec<&str> = STORY.split(' ').rev().collect();
    let round_up = format!("{first_half} {}", other.join(" "));
    let (brief, long) = (Sketch::of(first_half), Sketch::of(&round_up));
    assert!(brief.shingles.len() * 2 < long.shingles.len());
    assert!(!copies(&brief, &long));
}

#[test]
fn sketches_round_trip_through_bytes() {
    let s = Sketch::of(STORY);
    assert_eq!(s.signature.len(), SIGNATURE_LEN);
    assert_eq!(Sketch::from_bytes(&s.to_bytes()), Some(s));
    assert_eq!(Sketch::from_bytes(&[9, 0, 0, 0, 0]), None);
    // Every word hashed as `words` spells it, non-ASCII letters lowercased too.
    let words_of = |t: &str| -> Vec<u64> {
        words(t)
            .map(|w| {
                let mut h = FNV_OFFSET;
                for b in w.bytes() {
                    h = (h ^ u64::from(b)).wrapping_mul(FNV_PRIME);
                }
                mix(h)
            })
            .collect()
    };
    let text = "Zürich's ÉCOLE, naïve Straße: 3,5% — ΣΟΦΙΑ";
    assert_eq!(word_hashes(text), words_of(text));
    assert_eq!(Sketch::from_bytes(&[]), None);
}

#[test]
fn groups_pick_the_earliest_first_and_do_not_depend_on_order() {
    let cut = STORY.rfind("Economists").unwrap();
    let records = vec![
        record("wire/b", Some(200), STORY),
        record("paper/a", Some(100), &STORY[..cut]),
        record("paper/c", Some(100), &format!("By A. Writer. {STORY}")),
        record("undated", None, STORY),
        record("alone", Some(50), &STORY.replace(' ', " x ")),
    ];
    let groups = compute(records.clone());
    assert_eq!(groups.len(), 1);
    let members = groups.of("paper/a").unwrap();
    let ids: Vec<&str> = members.iter().map(|m| m.id).collect();
    // Ties on the date go to the smallest id; undated last.
    assert_eq!(ids, ["paper/a", "paper/c", "wire/b", "undated"]);
    assert_eq!(members[0].similarity, 1.0);
    assert!(members[2].similarity > 0.99);
    assert_eq!(groups.group_and_copies("wire/b"), ("paper/a".into(), 4));
    assert_eq!(groups.group_and_copies("alone"), ("alone".into(), 1));
    assert_eq!(groups.grouped_articles(), 4);
    let later: Vec<&str> = groups.later_copies().collect();
    assert_eq!(later, ["paper/c", "wire/b", "undated"]);
    let mut reversed = records;
    reversed.reverse();
    assert_eq!(compute(reversed), groups);
    let read = Groups::from_bytes(groups.bytes().to_vec()).unwrap();
    assert_eq!(read, groups);
    assert_eq!(read.group_and_copies("undated"), ("paper/a".into(), 4));
}

#[test]
fn a_table_cut_short_or_of_another_kind_is_refused() {
    let groups = compute(vec![
        record("a", Some(1), STORY),
        record("b", Some(2), STORY),
    ]);
    let bytes = groups.bytes();
    for cut in [0, 8, 15, bytes.len() - 1] {
        assert_eq!(
            Groups::from_bytes(bytes[..cut].to_vec()),
            None,
            "cut at {cut}"
        );
    }
    assert_eq!(Groups::from_bytes(b"{\"groups\":[]}".to_vec()), None);
    let empty = Groups::default();
    assert!(empty.is_empty());
    assert_eq!(Groups::from_bytes(empty.bytes().to_vec()), Some(empty));
}

#[test]
fn a_damaged_table_gives_no_crash() {
    let groups = compute(vec![
        record("a", Some(1), STORY),
        record("b", Some(2), STORY),
        record("c", Some(3), STORY),
    ]);
    let bytes = groups.bytes().to_vec();
    for at in 16..bytes.len() {
        let mut damaged = bytes.clone();
        damaged[at] ^= 0xff;
        if let Some(t) = Groups::from_bytes(damaged) {
            let _ = t.group_and_copies("b");
            let _ = t.later_copies().count();
            let _ = t.groups().count();
            let _ = t.of("a");
        }
    }
}

#[test]
fn the_avx2_signature_is_the_portable_one() {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        let mut h: u64 = 0x0123_4567_89ab_cdef;
        for n in [0, 1, 5, 97, 1000] {
            let hashes: Vec<u64> = (0..n)
                .map(|_| {
                    h = mix(h.wrapping_add(0x9E37_79B9_7F4A_7C15));
                    h
                })
                .collect();
            // SAFETY: the CPU has AVX2, checked above.
            let wide = unsafe { minhash_avx2(&hashes) };
            assert_eq!(wide, minhash_with(&hashes), "{n} hashes");
            assert_eq!(minhash(&hashes), wide);
        }
    }
}
