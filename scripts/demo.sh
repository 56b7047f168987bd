#!/usr/bin/env bash
# The main job on the bundled corpus: build, ingest corpus/ into index/, ask a few
# research questions. Usage: scripts/demo.sh [CORPUS_DIR] [INDEX_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${1:-corpus}
index=${2:-index}

cargo build --release --locked --quiet
gazette=target/release/gazette

# Exit status 1 means "no hits" for a query; only 2 and above are failures.
step() {
  printf '\n$ %s\n' "$*"
  local code=0
  "$@" || code=$?
  if [ "$code" -gt 1 ]; then exit "$code"; fi
}

step "$gazette" ingest "$corpus" --index "$index"
step "$gazette" stats --index "$index"
step "$gazette" query "energy dependence" --index "$index" --limit 3
step "$gazette" query Moscow --person Putin --index "$index" --limit 2
step "$gazette" query "Hmeimim airbase" --facets --index "$index" --limit 1
step "$gazette" query "" --mentions 2025-07 --index "$index"
step "$gazette" query Moscow --timeline month --by mentions --index "$index"
