#!/usr/bin/env python3
"""The Spark job's throughput and overheads on this machine (not part of CI).

Usage: scripts/bench-spark.py CORPUS [--bbc-scale K] [--bin target/release/gazette]
                              [--shards 1,2,4,8,16] [--headline 4] [--executors 1,2]
                              [--reps 3] [--read spark|shared] [--executor-mb 1024] [--work DIR]
                              [--out target/bench/spark.json] [--quiet-cores 0.5]
                              [--max-wait 120] [--from-json REPORT]

CORPUS is a corpus folder or file; with --bbc-scale K it is the BBC folder
(news-dev/bbc), written K times under distinct ids as JSON lines in WORK/bbc-xK as
scripts/bench.py writes its corpora (its functions do it), and that corpus is measured.
Every repetition runs each of these once, in turn (in reverse order on odd repetitions: the
machine's speed drifts by 10-20% over minutes, and every configuration then sees the same
drift), each into a fresh index or set:
  - the Spark job (scripts/spark/ingest.sh, -j 1) on `local-cluster[E,1,MB]` (E executor
    JVMs of one core each, beside the driver, the master and the workers) for every E of
    --executors and every shard count of --shards; Spark's event log (enabled for the run)
    splits each job's wall time into the driver's start, the executors' start, the job (and
    each task in it), Spark's stop and what the driver does after (the manifest, and the
    set's near-duplicate groups read once by `gazette stats`);
  - anchors doing the same work on the same cores without Spark: `gazette ingest` of one
    index with -j 1 and -j 2, and `gazette ingest --shards H` (the headline shard count)
    with -j 1 and -j 2, the shards one after another;
  - what a task's read of the whole corpus costs: `gazette ingest --shard 0/1000000 -j 1`
    (a shard that gets almost no article, so its time is reading every file, hashing the
    ids, start-up and an empty commit) on CORPUS and on a tiny corpus (2 articles), and
    `gazette ingest -j 1` of the tiny corpus (start-up, with the taggers' models);
  - Spark's fixed cost: the job on the tiny corpus with 1 shard on each E, and with the
    largest shard count on 1 executor (tasks that read next to nothing: Spark's cost per
    task).
Prints medians, the 1-to-2-executor speed-up (paired by repetition), the per-shard cost
(a least-squares line through the medians against the shard count) and the per-core rates
a projection needs; writes every run and the summary as JSON (--out). Each run also
records the 1-minute load average before it and the CPU time other processes on the
machine took during it (/proc/stat less the run's own), the measure of a quiet machine;
each run waits (--max-wait at most) for other processes to use fewer than --quiet-cores.
"""

import argparse
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import bench  # noqa: E402  (scripts/bench.py: corpus writing, timed runs, the machine's name)

# A shard count for which shard 0 of the corpus gets (almost surely) no article: its ingest
# is the read every task of the job does, without the tagging.
EMPTY_SHARD = "0/1000000"
TINY = [
    ("tiny/1.txt", "Oil prices rise", "Oil prices rose in London on Monday, traders said."),
    ("tiny/2.txt", "Rain in Paris", "It rained in Paris on 3 March 2005, Météo-France said."),
]


def busy_cpu_s():
    """CPU seconds every process on the machine has used since boot (/proc/stat)."""
    with open("/proc/stat") as f:
        user, nice, system, _idle, _iowait, irq, softirq, steal = map(int, f.readline().split()[1:9])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def wait_quiet(cores, most_s):
    """Waits, at most most_s seconds, until the machine's other processes use less than
    `cores` cores over 3 seconds (this script is idle meanwhile); returns the seconds waited."""
    started = time.monotonic()
    while True:
        busy = busy_cpu_s()
        time.sleep(3)
        if (busy_cpu_s() - busy) / 3 < cores or time.monotonic() - started > most_s:
            return time.monotonic() - started


def measured(cmd):
    """One run of cmd (exit 0 or 1): wall and CPU seconds (its process tree, via
    scripts/bench.py), the CPU seconds other processes on the machine took meanwhile, and
    the 1-minute load average before it."""
    load = os.getloadavg()[0]
    busy = busy_cpu_s()
    wall, _, code, cpu, _ = bench.run(cmd)
    others = max(0.0, busy_cpu_s() - busy - cpu)
    return {"wall_s": wall, "cpu_s": cpu, "others_cpu_s": others, "load_before": load, "code": code}


