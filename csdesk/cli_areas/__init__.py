"""Subcommands of each area; ``csdesk.cli`` loads the modules listed in AREA_MODULES."""
