//! Training the tagger: reading CoNLL-2003 and GMB data, averaged-perceptron learning.
//!
//! Takes CoNLL-2003 documents (IOB1 tags, converted to IOB2) and optional extra names for
//! the gazetteer (GMB), and gives a [`Tagger`]. Used by `examples/train_ner.rs`, which
//! `scripts/train-ner.sh` runs to rebuild `models/ner.bin`; nothing here runs at tagging
//! time. The gazetteer built from the training names is jackknifed: each fold of
//! documents sees only the names of the other folds, so the model learns how much a
//! gazetteer hit is worth on names it has not seen, not "no hit means no entity".

use std::collections::HashMap;
use std::path::Path;

use anyhow::{Context, bail};

pub use super::perceptron::{TrainOptions, score, train};

use super::features::{GAZETTEER_TYPES, LABELS};
use super::gazetteer::Gazetteer;
use super::outlets::NEWS_OUTLETS;
use super::spans;

/// Gazetteer type bit of the built-in news outlets.
const OUTLET_BIT: u8 = 8;
use crate::model::EntityKind;

/// One sentence of training or evaluation data.
#[derive(Clone, Debug, Default)]
pub struct Sentence {
    pub tokens: Vec<String>,
    /// IOB2 label numbers: 0 = O, `1 + 2k` = B- and `2 + 2k` = I- of `EntityKind::ALL[k]`.
    pub labels: Vec<usize>,
}

/// One `-DOCSTART-` document.
#[derive(Clone, Debug, Default)]
pub struct Document {
    pub sentences: Vec<Sentence>,
}

/// A name for the gazetteer from outside the CoNLL training data.
#[derive(Clone, Debug)]
pub struct ExtraName {
    pub tokens: Vec<String>,
    /// Gazetteer type bit: 4 = person, 5 = organisation, 6 = geographic, 7 = geopolitical
    /// (GMB's types), 8 = news outlet.
    pub bit: u8,
}

fn label_number(tag: &str, prev: usize) -> anyhow::Result<usize> {
    if tag == "O" {
        return Ok(0);
    }
    let (prefix, kind) = tag
        .split_once('-')
        .with_context(|| format!("bad tag {tag}"))?;
    let k = EntityKind::from_tag(kind).with_context(|| format!("bad entity type {kind}"))?;
    let k = EntityKind::ALL
        .iter()
        .position(|&x| x == k)
        .expect("in ALL");
    // IOB1 -> IOB2: an I- that doesn't continue the same type begins an entity.
    let continues = prev != 0 && prev < LABELS && (prev - 1) / 2 == k;
    Ok(if prefix == "B" || !continues {
        1 + 2 * k
    } else {
        2 + 2 * k
    })
}

/// Reads a CoNLL-2003 file (`word POS chunk NER` lines, IOB1 tags).
pub fn read_conll(path: &Path) -> anyhow::Result<Vec<Document>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let mut docs: Vec<Document> = Vec::new();
    let mut sentence = Sentence::default();
    for (n, line) in text.lines().enumerate() {
        let fields: Vec<&str> = line.split(' ').collect();
        if line.trim().is_empty() || fields[0] == "-DOCSTART-" {
            if !sentence.tokens.is_empty() {
                docs.last_mut()
                    .context("sentence before -DOCSTART-")?
                    .sentences
                    .push(sentence);
                sentence = Sentence::default();
            }
            if fields[0] == "-DOCSTART-" {
                docs.push(Document::default());
            }
            continue;
        }
        let (word, tag) = match fields.as_slice() {
            [word, .., tag] if fields.len() >= 2 => (*word, *tag),
            _ => bail!("{}:{}: expected `word ... TAG`", path.display(), n + 1),
        };
        let prev = sentence.labels.last().copied().unwrap_or(0);
        let label =
            label_number(tag, prev).with_context(|| format!("{}:{}", path.display(), n + 1))?;
        sentence.tokens.push(word.to_string());
        sentence.labels.push(label);
    }
    if !sentence.tokens.is_empty() {
        docs.last_mut()
            .context("sentence before -DOCSTART-")?
            .sentences
            .push(sentence);
    }
    Ok(docs)
}

/// Title words GMB puts inside person names ("President Bush"); dropped from the front.
const TITLES: &[&str] = &[
    "mr.",
    "mrs.",
    "ms.",
    "dr.",
    "president",
    "prime",
    "minister",
    "secretary",
    "general",
    "senator",
    "foreign",
    "defense",
    "vice",
    "chancellor",
    "king",
    "queen",
    "prince",
    "pope",
    "sheikh",
    "ayatollah",
    "governor",
    "chairman",
    "premier",
    "ambassador",
    "envoy",
    "chief",
    "commander",
    "lieutenant",
    "colonel",
    "major",
    "captain",
    "judge",
    "justice",
    "sen.",
    "gen.",
    "gov.",
    "lt.",
    "col.",
    "rep.",
    "interior",
    "state",
    "deputy",
    "former",
    "leader",
    "spokesman",
    "cardinal",
    "archbishop",
    "bishop",
    "rev.",
    "of",
    "the",
    "finance",
    "trade",
    "opposition",
    "army",
    "police",
    "u.n.",
    "u.s.",
    "nato",
    "al-qaida",
    "taleban",
    "taliban",
];

/// Knowledge from outside the CoNLL training text.
#[derive(Clone, Debug, Default)]
pub struct Background {
    /// Names for the gazetteer.
    pub names: Vec<ExtraName>,
    /// Tokenised unlabeled sentences, for the capitalisation statistics (and clusters).
    pub sentences: Vec<Vec<String>>,
    /// More tokenised unlabeled text, for the word clusters only.
    pub unlabeled: Vec<Vec<String>>,
}

