#!/usr/bin/env python3
"""Load and latency of `gazette serve` on one index, against the command line.

Usage: scripts/bench-serve.py INDEX_OR_CORPUS [--bin target/release/gazette]
                              [--clients 32] [--requests 20000] [--reps 5]

INDEX_OR_CORPUS is a gazette index folder, or a corpus folder (e.g. the BBC x4 copy made
by scripts/bench.sh) ingested first into a temporary index. It starts the release server
on a free loopback port, then:
  1. load: `examples/load.rs` with --clients concurrent clients and --requests mixed
     requests (searches, facets, timelines, concordances, articles, entities, stats) over
     the 20 queries of scripts/bench-queries.tsv; throughput, errors, p50/p99 latency per
     kind (the example exits 1 on any error);
  2. latency, one client: each of the 20 queries as `GET /api/v1/search` (top 10 with
     highlights, JSON), against the same query as a whole `gazette query --format json`
     process (start, open the index, search, print, exit); median of --reps per query,
     then the median over queries.
Server and command line get the same cores (the machine's). Build first:
cargo build --release --example load (and the release binary).
"""

import argparse
import os
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def queries():
    rows = []
    for line in (ROOT / "scripts" / "bench-queries.tsv").read_text().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        flags = [] if cols[1] == "-" else shlex.split(cols[1])
        rows.append((cols[0], flags))
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("path")
    ap.add_argument("--bin", default=str(ROOT / "target" / "release" / "gazette"))
    ap.add_argument("--load", default=str(ROOT / "target" / "release" / "examples" / "load"))
    ap.add_argument("--clients", type=int, default=32)
    ap.add_argument("--requests", type=int, default=20000)
    ap.add_argument("--reps", type=int, default=5)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        index = args.path
        if not (Path(index) / "meta.json").exists():
            index = os.path.join(tmp, "idx")
            subprocess.run([args.bin, "ingest", args.path, "-i", index, "--quiet"], check=True)
        log = open(os.path.join(tmp, "serve.log"), "w+")
        server = subprocess.Popen([args.bin, "serve", "-i", index, "--addr", "127.0.0.1:0"],
                                  stderr=subprocess.PIPE, text=True)
        first = server.stderr.readline()
        base = "http://" + first.split("http://")[1].strip().rstrip("/")
        # Drain the request log so the server never blocks on a full pipe.
        import threading
        threading.Thread(target=lambda: [log.write(l) for l in server.stderr], daemon=True).start()
        try:
            print(f"index {index}; server {base}; {os.cpu_count()} cores")
            load = subprocess.run([args.load, base, "--clients", str(args.clients),
                                   "--requests", str(args.requests), "--queries",
                                   str(ROOT / "scripts" / "bench-queries.tsv")])
            if load.returncode != 0:
                sys.exit("the load run had errors")
            api, cli = [], []
            for q, flags in queries():
                params = [("q", q)]
                for name, value in zip(flags[::2], flags[1::2]):
                    params.append((name.lstrip("-"), value))
                url = f"{base}/api/v1/search?{urllib.parse.urlencode(params)}"
                a, c = [], []
                for _ in range(args.reps):
                    t = time.perf_counter()
                    with urllib.request.urlopen(url) as r:
                        r.read()
                    a.append(time.perf_counter() - t)
                    t = time.perf_counter()
                    subprocess.run([args.bin, "query", q, *flags, "-i", index, "-f", "json"],
                                   stdout=subprocess.DEVNULL, check=False)
                    c.append(time.perf_counter() - t)
                api.append(statistics.median(a))
                cli.append(statistics.median(c))
            print(f"search latency, one client, median over {len(api)} queries "
                  f"(each the median of {args.reps}):")
            print(f"  GET /api/v1/search        {statistics.median(api) * 1e3:6.1f} ms")
            print(f"  gazette query (process)   {statistics.median(cli) * 1e3:6.1f} ms")
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
