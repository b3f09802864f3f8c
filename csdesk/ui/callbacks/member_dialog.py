"""Add or edit a member (customer), and a small picker to find one by name or phone."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from csdesk.errors import CsdeskError, ValidationError
from csdesk.i18n import _
from csdesk.services.base import Actor
from csdesk.callback_labels import TIER_NAMES
from csdesk.services.callback_dto import AgendaCall, MemberInput, MemberView
from csdesk.services.callbacks import CallbackService
from csdesk.ui.callbacks.models import AGENDA_COLUMNS
from csdesk.ui.fit import fit_placeholder
from csdesk.ui.table_model import RowTableModel


class MemberPicker(QWidget):
    """Type part of a name or phone; choose among the matches."""

    member_changed = Signal()

    def __init__(self, service: CallbackService, actor: Actor, member: MemberView | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self._actor = actor
        self.search = QLineEdit()
        self.search.setObjectName("memberSearch")
        self.search.setPlaceholderText(_("Name or phone…"))
        fit_placeholder(self.search)
        self.choice = QComboBox()
        self.choice.setObjectName("memberChoice")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search)
        layout.addWidget(self.choice, 1)
        self._members: dict[int, MemberView] = {}
        if member is not None:
            self._fill([member])
        self.search.textChanged.connect(self._lookup)
        self.choice.currentIndexChanged.connect(lambda _i: self.member_changed.emit())

    def _lookup(self, text: str) -> None:
        if len(text.strip()) >= 1:
            self._fill(self._service.members(self._actor, text, limit=50))

    def _fill(self, members: list[MemberView]) -> None:
        self._members = {m.id: m for m in members}
        self.choice.clear()
        for m in members:
            self.choice.addItem(f"{m.name} · {m.phone}", m.id)

    def member(self) -> MemberView | None:
        member_id = self.choice.currentData()
        return self._members.get(member_id) if member_id is not None else None


class MemberDialog(QDialog):
    """Name, phone, birthday, VIP, tier and owning agent; an existing member also shows their calls."""

    def __init__(self, service: CallbackService, *, actor: Actor, member: MemberView | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self._actor = actor
        self._member = member
        self.saved: MemberView | None = None
        self.history: RowTableModel[AgendaCall] = RowTableModel(AGENDA_COLUMNS, self)
        self._build_ui()
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.has_birthday.toggled.connect(self.birthday.setEnabled)
        self.retranslate_ui()
        if member is not None:
            self.history.set_rows(service.member_calls(actor, member.id))

    def _build_ui(self) -> None:
        m = self._member
        self.name = QLineEdit(m.name if m else "")
        self.name.setObjectName("memberName")
        self.phone = QLineEdit(m.phone if m else "")
        self.phone.setObjectName("memberPhone")
        if m is not None and "*" in m.phone:
            self.phone.setText("")  # a masked number is never written back
        self.has_birthday = QCheckBox()
        self.birthday = QDateEdit()
        self.birthday.setCalendarPopup(True)
        self.birthday.setDisplayFormat("yyyy-MM-dd")
        self.birthday.setDate(QDate(m.birthday) if m and m.birthday else QDate(2018, 1, 1))
        self.has_birthday.setChecked(bool(m and m.birthday))
        self.birthday.setEnabled(self.has_birthday.isChecked())
        self.vip = QCheckBox("VIP")
        self.vip.setChecked(bool(m and m.vip))
        self.tier = QComboBox()
        for code in self._service.policy.callbacks.tiers:
            self.tier.addItem(_(TIER_NAMES.get(code, code)), code)
        self.tier.setCurrentIndex(max(0, self.tier.findData(m.tier if m else "general")))
        self.agent = QComboBox()
        self.agent.setObjectName("memberAgent")
        self.agent.addItem("—", None)
        for no, name in self._service.agent_names(self._actor):
            self.agent.addItem(f"{no} {name}", no)
        self.agent.setCurrentIndex(max(0, self.agent.findData(m.agent if m else None)))
        self.note = QLineEdit(m.note if m else "")
        birthday_row = QHBoxLayout()
        birthday_row.addWidget(self.has_birthday)
        birthday_row.addWidget(self.birthday, 1)
        self._form = QFormLayout()
        self._labels = [QLabel() for _i in range(7)]
        for label, widget in zip(self._labels, (self.name, self.phone, None, self.vip, self.tier, self.agent, self.note), strict=True):
            if widget is None:
                self._form.addRow(label, birthday_row)
            else:
                self._form.addRow(label, widget)
        self.error = QLabel()
        self.error.setObjectName("formError")
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        self._history_label = QLabel()
        self.table = QTableView()
        self.table.setModel(self.history)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        layout = QVBoxLayout(self)
        layout.addLayout(self._form)
        layout.addWidget(self.error)
        if m is not None:
            layout.addWidget(self._history_label)
            layout.addWidget(self.table, 1)
        layout.addWidget(self.buttons)
        self.resize(720 if m else 420, 520 if m else 300)

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Edit member") if self._member else _("Add member"))
        for label, text in zip(self._labels, (_("Name"), _("Phone"), _("Birthday"), _("VIP"), _("Tier"), _("Agent"), _("Note")), strict=True):
            label.setText(text)
        if self._member is not None and "*" in self._member.phone:
            self.phone.setPlaceholderText(_("{phone} (masked): leave empty to keep it").format(phone=self._member.phone))
        self._history_label.setText(_("Calls of this member"))

    def data(self) -> MemberInput:
        phone: str | None = self.phone.text()
        if not (phone or "").strip() and self._member is not None and "*" in self._member.phone:
            phone = None  # masked and not retyped: keep the number on file
        birthday: date | None = self.birthday.date().toPython() if self.has_birthday.isChecked() else None  # type: ignore[assignment]
        return MemberInput(name=self.name.text(), phone=phone, agent=self.agent.currentData(), birthday=birthday,
                           vip=self.vip.isChecked(), tier=self.tier.currentData(), note=self.note.text())

    def save(self) -> None:
        try:
            data = self.data()
            if self._member is None:
                self.saved = self._service.add_member(self._actor, data)
            else:
                self.saved = self._service.update_member(self._actor, self._member.id, data, version=self._member.version)
        except ValidationError as exc:
            self.error.setText(exc.message())
            widget = {"name": self.name, "phone": self.phone, "birthday": self.birthday, "tier": self.tier}.get(exc.field)
            if widget is not None:
                widget.setFocus()
            return
        except CsdeskError as exc:
            self.error.setText(exc.message())
            return
        self.accept()