/// Reads the `.txt` files under `dir` (any depth, in path order) as unlabeled text:
/// each line split into sentences and tokens the way the tagger splits text.
pub fn read_text_dir(dir: &Path) -> anyhow::Result<Vec<Vec<String>>> {
    let mut paths = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(d) = pending.pop() {
        for entry in std::fs::read_dir(&d).with_context(|| format!("listing {}", d.display()))? {
            let path = entry?.path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "txt") {
                paths.push(path);
            }
        }
    }
    paths.sort();
    let mut sentences = Vec::new();
    for path in paths {
        let raw = std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
        let (text, _, _) = encoding_rs::WINDOWS_1252.decode(&raw);
        let text = match std::str::from_utf8(&raw) {
            Ok(utf8) => utf8,
            Err(_) => &text,
        };
        let tokens = super::tokenize::tokenize(text);
        for range in super::tokenize::sentences(text, &tokens) {
            let words = tokens[range]
                .iter()
                .map(|t| text[t.start..t.end].to_string());
            sentences.push(words.collect());
        }
    }
    Ok(sentences)
}

/// Reads the GMB NER CSV (Latin-1; `Sentence #,Word,POS,Tag`, IOB2 tags): its sentences,
/// and the names of its `per`, `org`, `geo` and `gpe` entities (other types are ignored).
pub fn read_gmb(path: &Path) -> anyhow::Result<Background> {
    let raw = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    let (text, _, _) = encoding_rs::WINDOWS_1252.decode(&raw);
    let mut names: Vec<ExtraName> = Vec::new();
    let mut sentences: Vec<Vec<String>> = Vec::new();
    let mut open: Option<ExtraName> = None;
    for line in text.split("\r\n").skip(1) {
        // Words may contain commas only when quoted; the tag and POS never do.
        let mut fields = line.rsplitn(3, ',');
        let (Some(tag), Some(_pos), Some(rest)) = (fields.next(), fields.next(), fields.next())
        else {
            continue;
        };
        let (sentence_mark, word) = rest.split_once(',').unwrap_or(("", rest));
        let word = word.trim_matches('"');
        if !sentence_mark.is_empty() || sentences.is_empty() {
            sentences.push(Vec::new());
        }
        sentences
            .last_mut()
            .expect("pushed above")
            .push(word.to_string());
        let bit = match tag.get(2..) {
            Some("per") => Some(4),
            Some("org") => Some(5),
            Some("geo") => Some(6),
            Some("gpe") => Some(7),
            _ => None,
        };
        let continues = tag.starts_with("I-") && open.as_ref().is_some_and(|o| Some(o.bit) == bit);
        if continues {
            open.as_mut()
                .expect("checked")
                .tokens
                .push(word.to_string());
            continue;
        }
        names.extend(open.take());
        if let (Some(bit), true) = (bit, tag.starts_with("B-")) {
            open = Some(ExtraName {
                tokens: vec![word.to_string()],
                bit,
            });
        }
    }
    names.extend(open);
    let mut names = majority_types(names);
    for name in &mut names {
        if name.bit == 4 {
            let drop = name
                .tokens
                .iter()
                .take_while(|t| TITLES.contains(&t.to_lowercase().as_str()))
                .count();
            name.tokens.drain(..drop);
        }
    }
    names.retain(|n| !n.tokens.is_empty());
    Ok(Background {
        names,
        sentences,
        unlabeled: Vec::new(),
    })
}

/// Keeps, for each distinct name, the types that make up at least a quarter of its
/// occurrences: GMB tags "BBC" as geo once and org 22 times, and one stray tag should not
/// make a name look ambiguous.
fn majority_types(names: Vec<ExtraName>) -> Vec<ExtraName> {
    let mut counts: HashMap<Vec<String>, [u32; GAZETTEER_TYPES]> = HashMap::new();
    for n in names {
        counts.entry(n.tokens).or_default()[usize::from(n.bit)] += 1;
    }
    let mut out = Vec::new();
    for (tokens, by_bit) in counts {
        let total: u32 = by_bit.iter().sum();
        for (bit, &n) in by_bit.iter().enumerate() {
            if n * 4 >= total && n > 0 {
                out.push(ExtraName {
                    tokens: tokens.clone(),
                    bit: bit as u8,
                });
            }
        }
    }
    out.sort_by(|a, b| (&a.tokens, a.bit).cmp(&(&b.tokens, b.bit)));
    out
}

/// The names annotated in `docs`, as (tokens, kind index).
fn entity_names(doc: &Document) -> Vec<(Vec<&str>, u8)> {
    let mut out = Vec::new();
    for s in &doc.sentences {
        for (first, last, kind) in spans(&s.labels) {
            let k = EntityKind::ALL
                .iter()
                .position(|&x| x == kind)
                .expect("in ALL") as u8;
            out.push((
                s.tokens[first..=last].iter().map(String::as_str).collect(),
                k,
            ));
        }
    }
    out
}

pub(crate) fn build_gazetteer<'a>(
    docs: impl Iterator<Item = &'a Document>,
    extra: &[ExtraName],
) -> Gazetteer {
    let mut g = Gazetteer::default();
    for doc in docs {
        for (tokens, k) in entity_names(doc) {
            g.insert(&tokens, k);
        }
    }
    for name in extra {
        let tokens: Vec<&str> = name.tokens.iter().map(String::as_str).collect();
        g.insert(&tokens, name.bit);
    }
    for outlet in NEWS_OUTLETS {
        let tokens: Vec<&str> = outlet.split(' ').collect();
        g.insert(&tokens, OUTLET_BIT);
    }
    g
}
