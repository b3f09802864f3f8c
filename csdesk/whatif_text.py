"""A what-if result, and a policy change, in words, for the command line and the windows alike."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from csdesk.audit_labels import ARROW, value_text
from csdesk.i18n import _, format_money, format_number, ngettext
from csdesk.policy.changes import PolicyChange
from csdesk.services.scorecard_explain import ExplainLine

if TYPE_CHECKING:
    from csdesk.services.whatif import AgentWhy, Summary

#: The parts of a trail that are one line each, whatever their code (the grade C line becomes D).
ONE_LINE_PARTS = ("grade", "pay_float", "attendance")


def shown(key: str, value: Any) -> str:
    """A policy value in the reader's words (None: the key is not set)."""
    if value is None:
        return _("(not set)")
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    return value_text(key, value)


def change_lines(changes: Sequence[PolicyChange], captions: Mapping[str, str] | None = None) -> list[str]:
    """``key: before → after`` per changed key, a key named by its caption when it has one."""
    captions = captions or {}
    return [
        f"{_(captions[c.key]) if c.key in captions else c.key}: {shown(c.key, c.before)}{ARROW}{shown(c.key, c.after)}"
        for c in changes
    ]


def moved(before: str, after: str) -> str:
    """``70 → 68`` when the value moves, else the value once."""
    return before if before == after else f"{before} → {after}"


def summary_lines(summary: Summary, currency: str) -> list[str]:
    """Agents changed, grade changes, deductions and pay floats before → after, a line each."""
    n = summary.agents_changed
    lines = [ngettext("{n} agent changes.", "{n} agents change.", n).format(n=format_number(n))]
    if summary.grade_changes:
        changes = ", ".join(f"{k} {format_number(v)}" for k, v in summary.grade_changes.items())
        lines.append(_("Grades: {changes}").format(changes=changes))
    for line, totals in ((_("Deductions: {money}"), summary.deduction_cny), (_("Pay floats: {money}"), summary.pay_float_cny)):
        if totals.before is not None:
            lines.append(line.format(money=moved(format_money(totals.before, currency), format_money(totals.after, currency))))
    return lines


def moved_lines(why: AgentWhy) -> list[tuple[str, str, str]]:
    """The lines of one agent's trail that the change moves: (before, after, rule), with "" where
    a line is on one side only (an event no longer counted, a line the change adds)."""

    def key(line: ExplainLine) -> tuple[object, ...]:
        if line.part in ONE_LINE_PARTS:
            return (line.part,)
        return line.part, line.code, line.day, line.source

    old, new = {key(x): x for x in why.before.lines}, {key(x): x for x in why.after.lines}
    out = []
    for k in dict.fromkeys([*old, *new]):
        a, b = old.get(k), new.get(k)
        if a is None or b is None or (a.text, a.points) != (b.text, b.points):
            out.append((a.text if a else "", b.text if b else "", (a or b).rule))  # type: ignore[union-attr]
    return out
