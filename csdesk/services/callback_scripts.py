"""Default script points of each call kind (rules.md §9, [002 ch.4], [004]).

The policy file has no script key yet, so the defaults live here as ``N_``
strings, translated when shown. A site policy key ``[callbacks.scripts]``
(kind -> list of points) would override them; until the lead adds it, this
module is the one place to change them.
"""

from __future__ import annotations

from csdesk.i18n import N_, _
from csdesk.rules.callbacks import NOTE_PHONE

_COMPANY = N_("Give the company address, service phone and opening hours again")
_SERVICE = N_("Explain the service period and forms: calls, cards, messages, home visits")

SCRIPT_POINTS: dict[str, tuple[str, ...]] = {
    "SALE1": (
        N_("Congratulate them on becoming a member, in the company's name"),
        N_("Confirm the member's details: address, main phone, e-mail"),
        N_("Ask how the course materials are used at home and explain the right way to use them"),
        _SERVICE,
        _COMPANY,
        N_("Agree the date of the aptitude assessment"),
    ),
    "SALE2": (
        N_("Say this is the member follow-up call"),
        N_("Ask how the materials are used at home; solve their problems and doubts"),
        N_("Explain the software disc and the online card in detail"),
        N_("Agree the assessment date if it is not done yet"),
        N_("Ask for their opinion of our customer service"),
    ),
    "SALE3": (
        N_("Say this is the second follow-up call on the member"),
        N_("Ask about the materials and the child's learning; coach where needed"),
        N_("Ask what problems they met and help solve them"),
        N_("Stress the assessment if it is still not done"),
        N_("Ask for their opinion again and answer what they raised last time"),
    ),
    "SALE4": (
        N_("Say this is the call before the first class"),
        N_("Ask about the materials and the child's learning"),
        N_("Explain the parents' meeting: time, place and content"),
        N_("Remind them to prepare and to come on time"),
        _SERVICE,
        N_("Thank them for choosing us and give our best wishes"),
    ),
    "BIRTHDAY": (
        N_("Wish the member a happy birthday in the company's name"),
        N_("Talk with the birthday child about school and life"),
        N_("Share the child's progress with the parents warmly"),
        N_("Tell them the company's news and activities"),
        _COMPANY,
    ),
    "COMPLAINT": (
        N_("Listen fully and note what happened"),
        N_("Give an answer today; if it cannot be solved today, give a firm time for the answer"),
        N_("You own this complaint until it is solved: record every step"),
    ),
    "ENQUIRY": (
        N_("Answer the question today"),
        N_("If the answer needs more time, call back today with a firm time"),
        N_("Record the answer given"),
    ),
}

REVIEW_MESSAGE_POINTS: tuple[str, ...] = (
    N_("Read the review and the order history before writing"),
    N_("Send a polite message and a text message today"),
    N_("If there is no reply within the policy hours, a phone call follows"),
)
REVIEW_PHONE_POINTS: tuple[str, ...] = (
    N_("The customer did not reply to the message: call them"),
    N_("Apologise, understand the problem and agree a solution"),
    N_("Record the result for the weekly meeting"),
)


def script_points(kind: str, retry_of: str = "", note: str = "") -> tuple[str, ...]:
    """The translated script points of a call; a retry uses the points of the call it retries."""
    base = retry_of or kind
    if base == "REVIEW":
        points = REVIEW_PHONE_POINTS if note == NOTE_PHONE else REVIEW_MESSAGE_POINTS
    else:
        points = SCRIPT_POINTS.get(base, ())
    return tuple(_(p) for p in points)
