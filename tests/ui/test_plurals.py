"""Every count takes the plural form its language gives that number (issue 17: "1 llamadas
reasignadas"): the texts are asked for with ngettext and the count, never glued or fixed in one form.

The Spanish texts come from a small catalogue made here with Spanish plural rules (the shipped
catalogues get these messages when they are next updated)."""

from __future__ import annotations

import gettext
import io
from datetime import datetime

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from csdesk import i18n
from csdesk.models.domain_handover import HandoverInput, ItemInput
from csdesk.resources import translations_dir
from csdesk.services import scorecard_print
from csdesk.ui.attendance.roster_view import RosterView
from csdesk.ui.handover.dialogs import AcknowledgeDialog
from csdesk.ui.handover.page import HandoverPage

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support raise", "This plugin does not support grabbing")

SPANISH = {
    ("{n} open item", "{n} open items"): ("{n} asunto abierto", "{n} asuntos abiertos"),
    ("{items}, {n} overdue", "{items}, {n} overdue"): ("{items}, {n} vencido", "{items}, {n} vencidos"),
    ("{items}: read it before you take over.", "{items}: read them before you take over."):
        ("{items}: léelo antes de recibir el turno.", "{items}: léelos antes de recibir el turno."),
    ("{n} overdue item", "{n} overdue items"): ("{n} asunto vencido", "{n} asuntos vencidos"),
    ("{n} overdue", "{n} overdue"): ("{n} vencido", "{n} vencidos"),
    ("{shown} of {total} handover", "{shown} of {total} handovers"): ("{shown} de {total} relevo", "{shown} de {total} relevos"),
    ("{n} day filled from last month's pattern.", "{n} days filled from last month's pattern."):
        ("{n} día rellenado con el patrón del mes pasado.", "{n} días rellenados con el patrón del mes pasado."),
    ("{n} more event: see the continuation list", "{n} more events: see the continuation list"):
        ("{n} evento más: véase la lista de continuación", "{n} eventos más: véase la lista de continuación"),
}


def spanish_catalogue() -> gettext.GNUTranslations:
    """The messages above in a catalogue with the plural rule of the shipped Spanish one."""
    shipped = translations_dir() / "es_ES" / "LC_MESSAGES" / "csdesk.po"
    with shipped.open("rb") as fh:
        rule = read_po(fh, locale="es_ES").plural_forms
    assert rule == "nplurals=2; plural=(n != 1);"
    header = f'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Plural-Forms: {rule}\\n"\n'
    catalog = read_po(io.StringIO(header), locale="es_ES")
    for ids, texts in SPANISH.items():
        catalog.add(ids, texts)
    assert catalog.plural_forms == rule
    buf = io.BytesIO()
    write_mo(buf, catalog)
    buf.seek(0)
    return gettext.GNUTranslations(buf)


@pytest.fixture
def spanish(monkeypatch: pytest.MonkeyPatch) -> gettext.GNUTranslations:
    """The window in Spanish, with the catalogue above."""
    translations = spanish_catalogue()
    monkeypatch.setitem(i18n._catalogues, "es_ES", translations)
    i18n.install("es_ES")
    return translations


@pytest.fixture
def hctx(demo_ctx, clock):
    clock.now = datetime(2026, 10, 15, 17, 50)
    return demo_ctx


def one_overdue_item(ctx) -> None:
    """A handover of lead1's, with one open item due at noon (overdue by the clock's 17:50)."""
    lead = ctx.auth.resolve_actor("lead1")
    ctx.handover.write(lead, HandoverInput("D", "客服一组", ("L001",), "ok", items=(
        ItemInput("王女士", "退款进度", "A001", datetime(2026, 10, 15, 12, 0)),)))


def takeover_text(qtbot, ctx) -> str:
    supervisor = ctx.auth.resolve_actor("supervisor")
    entry = ctx.handover.list_entries(supervisor).rows[0]
    dialog = AcknowledgeDialog(ctx.handover, ctx.handover.detail(supervisor, entry.id), actor=supervisor)
    qtbot.addWidget(dialog)
    return "\n".join(label.text() for label in dialog.findChildren(QLabel))


def test_taking_over_one_overdue_item_reads_in_the_singular(qtbot, hctx) -> None:
    one_overdue_item(hctx)
    assert "1 open item, 1 overdue: read it before you take over." in takeover_text(qtbot, hctx)


def test_taking_over_one_overdue_item_in_spanish(qtbot, hctx, spanish) -> None:
    one_overdue_item(hctx)
    assert "1 asunto abierto, 1 vencido: léelo antes de recibir el turno." in takeover_text(qtbot, hctx)


def test_the_banner_the_timeline_and_the_detail_count_one_overdue_item_in_spanish(qtbot, hctx, spanish) -> None:
    one_overdue_item(hctx)
    page = HandoverPage(hctx.handover, hctx.people, actor=hctx.auth.resolve_actor("supervisor"))
    qtbot.addWidget(page)
    page.show()
    assert page.banner.isVisible() and "1 asunto vencido" in page.banner_text.text()
    assert "asuntos vencidos" not in page.banner_text.text()
    log = page.log
    open_column = next(c for c in range(log.model.columnCount()) if log.model.headerData(c, Qt.Orientation.Horizontal) == i18n._("Open items"))
    assert log.model.index(0, open_column).data() == "1 (1 vencido)"
    assert log.count.text() == "1 de 1 relevo"
    assert "1 asunto abierto" in log.detail.items_label.text() and "1 vencido" in log.detail.items_label.text()


def test_one_day_copied_from_last_month_reads_in_the_singular(qtbot, hctx, monkeypatch, spanish) -> None:
    view = RosterView(hctx.roster, actor=hctx.auth.resolve_actor("supervisor"))
    qtbot.addWidget(view)
    view.load(2026, 10, None, hctx.roster.people(hctx.auth.resolve_actor("supervisor")))
    monkeypatch.setattr(hctx.roster, "copy_previous_month", lambda *_a, **_k: 1)
    view.copy_button.click()
    assert view.warnings.text() == "1 día rellenado con el patrón del mes pasado."
    monkeypatch.setattr(hctx.roster, "copy_previous_month", lambda *_a, **_k: 12)
    view.copy_button.click()
    assert view.warnings.text() == "12 días rellenados con el patrón del mes pasado."


@pytest.mark.parametrize(("language", "one", "many"), [
    ("en", "1 more event: see the continuation list", "4 more events: see the continuation list"),
    ("es_ES", "1 evento más: véase la lista de continuación", "4 eventos más: véase la lista de continuación"),
])  # fmt: skip
def test_an_evaluation_sheet_continued_for_one_event_says_event(monkeypatch, language: str, one: str, many: str) -> None:
    if language == "es_ES":
        fake = spanish_catalogue()
        monkeypatch.setattr(scorecard_print, "_catalogue", lambda _lang: fake)
    labels = scorecard_print.SheetText(language).labels()
    # The renderer fills the label in with the count of events sent to the continuation list.
    assert labels.more_events.format(n=1) == one
    assert labels.more_events.format(n=4) == many
