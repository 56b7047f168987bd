//! Tests of the tagger as a whole: the built-in model on news text, and saving/loading.

use super::train::{Background, Document, ExtraName, Sentence, TrainOptions, score, train};
use super::*;

fn found(mentions: &[EntityMention], kind: EntityKind, text: &str) -> bool {
    mentions.iter().any(|m| m.kind == kind && m.text == text)
}

/// A few sentences in the style of the seed article (our own wording), with the kinds
/// of names the tagger must find: Arabic names with particles, unseen places, outlets.
const EXCERPT: &str = "Russian President Vladimir Putin hosted Syria’s interim leader Ahmed \
al-Sharaa in Moscow on Wednesday, AP reported. Al-Sharaa, whose forces ousted Bashar \
al-Assad last year, discussed the Tartous naval port and the Hmeimim air base, Kremlin \
spokesman Dmitry Peskov told reporters.\n\
Foreign Minister Sergey Lavrov said Russia’s ties with Damascus were strong, according \
to Reuters and the BBC. Syria’s foreign minister Asaad al-Shibani told CBS News’ \
reporters that Assad must face trial, while NHK and SANA reported on the war in Ukraine \
and a ceasefire in Gaza brokered by U.S. President Donald Trump.";

#[test]
fn tags_names_in_news_text() {
    let mentions = Tagger::builtin().tag(EXCERPT);
    for m in &mentions {
        assert_eq!(&EXCERPT[m.start..m.end], m.text, "offsets index the text");
    }
    use EntityKind::*;
    let expected = [
        (Person, "Vladimir Putin"),
        (Person, "Ahmed al-Sharaa"),
        (Person, "Bashar al-Assad"),
        (Person, "Dmitry Peskov"),
        (Person, "Sergey Lavrov"),
        (Person, "Asaad al-Shibani"),
        (Person, "Donald Trump"),
        (Location, "Moscow"),
        (Location, "Syria"),
        (Location, "Russia"),
        (Location, "Damascus"),
        (Location, "Ukraine"),
        (Location, "Gaza"),
        (Organisation, "AP"),
        (Organisation, "Reuters"),
        (Organisation, "BBC"),
        (Organisation, "CBS News"),
        (Organisation, "NHK"),
        (Organisation, "SANA"),
    ];
    let missing: Vec<_> = expected
        .iter()
        .filter(|(k, t)| !found(&mentions, *k, t))
        .collect();
    assert!(missing.is_empty(), "missing {missing:?} in {mentions:#?}");
    // Possessives are never part of a mention.
    assert!(
        mentions
            .iter()
            .all(|m| !m.text.ends_with('s') || !m.text.contains('’'))
    );
}

#[test]
fn canonical_names_link_an_article() {
    let mut mentions = Tagger::builtin().tag(EXCERPT);
    canonicalize(&mut mentions);
    let canonical_of = |text: &str| {
        mentions
            .iter()
            .find(|m| m.text == text)
            .map(|m| m.canonical.as_str())
            .unwrap_or("")
    };
    assert_eq!(canonical_of("Al-Sharaa"), "Ahmed al-Sharaa");
    assert_eq!(canonical_of("Assad"), "Bashar al-Assad");
    assert_eq!(normalize_name(canonical_of("Russia")), "russia");
}

#[test]
fn mentions_have_no_edge_punctuation() {
    for text in ["Al-Sharaa, in turn, made it clear.", "“Moscow,” he said."] {
        for m in Tagger::builtin().tag(text) {
            assert!(m.text.starts_with(char::is_alphanumeric), "{m:?}");
            assert!(
                m.text.ends_with(|c: char| c.is_alphanumeric() || c == '.'),
                "{m:?}"
            );
        }
    }
}

#[test]
fn empty_and_plain_text_have_no_entities() {
    let tagger = Tagger::builtin();
    assert!(tagger.tag("").is_empty());
    assert!(tagger.tag("   \n\n ").is_empty());
    assert!(
        tagger
            .tag("it was a quiet day and nothing happened .")
            .is_empty()
    );
}

