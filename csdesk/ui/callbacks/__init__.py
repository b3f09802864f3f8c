"""The callbacks page: agenda, dialogs, table models and printing."""
