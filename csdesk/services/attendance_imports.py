"""Punch-clock and leave files (interfaces.md): fast for a million punches, strict per row.

Punch files are read as the clocks and apps export them (issue #13,
:mod:`csdesk.services.imports.punch_files`); their dates through one
:class:`~csdesk.services.imports.dates.DateReader` per file, which decides the day/month order once.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from operator import itemgetter
from pathlib import Path

from csdesk.errors import ValidationError
from csdesk.i18n import N_, _, ngettext
from csdesk.models.db import UnitOfWork
from csdesk.policy import Policy
from csdesk.rules import attendance as rules
from csdesk.services.imports.dates import DateReader, FileDates, fast_datetime
from csdesk.services.imports.punch_files import PUNCH_FORMAT as PUNCH_FORMAT
from csdesk.services.imports.punch_files import PunchColumns, PunchLayout, cell, fold_id, row_punches, says_no_punch
from csdesk.services.imports.reader import (
    MAX_CELL_CHARS,
    SUSPECT,
    Column,
    FileFormat,
    ImportReport,
    Table,
    cell_problem,
    find_table,
    parse_choice,
    parse_number,
    read_table,
    required,
)
from csdesk.services.imports.sources import open_sheets
from csdesk.services.months import LOCKED_ROW_MESSAGE, first_locked, locked_row

Progress = Callable[[int, int], bool]

LEAVE_FORMAT = FileFormat(
    "leave",
    (
        Column("employee_no", ("工号",)),
        Column("type", ("类型", "tipo", "leave_type")),
        Column("start", ("开始", "inicio")),
        Column("end", ("结束", "fin")),
        Column("status", ("状态", "estado"), required=False),
        Column("reason", ("事由", "motivo"), required=False),
        Column("hours", ("小时", "horas"), required=False),
    ),
)

_CHUNK = 50_000
_ROSTER_PROBE = 100  # (chosen) people whose roster one query asks for when looking for a month's roster
_COLUMNS = PunchColumns()
Punch = tuple[int, datetime, str | None]  # a punch to write: (person id, time, device)
_BY_PERSON, _BY_TIME = itemgetter(0), itemgetter(1)  # the orders a batch of punches is written in
_ORDER_SAMPLE = 16  # (chosen) one punch in this many tells how many people and days a batch holds


def _fold(name: str) -> str:
    """A name as compared: NFKC, case and spacing ignored."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


class PersonFinder:
    """A punch file's person column matched to ``employee_no``, then to ``device_id`` (the clock's
    enrol number, the app's user id), each first as written and then as
    :func:`~csdesk.services.imports.punch_files.fold_id` compares them (full-width digits, leading
    zeros dropped); then each further id column the row carries (DingTalk's UserId beside an empty
    or unknown 工号) the same way; then its name column to a name unique among active people."""

    def __init__(self, uow: UnitOfWork) -> None:
        people = uow.people.list(include_inactive=True)  # a punch of someone who has left still counts
        self.by_no = {p.employee_no: p.id for p in people}  # what find() looks in first
        self.by_device = {p.device_id: p.id for p in people if p.device_id}  # and then (quick() too)
        # a folded id two people share (00123 and 123) matches neither
        self._by_folded_no = _unique((fold_id(p.employee_no), p.id) for p in people)
        self._by_folded_device = _unique((fold_id(p.device_id), p.id) for p in people if p.device_id)
        self._by_name: dict[str, list[int]] = {}
        for person in people:
            if person.active:
                self._by_name.setdefault(_fold(person.name), []).append(person.id)

    def find(self, nos: Iterable[str], name: str, name_column: bool) -> int:
        """The person's id, by the first of the row's ids (``nos``, its id columns in order; empty
        ones passed over) that someone has, else by the name; or a :class:`ValidationError`
        naming the field and the values."""
        tried: list[str] = []
        for no in nos:
            if not no:
                continue
            pid = self.by_no.get(no)
            if pid is None:
                pid = self.by_device.get(no)
            if pid is None:
                key = fold_id(no)
                pid = self._by_folded_no.get(key)
                if pid is None:
                    pid = self._by_folded_device.get(key)
            if pid is not None:
                return pid
            tried.append(no)
        no = " / ".join(tried)
        if name:
            ids = self._by_name.get(_fold(name), [])
            if len(ids) == 1:
                return ids[0]
            if len(ids) > 1:
                raise ValidationError(
                    N_("{n} active people are named {name}: give the employee number"), field="name", n=len(ids), name=name
                )
            if no:
                raise ValidationError(
                    N_("No person has the employee number or device id {no}, and no active person is named {name}"),
                    field="employee_no", no=no, name=name,
                )  # fmt: skip
            raise ValidationError(N_("No active person is named {name}"), field="name", name=name)
        if no:
            raise ValidationError(N_("No person has the employee number or device id {no}"), field="employee_no", no=no)
        raise ValidationError(N_("{field} is empty"), field="name" if name_column else "employee_no")


