//! What the word before a period says about a sentence boundary.
//!
//! Takes the token right before a `.` (quotes and brackets stripped, see
//! `sentences::token_before`) and gives its [`Token`] class; also says whether the word
//! after a period is one that typically opens a sentence. The word lists are sorted so a
//! binary search finds a token in a few comparisons; a test keeps them sorted.

/// How the word before a single period bears on a sentence boundary.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Token {
    /// Never ends a sentence: titles before names, "e.g.", "vs.".
    Title,
    /// An abbreviation used before numbers ("No. 10", "Vol. 2"); before anything else it
    /// is a word ("The answer was No. Then ...").
    Numbering,
    /// An abbreviation, initial or dotted acronym that may or may not end the sentence.
    MayEnd,
    /// An ordinary word or number: the period ends the sentence.
    Word,
}

// The lists hold no word longer than 6 bytes (see `classify`).

/// Abbreviations that stand before a name or inside a phrase, never at a sentence end.
const TITLES: &[&str] = &[
    "Adm", "Capt", "Cdr", "Cmdr", "Col", "Cpl", "Cpt", "Det", "Dr", "E.g", "Fr", "Ft", "Gen",
    "Gens", "Gov", "Hon", "I.e", "Insp", "Lt", "Maj", "Messrs", "Mlle", "Mme", "Mr", "Mrs", "Ms",
    "Mt", "Pres", "Prof", "Pte", "Pvt", "Rep", "Reps", "Rev", "Sen", "Sens", "Sgt", "Supt",
    "approx", "ca", "cf", "e.g", "i.e", "v", "viz", "vs",
];

/// Abbreviations that stand before numbers.
const NUMBERING: &[&str] = &["Art", "Fig", "No", "Nos", "Op", "Vol", "fig", "pp", "vol"];

/// Abbreviations that usually sit mid-sentence but can end one ("... Apple Inc."):
/// company forms, months, US states as news agencies abbreviate them, street types.
const ABBREVIATIONS: &[&str] = &[
    "Ala", "Apr", "Ariz", "Ark", "Assn", "Aug", "Ave", "Blvd", "Bros", "Calif", "Co", "Colo",
    "Conn", "Corp", "Cos", "Dec", "Del", "Dept", "Esq", "Feb", "Fla", "Ga", "Ill", "Inc", "Ind",
    "Intl", "Jan", "Jr", "Jul", "Jun", "Kan", "Kans", "Ky", "La", "Ltd", "Mar", "Mass", "Md",
    "Mfg", "Mich", "Minn", "Miss", "Mo", "Mont", "Neb", "Nev", "Nov", "Oct", "Okla", "Ore", "Pa",
    "Plc", "Rd", "Sep", "Sept", "Sr", "St", "Tenn", "Tex", "Univ", "Va", "Vt", "Wash", "Wis",
    "Wyo", "al", "est", "etc",
];

/// Capitalised closed-class words that usually open a sentence: after an abbreviation
/// they are the evidence that it closed the previous sentence.
const SENTENCE_STARTERS: &[&str] = &[
    "A",
    "After",
    "All",
    "Also",
    "Although",
    "An",
    "And",
    "As",
    "At",
    "Because",
    "Before",
    "Both",
    "But",
    "By",
    "Dr",
    "Each",
    "Earlier",
    "For",
    "From",
    "He",
    "Her",
    "Here",
    "His",
    "How",
    "However",
    "I",
    "If",
    "In",
    "It",
    "Its",
    "Last",
    "Later",
    "Many",
    "Meanwhile",
    "Most",
    "Mr",
    "Mrs",
    "Ms",
    "My",
    "Next",
    "No",
    "Not",
    "Now",
    "Of",
    "On",
    "Or",
    "Other",
    "Our",
    "She",
    "Since",
    "So",
    "Some",
    "Still",
    "Such",
    "THE",
    "That",
    "The",
    "Their",
    "Then",
    "There",
    "These",
    "They",
    "This",
    "Those",
    "Though",
    "To",
    "We",
    "What",
    "When",
    "Where",
    "Which",
    "While",
    "Who",
    "Why",
    "With",
    "Yet",
    "You",
];

