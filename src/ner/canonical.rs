//! Linking the mentions of one article to canonical names, and the name matching key.
//!
//! [`normalize_name`] takes a name as written and gives the key the index matches names
//! by. [`canonicalize`] takes all mentions of one article in text order and sets each
//! one's `canonical` to the article's fullest form of that name: mentions with the same
//! key are one entity, and a person named by surname only ("Putin", "Assad") joins the
//! person whose full name ends with it ("Vladimir Putin", "Bashar al-Assad").

use std::collections::HashMap;

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use crate::model::{EntityKind, EntityMention};

/// Company-form words that end a name without changing the company: "Exxon Corp.",
/// "Exxon, Inc." and "Exxon" are one key. Compared after lowercasing, dots removed.
const CORPORATE_SUFFIXES: &[&str] = &[
    "corp",
    "corporation",
    "inc",
    "incorporated",
    "co",
    "ltd",
    "limited",
    "llc",
    "plc",
    "ag",
    "sa",
    "nv",
    "group",
    "holdings",
];

/// The matching key of a name, the term the index holds and every count groups by:
/// diacritics folded (and ø, ß, æ, œ, ł, đ, ð, þ, ı spelled in ASCII), lowercased, curly
/// apostrophes made straight, dots removed ("U.S." -> "us"), commas around words removed,
/// a leading "the", a trailing possessive and trailing corporate suffixes
/// ([`CORPORATE_SUFFIXES`], with an "&" before them) removed, whitespace collapsed. A
/// word the rules would remove is kept when it is the whole name ("The Co" -> "co",
/// "Group" -> "group").
/// "the Kremlin’s" -> "kremlin", "Exxon, Inc." -> "exxon", "Bashar al-Assad" -> "bashar al-assad".
pub fn normalize_name(name: &str) -> String {
    let mut folded = String::with_capacity(name.len());
    for c in name.nfkd().filter(|c| !is_combining_mark(*c)) {
        for c in c.to_lowercase() {
            match c {
                '’' | '‘' | 'ʼ' | '`' => folded.push('\''),
                '.' => {}
                'ø' => folded.push('o'),
                'ß' => folded.push_str("ss"),
                'æ' => folded.push_str("ae"),
                'œ' => folded.push_str("oe"),
                'ł' => folded.push('l'),
                'đ' | 'ð' => folded.push('d'),
                'þ' => folded.push_str("th"),
                'ı' => folded.push('i'),
                c => folded.push(c),
            }
        }
    }
    let mut words: Vec<&str> = folded
        .split_whitespace()
        .map(|w| w.trim_matches(','))
        .filter(|w| !w.is_empty())
        .collect();
    if words.len() > 1 && words[0] == "the" {
        words.remove(0);
    }
    if let Some(last) = words.last_mut() {
        let stripped = last.strip_suffix("'s").or_else(|| last.strip_suffix('\''));
        if let Some(s) = stripped.filter(|s| !s.is_empty()) {
            *last = s;
        }
    }
    if words.last() == Some(&"'s") && words.len() > 1 {
        words.pop();
    }
    while words.len() > 1 && CORPORATE_SUFFIXES.contains(words.last().expect("not empty")) {
        words.pop();
        if words.len() > 1 && words.last() == Some(&"&") {
            words.pop();
        }
    }
    words.join(" ")
}

/// Whether a tagged name is a negated or opposing form of a name ("non-OPEC",
/// "Non-Opec", "anti-Soviet", "non-Champions League"): `non-` or `anti-` before a
/// capital, written in lowercase (whatever follows), or capitalised on a one-word
/// mention. Such a mention is not the entity it contains and is dropped at tagging; a
/// name of several words starting with a capitalised prefix ("Non-Aligned Movement",
/// "Anti-Defamation League") is a name of its own.
pub fn is_negated(name: &str) -> bool {
    let name = name.trim();
    let one_word = !name.contains(char::is_whitespace);
    ["non-", "anti-"].iter().any(|prefix| {
        let lower = name.starts_with(prefix);
        let capital = one_word
            && name
                .get(..prefix.len())
                .is_some_and(|p| p.eq_ignore_ascii_case(prefix));
        (lower || capital)
            && name
                .get(prefix.len()..)
                .and_then(|rest| rest.chars().next())
                .is_some_and(char::is_uppercase)
    })
}

