#!/usr/bin/env bash
# Builds a gazette shard set on Spark, one task per shard (scripts/spark/ingest_job.py):
#
#   scripts/spark/ingest.sh CORPUS SHARD_SET [--shards N] [--master URL] [--gazette BIN]
#                           [-j THREADS] [--commit-every SECS] [--annotations DIR]
#                           [--read spark|shared] [--partition-by id|month]
#                           [--conf KEY=VALUE]...
#
# CORPUS is any path or URI Spark reads (a folder or a file: /data/news, hdfs://nn/news,
# s3a://bucket/news with Hadoop's S3 connector on the classpath): the formats gazette
# reads, and Parquet files (*.parquet) whose columns are gazette's field names, with an
# `id` column.
#
# --shards    number of shards [default: 4]
# --master    any Spark master URL [default: local[*]]: local[K], local-cluster[W,C,MB],
#             spark://host:7077, ... A local master without a retry count gets one
#             (local[*] becomes local[*,4]): in local mode Spark retries a failed task
#             only when the master URL says so.
# --gazette   the gazette binary [default: target/release/gazette if built, else
#             target/debug/gazette]
# -j          threads of each task's gazette ingest [default: 1: a task per executor core]
# --commit-every
#             each task's gazette ingest commits at most this often [default: gazette's
#             30]: what a task killed mid-ingest keeps, since its retry picks up after the
#             last commit
# --annotations
#             also write the set's annotations as Parquet, once the set is complete:
#             DIR/passages (one row per passage with its article's metadata and its
#             shard), DIR/entities (one row per entity mention) and DIR/dates (one row
#             per date mention), from `gazette export` of each shard (see the README's
#             "On Spark" for the columns). DIR is replaced whole, by a rename, once the
#             three are written; a job that fails leaves it as it was.
# --read      spark: Spark reads the corpus, each file once, and moves every article to
#             its shard's task [the default]; shared: every task reads the whole corpus
#             itself (CORPUS must then be a path every executor sees), with no shuffle
# --partition-by
#             what decides an article's shard: id (a stable hash of the article id, shards
#             of about equal size) [the default] or month (a stable hash of its
#             publication month, so each month's articles, and the undated ones, are in
#             one shard), as `gazette ingest --partition-by`
# --conf      passed on to spark-submit (e.g. --conf spark.task.maxFailures=8)
#
# SHARD_SET, the annotations DIR and the gazette binary must be at the same path on every
# executor (one machine, or a shared filesystem); so must this repository's
# .venv-spark/ Python (spark.pyspark.python), which scripts/spark/setup.sh creates.
# Needs Java 17 or 21.
# Exit code: gazette ingest's (0 done, 1 some files not indexed, 2 failed).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
usage() {
  sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//' >&2
  exit "${1:-2}"
}
shards=4
master='local[*]'
gazette=""
threads=1
commit_every=30
annotations=()
read=(--read spark)
partition=()
positional=()
confs=()
while [ $# -gt 0 ]; do
  case "$1" in
    --shards) shards="${2:?--shards needs a number}"; shift 2 ;;
    --master) master="${2:?--master needs a URL}"; shift 2 ;;
    --gazette) gazette="${2:?--gazette needs a path}"; shift 2 ;;
    -j|--threads) threads="${2:?-j needs a number}"; shift 2 ;;
    --commit-every) commit_every="${2:?--commit-every needs seconds}"; shift 2 ;;
    --annotations) annotations=(--annotations "$(realpath -m "${2:?--annotations needs a folder}")"); shift 2 ;;
    --read) read=(--read "${2:?--read needs spark or shared}"); shift 2 ;;
    --partition-by) partition=(--partition-by "${2:?--partition-by needs id or month}"); shift 2 ;;
    --conf) confs+=(--conf "${2:?--conf needs KEY=VALUE}"); shift 2 ;;
    -h|--help) usage 0 ;;
    -*) echo "ingest.sh: unknown option $1" >&2; usage ;;
    *) positional+=("$1"); shift ;;
  esac
done
[ ${#positional[@]} -eq 2 ] || usage
corpus="${positional[0]}"
case "$corpus" in
  *://*) ;;
  *) corpus="$(realpath -m "$corpus")" ;;
esac
set_dir="$(realpath -m "${positional[1]}")"

name=ingest.sh
# shellcheck source=scripts/spark/submit.sh
. "$root/scripts/spark/submit.sh"
submit \
  --py-files "$root/scripts/spark/staged.py" \
  ${confs[@]+"${confs[@]}"} \
  "$root/scripts/spark/ingest_job.py" \
  "$corpus" "$set_dir" --shards "$shards" --gazette "$gazette" -j "$threads" \
  --commit-every "$commit_every" "${read[@]}" ${partition[@]+"${partition[@]}"} \
  ${annotations[@]+"${annotations[@]}"}
