"""The stages and states of a response: plain enums, defined in ``kks.workflow`` (below every app, so the access
policy can use them) and importable from here as before."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from kks.workflow import ResponseStatus, Stage

__all__ = ["AwardBasis", "AwardLevel", "ResponseStatus", "Stage"]


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
