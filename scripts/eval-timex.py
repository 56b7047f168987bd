#!/usr/bin/env python3
"""Score gazette's date extraction against TimeML (.tml) corpora such as TimeBank/AQUAINT.

Usage: scripts/eval-timex.py DATA_DIR [--bin PATH] [--verbose] [--examples N]

For every .tml file under DATA_DIR, the text inside <TEXT> is stripped of tags (XML
entities decoded) and sent to `gazette tag --input jsonl` as
{"id": ..., "text": ..., "published": DCT}, where DCT is the value of the document's
creation-time TIMEX3. Gold mentions are the TIMEX3 elements inside <TEXT>, with character
offsets converted to UTF-8 byte offsets.

Scoring, per part (first directory under DATA_DIR: TimeBank, AQUAINT) and overall. Gold
expressions scored are the TIMEX3 of type DATE; every predicted date is scored.

Strict (printed first):
- Pairing is one-to-one: predictions and gold DATEs are paired by a maximum matching of
  the overlap graph (most pairs, then most overlapping bytes), so one prediction can never
  count for two gold expressions or two predictions for one.
- Every prediction is scored. One left unpaired is a false positive, including one that
  overlaps a gold DURATION, TIME or SET (gazette tags it as a date; the corpus does not).
- span exact: predictions whose start and end both equal a gold DATE's, paired one to one.
- span overlap: every pair of the matching counts.
- value: a pair (of the overlap matching) counts when its value strings are equal, byte
  for byte. As in TempEval-3, P = correct values / predictions, R = correct / gold.

Relaxed (printed after, each labelled; each relaxes one rule of the strict score and
keeps the others):
- "value up to notation": values compared after removing notational variants: upper case;
  ISO week numbers zero-padded (2000-W7 -> 2000-W07); decades without trailing X (199X ->
  199); trailing unspecified parts, which name the same period (1949-XX -> 1949); and the
  time of day, since gazette indexes days (1998-08-07TMO -> 1998-08-07).
- "non-DATE overlaps unscored": a prediction that overlaps no gold DATE but overlaps a
  gold DURATION, TIME or SET counts neither for nor against.
- "any-overlap match": a prediction is correct when it overlaps any gold DATE and a gold
  DATE is found when any prediction overlaps it (many-to-many).
- "all three": the three relaxations together (this script's scoring before issue 11).

The date rules were developed looking at this data: these are not held-out scores.
"""

import argparse
import html
import json
import os
import re
import subprocess
import sys
from collections import defaultdict

TAG = re.compile(r"<(/?)([A-Za-z0-9_]+)([^>]*?)(/?)>")
ATTR = re.compile(r'(\w+)="([^"]*)"')


def parse_tml(path):
    """Returns (dct, text, gold) with gold = [(start_byte, end_byte, type, value, surface)]."""
    with open(path, encoding="utf-8") as f:
        xml = f.read()
    dct_match = re.search(r"<DCT>\s*<TIMEX3([^>]*)>", xml)
    if not dct_match:
        raise ValueError(f"{path}: no DCT")
    dct = dict(ATTR.findall(dct_match.group(1)))["value"][:10]
    body = xml[xml.index("<TEXT>") + len("<TEXT>") : xml.index("</TEXT>")]
    out = []
    pos = 0  # characters emitted so far
    open_timex = []
    spans = []
    last = 0
    for m in TAG.finditer(body):
        chunk = html.unescape(body[last : m.start()])
        out.append(chunk)
        pos += len(chunk)
        last = m.end()
        closing, name = m.group(1) == "/", m.group(2)
        if name != "TIMEX3" or m.group(4):
            continue
        if closing:
            attrs, start = open_timex.pop()
            spans.append((start, pos, attrs))
        else:
            open_timex.append((dict(ATTR.findall(m.group(3))), pos))
    out.append(html.unescape(body[last:]))
    text = "".join(out)
    # Character offsets -> UTF-8 byte offsets.
    byte_at = [0]
    for ch in text:
        byte_at.append(byte_at[-1] + len(ch.encode("utf-8")))
    gold = [
        (byte_at[s], byte_at[e], a.get("type", ""), a.get("value", ""), text[s:e])
        for s, e, a in spans
    ]
    return dct, text, gold


