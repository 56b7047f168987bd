#!/usr/bin/env bash
# Rebuilds models/ner.bin, the entity tagger's model, from the shared NER data.
#
# Usage: scripts/train-ner.sh DATA_DIR [train_ner flags]
# DATA_DIR holds conll2003/eng.train (training documents), conll2003/eng.testa (dev,
# only scored on gold tokens here; scripts/eval-ner.py scores through raw text) and
# gmb/ner_dataset.csv (names for the gazetteer; unlabeled text for capitalisation
# statistics and word clusters). The BBC news text for the word clusters is read from
# DATA_DIR/../news-dev/bbc (the shared data layout) unless a --text DIR flag names it.
#
# Flags (passed to examples/train_ner.rs; the defaults build the shipped model):
#   --runs N        training runs whose weights are averaged (default 10)
#   --seed N        seed of the first run; run r uses seed + r (default 1)
#   --epochs N      passes over the training data per run (default 12)
#   --min-weight W  drop feature rows whose largest averaged weight is below W (1.0)
#   --text DIR      unlabeled .txt news for the word clusters (repeatable)
#   --out FILE      where to write the model (default models/ner.bin)
# Training is deterministic: the same data and flags give the same model, byte for byte.
set -euo pipefail

if [[ $# -lt 1 ]]; then
    echo "usage: $0 DATA_DIR [train_ner flags]" >&2
    exit 2
fi
data=$(cd "$1" && pwd)
shift
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

args=(--train "$data/conll2003/eng.train")
if [[ " $* " != *" --out "* ]]; then
    args+=(--out models/ner.bin)
fi
if [[ -f $data/conll2003/eng.testa ]]; then
    args+=(--dev "$data/conll2003/eng.testa")
fi
if [[ -f $data/gmb/ner_dataset.csv ]]; then
    args+=(--gmb "$data/gmb/ner_dataset.csv")
else
    echo "warning: $data/gmb/ner_dataset.csv not found; training without it" >&2
fi
if [[ " $* " != *" --text "* ]]; then
    bbc="$data/../news-dev/bbc"
    if [[ ! -d $bbc ]]; then
        echo "error: $bbc not found; name the BBC text with --text DIR" >&2
        exit 2
    fi
    args+=(--text "$bbc")
fi
cargo run --release --example train_ner -- "${args[@]}" "$@"