def spark_events(log_dir):
    """The phases of one Spark application from its event log (times in epoch seconds)."""
    logs = [p for p in Path(log_dir).iterdir() if p.is_file()]
    if len(logs) != 1:
        sys.exit(f"{log_dir}: expected one Spark event log, found {len(logs)}")
    ev = {"executors_added": [], "tasks": []}
    for line in logs[0].read_text().splitlines():
        e = json.loads(line)
        kind = e["Event"]
        if kind == "SparkListenerApplicationStart":
            ev["app_start"] = e["Timestamp"] / 1000
        elif kind == "SparkListenerExecutorAdded":
            ev["executors_added"].append(e["Timestamp"] / 1000)
        elif kind == "SparkListenerJobStart":
            ev["job_start"] = e["Submission Time"] / 1000
        elif kind == "SparkListenerJobEnd":
            ev["job_end"] = e["Completion Time"] / 1000
        elif kind == "SparkListenerTaskEnd":
            info = e["Task Info"]
            ev["tasks"].append({
                "launch": info["Launch Time"] / 1000,
                "finish": info["Finish Time"] / 1000,
                "executor": info["Executor ID"],
                "failed": info.get("Failed", False),
            })
        elif kind == "SparkListenerApplicationEnd":
            ev["app_end"] = e["Timestamp"] / 1000
    return ev


def spark_job(args, corpus, shards, executors, work, name):
    """One run of scripts/spark/ingest.sh into a fresh set: wall, CPU and Spark's phases."""
    out = work / "sets" / name
    log_dir = work / "eventlog" / name
    for d in (out, log_dir):
        shutil.rmtree(d, ignore_errors=True)
    log_dir.mkdir(parents=True)
    cmd = [
        str(ROOT / "scripts/spark/ingest.sh"), str(corpus), str(out),
        "--shards", str(shards), "--master", f"local-cluster[{executors},1,{args.executor_mb}]",
        "--gazette", args.bin, "-j", "1", "--read", args.read,
        # One plain event log file (Spark 4 rolls and compresses it by default).
        "--conf", "spark.eventLog.enabled=true", "--conf", f"spark.eventLog.dir=file://{log_dir}",
        "--conf", "spark.eventLog.rolling.enabled=false", "--conf", "spark.eventLog.compress=false",
    ]
    launched = time.time()
    got = measured(cmd)
    wall = got["wall_s"]
    ev = spark_events(log_dir)
    tasks = sorted(ev["tasks"], key=lambda t: t["launch"])
    task_s = [t["finish"] - t["launch"] for t in tasks if not t["failed"]]
    first_task, last_task = tasks[0]["launch"], max(t["finish"] for t in tasks)
    phases = {
        # spark-submit, the driver JVM, Python, the SparkContext and its local master
        "driver_start_s": ev["app_start"] - launched,
        # the job is submitted at once, and waits for the executor JVMs to register
        "to_first_task_s": first_task - ev["app_start"],
        "executors_added_s": [t - ev["app_start"] for t in ev["executors_added"]],
        "tasks_s": last_task - first_task,
        "spark_stop_s": ev["app_end"] - last_task,
        # the manifest and `gazette stats` on the set (its near-duplicate groups), JVM exit
        "after_spark_s": launched + wall - ev["app_end"],
        "job_s": ev["job_end"] - ev["job_start"],
    }
    shutil.rmtree(out, ignore_errors=True)
    return {**got, **phases,
            "tasks": len(task_s), "failed_tasks": len(tasks) - len(task_s),
            "task_s": task_s, "task_sum_s": sum(task_s)}


def gazette_ingest(args, corpus, work, name, flags):
    """One `gazette ingest` into a fresh index or set: wall and CPU time."""
    out = work / "local" / name
    shutil.rmtree(out, ignore_errors=True)
    return measured([args.bin, "ingest", str(corpus), "--index", str(out), "--quiet", *flags])


def articles_of(args, index):
    out = subprocess.run([args.bin, "stats", "--index", str(index), "--format", "json"],
                         capture_output=True, text=True, check=True).stdout
    return int(json.loads(out)["articles"])


