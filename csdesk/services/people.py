"""People and teams: the personnel list, its form, its import and the level history.

Every time a person's level is set or changes, a ``level_changes`` row records from when it
applies (rules.md §8 judges promotion and demotion on the months since then): a change made in
the form or by an import applies from the service's today; the first level of a new person
from the join date when it is known.

A signed-off (locked) month keeps the facts it was signed with (services/months.py): a change
whose date falls in a locked month, or moves a date across one, is refused (an import row naming
the month is a bad row). The dates are the join date (from the old one to the new one: a locked
month between them would count the agent, or stop counting them), the start of a level (a new
level's ``level_since``, default today; a corrected start from the recorded one to the new one),
and today for what carries no date of its own: a new role, deactivating or reactivating someone.
Name, team, phone and the like carry none and are never refused.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import asdict, replace
from datetime import date
from pathlib import Path

from csdesk.errors import NotFound, ValidationError
from csdesk.i18n import N_, _
from csdesk.models.db import UnitOfWork
from csdesk.models.domain import LevelTimeline, Person, PersonData, Team
from csdesk.models.repositories import LevelChangeRepository, person_data
from csdesk.services.base import ALL, PERSONNEL, Actor, Service, Visible, require, visible_to
from csdesk.services.imports.dates import FileDates
from csdesk.services.imports.punch_files import fold_id
from csdesk.services.imports.reader import (
    Column,
    FileFormat,
    ImportReport,
    open_import,
    parse_choice,
    required,
)
from csdesk.services.months import LOCKED_ROW_MESSAGE, check_open, first_locked

PEOPLE_FORMAT = FileFormat(
    "people",
    (
        Column("employee_no", ("工号", "employee no", "emp_no")),
        Column("name", ("姓名", "nombre")),
        Column("team", ("班组", "equipo")),
        Column("role", ("角色", "rol"), required=False),
        Column("level", ("级别", "nivel"), required=False),
        Column("join_date", ("入职日期", "fecha de alta"), required=False),
        Column("birthday", ("生日", "cumpleaños"), required=False),
        Column("gender", ("性别", "sexo"), required=False),
        Column("phone", ("电话", "teléfono", "telefono"), required=False),
        Column(
            "device_id",
            ("考勤号码", "登记号码", "考勤号", "userid", "enrol number", "enroll number", "EnNo", "AC-No.",
             "número de fichaje", "numero de fichaje"),
            required=False,
        ),
    ),
)

VIEW = "people.view"
_GENDERS = {"f": "F", "m": "M", "女": "F", "男": "M", "mujer": "F", "hombre": "M"}
_ROLE_ALIASES = {"qa_inspector": "qa", "teamlead": "team_lead", "team lead": "team_lead"}
_EMPLOYEE_NO = re.compile(r"^[A-Za-z0-9_\-]{1,32}$")
_DEVICE_ID = re.compile(r"^[^\s\x00-\x1f\x7f]{1,64}$")  # an enrol number or an app's user id: no spaces

Progress = Callable[[int, int], bool]  # (done, total) -> keep going?


class PeopleService(Service):
    """The personnel list; writes are the supervisor's (rules.md §1)."""

    def teams(self, include_inactive: bool = False) -> list[Team]:
        """The team names and sizes (no personal data: every signed-in desk lists them)."""
        with self._uow() as uow:
            return uow.teams.list(include_inactive)

    def teams_seen(self, actor: Actor) -> list[Team]:
        """The teams whose people ``actor`` sees: every team, a team lead's own, or none (an agent)."""
        with self._uow() as uow:
            teams = uow.teams.list(False)
            if actor.scope == ALL:
                return teams
            visible = visible_to(uow, actor, VIEW) if actor.can(VIEW) else None
        own = visible.team if visible is not None else None
        return [t for t in teams if t.name == own]

    def sees_every_team(self, actor: Actor) -> bool:
        return actor.scope == ALL

    def people(
        self, actor: Actor, team: str | None = None, include_inactive: bool = False, roles: list[str] | None = None
    ) -> list[Person]:
        """The people ``actor`` sees (a team lead: their team), personnel fields shown only to
        those who see personnel files (rules.md §1, §12)."""
        with self._uow() as uow:
            visible = visible_to(uow, actor, VIEW)
            team, employee_no = visible.narrow(team, None)
            people = uow.people.list(team=team, include_inactive=include_inactive, roles=roles)
        return [person_for_viewer(p, visible) for p in people if employee_no is None or p.employee_no == employee_no]

    def directory(self, actor: Actor, roles: list[str] | None = None) -> list[tuple[str, str]]:
        """(employee_no, name) of the active staff of ``roles``: the names a handover or a
        callback picker shows (who is on the floor), open to every role that works the floor."""
        if not (actor.can(VIEW) or actor.can("handover.view") or actor.can("callbacks.view")):
            require(actor, VIEW)
        with self._uow() as uow:
            return [(p.employee_no, p.name) for p in uow.people.list(roles=roles)]

    def get(self, actor: Actor, employee_no: str) -> Person:
        with self._uow() as uow:
            visible = visible_to(uow, actor, VIEW)
            person = uow.people.get(employee_no)
            if person is None:
                raise NotFound(N_("No person with employee number {no}"), no=employee_no)
            visible.check(person.id)
        return person_for_viewer(person, visible)

    def count(self) -> int:
        """How many people there are (whether a new site still needs its first people)."""
        with self._uow() as uow:
            return uow.people.count()

    def level_history(self, actor: Actor, employee_no: str) -> LevelTimeline:
        """The person's recorded levels, oldest first, and since when the current one applies
        (a personnel field: for those who see personnel files, and one's own)."""
        with self._uow() as uow:
            visible = visible_to(uow, actor, VIEW)
            person = uow.people.get(employee_no)
            if person is None:
                raise NotFound(N_("No person with employee number {no}"), no=employee_no)
            visible.check(person.id)
            if not visible.shows_personnel(person.id):
                require(actor, PERSONNEL)
            levels = LevelChangeRepository(uow.session)
            changes = levels.by_person([person.id]).get(person.id, ())
            since = levels.current_starts(self.now().date(), [person.id]).get(person.id)
        return LevelTimeline(person.employee_no, person.level, since, changes)

    # --- validation shared by the form and the import ---------------------------------

    def clean(self, data: PersonData) -> PersonData:
        """Check a person's fields against the policy; raises ValidationError naming the field."""
        no = data.employee_no.strip()
        if not _EMPLOYEE_NO.match(no):
            raise ValidationError(
                N_("{field}: '{value}' is not a valid employee number (letters, digits, - and _)"),
                field="employee_no",
                value=no,
            )
        name = data.name.strip()
        if not name:
            raise ValidationError(N_("{field} is empty"), field="name")
        team = (data.team or "").strip() or None
        role = _ROLE_ALIASES.get((data.role or "agent").strip().lower(), (data.role or "agent").strip().lower())
        role = parse_choice(role, "role", self.policy.codes.roles)
        level = data.level.strip().lower() if data.level else None
        if level:
            level = parse_choice(level, "level", self.policy.level_codes)
        elif role == "agent":
            level = self.policy.level_codes[0]
        gender = _GENDERS.get((data.gender or "").strip().lower()) if data.gender else None
        if data.gender and gender is None:
            raise ValidationError(N_("{field}: '{value}' is not one of {choices}"), field="gender", value=data.gender, choices="F, M")
        if data.join_date and data.birthday and data.birthday >= data.join_date:
            raise ValidationError(N_("The birthday must be before the join date."), field="birthday")
        phone = (data.phone or "").strip() or None
        device_id = unicodedata.normalize("NFKC", data.device_id or "").strip() or None  # full-width digits
        if device_id is not None and not _DEVICE_ID.match(device_id):
            raise ValidationError(
                N_("{field}: '{value}' is not a valid device id (up to 64 characters, no spaces)"),
                field="device_id",
                value=device_id,
            )
        return replace(
            data, employee_no=no, name=name, team=team, role=role, level=level, gender=gender, phone=phone,
            device_id=device_id,
        )  # fmt: skip

    # --- the form ---------------------------------------------------------------------

    def add(self, actor: Actor, data: PersonData, *, level_since: date | None = None) -> Person:
        """A new person; the level applies from ``level_since``, else the join date, else today."""
        require(actor, "people.edit")
        data = self.clean(data)
        self._check_level_since(level_since, data)
        with self._uow() as uow:
            if uow.people.get(data.employee_no) is not None:
                raise ValidationError(N_("Employee number {no} is already used."), field="employee_no", no=data.employee_no)
            if clash := PunchIds(uow.people.list(include_inactive=True)).clash(data):
                raise clash
            self._check_unlocked(uow, self._dated_changes(None, data, level_since))
            team_id = self._team_id(uow, actor, data.team)
            person_id = uow.people.add(data, team_id)
            since = self._first_level(uow, actor, person_id, data, level_since)
            details = _jsonable(data) | ({"level_since": since.isoformat()} if since else {})
            self.audit(uow, actor, "person.create", "person", data.employee_no, **details)
            uow.commit()
            person = uow.people.get(data.employee_no)
        assert person is not None
        return person

    def update(
        self, actor: Actor, data: PersonData, *, level_note: str = "", level_since: date | None = None,
        version: int | None = None,
    ) -> Person:
        """Save the form. A new level is recorded in the level history from ``level_since``
        (default today), with ``level_note`` (why: the promotion decision, a demotion). With the
        level unchanged, a ``level_since`` other than the recorded start corrects that start
        (people entered before csdesk kept the history have none: rules.md §8 needs it). ``version``
        is the person's version the form was opened on (StaleWrite if another PC saved it since)."""
        require(actor, "people.edit")
        data = self.clean(data)
        with self._uow() as uow:
            before = uow.people.get(data.employee_no)
            if before is None:
                raise NotFound(N_("No person with employee number {no}"), no=data.employee_no)
            self.claim(uow, "person", before.id, version, audit_id=data.employee_no)
            before = uow.people.get(data.employee_no) or before  # as it is now that it is claimed
            self._check_level_since(level_since, data)
            if clash := PunchIds(uow.people.list(include_inactive=True)).clash(data):
                raise clash
            start = LevelChangeRepository(uow.session).current_starts(date.max, [before.id]).get(before.id)
            self._check_unlocked(uow, self._dated_changes(before, data, level_since, start))
            team_id = self._team_id(uow, actor, data.team)
            uow.people.update(data, team_id)
            changes = _diff(person_data(before), data)
            if changes:
                self.audit(uow, actor, "person.update", "person", data.employee_no, **changes)
            self._level_changed(uow, actor, before, data, level_note.strip(), level_since)
            uow.commit()
            after = uow.people.get(data.employee_no)
        assert after is not None
        return after

    def set_active(self, actor: Actor, employee_no: str, active: bool) -> None:
        require(actor, "people.edit")
        with self._uow() as uow:
            person = uow.people.get(employee_no)
            if person is None:
                raise NotFound(N_("No person with employee number {no}"), no=employee_no)
            if person.active != active:  # from today: who today's month counts
                self._check_unlocked(uow, [("active", (self.now().date(),))])
            uow.people.set_active(employee_no, active)
            self.audit(uow, actor, "person.activate" if active else "person.deactivate", "person", employee_no)
            uow.commit()

    def add_team(self, actor: Actor, name: str) -> Team:
        require(actor, "people.edit")
        name = name.strip()
        if not name:
            raise ValidationError(N_("{field} is empty"), field="team")
        with self._uow() as uow:
            if name in uow.teams.id_by_name():
                raise ValidationError(N_("A team named {name} exists already."), field="team", name=name)
            team_id = uow.teams.add(name)
            self.audit(uow, actor, "team.create", "team", team_id, name=name)
            uow.commit()
        return Team(team_id, name)

    # --- locked months ---------------------------------------------------------------------

    def _dated_changes(
        self, before: Person | None, data: PersonData, level_since: date | None = None, recorded_start: date | None = None
    ) -> list[tuple[str, tuple[date, ...]]]:
        """(field, dates) of what saving ``data`` over ``before`` (None: a new person) changes: no
        locked month may lie from the first to the last of a field's dates (see the module doc)."""
        today = self.now().date()
        if before is None:
            joined = (("join_date", (data.join_date,)),) if data.join_date else ()
            level = (("level_since", (level_since or data.join_date or today,)),) if data.level else ()
            return [*joined, *level]
        changes: list[tuple[str, tuple[date, ...]]] = []
        if before.join_date != data.join_date:  # no join date: counted since ever
            changes.append(("join_date", (before.join_date or date.min, data.join_date or date.min)))
        if data.level and data.level != before.level:
            changes.append(("level_since", (level_since or today,)))
        elif data.level and level_since is not None and level_since != recorded_start:
            changes.append(("level_since", (recorded_start or level_since, level_since)))
        if data.role != before.role:
            changes.append(("role", (today,)))
        return changes

    @staticmethod
    def _check_unlocked(uow: UnitOfWork, changes: Collection[tuple[str, tuple[date, ...]]]) -> None:
        """Raise LockedMonth when one of ``changes`` touches a locked month."""
        if not changes:
            return
        locked = uow.months.locked_months()
        for _field, days in changes:
            if key := first_locked(locked, *days):
                check_open(uow, key)

    @staticmethod
    def _locked_row(locked: Collection[str], changes: Collection[tuple[str, tuple[date, ...]]]) -> ValidationError | None:
        """The bad-row error of an import row whose change touches a locked month (None: all open)."""
        for field, days in changes:
            if key := first_locked(locked, *days):
                return ValidationError(LOCKED_ROW_MESSAGE, field=field, month=key)
        return None

    # --- the level history ----------------------------------------------------------------

    def _first_level(
        self, uow: UnitOfWork, actor: Actor, person_id: int, data: PersonData, since: date | None = None
    ) -> date | None:
        """A new person's level applies from ``since``, else the join date, else today."""
        if not data.level:
            return None
        since = since or data.join_date or self.now().date()
        LevelChangeRepository(uow.session).add(person_id, data.level, since, actor.username, "", self.now())
        return since

    def _check_level_since(self, since: date | None, data: PersonData) -> None:
        if since is None:
            return
        if since > self.now().date():
            raise ValidationError(N_("A level cannot start in the future ({date})."), field="level_since", date=since)
        if data.join_date and since < data.join_date:
            raise ValidationError(N_("A level cannot start before the join date ({date})."), field="level_since", date=data.join_date)

    def _level_changed(
        self, uow: UnitOfWork, actor: Actor, before: Person, data: PersonData, note: str, since: date | None = None
    ) -> None:
        """Record a changed level (from ``since``, default today) or a corrected start of the same
        level, with its own audit entry; clearing the level records nothing."""
        if not data.level:
            return
        levels = LevelChangeRepository(uow.session)
        if data.level == before.level:
            if since is None or levels.current_starts(date.max, [before.id]).get(before.id) == since:
                return
        effective = since or self.now().date()
        levels.add(before.id, data.level, effective, actor.username, note, self.now())
        self.audit(
            uow, actor, "person.level", "person", data.employee_no,
            before=before.level, after=data.level, effective=effective.isoformat(), note=note,
        )  # fmt: skip

    def _team_id(self, uow: UnitOfWork, actor: Actor, team: str | None) -> int | None:
        if not team:
            return None
        teams = uow.teams.id_by_name()
        if team in teams:
            return teams[team]
        team_id = uow.teams.add(team)
        self.audit(uow, actor, "team.create", "team", team_id, name=team)
        return team_id

    # --- the import -------------------------------------------------------------------

    def import_file(
        self, actor: Actor, path: Path, progress: Progress | None = None, *, date_order: str | None = None
    ) -> ImportReport:
        """``csdesk import people``: bad rows reported and skipped, good rows written at once.

        Teams the file names that do not exist yet are created (and listed in the
        report's notes). A repeated employee number inside the file is a bad row;
        an existing person with the same data is a duplicate (nothing changes), with
        other data an update (audited, naming only the fields that changed). An optional column
        the file lacks leaves an existing person's field as it is; an empty cell of a column it has
        is a value, none, except role and level, which keep a stored person's (:func:`_row_data`). Levels go into the level history as in the form:
        a new person's from the join date, a changed one from today. The dates' day/month
        order is decided once for the file (:class:`FileDates`); ``date_order`` (``"dmy"``/``"mdy"``)
        gives it for a file that cannot tell, which is otherwise refused whole.
        """
        require(actor, "import")
        report, rows, dates = open_import(path, PEOPLE_FORMAT, "people", ("join_date", "birthday"), date_order)
        seen: dict[str, int] = {}
        first_levels: list[dict[str, object]] = []
        with self._uow() as uow:
            uow.claim_area("people")
            current = {p.employee_no: p for p in uow.people.list(include_inactive=True)}
            existing = {no: person_data(p) for no, p in current.items()}
            known_teams = set(uow.teams.id_by_name())
            locked = uow.months.locked_months()
            ids = PunchIds(current.values())
            for i, (number, row) in enumerate(rows):
                if progress and i % 200 == 0 and not progress(i, len(rows)):
                    report.cancelled = True
                    return report  # nothing committed
                try:
                    no = required(row, "employee_no")
                    data = self.clean(_row_data(row, number, dates, existing.get(no)))
                    if clash := ids.clash(data):
                        raise clash
                except ValidationError as exc:
                    report.reject(number, exc)
                    continue
                if data.employee_no in seen:
                    report.reject(
                        number,
                        ValidationError(
                            N_("Employee number {no} appears twice in the file (first in row {row})."),
                            field="employee_no",
                            no=data.employee_no,
                            row=seen[data.employee_no],
                        ),
                    )
                    continue
                seen[data.employee_no] = number
                if error := self._locked_row(locked, self._dated_changes(current.get(data.employee_no), data)):
                    report.reject(number, error)
                    continue
                if data.team and data.team not in known_teams:
                    known_teams.add(data.team)
                    report.notes.append(_("New team created: {name}").format(name=data.team))
                before = existing.get(data.employee_no)
                ids.hold(data)
                if before is None:
                    person_id = uow.people.add(data, self._team_id(uow, actor, data.team))
                    if data.level:
                        first_levels.append({
                            "person_id": person_id, "level": data.level, "effective": data.join_date or self.now().date(),
                            "recorded_by": actor.username, "note": "", "created_at": self.now(),
                        })  # fmt: skip
                    report.written += 1
                elif before == data:
                    report.duplicates += 1
                else:
                    uow.people.update(data, self._team_id(uow, actor, data.team))
                    self.audit(uow, actor, "person.update", "person", data.employee_no, **_diff(before, data))
                    self._level_changed(uow, actor, current[data.employee_no], data, "")
                    report.updated += 1
            LevelChangeRepository(uow.session).add_many(first_levels)
            self.audit(
                uow, actor, "import.people", "file", path.name,
                written=report.written, updated=report.updated, duplicates=report.duplicates, rejected=len(report.problems),
            )
            uow.commit()
        return report


