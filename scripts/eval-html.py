#!/usr/bin/env python3
"""Scores gazette's HTML reader on the Zyte article-extraction benchmark, with its metric.

Usage: scripts/eval-html.py BENCHMARK_DIR [--bin PATH] [--candidates] [--errors N] [--rounds N]

BENCHMARK_DIR is a copy of scrapinghub/article-extraction-benchmark: html/*.html.gz (181
news pages), ground-truth.json ({page id: {"articleBody", "url"}}) and evaluate.py, the
benchmark's own metric (4-token shingle precision and recall per page, averaged; F1 from
the averages), which this script imports from there rather than copying.

gazette reads the pages with `gazette extract BENCHMARK_DIR/html` (the reader ingest
uses; the article's body is the prediction, its title is not). The strict figure comes
first: a page gazette refuses counts as an empty prediction. The relaxation after it,
labelled, leaves refused pages out. Then the time per page: extraction (the whole
`gazette extract` process on one file after another, parsing and decoding included)
against tagging the extracted text (`gazette tag --input jsonl`, entities and dates), both
single-threaded processes on the same machine, each the median of --rounds runs (3).

--candidates also builds scripts/html-candidates (a separate cargo package, so the
candidate crates never enter gazette's build) and scores each Rust extractor in it on the
same pages with the same metric, with its extraction time per page (one thread, parsing
included, file reading excluded; the readability ports get the page URL from the ground
truth, which they require).

--bin defaults to target/release/gazette under the current directory; if that does not
exist, `cargo run --release --quiet --bin gazette --` is used.
"""

