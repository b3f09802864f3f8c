"""The duty roster: who works which shift on which day."""

from __future__ import annotations

import calendar
from datetime import date, datetime, timedelta
from pathlib import Path

from csdesk.errors import ValidationError
from csdesk.i18n import N_, _
from csdesk.models.domain import Person, RosterEntry
from csdesk.models.repo_attendance import AttendanceRepository
from csdesk.rules import attendance as attendance_rules
from csdesk.services.attendance_month import unstaffed_days
from csdesk.services.base import Actor, Service, require, visible_to
from csdesk.services.imports.reader import (
    Column,
    FileFormat,
    ImportReport,
    open_import,
    parse_choice,
    required,
)
from csdesk.services.months import check_open, locked_row
from csdesk.services.people import Progress, person_for_viewer

ROSTER_FORMAT = FileFormat(
    "roster",
    (
        Column("employee_no", ("工号",)),
        Column("date", ("日期", "fecha", "day")),
        Column("shift", ("班次", "turno", "shift_code")),
    ),
)


def month_range(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


class RosterService(Service):
    """Shifts per person and day, from the policy's shift templates."""

    def people(self, actor: Actor, team: str | None = None) -> list[Person]:
        """The rostered people (agents and team leads) ``actor`` sees in the roster: everyone's,
        a team lead's team, an agent themselves; without personnel fields (see PeopleService)."""
        with self._uow() as uow:
            visible = visible_to(uow, actor, "attendance.view")
            team, employee_no = visible.narrow(team, None)
            people = uow.people.list(team=team, roles=["agent", "team_lead"])
        return [person_for_viewer(p, visible) for p in people if employee_no is None or p.employee_no == employee_no]

    def month(self, actor: Actor, year: int, month: int, team: str | None = None) -> list[RosterEntry]:
        """The shifts of the month, of the people ``actor`` sees (a team lead: their team)."""
        start, end = month_range(year, month)
        with self._uow() as uow:
            team, employee_no = visible_to(uow, actor, "attendance.view").narrow(team, None)
            entries = uow.roster.for_range(start, end, team)
        return [e for e in entries if employee_no is None or e.employee_no == employee_no]

    def plan_warnings(self) -> list[tuple[str, str, dict[str, object]]]:
        """(shift code, warning code, params) for each template that breaks the working-time rules.

        rules.md §2: nobody works more than 8 hours in a row; meal breaks at most 35 minutes.
        """
        out = []
        reference = date(2026, 1, 5)
        for tmpl in self.policy.shifts:
            if tmpl.rest:
                continue
            start, end = attendance_rules.shift_bounds(reference, tmpl.code, self.policy)
            breaks = []
            if tmpl.meal_break_start is not None and tmpl.meal_break_minutes:
                b_start = datetime.combine(reference, tmpl.meal_break_start)
                if b_start < start:
                    b_start += timedelta(days=1)
                breaks.append((b_start, b_start + timedelta(minutes=tmpl.meal_break_minutes)))
            for warning in attendance_rules.check_shift_plan(start, end, breaks, self.policy):
                out.append((tmpl.code, warning.code, dict(warning.params)))
        return out

    def set_shifts(self, actor: Actor, changes: list[tuple[str, date, str]]) -> int:
        """Several cells of the roster grid at once (drag-select, then pick a shift); one audit entry each."""
        require(actor, "attendance.edit")
        with self._uow() as uow:
            ids = uow.people.ids_by_employee_no()
            repo = AttendanceRepository(uow.session)
            for employee_no, day, shift_code in changes:
                code = parse_choice(shift_code, "shift", self.policy.shift_codes)
                if employee_no not in ids:
                    raise ValidationError(N_("Unknown employee number {no}"), field="employee_no", no=employee_no)
                check_open(uow, day)
                before = repo.set_shift(ids[employee_no], day, code)
                if before != code:
                    self.audit(uow, actor, "roster.set", "roster", f"{employee_no}:{day.isoformat()}", shift=[before, code])
            uow.commit()
        return len(changes)

    def copy_previous_month(self, actor: Actor, year: int, month: int, team: str | None = None) -> int:
        """Fill this month's empty days with the pattern of four weeks earlier (same weekday).

        The days off of holiday blocks stay empty unless the site staffs its holidays
        (``department_hours.holidays_worked``)."""
        require(actor, "attendance.edit")
        start, end = month_range(year, month)
        before = self.month(actor, *((year, month - 1) if month > 1 else (year - 1, 12)), team=team)
        pattern = {(e.employee_no, e.day): e.shift_code for e in before}
        taken = {(e.employee_no, e.day) for e in self.month(actor, year, month, team)}
        closed = unstaffed_days(start, end, self.policy)
        changes = []
        day = start
        while day <= end:
            source = day - timedelta(days=28)
            for (no, d), code in pattern.items():
                if d == source and (no, day) not in taken and day not in closed:
                    changes.append((no, day, code))
            day += timedelta(days=1)
        return self.set_shifts(actor, changes) if changes else 0

    def set_shift(self, actor: Actor, employee_no: str, day: date, shift_code: str) -> None:
        require(actor, "attendance.edit")
        code = parse_choice(shift_code, "shift", self.policy.shift_codes)
        with self._uow() as uow:
            ids = uow.people.ids_by_employee_no()
            if employee_no not in ids:
                raise ValidationError(N_("Unknown employee number {no}"), field="employee_no", no=employee_no)
            check_open(uow, day)
            uow.roster.set_shift(ids[employee_no], day, code)
            self.audit(uow, actor, "roster.set", "roster", f"{employee_no}:{day.isoformat()}", shift=code)
            uow.commit()

    def import_file(
        self, actor: Actor, path: Path, progress: Progress | None = None, *, date_order: str | None = None
    ) -> ImportReport:
        """``csdesk import roster``: unknown people or shift codes are bad rows; re-import changes nothing.

        The dates' day/month order is decided once for the file (:class:`FileDates`); ``date_order``
        (``"dmy"``/``"mdy"``) gives it for a file that cannot tell, which is otherwise refused whole."""
        require(actor, "import")
        report, rows, dates = open_import(path, ROSTER_FORMAT, "roster", ("date",), date_order)
        parsed: list[tuple[int, str, date, str]] = []
        with self._uow() as uow:
            uow.claim_area("roster")
            ids = uow.people.ids_by_employee_no()
            locked = uow.months.locked_months()
            seen: dict[tuple[str, date], int] = {}
            for number, row in rows:
                try:
                    no = required(row, "employee_no")
                    if no not in ids:
                        raise ValidationError(N_("Unknown employee number {no}"), field="employee_no", no=no)
                    day = dates.day(required(row, "date"), "date", number)
                    code = parse_choice(required(row, "shift"), "shift", self.policy.shift_codes)
                    if error := locked_row(locked, "date", day):
                        raise error
                except ValidationError as exc:
                    report.reject(number, exc)
                    continue
                if (no, day) in seen:
                    report.reject(
                        number,
                        ValidationError(
                            N_("{no} already has a shift on {day} in row {row}."), field="date", no=no, day=day.isoformat(), row=seen[(no, day)]
                        ),
                    )
                    continue
                seen[(no, day)] = number
                parsed.append((number, no, day, code))
                report.took(day)
            report.note_dates(_("Shifts dated {first} to {last}."))
            if parsed:
                days = [p[2] for p in parsed]
                existing = uow.roster.existing((ids[p[1]] for p in parsed), min(days), max(days))
            else:
                existing = {}
            fresh = []
            for i, (_number, no, day, code) in enumerate(parsed):
                if progress and i % 1000 == 0 and not progress(i, len(parsed)):
                    report.cancelled = True
                    return report
                key = (ids[no], day)
                if key not in existing:
                    fresh.append({"person_id": ids[no], "day": day, "shift_code": code})
                    report.took(person=ids[no])
                elif existing[key] == code:
                    report.duplicates += 1
                else:
                    report.took(person=ids[no])
                    uow.roster.set_shift(ids[no], day, code)
                    self.audit(uow, actor, "roster.set", "roster", f"{no}:{day.isoformat()}", shift=[existing[key], code])
                    report.updated += 1
            if fresh:
                uow.roster.add_many(fresh)
            report.written = len(fresh)
            self.audit(
                uow, actor, "import.roster", "file", path.name,
                written=report.written, updated=report.updated, duplicates=report.duplicates, rejected=len(report.problems),
            )
            uow.commit()
        return report
