"""Shared inputs of the package's tests: the `piaoyan` binary (whose
module the package must run) and the shared vectors beside the checkout."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
VECTORS = Path(os.environ.get("PIAOYAN_VECTORS", HERE / "../../../shared/vectors/bills")).resolve()


@pytest.fixture(scope="session")
def cli() -> str:
    """The `piaoyan` binary: $PIAOYAN_BIN (scripts/test-all sets it)."""
    path = os.environ.get("PIAOYAN_BIN")
    if not path or not os.access(path, os.X_OK):
        pytest.fail("set PIAOYAN_BIN to the piaoyan binary built from this checkout")
    return path


@pytest.fixture(scope="session")
def vectors() -> Path:
    if not (VECTORS / "manifest.json").is_file():
        pytest.fail(f"the shared vectors are missing: {VECTORS}")
    return VECTORS


@pytest.fixture(scope="session")
def manifest(vectors: Path) -> list[dict]:
    return json.loads((vectors / "manifest.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def trust(vectors: Path) -> dict[str, Path]:
    t = vectors / "trust"
    return {"trust": t / "roots.pem", "certs": t / "intermediates.pem", "crls": t / "crls.pem"}


NOW = 1767225600  # 2026-01-01, the vectors' `now`


def cli_records(cli: str, trust: dict[str, Path], files: list[Path]) -> dict[str, dict]:
    """`piaoyan verify --format jsonl` of `files`, by file name."""
    done = subprocess.run(
        [cli, "verify", "--no-config", "--format", "jsonl", "--quiet", "--jobs", "1",
         "--now", str(NOW), "--trust", str(trust["trust"]), "--certs", str(trust["certs"]),
         "--crl", str(trust["crls"]), *map(str, files)],
        capture_output=True, check=False,
    )
    assert done.returncode in (0, 1), done.stderr.decode()
    records = [json.loads(line) for line in done.stdout.decode().splitlines()]
    assert len(records) == len(files)
    return {r["file"]: r for r in records}