def _unique(pairs: Iterable[tuple[str, int]]) -> dict[str, int]:
    """key → id for the keys only one id has."""
    found: dict[str, int | None] = {}
    for key, pid in pairs:
        found[key] = pid if found.get(key, pid) == pid else None
    return {key: pid for key, pid in found.items() if pid is not None}


def _overnight_into_locked(uow: UnitOfWork, locked: Collection[str], pid: int, at: datetime, policy: Policy | None) -> str | None:
    """The locked month a punch in the small hours of the 1st belongs to: the last shift of that
    month ran past midnight (a clock-out after an evening shift), so the punch is one of its facts."""
    if policy is None or at.day != 1 or at.time() >= (datetime.min + rules.OVERNIGHT_PUNCH_WINDOW).time():
        return None
    last = at.date() - timedelta(days=1)
    key = f"{last.year:04d}-{last.month:02d}"
    if key not in locked:
        return None
    for _pid, day, code in uow.attendance.roster([pid], last, last):
        template = policy.shifts_by_code.get(code)
        if template is not None and not template.rest and rules.shift_bounds(day, code, policy)[1] >= datetime.combine(at.date(), time()):
            return key
    return None


@dataclass
class MonthRows:
    """The rows an import took in one month, and whose they are."""

    rows: int = 0
    people: set[int] = field(default_factory=set)

    def add(self, person_id: int, rows: int = 1) -> None:
        self.rows += rows
        self.people.add(person_id)


def warn_unrostered(
    uow: UnitOfWork, report: ImportReport, months: Mapping[tuple[int, int], MonthRows], message: Callable[[int], str]
) -> None:
    """Warn (``NO_ROSTER``) of each month, oldest first, in which none of the people the import took
    rows for has a roster: their attendance is not judged there, and a file with US dates read as
    European lands in such months. ``message(n)`` is the translated text, with ``{n}`` and ``{month}``."""
    for (year, month), taken in sorted(months.items()):
        first = date(year, month, 1)
        last = date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
        people = sorted(taken.people)
        # a rostered month answers from its first few people; only an empty one is read through
        chunks = (people[i : i + _ROSTER_PROBE] for i in range(0, len(people), _ROSTER_PROBE))
        if any(uow.roster.existing(chunk, first, last) for chunk in chunks):
            continue
        key = f"{year:04d}-{month:02d}"
        report.warn("NO_ROSTER", message(taken.rows).format(n=taken.rows, month=key), month=key, count=taken.rows)


