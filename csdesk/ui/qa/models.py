"""The columns of the Quality page's tables: inspections (with the agent's response to each),
findings, the weekly quota, the month's summary and calibration."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from fractions import Fraction

from PySide6.QtGui import QColor

from csdesk.audit_labels import INSPECTION_RESPONSE_NAMES
from csdesk.callback_labels import CONTACT_KIND_NAMES
from csdesk.i18n import (
    N_,
    _,
    format_date,
    format_datetime,
    format_iso_date,
    format_number,
    format_percent,
    format_signed,
)
from csdesk.labels import CALLBACK_KIND_NAMES, name_of
from csdesk.models.domain_disputes import InspectionResponse
from csdesk.models.domain_qa import FindingRecord, InspectionRecord
from csdesk.qa_labels import ANSWER_NAMES, IMPACT_NAMES, MODE_NAMES, finding_status, question_label
from csdesk.rules.qa import NA, NO, YES, InspectorSpread, QuestionSpread, round_half_up
from csdesk.services.qa import AgentQaLine, CalibrationContact, ProposedAgent, QuotaLine
from csdesk.services.qa_sampling import CALL, ProposedContact
from csdesk.ui.qa.disputes import OPEN_RED, decision_text, state_text
from csdesk.ui.table_model import ColumnSpec

RED = QColor("#b00020")
GREY = QColor("#808080")


def person(no: str, name: str) -> str:
    """A person as the tables name them: "A001 孙艳"."""
    return f"{no} {name}"


def _inspection_colour(i: InspectionRecord) -> QColor | None:
    return GREY if i.calibration else RED if i.critical else None


def _inspection_tip(i: InspectionRecord) -> str:
    tips = [_("Calibration inspection: it does not count in the agent's results.")] if i.calibration else []
    return "\n".join(tips + ([i.comment] if i.comment else []))


def inspection_columns(
    response_of: Callable[[int], InspectionResponse | None],
) -> tuple[ColumnSpec[InspectionRecord], ...]:
    """The inspections' columns; ``response_of(inspection id)``: the agent's latest response to
    it (issue 15), shown in words, red while a dispute awaits the supervisor."""

    def response(i: InspectionRecord) -> str:
        r = response_of(i.id)
        if r is None:
            return ""
        kind = _(INSPECTION_RESPONSE_NAMES.get(r.kind, r.kind))
        decision = decision_text(r)
        return f"{kind} · {decision}" if decision else kind

    def response_colour(i: InspectionRecord) -> QColor | None:
        r = response_of(i.id)
        return OPEN_RED if r is not None and r.is_open else None

    return (
        ColumnSpec(N_("Date"), lambda i: format_iso_date(i.inspected_on), sort_key=lambda i: (i.inspected_on, i.id)),
        ColumnSpec(N_("Agent"), lambda i: person(i.employee_no, i.name)),
        ColumnSpec(N_("Contact"), lambda i: i.contact, tooltip=_inspection_tip),
        ColumnSpec(N_("Inspector"), lambda i: person(i.inspector_no, i.inspector_name)),
        ColumnSpec(N_("Mode"), lambda i: name_of(MODE_NAMES, i.mode)),
        ColumnSpec(N_("Score"), lambda i: format_number(i.score, 1), sort_key=lambda i: i.exact, align_right=True,
                   foreground=_inspection_colour, tooltip=_inspection_tip),
        ColumnSpec(N_("Critical failure"), lambda i: _(ANSWER_NAMES[YES]) if i.critical else "",
                   foreground=_inspection_colour),
        ColumnSpec(N_("Response"), response, foreground=response_colour,
                   tooltip=lambda i: state_text(r) if (r := response_of(i.id)) is not None else ""),
    )  # fmt: skip


def overdue(finding: FindingRecord, today: date) -> bool:
    """Not put right, and its deadline has passed."""
    return finding.closed_on is None and finding.deadline < today


def finding_columns(today: Callable[[], date]) -> tuple[ColumnSpec[FindingRecord], ...]:
    """The findings' columns; an overdue finding (on ``today()``) is red, one put right grey."""

    def red(f: FindingRecord) -> QColor | None:
        return RED if overdue(f, today()) else GREY if f.closed_on is not None else None

    def deadline_tip(f: FindingRecord) -> str:
        return _("Overdue: not put right by its deadline.") if overdue(f, today()) else ""

    def fed_back(f: FindingRecord) -> str:
        return f"{format_datetime(f.fed_back_at, 'short')} {f.fed_back_by or ''}".strip() if f.fed_back_at else ""

    return (
        ColumnSpec(N_("Deadline"), lambda f: format_iso_date(f.deadline), sort_key=lambda f: (f.deadline, f.id),
                   foreground=red, tooltip=deadline_tip),
        ColumnSpec(N_("Agent"), lambda f: person(f.employee_no, f.name), foreground=red),
        ColumnSpec(N_("Contact"), lambda f: f"{f.contact} · {format_iso_date(f.inspected_on)}", foreground=red),
        ColumnSpec(N_("Question"), lambda f: question_label(f.question), foreground=red),
        ColumnSpec(N_("Impact"), lambda f: name_of(IMPACT_NAMES, f.impact), foreground=red),
        ColumnSpec(N_("Status"), lambda f: finding_status(f.status, f.outcome), foreground=red),
        ColumnSpec(N_("Fed back"), fed_back),
        ColumnSpec(N_("Re-checked"), lambda f: format_iso_date(f.rechecked_on)),
        ColumnSpec(N_("Deduction"), lambda f: _("event {id}").format(id=f.event_id) if f.event_id else ""),
        ColumnSpec(N_("Note"), lambda f: f.note, tooltip=lambda f: f.note),
    )  # fmt: skip


