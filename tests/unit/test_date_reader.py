"""The date reader of imports: every spelling reads back, and the day/month order is one per file."""

from __future__ import annotations

import os
import time as time_module
from collections.abc import Callable
from datetime import date, datetime, time, timezone

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from csdesk.errors import ValidationError
from csdesk.services.imports.dates import DateReader, fast_datetime, parse
from csdesk.services.imports.refusal import FileRejected

CN_WEEKDAYS = "一二三四五六日"
EN_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
FULL_WIDTH = str.maketrans("0123456789:-/. ", "０１２３４５６７８９：－／．\u3000")


def _h12(at: datetime) -> tuple[int, str]:
    return (at.hour % 12 or 12), ("AM" if at.hour < 12 else "PM")


# (spelling, the order a reader needs for it, precision): each writes ``at`` as some export does.
Spelling = Callable[[datetime], str]
SPELLINGS: dict[str, tuple[Spelling, str | None, str]] = {
    "iso": (lambda at: at.strftime("%Y-%m-%d %H:%M:%S"), None, "s"),
    "iso_t": (lambda at: at.strftime("%Y-%m-%dT%H:%M:%S"), None, "s"),
    "iso_minutes": (lambda at: at.strftime("%Y-%m-%d %H:%M"), None, "m"),
    "slashes_unpadded": (lambda at: f"{at.year}/{at.month}/{at.day} {at.hour}:{at.minute:02d}:{at.second:02d}", None, "s"),
    "agl_two_spaces": (lambda at: at.strftime("%Y/%m/%d  %H:%M:%S"), None, "s"),
    "dots": (lambda at: at.strftime("%Y.%m.%d %H:%M"), None, "m"),
    "compact": (lambda at: at.strftime("%Y%m%d%H%M%S"), None, "s"),
    "chinese": (lambda at: f"{at.year}年{at.month}月{at.day}日 {at.hour}:{at.minute:02d}", None, "m"),
    "chinese_clock": (lambda at: f"{at.year}年{at.month}月{at.day}日 {at.hour}时{at.minute}分{at.second}秒", None, "s"),
    "chinese_meridiem": (
        lambda at: f"{at.year}/{at.month}/{at.day} {'上午' if at.hour < 12 else '下午'} {_h12(at)[0]}:{at.minute:02d}:{at.second:02d}",
        None, "s",
    ),
    "us_ampm": (lambda at: f"{at.month:02d}/{at.day:02d}/{at.year} {_h12(at)[0]}:{at.minute:02d} {_h12(at)[1]}", "mdy", "m"),
    "us_weekday": (lambda at: f"{EN_WEEKDAYS[at.weekday()]} {at.month}/{at.day}/{at.year} {at.hour:02d}:{at.minute:02d}", "mdy", "m"),
    "spanish": (lambda at: f"{at.day:02d}/{at.month:02d}/{at.year} {at.hour}:{at.minute:02d}:{at.second:02d}", "dmy", "s"),
    "spanish_am_pm": (
        lambda at: f"{at.day}/{at.month}/{at.year} {_h12(at)[0]}:{at.minute:02d} {'a. m.' if at.hour < 12 else 'p. m.'}", "dmy", "m",
    ),
    "german_dots": (lambda at: f"{at.day:02d}.{at.month:02d}.{at.year} {at.hour:02d}:{at.minute:02d}", "dmy", "m"),
    "two_digit_dingtalk": (
        lambda at: f"{at:%y-%m-%d} 星期{CN_WEEKDAYS[at.weekday()]} {at.hour:02d}:{at.minute:02d}", None, "m",
    ),
    "two_digit_year_last": (lambda at: f"{at.day:02d}/{at.month:02d}/{at:%y} {at.hour:02d}:{at.minute:02d}", "dmy", "m"),
    "full_width": (lambda at: at.strftime("%Y-%m-%d %H:%M:%S").translate(FULL_WIDTH), None, "s"),
    "excel_serial": (
        lambda at: repr((at - datetime(1899, 12, 30)).total_seconds() / 86_400), None, "s",
    ),
    "unix_seconds": (lambda at: str(int(at.replace(tzinfo=timezone.utc).timestamp())), None, "s"),
    "unix_milliseconds": (lambda at: str(int(at.replace(tzinfo=timezone.utc).timestamp()) * 1000), None, "s"),
}


