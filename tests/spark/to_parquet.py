"""Rewrites JSON lines files as Parquet, for tests/spark.rs: each FILE.jsonl given becomes
FILE.parquet beside it (one Parquet file, written by Spark in local mode, the columns the
JSON fields, all strings) and FILE.jsonl is removed.

    python to_parquet.py FILE.jsonl...
"""

import glob
import json
import os
import shutil
import sys

from pyspark.sql import SparkSession
from pyspark.sql.types import StringType, StructField, StructType


def main(paths):
    spark = (
        SparkSession.builder.master("local[1]")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    for path in paths:
        with open(path, encoding="utf-8") as f:
            rows = [json.loads(line) for line in f if line.strip()]
        names = sorted({k for row in rows for k in row})
        schema = StructType([StructField(n, StringType(), True) for n in names])
        values = [tuple(None if row.get(n) is None else str(row[n]) for n in names) for row in rows]
        stem = path[: -len(".jsonl")]
        out = stem + ".parquet.spark"
        spark.createDataFrame(values, schema).coalesce(1).write.parquet(out)
        (part,) = glob.glob(os.path.join(out, "part-*.parquet"))
        os.rename(part, stem + ".parquet")
        shutil.rmtree(out)
        os.remove(path)
    spark.stop()


if __name__ == "__main__":
    main(sys.argv[1:])
