"""Answers a codebook over a shard set as a Spark job: one task per shard.

    spark-submit batch_job.py SET CODEBOOK --gazette BIN --cwd DIR [--output FILE]
                              [-- BATCH_ARGS...]

Usually started by scripts/spark/batch.sh. Task K runs `BIN batch CODEBOOK --index SET
--partial K BATCH_ARGS -j 1` in DIR (so relative paths in BATCH_ARGS mean what they mean
where batch.sh was started) and returns that shard's part of the answer: counts over the
shard's segments only, with the whole set's entity names and near-duplicate groups (every
task opens the whole set). A set's shards hold disjoint articles, so the parts add up:
the driver hands them to `BIN batch CODEBOOK --index SET --merge PART... BATCH_ARGS`,
which prints the answer `gazette batch` gives on the set (any format it has), to
standard output or FILE. SET, CODEBOOK and BIN must be at the same paths on every
executor, as for ingest_job.py.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile


def parse_args(argv):
    p = argparse.ArgumentParser(prog="batch_job.py", description=__doc__.split("\n")[0])
    p.add_argument("set", help="the shard set folder (holding shards.json)")
    p.add_argument("codebook", help="the codebook file, LABEL<TAB>QUERY per line")
    p.add_argument("--gazette", required=True, help="the gazette binary, on every executor")
    p.add_argument("--cwd", required=True, help="where relative paths in BATCH_ARGS start")
    p.add_argument("--output", help="write the answer to FILE, not standard output")
    # gazette batch's options follow a `--`, untouched.
    cut = argv.index("--") if "--" in argv else len(argv)
    args = p.parse_args(argv[:cut])
    args.batch_args = argv[cut + 1:]
    for bad in ("--partial", "--merge", "--hits", "--index", "-i"):
        if bad in args.batch_args:
            p.error(f"{bad} is not for a batch on Spark")
    return args


def part_of(k, set_dir, codebook, gazette, cwd, batch_args):
    """Runs on an executor: shard k's part of the answer, as the JSON gazette prints."""
    cmd = [gazette, "batch", codebook, "--index", set_dir, "--partial", str(k), "-j", "1",
           *batch_args]
    done = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"shard {k}: {' '.join(cmd)}: exit {done.returncode}\n{done.stderr[-4000:]}")
    return k, done.stdout


class Fatal(Exception):
    """A failure of the job: message on stderr, exit 2."""


def main(argv):
    args = parse_args(argv[1:])
    set_dir, codebook = os.path.abspath(args.set), os.path.abspath(args.codebook)
    gazette = os.path.abspath(args.gazette)
    try:
        with open(os.path.join(set_dir, "shards.json")) as f:
            n = len(json.load(f)["shards"])
    except (OSError, ValueError, KeyError) as e:
        raise Fatal(f"{set_dir} is not a shard set: {e}")
    from pyspark import SparkConf, SparkContext

    conf = SparkConf().setAppName(f"gazette batch over {n} shards")
    conf.setIfMissing("spark.task.maxFailures", "4")
    sc = SparkContext(conf=conf)
    sc.setLogLevel("WARN")
    cwd, batch_args = args.cwd, args.batch_args
    try:
        parts = (
            sc.parallelize(range(n), n)
            .map(lambda k: part_of(k, set_dir, codebook, gazette, cwd, batch_args))
            .collect()
        )
    finally:
        sc.stop()
    parts.sort()
    if [k for k, _ in parts] != list(range(n)):
        raise Fatal(f"expected the parts of shards 0..{n - 1}, got {[k for k, _ in parts]}")
    with tempfile.TemporaryDirectory(prefix="gazette-batch-") as tmp:
        files = []
        for k, text in parts:
            path = os.path.join(tmp, f"part-{k}.json")
            with open(path, "w") as f:
                f.write(text)
            files.append(path)
        cmd = [gazette, "batch", codebook, "--index", set_dir, "--merge", *files, *batch_args]
        out = open(args.output, "wb") if args.output else sys.stdout.buffer
        try:
            sys.stdout.flush()
            # Its stderr kept apart: spark-submit mixes the driver's into standard output.
            done = subprocess.run(cmd, cwd=cwd, stdout=out, stderr=subprocess.PIPE, text=False)
        finally:
            if args.output:
                out.close()
        if done.returncode not in (0, 1):
            raise Fatal(f"{' '.join(cmd)}: exit {done.returncode}\n{done.stderr.decode(errors='replace')}")
        return done.returncode


if __name__ == "__main__":
    try:
        code = main(sys.argv)
    except Fatal as e:
        print(f"batch_job.py: {e}", file=sys.stderr)
        code = 2
    except Exception as e:
        cause = getattr(e, "java_exception", None) or e
        first = (str(cause).strip().splitlines() or [""])[0]
        print(f"batch_job.py: {type(e).__name__}: {first[:2000]}", file=sys.stderr)
        code = 2
    sys.exit(code)
