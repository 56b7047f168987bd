#!/usr/bin/env bash
# Creates .venv-spark/ at the repository root with the PySpark pinned in
# scripts/spark/requirements.txt (which bundles Spark and spark-submit). Idempotent: does
# nothing when that version is already installed there. Needs Python 3.10+ and, to run
# the job, Java 17 or 21.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
venv="$root/.venv-spark"
req="$root/scripts/spark/requirements.txt"
want="$(sed -n 's/^pyspark==\([^ ]*\).*/\1/p' "$req")"
if [ -x "$venv/bin/python" ]; then
  have="$("$venv/bin/python" -c 'import importlib.metadata as m; print(m.version("pyspark"))' 2>/dev/null || true)"
  if [ "$have" = "$want" ]; then
    echo "$venv: pyspark $have already installed"
    exit 0
  fi
fi
python3 -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$req"
echo "$venv: pyspark $("$venv/bin/python" -c 'import importlib.metadata as m; print(m.version("pyspark"))') installed"
