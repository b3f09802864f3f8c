"""Translatable names of the handover area's codes, for the window and the printouts."""

from __future__ import annotations

from csdesk.i18n import N_, _
from csdesk.labels import SHIFT_NAMES, name_of

PRIORITY_NAMES = {"high": N_("High"), "normal": N_("Normal"), "low": N_("Low")}

STATUS_NAMES = {"open": N_("Open"), "overdue": N_("Overdue"), "closed": N_("Closed")}

LINK_KIND_NAMES = {"callback": N_("Callback"), "complaint": N_("Complaint")}

# rules.handover problem codes and penalty reasons
PROBLEM_NAMES = {
    "SUMMARY_MISSING": N_("The work summary is missing"),
    "ITEM_PENDING_MISSING": N_("An open item does not say what is pending"),
    "ITEM_OWNER_MISSING": N_("An open item has no owner"),
    "ITEM_DUE_MISSING": N_("An open item has no due time"),
}

REASON_NAMES = {
    "INCOMPLETE_RECORD": N_("Handover record not completed carefully"),
    "MESSY_DESK": N_("Desk messy at shift change"),
}

STATUS_FILTER_NAMES = {
    "unacknowledged": N_("Not acknowledged"),
    "acknowledged": N_("Acknowledged"),
    "open": N_("With open items"),
    "overdue": N_("With overdue items"),
}


def shift_label(code: str) -> str:
    return f"{code} {name_of(SHIFT_NAMES, code)}"


def link_label(kind: str | None, ref: str | None) -> str:
    if not kind:
        return ""
    return f"{name_of(LINK_KIND_NAMES, kind)} #{ref or ''}"


def problem_label(code: str) -> str:
    msgid = PROBLEM_NAMES.get(code)
    return _(msgid) if msgid else code
