"""The catalogue of reasons for sending a response back: reference data the workflow needs.

Seeded by migration 0003 and again after every ``migrate`` and ``flush`` (Django sends ``post_migrate``
after both), so a flushed database - a transactional test's teardown, ``manage.py flush`` - never
leaves the review form without its reasons. Seeding only adds missing codes; labels an admin edited
and reasons an admin retired are left alone.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_noop

REASONS: list[tuple[str, str]] = [
    ("bukti-tidak-lengkap", gettext_noop("Bukti dukung tidak lengkap")),
    ("bukti-tidak-sesuai", gettext_noop("Bukti dukung tidak sesuai indikator")),
    ("tahun-tidak-sesuai", gettext_noop("Data tidak sesuai tahun penilaian")),
    ("nilai-tidak-sesuai", gettext_noop("Nilai tidak sesuai skala/definisi operasional")),
    ("belum-divalidasi", gettext_noop("Dokumen belum ditandatangani/divalidasi Kepala OPD")),
    ("berkas-tidak-terbaca", gettext_noop("Berkas tidak dapat dibuka atau tidak terbaca")),
    ("lainnya", gettext_noop("Lainnya")),
]


def seed_revision_reasons(model: Any, using: str = "default") -> None:
    """Create the catalogue's missing reasons with ``model`` (the real or a migration's historical model)."""
    existing = set(model.objects.using(using).values_list("code", flat=True))
    missing = [model(code=code, label=label) for code, label in REASONS if code not in existing]
    if missing:
        model.objects.using(using).bulk_create(missing)


def seed_after_migrate(sender: Any, *, using: str = "default", apps: Any = None, **kwargs: Any) -> None:
    """``post_migrate`` receiver: re-seed once the table exists (not while migrating backwards past it)."""
    if apps is None:
        from django.apps import apps
    try:
        model = apps.get_model("evaluations", "RevisionReason")
    except LookupError:
        return
    seed_revision_reasons(model, using)
