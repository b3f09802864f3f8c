"""The audit log: who changed what and when (read only)."""

from __future__ import annotations

import json

from PySide6.QtWidgets import QHeaderView, QLabel, QPushButton, QTableView, QVBoxLayout, QHBoxLayout, QWidget

from csdesk.i18n import N_, _, format_datetime
from csdesk.models.domain import AuditEntry
from csdesk.services.audit import AuditService
from csdesk.services.base import Actor
from csdesk.ui.table_model import ColumnSpec, RowTableModel

AUDIT_COLUMNS: tuple[ColumnSpec[AuditEntry], ...] = (
    ColumnSpec(N_("When"), lambda e: format_datetime(e.at, "short"), sort_key=lambda e: e.at),
    ColumnSpec(N_("Who"), lambda e: e.username),
    ColumnSpec(N_("Action"), lambda e: e.action),
    ColumnSpec(N_("Record"), lambda e: f"{e.entity} {e.entity_id}"),
    ColumnSpec(N_("Details"), lambda e: json.dumps(e.details, ensure_ascii=False)),
)


class AuditPage(QWidget):
    def __init__(self, audit: AuditService, *, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._audit = audit
        self._actor = actor
        self.model: RowTableModel[AuditEntry] = RowTableModel(AUDIT_COLUMNS, self)
        self._title = QLabel()
        self._refresh = QPushButton()
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # Measure a sample, not every row: a 500-person list otherwise costs ~0.5 s per layout.
        self.table.horizontalHeader().setResizeContentsPrecision(40)
        self.table.horizontalHeader().setStretchLastSection(True)
        top = QHBoxLayout()
        top.addWidget(self._title, 1)
        top.addWidget(self._refresh)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table)
        self._refresh.clicked.connect(self.reload)
        self.retranslate_ui()
        self.reload()

    def retranslate_ui(self) -> None:
        self._title.setText("<h2>" + _("Audit log") + "</h2>")
        self._refresh.setText(_("Refresh"))

    def reload(self) -> None:
        self.model.set_rows(self._audit.recent(self._actor))

    def showEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        self.reload()
        super().showEvent(event)
