"""Builds a gazette shard set on Spark: one task per shard.

    spark-submit ingest_job.py CORPUS SET --shards N --gazette BIN [-j THREADS]
                               [--annotations DIR]

Usually started by scripts/spark/ingest.sh, which finds spark-submit, the gazette binary
and Java. Every task runs `BIN ingest CORPUS --index SET/shard-KKKK-of-NNNN --shard K/N`
on the executor it lands on, then `BIN stats` on that shard, and returns the shard's
counts. CORPUS, SET and BIN are paths that every executor must see, at the same place (one
machine, or a shared filesystem). The driver checks that every shard came back and then,
last, writes SET/shards.json (the manifest `gazette ingest --shards N` writes), so a job
that stops short leaves no set that opens.

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
import json
import os
import shutil
import subprocess
import sys
import time

MANIFEST = "shards.json"


def parse_args(argv):
    p = argparse.ArgumentParser(prog="ingest_job.py", description=__doc__.split("\n")[0])
    p.add_argument("corpus", help="the corpus folder or file, seen by every executor")
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
        "--annotations",
        metavar="DIR",
        help="also write the passages, entity and date mentions as Parquet under DIR",
    )
    args = p.parse_args(argv)
    if args.shards < 1:
        p.error("--shards must be at least 1")
    if args.threads < 1:
        p.error("-j must be at least 1")
    return args


def shard_path(k, n):
    """The shard's folder name, as `gazette ingest --shards N` names it."""
    return f"shard-{k:04d}-of-{n:04d}"


def die_with_parent():
    """In the gazette child: SIGKILL when the Python worker that started it dies (Linux),
    so an executor lost mid-task leaves no ingest running beside its retry."""
    try:
        import ctypes
        import signal

        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except Exception:
        pass


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


def test_hook(hook, k):
    """GAZETTE_SPARK_TEST_STALL=K:SECONDS:FILE (tests only): the first attempt of task K
    writes its executor JVM's pid to FILE, then waits up to SECONDS before its ingest, so
    a test can kill that executor mid-task."""
    if not hook:
        return
    from pyspark import TaskContext

    task, seconds, marker = hook.split(":", 2)
    ctx = TaskContext.get()
    if int(task) != k or ctx is None or ctx.attemptNumber() != 0:
        return
    parent = os.getppid()
    tmp = f"{marker}.{os.getpid()}.tmp"
    with open(tmp, "w") as f:
        f.write(f"{executor_pid() or ''}\n")
    os.rename(tmp, marker)
    end = time.monotonic() + float(seconds)
    while time.monotonic() < end and os.getppid() == parent:
        time.sleep(0.2)
    if os.getppid() != parent:
        sys.exit(1)  # orphaned: the executor is gone


def build_shard(k, n, corpus, set_dir, gazette, threads, hook):
    """Runs on an executor: shard k of n, then its counts."""
    test_hook(hook, k)
    path = shard_path(k, n)
    index = os.path.join(set_dir, path)
    ingest = [
        gazette, "ingest", corpus, "--index", index,
        "--shard", f"{k}/{n}", "--quiet", "-j", str(threads),
    ]
    run = subprocess.run(ingest, capture_output=True, text=True, preexec_fn=die_with_parent)
    if run.returncode not in (0, 1):
        how = (
            f"killed by signal {-run.returncode}"
            if run.returncode < 0
            else f"exit {run.returncode}"
        )
        raise RuntimeError(f"shard {k}/{n}: {' '.join(ingest)}: {how}\n{run.stderr}")
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
        "code": run.returncode,
        "stderr": run.stderr[-4000:],
    }


def manifest_bytes(version, shards, n, arguments):
    """shards.json as gazette writes it (serde_json's pretty printing, then a newline)."""
    manifest = {
        "gazette_version": version,
        "shards": [
            {
                "path": s["path"],
                "shard": f"{s['shard']}/{n}",
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
    import tempfile

    index = os.path.join(set_dir, shard_path(k, n))
    export = [gazette, "export", "--index", index]
    if aliases:
        export += ["--aliases", aliases]
    with tempfile.TemporaryFile() as errors:
        child = subprocess.Popen(
            export, stdout=subprocess.PIPE, stderr=errors, preexec_fn=die_with_parent
        )
        with child.stdout:
            for line in child.stdout:
                yield passage_row(json.loads(line), k)
        code = child.wait()
        # Exit 1 is an empty shard (no passage), not a failure.
        if code not in (0, 1):
            errors.seek(0)
            message = errors.read().decode(errors="replace")[-4000:]
            raise RuntimeError(f"shard {k}/{n}: {' '.join(export)}: exit {code}\n{message}")


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
    corpus = os.path.abspath(args.corpus)
    set_dir = os.path.abspath(args.set)
    gazette = os.path.abspath(args.gazette)
    n = args.shards
    if not os.path.exists(corpus):
        raise Fatal(f"{corpus}: no such file or folder")
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
    hook = os.environ.get("GAZETTE_SPARK_TEST_STALL", "")
    threads = args.threads
    try:
        results = (
            sc.parallelize(range(n), n)
            .map(lambda k: build_shard(k, n, corpus, set_dir, gazette, threads, hook))
            .collect()
        )
        code = finish_set(results, n, version, set_dir, gazette, argv)
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
    return code


def finish_set(results, n, version, set_dir, gazette, argv):
    """Checks the shards that came back and writes the manifest, last; then reads the set
    once. Gives the job's exit code."""
    results.sort(key=lambda s: s["shard"])
    got = [s["shard"] for s in results]
    if got != list(range(n)):
        raise Fatal(f"expected shards 0..{n - 1}, got {got}")
    partial = [s for s in results if s["code"] != 0]
    for s in partial:
        print(
            f"shard {s['shard']}/{n}: some files were not indexed\n{s['stderr']}",
            file=sys.stderr,
        )
    # The job and its arguments, as `gazette ingest --shards` records its own.
    data = manifest_bytes(version, results, n, ["ingest_job.py", *argv[1:]])
    write_manifest(set_dir, data)
    # The set's near-duplicate groups, over every shard, computed once and cached for the
    # queries to come (as `gazette ingest --shards N` does), by reading the set.
    stats = subprocess.run(
        [gazette, "stats", "--index", set_dir, "--format", "json"],
        capture_output=True,
        text=True,
    )
    if stats.returncode != 0:
        raise Fatal(f"gazette stats {set_dir}: {stats.stderr}")
    articles = sum(s["articles"] for s in results)
    passages = sum(s["passages"] for s in results)
    print(
        f"shard set {set_dir}: {n} shards, {articles} articles, {passages} passages",
        file=sys.stderr,
    )
    return 1 if partial else 0


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
