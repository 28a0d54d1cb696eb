#!/usr/bin/env python3
"""The measurements of scripts/bench-scale (run it, not this): bills per
second on one corpus for `piaoyan verify --jobs 2` (and 1), the package in
one process, Spark local[2] and Ray, then their start-up; one Markdown table
on standard output, progress on standard error.

    bench_scale.py PIAOYAN_BIN CORPUS_DIR COUNT

CORPUS_DIR is a corpus of `gen_corpus` (bills/NNN/*.xml, trust/*.pem), all
VALID; every run must give COUNT rows, all VALID, or the bench fails.
"""

from __future__ import annotations

import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import piaoyan

NOW = None  # the bills are fresh: the clock of the run


def log(*args: object) -> None:
    print("==>", *args, file=sys.stderr, flush=True)


def trust(corpus: Path) -> dict[str, str]:
    t = corpus / "trust"
    return {"trust": str(t / "roots.pem"), "certs": str(t / "intermediates.pem"),
            "crls": str(t / "crls.pem")}


def children_cpu() -> float:
    """CPU seconds (user + system) of the waited-for child processes so far."""
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def cli_rate(cli: str, corpus: Path, count: int, jobs: int, cache: str) -> tuple[float, float]:
    """(bills per second, bills per CPU-second) of one CLI run."""
    t = trust(corpus)
    args = [cli, "verify", "--no-config", "--quiet", "--format", "csv", "--jobs", str(jobs),
            "--trust", t["trust"], "--certs", t["certs"], "--crl", t["crls"], str(corpus / "bills")]
    start, cpu = time.perf_counter(), children_cpu()
    done = subprocess.run(args, capture_output=True, env={**os.environ, "PIAOYAN_CACHE_DIR": cache})
    wall, cpu = time.perf_counter() - start, children_cpu() - cpu
    lines = done.stdout.decode().splitlines()[1:]
    valid = sum(1 for line in lines if line.split(",")[1] == "VALID")
    assert done.returncode == 0 and valid == count, (done.returncode, len(lines), valid)
    return count / wall, count / cpu


def package_rate(files: list[Path], jobs: int) -> tuple[float, float]:
    """One process: read each file and verify it (as the CLI does); with
    `jobs` > 1, `records` over all the bills with that many threads.
    (bills per second, bills per CPU-second of this process)."""
    corpus = files[0].parents[2]
    v = piaoyan.Verifier(**trust(corpus))
    start, cpu = time.perf_counter(), time.process_time()
    if jobs == 1:
        verdicts = [v.record(f.read_bytes(), file=str(f))["verdict"] for f in files]
    else:
        bills = [f.read_bytes() for f in files]
        verdicts = v.records(bills, [str(f) for f in files], jobs=jobs)["verdict"]
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    assert verdicts.count("VALID") == len(files)
    return len(files) / wall, len(files) / cpu


def spark_rates(corpus: Path, count: int) -> tuple[float, float, float, float, float]:
    """(start-up s, first run bills/s, warm run bills/s, warm run bills/s
    over a cached table of the bills, warm run bills/s of verify_files) on
    local[2]."""
    from pyspark.sql import SparkSession
    from pyspark.sql import functions as F

    from piaoyan import spark as pys

    os.environ["PYSPARK_PYTHON"] = sys.executable
    start = time.perf_counter()
    spark = (SparkSession.builder.master("local[2]").appName("bench-scale")
             .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "4")
             .config("spark.driver.memory", "2g").getOrCreate())
    spark.range(1).count()
    startup = time.perf_counter() - start
    rates = []
    for _ in range(3):
        start = time.perf_counter()
        bills = pys.read_bills(spark, str(corpus / "bills"))
        rows = pys.verify(bills, **trust(corpus))
        rows.write.format("noop").mode("overwrite").save()
        wall = time.perf_counter() - start
        rates.append(count / wall)
    # The workers read the files (paths through Spark): best of two.
    by_path = []
    for _ in range(2):
        start = time.perf_counter()
        pys.verify_files(spark, str(corpus / "bills"), **trust(corpus)).write.format(
            "noop").mode("overwrite").save()
        by_path.append(count / (time.perf_counter() - start))
    # The bills already in a table (the case of a table of bytes): no file
    # is read while verifying.
    table = pys.read_bills(spark, str(corpus / "bills")).cache()
    assert table.count() == count
    in_table = []
    for _ in range(2):
        start = time.perf_counter()
        pys.verify(table, **trust(corpus)).write.format("noop").mode("overwrite").save()
        in_table.append(count / (time.perf_counter() - start))
    valid = pys.verify(table, **trust(corpus)).where(F.col("verdict") == "VALID").count()
    assert valid == count, valid
    table.unpersist()
    spark.stop()
    return startup, rates[0], max(rates[1:]), max(in_table), max(by_path)


