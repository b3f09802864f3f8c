"""ReportLab documents: pure renderers of frozen inputs computed by the services."""
