"""The stages and states of a response: plain enums, importable without the models (the access policy uses them)."""

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
