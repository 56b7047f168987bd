#!/usr/bin/env python3
"""Scores gazette's entity tagger on CoNLL-2003 dev (eng.testa) through raw text.

Usage: scripts/eval-ner.py DATA_DIR [--bin PATH] [--file eng.testa] [--errors N]
                           [--join space|newline|both]

DATA_DIR holds eng.testa (e.g. /work/shared/data/ner/conll2003; a GMB-style parent dir
with a conll2003/ folder works too). For each -DOCSTART- document, the tokens of a
sentence are joined with single spaces, and so are the sentences: the tagger finds
sentences, headlines and datelines itself, as in text that lost its line breaks. That is
the headline figure, printed first. Then, as a relaxation, the same with each sentence on
a line of its own ("\n" between sentences), which tells the tagger where every
sentence, headline and dateline ends (`--join` picks one of the two; default both).
The documents go through `gazette tag --input jsonl` as {"id", "text"} lines; the
predicted byte spans are mapped back to gold tokens (a span whose start or end is not a
gold token boundary counts as a false positive) and scored with the conlleval rule: an
entity is right only if its first token, last token and type all match. Prints per-type
P/R/F1 and micro F1.

This is the development set: the tagger's features, sentence splitting and training
settings were chosen by their score here, so it is not a held-out figure (the held-out
check is tests/data/ner-heldout.txt, in src/ner/tests.rs).

--bin defaults to target/release/gazette under the current directory; if that does not
exist, `cargo run --release --quiet --bin gazette --` is used.
"""

import argparse
import json
import os
import subprocess
import sys
from collections import Counter

TYPES = ["PER", "ORG", "LOC", "MISC"]


def read_docs(path):
    """Yields documents as lists of sentences, each a list of (word, iob1_tag)."""
    docs, sent = [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if not parts or parts[0] == "-DOCSTART-":
                if sent:
                    docs[-1].append(sent)
                    sent = []
                if parts and parts[0] == "-DOCSTART-":
                    docs.append([])
                continue
            sent.append((parts[0], parts[-1]))
    if sent:
        docs[-1].append(sent)
    return [d for d in docs if d]


def gold_entities(tags):
    """IOB1 tags -> list of (first, last, type) token spans (conlleval chunking)."""
    spans, start, kind = [], None, None
    for i, tag in enumerate(tags + ["O"]):
        prefix, _, t = tag.partition("-")
        begins = tag != "O" and (kind != t or prefix == "B")
        if start is not None and (tag == "O" or begins):
            spans.append((start, i - 1, kind))
            start, kind = None, None
        if begins:
            start, kind = i, t
    return spans


def build(docs, joiner=b"\n"):
    """Raw text, gold token offsets and gold entities (as byte spans) per document."""
    out = []
    for n, doc in enumerate(docs):
        text, starts, ends, gold = b"", {}, {}, set()
        for s, sent in enumerate(doc):
            if s:
                text += joiner
            offsets = []
            for w, (word, _) in enumerate(sent):
                if w:
                    text += b" "
                b = word.encode("utf-8")
                offsets.append((len(text), len(text) + len(b)))
                text += b
            for k, (a, z) in enumerate(offsets):
                starts[a] = (s, k)
                ends[z] = (s, k)
            for first, last, kind in gold_entities([t for _, t in sent]):
                gold.add((offsets[first][0], offsets[last][1], kind))
        out.append({"id": f"doc{n}", "text": text.decode("utf-8"), "starts": starts,
                    "ends": ends, "gold": gold})
    return out


def run_tagger(cmd, docs):
    lines = "".join(json.dumps({"id": d["id"], "text": d["text"]}) + "\n" for d in docs)
    proc = subprocess.run(cmd, input=lines.encode("utf-8"), stdout=subprocess.PIPE, check=True)
    outputs = [json.loads(l) for l in proc.stdout.decode("utf-8").splitlines() if l.strip()]
    if [o["id"] for o in outputs] != [d["id"] for d in docs]:
        sys.exit("tagger output ids do not match the input order")
    return outputs


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("data_dir")
    ap.add_argument("--bin", help="path of the gazette binary")
    ap.add_argument("--file", default="eng.testa")
    ap.add_argument("--errors", type=int, default=0, help="print N example errors")
    ap.add_argument("--join", choices=["space", "newline", "both"], default="both",
                    help="what separates sentences in the raw text (default: both, "
                         "space first)")
    args = ap.parse_args()
    path = os.path.join(args.data_dir, args.file)
    if not os.path.exists(path):
        path = os.path.join(args.data_dir, "conll2003", args.file)
    if args.bin:
        cmd = [args.bin]
    elif os.path.exists("target/release/gazette"):
        cmd = ["target/release/gazette"]
    else:
        cmd = ["cargo", "run", "--release", "--quiet", "--bin", "gazette", "--"]
    raw = read_docs(path)
    print(f"CoNLL-2003 {args.file} (the development set: design choices were tuned on it, "
          "so this is not a held-out score)")
    joins = ["space", "newline"] if args.join == "both" else [args.join]
    for n, join in enumerate(joins):
        if n:
            print()
        if join == "space":
            print("raw text, sentences joined with spaces (the tagger finds sentences, "
                  "headlines and datelines):")
        else:
            print("RELAXED: one sentence per line (line breaks tell the tagger where "
                  "sentences, headlines and datelines end):")
        evaluate(cmd, build(raw, b" " if join == "space" else b"\n"), args.errors)


def evaluate(cmd, docs, n_errors):
    """Tags `docs` with `cmd` and prints per-type and micro P/R/F1 (and N errors)."""
    outputs = run_tagger(cmd + ["tag", "--input", "jsonl"], docs)

    tp, fp, fn = Counter(), Counter(), Counter()
    misaligned, errors = 0, []
    for doc, out in zip(docs, outputs):
        text = doc["text"].encode("utf-8")
        pred = set()
        for e in out["entities"]:
            # The tagger gives byte offsets; check them against the text it was given.
            span = (e["start"], e["end"], e["type"])
            if text[e["start"]:e["end"]].decode("utf-8") != e["text"]:
                sys.exit(f"{doc['id']}: entity text does not match its byte span: {e}")
            if e["start"] not in doc["starts"] or e["end"] not in doc["ends"]:
                misaligned += 1
            pred.add(span)
        for span in pred:
            (tp if span in doc["gold"] else fp)[span[2]] += 1
            if span not in doc["gold"]:
                errors.append(("FP", span[2], text[span[0]:span[1]].decode()))
        for span in doc["gold"] - pred:
            fn[span[2]] += 1
            errors.append(("FN", span[2], text[span[0]:span[1]].decode()))

    def prf(t, p, n):
        prec = t / (t + p) if t + p else 0.0
        rec = t / (t + n) if t + n else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        return prec, rec, f1

    print(f"{'type':<6} {'P':>7} {'R':>7} {'F1':>7} {'gold':>6} {'pred':>6}")
    for t in TYPES:
        p, r, f = prf(tp[t], fp[t], fn[t])
        print(f"{t:<6} {p:7.4f} {r:7.4f} {f:7.4f} {tp[t] + fn[t]:6d} {tp[t] + fp[t]:6d}")
    T, P, N = sum(tp.values()), sum(fp.values()), sum(fn.values())
    p, r, f = prf(T, P, N)
    print(f"{'micro':<6} {p:7.4f} {r:7.4f} {f:7.4f} {T + N:6d} {T + P:6d}")
    print(f"predicted spans not on gold token boundaries: {misaligned}")
    for e in errors[:n_errors]:
        print(*e, sep="\t")


if __name__ == "__main__":
    main()
