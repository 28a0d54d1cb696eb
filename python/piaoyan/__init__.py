"""Piaoyan: verifies China's fiscal electronic bills (财政电子票据) offline.

The very WebAssembly module the ``piaoyan`` CLI embeds, run by the CLI's own
runner (wasmtime, compiled once per process and cached on disk):

    import piaoyan
    v = piaoyan.Verifier(trust="roots.pem", certs="intermediates.pem", crls="crls.pem")
    report = v.verify(open("bill.xml", "rb").read())      # the whole report
    row = v.record(open("bill.xml", "rb").read(), file="bill.xml")  # one flat row

``piaoyan.spark`` and ``piaoyan.ray`` verify tables of bills on Spark and
Ray (docs/python.md).
"""

from __future__ import annotations

from ._piaoyan import (
    COLUMNS,
    READ_CAP,
    Verifier,
    default_cache_dir,
    module_bytes,
    module_sha256,
    stats,
)
from .errors import ModuleError, OptionsError, PiaoyanError, VerifyError

__all__ = [
    "COLUMNS",
    "READ_CAP",
    "ModuleError",
    "OptionsError",
    "PiaoyanError",
    "Verifier",
    "VerifyError",
    "default_cache_dir",
    "module_bytes",
    "module_sha256",
    "stats",
]
