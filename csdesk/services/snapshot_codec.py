"""JSON for the results a locked month keeps (scorecards, attendance lines, every counted line).

A signed-off month is read back from what was stored when it was locked, never recomputed, so
the stored form must rebuild the very objects the windows, the command line and the printed
sheet show. Frozen dataclasses are written as ``{"__o": "ClassName", "v": [field values]}`` and
rebuilt only for the classes registered here (a stored row can never name an arbitrary class);
Decimals (``__d``), dates (``__da``) and datetimes (``__dt``) are kept as text, so no number
changes on the way through. JSON arrays come back as tuples (every stored container is one);
named tuples inside a dataclass field are rebuilt by the field's ``rows`` class given at
registration. The standard library's C encoder and decoder do the walking: a 2,000-agent month
is written in a fraction of a second.
"""

from __future__ import annotations

import dataclasses
import json
import threading
import types
import typing
from collections import OrderedDict
from collections.abc import Callable, Hashable
from datetime import date, datetime
from decimal import Decimal
from operator import attrgetter
from typing import Any

from csdesk import gc_tuning
from csdesk.errors import CsdeskError, StorageError
from csdesk.i18n import N_

_CLASSES: dict[str, Callable[..., Any]] = {}
_ERRORS: dict[str, type[CsdeskError]] = {}
_FIELDS: dict[type, tuple[str, ...]] = {}
#: Per class, the fields declared as a Decimal, date or datetime (optionally None): their values
#: are written as plain text and rebuilt by the class, without a tag for the decoder's hook (a
#: 2,000-agent month holds about 125,000 of them). Text written with a tag still reads back.
_TYPED: dict[type, tuple[tuple[int, type], ...]] = {}
_VALUES: dict[type, Callable[[Any], list[Any]]] = {}  # per class: an object's field values, in order
_ROWS: dict[type, tuple[tuple[int, tuple[tuple[int, type], ...]], ...]] = {}  # the same for rows' fields
_PARSE: dict[type, Callable[[str], Any]] = {Decimal: Decimal, datetime: datetime.fromisoformat, date: date.fromisoformat}
#: Field types that never hold a JSON array: every other field's array is rebuilt as a tuple.
_FLAT = frozenset({str, int, bool, float, Decimal, date, datetime, type(None), typing.Literal})


def register(*classes: type, rows: dict[str, type] | None = None) -> None:
    """Allow ``classes`` (frozen dataclasses, or CsdeskError subclasses) in stored results.

    ``rows`` names fields that hold a tuple of named tuples (``{"days": AgentDay}``): they are
    written as arrays and rebuilt as that class."""
    for cls in classes:
        if issubclass(cls, CsdeskError):
            _ERRORS[cls.__name__] = cls
            continue
        names = tuple(f.name for f in dataclasses.fields(cls) if f.init)
        hints = typing.get_type_hints(cls)
        _FIELDS[cls] = names
        _VALUES[cls] = _values_of(names)
        _TYPED[cls] = _typed_fields(hints, names)
        index = {names.index(name): row for name, row in (rows or {}).items()}
        _ROWS[cls] = tuple((i, _typed_fields(typing.get_type_hints(row), row._fields)) for i, row in index.items())
        nested = tuple(i for i, name in enumerate(names) if i not in index and not _flat(hints[name]))
        _CLASSES[cls.__name__] = _builder(cls, names, _TYPED[cls], nested, index)


def _values_of(names: tuple[str, ...]) -> Callable[[Any], list[Any]]:
    """A function giving an object's ``names`` values as a new list (``attrgetter`` in C: the
    encoder asks once per stored object, some 75,000 times a locked 2,000-agent month)."""
    get = attrgetter(*names)
    if len(names) == 1:
        return lambda value: [get(value)]
    return lambda value: list(get(value))


def _kinds(hint: Any) -> set[Any]:
    """The types a field's hint allows (``X | None`` → {X, NoneType}; ``Literal[...]`` → {Literal})."""
    origin = typing.get_origin(hint)
    if origin is typing.Literal:
        return {typing.Literal}
    if origin in (typing.Union, types.UnionType):
        return {kind for arg in typing.get_args(hint) for kind in _kinds(arg)}
    return {hint}


def _flat(hint: Any) -> bool:
    return all(kind in _FLAT or kind in _FIELDS or (isinstance(kind, type) and dataclasses.is_dataclass(kind)) for kind in _kinds(hint))


def _typed_fields(hints: dict[str, Any], names: tuple[str, ...]) -> tuple[tuple[int, type], ...]:
    """(position, type) of the fields declared ``Decimal``, ``date`` or ``datetime`` (or ``… | None``)."""
    out = []
    for i, name in enumerate(names):
        kinds = _kinds(hints[name]) - {type(None)}
        if len(kinds) == 1 and (kind := kinds.pop()) in _PARSE:
            out.append((i, kind))
    return tuple(out)


def _read(values: list[Any], parse: tuple[tuple[int, Callable[[str], Any]], ...]) -> list[Any]:
    for i, read in parse:
        if type(values[i]) is str:
            values[i] = read(values[i])
    return values


def _write(values: list[Any], typed: tuple[tuple[int, type], ...]) -> list[Any]:
    for i, kind in typed:
        if type(values[i]) is kind:
            values[i] = str(values[i]) if kind is Decimal else values[i].isoformat()
    return values


