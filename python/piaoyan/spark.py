"""Verify a Spark DataFrame of bills: one row out per row in.

    from piaoyan import spark as pys
    bills = pys.read_bills(spark, "hdfs:///bills/2026/")      # path, content
    rows = pys.verify(bills, trust="roots.pem", certs="intermediates.pem",
                      crls="crls.pem", order="path")

The driver reads the trust material, checks it with the module once and
fixes ``now``; the workers get the options (certificates as base64 DER and
``now``) with the task, so a retried task gives the very same rows. Each
Python worker process compiles the module once (``piaoyan.stats()``), or
loads it from the node's compiled-module cache (``PIAOYAN_CACHE_DIR``, else
``~/.cache/piaoyan``), and verifies batch after batch with it.

Duplicates: rows with the same ``bill_key`` get ``duplicate_of``, the
``file`` of the row kept as the original: the first VALID row by the
caller's ``order`` column (then ``file``), else the first row. Spark has no
input order of its own, so the order is a column the caller names (a
sequence number, an arrival time; by default the path).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterator, Optional

from . import Verifier

if TYPE_CHECKING:
    from ._piaoyan import TrustSource
    import pyarrow
    from pyspark.sql import DataFrame, SparkSession

#: The output schema (Spark DDL); ``report_json string`` is added when asked.
SCHEMA = (
    "file string, verdict string, sub_indication string, bill_key string, "
    "amount_fen bigint, issue_date string, invoicing_party_code string, "
    "warnings array<string>, error_code string, reason_zh string, reason_en string, "
    "format string, demo_trust boolean, duplicate_of string, module_sha256 string, "
    "options_sha256 string"
)

#: Bills handed to the verifier at once within one Arrow batch.
CHUNK = 256

# One verifier per worker process and configuration: Spark reuses its Python
# workers (spark.python.worker.reuse, on by default), so the module is
# compiled (or loaded from the disk cache) once per process, never per batch.
_VERIFIERS: dict[tuple[Any, ...], Verifier] = {}


def _verifier(config: tuple[Any, ...]) -> Verifier:
    verifier = _VERIFIERS.get(config)
    if verifier is None:
        options_json, timeout_s, max_memory_mib, cache_dir = config
        verifier = Verifier.from_options(
            options_json, timeout_s=timeout_s, max_memory_mib=max_memory_mib, cache_dir=cache_dir
        )
        _VERIFIERS[config] = verifier
    return verifier


def read_bills(
    spark: "SparkSession",
    path: str,
    recursive: bool = True,
    path_glob: Optional[str] = None,
    files_per_partition: int = 2000,
) -> "DataFrame":
    """``path, content`` of every file under ``path``, empty files included.

    Spark's ``binaryFile`` reader lists every file but makes no read task
    for a file of 0 bytes, so such a file would vanish. Here the files the
    reader listed (``inputFiles()``) that gave no row are added back with
    empty content, and verify as the CLI does an empty file: one row each.

    Spark plans file reads as if each file cost 4 MB
    (``spark.sql.files.openCostInBytes``), which cuts a directory of bills
    of a few KB into a task per 31 files; the partitions are coalesced to
    about ``files_per_partition`` files each (at least one per core), so
    the tasks do the verifying, not the scheduling.
    """
    import math

    from pyspark.sql import functions as F

    reader = spark.read.format("binaryFile").option("recursiveFileLookup", str(recursive).lower())
    if path_glob:
        reader = reader.option("pathGlobFilter", path_glob)
    binary = reader.load(path)
    files = binary.inputFiles()
    partitions = max(spark.sparkContext.defaultParallelism, math.ceil(len(files) / files_per_partition))
    if binary.rdd.getNumPartitions() > partitions:
        binary = binary.coalesce(partitions)
    listed = spark.createDataFrame([(_as_path_column(p),) for p in files], "path string")
    empty = listed.join(binary.select("path"), "path", "left_anti").select(
        "path", F.lit(b"").cast("binary").alias("content")
    )
    return binary.select("path", "content").unionByName(empty)


def _as_path_column(uri: str) -> str:
    """A name of `inputFiles()` as the reader's `path` column writes it:
    `file:///x` there is `file:/x` here (a URI without authority)."""
    scheme, sep, rest = uri.partition(":///")
    if sep and scheme and "/" not in scheme:
        return f"{scheme}:/{rest}"
    return uri


def verify(
    df: "DataFrame",
    content: str = "content",
    path: str = "path",
    order: Optional[str] = None,
    *,
    trust: Optional[TrustSource] = None,
    certs: Optional[TrustSource] = None,
    crls: Optional[TrustSource] = None,
    now: Optional[int] = None,
    timeout_s: Optional[float] = 60.0,
    max_memory_mib: int = 512,
    report_json: bool = False,
    cache_dir: Optional[str] = None,
) -> "DataFrame":
    """One row per row of ``df`` with the columns of :data:`SCHEMA`.

    ``content``: the bill's bytes (binary; null gives an ``IO`` error row);
    ``path``: its name (the ``file`` column); ``order``: the column that
    orders rows of one bill key (default: ``path``). ``trust``, ``certs``,
    ``crls``: paths on the driver or PEM bytes. ``now`` (Unix seconds)
    defaults to the driver's clock, read once. ``cache_dir``: where the
    workers keep the compiled module (default: their
    ``piaoyan.default_cache_dir()``).
    """
    return _verify(df, content, path, order, trust=trust, certs=certs, crls=crls, now=now,
                   timeout_s=timeout_s, max_memory_mib=max_memory_mib,
                   report_json=report_json, cache_dir=cache_dir)


def verify_files(
    spark: "SparkSession",
    paths: "str | list[str]",
    *,
    recursive: bool = True,
    trust: Optional[TrustSource] = None,
    certs: Optional[TrustSource] = None,
    crls: Optional[TrustSource] = None,
    now: Optional[int] = None,
    timeout_s: Optional[float] = 60.0,
    max_memory_mib: int = 512,
    report_json: bool = False,
    cache_dir: Optional[str] = None,
    files_per_partition: int = 2000,
) -> "DataFrame":
    """The files under ``paths`` (local paths every worker sees: one
    machine, NFS, a mount), verified as :func:`verify` does, with the same
    rows; but Spark carries only the paths: the workers read the files
    themselves, in Rust, as the CLI does, instead of the JVM reading them
    into rows (``binaryFile``) and handing the bytes over through Arrow. On
    a machine whose cores are busy verifying, that reading is most of
    Spark's overhead (docs/python.md, "Speed").

    The driver lists the files (``recursive``: below directories too;
    ``.`` files included, symbolic links to files followed, to directories
    not), in path order, which is also the ``order`` of duplicates. Every
    file listed gets one row: an empty file verifies as the CLI's does, and
    a file gone or unreadable by the time a worker reads it gets an ``IO``
    error row. ``file`` is the path as listed (``/x``, not ``file:/x``).
    """
    import math

    listed = _list_files([paths] if isinstance(paths, str) else list(paths), recursive)
    slices = max(spark.sparkContext.defaultParallelism,
                 math.ceil(len(listed) / max(1, files_per_partition)))
    rdd = spark.sparkContext.parallelize([(p,) for p in listed], slices)
    df = spark.createDataFrame(rdd, "path string")
    return _verify(df, None, "path", None, trust=trust, certs=certs, crls=crls, now=now,
                   timeout_s=timeout_s, max_memory_mib=max_memory_mib,
                   report_json=report_json, cache_dir=cache_dir)


def _list_files(paths: list[str], recursive: bool) -> list[str]:
    """The files named by ``paths`` (a file, or the files of a directory),
    as absolute paths, sorted; a name that is neither is an error here, on
    the driver, not a lost row."""
    import os

    found: list[str] = []
    for given in paths:
        root = os.path.abspath(given)
        if os.path.isfile(root):
            found.append(root)
        elif os.path.isdir(root):
            for here, dirs, files in os.walk(root):
                dirs.sort()
                found.extend(os.path.join(here, f) for f in files
                             if os.path.isfile(os.path.join(here, f)))
                if not recursive:
                    dirs.clear()
        else:
            raise FileNotFoundError(f"piaoyan: {given}: no such file or directory")
    return sorted(found)


def _verify(
    df: "DataFrame",
    content: Optional[str],
    path: str,
    order: Optional[str],
    *,
    report_json: bool,
    **options: Any,
) -> "DataFrame":
    """:func:`verify`; ``content`` None: the workers read the files named
    by ``path``. ``options``: the :class:`Verifier`'s."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F
    from pyspark.sql.pandas.types import to_arrow_schema
    from pyspark.sql.types import StructField, StructType, _parse_datatype_string

    # Checked once on the driver (an OptionsError here, not in every task).
    # `options` are Verifier's: trust, certs, crls, now, timeout_s,
    # max_memory_mib, cache_dir.
    driver = Verifier(**options)
    config = (driver.options_json, options["timeout_s"], options["max_memory_mib"],
              options["cache_dir"])
    order = order or path
    order_type = df.schema[order].dataType
    rows_schema = _parse_datatype_string(SCHEMA + (", report_json string" if report_json else ""))
    assert isinstance(rows_schema, StructType)
    mapped_schema = StructType(list(rows_schema.fields) + [StructField("_order", order_type)])
    arrow_schema = to_arrow_schema(mapped_schema)
    with_json = report_json
    read_files = content is None

    def verify_batches(batches: Iterator["pyarrow.RecordBatch"]) -> Iterator["pyarrow.RecordBatch"]:
        import pyarrow as pa

        verifier = _verifier(config)
        for whole in batches:
            # At most CHUNK bills as Python bytes at a time, however large
            # Spark's Arrow batches are.
            for start in range(0, whole.num_rows, CHUNK):
                batch = whole.slice(start, CHUNK)
                files = batch.column("_path").to_pylist()
                if read_files:
                    columns = verifier.records_files(files, report_json=with_json)
                else:
                    bills = batch.column("_content").to_pylist()
                    columns = verifier.records(bills, files, report_json=with_json)
                if len(columns["verdict"]) != batch.num_rows:
                    raise RuntimeError("piaoyan: a batch lost rows")  # never: one row per bill
                arrays = [
                    pa.array(columns[f.name], type=f.type) for f in arrow_schema if f.name != "_order"
                ]
                arrays.append(batch.column("_order").cast(arrow_schema.field("_order").type))
                yield pa.RecordBatch.from_arrays(arrays, schema=arrow_schema)

    columns = [F.col(path).cast("string").alias("_path"), F.col(order).alias("_order")]
    if content is not None:
        columns.insert(0, F.col(content).cast("binary").alias("_content"))
    inputs = df.select(*columns)
    rows = inputs.mapInArrow(verify_batches, mapped_schema)

    # Duplicates: one window per bill key; a row without a key is alone
    # (its file stands in for the key, so keyless rows spread out).
    group = F.coalesce(F.col("bill_key"), F.concat(F.lit("\u0000"), F.col("file")))
    valid_first = F.when(F.col("verdict") == "VALID", 0).otherwise(1)
    w = Window.partitionBy(group).orderBy(
        valid_first, F.col("_order").asc_nulls_last(), F.col("file").asc_nulls_last()
    )
    rows = rows.withColumn("_n", F.row_number().over(w)).withColumn(
        "_first", F.first("file").over(w)
    )
    rows = rows.withColumn(
        "duplicate_of",
        F.when(F.col("bill_key").isNotNull() & (F.col("_n") > 1), F.col("_first")),
    )
    return rows.select(*rows_schema.fieldNames())


