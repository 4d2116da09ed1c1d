"""What is measured: versioned frameworks, tatanan, indicators and their scales.

Nothing here is hard-coded: every framework comes from a data file loaded by
``manage.py load_framework`` or imported from the web (``FrameworkImport``).
A published framework is never edited; a new cycle uses a new version.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from forums.models import BodyKind


class FrameworkStatus(models.TextChoices):
    DRAFT = "draft", _("Draf")
    PUBLISHED = "published", _("Terbit")


class FrameworkVersion(models.Model):
    code = models.SlugField(_("kode"), max_length=60, unique=True)
    name = models.CharField(_("nama"), max_length=200)
    year = models.PositiveSmallIntegerField(_("tahun"))
    description = models.TextField(_("keterangan"), blank=True)
    source = models.TextField(_("sumber"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=FrameworkStatus.choices, default=FrameworkStatus.DRAFT
    )
    published_at = models.DateTimeField(_("diterbitkan"), null=True, blank=True)
    checksum = models.CharField(_("checksum berkas"), max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    audit = HistoricalRecords(verbose_name=_("riwayat kerangka"))

    class Meta:
        ordering = ["-year", "code"]
        verbose_name = _("versi kerangka")
        verbose_name_plural = _("versi kerangka")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("tatanan:framework-detail", args=[self.code])

    @property
    def is_published(self):
        return self.status == FrameworkStatus.PUBLISHED


class Tatanan(models.Model):
    framework = models.ForeignKey(
        FrameworkVersion, verbose_name=_("kerangka"), on_delete=models.CASCADE, related_name="tatanan"
    )
    number = models.PositiveSmallIntegerField(_("nomor"))
    name = models.CharField(_("nama"), max_length=200)
    description = models.TextField(_("keterangan"), blank=True)

    class Meta:
        ordering = ["framework", "number"]
        verbose_name = _("tatanan")
        verbose_name_plural = _("tatanan")
        constraints = [models.UniqueConstraint(fields=["framework", "number"], name="tatanan_unique_number")]

    def __str__(self):
        return f"{self.number}. {self.name}"

    def get_absolute_url(self):
        return reverse("tatanan:tatanan-detail", args=[self.framework.code, self.number])


class IndicatorKind(models.TextChoices):
    TATANAN = "tatanan", _("Indikator tatanan")
    KELEMBAGAAN = "kelembagaan", _("Indikator kelembagaan")


class Indicator(models.Model):
    framework = models.ForeignKey(
        FrameworkVersion, verbose_name=_("kerangka"), on_delete=models.CASCADE, related_name="indicators"
    )
    tatanan = models.ForeignKey(
        Tatanan, verbose_name=_("tatanan"), null=True, blank=True, on_delete=models.CASCADE, related_name="indicators"
    )
    kind = models.CharField(_("jenis"), max_length=12, choices=IndicatorKind.choices, default=IndicatorKind.TATANAN)
    code = models.CharField(_("kode"), max_length=20, help_text=_("Misalnya T1-09 atau K-03."))
    number = models.PositiveSmallIntegerField(_("nomor"))
    name = models.TextField(_("indikator"))
    operational_definition = models.TextField(_("definisi operasional"), blank=True)
    data_source = models.TextField(_("sumber data"), blank=True)
    required_evidence = models.TextField(_("bukti dukung"), blank=True)
    body_kind = models.CharField(
        _("lembaga"), max_length=24, blank=True, help_text=_("Untuk indikator kelembagaan: jenis lembaga yang dinilai.")
    )
    rules = models.JSONField(
        _("aturan penilaian"),
        default=dict,
        blank=True,
        help_text=_("Untuk indikator kelembagaan: aturan dari instrumen, misalnya SK draf bernilai 0."),
    )
    responsible_opd_kinds = models.ManyToManyField(
        "forums.OpdKind", verbose_name=_("OPD penanggung jawab"), blank=True, related_name="indicators"
    )
    sort_order = models.PositiveIntegerField(_("urutan"), default=0)
    # Indicators of a draft framework can still change in the admin.
    audit = HistoricalRecords(verbose_name=_("riwayat indikator"))

    class Meta:
        ordering = ["framework", "sort_order"]
        verbose_name = _("indikator")
        verbose_name_plural = _("indikator")
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="indicator_unique_code"),
            models.CheckConstraint(
                condition=(
                    models.Q(kind="tatanan", tatanan__isnull=False) | models.Q(kind="kelembagaan", tatanan__isnull=True)
                ),
                name="indicator_kind_matches_tatanan",
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.name[:80]}"

    @property
    def body_kind_label(self):
        """The body's display name (e.g. "Forum Komunikasi Kecamatan") for a kelembagaan indicator."""
        if self.body_kind in BodyKind.values:
            return BodyKind(self.body_kind).label
        return self.body_kind

    def allowed_values(self):
        """Scale values, highest first; uses the prefetched options when present."""
        return sorted((o.value for o in self.scale_options.all()), reverse=True)


class ScaleOption(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="scale_options")
    value = models.PositiveSmallIntegerField(_("nilai"))
    description = models.TextField(_("kriteria"))

    class Meta:
        ordering = ["indicator", "-value"]
        verbose_name = _("pilihan skala")
        verbose_name_plural = _("pilihan skala")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "value"], name="scale_unique_value"),
            models.CheckConstraint(condition=models.Q(value__in=[0, 25, 50, 75, 100]), name="scale_value_allowed"),
        ]

    def __str__(self):
        return f"{self.value}: {self.description[:60]}"


class ImportStatus(models.TextChoices):
    INVALID = "invalid", _("Tidak valid")
    VALID = "valid", _("Valid")
    LOADED = "loaded", _("Dimuat sebagai draf")
    PUBLISHED = "published", _("Terbit")


class FrameworkImport(models.Model):
    """One framework file uploaded from the web: its content, the dry run's verdict and what it became.

    The stored content is what is loaded and published later (no second upload); ``sha256`` is the
    checksum of the uploaded bytes, the same one ``framework_load`` stores on the framework.
    """

    file_name = models.CharField(_("nama berkas"), max_length=200)
    content = models.TextField(_("isi berkas"))
    size = models.PositiveIntegerField(_("ukuran (bita)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diunggah oleh"),
        on_delete=models.PROTECT,
        related_name="framework_imports",
    )
    uploaded_at = models.DateTimeField(_("diunggah"), default=timezone.now)
    code = models.CharField(_("kode kerangka"), max_length=60, blank=True)
    name = models.CharField(_("nama kerangka"), max_length=200, blank=True)
    year = models.PositiveSmallIntegerField(_("tahun"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ImportStatus.choices)
    errors = models.JSONField(_("masalah"), default=list, blank=True)
    framework = models.ForeignKey(
        FrameworkVersion,
        verbose_name=_("kerangka"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="imports",
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diterbitkan oleh"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    published_at = models.DateTimeField(_("diterbitkan"), null=True, blank=True)

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        verbose_name = _("impor kerangka")
        verbose_name_plural = _("impor kerangka")

    def __str__(self):
        return f"{self.file_name} ({self.get_status_display()})"

    def get_absolute_url(self):
        return reverse("tatanan:import-detail", args=[self.pk])

    @property
    def is_valid(self) -> bool:
        return self.status != ImportStatus.INVALID

    @property
    def is_superseded(self) -> bool:
        """Loaded as a draft, but the draft has since been replaced by another file."""
        return (
            self.status == ImportStatus.LOADED and self.framework is not None and self.framework.checksum != self.sha256
        )
