#!/usr/bin/env bash
# The whole test suite, on a fresh machine too: installs what the browser tests of the
# search page need when it is missing (Node.js, Debian's Chromium, the pinned
# playwright-core from npm) and what the Spark job's test needs (Java 17, the pinned
# PySpark in .venv-spark/), then runs `cargo test --locked`. Arguments go to cargo test.
set -euo pipefail
cd "$(dirname "$0")/.."
# tests/browser.rs drives Debian's Chromium with playwright-core (pinned in
# tests/browser/package-lock.json; Node 18 or later). It fails rather than skips without
# them, so they are installed here: each Debian package only when it is missing (a
# Node.js from another source, such as NodeSource's, ships its own npm and conflicts
# with Debian's npm package).
missing=()
if ! command -v node >/dev/null; then missing+=(nodejs); fi
if ! command -v npm >/dev/null; then missing+=(npm); fi
if [ ! -x /usr/bin/chromium ]; then missing+=(chromium); fi
if [ ! -x /usr/bin/chromedriver ]; then missing+=(chromium-driver); fi
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q "${missing[@]}"
fi
if [ ! -d tests/browser/node_modules/playwright-core ]; then
  npm ci --prefix tests/browser --no-audit --no-fund
fi
# tests/spark.rs runs the Spark job (scripts/spark/) on a local Spark cluster: it needs
# Java 17 (Debian's headless JRE, installed when there is no java) and the PySpark pinned
# in scripts/spark/requirements.txt, in .venv-spark/ (setup.sh does nothing when that
# version is there). It fails rather than skips without them.
if ! command -v java >/dev/null; then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q openjdk-17-jre-headless
fi
scripts/spark/setup.sh
cargo test --locked "$@"
