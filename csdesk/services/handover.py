"""The handover area's use cases (issue #6)."""

from __future__ import annotations

from csdesk.services.base import Service


class HandoverService(Service):
    """Not built yet: see issue #6."""
