"""The vocabulary of the evaluation workflow: stages, response states, report kinds and job states.

Plain enums below every app (docs/architecture.md), so the access policy in ``forums`` can name them without
importing the ``evaluations`` app; ``evaluations.choices`` and ``evaluations.models`` re-export them.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    KABUPATEN = "kabupaten", _("Kabupaten/Kota")
    PROVINSI = "provinsi", _("Provinsi")
    PUSAT = "pusat", _("Pusat")


class ResponseStatus(models.TextChoices):
    DRAFT = "draft", _("Draf")
    SUBMITTED = "submitted", _("Diajukan")
    REVISION_REQUESTED = "revision_requested", _("Perlu perbaikan")
    RESUBMITTED = "resubmitted", _("Diajukan ulang")
    ACCEPTED = "accepted", _("Diterima")


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Dalam antrean")
    RENDERING = "rendering", _("Sedang dibuat")
    READY = "ready", _("Siap")
    FAILED = "failed", _("Gagal")


class ReportKind(models.TextChoices):
    DOSSIER = "dossier", _("Dosir verifikasi")
    READINESS = "readiness", _("Laporan kesiapan")