QUOTA_COLUMNS: tuple[ColumnSpec[QuotaLine], ...] = (
    ColumnSpec(N_("Agent"), lambda q: person(q.employee_no, q.name)),
    ColumnSpec(N_("Team"), lambda q: q.team or ""),
    ColumnSpec(N_("Inspections this week"), lambda q: format_number(q.done), sort_key=lambda q: q.done, align_right=True,
               foreground=lambda q: RED),
    ColumnSpec(N_("Required"), lambda q: format_number(q.required), sort_key=lambda q: q.required, align_right=True),
    ColumnSpec(N_("Missing"), lambda q: format_number(q.required - q.done), sort_key=lambda q: q.required - q.done,
               align_right=True),
)  # fmt: skip


def _contact_kind(contact: ProposedContact) -> str:
    """The translated kind of a proposed call (a callback kind) or contact (a contact kind)."""
    return name_of(CALLBACK_KIND_NAMES if contact.source == CALL else CONTACT_KIND_NAMES, contact.kind)


def _contacts_text(p: ProposedAgent) -> str:
    return ", ".join(
        _("{reference} ({kind}, {date})").format(reference=c.reference, kind=_contact_kind(c),
                                                 date=format_date(c.when.date(), "short"))
        for c in p.contacts
    )  # fmt: skip


def _contacts_tip(p: ProposedAgent) -> str:
    return "\n".join(f"{c.reference} · {_contact_kind(c)} · {c.member_name} · {format_datetime(c.when, 'short')}"
                     for c in p.contacts)  # fmt: skip


# in the service's order (behind the quota first), not sortable
PROPOSED_COLUMNS: tuple[ColumnSpec[ProposedAgent], ...] = (
    ColumnSpec(N_("Agent"), lambda p: person(p.employee_no, p.name)),
    ColumnSpec(N_("Team"), lambda p: p.team or ""),
    ColumnSpec(N_("Inspections this week"), lambda p: format_number(p.done), align_right=True),
    ColumnSpec(N_("Still needed"), lambda p: format_number(p.needed), align_right=True,
               foreground=lambda p: RED if p.needed else None),
    ColumnSpec(N_("Inspections this month"), lambda p: format_number(p.month_done), align_right=True),
    ColumnSpec(N_("Contacts to inspect"), _contacts_text, tooltip=_contacts_tip),
)  # fmt: skip


