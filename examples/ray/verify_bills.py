#!/usr/bin/env python3
"""Verify every file under a directory with Ray Data and the `piaoyan`
package; print the rows as JSON lines.

    python3 examples/ray/verify_bills.py --trust roots.pem --certs intermediates.pem \\
        --crl crls.pem [--now UNIX_SECONDS] [--cpus 2] PATH

One row per file with the columns of piaoyan.spark.SCHEMA; duplicates
ordered by path. Prints a summary per verdict on standard error.
"""

from __future__ import annotations

import argparse
import collections
import json
import sys

import ray

from piaoyan import ray as pyr


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("path")
    p.add_argument("--trust", action="append", default=[])
    p.add_argument("--certs", action="append", default=[])
    p.add_argument("--crl", action="append", default=[])
    p.add_argument("--now", type=int)
    p.add_argument("--cpus", type=int, help="CPUs of the local Ray (default: all)")
    args = p.parse_args(argv)

    ray.init(num_cpus=args.cpus, include_dashboard=False, log_to_driver=False)
    try:
        ds = ray.data.read_binary_files(args.path, include_paths=True)
        rows = pyr.verify(ds, trust=args.trust, certs=args.certs, crls=args.crl, now=args.now)
        counts: collections.Counter[str] = collections.Counter()
        for row in sorted(rows.iter_rows(), key=lambda r: r["file"] or ""):
            counts[row["verdict"]] += 1
            print(json.dumps(dict(row), ensure_ascii=False))
        for verdict, n in sorted(counts.items()):
            print(f"{verdict:<14} {n}", file=sys.stderr)
    finally:
        ray.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
