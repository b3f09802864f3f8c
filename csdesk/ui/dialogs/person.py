"""Add or edit one person; errors are shown beside the form, naming the field."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from csdesk.errors import CsdeskError, StaleWrite, ValidationError
from csdesk.i18n import _
from csdesk.models.domain import Person, PersonData
from csdesk.labels import LEVEL_NAMES, ROLE_NAMES
from csdesk.services.base import Actor
from csdesk.services.people import PeopleService
from csdesk.ui.fit import fit_placeholder
from csdesk.ui.messages import stale_in_dialog


class _OptionalDate(QWidget):
    """A date edit with a 'known' tick box, since join date and birthday are optional."""

    def __init__(self, value: date | None) -> None:
        super().__init__()
        self.known = QCheckBox()
        self.edit = QDateEdit()
        self.edit.setCalendarPopup(True)
        self.edit.setDisplayFormat("yyyy-MM-dd")
        self.edit.setDate(QDate(value) if value else QDate.currentDate())
        self.known.setChecked(value is not None)
        self.edit.setEnabled(value is not None)
        self.known.toggled.connect(self.edit.setEnabled)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.known)
        layout.addWidget(self.edit, 1)

    def value(self) -> date | None:
        return self.edit.date().toPython() if self.known.isChecked() else None  # type: ignore[no-any-return]

    def set_value(self, value: date | None) -> None:
        self.known.setChecked(value is not None)
        if value is not None:
            self.edit.setDate(QDate(value))


class PersonDialog(QDialog):
    def __init__(
        self,
        people: PeopleService,
        *,
        actor: Actor,
        teams: list[str],
        person: Person | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._people = people
        self._actor = actor
        self._person = person
        self.saved: Person | None = None
        self.stale = False  # another PC saved the person meanwhile: the list should reload
        self.setWindowTitle(_("Edit person") if person else _("Add person"))
        self.employee_no = QLineEdit(person.employee_no if person else "")
        self.employee_no.setObjectName("employee_no")
        self.employee_no.setReadOnly(person is not None)
        self.name = QLineEdit(person.name if person else "")
        self.name.setObjectName("name")
        self.team = QComboBox()
        self.team.setObjectName("team")
        self.team.setEditable(True)
        self.team.addItems(teams)
        self.team.setCurrentText(person.team or "" if person else (teams[0] if teams else ""))
        self.role = QComboBox()
        for code in people.policy.codes.roles:
            self.role.addItem(_(ROLE_NAMES.get(code, code)), code)
        self.role.setCurrentIndex(max(0, self.role.findData(person.role if person else "agent")))
        self.level = QComboBox()
        self.level.addItem("—", None)
        for code in people.policy.level_codes:
            self.level.addItem(_(LEVEL_NAMES.get(code, code)), code)
        self.level.setCurrentIndex(max(0, self.level.findData(person.level if person else people.policy.level_codes[0])))
        self._stored_since = people.level_history(actor, person.employee_no).since if person else None
        self.level_since = _OptionalDate(self._stored_since)
        self.level_since.setObjectName("level_since")
        self.level_since.setToolTip(_("When the current level started. The promotion and demotion rules count the months since then."))
        self.level.currentIndexChanged.connect(self._level_picked)
        self.level_note = QLineEdit()
        self.level_note.setObjectName("level_note")
        self.level_note.setPlaceholderText(_("e.g. promotion decided on 2026-03-01"))
        fit_placeholder(self.level_note)
        self.join_date = _OptionalDate(person.join_date if person else date.today())
        self.birthday = _OptionalDate(person.birthday if person else None)
        self.gender = QComboBox()
        for text, code in (("—", None), (_("Female"), "F"), (_("Male"), "M")):
            self.gender.addItem(text, code)
        self.gender.setCurrentIndex(max(0, self.gender.findData(person.gender if person else None)))
        self.phone = QLineEdit(person.phone or "" if person else "")
        self.device_id = QLineEdit(person.device_id or "" if person else "")
        self.device_id.setObjectName("device_id")
        self.device_id.setToolTip(
            _("The number this person is enrolled under on the punch clock (考勤号码), or their user id in "
              "the attendance app. Punch files that name people by it are matched to them.")
        )
        self.error = QLabel()
        self.error.setObjectName("formError")
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        self._fields = {
            "employee_no": self.employee_no,
            "name": self.name,
            "team": self.team,
            "role": self.role,
            "level": self.level,
            "level_since": self.level_since,
            "join_date": self.join_date,
            "birthday": self.birthday,
            "gender": self.gender,
            "phone": self.phone,
            "device_id": self.device_id,
        }
        form = QFormLayout()
        form.addRow(_("Employee no."), self.employee_no)
        form.addRow(_("Name"), self.name)
        form.addRow(_("Team"), self.team)
        form.addRow(_("Role"), self.role)
        form.addRow(_("Level"), self.level)
        form.addRow(_("Level since"), self.level_since)
        form.addRow(_("Why the level changed"), self.level_note)
        form.addRow(_("Joined"), self.join_date)
        form.addRow(_("Birthday"), self.birthday)
        form.addRow(_("Gender"), self.gender)
        form.addRow(_("Phone"), self.phone)
        form.addRow(_("Device id"), self.device_id)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(420)

    def _level_picked(self, _index: int) -> None:
        """A changed level starts today unless the user says otherwise (never on the old level's
        date); picking the stored level again brings its recorded start back. A new person's level
        starts on the join date unless a date is given."""
        if self._person is None:
            return
        if self.level.currentData() == self._person.level:
            self.level_since.set_value(self._stored_since)
        else:
            self.level_since.set_value(self._people.now().date())

    def data(self) -> PersonData:
        return PersonData(
            employee_no=self.employee_no.text(),
            name=self.name.text(),
            team=self.team.currentText(),
            role=self.role.currentData(),
            level=self.level.currentData(),
            join_date=self.join_date.value(),
            birthday=self.birthday.value(),
            gender=self.gender.currentData(),
            phone=self.phone.text(),
            device_id=self.device_id.text(),
        )

    def _save(self) -> None:
        for widget in self._fields.values():
            widget.setStyleSheet("")
        try:
            if self._person is None:
                self.saved = self._people.add(self._actor, self.data(), level_since=self.level_since.value())
            else:
                self.saved = self._people.update(
                    self._actor, self.data(), level_note=self.level_note.text(), level_since=self.level_since.value(),
                    version=self._person.version,
                )
        except StaleWrite as exc:
            stale_in_dialog(self, self.error, exc)
            return
        except ValidationError as exc:
            self.error.setText(exc.message())
            widget = self._fields.get(exc.field)
            if widget is not None:
                widget.setStyleSheet("border: 1px solid #b00020;")
                widget.setFocus()
            return
        except CsdeskError as exc:
            self.error.setText(exc.message())
            return
        self.accept()
