"""The attendance area's use cases (issue #4)."""

from __future__ import annotations

from csdesk.services.base import Service


class AttendanceService(Service):
    """Not built yet: see issue #4."""