/// A name as displayed: possessive and leading "the" removed, whitespace collapsed, case
/// and diacritics kept.
fn display_form(surface: &str) -> String {
    let mut words: Vec<&str> = surface.split_whitespace().collect();
    if words.len() > 1 && words[0].eq_ignore_ascii_case("the") {
        words.remove(0);
    }
    if let Some(last) = words.last_mut() {
        for suffix in ["'s", "’s", "'S", "’S", "'", "’"] {
            if let Some(s) = last.strip_suffix(suffix).filter(|s| !s.is_empty()) {
                *last = s;
                break;
            }
        }
    }
    words.join(" ")
}

/// A surname for matching: the last word without an Arabic article ("al-assad" ->
/// "assad"), so "Assad" finds "Bashar al-Assad".
fn surname(word: &str) -> &str {
    for article in ["al-", "el-", " al ", "el "] {
        if let Some(rest) = word.strip_prefix(article).filter(|r| !r.is_empty()) {
            return rest;
        }
    }
    word
}

/// Whether person key `short` names the same person as the longer key `full`: its
/// words are the last words of `full` ("putin" / "vladimir putin"), comparing surnames
/// without "al-".
/// Both keys come split into words (a person is compared with every other person of the
/// article, so splitting once per mention, not once per pair, matters on long articles).
fn is_surname_of(short: &[&str], full: &[&str]) -> bool {
    if short.len() >= full.len() {
        return false;
    }
    let tail = &full[full.len() - short.len()..];
    short
        .iter()
        .zip(tail)
        .all(|(a, b)| a == b || surname(a) == surname(b))
}

