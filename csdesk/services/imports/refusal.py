"""The refusal of a whole import file (exit 1, nothing written), shared by the reader modules."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from csdesk.errors import CsdeskError


class FileRejected(CsdeskError):
    """The file as a whole cannot be imported (exit 1, nothing written).

    What the command line's JSON refusal needs travels in the parameters, not in attributes, so a
    refusal carried back from the import process (message id and parameters) still has it:
    ``path`` (the file as given), ``file`` (its name, for the message) and ``headers`` (the header
    cells read, the ``found`` of interfaces.md).
    """

    def __init__(self, msgid: str, /, **params: Any) -> None:
        super().__init__(msgid, **params)

    @property
    def path(self) -> str:
        return str(self.params.get("path") or self.params.get("file") or "")

    @property
    def found(self) -> list[str] | None:
        headers: Sequence[str] | None = self.params.get("headers")
        return None if headers is None else [str(h) for h in headers]

    def as_dict(self) -> dict[str, object]:
        """``{"ok": false, "error": …, "file": …, "found": […]}`` with the keys that apply (interfaces.md)."""
        return refusal_dict(self)


def refusal_dict(error: CsdeskError, file: str = "") -> dict[str, object]:
    """The JSON document of a refused import for any expected error (interfaces.md); ``file`` is
    the file as the command was given it."""
    doc: dict[str, object] = {"ok": False, "error": error.message()}
    path = error.path if isinstance(error, FileRejected) else ""
    if file or path:
        doc["file"] = file or path
    if isinstance(error, FileRejected) and error.found is not None:
        doc["found"] = error.found
    return doc
