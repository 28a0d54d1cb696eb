"""The exceptions of the `piaoyan` package, each with the code the module
(or the host) gave: ``err.code``, ``err.message``; for options, the
``field`` (``"trustAnchors"``, ``"limits.maxDepth"``...) and ``index`` of
the entry concerned (docs/abi.md, "Error")."""

from __future__ import annotations


class PiaoyanError(Exception):
    """Base class: ``code`` and ``message`` as the module or host gave them."""

    code: str
    message: str
    field: str | None
    index: int | None

    def __init__(
        self, code: str, message: str, field: str | None = None, index: int | None = None
    ) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.field = field
        self.index = index

    def __reduce__(self):  # picklable: Spark and Ray ship exceptions between processes
        return (type(self), (self.code, self.message, self.field, self.index))


class OptionsError(PiaoyanError):
    """The trust material or settings were refused before any bill: every
    bill would fail the same way. Codes ``OPTIONS_*`` come from the module;
    ``OPTIONS_FILE`` is a PEM file or text the host could not read."""


class VerifyError(PiaoyanError):
    """One bill got no report (``Verifier.verify`` only; ``record`` gives an
    error row instead): ``TRAP``, ``TIMEOUT``, ``MEMORY_LIMIT``,
    ``OUT_OF_MEMORY``, ``MODULE``, or a code of the module's refusal."""


class ModuleError(PiaoyanError):
    """The verifier module could not be compiled, loaded or started."""
