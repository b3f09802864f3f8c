"""The scorecards area's use cases (issue #5)."""

from __future__ import annotations

from csdesk.services.base import Service


class ScorecardService(Service):
    """Not built yet: see issue #5."""
