"""Punch-clock and leave files (interfaces.md): fast for a million punches, strict per row."""

from __future__ import annotations

from collections.abc import Callable, Collection
from datetime import datetime, time, timedelta
from pathlib import Path

from csdesk.errors import ValidationError
from csdesk.i18n import N_
from csdesk.models.db import UnitOfWork
from csdesk.policy import Policy
from csdesk.rules import attendance as rules
from csdesk.services.imports.reader import (
    Column,
    FileFormat,
    ImportReport,
    RefusedRow,
    parse_choice,
    parse_date,
    parse_datetime,
    parse_number,
    read_table,
    required,
)
from csdesk.services.months import LOCKED_ROW_MESSAGE, locked_row

Progress = Callable[[int, int], bool]

PUNCH_FORMAT = FileFormat(
    "punches",
    (
        Column("employee_no", ("工号", "emp_no", "employee no")),
        Column("time", ("打卡时间", "datetime", "punch_time", "hora")),
        Column("device", ("设备", "dispositivo"), required=False),
    ),
)

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


def fast_datetime(text: str) -> datetime:
    """``2026-10-08 08:29[:00]`` and ``2026/10/8 8:29:00`` without strptime; else the general parser."""
    t = text.strip()
    try:
        day, clock = t.split(" ", 1) if " " in t else t.split("T", 1)
        sep = "-" if "-" in day else "/"
        y, m, d = day.split(sep)
        parts = clock.split(":")
        if len(y) == 4 and 2 <= len(parts) <= 3:
            sec = parts[2].split(".")[0] if len(parts) == 3 else "0"
            return datetime(int(y), int(m), int(d), int(parts[0]), int(parts[1]), int(sec))
    except ValueError:
        pass
    return parse_datetime(text, "time")


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


def import_punches(uow: UnitOfWork, path: Path, progress: Progress | None = None, policy: Policy | None = None) -> ImportReport:
    """Bad rows named by row and field; duplicates (in the file or already stored) ignored and counted.

    A punch dated in a locked month, or a clock-out after midnight ending a locked month's last
    shift (with ``policy``), is a bad row naming the month."""
    report = ImportReport(str(path), "punches")
    uow.claim_area("punches")  # a second import of the same file waits, then counts duplicates
    repo = uow.attendance
    ids = uow.people.ids_by_employee_no()
    before = repo.punch_count()
    locked = uow.months.locked_months()
    batch: list[tuple[int, datetime, str | None]] = []
    months: set[tuple[int, int]] = set()
    for number, row in read_table(path, PUNCH_FORMAT):
        report.rows += 1
        if isinstance(row, RefusedRow):  # a cell the reader refused (too long, NUL)
            report.reject(number, row.error)
            continue
        no = row.get("employee_no", "").strip()
        pid = ids.get(no)
        if pid is None:
            err = ValidationError(N_("{field} is empty"), field="employee_no") if not no else ValidationError(
                N_("Unknown employee number {no}"), field="employee_no", no=no
            )
            report.reject(number, err)
            continue
        try:
            at = fast_datetime(required(row, "time"))
            if locked and (error := locked_row(locked, "time", at.date())):
                raise error
            if locked and (key := _overnight_into_locked(uow, locked, pid, at, policy)):
                raise ValidationError(LOCKED_ROW_MESSAGE, field="time", month=key)
        except ValidationError as exc:
            report.reject(number, exc)
            continue
        batch.append((pid, at, row.get("device") or None))
        months.add((at.year, at.month))
        if len(batch) >= _CHUNK:
            repo.insert_punches_ignoring_duplicates(batch)
            batch.clear()
            if progress and not progress(report.rows, 0):
                report.cancelled = True
                return report
    if batch:
        repo.insert_punches_ignoring_duplicates(batch)
    good = report.rows - len(report.problems)
    report.touched = {f"{y:04d}-{m:02d}" for y, m in months}
    report.written = repo.punch_count() - before
    report.duplicates = good - report.written
    return report


def import_leave(uow: UnitOfWork, path: Path, policy: Policy, actor_name: str, now: datetime) -> ImportReport:
    """Leave rows with their approval state; ``approved`` rows are taken to have met their conditions."""
    report = ImportReport(str(path), "leave")
    uow.claim_area("leave")
    repo = uow.attendance
    ids = uow.people.ids_by_employee_no()
    locked = uow.months.locked_months()
    for number, row in read_table(path, LEAVE_FORMAT):
        report.rows += 1
        try:
            no = required(row, "employee_no")
            if no not in ids:
                raise ValidationError(N_("Unknown employee number {no}"), field="employee_no", no=no)
            code = parse_choice(required(row, "type"), "type", policy.leave_codes)
            start = parse_date(required(row, "start"), "start")
            end = parse_date(required(row, "end"), "end")
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
        existing = repo.find_leave(ids[no], code, start, end)
        if existing is not None:
            if existing.status == status and (existing.hours or None) == hours:
                report.duplicates += 1
            else:
                repo.update_leave_status(existing.id, status, hours)
                report.updated += 1
            continue
        approved = status == "approved"
        repo.add_leave(
            person_id=ids[no], leave_type=code, start=start, end=end, hours=hours, status=status,
            reason=row.get("reason", ""), certificate=approved, cancelled_on_return=approved, created_at=now,
            created_by=actor_name, decided_by=actor_name if status != "pending" else None, decided_at=now if status != "pending" else None,
        )
        report.written += 1
        report.touched |= {f"{start.year:04d}-{start.month:02d}", f"{end.year:04d}-{end.month:02d}"}
    return report