@pytest.fixture(scope="module", autouse=True)
def utc_clock():
    """Unix timestamps are read in the site's local time: the tests fix it at UTC."""
    if not hasattr(time_module, "tzset"):
        pytest.skip("time.tzset is POSIX only")
    before = os.environ.get("TZ")
    os.environ["TZ"] = "UTC"
    time_module.tzset()
    yield
    if before is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = before
    time_module.tzset()


def _truncate(at: datetime, precision: str) -> datetime:
    return at.replace(second=0) if precision == "m" else at


moments = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2068, 12, 31, 23, 59, 59)).map(
    lambda at: at.replace(microsecond=0)
)


@settings(max_examples=600, deadline=None, derandomize=True)
@given(at=moments, name=st.sampled_from(sorted(SPELLINGS)))
def test_every_supported_spelling_of_a_datetime_reads_back_to_it(at: datetime, name: str) -> None:
    spell, order, precision = SPELLINGS[name]
    # Unix time has 10 digits (13 in milliseconds) from 2001-09-09: shorter numbers are other spellings
    assume(not name.startswith("unix") or at >= datetime(2001, 9, 10))
    expected = _truncate(at, precision)
    written = spell(expected)
    assert DateReader("f.csv", order).moment(written, "time", 2) == expected, written


@settings(max_examples=200, deadline=None, derandomize=True)
@given(at=moments)
@example(at=datetime(2000, 1, 1, 0, 0, 1))  # one second is 1.1574074074074073e-05 of a day: scientific notation
def test_a_date_column_and_a_time_column_read_back_together(at: datetime) -> None:
    reader = DateReader("f.csv")
    day = f"{at:%y-%m-%d} 星期{CN_WEEKDAYS[at.weekday()]}"
    clock = f"{'上午' if at.hour < 12 else '下午'}{_h12(at)[0]}:{at.minute:02d}:{at.second:02d}"
    assert reader.moment(clock, "刷卡时间", 2, day=day) == at
    fraction = repr((at.hour * 3600 + at.minute * 60 + at.second) / 86_400)  # a number cell formatted as a time
    assert reader.moment(fraction, "time", 2, day=at.strftime("%Y/%m/%d")) == at


@settings(max_examples=200, deadline=None, derandomize=True)
@given(at=moments)
def test_a_day_first_file_is_decided_by_its_data_whatever_the_order_of_its_rows(at: datetime) -> None:
    """Rows whose date reads two ways wait; the first day over 12 decides; then they all read back."""
    early = at.replace(day=min(at.day, 12), month=min(at.month, 12))
    late = at.replace(day=max(at.day, 13)) if at.day > 12 else at.replace(day=20)
    reader = DateReader("f.csv")
    spell = SPELLINGS["spanish"][0]
    first = reader.moment(spell(early), "time", 2)
    assert first is None or first == early  # the day and the month may be equal
    assert reader.moment(spell(late), "time", 3) == late
    assert reader.order == "dmy"
    assert reader.moment(spell(early), "time", 2) == early
    reader.finish()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-02 08:55:12", datetime(2026, 11, 2, 8, 55, 12)),
        ("2026/11/02  08:55:12", datetime(2026, 11, 2, 8, 55, 12)),
        ("2026/11/2 下午 6:03:00", datetime(2026, 11, 2, 18, 3)),
        ("2026/11/2 上午 12:03:00", datetime(2026, 11, 2, 0, 3)),
        ("2026年11月2日 8点5分", datetime(2026, 11, 2, 8, 5)),
        ("26-11-02 星期一 08:55", datetime(2026, 11, 2, 8, 55)),
        ("２０２６－１１－０２　０８：５５", datetime(2026, 11, 2, 8, 55)),
        ("46328.371527777775", datetime(2026, 11, 2, 8, 55)),
        ("20261102085512", datetime(2026, 11, 2, 8, 55, 12)),
        ("1793607300", datetime(2026, 11, 2, 8, 15)),
        ("1793607300000", datetime(2026, 11, 2, 8, 15)),
        ("2026-11-02T08:55:12.000", datetime(2026, 11, 2, 8, 55, 12)),
    ],
)
def test_spellings_of_real_exports(text: str, expected: datetime) -> None:
    assert DateReader().moment(text, "time", 2) == expected


