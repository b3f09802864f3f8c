"""Subcommands of the callbacks area (interfaces.md)."""

from __future__ import annotations

import argparse

# Import kinds of this area: kind -> "context_attribute.method".
IMPORTERS: dict[str, str] = {}


def register(sub: argparse._SubParsersAction, print_sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add this area's subcommands and print documents."""
