"""A what-if result in words, for the command line and the what-if window alike."""

from __future__ import annotations

from typing import TYPE_CHECKING

from csdesk.i18n import _, format_money, format_number, ngettext

if TYPE_CHECKING:
    from csdesk.services.whatif import Summary


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
