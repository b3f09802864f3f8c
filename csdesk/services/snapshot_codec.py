"""JSON for the results a locked month keeps (scorecards, attendance lines, every counted line).

A signed-off month is read back from what was stored when it was locked, never recomputed, so
the stored form must rebuild the very objects the windows, the command line and the printed
sheet show. This codec writes frozen dataclasses and named tuples as tagged JSON and rebuilds
only the classes registered here (a stored row can never name an arbitrary class). Decimals are
kept as text, so no number changes on the way through.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from csdesk.errors import CsdeskError

#: The version of the stored form; a change that old rows cannot be read with bumps it.
FORMAT = 1

_REGISTRY: dict[str, type] = {}
_ERRORS: dict[str, type[CsdeskError]] = {}


def register(*classes: type) -> None:
    """Allow ``classes`` (frozen dataclasses or named tuples) in stored results."""
    for cls in classes:
        if issubclass(cls, CsdeskError):
            _ERRORS[cls.__name__] = cls
        else:
            _REGISTRY[cls.__name__] = cls


def _fields(cls: type) -> tuple[str, ...]:
    if dataclasses.is_dataclass(cls):
        return tuple(f.name for f in dataclasses.fields(cls) if f.init)
    return tuple(cls._fields)  # type: ignore[attr-defined]


def _encode(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return {"f": repr(value)}
    if isinstance(value, Decimal):
        return {"d": str(value)}
    if isinstance(value, datetime):  # before date: a datetime is a date
        return {"dt": value.isoformat()}
    if isinstance(value, date):
        return {"da": value.isoformat()}
    cls = type(value)
    name = cls.__name__
    if name in _REGISTRY and _REGISTRY[name] is cls:
        return {"o": name, "v": [_encode(getattr(value, f)) for f in _fields(cls)]}
    if isinstance(value, CsdeskError) and name in _ERRORS:
        return {"e": name, "m": value.msgid, "p": _encode(value.params)}
    if isinstance(value, tuple | list | frozenset | set):
        return {"t": [_encode(v) for v in value]}
    if isinstance(value, Mapping):
        return {"m": [[_encode(k), _encode(v)] for k, v in value.items()]}
    raise TypeError(f"{name} cannot be stored in a month's results")


def _decode(value: Any) -> Any:
    if not isinstance(value, dict):
        return value
    if "d" in value:
        return Decimal(value["d"])
    if "t" in value:
        return tuple(_decode(v) for v in value["t"])
    if "o" in value:
        cls = _REGISTRY.get(value["o"])
        if cls is None:
            raise ValueError(f"unknown stored class {value['o']!r}")
        return cls(*(_decode(v) for v in value["v"]))
    if "da" in value:
        return date.fromisoformat(value["da"])
    if "dt" in value:
        return datetime.fromisoformat(value["dt"])
    if "m" in value:
        return {_decode(k): _decode(v) for k, v in value["m"]}
    if "f" in value:
        return float(value["f"])
    if "e" in value:
        error_cls = _ERRORS.get(value["e"], CsdeskError)
        error = CsdeskError.__new__(error_cls)
        CsdeskError.__init__(error, value["m"], **_decode(value["p"]))
        if "field" in error.params:
            error.field = error.params["field"]  # type: ignore[attr-defined]
        return error
    raise ValueError(f"unreadable stored value {sorted(value)!r}")


def dumps(value: Any) -> str:
    """``value`` as compact JSON text."""
    return json.dumps(_encode(value), ensure_ascii=False, separators=(",", ":"))


def loads(text: str) -> Any:
    """The object :func:`dumps` wrote."""
    return _decode(json.loads(text))
