"""A page for an area not built yet: says what will come there (no fake data)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from csdesk.i18n import _


class ComingPage(QWidget):
    def __init__(self, *, title: str, what: str, issue: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._title_id, self._what_id, self._issue = title, what, issue
        self._title = QLabel()
        self._title.setObjectName("pageTitle")
        self._body = QLabel()
        self._body.setObjectName("comingText")
        self._body.setWordWrap(True)
        self._body.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        layout = QVBoxLayout(self)
        layout.addWidget(self._title)
        layout.addWidget(self._body)
        layout.addStretch(1)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self._title.setText(f"<h2>{_(self._title_id)}</h2>")
        self._body.setText(
            _("This area is not built yet. It will hold:") + "<p>" + _(self._what_id) + "</p><p><i>"
            + _("Planned in issue #{issue}.").format(issue=self._issue) + "</i></p>"
        )
