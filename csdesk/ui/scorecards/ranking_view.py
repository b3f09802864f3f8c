"""The team ranking: every agent's month in one table, sortable by every column."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QIdentityProxyModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QVBoxLayout, QWidget

from csdesk.i18n import N_, _, format_money, format_number, format_signed
from csdesk.services.scorecard_compute import AgentScorecard
from csdesk.services.scorecard_explain import flag_label
from csdesk.ui.empty_state import show_when_empty
from csdesk.ui.shortcuts import make_shortcut
from csdesk.ui.table_model import ColumnSpec, RowTableModel, fit_columns_once

_WARNING = QColor("#b02a37")
_PROVISIONAL = QColor("#888888")
_FAILING = ("E", "F")


PAY_FLOAT = N_("Pay float")


def _colour(card: AgentScorecard) -> QColor | None:
    if not card.card.complete:
        return _PROVISIONAL
    return _WARNING if card.card.grade in _FAILING or "DISMISSAL_WARNING" in card.flags else None


def _num(value: Decimal | None) -> float:
    return float(value) if value is not None else -1.0


def ranking_columns(currency: str, *, pay: bool = True) -> tuple[ColumnSpec[AgentScorecard], ...]:
    """Every column sorts by its value (numbers as numbers), never by its text. ``pay=False``: no
    pay-float column (a reader who does not see pay: the service leaves it empty too)."""
    columns = (
        ColumnSpec(N_("Rank"), lambda c: str(c.rank or ""), lambda c: c.rank or 10**9, align_right=True, foreground=_colour),
        ColumnSpec(N_("Team rank"), lambda c: str(c.team_rank or ""), lambda c: c.team_rank or 0, align_right=True),
        ColumnSpec(N_("Employee no."), lambda c: c.employee_no),
        ColumnSpec(N_("Name"), lambda c: c.name, foreground=_colour),
        ColumnSpec(N_("Team"), lambda c: c.agent.team or ""),
        ColumnSpec(
            N_("Rated"), lambda c: format_number(c.card.rated) if c.card.is_rated else _("not rated"), lambda c: _num(c.card.rated), align_right=True
        ),
        ColumnSpec(N_("Bonus"), lambda c: format_signed(c.card.bonus), lambda c: _num(c.card.bonus), align_right=True),
        ColumnSpec(N_("Deduction"), lambda c: format_signed(-c.card.deduction), lambda c: _num(c.card.deduction), align_right=True),
        ColumnSpec(N_("Adjustment"), lambda c: format_signed(c.card.adjustment), lambda c: _num(c.card.adjustment), align_right=True),
        ColumnSpec(N_("Raw total"), lambda c: format_number(c.card.raw_total), lambda c: _num(c.card.raw_total), align_right=True),
        ColumnSpec(N_("Total"), lambda c: format_number(c.card.total), lambda c: _num(c.card.total), align_right=True, foreground=_colour),
        ColumnSpec(N_("Grade"), lambda c: c.card.grade or "", foreground=_colour),
        ColumnSpec(
            PAY_FLOAT, lambda c: format_money(c.card.pay_float_cny, currency), lambda c: _num(c.card.pay_float_cny), align_right=True
        ),
        ColumnSpec(N_("Exam"), lambda c: format_number(c.card.exam), lambda c: _num(c.card.exam), align_right=True),
        ColumnSpec(
            N_("Flags"), lambda c: "; ".join(flag_label(f) for f in c.flags), tooltip=lambda c: "\n".join(flag_label(f) for f in c.flags)
        ),
    )
    return columns if pay else tuple(c for c in columns if c.header != PAY_FLOAT)


class RankingView(QWidget):
    """A sortable table of the month's cards; double-click (or Enter) opens an agent's scorecard."""

    agent_activated = Signal(str)

    def __init__(self, currency: str, parent: QWidget | None = None, *, pay: bool = True) -> None:
        super().__init__(parent)
        self.model: RowTableModel[AgentScorecard] = RowTableModel(ranking_columns(currency, pay=pay), self)
        self.proxy = QIdentityProxyModel(self)  # the model sorts itself: see RowTableModel
        self.proxy.setSourceModel(self.model)
        self._loaded = False
        self._build_ui()
        self._connect_signals()

    def _build_ui(self) -> None:
        self.table = QTableView()
        self.table.setObjectName("rankingTable")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setResizeContentsPrecision(40)
        header.setStretchLastSection(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        self.hint = show_when_empty(self.table, lambda: _(
            "No agents in this team this month, so no scorecards. Pick another month or team; people are added "
            "on the People & teams page.") if self._loaded else "")

    def _connect_signals(self) -> None:
        self.table.doubleClicked.connect(self._activate)
        shortcut = make_shortcut("scorecards.open", self.table, Qt.ShortcutContext.WidgetShortcut)
        shortcut.activated.connect(lambda: self._activate(self.table.currentIndex()))

    def set_cards(self, cards: tuple[AgentScorecard, ...]) -> None:
        self._loaded = True
        self.model.set_rows(cards)
        fit_columns_once(self.table)  # to the first month shown, then left to the user

    def selected(self) -> AgentScorecard | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row(self.proxy.mapToSource(rows[0]).row()) if rows else None

    def _activate(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        self.agent_activated.emit(self.model.row(self.proxy.mapToSource(index).row()).employee_no)
