"""What the CLI says of a corpus made by examples/corpus.py: the reference
the Spark and Ray examples are checked against."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlparse

SUBDIRS = ("bills", "dups", "empty", "junk")


def trust_args(corpus: Path) -> list[str]:
    t = corpus / "trust"
    return ["--trust", str(t / "roots.pem"), "--certs", str(t / "intermediates.pem"),
            "--crl", str(t / "crls.pem")]


def trust_kwargs(corpus: Path) -> dict[str, str]:
    t = corpus / "trust"
    return {"trust": str(t / "roots.pem"), "certs": str(t / "intermediates.pem"),
            "crls": str(t / "crls.pem")}


def cli_records(cli: str, corpus: Path, now: int) -> dict[str, dict]:
    """`piaoyan verify --format jsonl` over the corpus, by absolute path."""
    done = subprocess.run(
        [cli, "verify", "--no-config", "--format", "jsonl", "--quiet", "--now", str(now),
         *trust_args(corpus), *(str(corpus / d) for d in SUBDIRS)],
        capture_output=True, check=False,
    )
    assert done.returncode in (0, 1), done.stderr.decode()
    records = [json.loads(line) for line in done.stdout.decode().splitlines()]
    return {os.path.abspath(r["file"]): r for r in records}


def local_path(name: str) -> str:
    """A file name as Spark (`file:/x`) or Ray (`/x`) gives it, as a path."""
    if "://" in name or name.startswith("file:"):
        return os.path.abspath(unquote(urlparse(name).path))
    return os.path.abspath(name)


def originals(cli: dict[str, dict], order=lambda path: path) -> dict[str, str | None]:
    """The `duplicate_of` the jobs must give each file: among the records
    of one bill key, the first VALID one by `order` (then path) is the
    original, else the first one; every other gets the original's path.

    (The CLI marks a record as a duplicate of the first record of its key
    in input order, whatever its verdict; the jobs let a VALID record win,
    so that an altered copy that sorts first does not make the genuine bill
    look like the copy.)"""
    groups: dict[str, list[str]] = {}
    for path, record in cli.items():
        if record.get("billKey") is not None:
            groups.setdefault(record["billKey"], []).append(path)
    out: dict[str, str | None] = {path: None for path in cli}
    for paths in groups.values():
        first = min(paths, key=lambda p: (cli[p]["verdict"] != "VALID", order(p), p))
        for p in paths:
            out[p] = None if p == first else first
    return out


def check_rows(rows: list[dict], cli: dict[str, dict], order=lambda path: path) -> int:
    """Every file of the corpus has exactly one row, with the CLI's verdict,
    sub-indication, bill key and error code, and the `duplicate_of` of
    :func:`originals`. Returns how many rows were checked; raises
    AssertionError on the first difference."""
    dups = originals(cli, order)
    by_path: dict[str, dict] = {}
    for row in rows:
        path = local_path(row["file"])
        assert path not in by_path, f"two rows for {path}"
        by_path[path] = row
    assert sorted(by_path) == sorted(cli), (
        f"rows without a CLI record: {sorted(set(by_path) - set(cli))[:5]}; "
        f"CLI records without a row: {sorted(set(cli) - set(by_path))[:5]}"
    )
    for path, want in cli.items():
        got = by_path[path]
        pairs = [
            ("verdict", want["verdict"]),
            ("sub_indication", want.get("subIndication")),
            ("bill_key", want.get("billKey")),
            ("error_code", (want.get("error") or {}).get("code")),
        ]
        for column, value in pairs:
            assert got[column] == value, f"{path}: {column} {got[column]!r}, CLI {value!r}"
        dup = got["duplicate_of"] and local_path(got["duplicate_of"])
        assert dup == dups[path], f"{path}: duplicate_of {dup!r}, want {dups[path]!r}"
    return len(by_path)
