#!/usr/bin/env python3
"""Checks examples/python/verify.py against the shared vectors.

    python3 examples/python/test_verify.py MODULE.wasm [VECTORS_DIR]

VECTORS_DIR defaults to ../shared/vectors/bills beside the repository. Every
vector bill must get its manifest verdict and sub-indication through the
configured instance; the one-shot call must give the same reports; a trap
must replace the instance. Prints "N passed, M failed"; exits 1 on failure.
"""

import io
import json
import os
import sys
import tempfile
from contextlib import redirect_stdout

sys.dont_write_bytecode = True  # no __pycache__ in the checkout
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import verify  # noqa: E402  (the example itself)
import wasmtime  # noqa: E402

passed = failed = 0


def check(name, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print(f"FAIL {name}: {detail}")


def options(trust_dir):
    return {
        "trustAnchors": verify.pem_strings([os.path.join(trust_dir, "roots.pem")]),
        "certificates": verify.pem_strings([os.path.join(trust_dir, "intermediates.pem")]),
        "crls": verify.pem_strings([os.path.join(trust_dir, "crls.pem")]),
        "now": 1767225600,
    }


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    module = sys.argv[1]
    vectors = sys.argv[2] if len(sys.argv) > 2 else os.path.join(
        here, "..", "..", "..", "shared", "vectors", "bills")
    with open(os.path.join(vectors, "manifest.json"), encoding="utf-8") as f:
        manifest = json.load(f)
    trust = os.path.join(vectors, "trust")
    piaoyan = verify.Piaoyan(module, options(trust))
    check("version", piaoyan.version().count(".") == 2, piaoyan.version())

    # Every vector through the configured instance.
    for n, entry in enumerate(manifest):
        with open(os.path.join(vectors, entry["file"]), "rb") as f:
            bill = f.read()
        envelope = piaoyan.verify(bill)
        if "report" not in envelope:
            check(entry["file"], False, f"no report: {envelope}")
            continue
        report = envelope["report"]
        want = (entry["expect"]["verdict"], entry["expect"]["subIndication"])
        got = (report["verdict"], report["subIndication"])
        check(entry["file"], got == want, f"got {got}, want {want}")
        if n < 8:
            once = piaoyan.verify_once(bill)
            check(entry["file"] + " one-shot", once == envelope, "reports differ")

    # Bad options are refused before any bill.
    try:
        verify.Piaoyan(module, {"trustAnchors": ["not base64!"]})
        check("bad options", False, "accepted")
    except verify.OptionsError as e:
        check("bad options", "OPTIONS_PEM" in str(e), str(e))
        check("bad options say where", (e.field, e.index) == ("trustAnchors", 0), str(e))

    # The command line: exit 0 for VALID bills, 1 when one is not.
    valid = [e["file"] for e in manifest if e["expect"]["verdict"] == "VALID"][:3]
    invalid = [e["file"] for e in manifest if e["expect"]["verdict"] == "INVALID"][:1]
    trust_args = ["--trust", os.path.join(trust, "roots.pem"),
                  "--certs", os.path.join(trust, "intermediates.pem"),
                  "--crl", os.path.join(trust, "crls.pem")]
    for bills, want in ((valid, 0), (valid + invalid, 1)):
        out = io.StringIO()
        with redirect_stdout(out):
            status = verify.main([module] + trust_args
                                 + [os.path.join(vectors, b) for b in bills])
        lines = [json.loads(line) for line in out.getvalue().splitlines()]
        check(f"cli exit {want}", status == want and len(lines) == len(bills),
              f"status {status}, {len(lines)} lines")

    # A trap costs the instance, not the run.
    fake = wasmtime.wat2wasm("""(module
      (memory (export "memory") 1)
      (data (i32.const 16) "{\\"ok\\":{}}")
      (data (i32.const 64) "{\\"report\\":{\\"verdict\\":\\"VALID\\"}}")
      (func (export "piaoyan_abi_version") (result i32) i32.const 1)
      (func (export "piaoyan_version") (result i64) i64.const 0)
      (func (export "piaoyan_alloc") (param i32) (result i32) i32.const 1024)
      (func (export "piaoyan_free") (param i32 i32))
      (func (export "piaoyan_configure") (param i32 i32) (result i64)
        i64.const 0x0000001000000009)
      (func (export "piaoyan_verify") (param i32 i32 i32 i32) (result i64) unreachable)
      (func (export "piaoyan_verify_configured") (param i32 i32) (result i64)
        (if (i32.eq (i32.load8_u (i32.const 1024)) (i32.const 84)) (then unreachable))
        i64.const 0x000000400000001e))""")
    with tempfile.NamedTemporaryFile(suffix=".wasm", delete=False) as f:
        f.write(fake)
    try:
        p = verify.Piaoyan(f.name, {})
        try:
            p.verify(b"TRAP")
            check("trap", False, "no error")
        except verify.ModuleError as e:
            check("trap", str(e).startswith("TRAP"), str(e))
        check("after a trap", p.verify(b"fine") == {"report": {"verdict": "VALID"}})
    finally:
        os.unlink(f.name)

    print(f"python: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
