"""What one evaluation sheet shows, computed by the service (no ReportLab here: cheap to import)."""

from __future__ import annotations

from csdesk.i18n import N_
from csdesk.records import record


@record
class SheetLabels:
    """Every fixed text of the sheet, already translated into the sheet's language."""

    title: str
    agent: str
    employee_no: str
    team: str
    level: str
    month: str
    rated_part: str
    criterion: str
    score: str
    maximum: str
    events: str
    date: str
    code: str
    item: str
    points: str
    recorded_by: str
    note: str
    no_events: str
    summary: str
    bonus: str
    deduction: str
    adjustment: str
    reason: str
    raw_total: str
    total: str
    grade: str
    pay_float: str
    exam: str
    attendance: str
    flags: str
    comments: str
    signature: str
    sign_date: str
    agent_signs: str
    evaluator_signs: str
    supervisor_signs: str
    page: str  # "Page {page}"
    printed: str  # "Printed {when}"
    # What does not fit on the sheet's one page goes to a continuation list after it.
    more_events: str = "{n} more events: see the continuation list"
    continuation: str = "Continuation of the evaluation sheet"
    # Marked here: the service translates every field of its labels, this one from its default.
    notes_cut: str = N_("Notes ending in … are printed in full on the continuation list")


@record
class SheetRating:
    name: str
    value: str
    maximum: str


@record
class SheetEvent:
    day: str
    code: str
    name: str
    points: str
    recorded_by: str
    note: str


@record
class EvaluationSheet:
    """One agent's month, every value formatted for printing."""

    labels: SheetLabels
    header: str  # the department (after the site's name in the page's head)
    printed: str  # the print date, formatted
    agent_name: str
    employee_no: str
    team: str
    level: str
    month: str
    ratings: tuple[SheetRating, ...]
    rated_total: str
    rated_maximum: str
    events: tuple[SheetEvent, ...]
    bonus: str
    deduction: str
    adjustment: str
    adjustment_reason: str
    raw_total: str
    total: str
    grade: str
    pay_float: str
    exam: str
    attendance: str
    flags: tuple[str, ...] = ()
    lang: str = ""  # the sheet's language (how its text wraps); "" guesses from the labels
    site: str = ""  # the site's name and logo file, heading every page
    logo: str = ""


class RenderCancelled(Exception):
    """The progress callback asked to stop; the partial file must be discarded."""
