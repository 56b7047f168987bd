"""Reads the Spark job's Parquet annotations back with Spark SQL (local mode) and prints
what tests/spark.rs compares with gazette's own answers, as one JSON object:

    .venv-spark/bin/python tests/spark/annotations.py DIR [--digest]

- `columns`: each dataset's columns and types;
- `passages`: rows of passages/, and `distinct_passages`: distinct (article id, passage);
- `mentions`: entity mention rows per type; `dates`: date mention rows;
- `entity_types`: per entity, the distinct passages mentioning it per type (as
  `gazette entities` counts);
- `entity_months`: per entity, the distinct passages mentioning it (any type) per month
  published (as `gazette query "" --org NAME --timeline month` counts, for an entity whose
  majority type is ORG);
- `org_months`: the README's example query, mentions of each organisation per month;
- `mentioned_months`: per month, the distinct passages with a date mention whose range
  overlaps it, of ranges spanning under 132 months (as `gazette query "" --mentions
  YYYY-MM --count`, which leaves "the 20th century" out);
- `digest`: a hash of every row of the three datasets, sorted, to compare two runs (with
  --digest, only this).
"""

import hashlib
import json
import sys

from pyspark.sql import SparkSession


def digest(spark):
    """A hash of every row of the three datasets, each sorted."""
    h = hashlib.sha256()
    for table in ("passages", "entities", "dates"):
        rows = sorted(json.dumps(r.asDict(), default=str) for r in spark.table(table).collect())
        for row in rows:
            h.update(row.encode())
    return h.hexdigest()


def main(out_dir, only_digest):
    spark = (
        SparkSession.builder.master("local[1]")
        .appName("gazette annotations check")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        # A few hundred rows: one partition per aggregation, not 200.
        .config("spark.sql.shuffle.partitions", "1")
        # Any zone: the times are TIMESTAMP_NTZ, so months must not move with it.
        .config("spark.sql.session.timeZone", "America/Los_Angeles")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    for table in ("passages", "entities", "dates"):
        spark.read.parquet(f"{out_dir}/{table}").createOrReplaceTempView(table)
    if only_digest:
        print(json.dumps({"digest": digest(spark)}))
        spark.stop()
        return
    sql = lambda q: spark.sql(q).collect()
    out = {
        "columns": {
            t: [[f.name, f.dataType.simpleString()] for f in spark.table(t).schema.fields]
            for t in ("passages", "entities", "dates")
        },
        "passages": sql("SELECT count(*) AS n FROM passages")[0].n,
        "distinct_passages": sql(
            "SELECT count(DISTINCT article_id, passage) AS n FROM passages"
        )[0].n,
        "mentions": {
            r.type: r.n
            for r in sql("SELECT type, count(*) AS n FROM entities GROUP BY type")
        },
        "dates": sql("SELECT count(*) AS n FROM dates")[0].n,
        "entity_types": {},
        "entity_months": {},
        "mentioned_months": {},
    }
    for r in sql(
        "SELECT entity, type, count(DISTINCT article_id, passage) AS n "
        "FROM entities GROUP BY entity, type"
    ):
        out["entity_types"].setdefault(r.entity, {})[r.type] = r.n
    for r in sql(
        "SELECT entity, date_format(published, 'yyyy-MM') AS month, "
        "count(DISTINCT article_id, passage) AS n "
        "FROM entities WHERE published IS NOT NULL GROUP BY entity, month"
    ):
        out["entity_months"].setdefault(r.entity, {})[r.month] = r.n
    # The README's example, as written there.
    out["org_months"] = [
        [r.entity, r.name, r.month, r.mentions, r.passages]
        for r in sql(
            """
            SELECT entity, mode(canonical) AS name,
                   date_format(published, 'yyyy-MM') AS month,
                   count(*) AS mentions, count(DISTINCT article_id, passage) AS passages
            FROM entities
            WHERE type = 'ORG' AND published IS NOT NULL
            GROUP BY entity, month
            ORDER BY month, mentions DESC, entity
            """
        )
    ]
    for r in sql(
        "SELECT date_format(m, 'yyyy-MM') AS month, count(DISTINCT article_id, passage) AS n "
        "FROM (SELECT article_id, passage, explode(sequence(trunc(range_start, 'MM'), "
        "trunc(range_end, 'MM'), interval 1 month)) AS m "
        "FROM dates WHERE range_start IS NOT NULL AND "
        "(year(range_end) * 12 + month(range_end)) "
        "- (year(range_start) * 12 + month(range_start)) < 132) GROUP BY month"
    ):
        out["mentioned_months"][r.month] = r.n
    out["digest"] = digest(spark)
    spark.stop()
    print(json.dumps(out, sort_keys=True))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:] == ["--digest"])
