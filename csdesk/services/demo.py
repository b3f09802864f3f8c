"""``csdesk demo``: a realistic demo department for trying csdesk and for benchmarks."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from csdesk.errors import ValidationError
from csdesk.i18n import N_
from csdesk.models.db import UnitOfWork
from csdesk.models.repositories import LevelChangeRepository
from csdesk.records import record
from csdesk.services.attendance_month import unstaffed_days
from csdesk.services.auth import hash_password
from csdesk.services.base import Actor, Service, require

_CN_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
_CN_GIVEN = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "洋", "艳", "勇", "军", "杰", "娟", "涛", "明", "超", "秀英", "霞", "平", "刚", "桂英", "晓东", "雪梅"]
_ES_GIVEN_F = ["María", "Lucía", "Sofía", "Paula", "Martina", "Elena", "Carmen", "Núria", "Inés", "Begoña"]
_ES_GIVEN_M = ["José", "Alejandro", "Íñigo", "Javier", "Sergio", "Pablo", "Andrés", "Raúl", "Óscar", "Martín"]
_ES_SURNAMES = ["García", "Fernández", "González", "Rodríguez", "López", "Martínez", "Sánchez", "Pérez", "Gómez", "Muñoz", "Jiménez", "Peña", "Ibáñez", "Castaño"]
_TEAMS = ["客服一组", "客服二组", "Equipo Sur"]

DEMO_PASSWORD = "demo"
MONTHS_PER_LEVEL = 8  # demo agents move one level up every eight months of service (to senior at most)
DAYS_PER_MONTH = 30


@record
class DemoLogin:
    username: str
    password: str
    role: str


@dataclass
class DemoResult:
    teams: int = 0
    people: int = 0
    roster_days: int = 0
    punches: int = 0
    logins: list[DemoLogin] = field(default_factory=list)
    skipped: bool = False


def _name(rng: random.Random, spanish: bool, female: bool) -> str:
    if spanish:
        given = rng.choice(_ES_GIVEN_F if female else _ES_GIVEN_M)
        return f"{given} {rng.choice(_ES_SURNAMES)} {rng.choice(_ES_SURNAMES)}"
    return rng.choice(_CN_SURNAMES) + rng.choice(_CN_GIVEN)


class DemoService(Service):
    """Fills an empty database with teams, agents, staff, logins and a roster."""

    #: ``sign_off(actor, "YYYY-MM")`` locks a month (the composition root wires MonthService in).
    sign_off: Callable[[Actor, str], object] | None = None

    def build(
        self, actor: Actor, agents: int = 30, months: int = 3, seed: int = 1, if_empty: bool = False, areas: bool = True
    ) -> DemoResult:
        """Teams, people, logins and roster; with ``areas`` also punches, leave, callbacks, handovers, scores.

        Agents carry a level history (a step up every ``MONTHS_PER_LEVEL`` months of service).
        A demo of more than one month also has signed-off scorecard months before its first
        month, as many as the demotion rule looks at (rules.md §8), so the current month shows
        promotion and demotion flags; a one-month demo leaves every month open."""
        require(actor, "people.edit")
        if agents < 1 or months < 1:
            raise ValidationError(N_("--agents and --months must be at least 1."), field="agents")
        rng = random.Random(seed)
        today = self.now().date()
        result = DemoResult()
        to_sign: list[str] = []
        with self._uow() as uow:
            if uow.people.count():
                if if_empty:
                    result.skipped = True
                    return result
                raise ValidationError(N_("The database already holds people; demo data goes into an empty database."), field="db")
            team_ids = [uow.teams.add(name) for name in _TEAMS]
            result.teams = len(team_ids)
            levels = self.policy.level_codes
            people: list[dict[str, object]] = []
            staff = [
                ("S001", "supervisor", None, "周慧敏"),
                ("S002", "trainer", None, "Carmen Ibáñez Ruiz"),
                ("S003", "qa", None, "林晓东"),
                ("S004", "director", None, "Alejandro Peña Gómez"),
            ]
            for i, team_id in enumerate(team_ids):
                staff.append((f"L{i + 1:03d}", "team_lead", team_id, _name(rng, i == 2, rng.random() < 0.5)))
            for no, role, team_id, name in staff:
                people.append(self._person_row(no, name, team_id, role, None, today - timedelta(days=rng.randint(400, 2000)), rng))
            for i in range(agents):
                team_index = i % len(team_ids)
                spanish = team_index == 2 or rng.random() < 0.15
                female = rng.random() < 0.6
                join = today - timedelta(days=rng.randint(20, 1500))
                tenure_months = (today - join).days // DAYS_PER_MONTH
                level = levels[min(len(levels) - 2, tenure_months // MONTHS_PER_LEVEL)] if len(levels) > 1 else levels[0]
                row = self._person_row(f"A{i + 1:03d}", _name(rng, spanish, female), team_ids[team_index], "agent", level, join, rng)
                row["gender"] = "F" if female else "M"
                people.append(row)
            uow.people.add_many(people)
            uow.flush()
            ids = uow.people.ids_by_employee_no()
            result.people = len(people)
            self._level_history(uow, actor, ids, people)
            for username, no, role in (
                ("supervisor", "S001", "supervisor"),
                ("trainer", "S002", "trainer"),
                ("qa", "S003", "qa"),
                ("director", "S004", "director"),
                ("lead1", "L001", "team_lead"),
                ("agent1", "A001", "agent"),
            ):
                if no in ids:
                    uow.users.add(username, hash_password(DEMO_PASSWORD), role, ids[no])
                    result.logins.append(DemoLogin(username, DEMO_PASSWORD, role))
            result.roster_days = self._roster(uow, ids, today, months, rng)
            if areas:  # imported here: the area generators are not needed to start the app
                from csdesk.services import attendance_demo, callbacks_demo, handover_demo, qa_demo, scorecards_demo

                result.punches = attendance_demo.build_demo(uow, self.policy, rng, self.now(), actor.username)
                callbacks_demo.build_demo(uow, self.policy, rng, ids, today, self.now())
                handover_demo.build_demo(uow, self.policy, random.Random(seed + 6), ids, today)
                signed_off = self.policy.demotion.months_outside_top if months > 1 else 0
                to_sign = scorecards_demo.build_demo(
                    uow, self.policy, rng, ids, today, months=months, lock_past=False, signed_off=signed_off
                )
            self.audit(uow, actor, "demo.build", "database", "demo", agents=agents, months=months, seed=seed)
            uow.commit()
        if areas:  # through the QA service, which writes in its own unit of work
            qa_demo.build_demo(self._uow, self.policy, self._clock, actor, random.Random(seed + 7), today, months)
        if self.sign_off is not None:
            for key in to_sign:  # signed off the way a supervisor does: results stored with the lock
                self.sign_off(actor, key)
        return result

    def _person_row(
        self, no: str, name: str, team_id: int | None, role: str, level: str | None, join: date, rng: random.Random
    ) -> dict[str, object]:
        birthday = date(rng.randint(1975, 2003), rng.randint(1, 12), rng.randint(1, 28))
        return {
            "employee_no": no,
            "name": name,
            "team_id": team_id,
            "role": role,
            "level": level,
            "join_date": join,
            "birthday": birthday,
            "gender": rng.choice("FM"),
            "phone": f"13{rng.randint(0, 9)}{rng.randint(10_000_000, 99_999_999)}",
            "active": True,
        }

    def _level_history(self, uow: UnitOfWork, actor: Actor, ids: dict[str, int], people: list[dict[str, object]]) -> None:
        """Each agent's way up the ladder: the first level from joining, one step per ``MONTHS_PER_LEVEL``."""
        levels, now = self.policy.level_codes, self.now()
        rows = []
        for person in people:
            level, join = person["level"], person["join_date"]
            if not isinstance(level, str) or not isinstance(join, date):
                continue
            for step in range(levels.index(level) + 1):
                rows.append({
                    "person_id": ids[str(person["employee_no"])], "level": levels[step],
                    "effective": join + timedelta(days=step * MONTHS_PER_LEVEL * DAYS_PER_MONTH),
                    "recorded_by": actor.username, "note": "", "created_at": now,
                })  # fmt: skip
        LevelChangeRepository(uow.session).add_many(rows)

    def _roster(self, uow: UnitOfWork, ids: dict[str, int], today: date, months: int, rng: random.Random) -> int:
        """A rotating pattern: five working days (day or evening shift), two rest days; nobody on the
        days off of holiday blocks unless the site staffs its holidays."""
        work = [s.code for s in self.policy.shifts if not s.rest]
        rest = next((s.code for s in self.policy.shifts if s.rest), None)
        first = date(today.year, today.month, 1)
        for _ in range(months - 1):
            first = (first - timedelta(days=1)).replace(day=1)
        nxt = (date(today.year, today.month, 28) + timedelta(days=4)).replace(day=1)
        end = (nxt + timedelta(days=32)).replace(day=1) - timedelta(days=1)  # through next month
        closed = unstaffed_days(first, end, self.policy)
        rows = []
        for no, pid in ids.items():
            offset = rng.randint(0, 6)
            shift = work[rng.randint(0, len(work) - 1)] if work else None
            day = first
            while day <= end:
                slot = (day.toordinal() + offset) % 7
                code = rest if (slot >= 5 and rest) else shift
                if (day.toordinal() // 7 + offset) % 4 == 0 and work:  # change shift every four weeks
                    code = rest if (slot >= 5 and rest) else work[(work.index(shift) + 1) % len(work)] if shift else None
                if code and not no.startswith("S") and day not in closed:
                    rows.append({"person_id": pid, "day": day, "shift_code": code})
                day += timedelta(days=1)
        for i in range(0, len(rows), 20_000):
            uow.roster.add_many(rows[i : i + 20_000])
        return len(rows)