_DEVICE_ID_TAKEN = N_("{field}: '{value}' is already the device id of {name} ({no})")


class PunchIds:
    """Who holds each employee number and device id, compared as a punch file's person column is
    matched (:func:`~csdesk.services.imports.punch_files.fold_id`: full-width digits and leading
    zeros do not count). A device id another person holds, or that is another person's employee
    number, is refused: punches naming it could not be told apart (the employee number would win)."""

    def __init__(self, people: Iterable[Person]) -> None:
        self._numbers: dict[str, tuple[str, str]] = {}  # folded employee_no -> (employee_no, name)
        self._devices: dict[str, tuple[str, str]] = {}  # folded device id -> (employee_no, name)
        self._device_of: dict[str, str] = {}  # employee_no -> folded device id
        for person in people:
            self.hold(person)

    def hold(self, person: Person | PersonData) -> None:
        """``person`` holds its employee number and device id from now on (a saved row of an import)."""
        holder = (person.employee_no, person.name)
        old = self._device_of.pop(person.employee_no, None)
        if old is not None and self._devices.get(old, holder)[0] == person.employee_no:
            self._devices.pop(old, None)
        self._numbers.setdefault(fold_id(person.employee_no), holder)
        if person.device_id:
            key = fold_id(person.device_id)
            self._devices[key] = holder
            self._device_of[person.employee_no] = key

    def clash(self, data: PersonData) -> ValidationError | None:
        """Why ``data``'s device id (or employee number) cannot be told from another person's, if so."""
        if data.device_id:
            key = fold_id(data.device_id)
            holder = self._devices.get(key)
            if holder is not None and holder[0] != data.employee_no:
                return ValidationError(
                    _DEVICE_ID_TAKEN, field="device_id", value=data.device_id, name=holder[1], no=holder[0]
                )
            holder = self._numbers.get(key)
            if holder is not None and holder[0] != data.employee_no:
                return ValidationError(
                    N_("{field}: '{value}' is the employee number of {name} ({no}); punches naming it would go to them"),
                    field="device_id", value=data.device_id, name=holder[1], no=holder[0],
                )  # fmt: skip
        holder = self._devices.get(fold_id(data.employee_no))
        if holder is not None and holder[0] != data.employee_no:
            return ValidationError(
                _DEVICE_ID_TAKEN, field="employee_no", value=data.employee_no, name=holder[1], no=holder[0]
            )
        return None


