"""Type hints of the native module ``piaoyan._piaoyan`` (python/src/lib.rs)."""

import os
import pathlib
from collections.abc import Sequence
from typing import Any, Final, Optional, TypedDict, Union

_Path = Union[str, os.PathLike[str]]
#: Trust material: a PEM file or a directory of them, PEM text, or a list.
TrustSource = Union[_Path, bytes, Sequence[Union[_Path, bytes]]]

#: The columns of a row, in order (``report_json`` only when asked for).
COLUMNS: Final[list[str]]
#: Most bytes of one input given to the module (as the CLI reads).
READ_CAP: Final[int]

class Row(TypedDict, total=False):
    file: Optional[str]
    verdict: str
    sub_indication: Optional[str]
    bill_key: Optional[str]
    amount_fen: Optional[int]
    issue_date: Optional[str]
    invoicing_party_code: Optional[str]
    warnings: list[str]
    error_code: Optional[str]
    reason_zh: str
    reason_en: str
    format: Optional[str]
    demo_trust: bool
    duplicate_of: Optional[str]
    module_sha256: str
    options_sha256: str
    report_json: str

class Verifier:
    """Verifies bills with the module ``piaoyan`` embeds, configured once.

    Thread-safe: threads may share one verifier; each call uses an idle
    instance of the module (or makes one) and runs with the GIL released.
    ``now`` (Unix seconds) defaults to the time of construction and is
    fixed for the verifier's life. Raises ``OptionsError`` when the trust
    material is refused, ``ModuleError`` when the module cannot start.
    """

    def __new__(
        cls,
        trust: Optional[TrustSource] = None,
        certs: Optional[TrustSource] = None,
        crls: Optional[TrustSource] = None,
        now: Optional[int] = None,
        timeout_s: Optional[float] = 60.0,
        max_memory_mib: int = 512,
        cache_dir: Optional[_Path] = None,
    ) -> "Verifier": ...
    def verify(self, bill: bytes) -> dict[str, Any]:
        """The report (docs/report.md); ``VerifyError`` when the bill got none."""
    def record(
        self, bill: bytes, file: Optional[str] = None, report_json: bool = False
    ) -> Row:
        """One flat row; a bill that got no report has an error row."""
    def records(
        self,
        bills: Sequence[Optional[bytes]],
        files: Optional[Sequence[Optional[str]]] = None,
        report_json: bool = False,
        jobs: int = 1,
    ) -> dict[str, list[Any]]:
        """One row per bill, in order, as columns; ``None`` bytes give an
        ``IO`` error row; ``jobs`` threads verify at once."""
    def records_files(
        self, paths: Sequence[str], report_json: bool = False, jobs: int = 1
    ) -> dict[str, list[Any]]:
        """One row per file, read here as the CLI reads it, in order, as
        columns (``file`` is the path); a file that cannot be read gives an
        ``IO`` error row; ``jobs`` threads read and verify at once."""
    @property
    def options_sha256(self) -> str: ...
    @property
    def now(self) -> int: ...
    @property
    def options_json(self) -> str: ...
    def module_version(self) -> str: ...

def module_sha256() -> str:
    """The SHA-256 (hex) of the module run: the one ``piaoyan --version`` names."""

def module_bytes() -> bytes:
    """The module itself (what ``piaoyan module`` writes)."""

def stats() -> dict[str, int]:
    """``runners`` made in this process, ``loaded`` from the disk cache, ``compiled``."""

def default_cache_dir() -> Optional[pathlib.Path]:
    """Where compiled modules are kept; ``None``: nowhere."""
