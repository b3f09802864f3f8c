"""Punch files as clocks and apps export them (issue #13): their columns, layouts and punches.

Three layouts, told apart by the columns the header names:

* one row per punch: a person and the punch time, in one cell (``2026-11-02 08:55``, a Unix
  timestamp, an Excel serial number) or as a time of day beside a date column (刷卡日期 +
  刷卡时间, 考勤日期 + 打卡时间, Fecha + Hora). ZKTeco, DingTalk 原始记录, WeCom, Spanish apps;
* one row per person-day: a date and several punch columns (上班1打卡时间 / 下班1打卡时间,
  Entrada / Salida, Clock In / Clock Out); each filled one is a punch. DingTalk 每日统计 and
  Spanish "registro de jornada";
* ZKTeco's headerless ``attlog.dat``: enrol number, date and time, verify, state, work code.

A row or cell that records no punch (缺卡, 未打卡) is skipped and counted, not a bad row.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from csdesk.errors import ValidationError
from csdesk.i18n import N_, _
from csdesk.records import record
from csdesk.services.imports.dates import DateReader, fast_datetime, parse
from csdesk.services.imports.reader import Column, FileFormat, Table, norm_header

PERSON = Column(
    "employee_no",
    (
        "工号", "emp_no", "employee no", "employee id", "员工编号", "员工工号", "人员编号", "EnNo", "登记号码",
        "考勤号码", "AC-No.", "No.", "PIN", "userid", "账号", "número de empleado", "numero de empleado",
        "nº empleado", "id empleado", "código empleado", "codigo empleado",
    ),
    label=N_("Employee no."),
)
NAME = Column(
    "name",
    ("姓名", "员工姓名", "Employee name", "nombre", "empleado", "trabajador", "nombre y apellidos", "apellidos y nombre",
     "nombre completo"),
    label=N_("Name"),
)
TIME = Column(
    "time",
    (
        "打卡时间", "datetime", "punch_time", "Date/Time", "日期时间", "刷卡时间", "签到时间", "时间", "checkin_time",
        "punch time", "hora", "fecha/hora", "fecha y hora", "hora de fichaje", "fichaje", "marcaje",
    ),
    label=N_("Punch time"),
)
DAY = Column("date", ("日期", "刷卡日期", "考勤日期", "打卡日期", "work date", "fecha", "día", "dia"), label=N_("Date"))
DEVICE = Column(
    "device",
    ("设备", "机器号", "机器编号", "打卡设备", "考勤机", "TMNo", "Location ID", "deviceid", "terminal", "dispositivo"),
    required=False,
)
RESULT = Column("result", ("打卡结果", "exception_type", "punch result", "resultado"), required=False)
PUNCH_FORMAT = FileFormat("punches", (PERSON, NAME, TIME, DAY, DEVICE, RESULT))

# Punch columns of a row per person-day, and the result column beside each (headers normalised).
_DAY_PUNCH = re.compile(
    r"(?P<cn>(?:上班|下班)\d*)打卡时间|(?P<cn2>(?:签到|签退)\d*)(?:时间)?"
    r"|(?:hora(?:de)?)?(?:entrada|salida)\d*|(?:clock|check|time)?(?:in|out)\d*(?:time)?"
)
_DAY_RESULT = re.compile(r"(?P<group>(?:上班|下班|签到|签退)\d*)(?:打卡)?结果")
NO_PUNCH = ("缺卡", "未打卡", "未签到", "未签退")  # what DingTalk and WeCom write for a punch not made
_EMPTY = frozenset(("", "-", "--", "—", "——"))
_ATTLOG = re.compile(r"(\d+)_attlog", re.IGNORECASE)  # ZKTeco names the file after the device: 1_attlog.dat


def fold_id(text: str) -> str:
    """An employee number or device id as a punch file's person column is compared: full-width
    characters as their ASCII twins, and a number without its leading zeros (ZKTeco pads enrol
    numbers: 00001001 is 1001)."""
    plain = unicodedata.normalize("NFKC", text).strip()
    if plain.isdecimal() and len(plain) <= 18:
        return str(int(plain))
    return plain


class PunchColumns:
    """The vocabulary of punch files for :func:`csdesk.services.imports.reader.find_table`."""

    def match(self, header: Sequence[str]) -> dict[str, int]:
        index = PUNCH_FORMAT.match(header)
        known = PUNCH_FORMAT.lookup()
        for i, cell in enumerate(header):
            key = norm_header(cell)
            if not key or key in known:
                continue
            if _DAY_PUNCH.fullmatch(key):
                index[f"punch:{i}"] = i
            elif (result := _DAY_RESULT.fullmatch(key)) is not None:
                index.setdefault(f"result:{result.group('group')}", i)
        return index

    def missing(self, index: Mapping[str, int]) -> list[str]:
        need = []
        if "employee_no" not in index and "name" not in index:
            need.append(_("{first} or {second}").format(first=PERSON.describe(), second=NAME.describe()))
        if "time" not in index and not ("date" in index and any(k.startswith("punch:") for k in index)):
            need.append(
                _("{first} or {second}").format(
                    first=TIME.describe(),
                    second=_(
                        "a date column with punch columns (上班1打卡时间 / 下班1打卡时间, Entrada / Salida, "
                        "Clock In / Clock Out)"
                    ),
                )
            )
        return need

    @staticmethod
    def rank(index: Mapping[str, int]) -> int:
        """A sheet of raw punches before a sheet of daily summaries (DingTalk has both)."""
        return 0 if "time" in index else 1

    @staticmethod
    def headerless(rows: Sequence[list[str]]) -> dict[str, int] | None:
        """ZKTeco's attlog.dat: every row an enrol number, then a date and time."""
        sample = [cells for cells in rows if any(cells)][:10]
        for cells in sample:
            if len(cells) < 2 or not cells[0].isdigit():
                return None
            if fast_datetime(cells[1]) is None:
                written = parse(cells[1])
                if written is None or written.fixed is None or written.clock is None:
                    return None
        return {"employee_no": 0, "time": 1} if sample else None


