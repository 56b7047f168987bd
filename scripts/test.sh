#!/usr/bin/env bash
# The whole test suite, on a fresh machine too: installs what the browser tests of the
# search page need when it is missing (Node.js, Debian's Chromium, the pinned
# playwright-core from npm), then runs `cargo test --locked`. Arguments go to cargo test.
set -euo pipefail
cd "$(dirname "$0")/.."
# tests/browser.rs drives Debian's Chromium with playwright-core (pinned in
# tests/browser/package-lock.json; Node 18 or later). It fails rather than skips without
# them, so they are installed here: the Debian packages only when missing.
if ! command -v node >/dev/null || ! command -v npm >/dev/null || [ ! -x /usr/bin/chromium ]; then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q nodejs npm chromium chromium-driver
fi
if [ ! -d tests/browser/node_modules/playwright-core ]; then
  npm ci --prefix tests/browser --no-audit --no-fund
fi
cargo test --locked "$@"