def line_fit(xs, ys):
    """Least-squares (intercept, slope) of ys against xs."""
    mx, my = statistics.mean(xs), statistics.mean(ys)
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)
    return my - slope * mx, slope


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", nargs="?", help="a corpus folder or file; with --bbc-scale, the BBC folder")
    ap.add_argument("--bbc-scale", type=int, help="measure the BBC articles written K times (scripts/bench.py)")
    ap.add_argument("--bin", default=str(ROOT / "target/release/gazette"))
    ap.add_argument("--shards", default="1,2,4,8,16", help="the job's shard counts")
    ap.add_argument("--headline", type=int, default=4, help="the shard count of the 1-vs-2-executor comparison")
    ap.add_argument("--executors", default="1,2", help="executor counts (one core each)")
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--read", choices=("spark", "shared"), default="spark",
                    help="the job's --read: Spark reads the corpus [the default], or every task reads it")
    ap.add_argument("--executor-mb", type=int, default=1024, help="each executor's memory")
    ap.add_argument("--work", default=str(ROOT / "target/bench/spark"))
    ap.add_argument("--out", default=str(ROOT / "target/bench/spark.json"))
    ap.add_argument("--quiet-cores", type=float, default=0.5,
                    help="before each run, wait until other processes use fewer cores than this")
    ap.add_argument("--max-wait", type=float, default=120, help="seconds to wait for that, at most")
    ap.add_argument("--from-json", help="measure nothing: print the summary and projection of this report")
    ap.add_argument("--project-nodes", default="10,100", help="node counts of the projection (on paper)")
    ap.add_argument("--cores-per-node", type=int, default=16)
    ap.add_argument("--shard-articles", type=int, default=1_000_000, help="articles per shard, projected")
    args = ap.parse_args()
    if args.from_json:
        report = json.loads(Path(args.from_json).read_text())
        s = report["summary"]  # a report of an earlier version of this script lacks this one
        s.setdefault("per_cpu_s_articles_ingest_j1", s["articles"] / s["configs"]["ingest -j 1"]["cpu_s"])
        print_summary(report)
        print_projection(report, args)
        return
    if not args.corpus:
        ap.error("give CORPUS (or --from-json REPORT)")
    args.bin = str(Path(args.bin).resolve())
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    counts = [int(x) for x in args.shards.split(",")]
    executors = [int(x) for x in args.executors.split(",")]
    if args.headline not in counts:
        sys.exit(f"--headline {args.headline} is not one of --shards {args.shards}")

    if args.bbc_scale:
        corpus = work / f"bbc-x{args.bbc_scale}"
        bench.write_corpus(bench.read_bbc(args.corpus), args.bbc_scale, corpus)
    else:
        corpus = Path(args.corpus).resolve()
    tiny = work / "tiny"
    bench.write_corpus(TINY, 1, tiny)

    H, top = args.headline, max(counts)
    spark = lambda e, n, what="": f"spark {e} exec, {n} shard{'s' if n > 1 else ''}{what}"
    configs = {}
    for n in counts:
        for e in executors:
            configs[spark(e, n)] = lambda n=n, e=e, name=f"e{e}-n{n}": spark_job(
                args, corpus, n, e, work, name)
    configs["ingest -j 1"] = lambda: gazette_ingest(args, corpus, work, "j1", ["-j", "1"])
    configs["ingest -j 2"] = lambda: gazette_ingest(args, corpus, work, "j2", ["-j", "2"])
    configs[f"ingest --shards {H} -j 1"] = lambda: gazette_ingest(
        args, corpus, work, "shards-j1", ["--shards", str(H), "-j", "1"])
    configs[f"ingest --shards {H} -j 2"] = lambda: gazette_ingest(
        args, corpus, work, "shards-j2", ["--shards", str(H), "-j", "2"])
    # A gazette ingest's own start-up (its taggers' models load with the first article).
    configs["ingest -j 1, tiny"] = lambda: gazette_ingest(args, tiny, work, "j1-tiny", ["-j", "1"])
    configs[f"read: --shard {EMPTY_SHARD}"] = lambda: gazette_ingest(
        args, corpus, work, "empty", ["--shard", EMPTY_SHARD, "-j", "1"])
    configs[f"read: --shard {EMPTY_SHARD}, tiny"] = lambda: gazette_ingest(
        args, tiny, work, "empty-tiny", ["--shard", EMPTY_SHARD, "-j", "1"])
    for e in executors:
        configs[spark(e, 1, ", tiny")] = lambda e=e: spark_job(args, tiny, 1, e, work, f"tiny-e{e}")
    configs[spark(1, top, ", tiny")] = lambda: spark_job(args, tiny, top, 1, work, "tiny-many")

    runs = {name: [] for name in configs}
    loads = []
    order = list(configs)
    for rep in range(args.reps):
        loads.append({"rep": rep, "start": os.getloadavg()})
        for name in (order if rep % 2 == 0 else order[::-1]):
            waited = wait_quiet(args.quiet_cores, args.max_wait)
            runs[name].append({**configs[name](), "waited_for_quiet_s": waited})
            got = runs[name][-1]
            print(f"rep {rep + 1}/{args.reps} {name}: {got['wall_s']:.2f} s (other processes: "
                  f"{got['others_cpu_s'] / got['wall_s']:.2f} cores; waited {waited:.0f} s)", file=sys.stderr)
        loads[-1]["end"] = os.getloadavg()

    gazette_ingest(args, corpus, work, "count", ["-j", "2"])
    articles = articles_of(args, work / "local" / "count")
    gazette_ingest(args, corpus, work, "count-empty", ["--shard", EMPTY_SHARD, "-j", "1"])
    empty_articles = articles_of(args, work / "local" / "count-empty")
    corpus_bytes = (corpus.stat().st_size if corpus.is_file()
                    else sum(p.stat().st_size for p in corpus.rglob("*") if p.is_file()))

    med = lambda name, key="wall_s": statistics.median(r[key] for r in runs[name])
    summary = {"articles": articles, "corpus_mb": corpus_bytes / 1e6, "configs": {}}
    for name in configs:
        row = {"wall_s": med(name), "cpu_s": med(name, "cpu_s"), "runs_s": [r["wall_s"] for r in runs[name]],
               "others_cpu_s": [round(r["others_cpu_s"], 2) for r in runs[name]]}
        if name.startswith("spark"):
            for key in ("driver_start_s", "to_first_task_s", "tasks_s", "spark_stop_s", "after_spark_s", "job_s",
                        "task_sum_s"):
                row[key] = med(name, key)
            row["task_median_s"] = statistics.median(t for r in runs[name] for t in r["task_s"])
            row["failed_tasks"] = sum(r["failed_tasks"] for r in runs[name])
        if "tiny" not in name and "read:" not in name:
            row["articles_per_s"] = articles / row["wall_s"]
        summary["configs"][name] = row

    if 1 in executors and 2 in executors:
        pair = lambda key: [a[key] / b[key] for a, b in zip(runs[spark(1, H)], runs[spark(2, H)])]
        summary["speedup_1_to_2_executors"] = statistics.median(pair("wall_s"))
        summary["speedup_1_to_2_executors_by_rep"] = pair("wall_s")
        summary["speedup_1_to_2_executors_tasks_only"] = statistics.median(pair("tasks_s"))
    # The per-shard cost: a line through each executor count's medians against shards.
    summary["per_shard"] = {}
    for e in executors:
        if len(counts) < 2:
            break
        wall = line_fit(counts, [med(spark(e, n)) for n in counts])
        job = line_fit(counts, [med(spark(e, n), "tasks_s") for n in counts])
        tasks = line_fit(counts, [med(spark(e, n), "task_sum_s") for n in counts])
        summary["per_shard"][str(e)] = {"wall_s": wall[1], "tasks_s": job[1], "task_core_s": tasks[1],
                                   "task_core_s_at_0_shards": tasks[0]}
    read_s = med(f"read: --shard {EMPTY_SHARD}") - med(f"read: --shard {EMPTY_SHARD}, tiny")
    tiny1 = summary["configs"][spark(1, 1, ", tiny")]
    tiny_many = summary["configs"][spark(1, top, ", tiny")]
    summary["read"] = {
        "corpus_read_s": read_s, "empty_shard_articles": empty_articles,
        "read_us_per_article": read_s / articles * 1e6, "read_mb_per_s": corpus_bytes / 1e6 / read_s,
    }
    summary["fixed"] = {
        "job_tiny_1_shard_s": tiny1["wall_s"],
        "spark_task_s": (tiny_many["tasks_s"] - tiny1["tasks_s"]) / (top - 1),
        "tiny_task_median_s": tiny_many["task_median_s"],
        "gazette_ingest_tiny_s": summary["configs"]["ingest -j 1, tiny"]["wall_s"],
        # The driver's last step (the manifest, the set's near-duplicate groups), per article.
        "after_spark_s_per_article": (summary["configs"][spark(1, H)]["after_spark_s"] - tiny1["after_spark_s"])
        / articles,
    }
    if 1 in executors and len(counts) >= 2:
        # Articles per executor-core-second of tagging: the task time a shard count of zero
        # would leave (every task's read and start-up taken off by the line).
        summary["per_core_articles_per_s"] = articles / summary["per_shard"]["1"]["task_core_s_at_0_shards"]
    summary["per_core_articles_per_s_ingest_j1"] = articles / med("ingest -j 1")
    # -j 1 is one reading and tagging thread; tantivy's indexing and merging threads take
    # some more: per CPU-second is what a core fully taken by tasks would do.
    summary["per_cpu_s_articles_ingest_j1"] = articles / med("ingest -j 1", "cpu_s")

    report = {"date": time.strftime("%Y-%m-%d %H:%M %Z"), "machine": bench.machine(), "corpus": str(corpus),
              "gazette": args.bin, "commit": git_commit(), "command": sys.argv, "loadavg": loads,
              "summary": summary, "runs": runs}
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2))
    print_summary(report)
    print_projection(report, args)
    print(f"\nwritten: {out}")