@pytest.mark.parametrize(
    "text",
    ["2026-02-30 08:00", "2026-13-01 08:00", "0000-00-00 08:00", "NaN", "=TODAY()", "2026-11-02 24:00", "2026-11-02 13:00 AM",
     "42", "2026-11-02", "08:55", "31/02/2026 08:00", "abc 2026-11-02 08:00"],
)
def test_a_value_that_is_no_date_and_time_is_a_bad_value_naming_the_field(text: str) -> None:
    with pytest.raises(ValidationError) as bad:
        DateReader().moment(text, "打卡时间", 7)
    assert bad.value.field == "打卡时间" and text in bad.value.message()


def test_a_time_needs_its_date_column_and_an_empty_date_names_that_column() -> None:
    reader = DateReader()
    assert reader.moment("次日 06:01", "下班1打卡时间", 2, day="26-11-03 星期二") == datetime(2026, 11, 4, 6, 1)
    with pytest.raises(ValidationError) as empty:
        reader.moment("08:00", "Hora", 3, day="", day_name="Fecha")
    assert empty.value.field == "Fecha"
    with pytest.raises(ValidationError) as bad_day:
        reader.moment("08:00", "Hora", 4, day="32/11/2026", day_name="Fecha")
    assert bad_day.value.field == "Fecha"


def test_a_weekday_beside_the_date_decides_the_order() -> None:
    reader = DateReader()
    assert reader.moment("Mon 11/02/2026 9:00", "time", 2) == datetime(2026, 11, 2, 9, 0)  # 2 Nov 2026 is a Monday
    assert reader.order == "mdy"
    assert parse("02-11-26 星期一") is not None and parse("02-11-26 星期一").readings == {"dmy": datetime(2026, 11, 2).date()}


def test_dates_that_never_tell_refuse_the_file_naming_the_option() -> None:
    reader = DateReader("us.csv")
    assert reader.moment("11/02/2026 00:02", "time", 2) is None
    assert reader.moment("05/05/2026 00:02", "time", 3) == datetime(2026, 5, 5, 0, 2)  # reads the same both ways
    with pytest.raises(FileRejected) as refused:
        reader.finish()
    message = refused.value.message()
    assert "us.csv" in message and "--date-order" in message and "row 2" in message and "11/02/2026 00:02" in message


def test_a_file_in_both_orders_is_refused_naming_a_row_of_each() -> None:
    reader = DateReader("mixed.csv")
    assert reader.moment("13/11/2026 08:00", "time", 5) == datetime(2026, 11, 13, 8, 0)
    with pytest.raises(FileRejected) as refused:
        reader.moment("11/14/2026 08:00", "time", 9)
    message = refused.value.message()
    assert "row 5" in message and "row 9" in message and "13/11/2026 08:00" in message


def test_a_given_order_reads_every_date_and_makes_misfits_bad_values() -> None:
    reader = DateReader("f.csv", "mdy")
    assert reader.moment("11/02/2026 08:00", "time", 2) == datetime(2026, 11, 2, 8, 0)
    with pytest.raises(ValidationError) as misfit:
        reader.moment("13/11/2026 08:00", "time", 3)
    assert misfit.value.field == "time" and "mdy" in misfit.value.message()
    reader.finish()
    with pytest.raises(ValueError):
        DateReader("f.csv", "ymd")


