"""examples/spark end to end on Spark local[2]: every file of a corpus made
by examples/corpus.py (VALID, INVALID, INDETERMINATE, empty, duplicate and
junk bills) gets exactly one row, with the verdict `piaoyan verify` gives
the same file.

    PIAOYAN_BIN=target/debug/piaoyan python -m pytest examples/spark
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import corpus  # noqa: E402
import expected  # noqa: E402

import piaoyan  # noqa: E402
from piaoyan import spark as pys  # noqa: E402

NOW = 1767225600
VECTORS = Path(os.environ.get("PIAOYAN_VECTORS", HERE / "../../../shared/vectors/bills")).resolve()


@pytest.fixture(scope="module")
def cli() -> str:
    path = os.environ.get("PIAOYAN_BIN")
    if not path:
        pytest.fail("set PIAOYAN_BIN to the piaoyan binary built from this checkout")
    return os.path.abspath(path)


@pytest.fixture(scope="module")
def bills_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("corpus") / "c"
    corpus.make(out, VECTORS)
    return out


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(scope="module")
def spark(cache_dir):
    from pyspark.sql import SparkSession

    # Local mode: the Python workers inherit this process's environment,
    # and run this very Python (the venv with piaoyan and pyarrow).
    os.environ["PIAOYAN_CACHE_DIR"] = str(cache_dir)
    os.environ["PYSPARK_PYTHON"] = sys.executable
    session = (
        SparkSession.builder.master("local[2]")
        .appName("piaoyan-test")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.driver.memory", "1g")
        .getOrCreate()
    )
    yield session
    session.stop()


@pytest.fixture(scope="module")
def cli_records(cli, bills_dir) -> dict[str, dict]:
    return expected.cli_records(cli, bills_dir, NOW)


def test_every_file_gets_one_row_with_the_cli_verdict(spark, bills_dir, cli_records):
    bills = pys.read_bills(spark, str(bills_dir / "{bills,dups,empty,junk}"))
    assert bills.count() == len(cli_records), "the empty file is read too"
    # Eight partitions: duplicates are found across them.
    rows = pys.verify(bills.repartition(8), now=NOW, **expected.trust_kwargs(bills_dir))
    assert [f.name for f in rows.schema] == piaoyan.COLUMNS[:-1]
    got = [r.asDict() for r in rows.collect()]
    assert expected.check_rows(got, cli_records) == len(cli_records)
    verdicts = {r["verdict"] for r in got}
    assert verdicts == {"VALID", "INVALID", "INDETERMINATE"}
    empty = next(r for r in got if r["file"].endswith("/empty/zero.xml"))
    assert empty["verdict"] == cli_records[str(bills_dir / "empty/zero.xml")]["verdict"]
    assert all(r["module_sha256"] == piaoyan.module_sha256() for r in got)
    assert len({r["options_sha256"] for r in got}) == 1
    assert any(r["duplicate_of"] for r in got)


def test_verify_files_reads_on_the_workers(spark, bills_dir, cli_records):
    dirs = [str(bills_dir / d) for d in ("bills", "dups", "empty", "junk")]
    rows = pys.verify_files(spark, dirs, now=NOW, files_per_partition=7,
                            **expected.trust_kwargs(bills_dir))
    assert [f.name for f in rows.schema] == piaoyan.COLUMNS[:-1]
    got = [r.asDict() for r in rows.collect()]
    assert expected.check_rows(got, cli_records) == len(cli_records)
    # The file column is the path as listed, and the empty file is a row.
    assert {r["file"] for r in got} == set(cli_records)
    assert any(r["duplicate_of"] for r in got)
    with pytest.raises(FileNotFoundError):
        pys.verify_files(spark, str(bills_dir / "no-such-dir"), now=NOW)


def test_schema(spark, bills_dir):
    bills = pys.read_bills(spark, str(bills_dir / "junk"))
    rows = pys.verify(bills, now=NOW, report_json=True, **expected.trust_kwargs(bills_dir))
    types = {f.name: f.dataType.simpleString() for f in rows.schema}
    assert list(types) == piaoyan.COLUMNS
    assert types["amount_fen"] == "bigint"
    assert types["warnings"] == "array<string>"
    assert types["demo_trust"] == "boolean"
    record = json.loads(rows.first()["report_json"])
    assert record["file"].endswith("not-a-bill.bin")


def test_valid_wins_over_invalid_whatever_the_order(spark, bills_dir, cli_records):
    from pyspark.sql import functions as F

    bills = pys.read_bills(spark, str(bills_dir / "{bills,dups}"))
    # The tampered copy first: it is INVALID, so the genuine bill stays the
    # original and the copy is its duplicate.
    seq = F.when(F.col("path").contains("a-tampered-"), F.lit(-1)).otherwise(F.lit(0))
    rows = pys.verify(bills.withColumn("seq", seq), order="seq", now=NOW,
                      **expected.trust_kwargs(bills_dir)).collect()
    tampered = next(r for r in rows if "a-tampered-" in r["file"])
    assert tampered["verdict"] == "INVALID"
    original = expected.local_path(tampered["duplicate_of"])
    assert cli_records[original]["verdict"] == "VALID"
    genuine = next(r for r in rows if expected.local_path(r["file"]) == original)
    assert genuine["duplicate_of"] is None


def test_retried_tasks_give_identical_rows(spark, bills_dir):
    bills = pys.read_bills(spark, str(bills_dir / "bills"))
    kw = dict(now=NOW, **expected.trust_kwargs(bills_dir))
    one = sorted(tuple(r) for r in pys.verify(bills.repartition(3), **kw).collect())
    two = sorted(tuple(r) for r in pys.verify(bills.repartition(5), **kw).collect())
    assert one == two


def test_the_module_is_compiled_once_per_worker_process(spark, bills_dir, cache_dir):
    bills = pys.read_bills(spark, str(bills_dir / "bills"))
    pys.verify(bills.repartition(8), now=NOW, **expected.trust_kwargs(bills_dir)).count()

    # Probed the way the rows are made (an Arrow UDF: the same pool of
    # Python workers as verify's).
    def state(batches):
        import pyarrow as pa

        import piaoyan
        from piaoyan import spark as s

        for _ in batches:
            pass
        yield pa.RecordBatch.from_pydict({
            "pid": [os.getpid()],
            "runners": [piaoyan.stats()["runners"]],
            "verifiers": [len(s._VERIFIERS)],
        })

    probe = spark.range(0, 16, 1, 16).mapInArrow(state, "pid long, runners long, verifiers long")
    seen = [tuple(r) for r in probe.collect()]
    assert any(runners == 1 for _, runners, _ in seen), seen
    assert all(runners <= 1 and verifiers <= 1 for _, runners, verifiers in seen), seen
    # One compiled module on the node, shared by its processes.
    assert len(list(cache_dir.glob("verifier-*.cwasm"))) == 1


def test_bad_trust_is_refused_on_the_driver(spark, bills_dir):
    bills = pys.read_bills(spark, str(bills_dir / "junk"))
    with pytest.raises(piaoyan.OptionsError):
        pys.verify(bills, trust=b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")


def test_cli_fan_out_recipe(spark, cli, bills_dir, cli_records):
    paths = spark.createDataFrame([(p,) for p in sorted(cli_records)], "path string").repartition(3)
    args = ["--no-config", "--now", str(NOW), *expected.trust_args(bills_dir)]
    rows = [r.asDict() for r in pys.cli_fan_out(paths, cli, args).collect()]
    assert len(rows) == len(cli_records)
    for row in rows:
        want = cli_records[expected.local_path(row["file"])]
        assert (row["verdict"], row["sub_indication"]) == (want["verdict"], want.get("subIndication"))
