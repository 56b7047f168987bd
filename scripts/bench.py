#!/usr/bin/env python3
"""Benchmark gazette against tantivy-cli and SQLite FTS5 on the same news text.

Usage: scripts/bench.py BBC_DIR [--scales 1,4,20] [--reps 5] [--out target/bench/latest.json]

Builds nothing itself (scripts/bench.sh builds gazette and installs tantivy-cli). For each
scale N, writes the BBC articles N times under distinct ids as JSON lines (title, body),
then measures, in this one run on this one machine:
  - ingest wall time and peak memory: gazette (passages, entity and date tagging on),
    tantivy-cli `index` (whole articles, en_stem, positions, stored), SQLite FTS5 (porter).
    The engines get the same resources and end in the same state: gazette and
    tantivy-cli get the same number of threads (--threads, default: every core; gazette's
    -j, its reading and tagging workers, beside which its writer runs half as many
    indexing threads; tantivy-cli's -t, all indexing threads: the stronger anchor of the
    two ways to match them) with the same indexing memory (--memory-mb, gazette's
    default), and tantivy-cli merges its segments into one at the end (--forcemerge) as
    gazette's ingest does.
    FTS5 has no parallel indexing: it is one Python thread, and says so in the table;
  - re-ingest of the unchanged corpus (gazette);
  - whole-process query time over scripts/bench-queries.tsv: gazette top 10 with
    highlighted passages, sqlite3 CLI top 10 by bm25 with snippet(), tantivy-cli search;
  - a query matching more than 10,000 passages with --all --format jsonl, against FTS5
    returning the same matches with snippets.
Prints a table of medians and gazette/anchor ratios and writes them as JSON.
"""

import argparse
import json
import os
import shlex
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(cmd, stdin=None, stdout=subprocess.DEVNULL, env=None, sample_private=False):
    """Runs cmd; returns (seconds, peak RSS in MB, exit code, CPU seconds, peak private MB).
    Peak RSS and CPU time (user + system) via wait4. Peak RSS counts the index files a
    process has mapped (the final merge reads the whole index that way); with
    sample_private, a thread also polls the process's private (anonymous) memory, which
    is what the indexing budget governs, every 20 ms (else the last value is None)."""
    with tempfile.TemporaryFile() as errf:
        start = time.perf_counter()
        p = subprocess.Popen(cmd, stdin=stdin, stdout=stdout, stderr=errf, env=env)
        peak_private, done = [0.0], threading.Event()

        def sample():
            status = Path(f"/proc/{p.pid}/status")
            while not done.wait(0.02):
                try:
                    for line in status.read_text().splitlines():
                        if line.startswith("RssAnon:"):
                            peak_private[0] = max(peak_private[0], int(line.split()[1]) / 1024)
                except (OSError, ValueError):
                    pass

        sampler = threading.Thread(target=sample) if sample_private else None
        if sampler:
            sampler.start()
        _, status, usage = os.wait4(p.pid, 0)
        elapsed = time.perf_counter() - start
        done.set()
        if sampler:
            sampler.join()
        p.returncode = os.waitstatus_to_exitcode(status)
        errf.seek(0)
        err = errf.read().decode(errors="replace")
    if p.returncode not in (0, 1):
        sys.exit(f"failed ({p.returncode}): {' '.join(map(str, cmd))}\n{err[-2000:]}")
    return (elapsed, usage.ru_maxrss / 1024, p.returncode, usage.ru_utime + usage.ru_stime,
            peak_private[0] if sample_private else None)


def read_bbc(bbc):
    articles = []
    for path in sorted(Path(bbc).rglob("*.txt")):
        if path.name.lower().startswith("readme"):
            continue
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = raw.decode("cp1252")
        title, _, body = text.partition("\n")
        articles.append((str(path.relative_to(bbc)), title.strip(), body.strip()))
    return articles


