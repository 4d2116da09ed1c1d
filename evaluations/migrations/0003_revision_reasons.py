"""Seed the catalogue of reasons for sending a response back."""

from django.db import migrations

from evaluations.reasons import REASONS, seed_revision_reasons


def seed(apps, schema_editor):
    seed_revision_reasons(apps.get_model("evaluations", "RevisionReason"), schema_editor.connection.alias)


def unseed(apps, schema_editor):
    RevisionReason = apps.get_model("evaluations", "RevisionReason")
    RevisionReason.objects.filter(code__in=[code for code, _label in REASONS]).delete()


class Migration(migrations.Migration):
    dependencies = [("evaluations", "0002_initial")]

    operations = [migrations.RunPython(seed, unseed)]
