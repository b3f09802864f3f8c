"""Frozen records: the value objects every layer passes on (rules, policy, models, services).

:func:`record` is ``@dataclass(frozen=True)``, made in half the time. A dataclass compiles each
method it writes from source text; a frozen one writes six (``__init__``, ``__setattr__``,
``__delattr__``, ``__eq__``, ``__hash__``, ``__repr__``), some 60-70 µs each on a plain CPython
build. A command imports some 250 such classes before it reads anything: 30 ms of every start.
Here dataclasses writes the first three, and the last three are shared functions over the
class's fields, which compare, hash and show a record exactly as the written ones would (the
same tuples of the same fields, the same text).

:func:`evolved` copies a record with some fields changed, and :func:`maker` makes records without
``__init__``, for the month's hot paths.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import MISSING, dataclass, field, fields
from functools import cache
from operator import attrgetter
from typing import Any, TypeVar, cast, dataclass_transform, overload

Record = TypeVar("Record")
_Class = TypeVar("_Class", bound=type)


@overload
def record(cls: _Class, /) -> _Class: ...
@overload
def record(**options: Any) -> Callable[[_Class], _Class]: ...


@dataclass_transform(frozen_default=True, field_specifiers=(field,))
def record(cls: _Class | None = None, /, **options: Any) -> _Class | Callable[[_Class], _Class]:
    """``@dataclass(frozen=True, **options)`` (``order`` is not among them: use dataclass there)."""

    def make(target: _Class) -> _Class:
        body = dict(target.__dict__)  # what the class wrote itself, which a dataclass keeps
        made = cast(_Class, dataclass(target, frozen=True, eq=False, repr=False, **options))
        _compare_and_show(made, body)
        return made

    return make if cls is None else make(cls)


def _values(names: tuple[str, ...]) -> Callable[[object], tuple[Any, ...]]:
    """The tuple of a record's ``names`` (a dataclass compares and hashes such a tuple)."""
    if not names:
        return lambda _record: ()
    if len(names) == 1:
        name = names[0]
        return lambda item: (getattr(item, name),)
    return attrgetter(*names)  # a tuple for two names or more


def _compare_and_show(cls: type, body: dict[str, Any]) -> None:
    """The ``__eq__``, ``__hash__`` and ``__repr__`` a frozen dataclass would write for ``cls``:
    equal to a record of the same class with equal compared fields, hashed on the fields a
    dataclass hashes, shown as ``Name(field=value, …)`` with the fields it shows. As a dataclass,
    it keeps those the class's ``body`` defines (a ``__hash__`` of None there only stands for
    an ``__eq__`` written without one)."""
    known = fields(cls)
    compared = _values(tuple(f.name for f in known if f.compare))
    hashed = _values(tuple(f.name for f in known if (f.compare if f.hash is None else f.hash)))
    shown = tuple(f.name for f in known if f.repr)

    def __eq__(self: object, other: object) -> bool:
        if other.__class__ is self.__class__:
            return compared(self) == compared(other)
        return NotImplemented

    def __hash__(self: object) -> int:
        return hash(hashed(self))

    def __repr__(self: object) -> str:
        inside = ", ".join(f"{name}={getattr(self, name)!r}" for name in shown)
        return f"{self.__class__.__qualname__}({inside})"

    explicit_hash = "__hash__" in body and not (body["__hash__"] is None and "__eq__" in body)
    for method in (__eq__, __hash__, __repr__):
        name = method.__name__
        if name in body and (name != "__hash__" or explicit_hash):
            continue
        method.__qualname__ = f"{cls.__qualname__}.{name}"
        setattr(cls, name, method)


def evolved(record: Record, **changes: object) -> Record:
    """``dataclasses.replace(record, **changes)`` for a frozen dataclass without ``__post_init__``,
    made by copying its fields rather than through ``__init__`` (which sets each field with
    ``object.__setattr__``): a 2,000-agent month makes 3,600 such copies, ranked cards and cards
    joined with their ladder, three times faster so. A name that is not a field is refused."""
    known = record.__dataclass_fields__  # type: ignore[attr-defined]
    unknown = changes.keys() - known.keys()
    if unknown:
        raise TypeError(f"{type(record).__name__} has no field {', '.join(sorted(unknown))}")
    copy = object.__new__(type(record))
    values = copy.__dict__
    values.update(record.__dict__)
    values.update(changes)
    return copy


@cache
def maker(cls: type[Record]) -> Callable[..., Record]:
    """A function that makes ``cls`` records as ``cls(...)`` does, with the same arguments and
    defaults, without ``__init__``: a frozen dataclass's sets each field with
    ``object.__setattr__``, 2.5 times slower for a record of a dozen fields (a month's 7,000
    events of attendance). For classes without ``__post_init__`` whose fields all take an
    argument and have no default factory; others are refused."""
    known = fields(cls)  # type: ignore[arg-type]
    if hasattr(cls, "__post_init__") or any(not f.init or f.default_factory is not MISSING for f in known):
        raise TypeError(f"{cls.__name__} is not made by maker(): it has __post_init__, a field set there or a default factory")
    defaults = {f"_default_{f.name}": f.default for f in known if f.default is not MISSING}
    parameters = ", ".join(f.name if f.default is MISSING else f"{f.name}=_default_{f.name}" for f in known)
    values = ", ".join(f"{f.name!r}: {f.name}" for f in known)
    source = f"def make({parameters}):\n    made = _new(_cls)\n    _set(made, '__dict__', {{{values}}})\n    return made\n"
    scope: dict[str, Any] = {"_new": object.__new__, "_set": object.__setattr__, "_cls": cls, **defaults}
    exec(source, scope)  # noqa: S102 - made from the class's own field names
    make: Callable[..., Record] = scope["make"]
    make.__qualname__ = f"maker({cls.__qualname__})"
    return make