class _PunchRows:
    """Turns a punch file's rows into punches to insert, reporting bad rows (one import)."""

    def __init__(self, uow: UnitOfWork, table: Table, report: ImportReport, dates: DateReader, policy: Policy | None) -> None:
        self.uow, self.report, self.dates, self.policy = uow, report, dates, policy
        self.layout = PunchLayout.of(table)
        self.people = PersonFinder(uow)
        self.locked = uow.months.locked_months()
        self.batch: list[Punch] = []
        self.months: dict[tuple[int, int], MonthRows] = {}
        self.days: set[date] = set()
        # the cells whose text the reader checks (too long, NUL, undecodable), named as reported
        layout = self.layout
        named = [("employee_no", layout.person), ("name", layout.name), ("time", layout.time), ("date", layout.day),
                 ("device", layout.device), ("result", layout.result)]
        named += [(header, i) for header, i, _result in layout.punches]
        self.checked = [(name, i) for name, i in named if i is not None]
        self._taken: dict[str | date, tuple[date, MonthRows]] = {}  # for quick(): see quick_reader
        self.can_be_quick = layout.person is not None and layout.time is not None

    def quick_reader(self) -> Callable[[Sequence[str]], bool]:
        """``quick(cells)``: the usual row of a big file taken without the general reader (a
        million rows must import about as fast as the database takes them), its cells as the file
        writes them (``Table.raw_rows``): a known employee number, a time the date reader has read
        before (a time of day beside a date it has read before, as DingTalk's 打卡时间 beside
        考勤日期, or ``2026-10-08 08:29[:00]``), in a month open with the month of the day before,
        and no cell the reader refuses or that says "no punch"; a row whose person cell is empty
        (DingTalk's 工号) by its next id cell (UserId) as an employee number or a device id as
        written. ``False``, having changed nothing,
        for a row that needs :meth:`take`, which takes every row as quick() would. What it looks
        up is bound here, once: at a million rows each attribute read counts."""
        assert self.can_be_quick
        layout, dates = self.layout, self.dates
        # the cells quick() reads (person, time, the date when the file has a date column), then
        # the other cells the reader checks
        read = [layout.person, layout.time, *([layout.day] if layout.day is not None else [])]
        read += [i for _name, i in self.checked if i not in read]
        # the next id cell, checked with the others: a row whose cell the reader refuses goes to
        # take(), which reads it only when the person cell is empty (the same result either way)
        more_at = len(read) if layout.more_ids else None
        read += layout.more_ids[:1]
        cells_of = itemgetter(*read)
        device_at = read.index(layout.device) if layout.device is not None else None
        result_at = read.index(layout.result) if layout.result is not None else None
        default_device = layout.default_device or None
        by_no, by_device = self.people.by_no, self.people.by_device
        clocks, days, batch, combine = dates.clocks, dates.days, self.batch, datetime.combine
        strip = str.strip
        # the days taken on, with their month, by the date cell's text (a file with a date column) or the date
        taken, open_day = self._taken, self._open_day
        dated = layout.day is not None

        def quick(cells: Sequence[str]) -> bool:
            try:
                values = cells_of(cells)
            except IndexError:  # a short row
                return False
            # One test for all the cells as written: none too long, no control character or U+FFFD
            # (isprintable() is the quick test of nearly every row, the pattern the exact one).
            # Stripping them can only shorten them and take such characters off their ends.
            joined = "¦".join(values)
            printable = joined.isprintable() and "\ufffd" not in joined
            if len(joined) > MAX_CELL_CHARS or not printable and SUSPECT.search(joined):
                return False
            # The cells are stripped when one may need it: a printable text's only whitespace is " ".
            if not printable or joined[0] == " " or joined[-1] == " " or " ¦" in joined or "¦ " in joined:
                values = tuple(map(strip, values))
            pid = by_no.get(values[0])
            if pid is None:
                if values[0] or more_at is None:
                    return False
                pid = by_no.get(values[more_at])  # as find() looks: an employee number, then a device id
                if pid is None:
                    pid = by_device.get(values[more_at])
                    if pid is None:
                        return False
            if result_at is not None:
                result = values[result_at]
                if ("卡" in result or "签" in result) and says_no_punch(result):  # the test inlined: most cells fail it
                    return False
            if dated:
                clock = clocks.get(values[1])
                if clock is None:
                    return False
                text = values[2]
                day = taken.get(text) or open_day(days.get(text), text)
                if day is None:
                    return False
                at = combine(day[0], clock)
            else:
                at = fast_datetime(values[1])
                if at is None:
                    return False
                on = at.date()
                day = taken.get(on) or open_day(on, on)
                if day is None:
                    return False
            month = day[1]
            month.rows += 1
            month.people.add(pid)
            batch.append((pid, at, (values[device_at] if device_at is not None else "") or default_device))
            return True

        return quick

    def _open_day(self, on: date | None, key: str | date) -> tuple[date, MonthRows] | None:
        """For quick(), which takes its row when this answers: the day ``on`` with its month, unless
        the day's month or the day before's is locked (take() says which, or reads the punch as the
        end of a locked month's shift)."""
        if on is None or self.locked and (on == date.min or first_locked(self.locked, on - timedelta(days=1), on)):
            return None
        day = self._taken[key] = (on, self._month(on))
        self.days.add(on)
        return day

    def _month(self, day: date) -> MonthRows:
        month = self.months.get((day.year, day.month))
        if month is None:
            month = self.months[day.year, day.month] = MonthRows()
        return month

    def take(self, number: int, cells: Sequence[str]) -> bool:
        """Read one row into the batch or the report; ``False`` when its date must wait for the order."""
        layout, report = self.layout, self.report
        try:
            for name, i in self.checked:
                if (problem := cell_problem(name, cell(cells, i))) is not None:
                    raise problem
            pid = self.people.find(self._ids(cells), cell(cells, layout.name), layout.name is not None)
            punches = row_punches(cells, layout, self.dates, number)
            if punches is None:
                return False
            for at in punches.times:
                if self.locked and (error := locked_row(self.locked, "time", at.date())):
                    raise error
                if self.locked and (key := _overnight_into_locked(self.uow, self.locked, pid, at, self.policy)):
                    raise ValidationError(LOCKED_ROW_MESSAGE, field="time", month=key)
        except ValidationError as exc:
            # a bad row's date may still be the one that tells the file's day/month order
            if (where := layout.day if layout.day is not None else layout.time) is not None:
                self.dates.tell(cell(cells, where), number)
            report.reject(number, exc)
            return True
        report.skipped += punches.skipped
        device = cell(cells, layout.device) or layout.default_device
        for at in punches.times:
            self.batch.append((pid, at, device or None))
            self._month(at.date()).add(pid)
            self.days.add(at.date())
        return True

    def _ids(self, cells: Sequence[str]) -> Iterator[str]:
        """The row's ids in the order they are looked up: the person column, then the further id
        columns (:attr:`PunchLayout.more_ids`), each checked as the reader checks a cell only when
        it is reached: a row found by its first id never reads the others (as quick() takes it)."""
        yield cell(cells, self.layout.person)
        for i in self.layout.more_ids:
            text = cell(cells, i)
            if (problem := cell_problem("employee_no", text)) is not None:
                raise problem
            yield text

    def flush(self) -> None:
        if self.batch:
            self.batch.sort(key=_insert_order(self.batch))
            self.uow.attendance.insert_punches_ignoring_duplicates(self.batch)
            self.batch.clear()


