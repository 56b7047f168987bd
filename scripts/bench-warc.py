#!/usr/bin/env python3
"""Web archive speed: the same pages read as .html files and as a WARC.

Usage: scripts/bench-warc.py PAGES_DIR [--rounds N] [--threads N] [--keep DIR]

PAGES_DIR holds saved pages (`*.html`, `*.htm`, optionally gzipped, e.g. the Zyte
article-extraction benchmark's html/ folder). The script writes, in a temporary folder,
the pages as `.html` files and the same bytes as `response` records of one WARC (a
request record before each response and a warcinfo record first, and a
`WARC-Payload-Digest` on each response, as crawlers write them; no charset in the HTTP
header, so both decode the same way). Both forms are written plain (`.html` files, one
`.warc`) and gzipped (`.html.gz` files, one `.warc.gz` with a gzip member per record),
and each is compared with its like. It builds the release binary and
`examples/bench_read.rs` and measures, the four forms in turn in every round:

- reading alone (`bench_read`: decompression, WARC and HTTP parsing, decoding, HTML
  extraction; one thread, best of 5 passes per round);
- a whole `gazette ingest --rebuild` (reading, tagging, indexing) on the same threads.

It prints the median over rounds of the time per page of each form, and the median of
the rounds' WARC / HTML ratios. The goal: a page costs no more in a WARC than as an
.html file.
"""

import argparse
import base64
import gzip
import hashlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def record(kind, fields, block):
    head = [b"WARC/1.1", b"WARC-Type: " + kind.encode()]
    head += [f"{k}: {v}".encode() for k, v in fields]
    head.append(b"Content-Length: %d" % len(block))
    return b"\r\n".join(head) + b"\r\n\r\n" + block + b"\r\n\r\n"


def load_pages(folder):
    pages = []
    for path in sorted(Path(folder).iterdir()):
        name = path.name
        if name.endswith(".gz"):
            data, name = gzip.decompress(path.read_bytes()), name[:-3]
        else:
            data = path.read_bytes()
        if name.endswith((".html", ".htm")):
            pages.append((name, data))
    return pages


def write_forms(pages, out):
    html_dir, warc_dir = out / "html", out / "warc"
    html_dir.mkdir(parents=True)
    warc_dir.mkdir(parents=True)
    members = [gzip.compress(record("warcinfo", [("WARC-Date", "2026-01-01T00:00:00Z")],
                                    b"software: bench-warc.py\r\n"), mtime=0)]
    for i, (name, data) in enumerate(pages):
        (html_dir / name).write_bytes(data)
        uri = f"https://bench.example/pages/{name}"
        date = f"2026-01-01T00:{i // 60 % 60:02d}:{i % 60:02d}Z"
        request = f"GET /pages/{name} HTTP/1.1\r\nHost: bench.example\r\n\r\n".encode()
        members.append(gzip.compress(record("request", [("WARC-Target-URI", uri), ("WARC-Date", date),
                                                        ("Content-Type", "application/http; msgtype=request")],
                                            request), mtime=0))
        http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: %d\r\n\r\n" % len(data) + data
        digest = "sha1:" + base64.b32encode(hashlib.sha1(data).digest()).decode()
        members.append(gzip.compress(record("response", [("WARC-Target-URI", uri), ("WARC-Date", date),
                                                         ("WARC-Record-ID", f"<urn:uuid:bench-{i:06d}>"),
                                                         ("WARC-Payload-Digest", digest),
                                                         ("Content-Type", "application/http; msgtype=response")],
                                            http), mtime=0))
    (warc_dir / "pages.warc.gz").write_bytes(b"".join(members))
    # The same two forms uncompressed: the pages as .html, the records as one .warc.
    html_gz_dir, warc_plain_dir = out / "html.gz", out / "warc-plain"
    html_gz_dir.mkdir()
    warc_plain_dir.mkdir()
    for name, data in pages:
        (html_gz_dir / (name + ".gz")).write_bytes(gzip.compress(data, mtime=0))
    (warc_plain_dir / "pages.warc").write_bytes(b"".join(gzip.decompress(m) for m in members))
    return {"html": html_dir, "warc": warc_plain_dir, "html.gz": html_gz_dir, "warc.gz": warc_dir}


def ingest(binary, corpus, index, threads):
    started = time.perf_counter()
    out = subprocess.run([binary, "ingest", str(corpus), "--index", str(index), "--rebuild",
                          "--threads", str(threads)], capture_output=True, text=True)
    seconds = time.perf_counter() - started
    summary = out.stderr.strip().splitlines()
    indexed = next((line for line in summary if line.startswith("indexed")), "")
    return seconds, int(indexed.split()[1]) if indexed else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("pages")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--keep", help="write the two forms here instead of a temporary folder")
    args = ap.parse_args()

    pages = load_pages(args.pages)
    if not pages:
        sys.exit(f"no .html pages in {args.pages}")
    subprocess.run(["cargo", "build", "--release", "--quiet", "--bin", "gazette", "--example", "bench_read"],
                   cwd=REPO, check=True)
    binary = REPO / "target/release/gazette"
    reader = REPO / "target/release/examples/bench_read"

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(args.keep) if args.keep else Path(tmp)
        forms = write_forms(pages, out)
        read_s = {form: [] for form in forms}
        ingest_s = {form: [] for form in forms}
        articles = {}
        for _ in range(args.rounds):
            for form, corpus in forms.items():
                result = json.loads(subprocess.run([reader, str(corpus)], capture_output=True,
                                                   text=True, check=True).stdout)
                read_s[form].append(result["seconds"])
                articles[form] = result["articles"]
                seconds, indexed = ingest(binary, corpus, out / f"index-{form}", args.threads)
                ingest_s[form].append(seconds)
                articles[form + " ingest"] = indexed

    n = len(pages)
    print(f"{n} pages; articles read: " + ", ".join(f"{f} {articles[f]}" for f in forms)
          + "; indexed: " + ", ".join(f"{f} {articles[f + ' ingest']}" for f in forms)
          + f"; {args.rounds} rounds, ingest on {args.threads} threads")
    print("| measure | form | HTML files, ms/page | WARC, ms/page | WARC / HTML, median (rounds) |")
    print("|---|---|---|---|---|")
    for label, times in [("reading and extraction (1 thread, best of 5 passes)", read_s),
                         ("whole ingest (read, tag, index)", ingest_s)]:
        for html_form, warc_form in [("html", "warc"), ("html.gz", "warc.gz")]:
            html = statistics.median(times[html_form]) * 1e3 / n
            warc = statistics.median(times[warc_form]) * 1e3 / n
            ratios = [w / h for w, h in zip(times[warc_form], times[html_form])]
            print(f"| {label} | .{html_form} / .{warc_form} | {html:.3f} | {warc:.3f} | "
                  f"{statistics.median(ratios):.3f} ({', '.join(f'{r:.3f}' for r in ratios)}) |")


if __name__ == "__main__":
    main()
