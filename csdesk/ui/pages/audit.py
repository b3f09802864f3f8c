"""The audit log: who changed what and when, in words, filtered by person, area, month and text
(read only), and exported to XLSX."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from csdesk.context import AppContext
from csdesk.audit_labels import AREAS, area_name
from csdesk.errors import CsdeskError
from csdesk.i18n import N_, _, format_datetime, format_month, format_number, ngettext
from csdesk.services.audit import PAGE_SIZE, AuditFilter, AuditLine, AuditService
from csdesk.services.base import Actor
from csdesk.ui.background import Job, run_in_background
from csdesk.ui.empty_state import show_when_empty
from csdesk.ui.messages import show_error
from csdesk.ui.shortcuts import bind_buttons, bind_field
from csdesk.ui.table_model import ColumnSpec, RowTableModel
from csdesk.ui.tips import set_state, with_keys

AUDIT_COLUMNS: tuple[ColumnSpec[AuditLine], ...] = (
    ColumnSpec(N_("When"), lambda e: format_datetime(e.at, "short"), sort_key=lambda e: e.at),
    ColumnSpec(N_("Who"), lambda e: e.username),
    ColumnSpec(N_("Area"), lambda e: e.words.area_text),
    ColumnSpec(N_("What"), lambda e: e.words.what, tooltip=lambda e: e.words.what),
    ColumnSpec(N_("Details"), lambda e: e.words.details_text, tooltip=lambda e: "\n".join(e.words.details)),
)
WHEN, WHO, AREA, WHAT, DETAILS = range(len(AUDIT_COLUMNS))
SEARCH_DELAY_MS = 300  # typing pauses this long before the log is searched


class AuditPage(QWidget):
    page_size = PAGE_SIZE  # entries loaded at a time ("Show more" loads the next ones)

    def __init__(self, audit: AuditService, *, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._audit = audit
        self._actor = actor
        self._total = 0
        self._loaded = False
        self.job: Job | None = None  # an export under way
        self.model: RowTableModel[AuditLine] = RowTableModel(AUDIT_COLUMNS, self)
        self._build_ui()
        self._connect_signals()
        self.retranslate_ui()

    # --- building ---------------------------------------------------------------------------

    def _build_ui(self) -> None:
        self._title = QLabel()
        self._refresh = QPushButton()
        self.export_button = QPushButton()
        self.export_button.setObjectName("auditExport")
        self.who = QComboBox()
        self.who.setObjectName("auditWho")
        self.area = QComboBox()
        self.area.setObjectName("auditArea")
        self.month = QComboBox()
        self.month.setObjectName("auditMonth")
        for combo in (self.who, self.area, self.month):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)  # names come and go
        self.search = QLineEdit()
        self.search.setObjectName("auditSearch")
        self.search.setClearButtonEnabled(True)
        self._who_label, self._area_label, self._month_label = QLabel(), QLabel(), QLabel()
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)

        self.table = QTableView()
        self.table.setObjectName("auditTable")
        self.table.setModel(self.model)
        self.table.setWordWrap(False)  # one line per entry; the details are elided, whole in the tooltip
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # Measure a sample, not every row: a 500-row page otherwise costs ~0.5 s per layout.
        header.setResizeContentsPrecision(40)
        header.setSectionResizeMode(WHAT, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(DETAILS, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(WHAT, 320)

        self.status = QLabel()
        self.status.setObjectName("auditStatus")
        self.more_button = QPushButton()
        self.more_button.setObjectName("auditMore")

        top = QHBoxLayout()
        top.addWidget(self._title, 1)
        top.addWidget(self.export_button)
        top.addWidget(self._refresh)
        bar = QHBoxLayout()
        for label, combo in ((self._who_label, self.who), (self._area_label, self.area), (self._month_label, self.month)):
            label.setBuddy(combo)
            bar.addWidget(label)
            bar.addWidget(combo)
        bar.addWidget(self.search, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.more_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        self.hint = show_when_empty(self.table, self._hint_text)

    def _connect_signals(self) -> None:
        self._refresh.clicked.connect(self.reload)
        for combo in (self.who, self.area, self.month):
            combo.currentIndexChanged.connect(lambda _i: self.apply_filter())
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self.search.returnPressed.connect(self.apply_filter)
        self._search_timer.timeout.connect(self.apply_filter)
        self.more_button.clicked.connect(self.show_more)
        self.export_button.clicked.connect(self.export)
        bind_field("audit.find", self.search)
        bind_buttons((self._refresh, "audit.refresh"), (self.export_button, "audit.export"))

    def retranslate_ui(self) -> None:
        self._title.setText("<h2>" + _("Audit log") + "</h2>")
        self._refresh.setText(_("Refresh"))
        self.export_button.setText(_("Export…"))
        self._who_label.setText(_("&Who:"))
        self._area_label.setText(_("&Area:"))
        self._month_label.setText(_("&Month:"))
        self.search.setPlaceholderText(_("Search names, records and details…"))
        self.more_button.setText(_("Show more"))
        self._refresh.setToolTip(with_keys(_("Read the log again, with what was recorded since"), "audit.refresh"))
        self.more_button.setToolTip(_("Load the next, older entries"))
        self.reload()  # the words of each entry are in the language of the moment they are read

    # --- the filter ---------------------------------------------------------------------------

    def _hint_text(self) -> str:
        if not self._loaded:
            return ""
        if self.current_filter() != AuditFilter():
            return _("No entries match these filters. Choose Everyone, All areas and All months, or clear the search box.")
        return _("Nothing recorded yet. Every change made in csdesk (imports, approvals, edits) is listed here.")

    def _update_export(self) -> None:
        set_state(self.export_button, with_keys(_("Export every entry the filters select to an Excel workbook"),
                                                "audit.export"),
                  _("An export is under way") if self.job is not None
                  else _("No entries to export: change the filters") if self._loaded and self._total == 0 else "")

    def current_filter(self) -> AuditFilter:
        return AuditFilter(
            user=self.who.currentData(),
            area=self.area.currentData(),
            month=self.month.currentData(),
            text=self.search.text().strip() or None,
        )

    def _fill(self, combo: QComboBox, everything: str, items: list[tuple[str, str]]) -> None:
        """Replace the choices, keeping the one chosen (quietly: the caller loads once)."""
        chosen = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(everything, None)
        for text, data in items:
            combo.addItem(text, data)
        index = combo.findData(chosen) if chosen is not None else 0
        if index < 0:  # no longer in the log: kept, so the view does not change under the person
            combo.addItem(str(chosen), chosen)
            index = combo.count() - 1
        combo.setCurrentIndex(index)
        combo.blockSignals(False)

    def _reload_choices(self) -> None:
        self._fill(self.who, _("Everyone"), [(name, name) for name in self._audit.people(self._actor)])
        self._fill(self.area, _("All areas"), [(area_name(a), a) for a in AREAS])
        months = self._audit.months(self._actor)
        self._fill(self.month, _("All months"), [(format_month(int(m[:4]), int(m[5:])), m) for m in months])

    # --- loading --------------------------------------------------------------------------------

    def reload(self) -> None:
        """The choices of the filter bar and the first page of the log, as stored now."""
        self._reload_choices()
        self.apply_filter()

    def apply_filter(self) -> None:
        self._search_timer.stop()
        try:
            listing = self._audit.search(self._actor, self.current_filter(), limit=self.page_size)
        except CsdeskError as exc:
            show_error(self, exc)
            return
        self._total = listing.total
        self._loaded = True
        self.model.set_rows(listing.lines)
        self._show_count()

    def show_more(self) -> None:
        rows = self.model.rows()
        if not rows:
            return
        try:
            listing = self._audit.search(self._actor, self.current_filter(), limit=self.page_size, before_id=rows[-1].id)
        except CsdeskError as exc:
            show_error(self, exc)
            return
        # Entries written since the first page are newer, not further down: when none are left
        # below, what is shown is all there is to show.
        self._total = max(listing.total, len(rows) + len(listing.lines)) if listing.lines else len(rows)
        self.model.set_rows(rows + list(listing.lines))
        self._show_count()

    def _show_count(self) -> None:
        shown = self.model.rowCount()
        if self._total == 0:
            text = _("No entries match.")
        elif shown < self._total:
            text = ngettext("The newest {shown} of {total} entry", "The newest {shown} of {total} entries",
                            self._total).format(shown=format_number(shown), total=format_number(self._total))
        else:
            text = ngettext("{total} entry", "{total} entries", self._total).format(total=format_number(self._total))
        self.status.setText(text)
        self.more_button.setVisible(shown < self._total)
        self._update_export()

    def showEvent(self, event: Any) -> None:
        self.reload()
        super().showEvent(event)

    # --- export -----------------------------------------------------------------------------------

    def export(self) -> None:
        """Every entry of the filtered view (not only the rows shown) to an XLSX file, off the GUI thread."""
        if self.job is not None:
            return
        where = self.current_filter()
        name = "audit-log" + (f"-{where.month}" if where.month else "") + ".xlsx"
        path, _filter = QFileDialog.getSaveFileName(self, _("Export the audit log"), name, _("Excel workbook (*.xlsx)"))
        if not path:
            return
        out = Path(path if path.lower().endswith(".xlsx") else f"{path}.xlsx")
        service, actor = self._audit, self._actor
        self.status.setText(_("Exporting…"))
        self.job = run_in_background(
            lambda _job: service.export_xlsx(actor, where, out), lambda n: self._exported(n, out), self._export_failed
        )
        self._update_export()

    def _exported(self, count: int, out: Path) -> None:
        self.job = None
        self._update_export()
        text = ngettext("{n} entry exported to {path}.", "{n} entries exported to {path}.", count)
        self.status.setText(text.format(n=format_number(count), path=out))

    def _export_failed(self, exc: BaseException) -> None:
        self.job = None
        self._update_export()
        self._show_count()
        if not isinstance(exc, CsdeskError):
            raise exc  # a bug: to the exception hook
        show_error(self, exc)


def create_page(ctx: AppContext, actor: Actor) -> QWidget:
    """The main window calls this to build the page for the signed-in actor."""
    return AuditPage(ctx.audit, actor=actor)
