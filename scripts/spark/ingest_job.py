"""Builds a gazette shard set on Spark: one task per shard.

    spark-submit ingest_job.py CORPUS SET --shards N --gazette BIN [-j THREADS]
                               [--commit-every SECS] [--annotations DIR]

Usually started by scripts/spark/ingest.sh, which finds spark-submit, the gazette binary
and Java. Every task runs `BIN ingest CORPUS --index SET/shard-KKKK-of-NNNN --shard K/N`
on the executor it lands on, then `BIN stats` on that shard, and returns the shard's
counts. CORPUS, SET and BIN are paths that every executor must see, at the same place (one
machine, or a shared filesystem). The driver checks that every shard came back and then,
last, writes SET/shards.json (the manifest `gazette ingest --shards N` writes), so a job
that stops short leaves no set that opens. Then it computes the set's near-duplicate
groups in Spark (`global_groups`) and stores them in the set.

A task whose gazette fails (exit 2, or killed by a signal) raises, and Spark retries it on
any executor (spark.task.maxFailures): the retry runs the same ingest, which picks up
after the shard's last commit (a gazette ingest is crash-safe and skips the files already
in). Exit 1 (some files could not be indexed) is not a failure: the shard is reported as
partial and the job exits 1 after writing the manifest, as `gazette ingest` does.

With --annotations DIR, once the set is complete, a second stage (one task per shard)
runs `BIN export --index SET/shard-...` and Spark writes its passages and their entity
and date mentions as three Parquet datasets, DIR/passages, DIR/entities and DIR/dates
(explicit schemas, Spark's own Parquet writer). They are written into a folder beside DIR
that replaces DIR by a rename only when all three are complete, so DIR holds the
annotations of one whole run or stays as it was.

Only the standard library (and the pyspark Spark ships to them) runs on the executors:
their Python needs no packages.
"""

import argparse
import fcntl
import shlex
import json
import os
import shutil
import signal
import subprocess
import sys
import time

from staged import die_with_parent, json_lines

MANIFEST = "shards.json"


def parse_args(argv):
    p = argparse.ArgumentParser(prog="ingest_job.py", description=__doc__.split("\n")[0])
    p.add_argument(
        "corpus",
        help="the corpus folder or file: any path or URI Spark reads (with --read shared, "
        "a path every executor sees)",
    )
    p.add_argument("set", help="the shard set folder, seen by every executor")
    p.add_argument("--shards", type=int, required=True, help="number of shards")
    p.add_argument("--gazette", required=True, help="the gazette binary, on every executor")
    p.add_argument(
        "-j",
        "--threads",
        type=int,
        default=1,
        help="gazette ingest's threads per task [default: 1, one per executor core]",
    )
    p.add_argument(
        "--commit-every",
        type=float,
        default=30.0,
        metavar="SECS",
        help="each task's ingest commits at most this often [default: 30, gazette's]",
    )
    p.add_argument(
        "--read",
        choices=("spark", "shared"),
        default="spark",
        help="spark: Spark reads the corpus and moves each article to its shard's task "
        "(staged.py); shared: every task reads the whole corpus from a path every "
        "executor sees [default: spark]",
    )
    p.add_argument(
        "--partition-by",
        choices=("id", "month"),
        default="id",
        help="what decides an article's shard: a stable hash of its id, or of its "
        "publication month (each month in one shard), as gazette ingest --partition-by "
        "[default: id]",
    )
    p.add_argument(
        "--annotations",
        metavar="DIR",
        help="also write the passages, entity and date mentions as Parquet under DIR",
    )
    args = p.parse_args(argv)
    if args.shards < 1:
        p.error("--shards must be at least 1")
    if args.threads < 1:
        p.error("-j must be at least 1")
    if not args.commit_every > 0:
        p.error("--commit-every must be more than 0 seconds")
    return args


def shard_path(k, n):
    """The shard's folder name, as `gazette ingest --shards N` names it."""
    return f"shard-{k:04d}-of-{n:04d}"


