"""csdesk: the customer-service supervisor's workstation."""

__version__ = "0.1.0"