def write_corpus(articles, scale, dest):
    """N copies, one JSON-lines file per copy (so gazette's file-level workers parallelise)."""
    if dest.exists():
        return
    tmp = dest.with_suffix(".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    for k in range(scale):
        with open(tmp / f"copy-{k:02}.jsonl", "w") as f:
            for rel, title, body in articles:
                f.write(json.dumps({"id": f"{k}/{rel}", "title": title, "body": body}) + "\n")
    tmp.rename(dest)


TANTIVY_SCHEMA = [
    {"name": "id", "type": "text", "options": {"indexing": {"record": "basic", "fieldnorms": False, "tokenizer": "raw"}, "stored": True, "fast": False}},
    {"name": "title", "type": "text", "options": {"indexing": {"record": "position", "fieldnorms": True, "tokenizer": "en_stem"}, "stored": True, "fast": False}},
    {"name": "body", "type": "text", "options": {"indexing": {"record": "position", "fieldnorms": True, "tokenizer": "en_stem"}, "stored": True, "fast": False}},
]


def tantivy_ingest(tantivy, corpus, index, threads, memory_mb=None):
    """tantivy-cli `index` on `threads` threads; with `memory_mb`, that indexing memory and a
    final merge into one segment (the same work as gazette); without, its own defaults
    (1 GB, segments left as its merge policy leaves them)."""
    shutil.rmtree(index, ignore_errors=True)
    index.mkdir(parents=True)
    meta = {"index_settings": {"docstore_compression": "lz4", "docstore_blocksize": 16384},
            "segments": [], "schema": TANTIVY_SCHEMA, "opstamp": 0}
    (index / "meta.json").write_text(json.dumps(meta))
    cat = subprocess.Popen(["sh", "-c", f"cat {corpus}/*.jsonl"], stdout=subprocess.PIPE)
    # -t: indexing threads (tantivy-cli's default is one); -m: their memory in bytes, in
    # all; --forcemerge takes a value, any value.
    same_work = ["-m", str(memory_mb * 1_000_000), "--forcemerge", "yes"] if memory_mb else []
    result = run([tantivy, "index", "-i", str(index), "-t", str(threads)] + same_work, stdin=cat.stdout)
    cat.wait()
    return result


def sqlite_ingest(corpus, db):
    """FTS5 ingest in a child process so its time and memory are measured alike."""
    if db.exists():
        db.unlink()
    code = f"""
import json, sqlite3, glob
c = sqlite3.connect({str(db)!r})
c.execute("CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, title, body, tokenize='porter unicode61')")
with c:
    for name in sorted(glob.glob({str(corpus)!r} + '/*.jsonl')):
        with open(name) as f:
            c.executemany('INSERT INTO docs VALUES (?, ?, ?)',
                          ((d['id'], d['title'], d['body']) for d in map(json.loads, f)))
c.execute("INSERT INTO docs(docs) VALUES('optimize')")
c.commit()
"""
    return run([sys.executable, "-c", code])


def sqlite_query_cmd(db, match, limit=10):
    esc = match.replace("'", "''")
    sql = (f"SELECT id, title, snippet(docs, 2, '[', ']', '…', 24) FROM docs "
           f"WHERE docs MATCH '{esc}' ORDER BY rank" + (f" LIMIT {limit}" if limit else "") + ";")
    return ["sqlite3", "-readonly", str(db), sql]


def load_queries():
    queries = []
    for line in (ROOT / "scripts" / "bench-queries.tsv").read_text().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        g, extra, fts, tv = line.split("\t")
        queries.append({"gazette": g, "extra": [] if extra == "-" else shlex.split(extra),
                        "fts5": fts, "tantivy": tv})
    return queries


def outputs(work, scale):
    """Where each tool's index of the scale-N corpus goes: gazette, tantivy-cli, FTS5."""
    return work / f"gazette-x{scale}", work / f"tantivy-x{scale}", work / f"fts5-x{scale}.db"


def median_of(reps, fn):
    return statistics.median(fn() for _ in range(reps))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("bbc", help="path to news-dev/bbc")
    ap.add_argument("--scales", default="1,4,20")
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--gazette", default=str(ROOT / "target/release/gazette"))
    ap.add_argument("--threads", type=int, default=os.cpu_count(),
                    help="threads for gazette (-j) and tantivy-cli (-t) alike (default: every core)")
    ap.add_argument("--memory-mb", type=int, default=256,
                    help="indexing memory for gazette and tantivy-cli alike (default: gazette's 256)")
    ap.add_argument("--tantivy", default=str(ROOT / "target/bench/tools/bin/tantivy"))
    ap.add_argument("--work", default=str(ROOT / "target/bench/work"))
    ap.add_argument("--out", default=str(ROOT / "target/bench/latest.json"))
    args = ap.parse_args()

    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    articles = read_bbc(args.bbc)
    scales = [int(s) for s in args.scales.split(",")]
    queries = load_queries()
    report = {"date": time.strftime("%Y-%m-%d %H:%M"), "machine": machine(), "articles_per_copy": len(articles),
              "threads": args.threads, "memory_mb": args.memory_mb,
              "scales": {}, "queries": {}}

    # Rounds of every scale in turn, not every round of one scale then the next: a shared
    # machine drifts in speed over minutes, and the scaling ratio compares scales, so each
    # round measures all of them under the same conditions (see the scaling block below).
    corpora = {}
    for scale in scales:
        corpora[scale] = work / f"bbc-x{scale}"
        write_corpus(articles, scale, corpora[scale])
    samples = {scale: {"g": [], "t": [], "d": [], "s": []} for scale in scales}
    for rep in range(args.reps):
        for scale in scales:
            corpus = corpora[scale]
            g_index, t_index, db = outputs(work, scale)
            got = samples[scale]
            got["g"].append(run([args.gazette, "ingest", str(corpus), "--index", str(g_index), "--rebuild", "--quiet",
                                 "--threads", str(args.threads), "--memory", str(args.memory_mb)],
                                  sample_private=True))
            got["t"].append(tantivy_ingest(args.tantivy, corpus, t_index, args.threads, args.memory_mb))
            got["d"].append(tantivy_ingest(args.tantivy, corpus, t_index, args.threads))
            got["s"].append(sqlite_ingest(corpus, db))
            print(f"round {rep + 1}/{args.reps} x{scale}: gazette {got['g'][-1][0]:.2f} s, "
                  f"tantivy-cli {got['t'][-1][0]:.2f} s (own defaults {got['d'][-1][0]:.2f} s), "
                  f"FTS5 {got['s'][-1][0]:.2f} s", file=sys.stderr)
    for scale in scales:
        corpus, got = corpora[scale], samples[scale]
        g, t, s = got["g"], got["t"], got["s"]
        g_index = outputs(work, scale)[0]
        row = {"articles": len(articles) * scale,
               "corpus_mb": sum(p.stat().st_size for p in corpus.iterdir()) / 1e6}
        row["gazette_ingest_s"] = statistics.median(x[0] for x in g)
        row["gazette_ingest_runs_s"] = [x[0] for x in g]
        row["gazette_ingest_cpu_s"] = statistics.median(x[3] for x in g)
        row["gazette_peak_mb"] = max(x[1] for x in g)
        row["gazette_peak_private_mb"] = max(x[4] for x in g)
        row["tantivy_ingest_s"] = statistics.median(x[0] for x in t)
        row["tantivy_ingest_runs_s"] = [x[0] for x in t]
        row["tantivy_peak_mb"] = max(x[1] for x in t)
        row["tantivy_defaults_ingest_s"] = statistics.median(x[0] for x in got["d"])
        row["tantivy_defaults_ingest_runs_s"] = [x[0] for x in got["d"]]
        row["fts5_ingest_s"] = statistics.median(x[0] for x in s)
        row["fts5_ingest_runs_s"] = [x[0] for x in s]
        row["fts5_peak_mb"] = max(x[1] for x in s)
        row["gazette_reingest_s"] = median_of(args.reps, lambda: run(
            [args.gazette, "ingest", str(corpus), "--index", str(g_index), "--quiet"])[0])
        # Ratios are paired by round (gazette and the anchor ran within a minute of each
        # other) and the median taken over rounds: this machine's speed drifts by 10-20%
        # over minutes, which a ratio of two medians would pass on.
        paired = lambda anchor: statistics.median(a[0] / b[0] for a, b in zip(g, anchor))
        row["ratio_ingest_vs_tantivy"] = paired(t)
        row["ratio_ingest_vs_tantivy_by_round"] = [a[0] / b[0] for a, b in zip(g, t)]
        row["ratio_ingest_vs_tantivy_defaults"] = paired(got["d"])
        row["ratio_ingest_vs_fts5"] = paired(s)
        row["ratio_reingest_vs_ingest"] = row["gazette_reingest_s"] / row["gazette_ingest_s"]
        report["scales"][scale] = row
        print(f"x{scale}: {json.dumps(row)}", file=sys.stderr)

    # Queries on the largest scale.
    top = max(scales)
    g_index, t_index, db = outputs(work, top)
    per_query = []
    for q in queries:
        g_cmd = [args.gazette, "query", q["gazette"], "--index", str(g_index), "--limit", "10", *q["extra"]]
        gq = median_of(args.reps, lambda: run(g_cmd)[0])
        sq = median_of(args.reps, lambda: run(sqlite_query_cmd(db, q["fts5"]))[0])
        tq = median_of(args.reps, lambda: run([args.tantivy, "search", "-i", str(t_index), "-q", q["tantivy"]])[0])
        count_cmd = [args.gazette, "query", q["gazette"], "--index", str(g_index), "--count", *q["extra"]]
        count = int(subprocess.run(count_cmd, capture_output=True, text=True).stdout.strip() or 0)
        per_query.append({"query": q["gazette"], "extra": " ".join(q["extra"]), "matches": count,
                          "gazette_s": gq, "fts5_s": sq, "tantivy_cli_s": tq})
    report["queries"]["list"] = per_query
    med = lambda k: statistics.median(p[k] for p in per_query)
    report["queries"]["median_gazette_s"] = med("gazette_s")
    report["queries"]["median_fts5_s"] = med("fts5_s")
    report["queries"]["median_tantivy_cli_s"] = med("tantivy_cli_s")
    report["queries"]["ratio_vs_fts5"] = med("gazette_s") / med("fts5_s")

    # Streaming every match of broad queries: one with more than 10,000 matching passages
    # at 20x ("market", ~16,000), and one matching most articles ("said", ~120,000).
    report["all_jsonl"] = []
    for broad in ["market", "said"]:
        count = int(subprocess.run([args.gazette, "query", broad, "--index", str(g_index), "--count"],
                                   capture_output=True, text=True).stdout.strip())
        ga = median_of(args.reps, lambda: run([args.gazette, "query", broad, "--index", str(g_index),
                                               "--all", "--format", "jsonl"])[0])
        sa = median_of(args.reps, lambda: run(sqlite_query_cmd(db, broad, limit=None))[0])
        report["all_jsonl"].append({"query": broad, "matching_passages": count, "gazette_s": ga, "fts5_s": sa,
                                    "ratio_vs_fts5": ga / sa})

    if len(scales) >= 2:
        lo, hi = sorted(scales)[-2], max(scales)
        per_article = lambda scale, seconds: seconds / report["scales"][scale]["articles"]

        def by_round(key, field=0):
            """Per round, the per-article time at hi over that at lo in the same round: the
            pairing cancels the machine's drift between rounds."""
            return [per_article(hi, b[field]) / per_article(lo, a[field])
                    for a, b in zip(samples[lo][key], samples[hi][key])]
        gazette_rounds = by_round("g")
        # The anchors' own scaling in the same run tells the engine's share from gazette's.
        report["scaling"] = {"from": lo, "to": hi,
                             "time_per_article_ratio": statistics.median(gazette_rounds),
                             "time_per_article_ratio_by_round": gazette_rounds,
                             "cpu_time_per_article_ratio": statistics.median(by_round("g", field=3)),
                             "tantivy_time_per_article_ratio": statistics.median(by_round("t")),
                             "fts5_time_per_article_ratio": statistics.median(by_round("s"))}

    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2))
    print_table(report)
    print(f"\nwritten: {out}")