def normalise(value):
    """A value up to notation (the relaxed "value up to notation" score only)."""
    v = (value or "").upper().strip()
    v = re.sub(r"-W(\d)(?!\d)", r"-W0\1", v)
    if re.fullmatch(r"\d{2,3}X+", v):
        v = v.rstrip("X")
    v = re.sub(r"^(\d{4}-\d{2}-\d{2})T.*$", r"\1", v)
    v = re.sub(r"^(\d{4}(?:-\d{2})?)(?:-XX)+$", r"\1", v)
    return v


def default_bin():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    for profile in ("release", "debug"):
        candidate = os.path.join(root, "target", profile, "gazette")
        if os.path.exists(candidate):
            return candidate
    return "gazette"


def run_tagger(binary, docs):
    lines = "".join(
        json.dumps({"id": d["id"], "text": d["text"], "published": d["dct"]}) + "\n" for d in docs
    )
    proc = subprocess.run(
        [binary, "tag", "--input", "jsonl"],
        input=lines.encode("utf-8"),
        capture_output=True,
        check=False,
    )
    if proc.returncode != 0:
        sys.exit(f"{binary} failed ({proc.returncode}): {proc.stderr.decode(errors='replace')}")
    outputs = [json.loads(l) for l in proc.stdout.decode("utf-8").splitlines() if l.strip()]
    if len(outputs) != len(docs):
        sys.exit(f"expected {len(docs)} output lines, got {len(outputs)}")
    for d, o in zip(docs, outputs):
        if o.get("id") != d["id"]:
            sys.exit(f"output out of order: expected id {d['id']}, got {o.get('id')}")
    return outputs


def overlaps(a, b):
    return a[0] < b[1] and b[0] < a[1]


def overlap_bytes(a, b):
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def assignment(cost):
    """Minimum-cost assignment of rows to columns (Hungarian method, len(cost) <= columns).
    Returns, for each row, its column."""
    n, m = len(cost), len(cost[0])
    inf = float("inf")
    u, v, p, way = [0.0] * (n + 1), [0.0] * (m + 1), [0] * (m + 1), [0] * (m + 1)
    for i in range(1, n + 1):
        p[0], j0 = i, 0
        minv, used = [inf] * (m + 1), [False] * (m + 1)
        while True:
            used[j0] = True
            i0, delta, j1 = p[j0], inf, 0
            for j in range(1, m + 1):
                if not used[j]:
                    cur = cost[i0 - 1][j - 1] - u[i0] - v[j]
                    if cur < minv[j]:
                        minv[j], way[j] = cur, j0
                    if minv[j] < delta:
                        delta, j1 = minv[j], j
            for j in range(m + 1):
                if used[j]:
                    u[p[j]] += delta
                    v[j] -= delta
                else:
                    minv[j] -= delta
            j0 = j1
            if p[j0] == 0:
                break
        while j0:
            j1 = way[j0]
            p[j0] = p[j1]
            j0 = j1
    row_col = [0] * n
    for j in range(1, m + 1):
        if p[j]:
            row_col[p[j] - 1] = j - 1
    return row_col


def max_overlap_pairs(preds, golds):
    """One-to-one pairs (pred index, gold index) of overlapping spans: the most pairs, and
    among those the most overlapping bytes."""
    if not preds or not golds:
        return []
    big = 1 << 30  # one more pair always outweighs any overlap in bytes
    weight = [[big + overlap_bytes(p, g) if overlaps(p, g) else 0 for g in golds] for p in preds]
    rows_are_preds = len(preds) <= len(golds)
    matrix = weight if rows_are_preds else [list(col) for col in zip(*weight)]
    pairs = []
    for r, c in enumerate(assignment([[-w for w in row] for row in matrix])):
        if matrix[r][c] > 0:
            pairs.append((r, c) if rows_are_preds else (c, r))
    return pairs


