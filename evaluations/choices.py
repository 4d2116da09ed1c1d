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


class AwardBasis(models.TextChoices):
    """What a score band of the award rules is applied to (``tatanan.scoring.BandBasis``)."""

    EACH_TATANAN = "each_tatanan", _("Per tatanan")
    MEAN = "mean", _("Rata-rata tatanan")


class AwardLevel(models.TextChoices):
    """A Swasti Saba level (``tatanan.scoring.Level``), as officially awarded or as forecast."""

    NONE = "none", _("Tidak mendapat penghargaan")
    PADAPA = "padapa", _("Swasti Saba Padapa")
    WIWERDA = "wiwerda", _("Swasti Saba Wiwerda")
    WISTARA = "wistara", _("Swasti Saba Wistara")
    PARIPURNA = "paripurna", _("Swasti Saba Wistara Paripurna")
