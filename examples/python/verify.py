#!/usr/bin/env python3
"""Verify fiscal electronic bills with the Piaoyan WebAssembly module from
Python, through the `wasmtime` package from PyPI and the C-style ABI of
docs/abi.md. No Rust, no JavaScript: the very module `piaoyan` embeds.

    pip install wasmtime
    piaoyan module --output piaoyan.wasm
    python3 examples/python/verify.py piaoyan.wasm \\
        --trust roots.pem --certs intermediates.pem --crl crls.pem bill.xml...

Prints one JSON line per bill (file, verdict, subIndication, reason, or an
error) and exits 0 when every bill is VALID, 1 when one is not, 2 on a usage
or I/O error. Import it to use `Piaoyan` from your own code.
"""

import argparse
import json
import sys
import time

import wasmtime

ABI_VERSION = 1
# The verifier's input bound (spec section 8): read one byte more, so that a
# longer file is reported as too long instead of being cut silently.
MAX_INPUT_BYTES = 4 * 1024 * 1024


class OptionsError(Exception):
    """The module rejected the options: every bill would fail the same way.

    `code` and `message` as the module gave them; `field` ("trustAnchors",
    "limits.maxDepth", ...) and `index` (the entry of that field) say where,
    None when the error has no such place (docs/abi.md, "Error").
    """

    def __init__(self, error):
        super().__init__(f"{error['code']}: {error['message']}")
        self.code = error["code"]
        self.message = error["message"]
        self.field = error.get("field")
        self.index = error.get("index")


class ModuleError(Exception):
    """The module trapped or broke the ABI on one call."""


_ENGINE = wasmtime.Engine()
_MODULES = {}


def load_module(path):
    """Compiles the module file once per process (compiling is the slow
    part of starting)."""
    if path not in _MODULES:
        _MODULES[path] = wasmtime.Module.from_file(_ENGINE, path)
    return _MODULES[path]


class Piaoyan:
    """One instance of the module, configured once with the trust material
    (`piaoyan_configure`), verifying bill after bill
    (`piaoyan_verify_configured`). After a trap the instance is replaced, as
    docs/abi.md requires."""

    def __init__(self, module_path, options):
        self._engine = _ENGINE
        self._module = load_module(module_path)
        self._options = json.dumps(options).encode("utf-8")
        self._instance = None
        self._start()

    def _start(self):
        store = wasmtime.Store(self._engine)
        linker = wasmtime.Linker(self._engine)
        # The module imports only the functions of its wasm-bindgen glue
        # (for JavaScript hosts), which the C-style ABI never calls: each
        # becomes a function that traps (docs/abi.md, "Imports").
        linker.define_unknown_imports_as_traps(self._module)
        instance = linker.instantiate(store, self._module)
        exports = instance.exports(store)
        self._store = store
        self._memory = exports["memory"]
        self._alloc = exports["piaoyan_alloc"]
        self._free = exports["piaoyan_free"]
        self._verify_configured = exports["piaoyan_verify_configured"]
        self._verify_once = exports["piaoyan_verify"]
        abi = exports["piaoyan_abi_version"](store)
        if abi != ABI_VERSION:
            raise ModuleError(f"the module speaks ABI {abi}, this host ABI {ABI_VERSION}")
        ptr, length = self._put(self._options)
        try:
            envelope = self._take(exports["piaoyan_configure"](store, ptr, length))
        finally:
            self._free(store, ptr, length)
        if "error" in envelope:
            raise OptionsError(envelope["error"])
        self._instance = instance

    def version(self):
        """The verifier version inside the module (static: not freed)."""
        exports = self._instance.exports(self._store)
        packed = exports["piaoyan_version"](self._store)
        ptr, length = packed >> 32, packed & 0xFFFFFFFF
        return bytes(self._memory.read(self._store, ptr, ptr + length)).decode("utf-8")

    def _put(self, data):
        """Copies bytes into a buffer of the module's; returns (ptr, len)."""
        ptr = self._alloc(self._store, len(data))
        if ptr == 0:
            raise ModuleError("OUT_OF_MEMORY: piaoyan_alloc returned 0")
        self._memory.write(self._store, data, ptr)
        return ptr, len(data)

    def _take(self, packed):
        """Reads and frees a result buffer; returns the parsed envelope."""
        if packed == 0:
            raise ModuleError("OUT_OF_MEMORY: the module could not allocate its result")
        ptr, length = packed >> 32, packed & 0xFFFFFFFF
        # Memory may have grown during the call: read through the export now.
        data = bytes(self._memory.read(self._store, ptr, ptr + length))
        self._free(self._store, ptr, length)
        envelope = json.loads(data.decode("utf-8"))
        if not isinstance(envelope, dict) or len(envelope) != 1:
            raise ModuleError("MODULE: the result is not a one-key envelope")
        return envelope

    def verify(self, bill):
        """The envelope for one bill: {"report": {...}} or {"error": {...}}."""
        try:
            ptr, length = self._put(bill)
            try:
                return self._take(self._verify_configured(self._store, ptr, length))
            finally:
                self._free(self._store, ptr, length)
        except (wasmtime.Trap, wasmtime.WasmtimeError) as trap:
            # Never call a trapped instance again: make a fresh one.
            self._start()
            raise ModuleError(f"TRAP: {trap}") from trap

    def verify_once(self, bill):
        """The same through `piaoyan_verify`, the options passed with the bill
        (slower: the trust material is parsed on every call)."""
        try:
            bp, bl = self._put(bill)
            op, ol = self._put(self._options)
            try:
                return self._take(self._verify_once(self._store, bp, bl, op, ol))
            finally:
                self._free(self._store, bp, bl)
                self._free(self._store, op, ol)
        except (wasmtime.Trap, wasmtime.WasmtimeError) as trap:
            self._start()
            raise ModuleError(f"TRAP: {trap}") from trap