def machine():
    cpu = "unknown"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{os.cpu_count()} cores, {mem:.0f} GiB, {cpu}"


def print_table(r):
    print(f"machine: {r['machine']}   date: {r['date']}")
    print(f"gazette -j {r['threads']} and tantivy-cli -t {r['threads']}, {r['memory_mb']} MB indexing memory, "
          f"segments merged into one at the end; FTS5: one Python thread")
    print(f"{'scale':>6} {'articles':>9} {'MB':>6} | {'gazette s':>9} {'peak MB':>8} {'private MB':>10} | "
          f"{'tantivy s':>9} {'FTS5 s':>7} | {'g/tantivy':>9} {'g/FTS5':>7} | {'re-ingest s':>11} {'re/first':>8} | "
          f"{'tantivy own defaults s':>22} {'g/it':>5}")
    for scale, x in r["scales"].items():
        print(f"{'x' + str(scale):>6} {x['articles']:>9} {x['corpus_mb']:>6.1f} | {x['gazette_ingest_s']:>9.2f} "
              f"{x['gazette_peak_mb']:>8.0f} {x['gazette_peak_private_mb']:>10.0f} | "
              f"{x['tantivy_ingest_s']:>9.2f} {x['fts5_ingest_s']:>7.2f} | "
              f"{x['ratio_ingest_vs_tantivy']:>9.2f} {x['ratio_ingest_vs_fts5']:>7.2f} | "
              f"{x['gazette_reingest_s']:>11.2f} {x['ratio_reingest_vs_ingest']:>8.3f} | "
              f"{x['tantivy_defaults_ingest_s']:>22.2f} {x['ratio_ingest_vs_tantivy_defaults']:>5.2f}")
    print("(ratios: median over rounds of gazette's time over the anchor's in the same round; tantivy own "
          "defaults: the same threads, tantivy-cli's 1 GB of indexing memory, no final merge: a relaxation of "
          "the same-work comparison, shown for reference)")
    for scale, x in r["scales"].items():
        rounds = ", ".join(f"{v:.2f}" for v in x["ratio_ingest_vs_tantivy_by_round"])
        print(f"  x{scale} gazette/tantivy-cli by round: {rounds}")
    q = r["queries"]
    print(f"\nqueries (median of whole-process times over {len(q['list'])} queries, top 10 with snippets):")
    print(f"  gazette {q['median_gazette_s'] * 1000:.1f} ms   FTS5 {q['median_fts5_s'] * 1000:.1f} ms   "
          f"tantivy-cli {q['median_tantivy_cli_s'] * 1000:.1f} ms   gazette/FTS5 {q['ratio_vs_fts5']:.2f}")
    for p in q["list"]:
        print(f"  {p['gazette_s'] * 1000:7.1f} {p['fts5_s'] * 1000:7.1f} {p['tantivy_cli_s'] * 1000:7.1f} ms "
              f"{p['matches']:>7}  {p['query']} {p['extra']}")
    print()
    for a in r["all_jsonl"]:
        print(f"--all --format jsonl '{a['query']}' ({a['matching_passages']} passages): gazette {a['gazette_s']:.3f} s, "
              f"FTS5 {a['fts5_s']:.3f} s, ratio {a['ratio_vs_fts5']:.2f}")
    if "scaling" in r:
        s = r["scaling"]
        rounds = ", ".join(f"{x:.3f}" for x in s["time_per_article_ratio_by_round"])
        print(f"scaling x{s['from']} -> x{s['to']}, wall time per article, median of rounds: "
              f"x{s['time_per_article_ratio']:.3f} (1.0 = linear; rounds {rounds}); CPU time per article "
              f"x{s['cpu_time_per_article_ratio']:.3f}; tantivy-cli x{s['tantivy_time_per_article_ratio']:.3f}, "
              f"FTS5 x{s['fts5_time_per_article_ratio']:.3f}")


if __name__ == "__main__":
    main()
