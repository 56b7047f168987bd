#!/usr/bin/env bash
# Benchmark gazette against tantivy-cli and SQLite FTS5 (not part of CI).
# Usage: scripts/bench.sh BBC_DIR [bench.py options, e.g. --scales 1,4,20 --reps 5]
# Needs: the Rust toolchain, python3 (sqlite3 module) and the sqlite3 CLI.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -lt 1 ]; then
  echo "usage: $0 BBC_DIR [--scales 1,4,20] [--reps 5]" >&2
  exit 2
fi
bbc=$(realpath "$1"); shift
cargo build --release --locked --quiet
tools=target/bench/tools
if [ ! -x "$tools/bin/tantivy" ]; then
  echo "installing tantivy-cli into $tools (once)" >&2
  # Not --locked: its lock file pins a traitobject release that no longer builds.
  cargo install tantivy-cli --version 0.24.0 --root "$tools" --quiet
fi
command -v sqlite3 >/dev/null || { echo "the sqlite3 CLI is needed (apt-get install sqlite3)" >&2; exit 2; }
exec python3 scripts/bench.py "$bbc" "$@"
