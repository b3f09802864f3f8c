"""The scorecards area's widgets: entry grid, event dialog, scorecard, ranking, trend, printing."""
