#!/usr/bin/env python3
"""Makes the corpus the Spark and Ray examples are tested on, from the
shared vectors (../shared/vectors/bills):

    python3 examples/corpus.py OUT_DIR [VECTORS_DIR] [--repeat N]

OUT_DIR/bills/   every vector (VALID, INVALID and INDETERMINATE bills),
                 N times over with --repeat (copies are duplicates);
OUT_DIR/dups/    copies of three VALID bills under other names, and a
                 tampered copy of one (same bill key, INVALID) named to
                 sort before the genuine one: VALID must win;
OUT_DIR/empty/   a file of 0 bytes (Spark's binaryFile reader skips it);
OUT_DIR/junk/    bytes that are not a bill;
OUT_DIR/trust/   the vectors' trust material.

The verdict of each file is not written here: the tests take the CLI's.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
from pathlib import Path


def make(out: Path, vectors: Path, repeat: int = 1) -> list[Path]:
    """Writes the corpus; returns its bill files (trust material apart)."""
    manifest = json.loads((vectors / "manifest.json").read_text(encoding="utf-8"))
    if out.exists():
        shutil.rmtree(out)
    for sub in ("bills", "dups", "empty", "junk"):
        (out / sub).mkdir(parents=True)
    shutil.copytree(vectors / "trust", out / "trust")
    for n in range(repeat):
        for entry in manifest:
            name = entry["file"] if n == 0 else f"r{n:03d}-{entry['file']}"
            shutil.copyfile(vectors / entry["file"], out / "bills" / name)
    valid = [e["file"] for e in manifest if e["expect"]["verdict"] == "VALID"][:3]
    for name in valid:
        shutil.copyfile(vectors / name, out / "dups" / f"copy-{name}")
    # One character of a signed field changed: same bill key, INVALID.
    text = (vectors / valid[0]).read_text(encoding="utf-8")
    tampered = re.sub(
        r"<RandomNumber>(.)", lambda m: "<RandomNumber>" + ("Z" if m[1] != "Z" else "Y"), text, count=1
    )
    assert tampered != text
    (out / "dups" / f"a-tampered-{valid[0]}").write_text(tampered, encoding="utf-8")
    (out / "empty" / "zero.xml").write_bytes(b"")
    (out / "junk" / "not-a-bill.bin").write_bytes(b"\x00\x01 this is not a bill \xff")
    return sorted(p for p in out.rglob("*") if p.is_file() and "trust" not in p.relative_to(out).parts)


def main() -> None:
    here = Path(__file__).resolve().parent
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("vectors", type=Path, nargs="?", default=here / "../../shared/vectors/bills")
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    files = make(args.out, args.vectors.resolve(), args.repeat)
    print(f"wrote {len(files)} files to {args.out}")


if __name__ == "__main__":
    main()