def _builder(
    cls: type, names: tuple[str, ...], typed: tuple[tuple[int, type], ...], nested: tuple[int, ...], index: dict[int, type]
) -> Callable[[list[Any]], Any]:
    """Rebuild one ``cls`` from its list of stored field values. The values were checked when the
    object was made, before it was stored, so its fields are filled in directly (a frozen
    dataclass's ``__init__`` sets each field through ``object.__setattr__``: three times slower)."""
    parse = tuple((i, _PARSE[kind]) for i, kind in typed)
    rows = tuple((i, row, tuple((j, _PARSE[kind]) for j, kind in row_typed)) for (i, row), (_, row_typed) in zip(index.items(), _ROWS[cls]))
    new = object.__new__
    count = len(names)

    def build_flat(values: list[Any]) -> Any:  # most classes: flat values, some of them text to parse
        if len(values) != count:
            raise ValueError(f"{cls.__name__} stored with {len(values)} fields, not {count}")
        for i, read in parse:
            if type(values[i]) is str:
                values[i] = read(values[i])
        made = new(cls)
        made.__dict__.update(zip(names, values))
        return made

    if not (nested or rows):
        return build_flat

    def build(values: list[Any]) -> Any:  # the nested and row fields (never a parsed one) first
        if len(values) != count:
            return build_flat(values)  # refused there
        for i in nested:
            if type(values[i]) is list:
                values[i] = tuple(values[i])
        for i, row, row_parse in rows:
            values[i] = tuple(row(*_read([tuple(v) if type(v) is list else v for v in item], row_parse)) for item in values[i])
        return build_flat(values)

    return build


def _default(value: Any) -> Any:
    cls = type(value)
    values_of = _VALUES.get(cls)
    if values_of is not None:
        values = _write(values_of(value), _TYPED[cls])
        for i, typed in _ROWS[cls]:
            values[i] = [_write(list(row), typed) for row in values[i]]
        return {"__o": cls.__name__, "v": values}
    if cls is Decimal:
        return {"__d": str(value)}
    if cls is datetime:
        return {"__dt": value.isoformat()}
    if cls is date:
        return {"__da": value.isoformat()}
    if isinstance(value, CsdeskError) and cls.__name__ in _ERRORS:
        return {"__e": cls.__name__, "m": value.msgid, "p": value.params}
    if isinstance(value, frozenset | set):
        return sorted(value, key=repr)
    raise TypeError(f"{cls.__name__} cannot be stored in a month's results")


def _hook(obj: dict[str, Any]) -> Any:
    # The most frequent tag first: the objects (their Decimals and dates are plain text inside).
    name = obj.get("__o")
    if name is not None:
        build = _CLASSES.get(name)
        if build is None:
            raise ValueError(f"unknown stored class {name!r}")
        return build(obj["v"])
    if "__d" in obj:
        return Decimal(obj["__d"])
    if "__da" in obj:
        return date.fromisoformat(obj["__da"])
    if "__dt" in obj:
        return datetime.fromisoformat(obj["__dt"])
    if "__e" in obj:
        error_cls = _ERRORS.get(obj["__e"], CsdeskError)
        error = CsdeskError.__new__(error_cls)
        CsdeskError.__init__(error, obj["m"], **obj["p"])
        if "field" in error.params:
            error.field = error.params["field"]  # type: ignore[attr-defined]
        return error
    return {k: tuple(v) if type(v) is list else v for k, v in obj.items()}


def dumps(value: Any) -> str:
    """``value`` as compact JSON text."""
    return json.dumps(value, default=_default, ensure_ascii=False, separators=(",", ":"), check_circular=False)


UNREADABLE = N_("The results stored when {month} was locked cannot be read: {problem}")


def loads(text: str, expect: type | None = None, month: str = "") -> Any:
    """The object :func:`dumps` wrote; with ``expect``, a stored row that is not one (damaged, or
    written in another form) raises StorageError naming the month instead of passing on a dict."""
    try:
        # A decoder of its own each call (pages decode months on several threads at once, and one
        # decoder's C scanner keeps a key memo that each call clears: not made to be shared).
        value = json.loads(text, object_hook=_hook)
    except (ValueError, TypeError, KeyError, ArithmeticError) as exc:  # ArithmeticError: decimal.InvalidOperation
        raise StorageError(UNREADABLE, month=month, problem=str(exc)) from exc
    if expect is not None and not isinstance(value, expect):
        raise StorageError(UNREADABLE, month=month, problem=type(value).__name__)
    return tuple(value) if type(value) is list else value


# --- whole signed months read back ---------------------------------------------------------------

#: Decoded results by a key naming the database, the month, the revision and the lock time: the
#: results of one revision never change, so a month read again (a page switching back to it) is
#: not decoded again. A reopen removes the lock and the next lock is a new revision: never stale.
_SIGNED: OrderedDict[Hashable, Any] = OrderedDict()
_SIGNED_KEPT = 8
_SIGNED_LOCK = threading.Lock()


def remembered(key: Hashable, load: Callable[[], Any]) -> Any:
    """``load()`` once per ``key`` (the last few kept). A whole month decodes into some 60,000
    objects, all kept: the collector would only scan them again and again while they are made
    (about a fifth of the decoding time at 2,000 agents), so it waits until the end."""
    with _SIGNED_LOCK:
        if key in _SIGNED:
            _SIGNED.move_to_end(key)
            return _SIGNED[key]
    with gc_tuning.bulk_load():
        value = load()
    with _SIGNED_LOCK:
        _SIGNED[key] = value
        while len(_SIGNED) > _SIGNED_KEPT:
            _SIGNED.popitem(last=False)
    return value