class Counts:
    """True positives on the prediction side and the gold side, and the two totals."""

    def __init__(self):
        self.tp_pred = self.tp_gold = self.pred = self.gold = 0

    def add(self, tp_pred, pred, tp_gold, gold):
        self.tp_pred += tp_pred
        self.pred += pred
        self.tp_gold += tp_gold
        self.gold += gold

    def prf(self):
        p = self.tp_pred / self.pred if self.pred else 0.0
        r = self.tp_gold / self.gold if self.gold else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return p, r, f


def score(doc, output, tally, errors):
    gold = [g for g in doc["gold"] if g[2] == "DATE"]
    others = [g for g in doc["gold"] if g[2] != "DATE"]
    preds = output.get("dates", [])
    pspans = [(p["start"], p["end"]) for p in preds]
    gspans = [(g[0], g[1]) for g in gold]
    text_bytes = doc["text"].encode("utf-8")
    for g in gold:
        assert text_bytes[g[0] : g[1]].decode("utf-8") == g[4]
    n_pred, n_gold = len(preds), len(gold)

    # Strict: one-to-one pairing, every prediction scored.
    pairs = max_overlap_pairs(pspans, gspans)
    exact = len(exact_pairs(pspans, gspans))
    same = [(i, j) for i, j in pairs if preds[i]["value"] == gold[j][3]]
    same_notation = [
        (i, j) for i, j in pairs if normalise(preds[i]["value"]) == normalise(gold[j][3])
    ]
    tally["span_exact"].add(exact, n_pred, exact, n_gold)
    tally["span"].add(len(pairs), n_pred, len(pairs), n_gold)
    tally["value"].add(len(same), n_pred, len(same), n_gold)
    tally["value_notation"].add(len(same_notation), n_pred, len(same_notation), n_gold)

    # Relaxation: predictions overlapping only non-DATE gold are not scored.
    unscored = {
        i
        for i, s in enumerate(pspans)
        if not any(overlaps(s, g) for g in gspans) and any(overlaps(s, o) for o in others)
    }
    tally["span_unscored"].add(len(pairs), n_pred - len(unscored), len(pairs), n_gold)
    tally["value_unscored"].add(len(same), n_pred - len(unscored), len(same), n_gold)

    # Relaxation: many-to-many overlap matching.
    p_any = [i for i, s in enumerate(pspans) if any(overlaps(s, g) for g in gspans)]
    g_any = [j for j, g in enumerate(gspans) if any(overlaps(s, g) for s in pspans)]
    tally["span_any"].add(len(p_any), n_pred, len(g_any), n_gold)

    # All three relaxations (the scoring this script used before).
    def same_any(a, b):
        return overlaps(a[0], b[0]) and normalise(a[1]) == normalise(b[1])

    pv = [(s, p["value"]) for s, p in zip(pspans, preds)]
    gv = [(s, g[3]) for s, g in zip(gspans, gold)]
    n_scored = n_pred - len(unscored)
    tally["span_all3"].add(len(p_any), n_scored, len(g_any), n_gold)
    tally["value_all3"].add(
        sum(1 for a in pv if any(same_any(a, b) for b in gv)),
        n_scored,
        sum(1 for b in gv if any(same_any(a, b) for a in pv)),
        n_gold,
    )

    paired_pred = {i: j for i, j in pairs}
    paired_gold = {j for _, j in pairs}
    for j, g in enumerate(gold):
        if j not in paired_gold:
            errors["missed"].append((doc["id"], g[4], "-", g[3]))
    for i, p in enumerate(preds):
        if i not in paired_pred:
            kinds = sorted({o[2] for o in others if overlaps(pspans[i], o)})
            label = "- (overlaps gold " + "/".join(kinds) + ")" if kinds else "-"
            errors["false positive"].append((doc["id"], p["text"], p["value"], label))
        elif p["value"] != gold[paired_pred[i]][3]:
            g = gold[paired_pred[i]]
            kind = "wrong value" if normalise(p["value"]) != normalise(g[3]) else "notation"
            errors[kind].append((doc["id"], f"{g[4]} / {p['text']}", p["value"], g[3]))


