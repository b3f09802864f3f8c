"""Settings ▸ Site: the name and logo every printed document is headed by (issue #14)."""

from __future__ import annotations

from PySide6.QtWidgets import QFileDialog, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget

from csdesk.errors import CsdeskError
from csdesk.i18n import _
from csdesk.services.base import Actor
from csdesk.services.policy_service import SITE_NAME_MAX, SiteService


class SiteSection(QGroupBox):
    """The site's name and logo file, saved for the whole site (every PC on the database) through
    the SiteService, which checks ``settings.edit`` and audits the change."""

    def __init__(self, site: SiteService, *, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("siteSection")
        self._site = site
        self._actor = actor
        self._build_ui()
        self._browse.clicked.connect(self._choose_logo)
        self.retranslate_ui()

    def _build_ui(self) -> None:
        in_force = self._site.site()
        self.name = QLineEdit(in_force.name)
        self.name.setObjectName("siteName")
        self.name.setMaxLength(SITE_NAME_MAX)
        self.logo = QLineEdit(in_force.logo)
        self.logo.setObjectName("siteLogo")
        self._browse = QPushButton()
        self.status = QLabel()
        self.status.setObjectName("siteStatus")
        self.status.setWordWrap(True)
        self.status.setStyleSheet("color: #b00020;")
        logo_row = QHBoxLayout()
        logo_row.addWidget(self.logo, 1)
        logo_row.addWidget(self._browse)
        self._name_label, self._logo_label = QLabel(), QLabel()
        form = QFormLayout(self)
        form.addRow(self._name_label, self.name)
        form.addRow(self._logo_label, logo_row)
        form.addRow(self.status)

    def retranslate_ui(self) -> None:
        self.setTitle(_("Site (heads every printed document)"))
        self._name_label.setText(_("Site name"))
        self._logo_label.setText(_("Logo"))
        self.name.setPlaceholderText(_("The name printed at the top of every form and report"))
        self.logo.setPlaceholderText(_("A PNG file printed beside the name; empty: no logo"))
        self._browse.setText(_("Browse…"))
        self._browse.setToolTip(_("Choose the logo's PNG file"))

    def _choose_logo(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, _("Logo"), self.logo.text(), _("PNG images (*.png)"))
        if path:
            self.logo.setText(path)

    def save(self) -> bool:
        """Save the name and logo; a refusal (a logo that is no PNG) is shown here: False."""
        try:
            saved = self._site.set_site(self._actor, self.name.text(), self.logo.text())
        except CsdeskError as exc:
            self.status.setText(exc.message())
            return False
        self.status.clear()
        self.name.setText(saved.name)
        self.logo.setText(saved.logo)
        return True
