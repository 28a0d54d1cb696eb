#!/usr/bin/env python3
"""Verify every file under a directory (or any Hadoop path) with Spark and
the `piaoyan` package; write the rows as Parquet or print them as JSON lines.

    python3 examples/spark/verify_bills.py --trust roots.pem --certs intermediates.pem \\
        --crl crls.pem [--now UNIX_SECONDS] [--master local[2]] [--out rows.parquet] \
        [--workers-read] PATH

One row per file, empty files included (piaoyan.spark.read_bills), with the
columns of piaoyan.spark.SCHEMA; duplicates ordered by path. Prints a summary
per verdict on standard error. --workers-read: PATH is a local path every
worker sees, and the workers read the files (piaoyan.spark.verify_files).
"""

from __future__ import annotations

import argparse
import json
import os
import sys

from pyspark.sql import SparkSession

from piaoyan import spark as pys


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("path")
    p.add_argument("--trust", action="append", default=[])
    p.add_argument("--certs", action="append", default=[])
    p.add_argument("--crl", action="append", default=[])
    p.add_argument("--now", type=int)
    p.add_argument("--master", default="local[2]")
    p.add_argument("--out", help="write Parquet here (default: JSON lines on standard output)")
    p.add_argument("--workers-read", action="store_true",
                   help="the workers read the files themselves (a path every worker sees)")
    args = p.parse_args(argv)

    # Python workers run this Python (with piaoyan) unless told otherwise.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    spark = SparkSession.builder.master(args.master).appName("piaoyan").getOrCreate()
    try:
        trust = dict(trust=args.trust, certs=args.certs, crls=args.crl, now=args.now)
        if args.workers_read:
            rows = pys.verify_files(spark, args.path, **trust)
        else:
            rows = pys.verify(pys.read_bills(spark, args.path), **trust)
        if args.out:
            rows.write.mode("overwrite").parquet(args.out)
            rows = spark.read.parquet(args.out)
        else:
            for row in rows.orderBy("file").toLocalIterator():
                print(json.dumps(row.asDict(), ensure_ascii=False))
        for r in rows.groupBy("verdict").count().orderBy("verdict").collect():
            print(f"{r['verdict']:<14} {r['count']}", file=sys.stderr)
    finally:
        spark.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