_OPTIONAL_TEXT = ("role", "level", "gender", "phone", "device_id")
_OPTIONAL_DATES = ("join_date", "birthday")
# Fields every person has (a role; an agent, a level): an empty cell keeps a stored person's.
_ALWAYS_SET = frozenset({"role", "level"})


def _row_data(row: Mapping[str, str], number: int, dates: FileDates, stored: PersonData | None) -> PersonData:
    """A people file's row as the person it describes, not yet cleaned.

    Only the columns the file has are read (``row`` holds those: the reader's, or the import
    wizard's choice with the others "not read"). A new person starts from the defaults (role
    agent, no level: an agent's is then the first, no dates), an existing one from ``stored``, so a
    column the file lacks leaves that field as it is: a file of employee numbers, names, teams and
    device ids changes no level, date or phone. An empty cell of a column the file has is a value,
    none, as an empty field of the form is: it clears the phone, device id, gender or a date. Role
    and level are never none: an empty cell keeps a stored person's (an export with blank levels
    demotes nobody) and gives a new one the default, ``agent`` and an agent's first level
    (docs/import-formats.md). The required columns (employee number, name, team) are read on every
    row.
    """
    fields: dict[str, object] = {
        "employee_no": required(row, "employee_no"),
        "name": required(row, "name"),
        "team": required(row, "team"),
    }
    for name in _OPTIONAL_TEXT:
        if name in row:
            text = row[name].strip()  # a refused row (reader.RefusedRow) raises here
            if text:
                fields[name] = text
            elif name not in _ALWAYS_SET or stored is None:
                fields[name] = "agent" if name == "role" else None
    for name in _OPTIONAL_DATES:
        if name in row:
            text = row[name]
            fields[name] = dates.day(text, name, number) if text.strip() else None
    return replace(stored or PersonData(employee_no="", name="", team=None), **fields)


def _jsonable(data: PersonData) -> dict[str, object]:
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in asdict(data).items()}


def _diff(before: PersonData, after: PersonData) -> dict[str, object]:
    a, b = _jsonable(before), _jsonable(after)
    return {k: [a[k], b[k]] for k in a if a[k] != b[k]}


def person_for_viewer(person: Person, visible: Visible) -> Person:
    """``person`` without personnel fields (level, join date, birthday, gender, phone, device id)
    unless ``visible``'s reader sees personnel files or it is their own record."""
    if visible.shows_personnel(person.id):
        return person
    return replace(person, level=None, join_date=None, birthday=None, gender=None, phone=None, device_id=None)
