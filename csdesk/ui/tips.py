"""Button tooltips: what a button does, and while it is disabled, what to do to enable it.

A disabled button that does not say why leaves a supervisor guessing ("Reopen… is grey: why?").
Where a button's state follows the selection or the month, :func:`set_state` enables or disables
it and sets the matching tooltip in one call, so the two cannot drift apart::

    set_state(self.outcome_button, _("Record the selected call's outcome"),
              "" if one_open_call else _("Select a call first"))
"""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractButton

from csdesk.ui.shortcuts import BY_NAME


def with_keys(text: str, shortcut: str) -> str:
    """``text`` and the keys of the shortcut named ``shortcut``: "Import the punch file (Ctrl+I)"."""
    return f"{text} ({BY_NAME[shortcut].text()})"


def set_state(button: QAbstractButton, tip: str, disabled_because: str = "") -> None:
    """Enable ``button`` with the tooltip ``tip`` (what it does); or, when ``disabled_because`` is
    given, disable it with that as its tooltip: what to do to enable it, short."""
    button.setEnabled(not disabled_because)
    button.setToolTip(disabled_because or tip)
