"""The stored form of a locked month: what goes in comes back, old rows still read, bad rows are refused."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal

import pytest

from csdesk.errors import StorageError, ValidationError
from csdesk.models.domain_scorecards import AgentRecord, Entered
from csdesk.rules.scoring import Line
from csdesk.services import snapshot_codec
from csdesk.services.attendance_types import AgentDay, AgentMonth, LedgerEntry
from csdesk.services.scorecard_results import CountedLine  # noqa: F401  (registers the scorecard classes)
from csdesk.services import attendance_results  # noqa: F401  (registers AgentMonth)


def _month() -> AgentMonth:
    day = AgentDay(date(2026, 10, 1), "LATE", "D", (datetime(2026, 10, 1, 8, 41), datetime(2026, 10, 1, 18, 2)), 11)
    return AgentMonth(
        "A001", "Ana", "Norte", "junior", (day, AgentDay(date(2026, 10, 2), None, "R")), late=1, leave_days=0.5,
        deduction_cny=20, ledger=(LedgerEntry(date(2026, 10, 1), "A001", "Ana", "LATE", 20),), flags=("X",),
    )  # fmt: skip


def test_round_trip_keeps_types_and_precision() -> None:
    values = [
        Line("minor", "M01", Decimal("-2.50"), "attendance:2026-10-21#8", date(2026, 10, 21), ""),
        Entered(Decimal("19.5"), "trainer", datetime(2026, 10, 28, 9, 0), "typo"),
        AgentRecord(1, "A001", "Ana", None, None, None, True),
        _month(),
    ]
    for value in values:
        back = snapshot_codec.loads(snapshot_codec.dumps(value), type(value))
        assert back == value
        assert [type(getattr(back, f)) for f in vars(value)] == [type(getattr(value, f)) for f in vars(value)]
    line = snapshot_codec.loads(snapshot_codec.dumps(values[0]))
    assert str(line.points) == "-2.50"  # the stored text, not a float


def test_typed_fields_are_plain_text_and_tagged_rows_still_read() -> None:
    line = Line("minor", "M01", Decimal("-2"), None, date(2026, 10, 21), "")
    assert json.loads(snapshot_codec.dumps(line)) == {"__o": "Line", "v": ["minor", "M01", "-2", None, "2026-10-21", ""]}
    written_before = '{"__o":"Line","v":["minor","M01",{"__d":"-2"},null,{"__da":"2026-10-21"},""]}'
    assert snapshot_codec.loads(written_before, Line) == line


def test_errors_inside_results_come_back() -> None:
    error = ValidationError("Score {value} out of range", field="score", value="99")
    back = snapshot_codec.loads(snapshot_codec.dumps((error,)))
    assert isinstance(back[0], ValidationError) and back[0].params == error.params and back[0].field == "score"


@pytest.mark.parametrize(
    "text",
    [
        '{"__o":"os.system","v":["rm"]}',  # a stored row never names an arbitrary class
        '{"__o":"Line","v":["minor","M01"]}',  # fields missing
        '{"__o":"Line","v":["minor","M01","x",null,null,""]}',  # not a number
        '{"__o":"Line"',  # cut short
    ],
)
def test_damaged_rows_are_refused_naming_the_month(text: str) -> None:
    with pytest.raises(StorageError) as caught:
        snapshot_codec.loads(text, Line, "2026-10")
    assert "2026-10" in caught.value.message()
