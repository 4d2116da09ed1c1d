"""Personal API tokens: a bearer secret per user, stored only as its SHA-256 hash.

The secret is shown once, when it is created (api.services.api_token_create); afterwards only its prefix
identifies it. A token acts as its user, with exactly the user's scopes and predicates (forums.permissions).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("pengguna"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("nama"), max_length=100, help_text=_("Untuk apa token ini, misalnya 'Sinkron SIPANTAS'."))
    prefix = models.CharField(_("awalan"), max_length=16, help_text=_("Awal token, untuk mengenalinya."))
    token_hash = models.CharField(_("hash SHA-256"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("terakhir dipakai"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("dicabut"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dicabut oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Creation and revocation with who did it; the hash and the use stamp (written on every use) are left out.
    audit = HistoricalRecords(verbose_name=_("riwayat token API"), excluded_fields=["token_hash", "last_used_at"])

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("token API")
        verbose_name_plural = _("token API")

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
