"""Repositories: the queries of each aggregate, converting rows to domain records."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, func, insert, or_, select, text, update
from sqlalchemy.orm import Session

from csdesk.models.audit_triggers import GENESIS, ChainBreak, entry_hash, first_break
from csdesk.models.domain import AuditEntry, LevelChange, Person, PersonData, RosterEntry, Team, User, UserAccount
from csdesk.models.tables import AuditRow, PersonRow, RosterRow, SettingRow, TeamRow, UserRow
from csdesk.models.tables_people import LevelChangeRow


def _person(row: PersonRow) -> Person:
    return Person(
        id=row.id,
        employee_no=row.employee_no,
        name=row.name,
        team=row.team.name if row.team else None,
        role=row.role,
        level=row.level,
        join_date=row.join_date,
        birthday=row.birthday,
        gender=row.gender,
        phone=row.phone,
        active=row.active,
        version=row.version,
        device_id=row.device_id,
    )


def person_data(person: Person) -> PersonData:
    return PersonData(
        employee_no=person.employee_no,
        name=person.name,
        team=person.team,
        role=person.role,
        level=person.level,
        join_date=person.join_date,
        birthday=person.birthday,
        gender=person.gender,
        phone=person.phone,
        device_id=person.device_id,
    )


class TeamRepository:
    def __init__(self, session: Session) -> None:
        self._s = session

    def list(self, include_inactive: bool = False) -> list[Team]:
        counts = (
            select(PersonRow.team_id, func.count().label("n"))
            .where(PersonRow.active.is_(True))
            .group_by(PersonRow.team_id)
            .subquery()
        )
        stmt = select(TeamRow, func.coalesce(counts.c.n, 0)).outerjoin(counts, counts.c.team_id == TeamRow.id)
        if not include_inactive:
            stmt = stmt.where(TeamRow.active.is_(True))
        rows = self._s.execute(stmt.order_by(TeamRow.name)).all()
        return [Team(id=t.id, name=t.name, active=t.active, members=n) for t, n in rows]

    def id_by_name(self) -> dict[str, int]:
        return {name: id_ for id_, name in self._s.execute(select(TeamRow.id, TeamRow.name))}

    def add(self, name: str) -> int:
        row = TeamRow(name=name, active=True)
        self._s.add(row)
        self._s.flush()
        return row.id


_PERSON_COLUMNS = (
    PersonRow.id, PersonRow.employee_no, PersonRow.name, PersonRow.role, PersonRow.level, PersonRow.join_date,
    PersonRow.birthday, PersonRow.gender, PersonRow.phone, PersonRow.active, PersonRow.version, PersonRow.device_id,
)  # fmt: skip


class PersonRepository:
    def __init__(self, session: Session) -> None:
        self._s = session

    def list(
        self, team: str | None = None, include_inactive: bool = False, roles: Sequence[str] | None = None
    ) -> list[Person]:
        # Plain columns, not ORM rows: a floor lists thousands of people (three times as fast).
        stmt = select(*_PERSON_COLUMNS, TeamRow.name).outerjoin(TeamRow, PersonRow.team_id == TeamRow.id)
        if team:
            stmt = stmt.where(TeamRow.name == team)
        if not include_inactive:
            stmt = stmt.where(PersonRow.active.is_(True))
        if roles:
            stmt = stmt.where(PersonRow.role.in_(list(roles)))
        return [
            Person(id_, no, name, team_name, role, level, joined, born, gender, phone, active, version, device)
            for id_, no, name, role, level, joined, born, gender, phone, active, version, device, team_name
            in self._s.execute(stmt.order_by(PersonRow.employee_no))
        ]  # fmt: skip

    def get(self, employee_no: str) -> Person | None:
        row = self._row(employee_no)
        return _person(row) if row else None

    def _row(self, employee_no: str) -> PersonRow | None:
        return self._s.scalar(select(PersonRow).where(PersonRow.employee_no == employee_no))

    def by_id(self, person_id: int) -> Person | None:
        row = self._s.get(PersonRow, person_id)
        return _person(row) if row else None

    def ids_by_employee_no(self) -> dict[str, int]:
        return {no: id_ for id_, no in self._s.execute(select(PersonRow.id, PersonRow.employee_no))}

    def count(self) -> int:
        return self._s.scalar(select(func.count()).select_from(PersonRow)) or 0

    def add(self, data: PersonData, team_id: int | None) -> int:
        row = PersonRow(**_fields(data), team_id=team_id, active=True)
        self._s.add(row)
        self._s.flush()
        return row.id

    def add_many(self, rows: Iterable[dict[str, Any]]) -> None:
        self._s.execute(PersonRow.__table__.insert(), list(rows))

    def update(self, data: PersonData, team_id: int | None) -> None:
        row = self._row(data.employee_no)
        assert row is not None
        for key, value in _fields(data).items():
            setattr(row, key, value)
        row.team_id = team_id

    def set_active(self, employee_no: str, active: bool) -> None:
        row = self._row(employee_no)
        assert row is not None
        row.active = active


def _fields(data: PersonData) -> dict[str, Any]:
    return {
        "employee_no": data.employee_no,
        "name": data.name,
        "role": data.role,
        "level": data.level,
        "join_date": data.join_date,
        "birthday": data.birthday,
        "gender": data.gender,
        "phone": data.phone,
        "device_id": data.device_id,
    }


class LevelChangeRepository:
    """The level history (``level_changes``): appended when a level is set, read oldest first."""

    def __init__(self, session: Session) -> None:
        self._s = session

    def add(self, person_id: int, level: str, effective: date, recorded_by: str, note: str, created_at: datetime) -> None:
        self._s.add(
            LevelChangeRow(
                person_id=person_id, level=level, effective=effective, recorded_by=recorded_by, note=note, created_at=created_at
            )
        )

    def add_many(self, rows: Iterable[dict[str, Any]]) -> None:
        """Bulk insert of rows with every column but ``id`` (imports and the demo)."""
        rows = list(rows)
        if rows:
            self._s.execute(LevelChangeRow.__table__.insert(), rows)

    def current_starts(self, until: date, person_ids: Iterable[int] | None = None) -> dict[int, date]:
        """When each person's current level started as of ``until``: the effective date of the
        last *recorded* change to ``people.level`` effective on or before it (people without one
        are left out). Last recorded, not latest dated: a correction of the start ("intermediate
        since 1 March", entered in June) replaces the date recorded before it."""
        t = LevelChangeRow
        latest = select(func.max(t.id).label("id")).where(t.effective <= until).group_by(t.person_id)
        if person_ids is not None:
            latest = latest.where(t.person_id.in_(list(person_ids)))
        ids = latest.subquery()
        # The level in force at ``until`` must be today's level (A, then B, then A again: a month
        # of the B period has no start of A).
        stmt = (
            select(t.person_id, t.effective)
            .join(ids, ids.c.id == t.id)
            .join(PersonRow, (PersonRow.id == t.person_id) & (PersonRow.level == t.level))
        )
        return {pid: since for pid, since in self._s.execute(stmt)}

    def by_person(self, person_ids: Iterable[int] | None = None) -> dict[int, tuple[LevelChange, ...]]:
        """Each person's changes, oldest first (by effective date, then as recorded)."""
        t = LevelChangeRow
        stmt = select(t.person_id, t.level, t.effective, t.recorded_by, t.note, t.created_at)
        if person_ids is not None:
            stmt = stmt.where(t.person_id.in_(list(person_ids)))
        out: dict[int, list[LevelChange]] = {}
        for pid, level, effective, by, note, at in self._s.execute(stmt.order_by(t.person_id, t.effective, t.id)):
            out.setdefault(pid, []).append(LevelChange(level, effective, by, note or "", at))
        return {pid: tuple(changes) for pid, changes in out.items()}


class UserRepository:
    def __init__(self, session: Session) -> None:
        self._s = session

    def by_username(self, username: str) -> tuple[User, str] | None:
        row = self._s.scalar(select(UserRow).where(func.lower(UserRow.username) == username.lower()))
        if row is None:
            return None
        return User(row.id, row.username, row.role, row.person_id, row.active), row.password_hash

    def list(self) -> list[User]:
        rows = self._s.scalars(select(UserRow).order_by(UserRow.username))
        return [User(r.id, r.username, r.role, r.person_id, r.active) for r in rows]

    def add(self, username: str, password_hash: str, role: str, person_id: int | None) -> int:
        row = UserRow(username=username, password_hash=password_hash, role=role, person_id=person_id)
        self._s.add(row)
        self._s.flush()
        return row.id

    def set_password(self, user_id: int, password_hash: str) -> None:
        self._s.execute(update(UserRow).where(UserRow.id == user_id).values(password_hash=password_hash))

    def people_by_login(self) -> dict[str, tuple[str, str]]:
        """Sign-in name → (name, employee number) of the person the account belongs to, for the
        accounts that belong to one: what a printed record says instead of a login."""
        stmt = select(UserRow.username, PersonRow.name, PersonRow.employee_no).join(PersonRow, UserRow.person_id == PersonRow.id)
        return {login: (name, no) for login, name, no in self._s.execute(stmt)}

    def first_with_role(self, role: str) -> User | None:
        row = self._s.scalar(select(UserRow).where(UserRow.role == role, UserRow.active.is_(True)).order_by(UserRow.id))
        return User(row.id, row.username, row.role, row.person_id, row.active) if row else None

    def get(self, user_id: int) -> User | None:
        row = self._s.get(UserRow, user_id)
        return User(row.id, row.username, row.role, row.person_id, row.active) if row else None

    def count(self) -> int:
        return int(self._s.scalar(select(func.count()).select_from(UserRow)) or 0)

    def active_with_roles(self, roles: Iterable[str]) -> list[User]:
        """The active accounts whose role is one of ``roles``."""
        stmt = select(UserRow).where(UserRow.active.is_(True), UserRow.role.in_(list(roles))).order_by(UserRow.id)
        return [User(r.id, r.username, r.role, r.person_id, r.active) for r in self._s.scalars(stmt)]

    def set_role(self, user_id: int, role: str) -> None:
        self._s.execute(update(UserRow).where(UserRow.id == user_id).values(role=role))

    def set_active(self, user_id: int, active: bool) -> None:
        self._s.execute(update(UserRow).where(UserRow.id == user_id).values(active=active))

    def accounts(self) -> list[UserAccount]:
        """Every account with its linked person and last sign-in (the newest ``login`` entry of the
        audit log, whose entity id is the account's id), by user name."""
        a = AuditRow
        last_rows = self._s.execute(
            select(a.entity_id, func.max(a.at)).where(a.action == "login", a.entity == "user").group_by(a.entity_id)
        )
        last = {entity_id: at for entity_id, at in last_rows}
        stmt = (
            select(UserRow, PersonRow.employee_no, PersonRow.name)
            .outerjoin(PersonRow, PersonRow.id == UserRow.person_id)
            .order_by(UserRow.username)
        )
        return [
            UserAccount(u.id, u.username, u.role, u.active, no, name, last.get(str(u.id)))
            for u, no, name in self._s.execute(stmt)
        ]


class RosterRepository:
    def __init__(self, session: Session) -> None:
        self._s = session

    def existing(self, person_ids: Iterable[int], start: date, end: date) -> dict[tuple[int, date], str]:
        stmt = select(RosterRow.person_id, RosterRow.day, RosterRow.shift_code).where(
            RosterRow.day >= start, RosterRow.day <= end, RosterRow.person_id.in_(list(set(person_ids)))
        )
        return {(pid, day): code for pid, day, code in self._s.execute(stmt)}

    def set_shift(self, person_id: int, day: date, shift_code: str) -> None:
        row = self._s.scalar(select(RosterRow).where(RosterRow.person_id == person_id, RosterRow.day == day))
        if row is None:
            self._s.add(RosterRow(person_id=person_id, day=day, shift_code=shift_code))
        else:
            row.shift_code = shift_code

    def add_many(self, rows: Iterable[dict[str, Any]]) -> None:
        self._s.execute(RosterRow.__table__.insert(), list(rows))

    def days_by_shift(self, codes: Iterable[str]) -> dict[str, int]:
        """How many roster days each of ``codes`` is on (codes on no day are left out)."""
        stmt = (
            select(RosterRow.shift_code, func.count())
            .where(RosterRow.shift_code.in_(list(set(codes))))
            .group_by(RosterRow.shift_code)
        )
        return {code: count for code, count in self._s.execute(stmt)}

    def for_range(self, start: date, end: date, team: str | None = None) -> list[RosterEntry]:
        stmt = (
            select(PersonRow.employee_no, RosterRow.day, RosterRow.shift_code)
            .join(PersonRow, PersonRow.id == RosterRow.person_id)
            .where(RosterRow.day >= start, RosterRow.day <= end)
        )
        if team:
            stmt = stmt.join(TeamRow, TeamRow.id == PersonRow.team_id).where(TeamRow.name == team)
        return [RosterEntry(no, day, code) for no, day, code in self._s.execute(stmt.order_by(RosterRow.day))]


class AuditRepository:
    """The append-only, hash-chained audit log.

    Each entry stores ``prev_hash`` (the hash of the entry before it; 64 zeros for the first) and
    ``hash`` = SHA-256 hex of the UTF-8 JSON array
    ``[id, at.isoformat(), username, action, entity, entity_id, details, prev_hash]`` written with
    ``ensure_ascii=False, separators=(",", ":")`` (``details``: the JSON text as stored). See
    :mod:`csdesk.models.audit_triggers`, which computes it (:func:`entry_hash`) and holds the
    triggers.
    """

    # One constant key for PostgreSQL's transaction-scoped advisory lock that serialises writers
    # of the audit log (b"csdeskAL" as a signed 64-bit integer).
    _PG_LOCK_KEY = int.from_bytes(b"csdeskAL", "big", signed=True)

    def __init__(self, session: Session) -> None:
        self._s = session

    def add(self, at: datetime, username: str, action: str, entity: str, entity_id: str, details: dict[str, Any]) -> None:
        """Append an entry chained to the last one, in the caller's transaction.

        The id is part of the hash, so it is given explicitly: the last entry's id + 1.
        Concurrency: on SQLite the INSERT takes the database's single write lock, so two writers
        cannot both append after the same entry (the second one's read snapshot is stale and its
        write fails with "database is locked" rather than forking the chain). On PostgreSQL a
        transaction-scoped advisory lock is taken before the last entry is read; it is held until
        the caller commits or rolls back, so concurrent writers append one after the other.
        """
        if self._s.get_bind().dialect.name == "postgresql":
            self._s.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": self._PG_LOCK_KEY})
        last = self._s.execute(select(AuditRow.id, AuditRow.hash).order_by(AuditRow.id.desc()).limit(1)).first()
        entry_id, prev = (last[0] + 1, last[1] or "") if last else (1, GENESIS)
        text_details = json.dumps(details, ensure_ascii=False, default=str, sort_keys=True)
        digest = entry_hash(entry_id, at, username, action, entity, entity_id, text_details, prev)
        # A Core insert runs now (not at the next flush): the next add in this transaction reads it.
        self._s.execute(
            insert(AuditRow).values(
                id=entry_id, at=at, username=username, action=action, entity=entity, entity_id=entity_id,
                details=text_details, prev_hash=prev, hash=digest,
            )
        )

    def recent(self, limit: int = 500, entity: str | None = None) -> list[AuditEntry]:
        stmt = select(AuditRow).order_by(AuditRow.id.desc()).limit(limit)
        if entity:
            stmt = stmt.where(AuditRow.entity == entity)
        return [self._entry(r) for r in self._s.scalars(stmt)]

    @staticmethod
    def _entry(r: AuditRow) -> AuditEntry:
        return AuditEntry(r.id, r.at, r.username, r.action, r.entity, r.entity_id, json.loads(r.details or "{}"))

    @staticmethod
    def _filters(
        *,
        username: str | None = None,
        start: datetime | None = None,
        end: datetime | None = None,
        actions: Sequence[str] | None = None,
        exclude_actions: Sequence[str] = (),
        text: str | None = None,
        text_actions: Sequence[str] = (),
        before_id: int | None = None,
    ) -> list[Any]:
        """The WHERE conditions of :meth:`search` (see there)."""
        from sqlalchemy import false, not_, or_

        a = AuditRow

        def pattern(p: str) -> Any:
            return a.action.startswith(p, autoescape=True) if p.endswith(".") else a.action == p

        where: list[Any] = []
        if username is not None:
            where.append(a.username == username)
        if start is not None:
            where.append(a.at >= start)
        if end is not None:
            where.append(a.at < end)
        if actions is not None:
            where.append(or_(*[pattern(p) for p in actions]) if actions else false())
        if exclude_actions:
            where.append(not_(or_(*[pattern(p) for p in exclude_actions])))
        needle = (text or "").strip().lower()
        if needle:
            found = [
                func.lower(col).contains(needle, autoescape=True) for col in (a.username, a.action, a.entity_id, a.details)
            ]
            if text_actions:
                found.append(a.action.in_(list(text_actions)))
            where.append(or_(*found))
        if before_id is not None:
            where.append(a.id < before_id)
        return where

    def search(self, *, limit: int = 500, offset: int = 0, **filters: Any) -> list[AuditEntry]:
        """Entries newest first, at most ``limit`` from ``offset``, filtered in SQL.

        Filters (all optional, combined with AND): ``username`` (exactly who acted), ``start`` /
        ``end`` (``start <= at < end``), ``actions`` (patterns: one ending in ``.`` is a prefix,
        any other an exact code; an entry matching any of them), ``exclude_actions`` (patterns
        no entry may match), ``text`` (in the user name, action code, record id or details
        JSON, any case) or an action among ``text_actions``, ``before_id`` (ids below it: the
        next page after the last one shown, without an OFFSET scan).
        """
        stmt = select(AuditRow).where(*self._filters(**filters)).order_by(AuditRow.id.desc()).limit(limit)
        if offset:
            stmt = stmt.offset(offset)
        return [self._entry(r) for r in self._s.scalars(stmt)]

    def count_matching(self, **filters: Any) -> int:
        """How many entries :meth:`search` with the same filters finds in all."""
        stmt = select(func.count()).select_from(AuditRow).where(*self._filters(**filters))
        return int(self._s.scalar(stmt) or 0)

    def usernames(self) -> list[str]:
        """Every user name that appears in the log, in order."""
        return list(self._s.scalars(select(AuditRow.username).distinct().order_by(AuditRow.username)))

    def span(self) -> tuple[datetime, datetime] | None:
        """The times of the oldest and the newest entry (None: the log is empty)."""
        first, last = self._s.execute(select(func.min(AuditRow.at), func.max(AuditRow.at))).one()
        return (first, last) if first is not None and last is not None else None

    def count(self) -> int:
        return int(self._s.scalar(select(func.count()).select_from(AuditRow)) or 0)

    def failed_sign_ins(self, name: str, since: datetime, user_id: int | None = None) -> list[AuditEntry]:
        """The ``auth.failed`` entries for user name ``name`` (any case) at or after ``since`` and
        after that name's last successful sign-in (``login``) or, for account ``user_id``, the last
        password reset by a supervisor, oldest first."""
        a = AuditRow
        key = name.lower()
        fresh_start = and_(a.action == "login", func.lower(a.username) == key)
        if user_id is not None:
            fresh_start = or_(
                fresh_start, and_(a.action == "user.password_reset", a.entity == "user", a.entity_id == str(user_id))
            )
        last_ok = self._s.scalar(select(func.max(a.id)).where(fresh_start))
        stmt = (
            select(a)
            .where(a.action == "auth.failed", a.entity == "user", func.lower(a.entity_id) == key, a.at >= since)
            .order_by(a.id)
        )
        if last_ok is not None:
            stmt = stmt.where(a.id > last_ok)
        return [
            AuditEntry(r.id, r.at, r.username, r.action, r.entity, r.entity_id, json.loads(r.details or "{}"))
            for r in self._s.scalars(stmt)
        ]

    def verify(self) -> ChainBreak | None:
        """The first entry (in id order) at which the chain does not hold, or None when intact."""
        return self.check()[1]

    def check(self) -> tuple[int, ChainBreak | None]:
        """How many entries there are and the first broken one (None when the chain holds), in one pass."""
        a = AuditRow
        stmt = select(
            a.id, a.at, a.username, a.action, a.entity, a.entity_id, a.details, a.prev_hash, a.hash
        ).order_by(a.id)
        result = self._s.execute(stmt.execution_options(yield_per=2000))
        return first_break(result)


class SettingRepository:
    def __init__(self, session: Session) -> None:
        self._s = session

    def get(self, key: str, default: str = "") -> str:
        row = self._s.get(SettingRow, key)
        return row.value if row else default

    def set(self, key: str, value: str) -> None:
        row = self._s.get(SettingRow, key)
        if row is None:
            self._s.add(SettingRow(key=key, value=value))
        else:
            row.value = value
