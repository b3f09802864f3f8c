"""Subcommands of the quality-inspection area (interfaces.md): ``qa``, the inspections import and
the printed documents:

``csdesk print qa-inspection ID --lang L --out FILE.pdf`` — one inspection's report to sign;
``csdesk print qa-summary --month M [--team T] --lang L --out FILE.pdf`` — the month's QA summary
per team.
"""

from __future__ import annotations

import argparse
from decimal import Decimal
from pathlib import Path
from typing import Any

from csdesk import i18n
from csdesk.i18n import _, format_number

# Import kinds of this area: kind -> "context_attribute.method".
IMPORTERS: dict[str, str] = {"inspections": "qa.import_inspections"}


def _average(value: Decimal | None) -> float | None:
    """The average as a JSON number with its one decimal (95.0), or null without inspections."""
    return None if value is None else float(value)


def cmd_qa(args: argparse.Namespace) -> int:
    from csdesk.cli import EXIT_OK, command_actor, context, emit_json, print_table

    ctx = context(args)
    actor = command_actor(ctx, args)
    result = ctx.qa.month_summary(actor, args.month, team=args.team, employee_no=args.agent)
    if args.json:
        agents: list[dict[str, Any]] = [
            {"employee_no": a.employee_no, "inspections": a.inspections, "average": _average(a.average),
             "critical_failures": a.critical_failures, "open_findings": a.open_findings}
            for a in result.agents
        ]  # fmt: skip
        emit_json({"month": result.month, "agents": agents})
        return EXIT_OK
    print(_("Quality inspection {month}").format(month=result.month))
    print_table(
        [_("Employee no."), _("Name"), _("Team"), _("Inspections"), _("Average"), _("Critical failures"), _("Open findings")],
        [
            (a.employee_no, a.name, a.team or "", a.inspections, format_number(a.average, 1),
             a.critical_failures, a.open_findings)
            for a in result.agents
        ],
    )  # fmt: skip
    return EXIT_OK


def cmd_print_inspection(args: argparse.Namespace) -> int:
    from csdesk.cli import command_actor, context, written

    ctx = context(args)
    i18n.install(args.lang)
    ctx.qa.print_inspection(command_actor(ctx, args), args.id, Path(args.out))
    return written(args)


def cmd_print_summary(args: argparse.Namespace) -> int:
    from csdesk.cli import command_actor, context, written

    ctx = context(args)
    i18n.install(args.lang)
    ctx.qa.print_month(command_actor(ctx, args), args.month, Path(args.out), team=args.team)
    return written(args)


def register(sub: argparse._SubParsersAction, print_sub: argparse._SubParsersAction) -> None:
    """Add this area's subcommands and print documents."""
    qa = sub.add_parser("qa", help=_("the month's quality inspections per agent"))
    qa.add_argument("--month", required=True, help="YYYY-MM")
    qa.add_argument("--agent", help=_("employee number"))
    qa.add_argument("--team")
    qa.set_defaults(func=cmd_qa)

    report = print_sub.add_parser("qa-inspection", help=_("one quality inspection's report to sign"))
    report.add_argument("id", type=int)
    report.add_argument("--lang", dest="lang", choices=i18n.LANGUAGES, required=True)
    report.add_argument("--out", required=True, help=_("PDF file to write"))
    report.set_defaults(func=cmd_print_inspection)

    summary = print_sub.add_parser("qa-summary", help=_("the month's quality-inspection summary per team"))
    summary.add_argument("--month", required=True, help="YYYY-MM")
    summary.add_argument("--team", help=_("only this team"))
    summary.add_argument("--lang", dest="lang", choices=i18n.LANGUAGES, required=True)
    summary.add_argument("--out", required=True, help=_("PDF file to write"))
    summary.set_defaults(func=cmd_print_summary)
