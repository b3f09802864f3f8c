"""The callbacks area's use cases (issue #7)."""

from __future__ import annotations

from csdesk.services.base import Service


class CallbackService(Service):
    """Not built yet: see issue #7."""