import argparse
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def load_metric(bench):
    spec = importlib.util.spec_from_file_location("zyte_evaluate", os.path.join(bench, "evaluate.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def gazette_command(path):
    if path:
        return [path]
    default = os.path.join(ROOT, "target", "release", "gazette")
    if os.path.exists(default):
        return [default]
    return ["cargo", "run", "--release", "--quiet", "--bin", "gazette", "--"]


def page_id(path):
    name = os.path.basename(path)
    for suffix in (".html.gz", ".html"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def run_gazette(gazette, bench):
    """{page id: body} for the pages gazette reads, the refusal messages, and seconds."""
    start = time.perf_counter()
    done = subprocess.run(
        gazette + ["extract", os.path.join(bench, "html")],
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - start
    if done.returncode not in (0, 1):
        sys.exit(f"gazette extract failed ({done.returncode}):\n{done.stderr}")
    bodies = {}
    for line in done.stdout.splitlines():
        article = json.loads(line)
        bodies[page_id(article["path"])] = article["body"]
    # Only the messages about pages that gave no article (not warnings about the others).
    names = {page_id(line.split(": ")[1]) for line in done.stderr.splitlines() if ": " in line}
    missing = names - set(bodies)
    refused = [line for line in done.stderr.splitlines() if any(name in line for name in missing)]
    return bodies, refused, seconds


def tagging_seconds(gazette, bodies):
    """Seconds for `gazette tag` over the extracted bodies (one process, one thread)."""
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as f:
        for key, body in sorted(bodies.items()):
            f.write(json.dumps({"id": key, "text": body}) + "\n")
        name = f.name
    try:
        start = time.perf_counter()
        subprocess.run(gazette + ["tag", "--input", "jsonl", name], check=True, stdout=subprocess.DEVNULL)
        return time.perf_counter() - start
    finally:
        os.unlink(name)


def score(metric, truth, prediction):
    full = {key: {"articleBody": prediction.get(key, "")} for key in truth}
    return metric.evaluate(truth, full, 1000)


def line(name, m, per_page_ms=None):
    timing = f"  {per_page_ms:7.2f} ms/page" if per_page_ms is not None else ""
    return (
        f"{name:<44} F1 {m['f1']:.3f} ± {m['f1_std']:.3f}  P {m['precision']:.3f}  "
        f"R {m['recall']:.3f}{timing}"
    )


def candidates(bench, truth, metric):
    package = os.path.join(ROOT, "scripts", "html-candidates")
    subprocess.run(
        ["cargo", "build", "--release", "--quiet", "--locked", "--manifest-path", os.path.join(package, "Cargo.toml")],
        check=True,
    )
    binary = os.path.join(package, "target", "release", "html-candidates")
    with tempfile.TemporaryDirectory() as out:
        subprocess.run(
            [binary, os.path.join(bench, "html"), out, os.path.join(bench, "ground-truth.json")],
            check=True,
            stderr=subprocess.DEVNULL,
        )
        rows = []
        for name in sorted(n[:-5] for n in os.listdir(out) if n.endswith(".json")):
            with open(os.path.join(out, name + ".json"), encoding="utf-8") as f:
                output = json.load(f)
            with open(os.path.join(out, name + ".time")) as f:
                seconds = float(f.read())
            m = score(metric, truth, {k: v["articleBody"] for k, v in output.items()})
            rows.append((m["f1"], line(name, m, 1000 * seconds / len(truth))))
    for _, text in sorted(rows, reverse=True):
        print(text)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("bench", metavar="BENCHMARK_DIR")
    parser.add_argument("--bin", help="gazette binary (default target/release/gazette)")
    parser.add_argument("--candidates", action="store_true", help="also score the Rust extractors in scripts/html-candidates")
    parser.add_argument("--errors", type=int, default=0, metavar="N", help="list the N pages with the lowest F1")
    parser.add_argument("--rounds", type=int, default=3, metavar="N", help="timing runs of extraction and tagging (median)")
    args = parser.parse_args()

    metric = load_metric(args.bench)
    with open(os.path.join(args.bench, "ground-truth.json"), encoding="utf-8") as f:
        truth = json.load(f)
    gazette = gazette_command(args.bin)
    runs = [run_gazette(gazette, args.bench) for _ in range(max(args.rounds, 1))]
    bodies, refused, _ = runs[0]
    seconds = statistics.median(run[2] for run in runs)
    tag_seconds = statistics.median(tagging_seconds(gazette, bodies) for _ in range(max(args.rounds, 1)))

    n = len(truth)
    strict = score(metric, truth, bodies)
    print(f"Zyte article-extraction benchmark, {n} pages, its evaluate.py metric")
    print(line("gazette (strict: a refused page is empty)", strict, 1000 * seconds / n))
    print(f"  pages refused: {n - len(bodies)}")
    for message in refused:
        print(f"    {message}")
    if len(bodies) < n:
        kept = {key: truth[key] for key in truth if key in bodies}
        print(line(f"RELAXED: refused pages left out ({len(kept)} pages)", score(metric, kept, bodies)))
    print(
        f"time per page: extraction {1000 * seconds / n:.2f} ms (whole `gazette extract` process), "
        f"tagging its text {1000 * tag_seconds / max(len(bodies), 1):.2f} ms (`gazette tag`); "
        f"medians of {max(args.rounds, 1)} runs"
    )

    if args.errors:
        print(f"\nlowest {args.errors} pages (F1, precision, recall, id, url):")
        rows = []
        for key in truth:
            tp, fp, fn = metric.string_shingle_matching(true=truth[key]["articleBody"], pred=bodies.get(key, ""))
            p = tp / (tp + fp) if tp + fp else 0.0
            r = tp / (tp + fn) if tp + fn else 0.0
            f1 = 2 * p * r / (p + r) if p + r else 0.0
            rows.append((f1, p, r, key, truth[key].get("url", "")))
        for f1, p, r, key, url in sorted(rows)[: args.errors]:
            print(f"  {f1:.3f}  {p:.3f}  {r:.3f}  {key[:16]}  {url}")

    if args.candidates:
        print("\nRust extractors on the same pages (scripts/html-candidates), by F1:")
        candidates(args.bench, truth, metric)


if __name__ == "__main__":
    main()