def _insert_order(batch: Sequence[Punch]) -> Callable[[Punch], object]:
    """The key a batch of punches is sorted by before it is written. The punches table has two
    indexes, by person and by time: a batch in the file's order jumps about in one of them, whose
    pages SQLite then reads and writes again and again. Sorted by time when the batch holds fewer
    people than days (a file listed person by person), else by person (listed day by day), each
    index takes it in a few passes: a million punches insert in 4 s instead of 8–9 (bench_imports,
    both listings). The sort is stable: of two rows of one punch the file's first is still the one
    written."""
    sample = batch[::_ORDER_SAMPLE]
    people = len({pid for pid, _at, _device in sample})
    days = len({at.date() for _pid, at, _device in sample})
    return _BY_TIME if people <= days else _BY_PERSON


def import_punches(
    uow: UnitOfWork, path: Path, progress: Progress | None = None, policy: Policy | None = None, date_order: str | None = None
) -> ImportReport:
    """Bad rows named by row and field; duplicates (in the file or already stored) ignored and counted.

    ``date_order`` (``"dmy"`` or ``"mdy"``) is the day/month order of the file's dates when the
    file itself cannot tell; without it such a file is refused whole. A punch dated in a locked
    month, or a clock-out after midnight ending a locked month's last shift (with ``policy``), is a
    bad row naming the month."""
    report = ImportReport(str(path), "punches")
    uow.claim_area("punches")  # a second import of the same file waits, then counts duplicates
    before = uow.attendance.punch_count()
    dates = DateReader(path.name, date_order)
    with open_sheets(path) as sheets:
        table = find_table(path, sheets, _COLUMNS, rank=_COLUMNS.rank, headerless=_COLUMNS.headerless)
        rows = _PunchRows(uow, table, report, dates, policy)
        waiting: list[tuple[int, list[str]]] = []  # rows whose dates read two ways until the file tells
        quick = rows.quick_reader() if rows.can_be_quick else None
        batch, count, strip = rows.batch, 0, str.strip
        for number, cells in table.raw_rows() if quick else table.rows():
            if quick is None or not quick(cells):
                if quick is not None:
                    cells = list(map(strip, cells))  # as table.rows() gives them
                if not any(cells):
                    continue
                if not rows.take(number, cells):
                    waiting.append((number, cells))
            count += 1
            if len(batch) >= _CHUNK:
                rows.flush()
                report.rows = count
                if progress and not progress(count, 0):
                    report.cancelled = True
                    return report
        report.rows = count
        dates.finish()  # refuses the file if its day/month order is still open
        for number, cells in waiting:
            taken = rows.take(number, cells)
            assert taken, "the order is decided: no row waits any more"
        rows.flush()
    report.problems.sort(key=lambda p: p.row)
    report.touched = {f"{y:04d}-{m:02d}" for y, m in rows.months}
    report.people = {person for month in rows.months.values() for person in month.people}
    report.written = uow.attendance.punch_count() - before
    report.duplicates = sum(month.rows for month in rows.months.values()) - report.written  # the punches taken
    _describe(report, table, dates, rows.days, sheets_read=len(sheets))
    warn_unrostered(uow, report, rows.months, lambda n: ngettext(
        "{n} punch falls in {month}, which has no roster.", "{n} punches fall in {month}, which has no roster.", n
    ))  # fmt: skip
    return report


