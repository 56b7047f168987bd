//! The learner: a greedy left-to-right averaged perceptron over the tagger's features.
//!
//! Takes training documents, background knowledge and options, and gives a [`Tagger`]
//! whose weights are the averages over all updates (which generalise far better than
//! the last weights), further averaged over a few runs in different data orders.
//! Decoding during training is exactly the tagger's: the same feature functions, the
//! same IOB2 constraint, the same document memory, and the previously *predicted* labels
//! as history.

use std::collections::HashMap;

use super::casing::CaseStats;
use super::clusters::WordClusters;
use super::fastmap::FastMap;
use super::features::{self, BOUNDARY, FeatureSink, LABELS, WordInfo, mix};
use super::gazetteer::Gazetteer;
use super::memory::DocMemory;
use super::train::{Background, Document, build_gazetteer};
use super::weights::Weights;
use super::{Tagger, best_label, spans};

/// Learning settings. The defaults build the shipped model.
#[derive(Clone, Debug)]
pub struct TrainOptions {
    /// Passes over the training documents per run.
    pub epochs: usize,
    /// Jackknife folds for the training-name gazetteer.
    pub folds: usize,
    /// Seed of the first run's data shuffles; run `r` uses `seed + r`. One run's result
    /// swings by a few tenths of a point of F1 with its seed, and rare unseen names near
    /// a type boundary can flip; the average over [`TrainOptions::runs`] seeds swings
    /// much less.
    pub seed: u64,
    /// Weight rows whose largest absolute averaged weight is below this are dropped
    /// (1.0 halves the model and speeds tagging at no measured cost).
    pub min_weight: f32,
    /// Independent training runs (seeds `seed`, `seed + 1`, ...) whose averaged weights
    /// are averaged again: the shipped model's rule, fixed before looking at any output.
    pub runs: usize,
}

impl Default for TrainOptions {
    fn default() -> Self {
        TrainOptions {
            epochs: 12,
            folds: 5,
            seed: 1,
            min_weight: 1.0,
            runs: 10,
        }
    }
}

/// Feature dictionary and weights that grow while training.
struct Learner {
    rows: FastMap<u32, u32>,
    weights: Vec<f32>,
    /// Sum of `update * time` per weight, for the lazy average `w - totals / time`.
    totals: Vec<f64>,
    time: f64,
}

impl Learner {
    fn resolve(&mut self, key: u32) -> u32 {
        let next = self.rows.len() as u32;
        let row = *self.rows.entry(key).or_insert(next);
        if row == next {
            self.weights.extend([0.0; LABELS]);
            self.totals.extend([0.0; LABELS]);
        }
        row
    }

    /// A sink that resolves keys (adding new features) and collects rows in `rows`.
    fn sink<'a>(&'a mut self, rows: &'a mut Vec<u32>) -> Collect<'a> {
        Collect {
            learner: self,
            rows,
        }
    }

    fn scores(&self, rows: &[u32]) -> [f32; LABELS] {
        let mut s = [0.0; LABELS];
        for &r in rows {
            let r = r as usize * LABELS;
            for (s, w) in s.iter_mut().zip(&self.weights[r..r + LABELS]) {
                *s += w;
            }
        }
        s
    }

    fn update(&mut self, rows: &[u32], label: usize, delta: f32) {
        for &r in rows {
            let i = r as usize * LABELS + label;
            self.weights[i] += delta;
            self.totals[i] += f64::from(delta) * self.time;
        }
    }
}

/// Collects the rows of features, growing the dictionary with new keys.
struct Collect<'a> {
    learner: &'a mut Learner,
    rows: &'a mut Vec<u32>,
}

impl FeatureSink<WordInfo> for Collect<'_> {
    fn word(&mut self, w: &WordInfo, slot: usize) {
        self.rows.extend_from_slice(&w.slots[slot]);
    }

    fn key(&mut self, key: u32) {
        let row = self.learner.resolve(key);
        self.rows.push(row);
    }
}

/// One training sentence with its label-independent feature rows precomputed.
struct Prepared<'a> {
    words: Vec<&'a str>,
    infos: Vec<&'a WordInfo>,
    /// Static rows of each token: `rows[offsets[i]..offsets[i + 1]]`.
    rows: Vec<u32>,
    offsets: Vec<usize>,
    labels: &'a [usize],
}