def print_projection(r, args):
    """On paper: what the measured per-core rates imply for large corpora on many nodes, one
    task per core, assuming linear scaling (no contention for disks, network or the shared
    filesystem; every node as fast as this one's cores), shards of --shard-articles
    articles, the corpus read from a local copy or page cache at the measured rate."""
    s = r["summary"]
    if "per_core_articles_per_s" not in s or "per_cpu_s_articles_ingest_j1" not in s:
        return
    rate = s["per_cpu_s_articles_ingest_j1"]  # articles read and tagged per CPU-second
    read = s["read"]["read_us_per_article"] / 1e6  # a task's read, per article of the corpus
    per_task = max(0.0, s["per_shard"]["1"]["task_core_s"] - s["read"]["corpus_read_s"])
    fixed = s["fixed"]["job_tiny_1_shard_s"]
    # Below the tiny job's (noise: the step no longer grows with the corpus), it is taken
    # as none rather than projected as negative hours.
    after = max(0.0, s["fixed"]["after_spark_s_per_article"])
    print(f"\nON PAPER, from: {rate:.0f} articles per CPU-second (ingest -j 1), {read * 1e6:.1f} µs per article "
          f"read by every task, {per_task:.2f} s per task besides, {fixed:.1f} s per job; shards of "
          f"{args.shard_articles:,} articles, one task per core, linear scaling")
    print(f"{'articles':>9} {'shards':>6} {'cores':>6} {'waves':>5} | now: {'task h':>6} {'wall h':>7} "
          f"{'core-h':>8} {'read':>5} | partitioned: {'task h':>6} {'wall h':>6} {'core-h':>6} | "
          f"driver's stats h (linear)")
    for articles in (10**8, 10**9):
        shards = math.ceil(articles / args.shard_articles)
        for nodes in [int(x) for x in args.project_nodes.split(",")]:
            cores = nodes * args.cores_per_node
            waves = math.ceil(shards / cores)
            tag = articles / shards / rate
            now = tag + articles * read + per_task  # every task reads the whole corpus
            part = tag + articles / shards * read + per_task  # each task reads its own articles
            read_share = articles * read / now
            print(f"{articles:9.0e} {shards:6} {cores:6} {waves:5} | {'':5}{now / 3600:6.2f} "
                  f"{(fixed + waves * now) / 3600:7.2f} {shards * now / 3600:8.0f} {read_share:5.0%} | "
                  f"{'':13}{part / 3600:6.2f} {(fixed + waves * part) / 3600:6.2f} {shards * part / 3600:6.0f} | "
                  f"{articles * after / 3600:.1f}")


