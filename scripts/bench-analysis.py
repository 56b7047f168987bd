#!/usr/bin/env python3
"""Time the analyses over a set of hits (issue: collocates, keyness, KWIC) on one index.

Usage: scripts/bench-analysis.py INDEX_OR_CORPUS [--bin target/release/gazette]
                                 [--query market] [--reps 5]

INDEX_OR_CORPUS is a gazette index folder, or a corpus folder (e.g. a BBC x20 copy made by
scripts/bench.sh) ingested first into a temporary index. Measured, whole-process wall
time, median of --reps runs, one after another on an otherwise idle machine:
  - `gazette collocates QUERY --format jsonl` and `gazette keyness QUERY --format jsonl`
    (every matching passage; the target is under 2 s on BBC x20 for `market`);
  - `gazette query QUERY --kwic --all --format jsonl` against `gazette query QUERY --all
    --format jsonl` (the target is within 1.5x).
Both sides use every core. Build the release binary first (cargo build --release).
"""

import argparse
import os
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def timed(cmd):
    start = time.perf_counter()
    p = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    took = time.perf_counter() - start
    if p.returncode not in (0, 1):
        sys.exit(f"{shlex.join(cmd)} failed ({p.returncode}): {p.stderr.decode()}")
    return took


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("path")
    ap.add_argument("--bin", default=str(ROOT / "target" / "release" / "gazette"))
    ap.add_argument("--query", default="market")
    ap.add_argument("--reps", type=int, default=5)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        index = args.path
        if not (Path(index) / "meta.json").exists():
            index = os.path.join(tmp, "idx")
            took = timed([args.bin, "ingest", args.path, "-i", index, "--quiet"])
            print(f"ingested {args.path} in {took:.1f} s", file=sys.stderr)
        q = args.query
        count = subprocess.run([args.bin, "query", q, "-i", index, "--count"],
                               capture_output=True, text=True).stdout.strip()
        commands = {
            "collocates": [args.bin, "collocates", q, "-i", index, "-f", "jsonl"],
            "keyness": [args.bin, "keyness", q, "-i", index, "-f", "jsonl"],
            "query --kwic --all": [args.bin, "query", q, "--kwic", "--all", "-i", index,
                                   "-f", "jsonl"],
            "query --all": [args.bin, "query", q, "--all", "-i", index, "-f", "jsonl"],
        }
        for cmd in commands.values():
            timed(cmd)  # warm the page cache
        times = {name: [] for name in commands}
        for _ in range(args.reps):
            for name, cmd in commands.items():
                times[name].append(timed(cmd))
        med = {name: statistics.median(ts) for name, ts in times.items()}
        print(f"{q!r}: {count} matching passages, {os.cpu_count()} cores, "
              f"median of {args.reps} (wall time, whole process)")
        for name in commands:
            rounds = ", ".join(f"{t:.2f}" for t in times[name])
            print(f"  {name:<22} {med[name]:6.2f} s  ({rounds})")
        print(f"  kwic / plain --all     {med['query --kwic --all'] / med['query --all']:6.2f}x")


if __name__ == "__main__":
    main()
