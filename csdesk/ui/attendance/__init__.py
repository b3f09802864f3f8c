"""Widgets, models and dialogs of the attendance calendar."""