/// Sets `canonical` on all mentions of one article (in text order) to the fullest,
/// best-cased form of their entity. Mentions are not reordered or removed.
pub fn canonicalize(mentions: &mut [EntityMention]) {
    let keys: Vec<String> = mentions.iter().map(|m| normalize_name(&m.text)).collect();
    // The words of each person's key; none for other kinds.
    let person_words: Vec<Option<Vec<&str>>> = mentions
        .iter()
        .zip(&keys)
        .map(|(m, k)| (m.kind == EntityKind::Person).then(|| k.split(' ').collect()))
        .collect();
    let target: Vec<&str> = (0..mentions.len())
        .map(|i| {
            let k = keys[i].as_str();
            let Some(short) = &person_words[i] else {
                return k;
            };
            // Among the longest full names this one ends, the nearest earlier one wins,
            // else the first later one.
            let mut best: Option<(usize, usize)> = None;
            for j in (0..i).rev().chain(i + 1..mentions.len()) {
                if let Some(full) = &person_words[j]
                    && is_surname_of(short, full)
                    && best.is_none_or(|(_, words)| full.len() > words)
                {
                    best = Some((j, full.len()));
                }
            }
            best.map_or(k, |(j, _)| keys[j].as_str())
        })
        .collect();
    // The display form of each key: the first surface in mixed case ("Moscow", not
    // "MOSCOW"), else the first surface.
    let mixed = |t: &str| t.chars().any(char::is_uppercase) && t.chars().any(char::is_lowercase);
    let mut display: HashMap<&str, String> = HashMap::new();
    for (m, k) in mentions.iter().zip(&keys) {
        let replace = display
            .get(k.as_str())
            .is_none_or(|d| !mixed(d) && mixed(&m.text));
        if replace {
            display.insert(k, display_form(&m.text));
        }
    }
    let canonical: Vec<String> = target.iter().map(|t| display[t].clone()).collect();
    for (m, c) in mentions.iter_mut().zip(canonical) {
        m.canonical = c;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mention(text: &str, kind: EntityKind) -> EntityMention {
        EntityMention {
            start: 0,
            end: text.len(),
            text: text.into(),
            kind,
            canonical: text.into(),
        }
    }

    fn canon(names: &[(&str, EntityKind)]) -> Vec<String> {
        let mut m: Vec<EntityMention> = names.iter().map(|(t, k)| mention(t, *k)).collect();
        canonicalize(&mut m);
        m.into_iter().map(|m| m.canonical).collect()
    }

    #[test]
    fn normalizes_names_for_matching() {
        assert_eq!(normalize_name("the Kremlin’s"), "kremlin");
        assert_eq!(normalize_name("Russia's"), "russia");
        assert_eq!(normalize_name("  Bashar   al-Assad "), "bashar al-assad");
        assert_eq!(normalize_name("Ahmed al-Sharaa"), "ahmed al-sharaa");
        assert_eq!(normalize_name("Zürich"), "zurich");
        assert_eq!(normalize_name("SÃO PAULO"), "sao paulo");
        assert_eq!(normalize_name("The Hague"), "hague");
        assert_eq!(normalize_name("CBS News’"), "cbs news");
    }

    #[test]
    fn corporate_suffixes_dots_and_commas_do_not_split() {
        for name in [
            "Exxon",
            "Exxon Corp",
            "Exxon Corp.",
            "Exxon, Inc.",
            "EXXON CORPORATION",
            "Exxon Corp's",
            "the Exxon Co.",
            "Exxon Holdings plc",
            "Exxon & Co",
        ] {
            assert_eq!(normalize_name(name), "exxon", "{name}");
        }
        assert_eq!(normalize_name("Deutsche Bank AG"), "deutsche bank");
        assert_eq!(
            normalize_name("Royal Dutch/Shell Group"),
            "royal dutch/shell"
        );
        assert_eq!(normalize_name("U.S."), "us");
        assert_eq!(normalize_name("U.S.'s"), "us");
        assert_eq!(normalize_name("Søren Kierkegaard"), "soren kierkegaard");
        assert_eq!(normalize_name("Straße"), "strasse");
    }

    #[test]
    fn a_name_that_is_only_a_suffix_or_the_stays() {
        assert_eq!(normalize_name("Group"), "group");
        assert_eq!(normalize_name("The Co"), "co");
        assert_eq!(normalize_name("Co."), "co");
        assert_eq!(normalize_name("The"), "the");
        assert_eq!(normalize_name("Group Holdings"), "group");
        assert_eq!(normalize_name(" , "), "");
        // Longer names that only contain another stay apart.
        assert_eq!(normalize_name("Bank of England"), "bank of england");
        assert_ne!(normalize_name("non-OPEC"), normalize_name("OPEC"));
    }

    #[test]
    fn negated_forms_are_recognised() {
        assert!(is_negated("non-OPEC"));
        assert!(is_negated("non-Opec"));
        assert!(is_negated("anti-Soviet"));
        assert!(is_negated("Non-OPEC"));
        assert!(is_negated("non-U.S."));
        assert!(is_negated("non-Champions League"));
        assert!(!is_negated("Non-European Union Treaty"));
        assert!(!is_negated("non-governmental"));
        assert!(!is_negated("Non-Aligned Movement"));
        assert!(!is_negated("Anti-Defamation League"));
        assert!(!is_negated("OPEC"));
        assert!(!is_negated("non-"));
    }

    #[test]
    fn links_surnames_to_full_names() {
        use EntityKind::*;
        let got = canon(&[
            ("Vladimir Putin", Person),
            ("Bashar al-Assad", Person),
            ("Putin", Person),
            ("Assad", Person),
            ("PUTIN", Person),
            ("al-Sharaa", Person),
            ("Ahmed al-Sharaa", Person),
        ]);
        assert_eq!(
            got,
            [
                "Vladimir Putin",
                "Bashar al-Assad",
                "Vladimir Putin",
                "Bashar al-Assad",
                "Vladimir Putin",
                "Ahmed al-Sharaa",
                "Ahmed al-Sharaa"
            ]
        );
    }

    #[test]
    fn case_possessive_and_diacritics_do_not_split() {
        use EntityKind::*;
        let got = canon(&[
            ("MOSCOW", Location),
            ("Moscow", Location),
            ("the Kremlin", Organisation),
            ("Kremlin", Organisation),
            ("Zurich", Location),
            ("Zürich", Location),
        ]);
        assert_eq!(
            got,
            ["Moscow", "Moscow", "Kremlin", "Kremlin", "Zurich", "Zurich"]
        );
    }

    #[test]
    fn surnames_shared_by_two_people_go_to_the_nearest() {
        use EntityKind::*;
        let got = canon(&[
            ("George Bush", Person),
            ("Bush", Person),
            ("Jeb Bush", Person),
            ("Bush", Person),
        ]);
        assert_eq!(got, ["George Bush", "George Bush", "Jeb Bush", "Jeb Bush"]);
        // Locations are never merged by their last word.
        let got = canon(&[("New York", Location), ("York", Location)]);
        assert_eq!(got, ["New York", "York"]);
    }
}
