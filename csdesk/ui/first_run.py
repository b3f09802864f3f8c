"""The first-run set-up (issue #17): a new site's way in, on a database without sign-in accounts.

Three pages: the site's name and the language; the first supervisor's account (user name,
password twice) and the person it belongs to (employee number and name); then how the people
list starts: import a file now, load the demo department, or start empty. Finish writes it all,
and the supervisor is signed in. Until the first account exists the set-up acts as the local
administrator (``SYSTEM``), as the command line does on a database without accounts.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from csdesk import i18n
from csdesk.context import AppContext
from csdesk.errors import CsdeskError
from csdesk.i18n import _, ngettext
from csdesk.services.base import SYSTEM, Actor
from csdesk.services.policy_service import SITE_NAME_MAX
from csdesk.ui.background import Job, run_in_background
from csdesk.ui.messages import error_label

# How the people list starts (FirstRunWizard.start_with).
IMPORT, DEMO, EMPTY = "import", "demo", "empty"


class SitePage(QWizardPage):
    """The site's name (it heads every printed document) and the interface language."""

    language_chosen = Signal(str)

    def __init__(self, language: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.site_name = QLineEdit()
        self.site_name.setObjectName("siteName")
        self.site_name.setMaxLength(SITE_NAME_MAX)
        self.language = QComboBox()
        self.language.setObjectName("language")
        for code in i18n.LANGUAGES:
            self.language.addItem(i18n.LANGUAGE_NAMES[code], code)
        self.language.setCurrentIndex(max(0, self.language.findData(language)))
        self._labels = (QLabel(), QLabel())
        form = QFormLayout(self)
        for label, field in zip(self._labels, (self.site_name, self.language), strict=True):
            label.setBuddy(field)
            form.addRow(label, field)
        self.registerField("siteName*", self.site_name)
        self.language.currentIndexChanged.connect(lambda _i: self.language_chosen.emit(self.language.currentData()))

    def retranslate_ui(self) -> None:
        self.setTitle(_("Welcome to csdesk"))
        self.setSubTitle(_("Name the site and choose the language. The site's name heads every printed form and report."))
        for label, text in zip(self._labels, (_("&Site name"), _("&Language")), strict=True):
            label.setText(text)
        self.site_name.setPlaceholderText(_("e.g. South China service centre"))


class AccountPage(QWizardPage):
    """The first supervisor: the account and the person it belongs to. Next checks all of it as
    the account would be made, writing nothing; two different passwords are refused here."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.username = QLineEdit()
        self.username.setObjectName("username")
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password_again = QLineEdit()
        self.password_again.setObjectName("passwordAgain")
        for field in (self.password, self.password_again):
            field.setEchoMode(QLineEdit.EchoMode.Password)
        self.employee_no = QLineEdit()
        self.employee_no.setObjectName("employeeNo")
        self.person_name = QLineEdit()
        self.person_name.setObjectName("personName")
        self.error = error_label("accountError")
        fields = (self.username, self.password, self.password_again, self.employee_no, self.person_name)
        self._labels = tuple(QLabel() for _field in fields)
        form = QFormLayout(self)
        for label, field in zip(self._labels, fields, strict=True):
            label.setBuddy(field)
            form.addRow(label, field)
        form.addRow(self.error)
        for key, field in zip(("username", "password", "passwordAgain", "employeeNo", "personName"), fields, strict=True):
            self.registerField(key + "*", field)

    def retranslate_ui(self) -> None:
        self.setTitle(_("The first supervisor"))
        self.setSubTitle(
            _("This account signs in first and adds the others. It belongs to a person on the people list: "
              "give their employee number and name.")
        )  # fmt: skip
        texts = (_("&User name"), _("&Password"), _("Password &again"), _("&Employee no."), _("Na&me"))
        for label, text in zip(self._labels, texts, strict=True):
            label.setText(text)
        minimum = self._ctx.policy.security.min_password_length
        self.password.setPlaceholderText(
            ngettext("At least {count} character", "At least {count} characters", minimum).format(count=minimum)
        )

    def validatePage(self) -> bool:  # noqa: N802 (Qt's name)
        if self.password.text() != self.password_again.text():
            self.error.setText(_("The two passwords differ. Type the same password twice."))
            self.password_again.clear()
            self.password_again.setFocus()
            return False
        try:  # every rule the account and the person must meet, nothing written
            self._ctx.auth.dry_run().create_supervisor_with_person(
                SYSTEM, self.username.text(), self.password.text(), self.employee_no.text(), self.person_name.text()
            )
        except CsdeskError as exc:
            self.error.setText(exc.message())
            return False
        self.error.clear()
        return True


class StartPage(QWizardPage):
    """How the people list starts: import a file now, load the demo, or start empty."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.choices = {IMPORT: QRadioButton(), DEMO: QRadioButton(), EMPTY: QRadioButton()}
        self._group = QButtonGroup(self)
        self._notes = {key: QLabel() for key in self.choices}
        layout = QVBoxLayout(self)
        for key, button in self.choices.items():
            button.setObjectName(f"start_{key}")
            self._group.addButton(button)
            note = self._notes[key]
            note.setWordWrap(True)
            note.setIndent(24)
            layout.addWidget(button)
            layout.addWidget(note)
        self.choices[IMPORT].setChecked(True)
        self.status = QLabel()
        self.status.setObjectName("startStatus")
        self.error = error_label("startError")
        layout.addStretch(1)
        layout.addWidget(self.status)
        layout.addWidget(self.error)

    def chosen(self) -> str:
        return next(key for key, button in self.choices.items() if button.isChecked())

    def retranslate_ui(self) -> None:
        self.setTitle(_("The people list"))
        self.setSubTitle(_("How should the people list start? You can import or add people later too."))
        texts = {
            IMPORT: (_("&Import people now"), _("Read a spreadsheet or CSV file of your people (People & teams ▸ Import).")),
            DEMO: (
                _("Load the &demo department"),
                _("To try csdesk: three teams of agents with their months, and their own sign-in accounts (password: demo)."),
            ),
            EMPTY: (_("&Start empty"), _("Add people later on the People & teams page.")),
        }
        for key, (text, note) in texts.items():
            self.choices[key].setText(text)
            self._notes[key].setText(note)

    def validatePage(self) -> bool:  # noqa: N802 (Qt's name)
        wizard = self.wizard()
        assert isinstance(wizard, FirstRunWizard)
        return wizard.set_up()


class FirstRunWizard(QWizard):
    """The set-up of a new site; ``actor`` is the signed-in first supervisor once it is done and
    ``start_with`` says how the people list starts (IMPORT: the window opens the people import)."""

    language_chosen = Signal(str)

    def __init__(self, ctx: AppContext, *, language: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("firstRun")
        self._ctx = ctx
        self.actor: Actor | None = None
        self.job: Job | None = None  # the demo being built
        self._demo_built = False
        self.site_page = SitePage(language)
        self.account_page = AccountPage(ctx)
        self.start_page = StartPage()
        for page in (self.site_page, self.account_page, self.start_page):
            self.addPage(page)
        self.site_page.language_chosen.connect(self._on_language)
        self.retranslate_ui()

    @property
    def start_with(self) -> str:
        return self.start_page.chosen()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Set up csdesk"))  # (the buttons are Qt's own, in Qt's language)
        for page in (self.site_page, self.account_page, self.start_page):
            page.retranslate_ui()

    def reject(self) -> None:
        if self.job is None:  # not while the demo loads (Esc included)
            super().reject()

    def _on_language(self, code: str) -> None:
        i18n.install(code)
        self.language_chosen.emit(code)
        self.retranslate_ui()

    # --- Finish ---------------------------------------------------------------------------

    def set_up(self) -> bool:
        """Write the set-up (the demo first, in the background, when it was chosen); True when
        the supervisor is signed in and the wizard may close."""
        if self.start_with == DEMO and not self._demo_built:
            self._build_demo()
            return False  # the wizard closes when the demo is in
        return self._make_account()

    def _build_demo(self) -> None:
        self._busy(_("Loading the demo department…"))
        demo = self._ctx.demo
        self.job = run_in_background(lambda _job: demo.build(SYSTEM), self._demo_loaded, self._demo_failed)

    def _demo_loaded(self, _result: object) -> None:
        self.job = None
        self._demo_built = True  # a second Finish (after fixing the account) does not load it again
        self._busy("")
        if self._make_account():
            self.accept()

    def _demo_failed(self, exc: BaseException) -> None:
        self.job = None
        self._busy("")
        if not isinstance(exc, CsdeskError):
            raise exc  # a bug: to the exception hook
        self.start_page.error.setText(exc.message())

    def _make_account(self) -> bool:
        """The site's name, the first supervisor and the sign-in; a refusal is shown on the page
        (the demo's own accounts may have taken the user name or employee number: go back)."""
        page = self.account_page
        username, password = page.username.text(), page.password.text()
        try:
            self._ctx.site.set_site(SYSTEM, self.site_page.site_name.text(), "")
            self._ctx.auth.create_supervisor_with_person(
                SYSTEM, username, password, page.employee_no.text(), page.person_name.text()
            )
            self.actor = self._ctx.auth.login(username, password)
        except CsdeskError as exc:
            self.start_page.error.setText(exc.message())
            return False
        return True

    def _busy(self, status: str) -> None:
        """While the demo loads: say so, and let nothing be clicked."""
        self.start_page.status.setText(status)
        self.start_page.error.clear()
        for button in (QWizard.WizardButton.BackButton, QWizard.WizardButton.FinishButton, QWizard.WizardButton.CancelButton):
            self.button(button).setEnabled(not status)
