"""Evidence.data_year: which of the cycle's two data years an evidence item is for.

Existing evidence gets its cycle's data year N (the only year the upload form offered). The
append-only history keeps its old rows as they were: they predate the field and read 0.
"""

from django.db import migrations, models


def fill_from_cycle(apps, schema_editor):
    Evidence = apps.get_model("evaluations", "Evidence")
    Cycle = apps.get_model("evaluations", "Cycle")
    for cycle_id, year in Cycle.objects.values_list("pk", "data_year"):
        Evidence.objects.filter(response__assessment__cycle_id=cycle_id).update(data_year=year)


class Migration(migrations.Migration):
    dependencies = [
        ("evaluations", "0007_audit_history"),
    ]

    operations = [
        migrations.AddField(
            model_name="evidence",
            name="data_year",
            field=models.PositiveSmallIntegerField(
                default=0,
                help_text="Tahun capaian yang dibuktikan: salah satu dari dua tahun data siklus.",
                verbose_name="tahun data",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="historicalevidence",
            name="data_year",
            field=models.PositiveSmallIntegerField(
                default=0,
                help_text="Tahun capaian yang dibuktikan: salah satu dari dua tahun data siklus.",
                verbose_name="tahun data",
            ),
            preserve_default=False,
        ),
        migrations.RunPython(fill_from_cycle, migrations.RunPython.noop),
    ]
