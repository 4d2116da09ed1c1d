"""Helpers shared by the test suites (kept out of conftest so they import by a plain module path)."""

import os

import pytest


def require_postgresql(what: str) -> None:
    """Skip a PostgreSQL-only test on the SQLite quick path; in CI (CI set) a missing PostgreSQL fails instead."""
    from django.db import connection

    if connection.vendor == "postgresql":
        return
    message = f"{what} needs PostgreSQL (set DATABASE_URL)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)
