"""The date reader of imports: every spelling clocks, apps and spreadsheets write, one order per file.

Spellings read (issue #13): ``2026-11-02 08:55:12``, ``2026/11/2 8:55``, ``2026.11.02``,
``2026-11-02T08:55``, ``20261102``, ``20261102085512``, ``2026年11月2日 8时55分``, day or month
first with a four-digit year (``02/11/2026``, ``11/02/2026 8:55 AM``), two-digit years
(``26-11-02``, ``02/11/26``), a weekday beside the date (``26-11-02 星期一``, ``Mon``), AM/PM,
``a. m.``/``p. m.`` and 上午/下午, 次日 (the next day), Excel serial numbers (``46328.3715``, or
a fraction of a day for a time), Unix timestamps in seconds or milliseconds (local time), and
full-width digits, colons and spaces.

**Dates are never guessed row by row.** A date whose year comes first is year-month-day. A
four-digit year last leaves day/month open; two-digit years are year-first when written with
``-`` (``26-11-02``, as DingTalk writes them) and year-last with ``/`` or ``.``. The day/month
order of the year-last dates is decided once per file from its data: a first number over 12 can
only be a day (day/month/year), a second number over 12 only a day (month/day/year), and a
weekday written beside the date rules out the order it does not fit. A file showing both orders
is refused; a file whose dates never tell (every one ≤ 12 on both sides) is refused unless the
order is given (``--date-order dmy|mdy``). Until the file has told, rows whose date reads two
ways wait (:meth:`DateReader.moment` returns ``None``). The imports that hold all their rows
before taking any (roster, leave, people, sales, events) read every date first
(:class:`FileDates`), so their order is decided, or the file refused, before a row is written.
A telling date on a row that is bad for another reason (a person no one knows) still tells
(:meth:`DateReader.tell`); dates written year first never leave the order open.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import field
from datetime import date, datetime, time, timedelta

from csdesk.errors import ValidationError
from csdesk.i18n import N_, _
from csdesk.records import record
from csdesk.services.imports.refusal import FileRejected

DATE_ORDERS = ("dmy", "mdy")  # what ``--date-order`` takes: day first, month first
EXCEL_EPOCH = datetime(1899, 12, 30)  # serial 1 is 1900-01-01 (Excel's 1900 leap-year bug absorbed)
# (chosen) Excel serial numbers read as dates: 1970-01-01 … 2099-12-31. A small number in a date
# column (a count, a typo) is a bad value, not a date in 1900.
SERIAL_RANGE = (25_569, 73_051)
_CACHE = 20_000  # (chosen) values a reader remembers: a file has a few hundred days and 1,440 minutes

_WEEKDAY_CN = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_WEEKDAY_WORDS = {
    **{w: i for i, w in enumerate(("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))},
    **{w: i for i, w in enumerate(("mon", "tue", "wed", "thu", "fri", "sat", "sun"))},
    "tues": 1, "thur": 3, "thurs": 3,
    **{w: i for i, w in enumerate(("lunes", "martes", "miercoles", "jueves", "viernes", "sabado", "domingo"))},
    "miércoles": 2, "sábado": 5,
}
_WEEKDAY = re.compile(
    r"(?:星期|礼拜|禮拜|周|週)([一二三四五六日天])|\b(" + "|".join(sorted(_WEEKDAY_WORDS, key=len, reverse=True)) + r")\b\.?"
)
_MERIDIEM = re.compile(r"(上午|早上|凌晨|下午|晚上)|(?<![a-z])([ap])\.?\s?m\b\.?")
_NEXT_DAY = re.compile(r"次日|翌日|\(\+1\)|\+1\b")
_CN_DATE = re.compile(r"(\d{2,4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号號]?")
_CN_TIME = re.compile(r"(\d{1,2})\s*[时時点點]\s*(\d{1,2})\s*分?(?:\s*(\d{1,2})\s*秒)?")
_FORM = re.compile(
    r"(?:(?P<a>\d{1,4})(?P<sep>[-/.])(?P<b>\d{1,2})(?P=sep)(?P<c>\d{1,4}))?"
    r"\s*(?:(?P<h>\d{1,2}):(?P<mi>\d{2})(?::(?P<s>\d{2})(?:[.,]\d+)?)?)?"
)
_NUMBER = re.compile(r"\d+(?:\.\d+)?(?:e[-+]?\d+)?")  # a number cell's text: 46328.37, 1.1574e-05
_PLAIN_TIME = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?")
_NOT_DATETIME = N_("{field}: '{value}' is not a date and time (YYYY-MM-DD HH:MM)")


@record
class Written:
    """A date and/or time as written, read as far as it can be without the file's order.

    ``fixed`` is a date whose reading does not depend on the order; otherwise ``readings`` holds
    the date under each day/month order it fits (``"dmy"``, ``"mdy"``); neither for a time only.
    """

    fixed: date | None = None
    readings: Mapping[str, date] = field(default_factory=dict)
    clock: time | None = None
    next_day: bool = False

    @property
    def has_date(self) -> bool:
        return self.fixed is not None or bool(self.readings)


def clean(text: str) -> str:
    """Full-width digits, colons and spaces made plain (NFKC), lower case, spaces collapsed."""
    return " ".join(unicodedata.normalize("NFKC", text).lower().split())


def _two_digit_year(yy: int) -> int:
    return 2000 + yy if yy < 69 else 1900 + yy  # the C library's %y pivot


def _make_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _clock(h: int, mi: int, s: int, meridiem: str | None) -> time | None:
    if meridiem == "am":
        if h > 12:
            return None
        h = 0 if h == 12 else h
    elif meridiem == "pm":
        if h == 0:
            return None
        h = h + 12 if h < 12 else h
    if h > 23 or mi > 59 or s > 59:
        return None
    return time(h, mi, s)


def _from_number(text: str) -> Written | None:
    """Compact dates (``20261102[0855[12]]``), Unix timestamps and Excel serial numbers."""
    if "e" in text:  # a float written in scientific notation: a serial number or a fraction of a day
        value = float(text)
        if not math.isfinite(value) or value >= SERIAL_RANGE[1]:
            return None
        text = f"{value:.12f}".rstrip("0").rstrip(".")
    whole, _dot, frac = text.partition(".")
    if not frac and len(whole) in (8, 12, 14):
        day = _make_date(int(whole[:4]), int(whole[4:6]), int(whole[6:8]))
        if day is None:
            return None
        if len(whole) == 8:
            return Written(fixed=day)
        clock = _clock(int(whole[8:10]), int(whole[10:12]), int(whole[12:14] or 0), None)
        return Written(fixed=day, clock=clock) if clock else None
    if not frac and len(whole) in (10, 13):  # Unix time, seconds or milliseconds: the site's local time
        try:
            stamp = datetime.fromtimestamp(int(whole) / (1000 if len(whole) == 13 else 1)).replace(microsecond=0)
        except (OverflowError, OSError, ValueError):  # beyond what the platform's clock functions take
            return None
        return Written(fixed=stamp.date(), clock=stamp.time())
    if len(whole) > 5:
        return None
    value = float(text)
    seconds = round(value * 86_400)
    if value < 1:  # a fraction of a day: a time (a number cell formatted as a time)
        return Written(clock=(datetime.min + timedelta(seconds=seconds)).time()) if seconds < 86_400 else None
    if not SERIAL_RANGE[0] <= value < SERIAL_RANGE[1]:
        return None
    moment = EXCEL_EPOCH + timedelta(seconds=seconds)
    return Written(fixed=moment.date(), clock=moment.time() if frac else None)


def parse(text: str) -> Written | None:
    """``text`` read as far as its spelling allows; ``None`` when it is no date or time at all."""
    if (plain := _PLAIN_TIME.fullmatch(text)) is not None:  # the common time of day, read quickly
        h, mi, sec = plain.groups()
        clock = _clock(int(h), int(mi), int(sec or 0), None)
        return Written(clock=clock) if clock else None
    s = clean(text)
    if not s:
        return None
    if _NUMBER.fullmatch(s):
        return _from_number(s)
    weekday: int | None = None
    if (w := _WEEKDAY.search(s)) is not None:
        weekday = _WEEKDAY_CN[w.group(1)] if w.group(1) else _WEEKDAY_WORDS[w.group(2)]
        s = s[: w.start()] + " " + s[w.end() :]
    meridiem: str | None = None
    if (m := _MERIDIEM.search(s)) is not None:
        meridiem = ("am" if m.group(1) in ("上午", "早上", "凌晨") else "pm") if m.group(1) else m.group(2) + "m"
        s = s[: m.start()] + " " + s[m.end() :]
    next_day = False
    if (n := _NEXT_DAY.search(s)) is not None:
        next_day = True
        s = s[: n.start()] + " " + s[n.end() :]
    s = _CN_DATE.sub(r"\1-\2-\3 ", s)
    s = _CN_TIME.sub(lambda t: f"{t.group(1)}:{int(t.group(2)):02d}" + (f":{int(t.group(3)):02d}" if t.group(3) else ""), s)
    s = re.sub(r"(?<=\d)t(?=\d)", " ", s)  # ISO 8601's T between date and time
    s = " ".join(s.replace(",", " ").replace("(", " ").replace(")", " ").split())
    form = _FORM.fullmatch(s)
    if form is None or not (form.group("a") or form.group("h")):
        return None
    clock = None
    if form.group("h"):
        clock = _clock(int(form.group("h")), int(form.group("mi")), int(form.group("s") or 0), meridiem)
        if clock is None:
            return None
    elif meridiem:
        return None
    if not form.group("a"):
        return Written(clock=clock, next_day=next_day)
    a, b, c, sep = form.group("a"), form.group("b"), form.group("c"), form.group("sep")
    if len(a) == 4:
        day = _make_date(int(a), int(b), int(c)) if len(c) <= 2 else None
        return Written(fixed=day, clock=clock, next_day=next_day) if day else None
    if len(a) > 2 or len(c) == 3:
        return None
    if len(c) == 4:
        year = int(c)
    elif sep == "-":  # two-digit year written with dashes: year first (26-11-02)
        day = _make_date(_two_digit_year(int(a)), int(b), int(c))
        if day is not None and (weekday is None or day.weekday() == weekday):
            return Written(fixed=day, clock=clock, next_day=next_day)
        year = _two_digit_year(int(c))  # a weekday that rules year-first out: year last after all
    else:
        year = _two_digit_year(int(c))
    readings = {
        order: d
        for order, d in (("dmy", _make_date(year, int(b), int(a))), ("mdy", _make_date(year, int(a), int(b))))
        if d is not None and (weekday is None or d.weekday() == weekday)
    }
    return Written(readings=readings, clock=clock, next_day=next_day) if readings else None


def fast_datetime(text: str) -> datetime | None:
    """``2026-10-08 08:29[:00]`` and ``2026/10/8 8:29:00`` without the general reader (the common
    case of a million-row file); ``None`` for anything else."""
    size = len(text)
    if (size == 19 and text[16] == ":" or size == 16) and text[4] == "-" and text[10] in " T" and text[13] == ":":
        try:  # the ISO spelling, read in C: fromisoformat takes no other text of this shape (no zone, ASCII digits)
            return datetime.fromisoformat(text)
        except ValueError:
            pass  # digits of another script (int() reads them), 24:00: as below
    try:
        day, clock = text.split(" ", 1) if " " in text else text.split("T", 1)
        sep = "-" if "-" in day else "/"
        y, m, d = day.split(sep)
        parts = clock.split(":")
        if len(y) == 4 and 2 <= len(parts) <= 3 and len(parts[1]) == 2:
            sec = parts[2].split(".")[0] if len(parts) == 3 else "0"
            return datetime(int(y), int(m), int(d), int(parts[0]), int(parts[1]), int(sec))
    except ValueError:
        pass
    return None


class DateReader:
    """Reads the dates and times of one file, deciding its day/month order once (module docstring).

    ``order`` is the order the user gave (``"dmy"`` or ``"mdy"``); with it a date that does not fit
    is a bad value, and nothing waits.
    """

    def __init__(self, file: str = "", order: str | None = None) -> None:
        if order is not None and order not in DATE_ORDERS:
            raise ValueError(f"date order {order!r} is not one of {DATE_ORDERS}")
        self.file = file
        self.given = order
        self._open: set[str] = {order} if order else set(DATE_ORDERS)
        self._only: dict[str, tuple[int, str]] = {}  # order -> the first row whose date fits only it
        self._waiting: tuple[int, str] | None = None  # the first row whose date waited for the order
        self._seen: dict[str, Written | None] = {}
        self.used_order = False  # some date of the file was read by its day/month order
        # What a million-row file reads again and again, for the reader's callers to look up first
        # (the punch import): the date of each date text read so far whose reading nothing can
        # change any more (its date is fixed, or the order is decided), and each text that is a
        # time of day alone. Looking a text up gives what reading it again would.
        self.days: dict[str, date] = {}
        self.clocks: dict[str, time] = {}

    @property
    def order(self) -> str | None:
        """The day/month order decided so far (or given), ``None`` while the file has not told."""
        return next(iter(self._open)) if len(self._open) == 1 else None

    def moment(self, text: str, name: str, row: int, day: str | None = None, day_name: str = "date") -> datetime | None:
        """The date and time in ``text``, or its time of day on the date in ``day`` (the row's cell
        of a date column; ``None`` when the file has none).

        Raises :class:`ValidationError` naming the field for a value that is no date and time;
        returns ``None`` when the date reads two ways and the file has not told its order yet.
        """
        value = text.strip()
        quick = fast_datetime(value)
        if quick is not None:
            return quick
        written = self._parse(value)
        if written is not None and not written.has_date and day == "":
            raise ValidationError(N_("{field} is empty"), field=day_name)
        if written is None or (not written.has_date and day is None):
            raise ValidationError(_NOT_DATETIME, field=name, value=text)
        if written.clock is None:  # a date alone is no punch
            if day is None:
                raise ValidationError(_NOT_DATETIME, field=name, value=text)
            raise ValidationError(N_("{field}: '{value}' is not a time of day (HH:MM)"), field=name, value=text)
        if written.has_date:
            on = self._date(written, name, row, text)
        else:
            assert day is not None
            if not written.next_day and len(self.clocks) < _CACHE:
                self.clocks[text] = written.clock
            on = self.day(day, day_name, row)
        if on is None:
            return None
        moment = datetime.combine(on, written.clock)
        return moment + timedelta(days=1) if written.next_day else moment

    def day(self, text: str, name: str, row: int) -> date | None:
        """The date in ``text`` (a time beside it is ignored); ``None`` while its order is open."""
        written = self._parse(text.strip())
        if written is None or not written.has_date:
            raise ValidationError(N_("{field}: '{value}' is not a date (YYYY-MM-DD)"), field=name, value=text)
        on = self._date(written, name, row, text)
        # once the order is decided (or given) no later row changes how this text reads
        if on is not None and (written.fixed is not None or self.order is not None) and len(self.days) < _CACHE:
            self.days[text] = on
        return on

    def _parse(self, value: str) -> Written | None:
        """:func:`parse`, remembered: a file repeats its dates and times of day many times."""
        try:
            return self._seen[value]
        except KeyError:
            written = self._seen[value] = parse(value)
            if len(self._seen) > _CACHE:
                self._seen.clear()  # a file of unique values (Unix timestamps): start again
            return written

    def tell(self, text: str, row: int) -> None:
        """Let the date in ``text``, on a row that is bad for another reason (a person no one
        knows, a cell the reader refuses), tell the file's day/month order as :meth:`day` would:
        a date that can only be read one way decides it. Such a row never waits for the order
        and is never refused for its date; a value that is no date, reads both ways or does not
        fit the order decided so far is passed over (the row is reported for its own reason)."""
        if self.order is not None:
            return
        written = self._parse(text.strip())
        if written is None or len(written.readings) != 1:
            return
        only = next(iter(written.readings))
        self._only.setdefault(only, (row, text.strip()))
        self._open = {only}

    def _date(self, written: Written, name: str, row: int, text: str) -> date | None:
        if written.fixed is not None:
            return written.fixed
        fits = {o: d for o, d in written.readings.items() if o in self._open}
        if not fits:
            if self.given:
                raise ValidationError(
                    N_("{field}: '{value}' is not a date in the order {order} given for this file"),
                    field=name, value=text, order=self.given,
                )
            self._conflict(written, row, text)
        if len(written.readings) == 1:
            only = next(iter(written.readings))
            self._only.setdefault(only, (row, text.strip()))
            self._open = {only}
        dates = set(fits.values())
        if len(dates) == 1:
            self.used_order = True
            return dates.pop()
        if self._waiting is None:
            self._waiting = (row, text.strip())
        return None

    def _conflict(self, written: Written, row: int, text: str) -> None:
        only = next(iter(written.readings))
        self._only.setdefault(only, (row, text.strip()))
        dmy_row, dmy_value = self._only["dmy"]
        mdy_row, mdy_value = self._only["mdy"]
        raise FileRejected(
            N_(
                "{file}: the dates are written in two orders: row {dmy_row} ('{dmy_value}') can only be "
                "day/month/year, row {mdy_row} ('{mdy_value}') only month/day/year. Nothing was imported. "
                "Correct the file, or give --date-order dmy or --date-order mdy to import the dates that "
                "fit that order and report the others."
            ),
            file=self.file, dmy_row=dmy_row, dmy_value=dmy_value, mdy_row=mdy_row, mdy_value=mdy_value,
            date_order_needed=True,  # the import wizard asks for the order instead
        )

    def order_note(self) -> str | None:
        """The report's note of the day/month order the file's dates were read in, when some date
        needed it (a file of ISO dates says nothing)."""
        if not self.used_order or self.order is None:
            return None
        order = _("day/month/year") if self.order == "dmy" else _("month/day/year")
        return _("Dates read as {order}.").format(order=order)

    def finish(self) -> None:
        """End of the file: refuse it if some date waited and the file never told its order."""
        if self._waiting is not None and self.order is not None:
            # The dates that waited are read in the order told (a date on a bad row may have told
            # it, :meth:`tell`): the report says so even before they are read again.
            self.used_order = True
        if self._waiting is not None and self.order is None:
            row, value = self._waiting
            raise FileRejected(
                N_(
                    "{file}: every date could be day/month/year or month/day/year (both numbers are 12 or "
                    "less, e.g. row {row}: '{value}'). Nothing was imported. Import it again with "
                    "--date-order dmy (day first) or --date-order mdy (month first)."
                ),
                file=self.file, row=row, value=value, date_order_needed=True,
            )


class FileDates:
    """The dates of a file whose rows are all in hand before any is taken (the roster, leave,
    people, sales and events imports), read by one :class:`DateReader`.

    Every date of ``fields`` is read first, so the day/month order is decided from the whole file,
    or the file refused whole (:class:`FileRejected`), before a row is written; ``order`` is the
    order the user gave (``"dmy"``, ``"mdy"``). A value that is no date is left for its row to
    report when it is taken.
    """

    def __init__(
        self, file: str, rows: Iterable[tuple[int, Mapping[str, str]]], fields: Sequence[str], order: str | None = None
    ) -> None:
        self._reader = DateReader(file, order)
        for number, row in rows:
            for name in fields:
                try:
                    text = row.get(name) or ""
                except ValidationError:
                    # A row the reader refused for a cell (reader.RefusedRow): its dates still tell
                    # the order, but none of them waits for it (the row is bad whatever it is).
                    if isinstance(row, dict):
                        self._reader.tell(dict.get(row, name) or "", number)
                    continue
                try:
                    if text.strip():
                        self._reader.day(text, name, number)
                except ValidationError:
                    continue  # a bad value: its row reports it
        self._reader.finish()

    def day(self, text: str, name: str, row: int) -> date:
        """The date in ``text`` (a cell of ``fields``) in the file's order; a value that is no date
        (or does not fit the order given) raises :class:`ValidationError` naming ``name``."""
        day = self._reader.day(text, name, row)
        assert day is not None, "every date of the file was read first: none waits for the order"
        return day

    def note(self) -> str | None:
        """The report's note of the order the dates were read in (:meth:`DateReader.order_note`)."""
        return self._reader.order_note()
