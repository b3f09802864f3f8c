"""Roles hold in the services (issue #12, rules.md §1 and §12), not only in the windows.

Every public method of every service is called as every role of the demo department (a signed-in
account linked to its person) with arguments that point at the caller's own records: a role
without the method's permission is refused with PermissionDenied before anything else happens,
and a role with it is not. A new public method fails ``test_every_public_method_is_in_the_table``
until someone decides what it asks of its caller. Then the scope tests: an agent sees their own
records only, a team lead their team's and no personnel fields, a trainer rates everyone.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from csdesk.errors import PermissionDenied
from csdesk.services.base import SYSTEM, Actor
from tests.helpers.factories import FixedClock, make_context

LOGINS = {"director": "director", "supervisor": "supervisor", "team_lead": "lead1", "trainer": "trainer", "qa": "qa", "agent": "agent1"}
SERVICES = ("auth", "people", "roster", "audit", "demo", "attendance", "backup", "callbacks", "disputes", "handover", "qa", "scorecards", "scorecards.months", "site", "site_policy", "whatif")

ANYONE = "anyone signed in"  # nothing another person owns: the policy's lists, one's own account
WIRING = "wiring"  # called by the composition root or inside another service's unit of work, never by a window

# What each public method asks of its caller: a permission, any of several, ANYONE or WIRING.
TABLE: dict[str, str | frozenset[str]] = {
    "auth.accounts": "users.manage",
    "auth.change_password": ANYONE,
    "auth.command_line_signs_in": ANYONE,
    "auth.create_supervisor_with_person": "users.manage",  # and people.edit (the same roles hold both)
    "auth.create_user": "users.manage",
    "auth.has_accounts": ANYONE,
    "auth.login": ANYONE,
    "auth.put_roles_in_force": WIRING,
    "auth.reset_password": "users.manage",
    "auth.resolve_actor": WIRING,
    "auth.set_active": "users.manage",
    "auth.set_role": "users.manage",
    "people.add": "people.edit",
    "people.add_team": "people.edit",
    "people.clean": ANYONE,
    "people.count": ANYONE,
    "people.directory": frozenset({"people.view", "handover.view", "callbacks.view"}),
    "people.get": "people.view",
    "people.import_file": "import",
    "people.level_history": "people.personnel",  # the agent's own is theirs too: see the scope tests
    "people.people": "people.view",
    "people.set_active": "people.edit",
    "people.teams": ANYONE,
    "people.teams_seen": ANYONE,  # every team, a lead's own or none: names only
    "people.sees_every_team": ANYONE,
    "people.update": "people.edit",
    "roster.copy_previous_month": "attendance.edit",
    "roster.import_file": "import",
    "roster.month": "attendance.view",
    "roster.people": "attendance.view",
    "roster.plan_warnings": ANYONE,
    "roster.set_shift": "attendance.edit",
    "roster.set_shifts": "attendance.edit",
    "audit.export_xlsx": "audit.view",
    "audit.iter_lines": "audit.view",
    "audit.months": "audit.view",
    "audit.people": "audit.view",
    "audit.recent": "audit.view",
    "audit.search": "audit.view",
    "audit.verify": "audit.view",
    "demo.build": "people.edit",
    "attendance.attendance_json": "attendance.view",
    "attendance.cancel_on_return": "attendance.approve",
    "attendance.corrections": "attendance.view",
    "attendance.decide_correction": "attendance.approve",
    "attendance.decide_leave": "attendance.approve",
    "attendance.decide_swap": "attendance.approve",
    "attendance.file_leave": "attendance.view",
    "attendance.form_header": ANYONE,
    "attendance.generated_events": WIRING,
    "attendance.get_leave": "attendance.view",
    "attendance.import_leave": "import",
    "attendance.import_punches": "import",
    "attendance.leave_requests": "attendance.view",
    "attendance.mark_unarranged_swap": "attendance.approve",
    "attendance.month_in": WIRING,
    "attendance.month_summaries": WIRING,
    "attendance.month_line": "attendance.view",
    "attendance.month_lines": "attendance.view",
    "attendance.print_correction": "attendance.view",
    "attendance.print_correction_by_id": "attendance.view",
    "attendance.print_leave": "attendance.view",
    "attendance.print_month": "attendance.view",
    "attendance.print_swap": "attendance.view",
    "attendance.print_swap_by_id": "attendance.view",
    "attendance.request_correction": "attendance.view",
    "attendance.request_swap": "attendance.view",
    "attendance.store_month": WIRING,
    "attendance.swaps": "attendance.view",
    "attendance.team_month": "attendance.view",
    "backup.allowed": ANYONE,
    "backup.automatic": WIRING,
    "backup.automatic_backups": ANYONE,
    "backup.backup": "settings.edit",
    "backup.backups_dir": ANYONE,
    "backup.daily_due": WIRING,
    "backup.default_backup_path": ANYONE,
    "backup.restore": "settings.edit",
    "backup.unsupported": ANYONE,
    "callbacks.add_member": "callbacks.edit",
    "callbacks.agenda": "callbacks.view",
    "callbacks.agent_names": "callbacks.view",
    "callbacks.agents": "callbacks.view",
    "callbacks.apply_assignments": "callbacks.edit",
    "callbacks.birthday_list_input": "callbacks.view",
    "callbacks.call": "callbacks.view",
    "callbacks.call_sheet_input": "callbacks.view",
    "callbacks.contact_tally": "callbacks.view",
    "callbacks.contacts": "callbacks.view",
    "callbacks.day_counts": "callbacks.view",
    "callbacks.ensure_birthdays": ANYONE,  # plans the birthday calls for callbacks.edit, does nothing for others
    "callbacks.export_agenda": "callbacks.view",
    "callbacks.import_sales": "import",
    "callbacks.log_contact": "callbacks.view",
    "callbacks.member": "callbacks.view",
    "callbacks.member_calls": "callbacks.view",
    "callbacks.members": "callbacks.view",
    "callbacks.performance_input": "callbacks.view",
    "callbacks.plan_birthdays": "callbacks.edit",
    "callbacks.print_birthday_list": "callbacks.view",
    "callbacks.print_call_sheet": "callbacks.view",
    "callbacks.print_performance": "callbacks.view",
    "callbacks.quota": "callbacks.view",
    "callbacks.reassign": "callbacks.edit",
    "callbacks.record_outcome": "callbacks.view",
    "callbacks.set_home_visit": "callbacks.edit",
    "callbacks.suggest_assignment": "callbacks.edit",
    "callbacks.today": ANYONE,
    "callbacks.update_contact": "callbacks.view",
    "callbacks.update_member": "callbacks.edit",
    "callbacks.workload": "callbacks.view",
    "disputes.acknowledge": "scorecards.view",  # one's own month (NotFound for an account of no agent)
    "disputes.acknowledge_inspection": "qa.view",  # one's own inspection (another's: PermissionDenied)
    "disputes.arbitrate": "scorecards.arbitrate",
    "disputes.arbitrate_inspection": "scorecards.arbitrate",
    "disputes.dispute": "scorecards.view",  # one's own month, as acknowledge
    "disputes.dispute_inspection": "qa.view",  # one's own inspection, as acknowledge_inspection
    "disputes.inspection_responses": "qa.view",
    "disputes.open_disputes": frozenset({"scorecards.arbitrate", "scorecards.lock"}),  # who decides, who signs off
    "disputes.open_inspection_disputes": frozenset({"scorecards.arbitrate", "scorecards.lock"}),
    "disputes.responses": "scorecards.view",
    "handover.acknowledge": "handover.write",
    "handover.check": "handover.write",
    "handover.close_item": "handover.write",
    "handover.default_shift": ANYONE,
    "handover.detail": "handover.view",
    "handover.discard_draft": ANYONE,  # one's own draft
    "handover.export": "handover.view",
    "handover.handover_form": "handover.view",
    "handover.item_history": "handover.view",
    "handover.list_entries": "handover.view",
    "handover.load_draft": ANYONE,  # one's own draft
    "handover.penalties_between": WIRING,
    "handover.penalty_choices": "handover.view",
    "handover.pending_for": ANYONE,  # the items waiting for the caller
    "handover.person_of": ANYONE,
    "handover.prefill": "handover.write",
    "handover.print_handover": "handover.view",
    "handover.print_work_digest": "handover.view",
    "handover.record_penalties": "handover.write",
    "handover.save_draft": "handover.write",
    "handover.save_work_record": "handover.write",
    "handover.shift_codes": ANYONE,
    "handover.suggested_counts": "handover.write",
    "handover.work_digest": "handover.view",
    "handover.work_records": "handover.view",
    "handover.write": "handover.write",
    "qa.agents": "qa.view",  # the agents the reader sees: an agent themselves
    "qa.average": "qa.view",  # one agent's, beside the scorecard's service quality
    "qa.averages": "qa.view",
    "qa.behind_quota": "qa.view",
    "qa.calibration": "qa.edit",  # calibration is the inspectors' own work
    "qa.calibration_contacts": "qa.view",  # none for a reader without qa.edit
    "qa.deduct_spot_check": "qa.edit",  # and scorecards.edit, which ScorecardService.record_event checks
    "qa.feed_back": "qa.edit",
    "qa.findings": "qa.view",
    "qa.forms": ANYONE,
    "qa.import_inspections": "qa.edit",
    "qa.inspection": "qa.view",  # a calibration inspection: qa.edit
    "qa.inspection_report": "qa.view",  # a calibration inspection: qa.edit
    "qa.inspections": "qa.view",  # calibration ones only with qa.edit
    "qa.inspectors": "qa.edit",  # whom the inspection form offers as inspector
    "qa.month_report": "qa.view",
    "qa.month_summary": "qa.view",
    "qa.print_inspection": "qa.view",  # a calibration inspection: qa.edit
    "qa.print_month": "qa.view",
    "qa.recheck": "qa.edit",
    "qa.sample": "qa.view",
    "qa.record_inspection": "qa.edit",
    "qa.record_inspections": "qa.edit",  # several together (the demo's)
    "scorecards.add_event_source": WIRING,
    "scorecards.agents": "scorecards.view",
    "scorecards.attendance_line": "scorecards.view",
    "scorecards.attendance_lines": "scorecards.view",
    "scorecards.compared": "scorecards.view",  # the what-if's two months, each as month() shows it
    "scorecards.correct_event": "scorecards.edit",
    "scorecards.corrections": "scorecards.view",
    "scorecards.entry_rows": "scorecards.view",
    "scorecards.evaluation_sheets": "scorecards.view",
    "scorecards.event_lines": "scorecards.view",
    "scorecards.explain": "scorecards.view",
    "scorecards.explain_card": "scorecards.view",
    "scorecards.import_events": frozenset({"scorecards.edit", "import"}),
    "scorecards.import_exams": frozenset({"scorecards.rate", "scorecards.lock"}),
    "scorecards.import_ratings": frozenset({"scorecards.rate", "scorecards.lock"}),
    "scorecards.kpi_inputs": "scorecards.view",
    "scorecards.month": "scorecards.view",
    "scorecards.print_evaluation": "scorecards.view",
    "scorecards.print_evaluation_job": "scorecards.view",
    "scorecards.record_event": "scorecards.edit",
    "scorecards.recordable_codes": ANYONE,
    "scorecards.scorecard": "scorecards.view",
    "scorecards.set_adjustment": frozenset({"scorecards.rate", "scorecards.lock"}),
    "scorecards.set_attendance_source": WIRING,
    "scorecards.set_exam": frozenset({"scorecards.rate", "scorecards.lock"}),
    "scorecards.set_kpi_inputs": frozenset({"scorecards.rate", "scorecards.lock"}),
    "scorecards.set_rating": frozenset({"scorecards.rate", "scorecards.lock"}),
    "scorecards.stored_facts": WIRING,  # inside a lock's or a what-if's unit of work
    "scorecards.trend": "scorecards.view",
    "scorecards.void_event": "scorecards.edit",
    "scorecards.months.history": ANYONE,
    "scorecards.months.is_locked": ANYONE,
    "scorecards.months.lock": "scorecards.lock",
    "scorecards.months.lock_info": ANYONE,
    "scorecards.months.lock_month": "scorecards.lock",
    "scorecards.months.locks": ANYONE,
    "scorecards.months.reopen": "scorecards.lock",
    "scorecards.months.store_missing_results": WIRING,  # at start-up, for months locked by older versions
    "site.set_site": "settings.edit",
    "site.site": ANYONE,  # the name and logo every printed document carries
    "site_policy.apply": "settings.edit",  # writes the site policy file, audited
    "site_policy.preview": ANYONE,  # a change's keys checked against the policy, nobody's records
    "whatif.compare": "scorecards.view",  # pay floats and attendance money as the month shows them to the reader
    "whatif.compare_months": "scorecards.view",
    "whatif.explain": "scorecards.view",
    "whatif.month": "scorecards.view",  # one month of a range, as compare_months computes it  # one agent's trail, as the scorecard shows it to the reader
    "whatif.policy_with": ANYONE,  # a policy file's keys, nobody's records
}


class Floor:
    """The demo department and one signed-in actor per role."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.ctx = make_context(root, FixedClock(datetime(2026, 11, 20, 10, 0)))
        self.ctx.demo.build(SYSTEM, agents=12, months=1, seed=7)
        self.actors = {role: self.ctx.auth.resolve_actor(name) for role, name in LOGINS.items()}
        people = {p.id: p for p in self.ctx.people.people(SYSTEM, include_inactive=True)}
        lead = people[self.actors["team_lead"].person_id]
        self.lead_team = lead.team
        self.team_agent = next(p.employee_no for p in people.values() if p.team == lead.team and p.role == "agent")
        self.own = people[self.actors["agent"].person_id].employee_no
        self.other_team = next(p for p in people.values() if p.team not in (None, lead.team) and p.role == "agent")

    def service(self, dotted: str) -> Any:
        obj: Any = self.ctx
        for part in dotted.split("."):
            obj = getattr(obj, part)
        return obj

    def employee_no(self, role: str) -> str:
        """Whose record a call of ``role`` points at: their own, a member of their team, or anyone's."""
        return {"agent": self.own, "team_lead": self.team_agent}.get(role, self.team_agent)


