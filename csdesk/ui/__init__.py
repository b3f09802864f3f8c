"""Qt windows, views and item models over service results (never SQLAlchemy)."""
