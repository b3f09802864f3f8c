"""Applying a policy change from a window (Settings › Shifts and Holidays, the what-if's Apply): the
one confirmation that lists each key before → after, the write, and the message after it.

The policy is in force from the next start (SitePolicyService), so each window applies once per
run and then says "start again"."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QWidget

from csdesk.i18n import _
from csdesk.policy.changes import PolicyChange
from csdesk.services.base import Actor
from csdesk.services.site_policy import Applied, SitePolicyService
from csdesk.ui.messages import confirm, show_info
from csdesk.whatif_text import change_lines


def written_text(applied: Applied) -> str:
    """Where the change went, when it is in force, and the signed months it leaves as they were."""
    lines = [_("Written to {file}; in force from the next start.").format(file=applied.path)]
    if applied.locked_months:
        lines.append(_("Signed-off months keep the numbers they were signed with: {months}").format(
            months=", ".join(applied.locked_months)))  # fmt: skip
    return "\n".join(lines)


def again_text() -> str:
    """What a window says once it has applied a change."""
    return _("Start csdesk again before changing the policy again.")


def apply_confirmed(
    parent: QWidget, service: SitePolicyService, actor: Actor, change: Mapping[str, Any] | Path,
    changes: Sequence[PolicyChange], *, title: str, captions: Mapping[str, str] | None = None,
    more: Sequence[str] = (), summary: Mapping[str, Any] | None = None,
) -> Applied | None:  # fmt: skip
    """Ask (each changed key, then ``more``: a what-if's summary), write, say where; None when the
    person says no. A refusal (CsdeskError) is the caller's to show: it keeps what was typed."""
    question = "\n\n".join([
        _("Write these changes to the site policy file {file}?").format(file=service.target),
        "\n".join(change_lines(changes, captions)),
        *(["\n".join(more)] if more else []),
        _("They take effect at the next start of csdesk; signed-off months keep their numbers."),
    ])  # fmt: skip
    if not confirm(parent, question, title):
        return None
    applied = service.apply(actor, change, summary=summary)
    show_info(parent, written_text(applied), title)
    return applied
