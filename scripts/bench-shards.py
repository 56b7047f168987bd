#!/usr/bin/env python3
"""Shard sets against one index: build time and query latency (not part of CI).

Usage: scripts/bench-shards.py CORPUS [--bin target/release/gazette] [--shards 1,4,16]
                               [--threads 2] [--query-reps 5] [--work DIR]

Builds one index of CORPUS (`ingest --rebuild -j THREADS`) and, for each N of --shards,
a shard set with `ingest --shards N -j THREADS` (the N shards one after another on this
machine, each reading the whole corpus and tagging its own articles), timing each build
(wall and CPU time). Then runs the 20 queries of scripts/bench-queries.tsv (top 10 hits,
JSON lines, with their extra flags) --query-reps times on the index and on every set, in
turn, and prints the median wall and CPU time of a whole `gazette query` process for each;
and checks that every set gives the index's hits (article id and passage, in order).
Per-shard overhead is the set's build time over the index's, per shard beyond the first.
"""

import argparse
import json
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import bench  # noqa: E402  (scripts/bench.py: the benchmark queries)


def timed(cmd, capture=False):
    """(wall, cpu, stdout) of one process; exit 0 or 1 (no hits)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    proc = subprocess.run(
        cmd, stdout=subprocess.PIPE if capture else subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    wall = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in (0, 1):
        sys.exit(f"{cmd} exited with {proc.returncode}: {proc.stderr.decode()[-500:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, proc.stdout.decode() if capture else ""


def hits(out):
    rows = [json.loads(l) for l in out.splitlines() if l.strip()]
    return [(r["article_id"], r["passage"]) for r in rows if "article_id" in r]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("corpus")
    ap.add_argument("--bin", default=str(ROOT / "target/release/gazette"))
    ap.add_argument("--shards", default="1,4,16")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--query-reps", type=int, default=5)
    ap.add_argument("--work", default=str(ROOT / "target/bench/shards"))
    args = ap.parse_args()
    work = Path(args.work)
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    j = ["-j", str(args.threads)]
    targets = {"index": work / "index"}
    builds = {}
    wall, cpu, _ = timed([args.bin, "ingest", args.corpus, "--index", str(targets["index"]), "--quiet", *j])
    builds["index"] = (wall, cpu)
    for n in [int(x) for x in args.shards.split(",")]:
        name = f"{n} shards"
        targets[name] = work / f"set-{n}"
        wall, cpu, _ = timed(
            [args.bin, "ingest", args.corpus, "--index", str(targets[name]), "--quiet", "--shards", str(n), *j]
        )
        builds[name] = (wall, cpu)
    base_wall = builds["index"][0]
    print(f"corpus {args.corpus}, {args.threads} threads, gazette {args.bin}")
    print(f"{'':>10} {'build s':>8} {'CPU s':>7} {'per extra shard':>16}")
    for name, (wall, cpu) in builds.items():
        n = int(name.split()[0]) if name != "index" else 1
        extra = f"{(wall - base_wall) / (n - 1):+.2f} s" if n > 1 else "-"
        print(f"{name:>10} {wall:8.2f} {cpu:7.2f} {extra:>16}")

    times = {name: ([], []) for name in targets}
    mismatches = 0
    for _ in range(args.query_reps):
        for q in bench.load_queries():
            query, extra = q["gazette"], q["extra"]
            expected = None
            for name, path in targets.items():
                cmd = [args.bin, "query", query, *extra, "--index", str(path), "-n", "10", "--format", "jsonl"]
                wall, cpu, out = timed(cmd, capture=True)
                times[name][0].append(wall * 1000)
                times[name][1].append(cpu * 1000)
                got = hits(out)
                if expected is None:
                    expected = got
                elif got != expected:
                    mismatches += 1
                    print(f"different hits: {name}: {query} {extra}", file=sys.stderr)
    print(f"\nquery process (top 10, JSON lines), median over {args.query_reps} x 20 queries:")
    print(f"{'':>10} {'wall ms':>8} {'CPU ms':>7}")
    for name, (walls, cpus) in times.items():
        print(f"{name:>10} {statistics.median(walls):8.2f} {statistics.median(cpus):7.2f}")
    print(f"\nhits differing from the index's: {mismatches}")


if __name__ == "__main__":
    main()
