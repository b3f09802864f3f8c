"""csdesk.records: ``record``, a frozen dataclass made in half the time, and ``evolved``,
dataclasses.replace for the month's hot paths."""

from __future__ import annotations

from dataclasses import FrozenInstanceError, asdict, dataclass, field, fields, replace
from decimal import Decimal

import pytest

from csdesk.records import evolved, maker, record


@dataclass(frozen=True)
class Card:
    total: Decimal | None
    rank: int | None = None
    flags: tuple[str, ...] = ()


def test_a_copy_with_the_changes_equal_to_replace_and_the_original_untouched() -> None:
    card = Card(Decimal("77.5"), flags=("A",))
    ranked = evolved(card, rank=3, flags=("A", "B"))
    assert ranked == replace(card, rank=3, flags=("A", "B")) and hash(ranked) == hash(replace(card, rank=3, flags=("A", "B")))
    assert type(ranked) is Card and ranked is not card
    assert card == Card(Decimal("77.5"), flags=("A",))  # the original keeps its fields
    with pytest.raises(FrozenInstanceError):
        ranked.rank = 4  # type: ignore[misc]  # still frozen


def test_a_name_that_is_not_a_field_is_refused() -> None:
    with pytest.raises(TypeError, match="Card has no field ranked"):
        evolved(Card(None), ranked=1)


# --- record: the same as @dataclass(frozen=True), made by fewer compiled methods ------------------


def _both(make):
    """The class ``make`` declares, once as a frozen dataclass and once as a record."""
    return make(dataclass(frozen=True)), make(record)


def _sheet(decorate):
    @decorate
    class Sheet:
        employee_no: str
        total: Decimal | None = None
        flags: tuple[str, ...] = ()
        notes: dict[str, str] = field(default_factory=dict, compare=False, repr=False)
        seen: int = field(default=0, hash=False)

    return Sheet


@pytest.mark.parametrize(
    ("left", "right"),
    [
        (("A1",), ("A1",)),
        (("A1", Decimal("72.5")), ("A1", Decimal("72.50"))),  # equal Decimals
        (("A1", Decimal("72.5")), ("A1", Decimal("70"))),
        (("A1", None, ("X",)), ("A1", None, ("Y",))),
        (("A1", None, (), {"a": "b"}), ("A1", None, (), {})),  # a field left out of the comparison
        (("A1", None, (), {}, 1), ("A1", None, (), {}, 2)),  # compared, not hashed
    ],
)
def test_a_record_compares_hashes_and_shows_as_a_frozen_dataclass_would(left, right) -> None:
    written, made = _both(_sheet)
    assert (made(*left) == made(*right)) == (written(*left) == written(*right))
    assert (made(*left) != made(*right)) == (written(*left) != written(*right))
    assert hash(made(*left)) == hash(written(*left))
    assert repr(made(*left)).removeprefix("_sheet.<locals>.") == repr(written(*left)).removeprefix("_sheet.<locals>.")
    assert made(*left) != written(*left) and made(*left) != left  # another class is never equal


def test_a_record_is_a_frozen_dataclass_to_the_standard_library() -> None:
    _written, made = _both(_sheet)
    sheet = made("A1", Decimal("80"))
    with pytest.raises(FrozenInstanceError):
        sheet.total = Decimal("90")  # type: ignore[misc]
    assert [f.name for f in fields(sheet)] == ["employee_no", "total", "flags", "notes", "seen"]
    assert replace(sheet, flags=("TOP3",)) == made("A1", Decimal("80"), ("TOP3",))
    assert asdict(sheet) == {"employee_no": "A1", "total": Decimal("80"), "flags": (), "notes": {}, "seen": 0}
    assert {sheet, made("A1", Decimal("80.0"))} == {sheet}
    assert type(sheet).__eq__.__qualname__.endswith("Sheet.__eq__")  # named as its own in a traceback


def test_a_record_of_one_field_or_none_hashes_the_tuple_a_dataclass_hashes() -> None:
    @record
    class One:
        code: str

    @record
    class Nothing:
        pass

    assert hash(One("M01")) == hash(("M01",)) and One("M01") == One("M01") != One("S01")
    assert hash(Nothing()) == hash(()) and Nothing() == Nothing() and repr(Nothing()).endswith("Nothing()")


def test_what_the_class_writes_itself_is_kept_as_a_dataclass_keeps_it() -> None:
    @record
    class Shown:
        code: str

        def __repr__(self) -> str:
            return f"<{self.code}>"

    @record
    class Compared:
        code: str

        def __eq__(self, other: object) -> bool:
            return isinstance(other, Compared) and other.code.lower() == self.code.lower()

    assert repr(Shown("M01")) == "<M01>"
    assert Compared("m01") == Compared("M01") and hash(Compared("x")) == hash(("x",))  # the hash a dataclass adds


def test_a_record_pickles_as_a_frozen_dataclass_does() -> None:
    import pickle

    assert pickle.loads(pickle.dumps(Sealed("A1", (1, 2)))) == Sealed("A1", (1, 2))


@record
class Sealed:
    employee_no: str
    values: tuple[int, ...]


# --- maker: records made as their class makes them, without __init__ -------------------------------


def test_a_maker_takes_the_classes_arguments_and_defaults_and_makes_an_equal_frozen_record() -> None:
    made = maker(Card)
    assert made(Decimal("77.5")) == Card(Decimal("77.5")) and made(None, 3, flags=("A",)) == Card(None, 3, ("A",))
    assert repr(made(Decimal("1"), rank=2)) == repr(Card(Decimal("1"), rank=2)) and type(made(None)) is Card
    with pytest.raises(FrozenInstanceError):
        made(None).rank = 1  # type: ignore[misc]
    with pytest.raises(TypeError):
        made()  # the total is asked for, as by Card()
    with pytest.raises(TypeError):
        made(None, colour="red")
    assert maker(Card) is made  # made once per class


def test_a_maker_refuses_a_class_whose_init_does_more_than_set_its_fields() -> None:
    @record
    class Checked:
        value: int

        def __post_init__(self) -> None:
            if self.value < 0:
                raise ValueError("negative")

    @record
    class Listed:
        values: list[int] = field(default_factory=list)

    for cls in (Checked, Listed):
        with pytest.raises(TypeError, match="not made by maker"):
            maker(cls)
