"""``csdesk whatif`` (interfaces.md, issue 16): a month, or a range of months, under the policy in
force and under that policy with FILE's keys laid over it, side by side; nothing is written."""

from __future__ import annotations

import argparse
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from csdesk.cli_areas.scorecards import number
from csdesk.i18n import N_, _, format_money, format_number

if TYPE_CHECKING:
    from csdesk.services.whatif import MonthWhatIf, Outcome, Summary, Totals, WhatIf


def _outcome(o: Outcome) -> dict[str, Any]:
    return {"total": number(o.total), "grade": o.grade, "pay_float_cny": number(o.pay_float_cny),
            "deduction_cny": o.deduction_cny, "flags": list(o.flags)}  # fmt: skip


def _totals(t: Totals) -> dict[str, Any]:
    return {"before": number(t.before), "after": number(t.after)}


def _summary(s: Summary) -> dict[str, Any]:
    return {"agents_changed": s.agents_changed, "grade_changes": dict(s.grade_changes),
            "deduction_cny": _totals(s.deduction_cny), "pay_float_cny": _totals(s.pay_float_cny)}  # fmt: skip


def _month(m: MonthWhatIf) -> dict[str, Any]:
    """One month's ``agents`` (those who change) and ``summary``."""
    agents = [
        {"employee_no": a.employee_no, "name": a.name, "before": _outcome(a.before), "after": _outcome(a.after),
         "changed": list(a.changed)}
        for a in m.agents
    ]  # fmt: skip
    return {"agents": agents, "summary": _summary(m.summary)}


def whatif_json(result: WhatIf) -> dict[str, Any]:
    """``csdesk whatif --json``: one month with the keys the issue names (and ``locked``); a range
    with each month and each person's money over the range."""
    changes = [{"key": c.key, "from": c.before, "to": c.after} for c in result.changes]
    if len(result.months) == 1:
        month = result.months[0]
        return {"month": month.month, "locked": month.locked, "changes": changes, **_month(month)}
    return {
        "from": result.first, "to": result.last, "changes": changes,
        "months": [{"month": m.month, "locked": m.locked, **_month(m)} for m in result.months],
        "agents": [
            {"employee_no": t.employee_no, "name": t.name, "months": list(t.months),
             "before": {"deduction_cny": number(t.deduction_cny.before), "pay_float_cny": number(t.pay_float_cny.before)},
             "after": {"deduction_cny": number(t.deduction_cny.after), "pay_float_cny": number(t.pay_float_cny.after)}}
            for t in result.totals
        ],
        "summary": _summary(result.summary),
    }  # fmt: skip


# --- text --------------------------------------------------------------------------------------


def _print_changes(result: WhatIf) -> None:
    from csdesk.cli import print_table

    if not result.changes:
        print(_("{file} changes no key of the policy in force.").format(file=result.file))
        return
    print_table([_("Key"), _("In force"), _("With {file}").format(file=Path(result.file).name)],
                [(c.key, _value(c.before), _value(c.after)) for c in result.changes])  # fmt: skip


def _value(value: Any) -> str:
    return "" if value is None else str(value)


def _print_month(m: MonthWhatIf, currency: str) -> None:
    from csdesk.cli import print_table
    from csdesk.services.scorecard_explain import flag_label
    from csdesk.whatif_text import moved

    print()
    print(_("What-if {month}").format(month=m.month))
    if m.locked:
        print(_("{month} is signed off: computed here from its facts under both policies, not read from what was signed.")
              .format(month=m.month))  # fmt: skip

    if not m.agents:
        return

    def money(value: Decimal | int | None) -> str:
        return format_money(value, currency)

    print_table(
        [_("Employee no."), _("Name"), _("Total"), _("Grade"), _("Pay float"), _("Deduction"), _("Flags")],
        [
            (a.employee_no, a.name, moved(format_number(a.before.total), format_number(a.after.total)),
             moved(a.before.grade or "", a.after.grade or ""), moved(money(a.before.pay_float_cny), money(a.after.pay_float_cny)),
             moved(money(a.before.deduction_cny), money(a.after.deduction_cny)),
             moved("; ".join(flag_label(f) for f in a.before.flags), "; ".join(flag_label(f) for f in a.after.flags)))
            for a in m.agents
        ],
    )  # fmt: skip


def _print_summary(summary: Summary, currency: str) -> None:
    from csdesk.whatif_text import summary_lines

    for line in summary_lines(summary, currency):
        print(line)


def _print_totals(result: WhatIf, currency: str) -> None:
    from csdesk.cli import print_table
    from csdesk.whatif_text import moved

    def money(totals: Totals) -> str:
        return moved(format_money(totals.before, currency), format_money(totals.after, currency))

    print()
    print(_("Totals {first} to {last}").format(first=result.first, last=result.last))
    print_table(
        [_("Employee no."), _("Name"), _("Months that change"), _("Pay float"), _("Deduction")],
        [(t.employee_no, t.name, ", ".join(t.months), money(t.pay_float_cny), money(t.deduction_cny)) for t in result.totals],
    )


def cmd_whatif(args: argparse.Namespace) -> int:
    from csdesk.cli import EXIT_OK, UsageProblem, command_actor, context, emit_json

    if (args.first is None) != (args.last is None):
        raise UsageProblem(N_("--from and --to go together."))
    ctx = context(args)
    actor = command_actor(ctx, args)
    path = Path(args.file)
    if args.month:
        result = ctx.whatif.compare(actor, args.month, path, team=args.team)
    else:
        result = ctx.whatif.compare_months(actor, args.first, args.last, path, team=args.team)
    if args.json:
        emit_json(whatif_json(result))
        return EXIT_OK
    currency = ctx.policy.meta.currency
    _print_changes(result)
    for month in result.months:
        _print_month(month, currency)
        if len(result.months) > 1:
            _print_summary(month.summary, currency)
    if len(result.months) > 1:
        _print_totals(result, currency)
    print()
    _print_summary(result.summary, currency)
    return EXIT_OK


def register(sub: argparse._SubParsersAction, print_sub: argparse._SubParsersAction) -> None:
    """Add ``whatif`` (it prints no document)."""
    whatif = sub.add_parser("whatif", help=_("a month under the policy in force and under a file's keys laid over it; writes nothing"))
    when = whatif.add_mutually_exclusive_group(required=True)
    when.add_argument("--month", help="YYYY-MM")
    when.add_argument("--from", dest="first", metavar="M1", help=_("first month of a range (YYYY-MM), with --to"))
    whatif.add_argument("--to", dest="last", metavar="M2", help=_("last month of the range (YYYY-MM)"))
    whatif.add_argument("--with", dest="file", required=True, metavar="FILE.toml",
                        help=_("the keys to change, written as a site policy file"))  # fmt: skip
    whatif.add_argument("--team")
    whatif.set_defaults(func=cmd_whatif)

