#!/usr/bin/env python3
"""Benchmark `gazette batch` against the same queries run as separate `gazette query` processes.

Usage: scripts/bench-batch.py INDEX_OR_CORPUS [--bin target/release/gazette] [--reps 5]
                              [--unit month] [--by published|mentions] [--normalize]
                              [--threads N] [--out FILE.json]

INDEX_OR_CORPUS is a gazette index folder, or a corpus folder (e.g. the BBC dataset) that
is ingested first into a temporary index. The 20 queries of scripts/bench-queries.tsv
become a codebook (labels q01..q20); their extra flags become query clauses so that both
sides run the very same query strings (--person X -> person:"X", --org X -> org:"X",
--loc X -> loc:"X"; --sort is irrelevant to a timeline and dropped). Measured, median of
--reps runs, whole-process wall time:
  - `gazette batch CODEBOOK --timeline UNIT --by BY --format jsonl` (one process, all
    cores);
  - the 20 `gazette query Q --timeline UNIT --by BY --format jsonl` processes one after
    another
    (a shell loop);
  - the same 20 processes, as many at a time as there are cores (xargs -P).
Before timing, checks that every label's batch rows equal its query's rows over the
query's own buckets inside batch's range (batch shares one range across labels; by
mentions a query's own range can reach past it) and that batch's other buckets hold 0
passages, and stops if no bucket holds a passage (the BBC files carry no publication
date: use --by mentions there). Build the release binary first (cargo build --release).
"""

import argparse
import json
import os
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def codebook_queries():
    """(label, query) for each line of bench-queries.tsv, extra flags folded in."""
    out = []
    for line in (ROOT / "scripts" / "bench-queries.tsv").read_text().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        query, extra = line.split("\t")[:2]
        flags = [] if extra == "-" else shlex.split(extra)
        clauses = [query]
        i = 0
        while i < len(flags):
            flag = flags[i]
            if flag in ("--person", "--org", "--loc"):
                clauses.append(f'{flag[2:]}:"{flags[i + 1]}"')
                i += 2
            elif flag == "--sort":
                i += 2
            else:
                sys.exit(f"bench-queries.tsv: no query clause for the flag {flag}")
        label = f"q{len(out) + 1:02d}"
        out.append((label, clauses[0] if len(clauses) == 1
                    else " AND ".join([f"({query})", *clauses[1:]])))
    return out


def timed(cmd, stdout=subprocess.DEVNULL):
    start = time.perf_counter()
    p = subprocess.run(cmd, stdout=stdout, stderr=subprocess.PIPE)
    took = time.perf_counter() - start
    if p.returncode not in (0, 1):
        sys.exit(f"{shlex.join(cmd)} failed ({p.returncode}): {p.stderr.decode()}")
    return took, p


def jsonl(data):
    return [json.loads(line) for line in data.decode().splitlines() if line.strip()]


def check(bin_, index, book, queries, timeline):
    """Batch rows equal each query's rows over the query's buckets; other buckets hold 0."""
    _, p = timed([bin_, "batch", book, "-i", index, *timeline, "-f", "jsonl"],
                 stdout=subprocess.PIPE)
    rows = {}
    for r in jsonl(p.stdout):
        rows[(r.pop("label"), r["bucket"])] = r
    dated = [r for r in rows.values() if r.get("start") and r.get("end")]
    first = min((r["start"] for r in dated), default="")
    last = max((r["end"] for r in dated), default="")
    for label, q in queries:
        _, p = timed([bin_, "query", q, "-i", index, *timeline, "-f", "jsonl"],
                     stdout=subprocess.PIPE)
        own = {r["bucket"]: r for r in jsonl(p.stdout)}
        for bucket, r in own.items():
            if not (r.get("start") and r.get("end")):
                continue  # earlier/later: they depend on the range
            mine = rows.get((label, bucket))
            # By mentions, a query's own range may reach past the shared one (chosen on
            # all labels together): such buckets are in batch's earlier/later rows.
            if mine is None and (r["end"] < first or r["start"] > last):
                continue
            if mine != r:
                sys.exit(f"{label} {bucket}: batch {mine} != query {r}")
        for (l, bucket), r in rows.items():
            if l == label and bucket not in own and r["passages"] != 0:
                sys.exit(f"{label} {bucket}: batch counts {r['passages']} outside the query's range")
    if not any(r["passages"] for r in rows.values()):
        sys.exit("no bucket holds a passage: nothing measured (no publication dates? --by mentions)")
    return len(rows)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("path")
    ap.add_argument("--bin", default=str(ROOT / "target" / "release" / "gazette"))
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--unit", default="month")
    ap.add_argument("--by", default="published", choices=["published", "mentions"])
    ap.add_argument("--normalize", action="store_true")
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--out")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        index = args.path
        if not (Path(index) / "meta.json").exists():
            index = os.path.join(tmp, "idx")
            took, _ = timed([args.bin, "ingest", args.path, "-i", index, "--quiet"])
            print(f"ingested {args.path} in {took:.1f} s", file=sys.stderr)
        queries = codebook_queries()
        book = os.path.join(tmp, "codebook.tsv")
        Path(book).write_text("".join(f"{l}\t{q}\n" for l, q in queries))
        timeline = ["--timeline", args.unit, "--by", args.by]
        if args.normalize:
            timeline.append("--normalize")
        rows = check(args.bin, index, book, queries, timeline)
        batch_cmd = [args.bin, "batch", book, "-i", index, *timeline, "-f", "jsonl",
                     "-j", str(args.threads)]
        query_cmds = [[args.bin, "query", q, "-i", index, *timeline, "-f", "jsonl"]
                      for _, q in queries]

        def loop():
            start = time.perf_counter()
            for cmd in query_cmds:
                timed(cmd)
            return time.perf_counter() - start

        def parallel():
            start = time.perf_counter()
            with ThreadPoolExecutor(args.threads) as pool:
                list(pool.map(timed, query_cmds))
            return time.perf_counter() - start

        timed(batch_cmd)  # warm the page cache
        batch = statistics.median(timed(batch_cmd)[0] for _ in range(args.reps))
        seq = statistics.median(loop() for _ in range(args.reps))
        par = statistics.median(parallel() for _ in range(args.reps))
    result = {
        "queries": len(queries), "unit": args.unit, "by": args.by, "normalize": args.normalize, "threads": args.threads,
        "reps": args.reps, "rows": rows, "batch_s": batch,
        "separate_sequential_s": seq, "separate_parallel_s": par,
        "speedup_vs_sequential": seq / batch, "speedup_vs_parallel": par / batch,
    }
    print(f"{len(queries)} queries, {' '.join(timeline)}, {args.threads} threads, "
          f"median of {args.reps}; batch output checked against each query ({rows} rows)")
    print(f"  gazette batch (1 process)             {batch * 1000:8.1f} ms")
    print(f"  20 gazette query, one after another   {seq * 1000:8.1f} ms  "
          f"({seq / batch:.1f}x batch)")
    print(f"  20 gazette query, {args.threads} at a time{' ' * (18 - len(str(args.threads)))}"
          f"{par * 1000:8.1f} ms  ({par / batch:.1f}x batch)")
    if args.out:
        Path(args.out).write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
