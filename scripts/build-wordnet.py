#!/usr/bin/env python3
"""Builds data/wordnet/relations.tsv.gz, the WordNet relations gazette ships, from the
WordNet 3.0 database files (Debian's `wordnet-base`: /usr/share/wordnet/data.*).

For each lemma (lowercased, multiword lemmas with spaces), one line:

    lemma<TAB>synonyms<TAB>derived<TAB>hyponyms

each field a `|`-separated list (possibly empty), sorted, the lemma itself left out:
synonyms are the other lemmas of every synset holding the lemma; derived are the lemmas
the lemma's derivationally-related-form pointers (`+`, a lexical pointer from this very
word) lead to; hyponyms are the lemmas of the direct hyponyms (`~`, not instance
hyponyms `~i`) of every synset holding the lemma. Instance synsets (a person, a
place: those with an instance-of pointer `@i`) give no synonyms. All parts of speech are merged: a
query word carries none.

Usage: scripts/build-wordnet.py [WORDNET_DIR] [OUT]
  defaults: /usr/share/wordnet data/wordnet/relations.tsv.gz
  (apt-get download wordnet-base && dpkg -x wordnet-base_*.deb x gives x/usr/share/wordnet)
"""
import gzip
import os
import re
import sys
from collections import defaultdict

FILES = {"n": "data.noun", "v": "data.verb", "a": "data.adj", "r": "data.adv"}


def lemma_of(word):
    # Adjective markers "(a)", "(p)", "(ip)"; underscores join multiword lemmas.
    return re.sub(r"\([a-z]+\)$", "", word).replace("_", " ").lower()


def read(wn_dir):
    """synsets[(pos, offset)] = (lemmas, pointers)"""
    synsets = {}
    for pos, name in FILES.items():
        with open(os.path.join(wn_dir, name), encoding="latin-1") as f:
            for line in f:
                if line.startswith("  "):
                    continue  # licence header
                head = line.split(" | ", 1)[0].split()
                offset, ss_type = head[0], head[2]
                n = int(head[3], 16)
                words = [lemma_of(head[4 + 2 * i]) for i in range(n)]
                at = 4 + 2 * n
                p_cnt = int(head[at])
                ptrs = []
                for i in range(p_cnt):
                    sym, off, tpos, st = head[at + 1 + 4 * i : at + 5 + 4 * i]
                    tpos = "a" if tpos == "s" else tpos
                    ptrs.append((sym, off, tpos, int(st[:2], 16), int(st[2:], 16)))
                synsets[(pos, offset)] = (words, ptrs)
    return synsets


def build(synsets):
    syn = defaultdict(set)
    der = defaultdict(set)
    hyp = defaultdict(set)
    for (pos, off), (words, ptrs) in synsets.items():
        # An instance (Leontyne Price, of "price") is a name, not another word for it.
        instance = any(p[0] == "@i" for p in ptrs)
        for w in words:
            syn[w].update([] if instance else words)
        hyponyms = set()
        for sym, toff, tpos, src, tgt in ptrs:
            target = synsets.get((tpos, toff))
            if target is None:
                continue
            if sym == "~":
                hyponyms.update(target[0])
            elif sym == "+" and src > 0 and tgt > 0:
                der[words[src - 1]].add(target[0][tgt - 1])
        for w in words:
            hyp[w].update(hyponyms)
    lines = []
    for lemma in sorted(syn):
        fields = [
            sorted(s - {lemma}) for s in (syn[lemma], der[lemma], hyp[lemma])
        ]
        lines.append(lemma + "\t" + "\t".join("|".join(f) for f in fields) + "\n")
    return lines


def main():
    wn_dir = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/wordnet"
    out = sys.argv[2] if len(sys.argv) > 2 else "data/wordnet/relations.tsv.gz"
    lines = build(read(wn_dir))
    header = (
        "# WordNet 3.0 relations for gazette (scripts/build-wordnet.py): "
        "lemma, synonyms, derived forms, direct hyponyms\n"
    )
    # No name, mtime 0: the same input gives the same bytes wherever it is written.
    with open(out, "wb") as raw:
        with gzip.GzipFile(
            filename="", fileobj=raw, mode="wb", compresslevel=9, mtime=0
        ) as f:
            f.write(header.encode())
            f.write("".join(lines).encode())
    print(f"{len(lines)} lemmas -> {out} ({os.path.getsize(out)} bytes)")


if __name__ == "__main__":
    main()
