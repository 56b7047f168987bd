# Sourced by ingest.sh and batch.sh: what both do before spark-submit. Expects `root`
# (the repository), `name` (the calling script's, for messages), `gazette` (a binary, or
# empty for target/'s) and `master`; checks the venv, the binary and Java, and defines
# `submit`, which runs the venv's spark-submit with the options both jobs take.

venv="$root/.venv-spark"
if [ ! -x "$venv/bin/spark-submit" ]; then
  echo "$name: no PySpark in $venv: run scripts/spark/setup.sh first" >&2
  exit 2
fi
if [ -z "$gazette" ]; then
  for candidate in "$root/target/release/gazette" "$root/target/debug/gazette"; do
    if [ -x "$candidate" ]; then gazette="$candidate"; break; fi
  done
  if [ -z "$gazette" ]; then
    echo "$name: no gazette binary in $root/target: run cargo build --release, or give --gazette BIN" >&2
    exit 2
  fi
fi
gazette="$(realpath "$gazette")"
if [ ! -x "$gazette" ]; then
  echo "$name: $gazette is not an executable" >&2
  exit 2
fi
if [ -z "${JAVA_HOME:-}" ]; then
  if ! command -v java >/dev/null; then
    echo "$name: no java on PATH and no JAVA_HOME: Spark needs Java 17 or 21" >&2
    exit 2
  fi
  JAVA_HOME="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"
  export JAVA_HOME
fi
# local, local[K], local[*] retry nothing; local[K,F] retries F-1 times.
case "$master" in
  local) master='local[1,4]' ;;
  local\[*,*\]) ;;
  local\[*\]) master="${master%]},4]" ;;
esac
# The executors' Python workers: the venv's, at the same path everywhere.
export PYSPARK_PYTHON="$venv/bin/python"
export PYSPARK_DRIVER_PYTHON="$venv/bin/python"
SPARK_HOME="$("$venv/bin/python" -c 'import os, pyspark; print(os.path.dirname(pyspark.__file__))')"
export SPARK_HOME

# spark-submit ARGS...: the venv's, on `master`, with the options of both jobs.
submit() {
  exec "$venv/bin/spark-submit" \
    --master "$master" \
    --conf spark.task.maxFailures=4 \
    --conf spark.ui.showConsoleProgress=false \
    --driver-java-options "-Dlog4j2.configurationFile=file:$root/scripts/spark/log4j2.properties" \
    --conf "spark.pyspark.python=$venv/bin/python" \
    "$@"
}
