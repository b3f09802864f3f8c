"""The quality-inspection area's window pieces: tabs, table models, the inspection form and the follow-up dialogs."""
