#!/usr/bin/env bash
# Rebuilds models/ner.bin, the entity tagger's model, from the shared NER data.
#
# Usage: scripts/train-ner.sh DATA_DIR [extra train_ner flags]
# DATA_DIR holds conll2003/eng.train (training documents), conll2003/eng.testa (dev,
# only scored on gold tokens here; scripts/eval-ner.py scores through raw text) and
# gmb/ner_dataset.csv (names for the gazetteer and unlabeled text for capitalisation
# statistics). Training is deterministic: the same data gives the same model.
set -euo pipefail

if [[ $# -lt 1 ]]; then
    echo "usage: $0 DATA_DIR [train_ner flags]" >&2
    exit 2
fi
data=$1
shift
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

args=(--train "$data/conll2003/eng.train" --out models/ner.bin)
if [[ -f $data/conll2003/eng.testa ]]; then
    args+=(--dev "$data/conll2003/eng.testa")
fi
if [[ -f $data/gmb/ner_dataset.csv ]]; then
    args+=(--gmb "$data/gmb/ner_dataset.csv")
else
    echo "warning: $data/gmb/ner_dataset.csv not found; training without it" >&2
fi
cargo run --release --example train_ner -- "${args[@]}" "$@"
