"""Reads for pages and reports, one module per area."""

from .home import home_summary

__all__ = ["home_summary"]
