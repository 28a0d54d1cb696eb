"""The `piaoyan` package against the CLI and the shared vectors."""

from __future__ import annotations

import json
import pickle
import sys
import subprocess
import threading
from pathlib import Path

import pytest

import piaoyan
from conftest import NOW, cli_records


@pytest.fixture(scope="module")
def verifier(trust):
    return piaoyan.Verifier(now=NOW, **trust)


def test_runs_the_module_the_cli_names(cli):
    version = subprocess.run([cli, "--version"], capture_output=True, check=True, text=True).stdout
    assert f"module sha256 {piaoyan.module_sha256()}" in version
    module = subprocess.run([cli, "module", "--output", "-"], capture_output=True, check=True).stdout
    assert module == piaoyan.module_bytes()


def test_every_vector_gets_its_verdict(verifier, vectors, manifest):
    for entry in manifest:
        bill = (vectors / entry["file"]).read_bytes()
        report = verifier.verify(bill)
        want = (entry["expect"]["verdict"], entry["expect"]["subIndication"])
        assert (report["verdict"], report["subIndication"]) == want, entry["file"]
        row = verifier.record(bill, file=entry["file"])
        assert (row["verdict"], row["sub_indication"]) == want, entry["file"]
        assert row["file"] == entry["file"]
        assert row["bill_key"] == report.get("billKey")


def test_rows_are_the_cli_records(cli, verifier, vectors, manifest, tmp_path):
    empty = tmp_path / "empty.xml"
    empty.write_bytes(b"")
    junk = tmp_path / "junk.bin"
    junk.write_bytes(b"\x00PK not a bill")
    files = [vectors / e["file"] for e in manifest] + [empty, junk]
    records = cli_records(cli, {"trust": vectors / "trust/roots.pem",
                                "certs": vectors / "trust/intermediates.pem",
                                "crls": vectors / "trust/crls.pem"}, files)
    columns = verifier.records([f.read_bytes() for f in files], [str(f) for f in files],
                               report_json=True, jobs=2)
    assert list(columns) == piaoyan.COLUMNS
    for n, f in enumerate(files):
        want = records[str(f)]
        want.pop("duplicateOf", None)
        assert json.loads(columns["report_json"][n]) == want, f
        assert columns["verdict"][n] == want["verdict"]
        assert columns["bill_key"][n] == want.get("billKey")
        amount = (((want.get("bill") or {}).get("main") or {}).get("totalAmount") or {}).get("fen")
        assert columns["amount_fen"][n] == amount
        assert columns["warnings"][n] == [w["code"] for w in want.get("warnings", [])]
        assert columns["reason_en"][n] == want["reason"]["en"]
        assert columns["reason_zh"][n] == want["reason"]["zh"]
        assert columns["module_sha256"][n] == piaoyan.module_sha256()
        assert columns["options_sha256"][n] == verifier.options_sha256
        assert columns["duplicate_of"][n] is None


def test_records_files_reads_as_the_cli_does(cli, verifier, vectors, manifest, tmp_path):
    empty = tmp_path / "empty.xml"
    empty.write_bytes(b"")
    files = [vectors / e["file"] for e in manifest] + [empty]
    records = cli_records(cli, {"trust": vectors / "trust/roots.pem",
                                "certs": vectors / "trust/intermediates.pem",
                                "crls": vectors / "trust/crls.pem"}, files)
    gone, folder = tmp_path / "gone.xml", tmp_path / "sub"
    folder.mkdir()
    paths = [str(f) for f in files] + [str(gone), str(folder)]
    read = verifier.records_files(paths, report_json=True, jobs=2)
    given = verifier.records([f.read_bytes() for f in files], [str(f) for f in files],
                             report_json=True)
    assert list(read) == piaoyan.COLUMNS
    assert read["file"] == paths
    for n, f in enumerate(files):
        want = records[str(f)]
        want.pop("duplicateOf", None)
        assert json.loads(read["report_json"][n]) == want, f
        assert all(read[c][n] == given[c][n] for c in piaoyan.COLUMNS), f
    # A file that cannot be read is a row too: INDETERMINATE, IO, named.
    for n in (len(files), len(files) + 1):
        assert (read["verdict"][n], read["error_code"][n]) == ("INDETERMINATE", "IO")
    message = [json.loads(read["report_json"][n])["error"]["message"]
               for n in (len(files), len(files) + 1)]
    assert "gone.xml" in message[0] and "No such file" in message[0], message
    assert "is a directory" in message[1], message


def test_a_row_names_the_bill(verifier, vectors, manifest):
    valid = next(e for e in manifest if e["expect"]["verdict"] == "VALID")
    row = verifier.record((vectors / valid["file"]).read_bytes())
    assert row["file"] is None
    assert isinstance(row["amount_fen"], int)
    assert row["issue_date"] and len(row["issue_date"]) >= 8
    assert row["invoicing_party_code"]
    assert row["format"] == "xml"
    assert row["demo_trust"] is False
    assert "report_json" not in row


