"""Inputs of the callback printouts and the agenda exports (the renderers never query).

:class:`CallbackReports` is a part of :class:`csdesk.services.callbacks.CallbackService`
(which delegates to it); the call sheet reads the day's agenda through the service's
``agenda``, given to the constructor as a plain callable.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import BinaryIO, TypeVar

from csdesk.errors import ValidationError
from csdesk.i18n import N_
from csdesk.models.db import UowFactory
from csdesk.models.repo_callbacks import CALL_CANCELLED, CALL_CLOSED
from csdesk.policy import Policy
from csdesk.reports.callback_inputs import (
    BirthdayLine,
    BirthdayListInput,
    CallSheetInput,
    CallSheetLine,
    PerformanceInput,
    PerformanceRow,
)
from csdesk.rules import callbacks as rules
from csdesk.services.base import Actor, Clock, Service, require
from csdesk.services.callback_base import VIEW, call_scope, month_bounds, opening_calendar, phone_for, rule_call
from csdesk.services.callback_dto import Agenda
from csdesk.services.callback_scripts import script_points
from csdesk.services.policy_service import site_in_force

Printed = TypeVar("Printed", BirthdayListInput, CallSheetInput, PerformanceInput)


@dataclass
class _Tally:
    planned: int = 0
    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    reached: int = 0

    def add(self, status: str, reached: bool) -> None:
        self.planned += 1
        self.counts[status] += 1
        self.reached += int(reached)

    def row(self, agent: str, name: str, kind: str) -> PerformanceRow:
        c = self.counts
        return PerformanceRow(agent, name, kind, self.planned, c[rules.PROMISE_ON_TIME], c[rules.PROMISE_LATE],
                              c[rules.PROMISE_MISSED], c[rules.PROMISE_PENDING], self.reached)


#: ``CallbackService.agenda(actor, day, agent)``: the agent's calls of the day and their quota.
AgendaReader = Callable[[Actor, date, str], Agenda]


class CallbackReports(Service):
    """Birthday list, call sheet, monthly performance; iCalendar and XLSX exports."""

    def __init__(self, uow: UowFactory, policy: Policy, clock: Clock, *, agenda: AgendaReader) -> None:
        super().__init__(uow, policy, clock)
        self._agenda = agenda

    def birthday_list_input(self, actor: Actor, month: date) -> BirthdayListInput:
        """The birthday calls of ``month``, VIP and normal customers apart (rules.birthday_list)."""
        require(actor, VIEW)
        first = month.replace(day=1)
        with self._uow() as uow:
            scope = call_scope(actor, uow)
            members = [m for m in uow.callbacks.birthdays_in_month(first.month) if scope.sees(m.agent_id)]
        by_key = {f"{m.name}\t{m.id}": m for m in members}
        listing = rules.birthday_list((rules.BirthdayMember(k, m.birthday, m.vip) for k, m in by_key.items()), first,
                                     opening_calendar(self.policy))  # the call day as planned

        def line(entry: rules.BirthdayEntry) -> BirthdayLine:
            m = by_key[entry.member]
            return BirthdayLine(m.name, entry.birthday, entry.call_date, entry.age,
                                phone_for(actor, m.phone, m.agent_id), m.agent_no or "", m.agent_name or "")

        return BirthdayListInput(first, tuple(map(line, listing.vip)), tuple(map(line, listing.normal)), self.now())

    def call_sheet_input(self, actor: Actor, day: date, agent: str) -> CallSheetInput:
        """One agent's calls of the day with the script points of each (rules.md §9)."""
        agenda = self._agenda(actor, day, agent)
        quota = agenda.quotas[0]
        lines = tuple(
            CallSheetLine(c.kind, c.retry_of, c.attempt, c.note, c.member, c.phone, c.tier, c.vip, c.window_start,
                          c.due, c.status, c.outcome, script_points(c.kind, c.retry_of, c.note))
            for c in agenda.calls
        )
        return CallSheetInput(day, quota.agent, quota.agent_name, quota.effective, quota.target, quota.home_visit,
                              lines, self.now())

    def performance_input(self, actor: Actor, month: date) -> PerformanceInput:
        """Promised calls due in the month: on time, late, missed, pending (rules.promise_status),
        per agent and kind. Retries belong to the call they retry; the agent is whoever holds
        the last attempt.
        """
        require(actor, VIEW)
        first = month.replace(day=1)
        now = self.now()
        with self._uow() as uow:
            scope = call_scope(actor, uow)
            repo = uow.callbacks
            start, end = month_bounds(first)
            chains = {r.id: [r] for r in repo.promised_in(start, end)}
            for retry in repo.retries_since(start):
                if retry.root_id in chains and retry.status != CALL_CANCELLED:
                    chains[retry.root_id].append(retry)
        cells: dict[tuple[str, str], _Tally] = defaultdict(_Tally)
        by_agent: dict[str, _Tally] = defaultdict(_Tally)
        by_kind: dict[str, _Tally] = defaultdict(_Tally)
        total = _Tally()
        names: dict[str, str] = {}
        for attempts in chains.values():
            last = max(attempts, key=lambda a: (a.attempt, a.window_start))
            if not scope.sees(last.agent_id):
                continue
            result = rules.promise_status([rule_call(a) for a in attempts], now)
            reached = last.status == CALL_CLOSED and last.outcome == rules.REACHED
            agent, kind = last.agent_no or "", attempts[0].kind
            names[agent] = last.agent_name or ""
            for tally in (cells[(agent, kind)], by_agent[agent], by_kind[kind], total):
                tally.add(result, reached)
        kinds = {k: i for i, k in enumerate(self.policy.callbacks.kinds)}
        return PerformanceInput(
            month=first,
            rows=tuple(cells[k].row(k[0], names[k[0]], k[1]) for k in sorted(cells, key=lambda k: (k[0], kinds.get(k[1], 99)))),
            by_agent=tuple(by_agent[a].row(a, names[a], "") for a in sorted(by_agent)),
            by_kind=tuple(by_kind[k].row("", "", k) for k in sorted(by_kind, key=lambda k: kinds.get(k, 99))),
            total=total.row("", "", ""),
            printed_at=now,
        )

    # --- printing (ReportLab loads only when a document is printed) ---------------------

    def print_birthday_list(self, actor: Actor, month: date, out: Path | BinaryIO) -> BirthdayListInput:
        from csdesk.reports import birthday_list

        data = self._headed(self.birthday_list_input(actor, month))
        birthday_list.render(data, out)
        return data

    def print_call_sheet(self, actor: Actor, day: date, agent: str, out: Path | BinaryIO) -> CallSheetInput:
        from csdesk.reports import call_sheet

        data = self._headed(self.call_sheet_input(actor, day, agent))
        call_sheet.render(data, out)
        return data

    def print_performance(self, actor: Actor, month: date, out: Path | BinaryIO) -> PerformanceInput:
        from csdesk.reports import callback_performance

        data = self._headed(self.performance_input(actor, month))
        callback_performance.render(data, out)
        return data

    def _headed(self, data: Printed) -> Printed:
        """``data`` with the site's name and logo that head its printed pages."""
        with self._uow() as uow:
            site = site_in_force(uow, self.policy)
        return replace(data, site=site.name, logo=site.logo)

    # --- exports ------------------------------------------------------------------------

    def export_agenda(self, actor: Actor, agenda: Agenda, out: Path) -> int:
        """Write ``agenda`` as iCalendar (.ics) or Excel (.xlsx), chosen by the file suffix."""
        require(actor, VIEW)
        from csdesk.services import callback_export

        suffix = out.suffix.lower()
        if suffix == ".ics":
            callback_export.write_ics(agenda, out, self.now())
        elif suffix == ".xlsx":
            callback_export.write_xlsx(agenda, out)
        else:
            raise ValidationError(N_("Export to .ics or .xlsx, not {suffix}"), field="out", suffix=suffix or "?")
        return len(agenda.calls)