/// The class of `token`, the word before a period.
pub(crate) fn classify(token: &str) -> Token {
    // Most periods follow ordinary words or numbers: skip the list searches for them.
    let plain = token.len() > 6 || token.starts_with(|c: char| c.is_ascii_digit());
    if plain && !token.contains('.') {
        return Token::Word;
    }
    if is_in(TITLES, token) {
        Token::Title
    } else if is_in(NUMBERING, token) {
        Token::Numbering
    } else if is_in(ABBREVIATIONS, token) || is_initial(token) || is_dotted_acronym(token) {
        Token::MayEnd
    } else {
        Token::Word
    }
}

/// Whether `rest` starts with a word from [`SENTENCE_STARTERS`]. A one-letter word
/// followed by a period is an initial ("J. A. Smith"), not the article "A".
pub(crate) fn is_sentence_starter(rest: &str) -> bool {
    let word_len = rest
        .char_indices()
        .find(|&(_, c)| !c.is_alphabetic())
        .map_or(rest.len(), |(i, _)| i);
    if word_len == 1 && rest[word_len..].starts_with('.') {
        return false;
    }
    is_in(SENTENCE_STARTERS, &rest[..word_len])
}

fn is_in(sorted: &[&str], token: &str) -> bool {
    sorted.binary_search(&token).is_ok()
}

/// A single capital letter: an initial as in "George W. Bush".
fn is_initial(token: &str) -> bool {
    let mut chars = token.chars();
    matches!((chars.next(), chars.next()), (Some(c), None) if c.is_uppercase())
}

/// "U.S", "U.K", "a.m", "Ph.D", "J.R.R": two or more dot-separated pieces of one or two
/// letters. Longer pieces ("bbc.co.uk") make it a host name, an ordinary word.
fn is_dotted_acronym(token: &str) -> bool {
    token.contains('.')
        && token.split('.').all(|piece| {
            let letters = piece.chars().count();
            (1..=2).contains(&letters) && piece.chars().all(char::is_alphabetic)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_lists_are_sorted_for_binary_search() {
        for list in [TITLES, NUMBERING, ABBREVIATIONS, SENTENCE_STARTERS] {
            assert!(list.windows(2).all(|w| w[0] < w[1]), "unsorted: {list:?}");
        }
        for list in [TITLES, NUMBERING, ABBREVIATIONS] {
            assert!(
                list.iter().all(|word| word.len() <= 6),
                "too long: {list:?}"
            );
        }
    }

    #[test]
    fn classifies_the_word_before_a_period() {
        assert_eq!(classify("Mr"), Token::Title);
        assert_eq!(classify("e.g"), Token::Title);
        assert_eq!(classify("No"), Token::Numbering);
        assert_eq!(classify("Inc"), Token::MayEnd);
        assert_eq!(classify("U.S"), Token::MayEnd);
        assert_eq!(classify("Ph.D"), Token::MayEnd);
        assert_eq!(classify("W"), Token::MayEnd);
        assert_eq!(classify("bbc.co.uk"), Token::Word);
        assert_eq!(classify("2004"), Token::Word);
        assert_eq!(classify("said"), Token::Word);
        assert_eq!(classify("inc"), Token::Word);
    }

    #[test]
    fn recognises_sentence_starters_but_not_initials() {
        assert!(is_sentence_starter("The company"));
        assert!(is_sentence_starter("It's over"));
        assert!(is_sentence_starter("A spokesman"));
        assert!(!is_sentence_starter("A. Smith"));
        assert!(!is_sentence_starter("Embassy"));
        assert!(!is_sentence_starter("Theresa"));
    }
}