def ray_rates(corpus: Path, count: int) -> tuple[float, float, float]:
    """(start-up s, first run bills/s, warm run bills/s) on a local Ray of 2 CPUs."""
    import ray

    from piaoyan import ray as pyr

    start = time.perf_counter()
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    ray.data.DataContext.get_current().enable_progress_bars = False
    startup = time.perf_counter() - start
    rates = []
    for _ in range(3):
        start = time.perf_counter()
        ds = ray.data.read_binary_files(str(corpus / "bills"), include_paths=True)
        valid = 0
        for batch in pyr.verify(ds, **trust(corpus)).iter_batches(batch_format="pyarrow"):
            valid += batch.column("verdict").to_pylist().count("VALID")
        wall = time.perf_counter() - start
        assert valid == count, valid
        rates.append(count / wall)
    ray.shutdown()
    return startup, rates[0], max(rates[1:])


def python_startup(corpus: Path, cache: str, one: Path) -> float:
    """A fresh Python process to the first row, the compiled module cached."""
    code = ("import piaoyan,sys; v=piaoyan.Verifier(trust=sys.argv[1],certs=sys.argv[2],crls=sys.argv[3]);"
            "assert v.record(open(sys.argv[4],'rb').read())['verdict']=='VALID'")
    t = trust(corpus)
    runs = []
    for _ in range(5):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code, t["trust"], t["certs"], t["crls"], str(one)],
                       check=True, env={**os.environ, "PIAOYAN_CACHE_DIR": cache})
        runs.append(time.perf_counter() - start)
    return sorted(runs)[len(runs) // 2]


def main() -> None:
    cli, corpus, count = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3])
    files = sorted((corpus / "bills").rglob("*.xml"))
    assert len(files) == count, (len(files), count)
    cache = tempfile.mkdtemp(prefix="bench-scale-cache-")
    os.environ["PIAOYAN_CACHE_DIR"] = cache
    log("warm the compiled-module cache")
    cli_rate(cli, corpus, count, 2, cache)
    log("piaoyan verify --jobs 2, --jobs 1")
    cli2 = max(cli_rate(cli, corpus, count, 2, cache)[0] for _ in range(2))
    # Per core: the CLI --jobs 1 and the package in one thread, interleaved,
    # best of two each; on a busy machine the bills per CPU-second compare
    # them where wall time cannot.
    runs1 = []
    for _ in range(2):
        log("piaoyan verify --jobs 1; the package in one thread")
        runs1.append((cli_rate(cli, corpus, count, 1, cache), package_rate(files, 1)))
    cli1, cli1_cpu = max(r[0][0] for r in runs1), max(r[0][1] for r in runs1)
    pkg1, pkg1_cpu = max(r[1][0] for r in runs1), max(r[1][1] for r in runs1)
    log("the package, records(jobs=2)")
    pkg2 = package_rate(files, 2)[0]
    log("Spark local[2]")
    spark_start, spark_first, spark_warm, spark_table, spark_files = spark_rates(corpus, count)
    log("Ray, 2 CPUs")
    ray_start, ray_first, ray_warm = ray_rates(corpus, count)
    log("start-up")
    py_start = python_startup(corpus, cache, files[0])

    load = os.getloadavg()
    print(f"\nbench-scale: {count} bills, {os.cpu_count()} cores ({platform.machine()}), "
          f"load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}; the same module throughout "
          f"(sha256 {piaoyan.module_sha256()[:12]}…)\n")
    print("| run | bills/s | × CLI --jobs 2 | goal |")
    print("|---|---|---|---|")
    rows = [
        ("`piaoyan verify --jobs 2`", cli2, ""),
        ("`piaoyan verify --jobs 1`", cli1, f"{cli1_cpu:,.0f} bills per CPU-second"),
        ("package, one process, one thread", pkg1,
         f"≥ 0.95× the CLI per core: {pkg1_cpu:,.0f} bills per CPU-second, "
         f"{pkg1_cpu / cli1_cpu:.2f}× `--jobs 1` (wall time: {pkg1 / cli1:.2f}×)"),
        ("package, one process, `records(jobs=2)`", pkg2, ""),
        ("Spark `local[2]`, warm, `verify_files` (the workers read the files)", spark_files,
         f"≥ 0.85× `--jobs 2`: {spark_files / cli2:.2f}×"),
        ("Spark `local[2]`, warm, `read_bills` + `verify` (the JVM reads the files)", spark_warm,
         f"{spark_warm / cli2:.2f}×"),
        ("Spark `local[2]`, first job", spark_first, ""),
        ("Spark `local[2]`, warm, the bills in a cached table", spark_table,
         "(reads no file; marks duplicates)"),
        ("Ray Data, 2 CPUs, warm", ray_warm, ""),
        ("Ray Data, 2 CPUs, first run", ray_first, ""),
    ]
    for name, rate, goal in rows:
        print(f"| {name} | {rate:,.0f} | {rate / cli2:.2f} | {goal} |")
    print("\n| start-up | seconds |")
    print("|---|---|")
    print(f"| Python process to its first row (module cached) | {py_start:.2f} |")
    print(f"| Spark `local[2]` session (JVM) | {spark_start:.2f} |")
    print(f"| Ray local, `ray.init` | {ray_start:.2f} |")


if __name__ == "__main__":
    main()
