#!/usr/bin/env python3
"""Verify fiscal electronic bills from Python with the `piaoyan` package
(python/ in this repository: the module `piaoyan` embeds, run by the CLI's
own runner):

    pip install target/wheels/piaoyan-*.whl      # scripts/test-all builds it
    python3 examples/python/verify.py --trust roots.pem --certs intermediates.pem \\
        --crl crls.pem bill.xml...

Prints one JSON line per bill (the flat row of `Verifier.record`) and exits
0 when every bill is VALID, 1 when one is not, 2 on a usage or I/O error.
"""

from __future__ import annotations

import argparse
import json
import sys

import piaoyan


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("bills", nargs="+")
    p.add_argument("--trust", action="append", default=[], help="PEM file or directory of trust anchors")
    p.add_argument("--certs", action="append", default=[], help="PEM file or directory of intermediates")
    p.add_argument("--crl", action="append", default=[], help="PEM file or directory of CRLs")
    p.add_argument("--now", type=int, help="verification time, Unix seconds (default: now)")
    args = p.parse_args(argv)
    try:
        verifier = piaoyan.Verifier(trust=args.trust, certs=args.certs, crls=args.crl, now=args.now)
    except piaoyan.PiaoyanError as e:
        print(f"verify.py: {e}", file=sys.stderr)
        return 2
    status = 0
    for name in args.bills:
        try:
            with open(name, "rb") as f:
                bill = f.read(piaoyan.READ_CAP)
        except OSError as e:
            print(f"verify.py: {name}: {e.strerror}", file=sys.stderr)
            return 2
        row = verifier.record(bill, file=name)
        print(json.dumps(row, ensure_ascii=False))
        if row["verdict"] != "VALID":
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
