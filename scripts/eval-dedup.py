#!/usr/bin/env python3
"""Near-duplicate groups on a corpus: what gazette found, a sample to check by hand, and
an exhaustive cross-check of the LSH candidates against every pair.

Usage: scripts/eval-dedup.py CORPUS [--bin PATH] [--index DIR] [--sample N] [--seed S]
                              [--near N]

CORPUS is ingested with `gazette ingest` into --index (a fresh temporary folder by
default). The script then prints:

1. gazette's answer: `gazette stats` (groups of more than one article, articles in them)
   and the sizes of the groups (`gazette copies --all`).
2. A sample of --sample groups (random with --seed), each article with its id, its
   similarity to the first (the containment gazette computed), its title and whether its
   body is the first's byte for byte after whitespace is collapsed, then the lines where a
   non-identical body differs, for judging by hand whether they are one story.
3. An independent check of the decision: the script shingles every body itself
   (.txt files only: the first line is the title, as gazette's reader takes it; words are
   runs of letters and digits, lowercased; 5-word shingles) and computes the containment
   of every pair sharing a shingle, exactly. Pairs that pass gazette's rule (containment
   >= 0.8, shorter >= 20 shingles and >= half the longer) but that gazette did not put in
   one group are what the LSH missed; pairs gazette joined directly that the rule rejects
   would be a bug. It also lists the --near pairs just below the threshold (0.5 to 0.8)
   and just above (0.8 to 0.9), with their titles, to check the threshold by hand.

--bin defaults to target/release/gazette under the current directory.
"""

import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from itertools import combinations

THRESHOLD, MIN_SHINGLES, MIN_RATIO, WORDS = 0.8, 20, 0.5, 5


def words(text):
    return [w.lower() for w in re.split(r"[\W_]+", text) if w]


def shingles(body):
    w = words(body)
    return {tuple(w[i : i + WORDS]) for i in range(len(w) - WORDS + 1)}


def read_txt(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        text = f.read()
    title, _, body = text.partition("\n")
    return title.strip(), body


def passes(a, b, shared):
    short, long_ = sorted((len(a), len(b)))
    return short >= MIN_SHINGLES and short >= MIN_RATIO * long_ and shared / short >= THRESHOLD


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("corpus")
    ap.add_argument("--bin", default="target/release/gazette")
    ap.add_argument("--index")
    ap.add_argument("--sample", type=int, default=20)
    ap.add_argument("--seed", type=int, default=12)
    ap.add_argument("--near", type=int, default=10)
    args = ap.parse_args()

    index = args.index or tempfile.mkdtemp(prefix="gazette-dedup-")
    started = time.monotonic()
    subprocess.run(
        [args.bin, "ingest", args.corpus, "--index", index, "--quiet", "--rebuild"],
        check=True,
    )
    print(f"ingest: {time.monotonic() - started:.1f} s into {index}")
    stats = json.loads(
        subprocess.run(
            [args.bin, "stats", "--index", index, "-f", "json"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    )
    rows = subprocess.run(
        [args.bin, "copies", "--all", "--index", index, "-f", "jsonl"],
        capture_output=True,
        text=True,
    ).stdout
    groups, sims = [], {}
    for line in rows.splitlines():
        r = json.loads(line)
        if not groups or groups[-1][0] != r["group"]:
            groups.append([])
        groups[-1].append(r["article_id"])
        sims[r["article_id"]] = r["similarity"]
    sizes = defaultdict(int)
    for g in groups:
        sizes[len(g)] += 1
    print(
        f"articles {stats['articles']}, groups {stats['groups']}, "
        f"articles in groups {stats['articles_in_groups']}, sizes "
        + ", ".join(f"{n} of {k}" for k, n in sorted(sizes.items()))
    )

    # Article ids of a folder's .txt files are their paths under the root's own name.
    root = os.path.abspath(args.corpus)
    prefix = os.path.basename(root.rstrip("/")) + "/"
    docs = {}
    for folder, _, files in os.walk(root):
        for name in files:
            if name.endswith(".txt") and name.upper() != "README.TXT":
                path = os.path.join(folder, name)
                docs[prefix + os.path.relpath(path, root)] = read_txt(path)

    def same(a, b):
        return " ".join(docs[a][1].split()) == " ".join(docs[b][1].split())

    print(f"\n== sample of {args.sample} groups (seed {args.seed}) ==")
    rng = random.Random(args.seed)
    for g in rng.sample(groups, min(args.sample, len(groups))):
        print(f"-- group {g[0]} ({len(g)})")
        for i, a in enumerate(g):
            tag = "first" if i == 0 else ("identical" if same(g[0], a) else "differs")
            print(f"   {a}  sim {sims[a]:.4f}  {tag}  {docs[a][0][:70]}")
            if tag == "differs":
                first = set(docs[g[0]][1].splitlines())
                for line in docs[a][1].splitlines():
                    if line.strip() and line not in first:
                        print(f"      + {line[:110]}")

    # Every pair sharing a shingle, counted through an inverted list.
    sets = {k: shingles(v[1]) for k, v in docs.items()}
    ids = sorted(sets)
    posting = defaultdict(list)
    for n, k in enumerate(ids):
        for s in sets[k]:
            posting[s].append(n)
    shared = defaultdict(int)
    for lst in posting.values():
        if len(lst) > 1 and len(lst) < 200:
            for a, b in combinations(lst, 2):
                shared[(a, b)] += 1
    group_of = {a: g[0] for g in groups for a in g}
    missed, wrong, near_below, near_above = [], [], [], []
    for (a, b), n in shared.items():
        ka, kb = ids[a], ids[b]
        sa, sb = sets[ka], sets[kb]
        c = n / max(1, min(len(sa), len(sb)))
        ok = passes(sa, sb, n)
        together = ka in group_of and group_of.get(ka) == group_of.get(kb)
        if ok and not together:
            missed.append((c, ka, kb))
        ratio_ok = min(len(sa), len(sb)) >= MIN_RATIO * max(len(sa), len(sb))
        if ratio_ok and 0.5 <= c < THRESHOLD:
            near_below.append((c, ka, kb, together))
        if ok and c < 0.9:
            near_above.append((c, ka, kb))
    rule_pairs = sum(
        1 for (a, b), n in shared.items() if passes(sets[ids[a]], sets[ids[b]], n)
    )
    print("\n== exhaustive check of every pair ==")
    print(f"pairs passing the rule: {rule_pairs}; of them not grouped by gazette: {len(missed)}")
    for c, a, b in sorted(missed)[: args.near]:
        print(f"   missed {c:.3f} {a} {b}")
    print(f"pairs of comparable length with containment 0.5-0.8: {len(near_below)}")
    for c, a, b, together in sorted(near_below, reverse=True)[: args.near]:
        note = " (grouped through another copy)" if together else ""
        print(f"   {c:.3f} {a} | {docs[a][0][:50]} || {b} | {docs[b][0][:50]}{note}")
    print(f"pairs passing with containment 0.8-0.9: {len(near_above)}")
    for c, a, b in sorted(near_above)[: args.near]:
        print(f"   {c:.3f} {a} | {docs[a][0][:50]} || {b} | {docs[b][0][:50]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
