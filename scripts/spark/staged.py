"""The shard set's articles read by Spark: the corpus from any path Spark reads (a local
folder, HDFS, S3 through the Hadoop connectors), Parquet included, moved to their shards.

Imported by ingest_job.py (and shipped to the executors with spark-submit --py-files).
The stages, each a gazette child process on the executors (`src/ingest/staged.rs`):

1. List the corpus (Spark's binaryFile source: every file under CORPUS, recursively, with
   its length and modification time) and order it as gazette walks a folder: by path,
   one path component at a time.
2. Read: each task copies its files' bytes to its own disk and runs `gazette extract
   --staged N`, which reads them as an ingest does (the same readers, article ids and web
   page extraction) and gives every file as one JSON line: its record (size, blake3), what
   reading it gave, and its articles, each with the shard its id (or, partitioned by
   month, its publication month) falls to. Parquet files
   (`*.parquet`) are read by Spark's Parquet reader instead; each file's rows, ordered by
   their `id` column, become JSON lines with the columns as fields (gazette's field names,
   as in a `.jsonl` file), which gazette then reads as such.
3. Shuffle: every article goes to its shard's partition, sorted by the file's place in
   the walk and the article's place in the file; every file's record (without its
   articles) goes to every shard, broadcast, so each shard records every file, as
   `gazette ingest --shard K/N` does.
4. Index: each shard's task writes its articles and the file list to a folder on its disk
   and runs `gazette ingest --staged DIR --shard K/N` into the shard (see
   ingest_job.build_shard): unchanged files (same size and modification time as the
   shard's record) are skipped, so a re-run changes nothing.

Only the standard library runs here on the executors.
"""

import json
import os
import posixpath
import shutil
import subprocess
import tempfile
from urllib.parse import unquote, urlsplit

PARQUET = ".parquet"


def same_uri(uri):
    """A file's URI in one spelling: Spark's listing writes `file:/data/a b.txt`, its
    `input_file_name()` `file:///data/a%20b.txt`."""
    parts = urlsplit(uri)
    netloc = f"//{parts.netloc}" if parts.netloc else ""
    return f"{parts.scheme}:{netloc}{unquote(parts.path)}"


class Corpus:
    """The corpus as Spark names it, and as gazette names its files: `root` is the
    qualified URI of CORPUS (`file:/data/bbc`, `hdfs://nn/news`); for a local corpus
    gazette's names are the local paths, as a local ingest of the same folder records
    them (`path` as given, made absolute; `key` canonical)."""

    def __init__(self, spark, corpus):
        jvm = spark.sparkContext._jvm
        conf = spark.sparkContext._jsc.hadoopConfiguration()
        path = jvm.org.apache.hadoop.fs.Path(corpus)
        fs = path.getFileSystem(conf)
        qualified = fs.makeQualified(path)
        self.root = qualified.toString().rstrip("/")
        self.is_dir = fs.getFileStatus(qualified).isDirectory()
        self.local = None
        if qualified.toUri().getScheme() == "file":
            self.local = os.path.abspath(corpus if "://" not in corpus else qualified.toUri().getPath())
        name = posixpath.basename(qualified.toUri().getPath().rstrip("/"))
        # gazette's id prefix: the root folder's name, none for a root that is a file.
        self.id_prefix = f"{name}/" if self.is_dir else ""

    def rel(self, uri):
        """The file's path below the root (its name, when the root is the file)."""
        uri, root = same_uri(uri), same_uri(self.root)
        if not self.is_dir:
            return posixpath.basename(uri)
        if not uri.startswith(root + "/"):
            raise ValueError(f"{uri} is not under {root}")
        return uri[len(root) + 1:]

    def names(self, uri):
        """(path, key, id_base) of a listed file, as a local ingest would name them."""
        rel = self.rel(uri)
        if self.local is None:
            root = same_uri(self.root)
            name = f"{root}/{rel}" if self.is_dir else root
            return name, name, self.id_prefix + rel
        path = os.path.join(self.local, *rel.split("/")) if self.is_dir else self.local
        return path, os.path.realpath(path), self.id_prefix + rel