def executor_pid():
    """The pid of the executor JVM this Python worker runs under (for the test hook)."""
    pid = os.getpid()
    while pid > 1:
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                cmdline = f.read()
            with open(f"/proc/{pid}/stat") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
        except OSError:
            return None
        if b"CoarseGrainedExecutorBackend" in cmdline:
            return pid
        pid = ppid
    return None


def paused_attempt(hook, k):
    """The marker file of the test hook if this is the first attempt of task `k` to start
    its ingest and the hook names it, else None.

    GAZETTE_SPARK_TEST_PAUSE=K:FILE (tests only): the first attempt of task K that starts
    its gazette ingest stops it (SIGSTOP) right after the ingest's first commit that holds
    articles, so in the middle of it, and writes to FILE, as JSON, its executor JVM's pid
    and what the shard holds at that moment (`gazette stats`); a test then kills that
    executor. The attempt that pauses claims it by creating FILE.claimed, so no other
    attempt pauses (the retry after the kill, nor an attempt of a stage run again), and
    an attempt that fails before its ingest starts does not use it up.
    """
    if not hook:
        return None
    task, marker = hook.split(":", 1)
    if int(task) != k:
        return None
    try:
        os.close(os.open(f"{marker}.claimed", os.O_CREAT | os.O_EXCL | os.O_WRONLY))
    except FileExistsError:
        return None
    return marker