def test_null_content_is_an_io_row(verifier):
    columns = verifier.records([None, b""], ["gone.xml", "empty.xml"])
    assert columns["verdict"] == ["INDETERMINATE", columns["verdict"][1]]
    assert columns["error_code"][0] == "IO"
    assert columns["file"] == ["gone.xml", "empty.xml"]
    with pytest.raises(ValueError):
        verifier.records([b"a", b"b"], ["one"])


def test_refused_options_raise_with_the_module_code(tmp_path):
    with pytest.raises(piaoyan.OptionsError) as e:
        piaoyan.Verifier(trust=b"-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n")
    assert e.value.code.startswith("OPTIONS_"), e.value
    with pytest.raises(piaoyan.OptionsError) as e:
        piaoyan.Verifier(trust=tmp_path / "missing.pem")
    assert e.value.code == "OPTIONS_FILE" and "missing.pem" in e.value.message
    again = pickle.loads(pickle.dumps(e.value))
    assert (type(again), again.code, again.message) == (type(e.value), e.value.code, e.value.message)
    with pytest.raises(ValueError):
        piaoyan.Verifier(max_memory_mib=0)
    with pytest.raises(ValueError):
        piaoyan.Verifier(timeout_s=-1)


def test_a_bill_without_report_raises_or_gives_an_error_row():
    # 2 MiB of memory start the module but cannot hold a 1.5 MiB input:
    # the call hits the cap; verify() raises, record() gives an error row,
    # and the verifier goes on with a fresh instance.
    small = piaoyan.Verifier(now=NOW, max_memory_mib=2)
    big = b"<x>" + b"a" * (1536 << 10) + b"</x>"
    with pytest.raises(piaoyan.VerifyError) as e:
        small.verify(big)
    assert e.value.code in ("MEMORY_LIMIT", "OUT_OF_MEMORY"), e.value
    row = small.record(big, file="big.xml")
    assert (row["verdict"], row["error_code"]) == ("INDETERMINATE", e.value.code)
    assert small.verify(b"<x/>")["verdict"] == "INVALID"


def test_from_options_is_the_same_verifier(verifier, vectors, manifest):
    shipped = piaoyan.Verifier.from_options(verifier.options_json)
    assert shipped.options_sha256 == verifier.options_sha256
    assert shipped.now == verifier.now == NOW
    bill = (vectors / manifest[0]["file"]).read_bytes()
    assert shipped.record(bill) == verifier.record(bill)
    with pytest.raises(piaoyan.OptionsError):
        piaoyan.Verifier.from_options("[]")


def test_pem_bytes_equal_paths(verifier, trust):
    from_bytes = piaoyan.Verifier(now=NOW, **{k: Path(v).read_bytes() for k, v in trust.items()})
    assert from_bytes.options_sha256 == verifier.options_sha256
    as_lists = piaoyan.Verifier(now=NOW, **{k: [str(v)] for k, v in trust.items()})
    assert as_lists.options_sha256 == verifier.options_sha256


def test_threads_share_a_verifier(verifier, vectors, manifest):
    bills = [(vectors / e["file"]).read_bytes() for e in manifest]
    want = [verifier.record(b)["verdict"] for b in bills]
    got: dict[int, list[str]] = {}

    def run(n: int) -> None:
        got[n] = [verifier.record(b)["verdict"] for b in bills]

    threads = [threading.Thread(target=run, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(got[n] == want for n in range(4))


def test_the_module_is_compiled_once_per_process(trust):
    before = piaoyan.stats()
    for _ in range(3):
        piaoyan.Verifier(now=NOW, timeout_s=61, **trust)
    after = piaoyan.stats()
    assert after["runners"] == before["runners"] + 1
    assert after["loaded"] + after["compiled"] == after["runners"]


def test_the_python_example(trust, vectors, manifest):
    example = Path(__file__).resolve().parents[2] / "examples/python/verify.py"
    args = [sys.executable, str(example), "--now", str(NOW), "--trust", str(trust["trust"]),
            "--certs", str(trust["certs"]), "--crl", str(trust["crls"])]
    valid = [str(vectors / e["file"]) for e in manifest if e["expect"]["verdict"] == "VALID"][:3]
    invalid = [str(vectors / e["file"]) for e in manifest if e["expect"]["verdict"] == "INVALID"][:1]
    for bills, status in ((valid, 0), (valid + invalid, 1)):
        done = subprocess.run(args + bills, capture_output=True, text=True)
        assert done.returncode == status, done.stderr
        rows = [json.loads(line) for line in done.stdout.splitlines()]
        assert [r["file"] for r in rows] == bills
    done = subprocess.run(args[:2] + ["--trust", "/nonexistent.pem", valid[0]], capture_output=True, text=True)
    assert done.returncode == 2 and "OPTIONS_FILE" in done.stderr