def _describe(report: ImportReport, table: Table, dates: DateReader, days: set[date], sheets_read: int) -> None:
    """Notes a supervisor checks the import by: where it read, how it read the dates, what it took."""
    if table.header_row == 0:
        report.notes.append(_("Read as a ZKTeco attendance log without a header: enrol number, date and time."))
    elif sheets_read > 1:
        note = _("Read sheet {sheet}, header in row {row}.")
        report.notes.append(note.format(sheet=table.sheet.name, row=table.header_row))
    elif table.header_row > 1:
        report.notes.append(_("Header in row {row}; the rows above it were skipped.").format(row=table.header_row))
    if note := dates.order_note():
        report.notes.append(note)
    if days:
        report.first_date, report.last_date = min(days), max(days)
        first, last = report.first_date.isoformat(), report.last_date.isoformat()
        report.notes.append(_("Punches dated {first} to {last}.").format(first=first, last=last))
    if report.skipped:
        report.notes.append(
            ngettext(
                "{n} record of no punch (缺卡, 未打卡) was skipped.",
                "{n} records of no punch (缺卡, 未打卡) were skipped.",
                report.skipped,
            ).format(n=report.skipped)
        )


def import_leave(
    uow: UnitOfWork, path: Path, policy: Policy, actor_name: str, now: datetime, *, date_order: str | None = None
) -> ImportReport:
    """Leave rows with their approval state; ``approved`` rows are taken to have met their conditions.

    The dates' day/month order is decided once for the file (:class:`FileDates`); ``date_order``
    (``"dmy"`` or ``"mdy"``) gives it for a file that cannot tell, which is otherwise refused whole."""
    report = ImportReport(str(path), "leave")
    rows = list(read_table(path, LEAVE_FORMAT))
    dates = FileDates(path.name, rows, ("start", "end"), date_order)
    uow.claim_area("leave")
    repo = uow.attendance
    ids = uow.people.ids_by_employee_no()
    locked = uow.months.locked_months()
    months: dict[tuple[int, int], MonthRows] = {}
    for number, row in rows:
        report.rows += 1
        try:
            no = required(row, "employee_no")
            if no not in ids:
                raise ValidationError(N_("Unknown employee number {no}"), field="employee_no", no=no)
            code = parse_choice(required(row, "type"), "type", policy.leave_codes)
            start = dates.day(required(row, "start"), "start", number)
            end = dates.day(required(row, "end"), "end", number)
            if end < start:
                raise ValidationError(N_("The leave ends before it starts."), field="end")
            status = parse_choice(row.get("status") or "pending", "status", ("approved", "pending", "rejected"))
            hours = parse_number(row["hours"], "hours", 0, 24) if row.get("hours") else None
            if hours is not None and start != end:
                raise ValidationError(N_("Hours are for a leave within one day."), field="hours")
            if error := locked_row(locked, "start", start, end):
                raise error
        except ValidationError as exc:
            report.reject(number, exc)
            continue
        report.first_date = min(report.first_date or start, start)
        report.last_date = max(report.last_date or end, end)
        for key in _months_of(start, end):
            months.setdefault(key, MonthRows()).add(ids[no])
        existing = repo.find_leave(ids[no], code, start, end)
        if existing is not None:
            if existing.status == status and (existing.hours or None) == hours:
                report.duplicates += 1
            else:
                repo.update_leave_status(existing.id, status, hours)
                report.updated += 1
                report.took(person=ids[no])
            continue
        approved = status == "approved"
        repo.add_leave(
            person_id=ids[no], leave_type=code, start=start, end=end, hours=hours, status=status,
            reason=row.get("reason", ""), certificate=approved, cancelled_on_return=approved, created_at=now,
            created_by=actor_name, decided_by=actor_name if status != "pending" else None, decided_at=now if status != "pending" else None,
        )
        report.written += 1
        report.took(person=ids[no])
        report.touched |= {f"{start.year:04d}-{start.month:02d}", f"{end.year:04d}-{end.month:02d}"}
    if note := dates.note():
        report.notes.append(note)
    if report.first_date and report.last_date:
        first, last = report.first_date.isoformat(), report.last_date.isoformat()
        report.notes.append(_("Leave dated {first} to {last}.").format(first=first, last=last))
    warn_unrostered(uow, report, months, lambda n: ngettext(
        "{n} leave request falls in {month}, which has no roster.", "{n} leave requests fall in {month}, which has no roster.", n
    ))  # fmt: skip
    return report


def _months_of(start: date, end: date) -> list[tuple[int, int]]:
    """(year, month) of every month from ``start``'s to ``end``'s."""
    out = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        out.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out