def exact_pairs(pspans, gspans):
    """One-to-one pairs of identical spans."""
    free = list(gspans)
    pairs = []
    for s in pspans:
        if s in free:
            free.remove(s)
            pairs.append(s)
    return pairs


def print_tables(tallies):
    parts = sorted(k for k in tallies if k != "overall") + ["overall"]

    def cells(t, key, full=True):
        p, r, f = t[key].prf()
        return f"{p:.3f} {r:.3f} {f:.3f}" if full else f"{f:.3f}"

    print("Strict: one-to-one pairing (maximum overlap matching), every prediction scored")
    print("(one overlapping a gold DURATION/TIME/SET counts against precision), value strings")
    print("compared exactly. Gold: TIMEX3 of type DATE. Columns are P R F1.")
    print(f"{'part':<9} {'gold':>5} {'pred':>5}  {'span exact':<17}  {'span overlap':<17}  value")
    for part in parts:
        t = tallies[part]
        print(
            f"{part:<9} {t['span'].gold:5d} {t['span'].pred:5d}  {cells(t, 'span_exact')}  "
            f"{cells(t, 'span')}  {cells(t, 'value')}"
        )
    print()
    print("Relaxed, F1; each column relaxes what its label says and is otherwise strict:")
    print("  notation = values equal up to notation (case, W7/W07, 199X/199, 1949-XX/1949,")
    print("             time of day dropped); unscored = predictions that overlap only a gold")
    print("             DURATION/TIME/SET not counted; any = many-to-many overlap match;")
    print("  all three = all three relaxations (this script before issue 11).")
    columns = [
        ("value notation", "value_notation"),
        ("span unscored", "span_unscored"),
        ("value unscored", "value_unscored"),
        ("span any", "span_any"),
        ("span all three", "span_all3"),
        ("value all three", "value_all3"),
    ]
    print(f"{'part':<9} " + "  ".join(f"{h:>15}" for h, _ in columns))
    for part in parts:
        t = tallies[part]
        print(f"{part:<9} " + "  ".join(f"{cells(t, k, False):>15}" for _, k in columns))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("data_dir")
    ap.add_argument("--bin", default=None, help="gazette binary (default: target/release or debug)")
    ap.add_argument("--verbose", action="store_true", help="print example errors")
    ap.add_argument("--examples", type=int, default=15, help="examples per error kind")
    args = ap.parse_args()
    binary = args.bin or default_bin()

    docs = []
    for root, _dirs, files in os.walk(args.data_dir):
        for name in sorted(files):
            if not name.endswith(".tml"):
                continue
            path = os.path.join(root, name)
            rel = os.path.relpath(path, args.data_dir)
            part = rel.split(os.sep)[0] if os.sep in rel else "."
            dct, text, gold = parse_tml(path)
            docs.append({"id": rel, "part": part, "dct": dct, "text": text, "gold": gold})
    if not docs:
        sys.exit(f"no .tml files under {args.data_dir}")
    docs.sort(key=lambda d: d["id"])
    outputs = run_tagger(binary, docs)

    tallies = defaultdict(lambda: defaultdict(Counts))
    errors = defaultdict(list)
    for doc, out in zip(docs, outputs):
        for key in (doc["part"], "overall"):
            score(doc, out, tallies[key], errors if key == "overall" else defaultdict(list))
    print_tables(tallies)
    if args.verbose:
        for kind in ("missed", "false positive", "wrong value", "notation"):
            items = errors[kind]
            print(f"\n{kind} ({len(items)}):")
            step = max(1, len(items) // args.examples)
            for doc_id, surface, got, want in items[::step][: args.examples]:
                print(f"  {doc_id}: {surface!r} got {got} want {want}")


if __name__ == "__main__":
    main()