/// Trains a tagger on `docs`, with the background names added to every gazetteer and
/// the background text giving the capitalisation statistics.
pub fn train(docs: &[Document], background: &Background, options: &TrainOptions) -> Tagger {
    let extra = &background.names;
    let casing = CaseStats::from_sentences(background.sentences.iter().map(Vec::as_slice));
    // Clusters from all the text at hand, labelled or not (labels unused).
    let clusters = WordClusters::learn(
        background
            .sentences
            .iter()
            .chain(&background.unlabeled)
            .map(Vec::as_slice)
            .chain(
                docs.iter()
                    .flat_map(|d| &d.sentences)
                    .map(|s| s.tokens.as_slice()),
            ),
    );
    let mut learner = Learner {
        rows: FastMap::default(),
        weights: Vec::new(),
        totals: Vec::new(),
        time: 1.0,
    };
    // Word types first: their features are resolved once, like the tagger's vocabulary.
    let mut vocabulary: HashMap<&str, WordInfo> = HashMap::new();
    for doc in docs {
        for s in &doc.sentences {
            for t in &s.tokens {
                if !vocabulary.contains_key(t.as_str()) {
                    let info = features::word_info(t, &casing, &clusters, &mut |k| {
                        Some(learner.resolve(k))
                    });
                    vocabulary.insert(t, info);
                }
            }
        }
    }
    let boundary = features::word_info(BOUNDARY, &casing, &clusters, &mut |k| {
        Some(learner.resolve(k))
    });
    let folds = options.folds.max(2);
    let fold_gazetteers: Vec<Gazetteer> = (0..folds)
        .map(|f| {
            let others = docs
                .iter()
                .enumerate()
                .filter(|(d, _)| d % folds != f)
                .map(|(_, d)| d);
            build_gazetteer(others, extra)
        })
        .collect();
    // Sentences stay grouped by document: the document memory needs text order.
    let mut prepared: Vec<Vec<Prepared>> = Vec::new();
    for (d, doc) in docs.iter().enumerate() {
        prepared.push(Vec::new());
        let gazetteer = &fold_gazetteers[d % folds];
        for s in &doc.sentences {
            let infos: Vec<&WordInfo> = s.tokens.iter().map(|t| &vocabulary[t.as_str()]).collect();
            let words: Vec<&str> = s.tokens.iter().map(String::as_str).collect();
            let hashes: Vec<u64> = infos.iter().map(|i| i.lower).collect();
            let marks = gazetteer.marks(&words, &hashes);
            let headline = features::is_headline(&words);
            let mut p = Prepared {
                words: words.clone(),
                infos,
                rows: Vec::new(),
                offsets: vec![0],
                labels: &s.labels,
            };
            for i in 0..words.len() {
                let mut sink = learner.sink(&mut p.rows);
                features::static_features(&p.infos, &boundary, &marks, headline, i, &mut sink);
                p.offsets.push(p.rows.len());
            }
            prepared.last_mut().expect("pushed above").push(p);
        }
    }
    // Several runs over differently shuffled data, averaged: one perceptron's result
    // swings with the order it saw the data in, the mean of a few much less.
    let mut summed: Vec<f64> = Vec::new();
    for run in 0..options.runs.max(1) {
        learner.weights.iter_mut().for_each(|w| *w = 0.0);
        learner.totals.iter_mut().for_each(|t| *t = 0.0);
        learner.time = 1.0;
        let seed = options.seed.wrapping_add(run as u64);
        // Spread the small seed over the bits the shuffle's xorshift starts from.
        run_epochs(
            &mut learner,
            &prepared,
            options.epochs,
            mix(seed, 0x9e37_79b9),
        );
        let time = learner.time;
        summed.resize(learner.weights.len(), 0.0);
        for (i, s) in summed.iter_mut().enumerate() {
            *s += f64::from(learner.weights[i]) - learner.totals[i] / time;
        }
    }
    let runs = options.runs.max(1) as f64;
    let mut averaged = Vec::with_capacity(learner.rows.len());
    for (&key, &row) in &learner.rows {
        let r = row as usize * LABELS;
        let w: [f32; LABELS] = std::array::from_fn(|l| (summed[r + l] / runs) as f32);
        if w.iter().any(|x| x.abs() >= options.min_weight) {
            averaged.push((key, w));
        }
    }
    averaged.sort_unstable_by_key(|(k, _)| *k);
    let gazetteer = build_gazetteer(docs.iter(), extra);
    Tagger::new(Weights::from_rows(&averaged), gazetteer, casing, clusters)
}

/// Trains for `epochs` passes over the documents in an order shuffled by `seed`. The
/// learner may grow (history features seen for the first time).
fn run_epochs(learner: &mut Learner, prepared: &[Vec<Prepared>], epochs: usize, seed: u64) {
    let mut order: Vec<usize> = (0..prepared.len()).collect();
    let mut rng = seed | 1;
    let mut rows = Vec::new();
    for epoch in 0..epochs {
        // Fisher-Yates with xorshift: a fixed seed keeps the model reproducible.
        for i in (1..order.len()).rev() {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            order.swap(i, (rng % (i as u64 + 1)) as usize);
        }
        let mut errors = 0;
        for &d in &order {
            let mut memory = DocMemory::default();
            for p in &prepared[d] {
                let (mut prev, mut prev2) = (LABELS, LABELS);
                let mut guesses = Vec::with_capacity(p.labels.len());
                for i in 0..p.labels.len() {
                    rows.clear();
                    rows.extend_from_slice(&p.rows[p.offsets[i]..p.offsets[i + 1]]);
                    let mut sink = learner.sink(&mut rows);
                    features::label_features(prev, prev2, &mut sink);
                    features::history_features(prev, p.infos[i], &mut sink);
                    memory.features(p.infos[i], &mut sink);
                    let guess = best_label(&learner.scores(&rows), prev);
                    let gold = p.labels[i];
                    if guess != gold {
                        learner.update(&rows, gold, 1.0);
                        learner.update(&rows, guess, -1.0);
                        errors += 1;
                    }
                    learner.time += 1.0;
                    guesses.push(guess);
                    (prev2, prev) = (prev, guess);
                }
                for (i, &g) in guesses.iter().enumerate() {
                    memory.record(features::is_capitalized(p.words[i]), p.infos[i], g);
                }
            }
        }
        eprintln!("epoch {}: {errors} token errors", epoch + 1);
    }
}

/// Entity-level exact-match counts: (true positives, predicted, gold).
pub fn score(tagger: &Tagger, docs: &[Document]) -> (usize, usize, usize) {
    let (mut tp, mut predicted, mut gold) = (0, 0, 0);
    for doc in docs {
        let mut memory = DocMemory::default();
        for s in &doc.sentences {
            let words: Vec<&str> = s.tokens.iter().map(String::as_str).collect();
            let guess = spans(&tagger.label_sentence(&words, &mut memory));
            let truth = spans(&s.labels);
            tp += guess.iter().filter(|g| truth.contains(g)).count();
            predicted += guess.len();
            gold += truth.len();
        }
    }
    (tp, predicted, gold)
}