@pytest.fixture(scope="module")
def floor(tmp_path_factory: pytest.TempPathFactory) -> Floor:
    from csdesk import i18n

    i18n.install("en")
    return Floor(tmp_path_factory.mktemp("roles"))


def _public_methods() -> dict[str, Callable[..., Any]]:
    from csdesk.services.attendance import AttendanceService
    from csdesk.services.audit import AuditService
    from csdesk.services.auth import AuthService
    from csdesk.services.backup import BackupService
    from csdesk.services.callbacks import CallbackService
    from csdesk.services.demo import DemoService
    from csdesk.services.disputes import DisputeService
    from csdesk.services.handover import HandoverService
    from csdesk.services.months import MonthService
    from csdesk.services.people import PeopleService
    from csdesk.services.policy_service import SiteService
    from csdesk.services.qa import QAService
    from csdesk.services.roster import RosterService
    from csdesk.services.scorecards import ScorecardService
    from csdesk.services.site_policy import SitePolicyService
    from csdesk.services.whatif import WhatIfService

    classes = {
        "auth": AuthService, "people": PeopleService, "roster": RosterService, "audit": AuditService, "demo": DemoService,
        "attendance": AttendanceService, "backup": BackupService, "callbacks": CallbackService, "disputes": DisputeService,
        "handover": HandoverService, "qa": QAService, "scorecards": ScorecardService, "scorecards.months": MonthService,
        "site": SiteService, "site_policy": SitePolicyService,
        "whatif": WhatIfService,
    }  # fmt: skip
    found = {}
    for prefix, cls in classes.items():
        for name, function in inspect.getmembers(cls, inspect.isfunction):
            # Service's own helpers; dry_run hands back the service itself, whose methods check
            # their callers as the table says (tests/integration/test_import_dry_run.py).
            if not name.startswith("_") and name not in ("audit", "claim", "now", "dry_run"):
                found[f"{prefix}.{name}"] = function
    return found


