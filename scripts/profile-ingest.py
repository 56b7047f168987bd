#!/usr/bin/env python3
"""Where an ingest's CPU time goes, per pipeline stage (not part of CI).

Usage: scripts/profile-ingest.py CORPUS [--gazette BIN] [--freq HZ] [--threads N]

Runs `gazette ingest CORPUS --rebuild` into a temporary index under `perf record` (CPU
clock samples with DWARF call stacks; Debian's linux-perf), then gives each sample to the
innermost pipeline stage on its call stack: a sample in the regex engine called from the
date tagger is date tagging, one in the allocator called from the entity tagger is entity
tagging. Prints each stage's share of the samples and its CPU seconds. The binary must
not be stripped (the release profile keeps symbols; fat LTO inlines small functions into
their callers, which is why stages are matched by module prefix).
"""

import argparse
import collections
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# (stage, symbol prefixes), checked from the innermost frame outwards; the first frame
# that matches any stage names the sample's stage.
STAGES = [
    ("entity tagging", ("gazette::ner::",)),
    ("date tagging", ("gazette::timex::",)),
    ("segmenting", ("gazette::segment::",)),
    ("tantivy indexing", ("tantivy::", "tantivy_", "lz4_flex::", "<tantivy")),
    ("building documents", ("gazette::index::", "gazette::ingest::write_msg")),
    ("reading and hashing", ("gazette::read::", "serde_json::", "blake3::", "flate2::", "encoding_rs::", "gazette::ingest::worker::hash")),
    ("processing (other)", ("gazette::process::",)),
]


# Anywhere on the stack: the end-of-ingest merge runs tantivy code shared with indexing.
MERGE = ("tantivy::indexer::merger", "tantivy::indexer::segment_updater::merge", "SegmentPlugin>::merge")


def stage_of(frames):
    if any(MERGE[0] in sym or MERGE[1] in sym or MERGE[2] in sym for sym in frames):
        return "segment merges"
    for sym in frames:
        for stage, prefixes in STAGES:
            if sym.startswith(prefixes):
                return stage
    return "other (start-up, threads, allocator, kernel)"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus")
    ap.add_argument("--gazette", default=str(ROOT / "target/release/gazette"))
    ap.add_argument("--freq", type=int, default=499)
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--detail", metavar="STAGE", help="also list the functions that take most of one stage's samples")
    args = ap.parse_args()
    if not shutil.which("perf"):
        sys.exit("perf is needed (apt-get install linux-perf)")
    with tempfile.TemporaryDirectory() as tmp:
        data, index = Path(tmp) / "perf.data", Path(tmp) / "index"
        subprocess.run(["perf", "record", "-q", "-F", str(args.freq), "--call-graph", "dwarf,16384", "-o", str(data),
                        args.gazette, "ingest", args.corpus, "--index", str(index), "--rebuild", "--quiet",
                        "--threads", str(args.threads)], check=True)
        script = subprocess.run(["perf", "script", "-i", str(data), "-F", "ip,sym", "--no-inline"],
                                capture_output=True, text=True, check=True).stdout
    counts, leaves = collections.Counter(), collections.Counter()
    for sample in script.split("\n\n"):
        frames = []
        for line in sample.splitlines():
            parts = line.strip().split(None, 1)
            if len(parts) == 2:
                frames.append(parts[1])
        if frames:
            stage = stage_of(frames)
            counts[stage] += 1
            if stage == args.detail:
                leaves[frames[0][:110]] += 1
    total = sum(counts.values())
    print(f"{total} samples at {args.freq} Hz = {total / args.freq:.1f} CPU-seconds, {args.threads} threads")
    for stage, n in counts.most_common():
        print(f"  {stage:<46} {100 * n / total:5.1f}%  {n / args.freq:6.2f} s")
    for leaf, n in leaves.most_common(25):
        print(f"    {100 * n / total:5.1f}%  {leaf}")


if __name__ == "__main__":
    main()