@record
class PunchLayout:
    """Where a table's punches are: the cell indexes of each role."""

    person: int | None
    name: int | None
    time: int | None
    day: int | None
    device: int | None
    result: int | None
    # a row per person-day: (header, punch cell, the cell of its result or None)
    punches: tuple[tuple[str, int, int | None], ...] = ()
    default_device: str | None = None
    # the other cells the header names as a person's id, in the header's order: DingTalk's 原始记录
    # has 工号 (often empty) and UserId; a row's person is looked for by each id it carries in turn
    more_ids: tuple[int, ...] = ()

    @classmethod
    def of(cls, table: Table) -> PunchLayout:
        index = table.index
        punches: list[tuple[str, int, int | None]] = []
        if "time" not in index:
            for key, i in sorted(index.items(), key=lambda item: item[1]):
                if key.startswith("punch:"):
                    header = table.header[i]
                    m = _DAY_PUNCH.fullmatch(norm_header(header))
                    group = (m.group("cn") or m.group("cn2")) if m else None
                    punches.append((header, i, index.get(f"result:{group}") if group else None))
        attlog = _ATTLOG.match(table.file.name) if table.header_row == 0 else None
        return cls(
            person=index.get("employee_no"), name=index.get("name"), time=index.get("time"), day=index.get("date"),
            device=index.get("device"), result=index.get("result"), punches=tuple(punches),
            default_device=attlog.group(1) if attlog else None, more_ids=_more_ids(table),
        )

    @property
    def per_day(self) -> bool:
        return self.time is None


def _more_ids(table: Table) -> tuple[int, ...]:
    """The cells besides the person column whose header also names a person's id (an alias of
    ``employee_no``: UserId beside 工号), unless read as another field; none when the person
    column is not read at all (the import wizard's "not read")."""
    index = table.index
    if "employee_no" not in index:
        return ()
    known, taken = PUNCH_FORMAT.lookup(), set(index.values())
    return tuple(
        i
        for i, header in enumerate(table.header)
        if i not in taken and known.get(norm_header(header)) == "employee_no"
    )


@dataclass
class RowPunches:
    """The punches of one row, and how many records in it said "no punch"."""

    times: list[datetime] = field(default_factory=list)
    skipped: int = 0


def cell(cells: Sequence[str], i: int | None) -> str:
    """The text of cell ``i`` of a row ("" for a column the file lacks or a short row)."""
    try:
        return cells[i] if i is not None else ""
    except IndexError:
        return ""


def says_no_punch(text: str) -> bool:
    # every word of NO_PUNCH holds 卡 or 签: most cells are over after one test
    return ("卡" in text or "签" in text) and any(word in text for word in NO_PUNCH)


def row_punches(cells: Sequence[str], layout: PunchLayout, dates: DateReader, number: int) -> RowPunches | None:
    """The punches of a row; ``None`` while its date waits for the file's day/month order.

    Raises :class:`ValidationError` naming the field for a value that is no date or time.
    """
    day = cell(cells, layout.day) if layout.day is not None else None
    if not layout.per_day:
        text = cell(cells, layout.time)
        if says_no_punch(text) or (layout.result is not None and says_no_punch(cell(cells, layout.result))):
            return RowPunches(skipped=1)
        if text in _EMPTY:
            raise ValidationError(N_("{field} is empty"), field="time")
        at = dates.moment(text, "time", number, day=day)
        return None if at is None else RowPunches([at])
    if not day:
        raise ValidationError(N_("{field} is empty"), field="date")
    out = RowPunches()
    previous: datetime | None = None
    for header, i, result in layout.punches:
        text = cell(cells, i)
        if says_no_punch(text) or (text in _EMPTY and says_no_punch(cell(cells, result))):
            out.skipped += 1
            continue
        if text in _EMPTY:
            continue
        at = dates.moment(text, header, number, day=day)
        if at is None:
            return None
        if previous is not None and at < previous and _time_only(text):
            at += timedelta(days=1)  # a clock-out after midnight, written as a time of day on the shift's date
        out.times.append(at)
        previous = at
    return out


def _time_only(text: str) -> bool:
    written = parse(text)
    return written is not None and not written.has_date