def listing(spark, corpus):
    """Every file under the corpus, in gazette's walk order: a list of dicts with seq,
    uri, rel, path, key, id_base, size and mtime (nanoseconds). Spark's listing leaves out
    names that start with `.` or `_` (hidden, or Spark's own `_SUCCESS`)."""
    source = (
        spark.read.format("binaryFile")
        .option("recursiveFileLookup", "true")
        .load(corpus.root)
    )
    files = {}
    for row in source.select("path", "length", "modificationTime").collect():
        files[same_uri(row["path"])] = (
            row["path"],
            int(row["length"]),
            # Spark gives milliseconds; gazette records nanoseconds.
            int(row["modificationTime"].timestamp() * 1000) * 1_000_000,
        )
    # Empty files are listed, but Spark's scan (and so the rows above) leaves them out:
    # gazette reads them as such (an empty file is an error, as in a local ingest).
    for uri in source.inputFiles():
        files.setdefault(same_uri(uri), (uri, 0, 0))
    out = []
    for uri, size, mtime in files.values():
        path, key, id_base = corpus.names(uri)
        rel = corpus.rel(uri)
        if corpus.local is not None:
            # A local file (on every machine, as Spark's file: paths must be): its
            # modification time to the nanosecond, as a local ingest records it, so the
            # shards' records are those of `gazette ingest --shard` over the same folder.
            try:
                mtime = os.stat(path).st_mtime_ns
            except OSError:
                pass
        out.append({
            "uri": uri, "rel": rel, "path": path, "key": key, "id_base": id_base,
            "size": size, "mtime": mtime,
        })
    out.sort(key=lambda f: f["rel"].split("/"))
    for seq, f in enumerate(out):
        f["seq"] = seq
    return out


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


def json_lines(cmd, what, ok=(0,), stdin=None):
    """Runs on an executor: the JSON lines a gazette command prints (given `stdin`, an
    open file, or none), parsed, streamed; an exit code outside `ok` raises with the end
    of its stderr (kept in a file, so a chatty stderr never blocks the stream)."""
    with tempfile.TemporaryFile() as errors:
        child = subprocess.Popen(
            cmd, stdin=stdin, stdout=subprocess.PIPE, stderr=errors,
            preexec_fn=die_with_parent,
        )
        with child.stdout:
            for line in child.stdout:
                if line.strip():
                    yield json.loads(line)
        code = child.wait()
        if code not in ok:
            errors.seek(0)
            message = errors.read().decode(errors="replace")[-4000:]
            raise RuntimeError(f"{what}: {' '.join(cmd)}: exit {code}\n{message}")


def run_extract(gazette, shards, by, to_read):
    """Runs on an executor: `gazette extract --staged N --partition-by BY` over the files
    `to_read` (seq, local, path, key, id_base), yielding each staged file (a dict).
    Exit 1 means a file failed to read; its staged line says why."""
    with tempfile.TemporaryFile("w+") as listed:
        for f in to_read:
            listed.write(json.dumps(f) + "\n")
        listed.seek(0)
        cmd = [gazette, "extract", "--staged", str(shards), "--partition-by", by]
        yield from json_lines(cmd, "gazette extract --staged", ok=(0, 1), stdin=listed)


def read_files(rows, files, gazette, shards, by):
    """Runs on an executor: the staged files of one partition of the binaryFile source
    (rows of path and content), each copied to a folder of this task's, then read."""
    work = tempfile.mkdtemp(prefix="gazette-read-")
    try:
        to_read = []
        for row in rows:
            f = files.value.get(same_uri(row["path"]))
            if f is None:
                continue  # listed as Parquet, or added since the listing
            # The copy keeps the file's name: its extension is its format.
            local = os.path.join(work, str(f["seq"]), posixpath.basename(f["rel"]))
            os.makedirs(os.path.dirname(local))
            with open(local, "wb") as out:
                out.write(row["content"])
            to_read.append(staged_input(f, local))
        yield from run_extract(gazette, shards, by, to_read)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def staged_input(f, local):
    return {k: f[k] for k in ("seq", "path", "key", "id_base")} | {"local": local}


