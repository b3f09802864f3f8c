"""Calibration is the inspectors' own work (issue 15, rules.md §10): the calibration tab lists the
contacts several inspectors scored for those who record inspections, and nothing, with the reason,
for an agent, a team lead or a read-only role."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from csdesk.services.base import Actor
from csdesk.services.qa import CalibrationContact
from csdesk.ui.qa.calibration_view import CalibrationTab

CONTACTS = [CalibrationContact("A001", "孙艳", "call-12", 3)]
CLOSED = "Calibration is the inspectors' own work: it is shown to those who record inspections."


def _tab(qtbot, actor: Actor | None) -> CalibrationTab:  # type: ignore[no-untyped-def]
    tab = CalibrationTab(actor=actor)
    qtbot.addWidget(tab)
    tab.retranslate_ui()
    tab.show()
    qtbot.waitExposed(tab)
    tab.set_contacts(CONTACTS)
    return tab


@pytest.mark.parametrize("role", ["qa", "supervisor"])
def test_an_inspector_picks_a_calibrated_contact_by_clicking_it(qtbot, role: str) -> None:
    tab = _tab(qtbot, Actor(role, role))
    assert tab.closed.isHidden() and tab.contacts_table.isVisible()
    assert [(c.contact, c.inspections) for c in tab.contacts.rows()] == [("call-12", 3)]
    chosen: list[CalibrationContact] = []
    tab.contact_chosen.connect(chosen.append)
    rect = tab.contacts_table.visualRect(tab.contacts.index(0, 0))
    qtbot.mouseClick(tab.contacts_table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert chosen == CONTACTS


@pytest.mark.parametrize("role", ["agent", "team_lead", "trainer", "director"])
def test_a_reader_who_does_not_inspect_sees_no_calibration_and_why(qtbot, role: str) -> None:
    tab = _tab(qtbot, Actor(role, role, 1))
    assert tab.contacts.rowCount() == 0  # even if a list reached it
    assert not tab.contacts_table.isVisible() and not tab.questions_table.isVisible()
    assert tab.closed.isVisible() and tab.closed.text() == CLOSED


def test_without_an_actor_the_tab_lists_as_before(qtbot) -> None:
    tab = _tab(qtbot, None)
    assert tab.contacts.rowCount() == 1 and tab.closed.isHidden()
