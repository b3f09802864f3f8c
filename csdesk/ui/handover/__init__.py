"""The handover area's window pieces: log, form, work records, dialogs."""