def test_every_public_method_is_in_the_table() -> None:
    methods = set(_public_methods())
    assert sorted(methods - set(TABLE)) == [], "classify the new methods: what do they ask of the caller?"
    assert sorted(set(TABLE) - methods) == []


def test_every_method_that_reads_or_writes_someone_s_records_takes_the_caller() -> None:
    for key, function in _public_methods().items():
        needs = TABLE[key]
        params = list(inspect.signature(function).parameters)[1:]
        if needs not in (ANYONE, WIRING):
            assert params and params[0] == "actor", f"{key} checks {needs} but takes no actor first"


def _arguments(floor: Floor, role: str, function: Callable[..., Any], out: Path) -> dict[str, Any]:
    """Arguments that point at the caller's own records (another's would be refused by scope)."""
    params = inspect.signature(function).parameters
    no = floor.employee_no(role)
    team = floor.lead_team if role == "team_lead" else None
    by_name: dict[str, Any] = {
        "actor": floor.actors[role], "employee_no": no, "employee_nos": [no], "agent": no, "team": team,
        "year": 2026, "month": 10 if "year" in params else "2026-10", "day": date(2026, 10, 5), "start": date(2026, 10, 1),
        "end": date(2026, 10, 31), "week_start": date(2026, 10, 5), "at": datetime(2026, 10, 5, 8, 30),
        "path": out / "missing.csv", "out": out / "out.pdf", "reason": "test", "status": None,
    }  # fmt: skip
    args = {}
    for name, param in params.items():
        if name == "self":
            continue
        if name in by_name:
            args[name] = by_name[name]
        elif name.endswith("_id") or name in ("version", "limit", "before_id"):
            args[name] = 999_999  # no such record: an allowed caller hears NotFound, not PermissionDenied
        elif name.endswith("_ids"):
            args[name] = [999_999]
        elif param.default is not inspect.Parameter.empty:
            continue
        else:
            args[name] = None
    return args


