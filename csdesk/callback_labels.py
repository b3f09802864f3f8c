"""Translatable names of the callbacks area's own codes (csdesk.labels holds kinds and outcomes).

Kept beside csdesk.labels (which the lead owns) so windows, reports and the
command line share one set of names. Codes are stable; names are marked N_.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from csdesk.i18n import N_, _

# Contact kinds (rules.md §9: incoming contacts are complaint / enquiry / other;
# bad reviews [004]). The policy lists only the same-day kinds, so the full list
# lives here until the policy grows a key for it.
CONTACT_KINDS: tuple[str, ...] = ("COMPLAINT", "ENQUIRY", "OTHER", "REVIEW")
CONTACT_KIND_NAMES = {
    "COMPLAINT": N_("Complaint"),
    "ENQUIRY": N_("Enquiry"),
    "OTHER": N_("Other contact"),
    "REVIEW": N_("Bad review"),
}
CONTACT_STATUSES: tuple[str, ...] = ("OPEN", "IN_PROGRESS", "SOLVED")
CONTACT_STATUS_NAMES = {"OPEN": N_("Open"), "IN_PROGRESS": N_("In progress"), "SOLVED": N_("Solved")}
# Severity of a review or complaint: larger is more severe (rules.review_order).
SEVERITIES: tuple[int, ...] = (1, 2, 3)
SEVERITY_NAMES = {1: N_("Minor"), 2: N_("Serious"), 3: N_("Severe")}
TIER_NAMES = {"important": N_("Important"), "general": N_("General"), "potential": N_("Potential")}
STATUS_NAMES = {"due": N_("Due"), "overdue": N_("Overdue"), "done": N_("Done")}
NOTE_NAMES = {"SHORT_NOTICE": N_("short notice"), "MESSAGE": N_("message first"), "PHONE": N_("phone call")}


def label(table: Mapping[Any, str], code: object) -> str:
    """The translated name of ``code`` in ``table``; an unknown code shows as itself."""
    msgid = table.get(code)
    return _(msgid) if msgid else str(code)
