"""Seed the catalogue of reasons for sending a response back."""

from django.db import migrations

REASONS = [
    ("bukti-tidak-lengkap", "Bukti dukung tidak lengkap"),
    ("bukti-tidak-sesuai", "Bukti dukung tidak sesuai indikator"),
    ("tahun-tidak-sesuai", "Data tidak sesuai tahun penilaian"),
    ("nilai-tidak-sesuai", "Nilai tidak sesuai skala/definisi operasional"),
    ("belum-divalidasi", "Dokumen belum ditandatangani/divalidasi Kepala OPD"),
    ("berkas-tidak-terbaca", "Berkas tidak dapat dibuka atau tidak terbaca"),
    ("lainnya", "Lainnya"),
]


def seed(apps, schema_editor):
    RevisionReason = apps.get_model("evaluations", "RevisionReason")
    for code, label in REASONS:
        RevisionReason.objects.get_or_create(code=code, defaults={"label": label})


def unseed(apps, schema_editor):
    RevisionReason = apps.get_model("evaluations", "RevisionReason")
    RevisionReason.objects.filter(code__in=[code for code, _label in REASONS]).delete()


class Migration(migrations.Migration):
    dependencies = [("evaluations", "0002_initial")]

    operations = [migrations.RunPython(seed, unseed)]
