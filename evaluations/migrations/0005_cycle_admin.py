"""Cycles administered from the web: data years N-1/N, the revision window in hours, the first opening,
and the record of window changes.

Existing cycles get data years year-2/year-1, their revision window in hours (days x 24), and count as
opened (at their first assessment) when they already have assessments.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models import Min


def forward(apps, schema_editor):
    Cycle = apps.get_model("evaluations", "Cycle")
    for cycle in Cycle.objects.annotate(first_assessment=Min("assessments__created_at")):
        cycle.data_year_previous = cycle.year - 2
        cycle.data_year = cycle.year - 1
        cycle.response_window_hours = min(cycle.response_window_days * 24, 32767)
        cycle.opened_at = cycle.first_assessment
        cycle.save(update_fields=["data_year_previous", "data_year", "response_window_hours", "opened_at"])


def backward(apps, schema_editor):
    Cycle = apps.get_model("evaluations", "Cycle")
    for cycle in Cycle.objects.all():
        cycle.response_window_days = max(1, -(-cycle.response_window_hours // 24))  # whole days, rounded up
        cycle.save(update_fields=["response_window_days"])


class Migration(migrations.Migration):
    dependencies = [
        ("evaluations", "0004_report_job_heartbeat"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="cycle",
            name="data_year",
            field=models.PositiveSmallIntegerField(
                default=0, help_text="Tahun capaian yang dinilai; untuk siklus 2025: 2024.", verbose_name="tahun data N"
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="cycle",
            name="data_year_previous",
            field=models.PositiveSmallIntegerField(
                default=0, help_text="Tahun capaian sebelumnya; untuk siklus 2025: 2023.", verbose_name="tahun data N-1"
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="cycle",
            name="opened_at",
            field=models.DateTimeField(
                blank=True,
                help_text="Kapan siklus pertama kali dibuka untuk kabupaten/kota; kosong berarti masih draf.",
                null=True,
                verbose_name="pertama dibuka",
            ),
        ),
        migrations.AddField(
            model_name="cycle",
            name="response_window_hours",
            field=models.PositiveSmallIntegerField(
                default=168,
                help_text="Waktu untuk memperbaiki setelah dikembalikan, dalam jam (mis. 48 untuk 2x24 jam).",
                verbose_name="batas perbaikan (jam)",
            ),
        ),
        migrations.RunPython(forward, backward),
        migrations.RemoveField(
            model_name="cycle",
            name="response_window_days",
        ),
        migrations.CreateModel(
            name="CycleWindowChange",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "window",
                    models.CharField(
                        choices=[
                            ("self_assessment", "Penilaian mandiri"),
                            ("provincial", "Verifikasi provinsi"),
                            ("national", "Verifikasi pusat"),
                        ],
                        max_length=20,
                        verbose_name="masa",
                    ),
                ),
                ("old_opens", models.DateTimeField(verbose_name="dibuka sebelumnya")),
                ("old_closes", models.DateTimeField(verbose_name="ditutup sebelumnya")),
                ("new_opens", models.DateTimeField(verbose_name="dibuka menjadi")),
                ("new_closes", models.DateTimeField(verbose_name="ditutup menjadi")),
                ("reason", models.TextField(verbose_name="alasan")),
                ("at", models.DateTimeField(auto_now_add=True, verbose_name="waktu")),
                (
                    "actor",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "cycle",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="window_changes",
                        to="evaluations.cycle",
                        verbose_name="siklus",
                    ),
                ),
            ],
            options={
                "verbose_name": "perubahan masa siklus",
                "verbose_name_plural": "perubahan masa siklus",
                "ordering": ["-at", "-pk"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("reason", ""), _negated=True), name="cycle_window_change_has_reason"
                    )
                ],
            },
        ),
    ]