def test_year_first_dates_never_wait_for_the_order() -> None:
    reader = DateReader()
    for text in ("2026-02-11 08:00", "2026/2/11 8:00", "26-02-11 08:00", "46064", "20260211"):
        assert reader.day(text, "date", 2) == datetime(2026, 2, 11).date(), text
    reader.finish()


# --- what a reader remembers for the punch import's quick path (issue #13 benchmarks) ---------

day_spellings = st.sampled_from(["%d/%m/%Y", "%m/%d/%Y", "%Y-%m-%d", "%y-%m-%d", "%d.%m.%y", "%Y年%m月%d日"])
clock_spellings = st.sampled_from(["%H:%M", "%H:%M:%S", "%I:%M %p", "次日 %H:%M", "%H时%M分"])


@settings(max_examples=200, deadline=None, derandomize=True)
@given(
    cells=st.lists(st.tuples(moments, day_spellings, clock_spellings), min_size=1, max_size=12),
    order=st.sampled_from([None, "dmy", "mdy"]),
)
def test_a_date_or_time_the_reader_remembers_is_what_reading_it_again_gives(cells, order) -> None:
    """``days`` and ``clocks`` are what the punch import looks up before reading a cell: each text
    in them reads, by the same reader at the end of the file, to what they hold."""
    reader = DateReader("f.csv", order)
    for row, (at, day_format, clock_format) in enumerate(cells, start=2):
        try:
            reader.moment(at.strftime(clock_format), "time", row, day=at.strftime(day_format))
        except (ValidationError, FileRejected):
            pass  # a date that fits no order given, a file in two orders: nothing is remembered of it
    for text, on in reader.days.items():
        assert reader.day(text, "date", 99) == on
        assert reader.order is not None or parse(text).fixed == on  # never a date that still reads two ways
    for text, clock in reader.clocks.items():
        written = parse(text)
        assert written is not None and not written.has_date and not written.next_day and written.clock == clock


def test_a_date_that_reads_two_ways_is_remembered_only_once_the_order_is_decided() -> None:
    reader = DateReader("f.csv")
    assert reader.moment("08:55", "time", 2, day="05/06/2026") is None  # waits
    assert reader.days == {} and reader.clocks == {"08:55": time(8, 55)}
    assert reader.moment("09:01", "time", 3, day="13/06/2026") == datetime(2026, 6, 13, 9, 1)
    assert reader.moment("08:55", "time", 2, day="05/06/2026") == datetime(2026, 6, 5, 8, 55)
    assert reader.days == {"13/06/2026": date(2026, 6, 13), "05/06/2026": date(2026, 6, 5)}
    assert reader.moment("次日 01:10", "time", 4, day="05/06/2026") == datetime(2026, 6, 6, 1, 10)
    assert "次日 01:10" not in reader.clocks  # the next day: read again each time


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-10-08 08:29", datetime(2026, 10, 8, 8, 29)),
        ("2026-10-08T08:29:07", datetime(2026, 10, 8, 8, 29, 7)),
        ("2026-10-08 08:29+08", None),  # a zone: not the quick spelling
        ("2026-10-08 24:00", None),
        ("2026-10-08 8:29:07", datetime(2026, 10, 8, 8, 29, 7)),
        ("2026-10-08 08:29:07.5", datetime(2026, 10, 8, 8, 29, 7)),
        ("2026-1٠-08 08:29", datetime(2026, 10, 8, 8, 29)),  # an Arabic-Indic digit, as int() reads it
        ("2026-10-08 0829Z", None),
    ],
)
def test_the_quick_reader_of_iso_datetimes_reads_as_it_did(text: str, expected: datetime | None) -> None:
    assert fast_datetime(text) == expected