SUMMARY_COLUMNS: tuple[ColumnSpec[AgentQaLine], ...] = (
    ColumnSpec(N_("Employee no."), lambda a: a.employee_no),
    ColumnSpec(N_("Name"), lambda a: a.name),
    ColumnSpec(N_("Team"), lambda a: a.team or ""),
    ColumnSpec(N_("Inspections"), lambda a: format_number(a.inspections), sort_key=lambda a: a.inspections,
               align_right=True),
    ColumnSpec(N_("Average"), lambda a: format_number(a.average, 1) if a.average is not None else "—",
               sort_key=lambda a: (a.average is not None, a.average or 0), align_right=True),
    ColumnSpec(N_("Critical failures"), lambda a: format_number(a.critical_failures), sort_key=lambda a: a.critical_failures,
               align_right=True, foreground=lambda a: RED if a.critical_failures else None),
    ColumnSpec(N_("Open findings"), lambda a: format_number(a.open_findings), sort_key=lambda a: a.open_findings,
               align_right=True),
)  # fmt: skip


CONTACT_COLUMNS: tuple[ColumnSpec[CalibrationContact], ...] = (
    ColumnSpec(N_("Agent"), lambda c: person(c.employee_no, c.name)),
    ColumnSpec(N_("Contact"), lambda c: c.contact),
    ColumnSpec(N_("Inspections"), lambda c: format_number(c.inspections), sort_key=lambda c: c.inspections, align_right=True),
)  # fmt: skip


def credit_text(credit: Fraction | None) -> str:
    """An answer's credit in words: Yes, No, N/A, or the share of its points given."""
    if credit is None:
        return _(ANSWER_NAMES[NA])
    if credit in (0, 1):
        return _(ANSWER_NAMES[YES if credit == 1 else NO])
    return format_percent(float(credit))


def question_columns(inspectors: Sequence[tuple[str, str]], agreed: str | None) -> tuple[ColumnSpec[QuestionSpread], ...]:
    """Calibration per question: the agreed answer (``agreed``: the inspector whose inspection
    counts, None: none does), each inspector's (red where it differs from the agreed one) and
    the spread; ``inspectors``: (employee no., name) in the order compared."""

    def answer_of(n: int, no: str, name: str) -> ColumnSpec[QuestionSpread]:
        return ColumnSpec(person(no, name), lambda q: credit_text(q.answers[n][1]),
                          foreground=lambda q: RED if no in q.differing else None)  # fmt: skip

    return (
        ColumnSpec(N_("Question"), lambda q: question_label(q.question)),
        ColumnSpec(N_("Agreed answer"), lambda q: credit_text(q.agreed) if agreed else "—"),
        *(answer_of(n, no, name) for n, (no, name) in enumerate(inspectors)),
        ColumnSpec(N_("Spread"), lambda q: format_percent(float(q.spread)), sort_key=lambda q: q.spread, align_right=True,
                   foreground=lambda q: RED if q.spread else None),
    )  # fmt: skip


def inspector_columns(names: dict[str, str], agreed: str | None) -> tuple[ColumnSpec[InspectorSpread], ...]:
    """Calibration per inspector against the agreed inspection (``agreed``: its inspector)."""

    def difference(s: InspectorSpread) -> str:
        return "" if s.difference is None else format_signed(round_half_up(s.difference))

    return (
        ColumnSpec(N_("Inspector"), lambda s: person(s.inspector, names.get(s.inspector, ""))
                   + (" ✓" if s.inspector == agreed else ""),
                   tooltip=lambda s: _("The inspection that counts: its answers are the agreed ones.")
                   if s.inspector == agreed else ""),
        ColumnSpec(N_("Score"), lambda s: format_number(round_half_up(s.exact), 1), sort_key=lambda s: s.exact,
                   align_right=True),
        ColumnSpec(N_("Difference"), difference, sort_key=lambda s: abs(s.difference or 0), align_right=True,
                   foreground=lambda s: RED if s.difference else None),
        ColumnSpec(N_("Answers differing"), lambda s: "" if s.differing is None else format_number(s.differing),
                   sort_key=lambda s: s.differing or 0, align_right=True),
    )  # fmt: skip