def read_parquet_files(groups, files, gazette, shards, by):
    """Runs on an executor: the staged files of Parquet files, given as (uri, rows as
    JSON text) groups; each file's rows, ordered by id, are written as a `.jsonl` copy
    and read as such."""
    work = tempfile.mkdtemp(prefix="gazette-parquet-")
    try:
        to_read = []
        for uri, lines in groups:
            f = files.value.get(same_uri(uri))
            if f is None:
                continue
            local = os.path.join(work, str(f["seq"]), posixpath.basename(f["rel"]) + ".jsonl")
            os.makedirs(os.path.dirname(local))
            with open(local, "w", encoding="utf-8") as out:
                for _, line in sorted(lines):
                    out.write(line + "\n")
            to_read.append(staged_input(f, local))
        yield from run_extract(gazette, shards, by, to_read)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def stage(spark, corpus, gazette, shards, by):
    """Stages 1 to 3, the articles partitioned `by` id or month: (the files in walk
    order, without their articles; the articles as an RDD of ((shard, seq, place),
    article JSON) in `shards` partitions, sorted; the number of articles of each shard;
    the persisted read, to unpersist)."""
    from pyspark import StorageLevel
    from pyspark.sql import functions as F

    sc = spark.sparkContext
    files = listing(spark, corpus)
    parquet = [f for f in files if f["rel"].lower().endswith(PARQUET)]
    by_uri = sc.broadcast({same_uri(f["uri"]): f for f in files})
    staged = (
        spark.read.format("binaryFile")
        .option("recursiveFileLookup", "true")
        .load(corpus.root)
        .select("path", "content")
        .where(~F.lower(F.col("path")).endswith(PARQUET))
        .rdd.mapPartitions(lambda rows: read_files(rows, by_uri, gazette, shards, by))
    )
    if parquet:
        table = spark.read.parquet(*[f["uri"] for f in parquet])
        if "id" not in table.columns:
            raise ValueError(
                "Parquet input needs an `id` column (each row's article id): "
                f"{', '.join(f['uri'] for f in parquet[:3])} have {table.columns}"
            )
        rows = (
            table.select(
                F.input_file_name().alias("uri"),
                F.col("id").cast("string").alias("order"),
                F.to_json(F.struct(*[F.col(c) for c in table.columns])).alias("line"),
            )
            .rdd.map(lambda r: (r["uri"], (r["order"], r["line"])))
            .groupByKey()
            .mapPartitions(lambda groups: read_parquet_files(groups, by_uri, gazette, shards, by))
        )
        staged = staged.union(rows)
    staged = staged.persist(StorageLevel.MEMORY_AND_DISK)
    headers = staged.map(header_of).collect()
    # The files Spark's scan did not give (the empty ones), read here: an empty copy each.
    done = {h["seq"] for h in headers}
    missing = [f for f in files if f["seq"] not in done]
    if missing:
        empty = tempfile.mkdtemp(prefix="gazette-empty-")
        try:
            to_read = []
            for f in missing:
                local = os.path.join(empty, str(f["seq"]), posixpath.basename(f["rel"]))
                os.makedirs(os.path.dirname(local))
                open(local, "wb").close()
                to_read.append(staged_input(f, local))
            headers += [header_of(h) for h in run_extract(gazette, shards, by, to_read)]
        finally:
            shutil.rmtree(empty, ignore_errors=True)
    for h in headers:
        h["mtime"] = files[h["seq"]]["mtime"]
    headers.sort(key=lambda h: h["seq"])
    per_shard = staged.flatMap(lambda f: [a["shard"] for a in f.get("articles", ())])
    expected = dict(per_shard.countByValue())
    articles = (
        staged.flatMap(articles_of)
        .repartitionAndSortWithinPartitions(shards, partitionFunc=lambda key: key[0])
    )
    return headers, articles, expected, staged


def header_of(staged):
    return {k: v for k, v in staged.items() if k != "articles"}


def articles_of(staged):
    """((shard, seq, place in the file), the article as JSON text) for each article."""
    seq = staged["seq"]
    return [
        ((a["shard"], seq, i), json.dumps(a["article"], ensure_ascii=False))
        for i, a in enumerate(staged.get("articles", ()))
    ]


class Truncated(Exception):
    """A shard's articles came short: the shuffle's stream ended early."""


def write_shard_input(directory, headers, articles, expected):
    """Runs on an executor: a shard's staged folder, `files.jsonl` (every file, in walk
    order, with where this shard's articles of it are) and `articles.jsonl`, from the
    shard's sorted articles, `expected` of them. Fewer is an error, before any ingest: a
    shuffle fetch that fails (an executor lost) can end the stream a Python task reads
    early rather than raise in it, and an ingest of what came would record every file
    as complete, so that the task's retry would skip them."""
    os.makedirs(directory, exist_ok=True)
    spans = {}
    with open(os.path.join(directory, "articles.jsonl"), "wb") as out:
        for (_, seq, _), text in articles:
            start, _, count = spans.get(seq, (out.tell(), 0, 0))
            out.write(text.encode("utf-8") + b"\n")
            spans[seq] = (start, out.tell() - start, count + 1)
    got = sum(count for _, _, count in spans.values())
    if got != expected:
        raise Truncated(f"{got} of the shard's {expected} articles came")
    with open(os.path.join(directory, "files.jsonl"), "w", encoding="utf-8") as out:
        for h in headers:
            offset, length, count = spans.get(h["seq"], (0, 0, 0))
            out.write(json.dumps(h | {"offset": offset, "len": length, "count": count}) + "\n")


def problems(headers, root):
    """Lines for the driver's stderr: the files that could not be read and the records
    lost in the others, once (each shard's ingest reports them again)."""
    lines = []
    for h in headers:
        if h["status"] == "failed":
            lines.append(f"{h['path']}: {h.get('message', 'not read')}")
        for w in h.get("warnings", ()):
            if w.get("lost"):
                at = f":{w['line']}" if w.get("line") else ""
                lines.append(f"{h['path']}{at}: {w['message']}")
    return lines
