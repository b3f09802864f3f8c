"""Waiting for pages that load in the background, as a person waits for "Calculating…" to go."""

from __future__ import annotations

from typing import Any


def wait_loaded(qtbot: Any, page: Any, timeout: int = 10_000) -> Any:
    """Wait until ``page`` has shown the answer to its latest load (``page.loading`` is False)."""
    qtbot.waitUntil(lambda: not page.loading, timeout=timeout)
    return page
