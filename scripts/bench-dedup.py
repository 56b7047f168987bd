#!/usr/bin/env python3
"""What near-duplicate grouping costs: ingest time and query time, against a gazette
built without it.

Usage: scripts/bench-dedup.py CORPUS --base BIN [--bin target/release/gazette]
                              [--rounds 3] [--threads 2] [--query-reps 20]

--base is a release binary of gazette before grouping (e.g. built from the commit the
grouping branch started from), --bin the one with it. Both ingest CORPUS from scratch
(`ingest --rebuild -j THREADS --quiet`, a fresh index folder each) --rounds times,
alternating base and new so drift in the machine's load falls on both; the new
binary's time includes computing the groups and writing their cache at the end of the
ingest. Then the 20 queries of scripts/bench-queries.tsv (top 10 hits, JSON lines, with
their extra flags) run --query-reps times each on each binary's own index, alternating;
printed: the median process wall time and CPU time (user + system) over all runs, per
binary, and the same for the new binary with --dedup. Medians, so one slow run does not
decide; CPU time, since the wall time of a shared machine depends on what else runs.
"""

import argparse
import resource
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def timed(cmd):
    """Wall time and CPU time (user + system) of one process; exit 0 or 1 (no hits)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    code = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
    wall = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if code not in (0, 1):
        sys.exit(f"{cmd} exited with {code}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def queries():
    """(gazette query string, extra flags) of every benchmark query."""
    out = []
    for line in (ROOT / "scripts/bench-queries.tsv").read_text().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        query, extra, _, _ = line.split("\t")
        out.append((query, [] if extra == "-" else shlex.split(extra)))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("corpus")
    ap.add_argument("--base", required=True)
    ap.add_argument("--bin", default=str(ROOT / "target/release/gazette"))
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--query-reps", type=int, default=20)
    args = ap.parse_args()

    work = Path(tempfile.mkdtemp(prefix="gazette-bench-dedup-"))
    bins = {"base": args.base, "new": args.bin}
    ingest = {name: [] for name in bins}
    for _ in range(args.rounds):
        for name, binary in bins.items():
            index = work / name
            ingest[name].append(
                timed(
                    [binary, "ingest", args.corpus, "--index", str(index), "--rebuild",
                     "-j", str(args.threads), "--quiet"]
                )
            )
    for name in bins:
        walls = [w for w, _ in ingest[name]]
        cpus = [c for _, c in ingest[name]]
        runs = ", ".join(f"{t:.2f}" for t in walls)
        print(
            f"ingest {name}: wall median {statistics.median(walls):.2f} s ({runs}); "
            f"CPU median {statistics.median(cpus):.2f} s"
        )
    for i, what in [(0, "wall"), (1, "CPU")]:
        base = statistics.median(t[i] for t in ingest["base"])
        new = statistics.median(t[i] for t in ingest["new"])
        print(f"ingest cost of grouping ({what} time): {100 * (new - base) / base:+.1f}%")

    qs = queries()
    times = {"base": [], "new": [], "new --dedup": []}
    for _ in range(args.query_reps):
        for query, extra in qs:
            for name, binary, more in [
                ("base", args.base, []),
                ("new", args.bin, []),
                ("new --dedup", args.bin, ["--dedup"]),
            ]:
                index = work / ("base" if name == "base" else "new")
                times[name].append(
                    timed([binary, "query", query, *extra, *more, "--index", str(index),
                           "-f", "jsonl"])
                )
    for name, ts in times.items():
        wall = 1000 * statistics.median(w for w, _ in ts)
        cpu = 1000 * statistics.median(c for _, c in ts)
        print(f"query {name}: median wall {wall:.2f} ms, CPU {cpu:.2f} ms over {len(ts)} runs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