def _allowed(floor: Floor, role: str, needs: str | frozenset[str]) -> bool:
    actor = floor.actors[role]
    if needs in (ANYONE, WIRING):
        return True
    wanted = needs if isinstance(needs, frozenset) else {needs}
    return any(actor.can(p) for p in wanted)


@pytest.mark.parametrize("role", sorted(LOGINS))
def test_every_public_method_allows_and_denies_as_the_table_says(floor: Floor, role: str, tmp_path: Path) -> None:
    wrong = []
    for key, function in sorted(_public_methods().items()):
        needs = TABLE[key]
        if needs == WIRING or key in ("demo.build", "backup.restore", "scorecards.months.reopen"):
            continue  # (demo.build and restore replace the database; they are checked alone below)
        service, name = key.rsplit(".", 1)
        args = _arguments(floor, role, function, tmp_path)
        try:
            getattr(floor.service(service), name)(**args)
            denied = False
        except PermissionDenied:
            denied = True
        except Exception:  # noqa: BLE001 - an allowed call may fail on the dummy arguments: it was not refused
            denied = False
        if denied == _allowed(floor, role, needs):
            wrong.append(f"{key}: {'denied' if denied else 'allowed'} for {role}, table says {needs}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("key", ["demo.build", "backup.restore", "scorecards.months.reopen"])
def test_the_methods_that_replace_data_refuse_every_role_without_their_permission(floor: Floor, key: str, tmp_path: Path) -> None:
    function = _public_methods()[key]
    service, name = key.rsplit(".", 1)
    for role in LOGINS:
        if _allowed(floor, role, TABLE[key]):
            continue
        with pytest.raises(PermissionDenied):
            getattr(floor.service(service), name)(**_arguments(floor, role, function, tmp_path))


# --- scope: whose records -------------------------------------------------------------------


def test_an_agent_sees_only_their_own_attendance_scorecard_and_leave(floor: Floor) -> None:
    ctx, agent = floor.ctx, floor.actors["agent"]
    month = ctx.attendance.team_month(agent, 2026, 11)
    assert [a.employee_no for a in month.agents] == [floor.own]
    assert [c.employee_no for c in ctx.scorecards.month(agent, "2026-11").cards] == [floor.own]
    with pytest.raises(PermissionDenied):
        ctx.attendance.team_month(agent, 2026, 11, employee_no=floor.other_team.employee_no)
    with pytest.raises(PermissionDenied):
        ctx.scorecards.explain(agent, "2026-11", floor.other_team.employee_no)
    with pytest.raises(PermissionDenied):
        ctx.attendance.file_leave(agent, floor.other_team.employee_no, "SICK", date(2026, 11, 23), date(2026, 11, 23))
    others = [r for r in ctx.attendance.leave_requests(SYSTEM, year=2026, month=11) if r.employee_no != floor.own]
    for request in others[:3]:
        with pytest.raises(PermissionDenied):
            ctx.attendance.get_leave(agent, request.id)
    assert all(r.employee_no == floor.own for r in ctx.attendance.leave_requests(agent, year=2026, month=11))
    own = ctx.scorecards.month(agent, "2026-11").cards[0]
    assert own.agent.level is not None  # their own pay level and pay float are theirs to see
    with pytest.raises(PermissionDenied):  # personnel files are not an agent's to open
        ctx.people.level_history(agent, floor.own)
    with pytest.raises(PermissionDenied):  # another team: refused, not quietly narrowed to their own card
        ctx.scorecards.month(agent, "2026-11", team=floor.other_team.team)
    own_team = ctx.people.get(SYSTEM, floor.own).team
    assert [c.employee_no for c in ctx.scorecards.month(agent, "2026-11", team=own_team).cards] == [floor.own]


def test_a_team_lead_sees_their_team_without_personnel_fields_or_pay(floor: Floor) -> None:
    ctx, lead = floor.ctx, floor.actors["team_lead"]
    people = ctx.people.people(lead, include_inactive=True)
    assert people and {p.team for p in people} == {floor.lead_team}
    others = [p for p in people if p.id != lead.person_id]  # their own record is theirs to see
    assert others and all(p.phone is None and p.birthday is None and p.level is None and p.join_date is None for p in others)
    with pytest.raises(PermissionDenied):
        ctx.people.people(lead, team=floor.other_team.team)
    with pytest.raises(PermissionDenied):
        ctx.people.get(lead, floor.other_team.employee_no)
    with pytest.raises(PermissionDenied):
        ctx.people.level_history(lead, floor.team_agent)
    assert {a.team for a in ctx.attendance.team_month(lead, 2026, 11).agents} == {floor.lead_team}
    cards = ctx.scorecards.month(lead, "2026-11").cards
    assert cards and {c.agent.team for c in cards} == {floor.lead_team}
    assert all(c.card.pay_float_cny is None and c.agent.level is None for c in cards)
    assert all(line.kind != "pay_float" for c in cards for line in c.card.lines)
    data = ctx.scorecards.month(SYSTEM, "2026-11", team=floor.lead_team)
    assert [c.card.total for c in cards] == [c.card.total for c in data.cards]  # the same scores, pay left out
    with pytest.raises(PermissionDenied):
        ctx.scorecards.record_event(lead, floor.other_team.employee_no, date(2026, 11, 2), "B01")
    assert {e.employee_no for e in ctx.roster.month(lead, 2026, 11)} <= {p.employee_no for p in people}


def test_the_supervisor_and_director_see_everyone_with_personnel_fields(floor: Floor) -> None:
    for role in ("supervisor", "director"):
        people = floor.ctx.people.people(floor.actors[role])
        assert len({p.team for p in people if p.team}) > 1
        assert any(p.phone for p in people) and any(p.level for p in people)


def test_a_trainer_sees_every_agent_s_scores_but_no_pay(floor: Floor) -> None:
    trainer = floor.actors["trainer"]
    cards = floor.ctx.scorecards.month(trainer, "2026-11").cards
    assert len({c.agent.team for c in cards}) > 1
    assert all(c.card.pay_float_cny is None for c in cards)
    assert any(c.card.total is not None for c in cards)