def cli_fan_out(
    paths: "DataFrame",
    piaoyan: str,
    args: list[str],
    path: str = "path",
) -> "DataFrame":
    """The CLI recipe for files on a file system every worker sees: each
    partition's paths are fed to ``piaoyan verify --jobs 1 --format jsonl
    -`` (``args``: the trust options and the like) and each output line is
    one record, parsed into ``file, verdict, sub_indication, bill_key,
    record_json``. ``piaoyan`` must be installed on every worker.

    A partition whose run printed fewer records than it had paths fails
    its task (a usage error of the CLI prints none), so no path is lost.
    """
    import json
    import subprocess

    from pyspark.sql import Row

    command = [piaoyan, "verify", "--jobs", "1", "--format", "jsonl", "--quiet", *args, "-"]

    def run(rows: Iterator[Any]) -> Iterator[Row]:
        names = [str(r[0]) for r in rows]
        if not names:
            return
        done = subprocess.run(
            command,
            input="".join(n + "\n" for n in names).encode(),
            capture_output=True,
        )
        lines = done.stdout.decode("utf-8").splitlines()
        if len(lines) != len(names):
            raise RuntimeError(
                f"piaoyan gave {len(lines)} records for {len(names)} paths "
                f"(exit {done.returncode}): {done.stderr.decode(errors='replace')[:2000]}"
            )
        for line in lines:
            record = json.loads(line)
            yield Row(
                file=record.get("file"),
                verdict=record.get("verdict"),
                sub_indication=record.get("subIndication"),
                bill_key=record.get("billKey"),
                record_json=line,
            )

    return paths.select(path).rdd.mapPartitions(run).toDF(
        "file string, verdict string, sub_indication string, bill_key string, record_json string"
    )
