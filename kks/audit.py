"""Audit history plumbing shared by the apps (django-simple-history).

Why django-simple-history and not django-pghistory: ``make run`` and most of the test suite use
SQLite, and pghistory records through PostgreSQL triggers only; simple-history records in Python
(post_save/post_delete) on every database, so the history is the same in development, tests and
production. Its blind spots are QuerySet.update() and bulk_create(), which the services avoid on
audited models or replace by ``simple_history.utils.bulk_create_with_history``.

Append-only: on PostgreSQL a migration of each app adds a trigger refusing UPDATE and DELETE on
every historical table of that app (``append_only_operation``); on SQLite it is a no-op.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import migrations, models
from simple_history.models import HistoricalRecords

TRIGGER_FUNCTION = "kks_history_append_only"

M = TypeVar("M", bound=models.Model)


def recorded_by(instance: M, actor: Any, reason: str = "") -> M:
    """Mark ``instance`` so that its next save records ``actor`` (and ``reason``) in its history.

    Services receive the actor explicitly, so tasks and commands record who acted too; web requests
    without a service call are attributed by simple-history's HistoryRequestMiddleware.
    """
    if actor is not None and getattr(actor, "is_authenticated", False):
        instance._history_user = actor
    if reason:
        instance._change_reason = reason
    return instance


def _history_tables(apps, app_label: str) -> list[str]:
    return sorted(
        model._meta.db_table
        for model in apps.get_app_config(app_label).get_models()
        if model.__name__.startswith("Historical")
    )


def _install(app_label: str):
    def forward(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute(
            f"""
            CREATE OR REPLACE FUNCTION {TRIGGER_FUNCTION}() RETURNS trigger AS $$
            BEGIN
                RAISE EXCEPTION USING
                    MESSAGE = 'history table ' || TG_TABLE_NAME || ' is append-only (' || TG_OP || ' refused)',
                    ERRCODE = 'insufficient_privilege';
            END
            $$ LANGUAGE plpgsql
            """
        )
        for table in _history_tables(apps, app_label):
            schema_editor.execute(f'DROP TRIGGER IF EXISTS "{table}_append_only" ON "{table}"')
            schema_editor.execute(
                f'CREATE TRIGGER "{table}_append_only" BEFORE UPDATE OR DELETE ON "{table}" '
                f"FOR EACH ROW EXECUTE FUNCTION {TRIGGER_FUNCTION}()"
            )

    return forward


def _remove(app_label: str):
    def backward(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for table in _history_tables(apps, app_label):
            schema_editor.execute(f'DROP TRIGGER IF EXISTS "{table}_append_only" ON "{table}"')

    return backward


def append_only_operation(app_label: str) -> migrations.RunPython:
    """A migration operation: refuse UPDATE and DELETE on the app's historical tables (PostgreSQL).

    TRUNCATE (``flush``, used by ``restore`` and by the tests) is not a row operation and stays allowed.
    Put it last in the migration that creates the historical models.
    """
    return migrations.RunPython(_install(app_label), _remove(app_label), elidable=False)


class QuietHistoricalRecords(HistoricalRecords):
    """HistoricalRecords that do not record a save touching only ``quiet_fields`` (e.g. a user's last_login).

    Logging in saves ``last_login`` alone; a history row per login would bury the real changes.
    """

    def __init__(self, *args, quiet_fields=(), **kwargs):
        self.quiet_fields = frozenset(quiet_fields)
        super().__init__(*args, **kwargs)

    def post_save(self, instance, created, using=None, **kwargs):
        update_fields = kwargs.get("update_fields")
        if not created and update_fields and set(update_fields) <= self.quiet_fields:
            return
        super().post_save(instance, created, using=using, **kwargs)