def pem_strings(paths):
    """Each PEM file as one string (the module splits it into blocks)."""
    out = []
    for path in paths:
        with open(path, encoding="utf-8") as f:
            out.append(f.read())
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("module", help="the module file (piaoyan module --output FILE)")
    parser.add_argument("bills", nargs="+", metavar="BILL")
    parser.add_argument("--trust", action="append", default=[], metavar="PEM")
    parser.add_argument("--certs", action="append", default=[], metavar="PEM")
    parser.add_argument("--crl", action="append", default=[], metavar="PEM")
    parser.add_argument("--now", type=int, default=None, metavar="UNIX_SECONDS",
                        help="verify as of this time (default: the system clock)")
    args = parser.parse_args(argv)

    try:
        options = {
            "trustAnchors": pem_strings(args.trust),
            "certificates": pem_strings(args.certs),
            "crls": pem_strings(args.crl),
            "now": args.now if args.now is not None else int(time.time()),
            "limits": {"maxInputBytes": MAX_INPUT_BYTES},
        }
        verifier = Piaoyan(args.module, options)
    except (OSError, OptionsError, ModuleError, wasmtime.WasmtimeError) as e:
        print(f"verify.py: {e}", file=sys.stderr)
        return 2

    status = 0
    for path in args.bills:
        record = {"file": path}
        try:
            with open(path, "rb") as f:
                bill = f.read(MAX_INPUT_BYTES + 1)
            envelope = verifier.verify(bill)
        except OSError as e:
            record.update(verdict="INDETERMINATE", subIndication=None,
                          error={"code": "IO", "message": str(e)})
            status = 2
        except ModuleError as e:
            record.update(verdict="INDETERMINATE", subIndication=None,
                          error={"code": str(e).split(":")[0], "message": str(e)})
            status = max(status, 1)
        else:
            if "report" in envelope:
                report = envelope["report"]
                record.update(verdict=report["verdict"],
                              subIndication=report["subIndication"],
                              billKey=report.get("billKey"),
                              reason=report["reason"]["en"])
                if report["verdict"] != "VALID":
                    status = max(status, 1)
            else:
                record.update(verdict="INDETERMINATE", subIndication=None,
                              error=envelope["error"])
                status = max(status, 1)
        print(json.dumps(record, ensure_ascii=False))
    return status


if __name__ == "__main__":
    sys.exit(main())
