"""Kommunal-Digitalcheck: digital maturity assessment and profile reports for municipalities."""

__version__ = "0.1.0"
