"""What to do next where a table has nothing to show: a hint drawn over an empty item view.

An empty table with only its headers looks broken on a new site ("is the data gone?"). Every
table that can be empty gets one :class:`EmptyStateHint`, in one line::

    self.hint = show_when_empty(self.table, lambda: _("No punches this month. Import the punch "
                                                    "clock's file (Import punches…) or pick another month."))

The hint is shown over the view's viewport while the view's model (a proxy's, when a proxy is
set) has no rows, and hidden as soon as it has some. Its text says what to do next; a callable is
asked again each time the hint is shown, so the text can follow the page's state (a filter that
hides every row, a role that may not import) and the language. An empty text shows no hint (a
page still loading).

A view without a model (a chart) says when it is empty itself: ``is_empty``, asked on each
:meth:`EmptyStateHint.refresh`, which its owner calls after drawing new contents.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QAbstractItemModel, QEvent, QObject, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QAbstractItemView, QAbstractScrollArea, QLabel
from shiboken6 import isValid

HintText = str | Callable[[], str]
_MODEL_SIGNALS = ("modelReset", "rowsInserted", "rowsRemoved", "layoutChanged")


class EmptyStateHint(QLabel):
    """A short, centred, word-wrapped text over ``view``'s viewport while its model has no rows.

    It is a child of the view (not of its viewport, whose children scroll with the contents) kept
    on the viewport's geometry, so the headers stay visible; mouse events pass through to the view.
    """

    def __init__(
        self, view: QAbstractScrollArea, text: HintText = "", *, is_empty: Callable[[], bool] | None = None
    ) -> None:
        super().__init__(view)
        self.setObjectName("emptyStateHint")
        self._view = view
        self._text = text
        self._is_empty = is_empty
        self._model: QAbstractItemModel | None = None
        self.setWordWrap(True)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setMargin(16)
        self.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        view.viewport().installEventFilter(self)
        self.refresh()

    def set_text(self, text: HintText) -> None:
        """Say ``text`` (or what the callable answers) while the view is empty."""
        self._text = text
        self.refresh()

    def refresh(self) -> None:
        """Show or hide the hint for the rows the view's model has now, with its current text."""
        if not (isValid(self) and isValid(self._view)):
            return  # a model emptied while its view is being deleted (a QListWidget's own, say)
        if self._is_empty is not None:
            empty = self._is_empty()
        else:
            assert isinstance(self._view, QAbstractItemView), "a view without a model says when it is empty"
            model = self._view.model()
            if model is not self._model:
                self._watch(model)
            empty = model is None or model.rowCount() == 0
        text = (self._text() if callable(self._text) else self._text) if empty else ""
        if text:
            self.setText(text)
            self.setGeometry(self._view.viewport().geometry())
            self.raise_()
            self.show()
        else:
            self.hide()

    def _watch(self, model: QAbstractItemModel | None) -> None:
        if self._model is not None:
            for name in _MODEL_SIGNALS:
                getattr(self._model, name).disconnect(self.refresh)
        self._model = model
        if model is not None:
            for name in _MODEL_SIGNALS:
                getattr(model, name).connect(self.refresh)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() in (QEvent.Type.Resize, QEvent.Type.Move) and self.isVisibleTo(self._view):
            self.setGeometry(self._view.viewport().geometry())
        return False


def show_when_empty(
    view: QAbstractScrollArea, text: HintText, *, is_empty: Callable[[], bool] | None = None
) -> EmptyStateHint:
    """Put a hint saying ``text`` (what to do next) over ``view`` while it has no rows (or, for a
    view without a model, while ``is_empty()``)."""
    return EmptyStateHint(view, text, is_empty=is_empty)