def stop_outside_meta_lock(proc, index):
    """Stops the ingest `proc` (SIGSTOP) at a moment it does not hold tantivy's meta lock:
    True once every thread of it is stopped, False if it ended first.

    tantivy holds that lock (`.tantivy-meta.lock`, an exclusive flock) while a process
    opens segment readers or deletes the files a commit left behind, and every reader
    waits for it without a time limit. An ingest stopped while holding it would keep
    `gazette stats` waiting for as long as it stays stopped. So this takes the lock
    itself, stops the ingest while holding it, waits until the stop is complete, and only
    then lets it go (a stopped process cannot take it)."""
    with open(os.path.join(index, ".tantivy-meta.lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        proc.send_signal(signal.SIGSTOP)  # nothing if Popen sees that it has ended
        if proc.returncode is not None:
            return False
        _, status = os.waitpid(proc.pid, os.WUNTRACED)
    if os.WIFSTOPPED(status):
        return True
    proc.returncode = os.waitstatus_to_exitcode(status)
    return False


def pause_mid_ingest(proc, index, gazette, marker):
    """The test hook's pause (see `paused_attempt`). Waits for the executor to be killed
    (this worker is then killed or orphaned, and the stopped ingest with it, by
    `die_with_parent`); after 120 s without a kill, lets the ingest go on."""
    meta = os.path.join(index, "meta.json")
    state = {"executor": executor_pid(), "paused": False}
    last = None
    while proc.poll() is None:
        try:
            with open(meta) as f:
                text = f.read()
        except OSError:
            text = None
        # Each commit rewrites meta.json; one that lists segments may still hold only
        # file records (the files before the first with an article of this shard).
        if text != last and text and '"segment_id"' in text:
            if not stop_outside_meta_lock(proc, index):
                break
            stats = subprocess.run(
                [gazette, "stats", "--index", index, "--format", "json"],
                capture_output=True,
                text=True,
            )
            shard = json.loads(stats.stdout) if stats.returncode == 0 else {}
            if shard.get("articles", 0) > 0:
                state.update(paused=True, shard=shard)
                break
            proc.send_signal(signal.SIGCONT)
        last = text
        time.sleep(0.002)
    tmp = f"{marker}.{os.getpid()}.tmp"
    with open(tmp, "w") as f:
        json.dump(state, f)
    os.rename(tmp, marker)
    parent = os.getppid()
    end = time.monotonic() + 120
    while time.monotonic() < end and os.getppid() == parent:
        time.sleep(0.2)
    if os.getppid() != parent:
        sys.exit(1)  # orphaned: the executor is gone (the ingest dies with this worker)
    proc.send_signal(signal.SIGCONT)


def build_shard(k, n, corpus, set_dir, gazette, threads, commit_every, hook, by, staged_input=None):
    """Runs on an executor: shard k of n, then its counts. The ingest reads the corpus
    itself (--read shared), or, given `staged_input` (the broadcast file list and this
    shard's sorted articles), indexes what Spark read (`ingest --staged`)."""
    if staged_input is None:
        return run_shard_ingest(
            k, n, [corpus], set_dir, gazette, threads, commit_every, hook, by
        )
    import tempfile

    from staged import write_shard_input

    headers, articles, expected = staged_input
    work = tempfile.mkdtemp(prefix=f"gazette-shard-{k}-")
    try:
        write_shard_input(work, headers.value, articles, expected.get(k, 0))
        return run_shard_ingest(
            k, n, ["--staged", work], set_dir, gazette, threads, commit_every, hook, by
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)


def shard_name(k, n, by):
    """The shard as gazette writes it (`3/16`, `3/16 by month`) and takes it."""
    return f"{k}/{n}" if by == "id" else f"{k}/{n} by {by}"


def run_shard_ingest(k, n, source, set_dir, gazette, threads, commit_every, hook, by):
    """`gazette ingest SOURCE... --shard k/n` (partitioned `by`) into the shard's folder,
    then its counts."""
    path = shard_path(k, n)
    index = os.path.join(set_dir, path)
    ingest = [
        gazette, "ingest", *source, "--index", index,
        "--shard", shard_name(k, n, by), "--quiet", "-j", str(threads),
        "--commit-every", str(commit_every),
    ]
    proc = subprocess.Popen(
        ingest,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=die_with_parent,
    )
    marker = paused_attempt(hook, k)
    if marker:
        pause_mid_ingest(proc, index, gazette, marker)
    _, stderr = proc.communicate()
    if proc.returncode not in (0, 1):
        how = (
            f"killed by signal {-proc.returncode}"
            if proc.returncode < 0
            else f"exit {proc.returncode}"
        )
        raise RuntimeError(f"shard {k}/{n}: {' '.join(ingest)}: {how}\n{stderr}")
    stats = subprocess.run(
        [gazette, "stats", "--index", index, "--format", "json"],
        capture_output=True,
        text=True,
    )
    if stats.returncode != 0:
        raise RuntimeError(f"shard {k}/{n}: gazette stats {index}: {stats.stderr}")
    counts = json.loads(stats.stdout)
    return {
        "shard": k,
        "path": path,
        "articles": int(counts["articles"]),
        "passages": int(counts["passages"]),
        "code": proc.returncode,
        "stderr": stderr[-4000:],
    }


def sketches_of(k, n, set_dir, gazette):
    """Runs on an executor: the articles of shard k as `gazette groups --sketches` gives
    them (id, publication time, LSH band keys, sketch), streamed."""
    index = os.path.join(set_dir, shard_path(k, n))
    return json_lines([gazette, "groups", "--sketches", "--index", index], f"shard {k}/{n}")


def candidate_pairs(ids):
    """Every pair (a, b), a < b, of the articles that share one band key."""
    ids = sorted(set(ids))
    return [(a, b) for i, a in enumerate(ids) for b in ids[i + 1:]]


def global_groups(sc, set_dir, n, gazette):
    """The near-duplicate groups of the whole set, computed in Spark, handed to the set.

    The steps of a single ingest's grouping (`src/dedup`), spread over the cluster: every
    shard's articles with their LSH band keys; articles with the same sketch (verbatim
    copies, the common case of syndication) joined at once, and one of them, the least
    id, going on for the rest; the pairs of those that share a key of a band (a shuffle
    by band key, then one of the pairs, so a pair sharing several bands is decided once);
    each pair, with both sketches, decided by `gazette groups --decide` (the rule a single
    ingest applies, run by gazette). Two articles with one sketch are copies under that
    rule (containment 1, the same length, both long enough to have bands), and every
    article is a copy of both or of neither, so the components are the same as when
    every pair is decided. The driver joins the copies into
    connected components (union-find over the pairs that are copies, so it holds the ids
    of the articles that have a copy, and no others), fetches those articles' sketches,
    and `gazette groups --import` orders each group and stores the set's groups cache,
    so the set's first query finds them. The number of groups.

    Reading the sketches takes one task per shard; the shuffles after it take as many
    partitions as the cluster has cores, not shards: each of their tasks starts a Python
    worker, and sized by the shard count they cost about 4 s per extra shard on one
    machine for no parallelism gained."""
    parts = max(1, sc.defaultParallelism)
    articles = sc.parallelize(range(n), n).flatMap(lambda k: sketches_of(k, n, set_dir, gazette))
    groupable = articles.filter(lambda a: a["bands"]).cache()
    by_id = groupable.map(lambda a: (a["id"], {k: v for k, v in a.items() if k != "bands"}))
    # Verbatim copies: (least id, its bands, the other ids) per distinct sketch.
    same = (
        groupable.map(lambda a: (a["sketch"], (a["id"], a["bands"])))
        .groupByKey(parts)
        .map(lambda kv: sorted(kv[1], key=lambda x: x[0]))
        .map(lambda c: (c[0][0], c[0][1], [x[0] for x in c[1:]]))
        .cache()
    )
    identical = same.flatMap(lambda r: [{"a": r[0], "b": other} for other in r[2]])
    pairs = (
        same.flatMap(lambda r: [((band, key), r[0]) for band, key in enumerate(r[1])])
        .groupByKey(parts)
        .flatMap(lambda bucket: candidate_pairs(bucket[1]))
        .distinct(parts)
    )
    decide = f"{shlex.quote(gazette)} groups --decide"
    copies = (
        pairs.join(by_id, parts)  # (a, (b, A))
        .map(lambda x: (x[1][0], x[1][1]))
        .join(by_id, parts)  # (b, (A, B))
        .map(lambda x: json.dumps({"a": x[1][0], "b": x[1][1]}))
        .pipe(decide, checkCode=True)
        .map(json.loads)
        .union(identical)
        .collect()
    )
    parent = {}

    def find(x):
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for e in copies:
        a, b = find(e["a"]), find(e["b"])
        if a != b:
            parent[max(a, b)] = min(a, b)
    components = {}
    for x in parent:
        components.setdefault(find(x), []).append(x)
    grouped = sc.broadcast(frozenset(parent))
    records = by_id.filter(lambda kv: kv[0] in grouped.value).collectAsMap()
    groupable.unpersist()
    same.unpersist()
    proc = subprocess.Popen(
        [gazette, "groups", "--import", "--index", set_dir],
        stdin=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        for root in sorted(components):
            members = sorted(components[root])
            proc.stdin.write(json.dumps([records[m] for m in members]) + "\n")
    finally:
        proc.stdin.close()
    stderr = proc.stderr.read()
    if proc.wait() != 0:
        raise Fatal(f"gazette groups --import {set_dir}: {stderr}")
    return len(components)


def manifest_bytes(version, shards, n, by, arguments):
    """shards.json as gazette writes it (serde_json's pretty printing, then a newline)."""
    manifest = {
        "gazette_version": version,
        "shards": [
            {
                "path": s["path"],
                "shard": shard_name(s["shard"], n, by),
                "articles": s["articles"],
                "passages": s["passages"],
            }
            for s in shards
        ],
        "arguments": arguments,
    }
    return (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode()


def write_manifest(set_dir, data):
    """Whole or not at all: a temporary file renamed over the manifest. An unchanged
    manifest is left as it is."""
    path = os.path.join(set_dir, MANIFEST)
    try:
        with open(path, "rb") as f:
            if f.read() == data:
                return
    except OSError:
        pass
    tmp = os.path.join(set_dir, f"{MANIFEST}.{os.getpid()}.tmp")
    with open(tmp, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.rename(tmp, path)


# The annotations (--annotations DIR): one row per passage, per entity mention and per
# date mention, from `gazette export` of each shard. Times are TIMESTAMP_NTZ holding UTC
# (gazette's times are UTC), so a month is the same month whatever the session time zone.
ANNOTATIONS = ("passages", "entities", "dates")


def annotation_schemas():
    """The schema of the exported passages (mentions nested) and of the three datasets."""
    from pyspark.sql.types import (
        ArrayType, DateType, IntegerType, LongType, StringType, StructField,
        StructType, TimestampNTZType,
    )

    def fields(*spec):
        return [StructField(name, kind, nullable) for name, kind, nullable in spec]

    s, i, l = StringType(), IntegerType(), LongType()
    entity = fields(
        ("type", s, False), ("text", s, False), ("canonical", s, False), ("key", s, False),
        ("entity", s, False), ("start", i, False), ("end", i, False),
    )
    date = fields(
        ("text", s, False), ("value", s, False), ("range_start", DateType(), True),
        ("range_end", DateType(), True), ("start", i, False), ("end", i, False),
    )
    passage = fields(
        ("article_id", s, False), ("passage", i, False), ("start", l, False),
        ("end", l, False), ("text", s, False), ("title", s, False), ("source", s, True),
        ("url", s, True), ("path", s, False), ("published", TimestampNTZType(), True),
        ("crawled", TimestampNTZType(), True), ("date_origin", s, True),
        ("shard", i, False),
    )
    nested = StructType(
        passage
        + fields(
            ("entities", ArrayType(StructType(entity), False), False),
            ("dates", ArrayType(StructType(date), False), False),
        )
    )
    return nested, StructType(passage), StructType(entity), StructType(date)


def utc(text):
    """gazette's ISO 8601 UTC time (`2025-10-15T00:00:00Z`) as a naive UTC datetime; a
    year outside 1..9999 (Python's and Spark's range) is clamped to it."""
    if text is None:
        return None
    from datetime import datetime

    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).replace(tzinfo=None)
    except ValueError:
        return datetime.min if before_year_1(text) else datetime.max


def day(text):
    """A day (`2025-10-15`) as a date; a year outside 1..9999 is clamped to it: "the 1st
    century" is 0000-01-01..0099-12-31 to gazette, 0001-01-01..0099-12-31 here."""
    from datetime import date

    try:
        return date.fromisoformat(text)
    except ValueError:
        return date.min if before_year_1(text) else date.max


def before_year_1(text):
    """Whether an ISO date that Python cannot hold lies before year 1 (year 0, or a
    negative year) rather than after 9999 (`+10000-...`)."""
    return text.startswith(("-", "0000"))


def passage_row(p, shard):
    """One line of `gazette export` as a row of the nested schema (tuples, in order)."""
    entities = [
        (m["type"], m["text"], m["canonical"], m["key"], m["entity"], m["start"], m["end"])
        for m in p["entities"]
    ]
    dates = [
        (
            d["text"], d["value"],
            day(d["range"]["start"]) if d["range"] else None,
            day(d["range"]["end"]) if d["range"] else None,
            d["start"], d["end"],
        )
        for d in p["dates"]
    ]
    return (
        p["article_id"], p["passage"], p["start"], p["end"], p["text"], p["title"],
        p["source"], p["url"], p["path"], utc(p["published"]), utc(p["crawled"]),
        p["date_origin"], shard, entities, dates,
    )


def export_shard(k, n, set_dir, gazette, aliases):
    """Runs on an executor: the rows of shard k of n, streamed from `gazette export`."""
    index = os.path.join(set_dir, shard_path(k, n))
    export = [gazette, "export", "--index", index]
    if aliases:
        export += ["--aliases", aliases]
    # Exit 1 is an empty shard (no passage), not a failure.
    for passage in json_lines(export, f"shard {k}/{n}", ok=(0, 1)):
        yield passage_row(passage, k)


def write_annotations(sc, n, set_dir, gazette, out_dir):
    """The three datasets under out_dir, whole or not at all: written by Spark into a
    folder beside it, which then takes its place by rename (the old one is removed)."""
    from pyspark import StorageLevel
    from pyspark.sql import SparkSession
    from pyspark.sql import functions as F

    spark = SparkSession(sc)
    nested_schema, passage, entity, date = annotation_schemas()
    aliases = os.path.join(set_dir, "aliases.tsv")
    aliases = aliases if os.path.isfile(aliases) else None
    rows = sc.parallelize(range(n), n).flatMap(
        lambda k: export_shard(k, n, set_dir, gazette, aliases)
    )
    # Read once, for the three datasets.
    nested = spark.createDataFrame(rows, nested_schema).persist(StorageLevel.MEMORY_AND_DISK)
    key = ["article_id", "passage"]
    tables = {
        "passages": nested.select([f.name for f in passage.fields]),
        "entities": nested.select(*key, "published", F.explode("entities").alias("m")).select(
            *key, *[f"m.{f.name}" for f in entity.fields], "published"
        ),
        "dates": nested.select(*key, "published", F.explode("dates").alias("d")).select(
            *key, *[f"d.{f.name}" for f in date.fields], "published"
        ),
    }
    parent, name = os.path.split(out_dir.rstrip("/"))
    os.makedirs(parent, exist_ok=True)
    staging = os.path.join(parent, f".{name}.partial-{os.getpid()}")
    old = os.path.join(parent, f".{name}.old-{os.getpid()}")
    try:
        for table in ANNOTATIONS:
            tables[table].write.mode("overwrite").parquet(
                "file://" + os.path.join(staging, table)
            )
        # One pass over the persisted rows for the summary.
        totals = nested.select(
            F.count(F.lit(1)).alias("passages"),
            F.coalesce(F.sum(F.size("entities")), F.lit(0)).alias("entities"),
            F.coalesce(F.sum(F.size("dates")), F.lit(0)).alias("dates"),
        ).first()
        counts = totals.asDict()
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        nested.unpersist()
    if os.path.exists(out_dir):
        os.rename(out_dir, old)
    os.rename(staging, out_dir)
    shutil.rmtree(old, ignore_errors=True)
    return counts


class Fatal(Exception):
    """A failure of the job: message on stderr, exit 2 (gazette's exit code for errors)."""


def main(argv):
    args = parse_args(argv[1:])
    # A local path is made absolute (tasks run in folders of their own); a URI is Spark's.
    corpus = args.corpus if "://" in args.corpus else os.path.abspath(args.corpus)
    set_dir = os.path.abspath(args.set)
    gazette = os.path.abspath(args.gazette)
    n = args.shards
    if args.read == "shared" and not os.path.exists(corpus):
        raise Fatal(f"{corpus}: no such file or folder (--read shared takes a local path)")
    if os.path.exists(os.path.join(set_dir, "meta.json")):
        raise Fatal(
            f"{set_dir} is an index, not a shard set: give a new or shard set folder"
        )
    if os.path.exists(set_dir) and not os.path.isdir(set_dir):
        raise Fatal(f"{set_dir} is not a folder")
    version = subprocess.run(
        [gazette, "--version"], capture_output=True, text=True, check=True
    ).stdout.strip()
    version = version.removeprefix("gazette ").strip()
    os.makedirs(set_dir, exist_ok=True)

    from pyspark import SparkConf, SparkContext

    conf = SparkConf().setAppName(f"gazette ingest {n} shards")
    conf.setIfMissing("spark.task.maxFailures", "4")
    conf.set("spark.speculation", "false")  # never two attempts of one shard at once
    sc = SparkContext(conf=conf)
    sc.setLogLevel("WARN")
    hook = os.environ.get("GAZETTE_SPARK_TEST_PAUSE", "")
    threads, commit_every, by = args.threads, args.commit_every, args.partition_by
    try:
        if args.read == "shared":
            results = (
                sc.parallelize(range(n), n)
                .map(lambda k: build_shard(
                    k, n, corpus, set_dir, gazette, threads, commit_every, hook, by
                ))
                .collect()
            )
            reported = False
        else:
            results, reported = build_staged(
                sc, corpus, n, set_dir, gazette, threads, commit_every, hook, by
            )
        partial = finish_set(results, n, by, version, set_dir, argv, reported)
        # Then the set's near-duplicate groups, across every shard. A job that stops
        # before they are stored leaves a set whose first query computes them.
        groups = global_groups(sc, set_dir, n, gazette)
        articles = sum(s["articles"] for s in results)
        passages = sum(s["passages"] for s in results)
        print(
            f"shard set {set_dir}: {n} shards, {articles} articles, {passages} passages, "
            f"{groups} groups of copies",
            file=sys.stderr,
        )
        if args.annotations:
            out_dir = os.path.abspath(args.annotations)
            counts = write_annotations(sc, n, set_dir, gazette, out_dir)
            print(
                f"annotations {out_dir}: {counts['passages']} passages, "
                f"{counts['entities']} entity mentions, {counts['dates']} date mentions",
                file=sys.stderr,
            )
    finally:
        sc.stop()
    return 1 if partial else 0


def build_staged(sc, corpus, n, set_dir, gazette, threads, commit_every, hook, by):
    """The shards from the corpus as Spark reads it (staged.py): every file read once, by
    whichever task Spark gives it, and every article moved to its shard's task. The
    shards' results, and whether the files that did not go in were reported (once, here:
    each shard's ingest finds them again)."""
    import staged
    from pyspark.sql import SparkSession

    spark = SparkSession(sc)
    try:
        root = staged.Corpus(spark, corpus)
    except Exception as e:  # the JVM's FileNotFoundException, a bad URI
        cause = getattr(e, "java_exception", None) or e
        raise Fatal(f"{corpus}: {(str(cause).strip().splitlines() or [''])[0]}") from None
    try:
        headers, articles, expected, persisted = staged.stage(spark, root, gazette, n, by)
    except ValueError as e:
        raise Fatal(str(e)) from None
    problems = staged.problems(headers, root)
    for line in problems:
        print(f"ingest_job.py: {line}", file=sys.stderr)
    files = sc.broadcast(headers)
    results = articles.mapPartitionsWithIndex(
        lambda k, sorted_articles: [
            build_shard(
                k, n, None, set_dir, gazette, threads, commit_every, hook, by,
                (files, sorted_articles, expected),
            )
        ]
    ).collect()
    persisted.unpersist()
    read = sum(1 for h in headers if h["status"] == "read")
    print(
        f"read {read} of {len(headers)} files of {root.root} in Spark "
        f"({sum(h.get('total', 0) for h in headers)} articles)",
        file=sys.stderr,
    )
    return results, bool(problems)


def finish_set(results, n, by, version, set_dir, argv, reported=False):
    """Checks the shards that came back and writes the manifest, last. The shards that
    are partial (some files not indexed); when `reported`, the files that did not go in
    were reported already, and a partial shard's own report is not repeated."""
    results.sort(key=lambda s: s["shard"])
    got = [s["shard"] for s in results]
    if got != list(range(n)):
        raise Fatal(f"expected shards 0..{n - 1}, got {got}")
    partial = [s for s in results if s["code"] != 0]
    for s in partial if not reported else ():
        print(
            f"shard {s['shard']}/{n}: some files were not indexed\n{s['stderr']}",
            file=sys.stderr,
        )
    # The job and its arguments, as `gazette ingest --shards` records its own.
    data = manifest_bytes(version, results, n, by, ["ingest_job.py", *argv[1:]])
    write_manifest(set_dir, data)
    return partial


if __name__ == "__main__":
    try:
        code = main(sys.argv)
    except Fatal as e:
        print(f"ingest_job.py: {e}", file=sys.stderr)
        code = 2
    except Exception as e:  # a Spark job that failed (a task out of retries), a bad binary
        # A failed job comes as a Py4JJavaError whose text is the whole Java stack: its
        # first line says which task failed how often (the tasks' errors are above).
        cause = getattr(e, "java_exception", None) or e
        first = (str(cause).strip().splitlines() or [""])[0]
        print(f"ingest_job.py: {type(e).__name__}: {first[:2000]}", file=sys.stderr)
        code = 2
    sys.exit(code)
