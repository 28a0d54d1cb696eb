"""examples/ray end to end on a local Ray of 2 CPUs: every file of a corpus
made by examples/corpus.py gets exactly one row, with the verdict
`piaoyan verify` gives the same file, and the job does not stall.

    PIAOYAN_BIN=target/debug/piaoyan python -m pytest examples/ray
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import corpus  # noqa: E402
import expected  # noqa: E402

import piaoyan  # noqa: E402

NOW = 1767225600
VECTORS = Path(os.environ.get("PIAOYAN_VECTORS", HERE / "../../../shared/vectors/bills")).resolve()
# A stalled job fails the test instead of hanging CI.
STALL_SECONDS = 600


@pytest.fixture(scope="module")
def ray_local(tmp_path_factory):
    import ray

    os.environ["PIAOYAN_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False,
             runtime_env={"env_vars": {"PIAOYAN_CACHE_DIR": os.environ["PIAOYAN_CACHE_DIR"]}})
    ray.data.DataContext.get_current().enable_progress_bars = False
    yield ray
    ray.shutdown()


@pytest.fixture(scope="module")
def bills_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("corpus") / "c"
    corpus.make(out, VECTORS)
    return out


def stalled(*_):
    raise TimeoutError(f"the Ray job ran more than {STALL_SECONDS} s: stalled")


def test_every_file_gets_one_row_with_the_cli_verdict(ray_local, bills_dir):
    from piaoyan import ray as pyr

    cli = os.environ.get("PIAOYAN_BIN")
    assert cli, "set PIAOYAN_BIN to the piaoyan binary built from this checkout"
    cli_records = expected.cli_records(cli, bills_dir, NOW)
    ds = ray_local.data.read_binary_files(
        [str(bills_dir / d) for d in expected.SUBDIRS], include_paths=True
    )
    old = signal.signal(signal.SIGALRM, stalled)
    signal.alarm(STALL_SECONDS)
    try:
        rows = pyr.verify(ds, now=NOW, batch_size=64, **expected.trust_kwargs(bills_dir))
        got = [dict(r) for r in rows.iter_rows()]
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
    assert [k for k in got[0]] == piaoyan.COLUMNS[:-1]
    assert expected.check_rows(got, cli_records) == len(cli_records)
    assert {r["verdict"] for r in got} == {"VALID", "INVALID", "INDETERMINATE"}
    assert any(r["duplicate_of"] for r in got)
    assert all(r["module_sha256"] == piaoyan.module_sha256() for r in got)


def test_verify_is_a_callable_class_for_map_batches(ray_local, bills_dir):
    from piaoyan import ray as pyr

    options = piaoyan.Verifier(now=NOW, **expected.trust_kwargs(bills_dir)).options_json
    ds = ray_local.data.read_binary_files(str(bills_dir / "junk"), include_paths=True)
    out = ds.map_batches(pyr.Verify, fn_constructor_kwargs={"options_json": options},
                         batch_format="pyarrow", num_cpus=0.5,
                         compute=ray_local.data.ActorPoolStrategy(size=1)).take_all()
    assert len(out) == 1
    assert out[0]["verdict"] == "INVALID" and out[0]["file"].endswith("not-a-bill.bin")
