"""Translatable names of the quality-inspection area's codes (rules.md §10), for the window, the
printouts and the command line.

The default form's sections and questions are named here; a question or section a site adds in
its policy shows as its code. Codes are stable; names are marked N_ and translated when shown.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from csdesk.i18n import N_, _, format_number
from csdesk.labels import name_of
from csdesk.rules.qa import CRITICAL, FED_BACK, MAJOR, MINOR, NA, NO, OPEN, RECHECKED, RESOLVED, UNRESOLVED, YES

SECTION_NAMES = {"etiquette": N_("Etiquette"), "process": N_("Process"), "service": N_("Service")}

QUESTION_NAMES = {
    "Q01": N_("Answered within three rings"),
    "Q02": N_("Opening phrase"),
    "Q03": N_("Closing phrase"),
    "Q04": N_("Script used"),
    "Q05": N_("Attitude"),
    "Q06": N_("Accuracy of the answers"),
    "Q07": N_("Record complete"),
}

MODE_NAMES = {"live": N_("Live listening"), "replay": N_("Recording replay"), "sample": N_("Record sampling")}

ANSWER_NAMES = {YES: N_("Yes"), NO: N_("No"), NA: N_("N/A")}

IMPACT_NAMES = {CRITICAL: N_("Critical"), MAJOR: N_("Major"), MINOR: N_("Minor")}

# A finding is open, then fed back to the agent and team lead, then re-checked with an outcome.
FINDING_STATUS_NAMES = {OPEN: N_("Open"), FED_BACK: N_("Fed back"), RECHECKED: N_("Re-checked")}
OUTCOME_NAMES = {RESOLVED: N_("Put right"), UNRESOLVED: N_("Not put right yet")}


def question_label(code: str) -> str:
    """``Q01 Answered within three rings``, in the current language (a site's own: the code)."""
    name = name_of(QUESTION_NAMES, code)
    return code if name == code else f"{code} {name}"


def answer_label(given: str) -> str:
    """A stored answer in words: Yes, No, N/A, or the points given (``1.5``) as a number."""
    if given in ANSWER_NAMES:
        return _(ANSWER_NAMES[given])
    try:
        return format_number(Decimal(given))
    except InvalidOperation:  # points that are no decimal ("2/3") show as stored
        return given


def finding_status(status: str, outcome: str | None) -> str:
    """``Re-checked: Put right``, ``Fed back``, ``Open``."""
    text = name_of(FINDING_STATUS_NAMES, status)
    return f"{text}: {name_of(OUTCOME_NAMES, outcome)}" if outcome else text
