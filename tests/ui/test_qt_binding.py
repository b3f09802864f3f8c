"""The Qt binding itself: a known PySide6 fault that would end a long working day in a crash."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QLabel

CALLS = 200


def test_void_qt_calls_give_none_back_with_its_reference(qtbot) -> None:
    """PySide6 6.12.0 on Python 3.11 returns None from every void call without a reference: each
    call takes one off None, and after some thousands the process aborts ("deallocating None").
    pyproject.toml keeps 6.12 off Python 3.11; this test catches a wheel that brings it back."""
    label = QLabel()
    qtbot.addWidget(label)
    app = QApplication.instance()
    before = sys.getrefcount(None)
    for _ in range(CALLS):
        label.setText("x")
        app.processEvents()
    lost = before - sys.getrefcount(None)
    assert lost < CALLS // 10, f"{lost} references to None lost in {2 * CALLS} void Qt calls"
