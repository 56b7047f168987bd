#!/usr/bin/env python3
"""Score gazette's date extraction against TimeML (.tml) corpora such as TimeBank/AQUAINT.

Usage: scripts/eval-timex.py DATA_DIR [--bin PATH] [--verbose] [--examples N]

For every .tml file under DATA_DIR, the text inside <TEXT> is stripped of tags (XML
entities decoded) and sent to `gazette tag --input jsonl` as
{"id": ..., "text": ..., "published": DCT}, where DCT is the value of the document's
creation-time TIMEX3. Gold mentions are the TIMEX3 elements inside <TEXT>, with character
offsets converted to UTF-8 byte offsets.

Scoring (per part = first directory under DATA_DIR, e.g. TimeBank, AQUAINT, and overall):
- Only gold TIMEX3 of type DATE are scored. A predicted mention that overlaps no gold DATE
  but does overlap a gold TIMEX3 of another type (DURATION, TIME, SET) counts neither for
  nor against: gazette only extracts DATE-type expressions, but where a corpus draws the
  DATE/TIME/DURATION line is a convention we do not want to fit.
- Span: overlap match. Precision = scored predictions overlapping a gold DATE / scored
  predictions; recall = gold DATEs overlapped by some prediction / gold DATEs.
- Value: as span, but a match also needs equal normalised values. Normalisation removes
  notational variants only: upper case; ISO week numbers zero-padded (2000-W7 ->
  2000-W07); decades without trailing X (199X -> 199); trailing unspecified parts, which
  name the same period (1949-XX -> 1949, 1994-XX-XX -> 1994); and the time of day, since
  gazette indexes days (1998-08-07TMO -> 1998-08-07, 2000-04-04T09:00 -> 2000-04-04).
- "strict value" repeats the value score with only the first three of those (exact
  TIMEX3 strings up to notation), for comparison with exact-match figures elsewhere.
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


def normalise(value, strict=False):
    v = (value or "").upper().strip()
    v = re.sub(r"-W(\d)(?!\d)", r"-W0\1", v)
    if re.fullmatch(r"\d{2,3}X+", v):
        v = v.rstrip("X")
    if not strict:
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


class Tally:
    def __init__(self):
        self.gold = self.pred = self.ignored = 0
        self.pred_span = self.pred_value = self.gold_span = self.gold_value = 0
        self.pred_strict = self.gold_strict = 0

    @staticmethod
    def prf(hit_p, n_p, hit_r, n_r):
        p = hit_p / n_p if n_p else 0.0
        r = hit_r / n_r if n_r else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return p, r, f

    def line(self, name):
        sp = self.prf(self.pred_span, self.pred, self.gold_span, self.gold)
        vp = self.prf(self.pred_value, self.pred, self.gold_value, self.gold)
        st = self.prf(self.pred_strict, self.pred, self.gold_strict, self.gold)
        return (
            f"{name:<9} gold {self.gold:4d} pred {self.pred:4d} (+{self.ignored} ignored)  "
            f"span P {sp[0]:.3f} R {sp[1]:.3f} F1 {sp[2]:.3f}  "
            f"value P {vp[0]:.3f} R {vp[1]:.3f} F1 {vp[2]:.3f}  strict value F1 {st[2]:.3f}"
        )


def score(doc, output, tally, errors):
    gold_dates = [g for g in doc["gold"] if g[2] == "DATE"]
    others = [g for g in doc["gold"] if g[2] != "DATE"]
    preds = output.get("dates", [])
    text_bytes = doc["text"].encode("utf-8")
    tally.gold += len(gold_dates)
    for p in preds:
        span = (p["start"], p["end"])
        matched = [g for g in gold_dates if overlaps(span, g)]
        if not matched:
            if any(overlaps(span, g) for g in others):
                tally.ignored += 1
            else:
                tally.pred += 1
                errors["false positive"].append((doc["id"], p["text"], p["value"], "-"))
            continue
        tally.pred += 1
        tally.pred_span += 1
        if any(normalise(g[3]) == normalise(p["value"]) for g in matched):
            tally.pred_value += 1
        if any(normalise(g[3], True) == normalise(p["value"], True) for g in matched):
            tally.pred_strict += 1
    for g in gold_dates:
        matched = [p for p in preds if overlaps((p["start"], p["end"]), g)]
        if not matched:
            errors["missed"].append((doc["id"], g[4], "-", g[3]))
            continue
        tally.gold_span += 1
        if any(normalise(p["value"], True) == normalise(g[3], True) for p in matched):
            tally.gold_strict += 1
        if any(normalise(p["value"]) == normalise(g[3]) for p in matched):
            tally.gold_value += 1
        else:
            p = matched[0]
            errors["wrong value"].append((doc["id"], f"{g[4]} / {p['text']}", p["value"], g[3]))
        assert text_bytes[g[0] : g[1]].decode("utf-8") == g[4]


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

    tallies = defaultdict(Tally)
    errors = defaultdict(list)
    for doc, out in zip(docs, outputs):
        for key in (doc["part"], "overall"):
            score(doc, out, tallies[key], errors if key == "overall" else defaultdict(list))
    for part in sorted(k for k in tallies if k != "overall"):
        print(tallies[part].line(part))
    print(tallies["overall"].line("overall"))
    if args.verbose:
        for kind in ("missed", "false positive", "wrong value"):
            items = errors[kind]
            print(f"\n{kind} ({len(items)}):")
            step = max(1, len(items) // args.examples)
            for doc_id, surface, got, want in items[::step][: args.examples]:
                print(f"  {doc_id}: {surface!r} got {got} want {want}")


if __name__ == "__main__":
    main()
