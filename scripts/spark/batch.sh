#!/usr/bin/env bash
# Answers a codebook over a shard set as a Spark job, one task per shard
# (scripts/spark/batch_job.py):
#
#   scripts/spark/batch.sh SHARD_SET CODEBOOK [--master URL] [--gazette BIN]
#                          [--output FILE] [--conf KEY=VALUE]... [-- BATCH_ARGS...]
#
# Each task counts its shard (`gazette batch --partial K`, the whole set's names and
# near-duplicate groups), the driver adds the parts up (`gazette batch --merge`) and the
# answer is what `gazette batch CODEBOOK --index SHARD_SET BATCH_ARGS` prints: counts,
# --cooccurrence or --timeline (not --hits), in any --format.
#
# --master    any Spark master URL [default: local[*]]
# --gazette   the gazette binary [default: target/release/gazette if built, else
#             target/debug/gazette]
# --output    write the answer to FILE [default: standard output]
# --conf      passed on to spark-submit
#
# SHARD_SET, CODEBOOK and the gazette binary must be at the same path on every executor,
# as for ingest.sh; relative paths in BATCH_ARGS are taken from the current folder, which
# must exist on the executors too (or give absolute paths).
# Exit code: gazette batch's (0 something matched, 1 nothing did, 2 failed).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
usage() {
  sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//' >&2
  exit "${1:-2}"
}
master='local[*]'
gazette=""
output=()
positional=()
confs=()
batch=()
while [ $# -gt 0 ]; do
  case "$1" in
    --master) master="${2:?--master needs a URL}"; shift 2 ;;
    --gazette) gazette="${2:?--gazette needs a path}"; shift 2 ;;
    --output) output=(--output "$(realpath -m "${2:?--output needs a file}")"); shift 2 ;;
    --conf) confs+=(--conf "${2:?--conf needs KEY=VALUE}"); shift 2 ;;
    --) shift; batch=("$@"); break ;;
    -h|--help) usage 0 ;;
    -*) echo "batch.sh: unknown option $1 (gazette batch's options go after --)" >&2; usage ;;
    *) positional+=("$1"); shift ;;
  esac
done
[ ${#positional[@]} -eq 2 ] || usage
set_dir="$(realpath -m "${positional[0]}")"
codebook="$(realpath -m "${positional[1]}")"
name=batch.sh
# shellcheck source=scripts/spark/submit.sh
. "$root/scripts/spark/submit.sh"
submit \
  ${confs[@]+"${confs[@]}"} \
  "$root/scripts/spark/batch_job.py" \
  "$set_dir" "$codebook" --gazette "$gazette" --cwd "$PWD" \
  ${output[@]+"${output[@]}"} -- ${batch[@]+"${batch[@]}"}
