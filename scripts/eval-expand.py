#!/usr/bin/env python3
"""Does concept expansion pay for itself? For each concept query: the passages it
matches, the expansion `gazette expand` proposes (the rule `query --expand` applies),
how many passages the expanded query adds, and a random sample of those added passages
to judge by hand (on topic or not).

Usage: scripts/eval-expand.py CORPUS_OR_INDEX [--bin PATH] [--sample N] [--seed S]
                              [--judgments TSV] [--concepts Q1 Q2 ...]

CORPUS_OR_INDEX is an index folder (it holds meta.json) or a corpus, which is ingested
into a fresh temporary index first. --bin defaults to target/release/gazette.
--first-rule judges the rule gazette started with (a WordNet candidate used when it
adds one passage with the rest of the query, `with_rest` >= 1), rebuilt from the rows.
--judgments (default scripts/eval-expand-judgments.tsv) holds the hand judgments:
`concept<TAB>article_id<TAB>passage<TAB>y|n<TAB>note` (a passage is judged once, whichever
rule added it); sampled passages without one are
printed in full for judging and counted as unjudged. The table printed last is strict:
on-topic share = judged on topic / sampled (an unjudged passage counts as not on topic).
"""

import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile

CONCEPTS = ["energy dependence", "job losses", "price rise", "film award"]


def run(binary, index, args):
    out = subprocess.run(
        [binary, *args, "--index", index], capture_output=True, text=True
    )
    if out.returncode not in (0, 1):
        sys.exit(f"gazette {args} failed: {out.stderr}")
    return out.stdout


def marked(hit):
    # Highlights are byte offsets.
    text, out, at = hit["text"].encode(), [], 0
    for h in hit["highlights"]:
        out.append(text[at : h["start"]])
        out.append(b"[" + text[h["start"] : h["end"]] + b"]")
        at = h["end"]
    out.append(text[at:])
    return b"".join(out).decode()


def first_rule(exp):
    """The expanded query under the first rule (with_rest >= 1 alone), rebuilt from the
    rows: each expanded word of the query replaced in place, as gazette does."""
    query = exp["query"]
    for word in exp["words"]:
        used = [
            r["candidate"]
            for r in exp["rows"]
            if r["word"] == word and r["source"] != "keyness" and r["with_rest"] >= 1
        ]
        if used:
            query = re.sub(
                rf"(?<![\w\"]){re.escape(word)}(?![\w\"])",
                lambda _: f"({word} OR {' OR '.join(used)})",
                query,
                count=1,
            )
    return query


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("data")
    ap.add_argument("--bin", default="target/release/gazette")
    ap.add_argument("--sample", type=int, default=10)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument(
        "--judgments",
        default=os.path.join(os.path.dirname(__file__), "eval-expand-judgments.tsv"),
    )
    ap.add_argument("--concepts", nargs="*", default=CONCEPTS)
    ap.add_argument(
        "--first-rule",
        action="store_true",
        help="judge the first rule (with_rest >= 1 alone) instead of gazette's",
    )
    args = ap.parse_args()

    index = args.data
    if not os.path.exists(os.path.join(index, "meta.json")):
        index = os.path.join(tempfile.mkdtemp(prefix="eval-expand-"), "idx")
        subprocess.run(
            [args.bin, "ingest", args.data, "--index", index, "--quiet"], check=True
        )

    judged = {}
    if os.path.exists(args.judgments):
        with open(args.judgments, encoding="utf-8") as f:
            for line in f:
                if line.startswith("#") or not line.strip():
                    continue
                concept, article, passage, verdict = line.rstrip("\n").split("\t")[:4]
                judged[(concept, article, int(passage))] = verdict.strip() == "y"

    rows = []
    for concept in args.concepts:
        base = int(run(args.bin, index, ["query", concept, "--count"]).strip())
        exp = json.loads(run(args.bin, index, ["expand", concept, "--format", "json"]))
        if args.first_rule:
            exp["expanded"] = first_rule(exp)
            for r in exp["rows"]:
                r["used"] = r["source"] != "keyness" and r["with_rest"] >= 1
        used = [
            f'{r["word"]}->{r["candidate"]} ({r["source"]}, +{r["with_rest"]})'
            for r in exp["rows"]
            if r["used"]
        ]
        added = []
        if exp["expanded"] != exp["query"]:
            q = f'+({exp["expanded"]}) -({concept})'
            out = run(args.bin, index, ["query", q, "--all", "--format", "jsonl"])
            added = [json.loads(l) for l in out.splitlines() if l.strip()]
        rng = random.Random(f"{args.seed}:{concept}")
        sample = rng.sample(added, min(args.sample, len(added)))
        print(f"== {concept!r}: {base} passages; expanded: {exp['expanded']}")
        print(f"   used: {'; '.join(used) or 'none'}")
        print(f"   adds {len(added)} passages")
        yes = 0
        unjudged = 0
        for hit in sample:
            key = (concept, hit["article_id"], hit["passage"])
            verdict = judged.get(key)
            if verdict is None:
                unjudged += 1
                print(f"   UNJUDGED {key[1]}\t{key[2]}\t{hit['title']}\n      {marked(hit)}")
            elif verdict:
                yes += 1
        rows.append((concept, base, len(added), len(sample), yes, unjudged))

    print()
    print("| concept | passages | expansion adds | sampled | on topic | share | unjudged |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for concept, base, added, sampled, yes, unjudged in rows:
        share = f"{yes / sampled:.0%}" if sampled else "-"
        print(
            f"| {concept} | {base} | {added} | {sampled} | {yes} | {share} | {unjudged} |"
        )
    total_s = sum(r[3] for r in rows)
    total_y = sum(r[4] for r in rows)
    if total_s:
        print(f"| all | | {sum(r[2] for r in rows)} | {total_s} | {total_y} | "
              f"{total_y / total_s:.0%} | {sum(r[5] for r in rows)} |")


if __name__ == "__main__":
    main()