/// A tiny training set: enough for the learner to pick up the pattern.
fn toy_documents() -> Vec<Document> {
    let sentence = |text: &str, labels: &[usize]| Sentence {
        tokens: text.split(' ').map(String::from).collect(),
        labels: labels.to_vec(),
    };
    let doc = Document {
        sentences: vec![
            sentence("Peter Smith visited Paris .", &[1, 2, 0, 5, 0]),
            sentence("Anna Jones left Berlin today .", &[1, 2, 0, 5, 0, 0]),
            sentence(
                "Acme Corp. bought Widget Inc. shares .",
                &[3, 4, 0, 3, 4, 0, 0],
            ),
        ],
    };
    vec![doc.clone(), doc]
}

#[test]
fn model_round_trips_through_bytes() {
    let docs = toy_documents();
    let background = Background {
        names: vec![ExtraName {
            tokens: vec!["Paris".into()],
            bit: 6,
        }],
        sentences: vec![vec!["the".into(), "visit".into(), "Paris".into()]],
        unlabeled: Vec::new(),
    };
    // No pruning: on toy data every weight is small.
    let options = TrainOptions {
        epochs: 5,
        min_weight: 0.0,
        ..TrainOptions::default()
    };
    let tagger = train(&docs, &background, &options);
    let (tp, _, gold) = score(&tagger, &docs);
    assert_eq!(tp, gold, "the toy model learns its training data");
    let bytes = tagger.to_bytes();
    let loaded = Tagger::from_bytes(&bytes).expect("loads");
    assert_eq!(loaded.to_bytes(), bytes);
    let text = "Peter Smith visited Berlin.";
    assert_eq!(loaded.tag(text), tagger.tag(text));
    assert!(found(&loaded.tag(text), EntityKind::Person, "Peter Smith"));
}

#[test]
fn rejects_broken_models() {
    assert!(matches!(
        Tagger::from_bytes(b"not a model"),
        Err(ModelError::BadMagic)
    ));
    let bytes = Tagger::builtin().to_bytes();
    assert!(Tagger::from_bytes(&bytes[..bytes.len() / 2]).is_err());
}

#[test]
fn tagging_parts_matches_tagging_the_whole() {
    let tagger = Tagger::builtin();
    let whole = tagger.tag(EXCERPT);
    let parts: Vec<&str> = EXCERPT.split('\n').collect();
    let tagged = tagger.tag_parts(parts.iter().copied());
    assert_eq!(tagged.len(), parts.len());
    let mut offset = 0;
    let mut shifted = Vec::new();
    for (part, mentions) in parts.iter().zip(tagged) {
        for mut m in mentions {
            assert_eq!(&part[m.start..m.end], m.text);
            m.start += offset;
            m.end += offset;
            shifted.push(m);
        }
        offset += part.len() + 1;
    }
    assert_eq!(shifted, whole);
}

#[test]
fn courtesy_titles_are_not_part_of_a_name() {
    let text = "Mr Blair and Mrs Thatcher met Dr. Smith in London.";
    let people: Vec<String> = Tagger::builtin()
        .tag(text)
        .into_iter()
        .filter(|m| m.kind == EntityKind::Person)
        .map(|m| m.text)
        .collect();
    assert!(
        people
            .iter()
            .all(|p| !p.starts_with("Mr") && !p.starts_with("Dr")),
        "{people:?}"
    );
    assert!(people.contains(&"Blair".to_string()), "{people:?}");
}

#[test]
fn only_lowercase_words_away_from_capitals_skip_the_model() {
    let words = [
        "the", "Bank", "of", "England", "said", "on", "Monday", "that", "eBay", "and", "al-Assad",
        "rose", ".", "prices", "fell",
    ];
    let skipped: Vec<&str> = (0..words.len())
        .filter(|&i| super::plainly_not_a_name(&words, i))
        .map(|i| words[i])
        .collect();
    // "the" and "of" touch a capitalised word, "and" a name after a particle; "eBay"
    // has a capital, so it is scored, though the word before it is not; "rose" precedes
    // punctuation, which cannot start a name.
    assert_eq!(skipped, ["said", "that", "rose", "prices", "fell"]);
}