def git_commit():
    try:
        return subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                              capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None


def print_summary(r):
    s = r["summary"]
    print(f"machine: {r['machine']}   date: {r['date']}   commit: {r['commit']}")
    print(f"corpus {r['corpus']}: {s['articles']} articles, {s['corpus_mb']:.1f} MB; "
          f"load average at each repetition's start: "
          + ", ".join(f"{l['start'][0]:.2f}" for l in r["loadavg"]))
    print(f"\n{'':>34} {'wall s':>7} {'CPU s':>7} {'mach.':>6} {'art/s':>6} | {'driver':>6} {'wait':>6} {'tasks':>6} "
          f"{'stop':>5} {'after':>5} {'sum':>6} | runs")
    for name, c in s["configs"].items():
        rate = f"{c['articles_per_s']:6.0f}" if "articles_per_s" in c else f"{'':6}"
        spark = (f"{c['driver_start_s']:6.2f} {c['to_first_task_s']:6.2f} {c['tasks_s']:6.2f} "
                 f"{c['spark_stop_s']:5.2f} {c['after_spark_s']:5.2f} {c['task_sum_s']:6.2f}"
                 if "tasks_s" in c else f"{'':41}")
        runs = ", ".join(f"{x:.2f}" for x in c["runs_s"])
        machine = statistics.median(x["cpu_s"] + x["others_cpu_s"] for x in r["runs"][name])
        print(f"{name:>34} {c['wall_s']:7.2f} {c['cpu_s']:7.2f} {machine:6.2f} {rate} | {spark} | {runs}")
    # Only the gazette runs tell: in a Spark run, "others" takes in the tasks' Python workers
    # and their gazette processes, which Spark ends without their parents reaping them.
    others = [x["others_cpu_s"] / x["wall_s"] for name, runs in r["runs"].items() if not name.startswith("spark")
              for x in runs]
    print(f"other processes' CPU during the gazette runs: median {statistics.median(others):.2f} cores, "
          f"at most {max(others):.2f}")
    print("(CPU: the run's process tree, as wait4 counts it, which misses the tasks' Python workers and "
          "their gazette processes, ended outside the tree when Spark stops; mach.: the whole machine's CPU during the run; driver: spark-submit to "
          "the application's start; wait: to the first task's launch (the executors' "
          "start); tasks: the first task's launch to the last's end; stop: to Spark's stop; after: the manifest "
          "and the set's stats; sum: the tasks' summed time)")
    if "speedup_1_to_2_executors" in s:
        by_rep = ", ".join(f"{x:.2f}" for x in s["speedup_1_to_2_executors_by_rep"])
        print(f"\n1 -> 2 executors: x{s['speedup_1_to_2_executors']:.2f} wall (by repetition: {by_rep}), "
              f"x{s['speedup_1_to_2_executors_tasks_only']:.2f} the tasks alone")
    for e, p in s["per_shard"].items():
        print(f"per extra shard, {e} executor(s): {p['wall_s']:+.3f} s wall, {p['tasks_s']:+.3f} s tasks, "
              f"{p['task_core_s']:+.3f} task core-s (tasks' time at 0 shards: {p['task_core_s_at_0_shards']:.2f} s)")
    rd, fx = s["read"], s["fixed"]
    print(f"a task's read of the whole corpus: {rd['corpus_read_s']:.3f} s ({rd['read_us_per_article']:.1f} µs "
          f"per article, {rd['read_mb_per_s']:.0f} MB/s; the empty shard got {rd['empty_shard_articles']} articles)")
    print(f"fixed: the job on a tiny corpus, 1 shard, 1 executor {fx['job_tiny_1_shard_s']:.2f} s; Spark's "
          f"cost per task {fx['spark_task_s']:.3f} s (a tiny task: {fx['tiny_task_median_s']:.3f} s, of which "
          f"gazette ingest's start-up about {fx['gazette_ingest_tiny_s']:.3f} s)")
    if "per_core_articles_per_s" in s:
        print(f"per core: {s['per_core_articles_per_s']:.0f} articles/s tagged in tasks "
              f"(ingest -j 1: {s['per_core_articles_per_s_ingest_j1']:.0f} articles/s, "
              f"{s['per_cpu_s_articles_ingest_j1']:.0f} per CPU-second)")


if __name__ == "__main__":
    main()
