"""Verify a Ray Dataset of bills: the rows of ``piaoyan.spark``, on Ray Data.

    import ray, piaoyan.ray as pyr
    ds = ray.data.read_binary_files("/bills", include_paths=True)  # bytes, path
    rows = pyr.verify(ds, trust="roots.pem", certs="intermediates.pem", crls="crls.pem")

:class:`Verify` is the callable class for ``map_batches``: each actor
compiles the module once (or loads it from the node's cache) and verifies
batch after batch. :func:`verify` runs it with resources that leave the
readers room (see :func:`verify`), then marks duplicates as the Spark job
does.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, Optional

from . import Verifier

if TYPE_CHECKING:
    from ._piaoyan import TrustSource
    import pyarrow
    from ray.data import Dataset

_FIELDS = [
    ("file", "string"),
    ("verdict", "string"),
    ("sub_indication", "string"),
    ("bill_key", "string"),
    ("amount_fen", "int64"),
    ("issue_date", "string"),
    ("invoicing_party_code", "string"),
    ("warnings", "list<string>"),
    ("error_code", "string"),
    ("reason_zh", "string"),
    ("reason_en", "string"),
    ("format", "string"),
    ("demo_trust", "bool"),
    ("duplicate_of", "string"),
    ("module_sha256", "string"),
    ("options_sha256", "string"),
]


def arrow_schema(report_json: bool = False) -> "pyarrow.Schema":
    """The rows' schema (the Spark job's, as Arrow types)."""
    import pyarrow as pa

    types = {
        "string": pa.string(),
        "int64": pa.int64(),
        "bool": pa.bool_(),
        "list<string>": pa.list_(pa.string()),
    }
    fields = [pa.field(name, types[t]) for name, t in _FIELDS]
    if report_json:
        fields.append(pa.field("report_json", pa.string()))
    return pa.schema(fields)


class Verify:
    """``ds.map_batches(Verify, fn_constructor_kwargs=..., batch_format="pyarrow")``.

    ``options_json``: a driver's ``Verifier(...).options_json`` (the trust
    material and ``now``, fixed once); ``content``/``path``/``order``: the
    input columns (``read_binary_files``: ``bytes`` and ``path``). The
    output has the rows' columns plus ``_order`` and ``_group`` for
    :func:`mark_duplicates` (which drops them).
    """

    def __init__(
        self,
        options_json: str,
        content: str = "bytes",
        path: str = "path",
        order: Optional[str] = None,
        timeout_s: Optional[float] = 60.0,
        max_memory_mib: int = 512,
        report_json: bool = False,
        cache_dir: Optional[str] = None,
    ) -> None:
        self.verifier = Verifier.from_options(
            options_json, timeout_s=timeout_s, max_memory_mib=max_memory_mib, cache_dir=cache_dir
        )
        self.content, self.path, self.order = content, path, order or path
        self.report_json = report_json
        self.schema = arrow_schema(report_json)

    def __call__(self, batch: "pyarrow.Table") -> "pyarrow.Table":
        import pyarrow as pa

        bills = batch.column(self.content).to_pylist()
        files = [None if f is None else str(f) for f in batch.column(self.path).to_pylist()]
        columns = self.verifier.records(bills, files, report_json=self.report_json)
        arrays = [pa.array(columns[f.name], type=f.type) for f in self.schema]
        table = pa.Table.from_arrays(arrays, schema=self.schema)
        keys = table.column("bill_key").to_pylist()
        group = [k if k is not None else "\u0000" + (f or "") for k, f in zip(keys, files)]
        table = table.append_column("_order", batch.column(self.order))
        return table.append_column("_group", pa.array(group, type=pa.string()))


def _mark_group(group: "pyarrow.Table") -> "pyarrow.Table":
    """One bill key's rows: ``duplicate_of`` on all but the original (the
    first VALID row by ``_order`` then ``file``, else the first row)."""
    import pyarrow as pa

    if group.num_rows == 1:
        # Most bills have one row: it is its own original.
        return group.drop_columns(["_order", "_group"])
    verdicts = group.column("verdict").to_pylist()
    orders = group.column("_order").to_pylist()
    files = group.column("file").to_pylist()
    keys = group.column("bill_key").to_pylist()

    def rank(i: int) -> tuple[Any, ...]:
        return (
            verdicts[i] != "VALID",
            orders[i] is None,
            orders[i] if orders[i] is not None else 0,
            files[i] is None,
            files[i] or "",
        )

    first = min(range(group.num_rows), key=rank) if group.num_rows else 0
    dup = [
        None if keys[i] is None or i == first else files[first] for i in range(group.num_rows)
    ]
    at = group.schema.get_field_index("duplicate_of")
    group = group.set_column(at, "duplicate_of", pa.array(dup, type=pa.string()))
    return group.drop_columns(["_order", "_group"])


def mark_duplicates(rows: "Dataset") -> "Dataset":
    """``duplicate_of`` across the whole dataset (a group-by on the bill
    key), as the Spark job marks it."""
    return rows.groupby("_group").map_groups(_mark_group, batch_format="pyarrow")


def verify(
    ds: "Dataset",
    content: str = "bytes",
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
    actors: Optional[int] = None,
    batch_size: int = 256,
) -> "Dataset":
    """One row per row of ``ds``, the columns of ``piaoyan.spark.SCHEMA``.

    Resources: ``actors`` verifying actors (default: the cluster's CPUs),
    each asking Ray for half a CPU. A verifying actor keeps a core busy, but
    had each asked for a whole CPU, on a 2-CPU node the two of them would
    hold every CPU and the read tasks that feed them (one CPU each) would
    never be scheduled: the job hangs. At half a CPU each, the readers
    always find room, and the operating system shares the cores.
    """
    import ray

    driver = Verifier(
        trust=trust,
        certs=certs,
        crls=crls,
        now=now,
        timeout_s=timeout_s,
        max_memory_mib=max_memory_mib,
        cache_dir=cache_dir,
    )
    if actors is None:
        if not ray.is_initialized():
            ray.init()
        cpus = ray.cluster_resources().get("CPU", os.cpu_count() or 1)
        actors = max(1, int(cpus))
    rows = ds.map_batches(
        Verify,
        fn_constructor_kwargs={
            "options_json": driver.options_json,
            "content": content,
            "path": path,
            "order": order,
            "timeout_s": timeout_s,
            "max_memory_mib": max_memory_mib,
            "report_json": report_json,
            "cache_dir": cache_dir,
        },
        batch_format="pyarrow",
        batch_size=batch_size,
        # A fixed pool (`concurrency=` is deprecated since Ray 2.51).
        compute=ray.data.ActorPoolStrategy(size=actors),
        num_cpus=0.5,
    )
    return mark_duplicates(rows)