/// A mention as `(start byte, end byte, kind)`.
type Span = (usize, usize, EntityKind);

/// Gold mentions of `tests/data/ner-heldout.txt`: each line's plain text and its spans.
fn heldout() -> Vec<(String, Vec<Span>)> {
    let fixture = include_str!("../../tests/data/ner-heldout.txt");
    let mut out = Vec::new();
    for line in fixture
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        let (mut text, mut gold) = (String::new(), Vec::new());
        let mut rest = line;
        while let Some(open) = rest.find('[') {
            text.push_str(&rest[..open]);
            let close = open + rest[open..].find(']').expect("closed bracket");
            let (tag, name) = rest[open + 1..close].split_once(' ').expect("TYPE name");
            let kind = EntityKind::from_tag(tag).expect("known type");
            gold.push((text.len(), text.len() + name.len(), kind));
            text.push_str(name);
            rest = &rest[close + 1..];
        }
        text.push_str(rest);
        out.push((text, gold));
    }
    out
}

/// Precision and recall of exact mentions (span and type) over the held-out fixture, per
/// type and overall.
fn heldout_scores() -> Vec<(Option<EntityKind>, f64, f64)> {
    let tagger = Tagger::builtin();
    let (mut tp, mut predicted, mut gold) = ([0usize; 4], [0usize; 4], [0usize; 4]);
    let index = |k: EntityKind| {
        EntityKind::ALL
            .iter()
            .position(|&x| x == k)
            .expect("in ALL")
    };
    for (text, truth) in heldout() {
        let guess: Vec<Span> = tagger
            .tag(&text)
            .into_iter()
            .map(|m| (m.start, m.end, m.kind))
            .collect();
        for g in &guess {
            predicted[index(g.2)] += 1;
            tp[index(g.2)] += usize::from(truth.contains(g));
        }
        for t in &truth {
            gold[index(t.2)] += 1;
        }
    }
    let ratio = |a: usize, b: usize| a as f64 / b.max(1) as f64;
    let mut out: Vec<_> = EntityKind::ALL
        .iter()
        .map(|&k| {
            let i = index(k);
            (Some(k), ratio(tp[i], predicted[i]), ratio(tp[i], gold[i]))
        })
        .collect();
    let sum = |v: [usize; 4]| v.iter().sum::<usize>();
    out.push((
        None,
        ratio(sum(tp), sum(predicted)),
        ratio(sum(tp), sum(gold)),
    ));
    out
}

/// The model's quality on news it was neither trained nor tuned on, as numbers a retrain
/// cannot flip by chance. The shipped model reaches P 0.876 R 0.864 overall (PER 0.816 /
/// 0.969, ORG 0.897 / 0.650, LOC 0.964 / 0.931, MISC 0.727 / 0.941); the thresholds are
/// those less about five points overall and eight to fifteen per type, a few mentions'
/// worth (MISC has only 17 mentions and PER 32, so one error moves them three to six
/// points).
#[test]
fn precision_and_recall_on_held_out_news() {
    let fixture = heldout();
    let mentions: usize = fixture.iter().map(|(_, g)| g.len()).sum();
    assert!(
        fixture.len() >= 40 && mentions >= 140,
        "{mentions} mentions"
    );
    use EntityKind::*;
    let floors = [
        (Some(Person), 0.72, 0.85),
        (Some(Organisation), 0.80, 0.50),
        (Some(Location), 0.88, 0.83),
        (Some(Misc), 0.55, 0.75),
        (None, 0.82, 0.80),
    ];
    let scores = heldout_scores();
    for ((kind, p, r), (floor_kind, min_p, min_r)) in scores.iter().zip(floors) {
        assert_eq!(*kind, floor_kind);
        assert!(
            *p >= min_p && *r >= min_r,
            "{kind:?}: P {p:.3} R {r:.3} below {min_p} / {min_r}; all: {scores:?}"
        );
    }
}
