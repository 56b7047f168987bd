//! Trains gazette's entity tagger and writes the model file.
//!
//! Usage: `train_ner --train eng.train [--dev eng.testa] [--gmb ner_dataset.csv]
//! [--text DIR]... [--epochs N] [--runs N] [--seed N] [--min-weight W] --out FILE`.
//! Reads CoNLL-2003 training documents (and the GMB corpus for gazetteer names,
//! capitalisation statistics and word clusters, and the `.txt` files under each `--text`
//! DIR for the word clusters, if given), trains with `TrainOptions` (defaults build the
//! shipped model: the average of 10 runs, seeds 1 to 10), prints the dev score on gold
//! tokens when `--dev` is given (the raw-text score comes from `scripts/eval-ner.py`),
//! and writes the model.

use std::path::PathBuf;

use anyhow::{Context, bail};
use gazette::ner::train::{self, TrainOptions};

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let (mut train_path, mut dev, mut gmb, mut out) = (None, None, None, None);
    let mut text_dirs: Vec<PathBuf> = Vec::new();
    let mut options = TrainOptions::default();
    while let Some(flag) = args.next() {
        let mut value = || args.next().with_context(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--train" => train_path = Some(PathBuf::from(value()?)),
            "--dev" => dev = Some(PathBuf::from(value()?)),
            "--gmb" => gmb = Some(PathBuf::from(value()?)),
            "--text" => text_dirs.push(PathBuf::from(value()?)),
            "--out" => out = Some(PathBuf::from(value()?)),
            "--epochs" => options.epochs = value()?.parse().context("--epochs")?,
            "--runs" => options.runs = value()?.parse().context("--runs")?,
            "--seed" => options.seed = value()?.parse().context("--seed")?,
            "--min-weight" => options.min_weight = value()?.parse().context("--min-weight")?,
            _ => bail!("unknown argument {flag}"),
        }
    }
    let (Some(train_path), Some(out)) = (train_path, out) else {
        bail!(
            "usage: train_ner --train FILE [--dev FILE] [--gmb FILE] [--text DIR]... [--epochs N] [--runs N] [--seed N] [--min-weight W] --out FILE"
        );
    };
    let docs = train::read_conll(&train_path)?;
    let mut background = match &gmb {
        Some(path) => train::read_gmb(path)?,
        None => train::Background::default(),
    };
    for dir in &text_dirs {
        background.unlabeled.extend(train::read_text_dir(dir)?);
    }
    eprintln!(
        "{} training documents; background: {} names, {} sentences, {} more for clusters",
        docs.len(),
        background.names.len(),
        background.sentences.len(),
        background.unlabeled.len()
    );
    let tagger = train::train(&docs, &background, &options);
    if let Some(dev) = dev {
        let (tp, predicted, gold) = train::score(&tagger, &train::read_conll(&dev)?);
        let p = tp as f64 / predicted.max(1) as f64;
        let r = tp as f64 / gold.max(1) as f64;
        eprintln!(
            "dev (gold tokens): P {p:.4} R {r:.4} F1 {:.4}",
            2.0 * p * r / (p + r)
        );
    }
    let bytes = tagger.to_bytes();
    std::fs::write(&out, &bytes).with_context(|| format!("writing {}", out.display()))?;
    eprintln!(
        "wrote {} ({} bytes, {} features)",
        out.display(),
        bytes.len(),
        tagger.feature_count()
    );
    Ok(())
}
