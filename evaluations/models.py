"""How well: cycles, assessments, indicator responses, evidence, reviews and dossiers.

State changes happen only in ``services.py``; history tables are append-only.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from forums.models import BodyKind
from kks import textlimits
from kks.textlimits import LimitedTextField
from kks.workflow import JobStatus, ReportKind  # defined there (the policy names them), importable from here

from .choices import AwardBasis, AwardLevel, ResponseStatus, Stage  # defined there, importable from here


class Cycle(models.Model):
    """A programme cycle with its framework version and the windows of each stage."""

    name = models.CharField(_("nama"), max_length=120)
    year = models.PositiveSmallIntegerField(_("tahun"))
    data_year_previous = models.PositiveSmallIntegerField(
        _("tahun data N-1"), help_text=_("Tahun capaian sebelumnya; untuk siklus 2025: 2023.")
    )
    data_year = models.PositiveSmallIntegerField(
        _("tahun data N"), help_text=_("Tahun capaian yang dinilai; untuk siklus 2025: 2024.")
    )
    framework = models.ForeignKey(
        "tatanan.FrameworkVersion", verbose_name=_("kerangka"), on_delete=models.PROTECT, related_name="cycles"
    )
    self_assessment_opens = models.DateTimeField(_("penilaian mandiri dibuka"))
    self_assessment_closes = models.DateTimeField(_("penilaian mandiri ditutup"))
    provincial_opens = models.DateTimeField(_("verifikasi provinsi dibuka"))
    provincial_closes = models.DateTimeField(_("verifikasi provinsi ditutup"))
    national_opens = models.DateTimeField(_("verifikasi pusat dibuka"))
    national_closes = models.DateTimeField(_("verifikasi pusat ditutup"))
    response_window_hours = models.PositiveSmallIntegerField(
        _("batas perbaikan (jam)"),
        default=168,
        help_text=_("Waktu untuk memperbaiki setelah dikembalikan, dalam jam (mis. 48 untuk 2x24 jam)."),
    )
    reopened_until = models.DateTimeField(
        _("dibuka kembali sampai"),
        null=True,
        blank=True,
        help_text=_("Admin dapat membuka kembali pengisian dan verifikasi sampai waktu ini."),
    )
    opened_at = models.DateTimeField(
        _("pertama dibuka"),
        null=True,
        blank=True,
        help_text=_("Kapan siklus pertama kali dibuka untuk kabupaten/kota; kosong berarti masih draf."),
    )
    # The award rules of the cycle (tatanan.scoring.ScoringPolicy, loaded by selectors.award.cycle_policy);
    # the defaults are the 2025 Juknis. Changed only through services.awards.cycle_award_policy_update.
    award_band_basis = models.CharField(
        _("dasar penilaian"), max_length=12, choices=AwardBasis.choices, default=AwardBasis.EACH_TATANAN
    )
    padapa_min_score = models.DecimalField(_("nilai minimal Padapa"), max_digits=5, decimal_places=2, default=71)
    padapa_min_odf = models.DecimalField(_("ODF minimal Padapa (%)"), max_digits=5, decimal_places=2, default=80)
    wiwerda_min_score = models.DecimalField(_("nilai minimal Wiwerda"), max_digits=5, decimal_places=2, default=81)
    wiwerda_min_odf = models.DecimalField(_("ODF minimal Wiwerda (%)"), max_digits=5, decimal_places=2, default=90)
    wistara_min_score = models.DecimalField(_("nilai minimal Wistara"), max_digits=5, decimal_places=2, default=91)
    wistara_min_odf = models.DecimalField(_("ODF minimal Wistara (%)"), max_digits=5, decimal_places=2, default=100)
    award_requires_kelembagaan = models.BooleanField(_("kelembagaan wajib lengkap"), default=True)
    paripurna_streak = models.PositiveSmallIntegerField(
        _("Wistara berturut-turut untuk Paripurna"),
        default=2,
        help_text=_("Jumlah siklus penghargaan sebelumnya yang hasil resminya harus Wistara."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    audit = HistoricalRecords(verbose_name=_("riwayat siklus"))

    class Meta:
        ordering = ["-year", "name"]
        verbose_name = _("siklus")
        verbose_name_plural = _("siklus")

    def __str__(self):
        return self.name

    @property
    def is_opened(self) -> bool:
        return self.opened_at is not None


class CycleWindow(models.TextChoices):
    SELF_ASSESSMENT = "self_assessment", _("Penilaian mandiri")
    PROVINCIAL = "provincial", _("Verifikasi provinsi")
    NATIONAL = "national", _("Verifikasi pusat")


class CycleWindowChange(models.Model):
    """Append-only record of a window of a cycle being closed early or extended, with the reason."""

    cycle = models.ForeignKey(Cycle, verbose_name=_("siklus"), on_delete=models.CASCADE, related_name="window_changes")
    window = models.CharField(_("masa"), max_length=20, choices=CycleWindow.choices)
    old_opens = models.DateTimeField(_("dibuka sebelumnya"))
    old_closes = models.DateTimeField(_("ditutup sebelumnya"))
    new_opens = models.DateTimeField(_("dibuka menjadi"))
    new_closes = models.DateTimeField(_("ditutup menjadi"))
    reason = models.TextField(_("alasan"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(_("waktu"), auto_now_add=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("perubahan masa siklus")
        verbose_name_plural = _("perubahan masa siklus")
        constraints = [
            models.CheckConstraint(condition=~models.Q(reason=""), name="cycle_window_change_has_reason"),
        ]

    def __str__(self):
        return f"{self.cycle}: {self.get_window_display()}"


class AssessmentStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("Pengisian")
    PROVINCIAL = "provincial", _("Verifikasi provinsi")
    NATIONAL = "national", _("Verifikasi pusat")
    DONE = "done", _("Selesai")


class Assessment(models.Model):
    """One kabupaten/kota in one cycle."""

    cycle = models.ForeignKey(Cycle, verbose_name=_("siklus"), on_delete=models.PROTECT, related_name="assessments")
    regency = models.ForeignKey(
        "forums.Region", verbose_name=_("kabupaten/kota"), on_delete=models.PROTECT, related_name="assessments"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=AssessmentStatus.choices, default=AssessmentStatus.IN_PROGRESS
    )
    odf_kecamatan_count = models.PositiveIntegerField(_("jumlah kecamatan"), default=0)
    odf_village_count = models.PositiveIntegerField(_("jumlah desa/kelurahan"), default=0)
    odf_stop_babs_count = models.PositiveIntegerField(_("jumlah desa/kelurahan stop BABS"), default=0)
    narrative = LimitedTextField(_("narasi umum"), max_length=textlimits.NARRATIVE, blank=True)
    # Conditions of Wistara Paripurna besides the earlier Wistara results (services.awards).
    ip_spm_met = models.BooleanField(_("IP-SPM terpenuhi"), default=False)
    ip_spm_note = LimitedTextField(_("keterangan IP-SPM"), max_length=textlimits.ACHIEVEMENT, blank=True)
    innovation_adopted = models.BooleanField(_("inovasi direplikasi daerah lain"), default=False)
    innovation_note = LimitedTextField(_("keterangan inovasi"), max_length=textlimits.ACHIEVEMENT, blank=True)
    # Data Umum of the national instrument (services.general_data); the ODF counts are above.
    head_name = models.CharField(_("nama Bupati/Walikota"), max_length=160, blank=True)
    forum_chair_name = models.CharField(_("nama ketua Forum KKS"), max_length=160, blank=True)
    office_address = LimitedTextField(_("alamat kantor Forum KKS"), max_length=textlimits.ADDRESS, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    audit = HistoricalRecords(verbose_name=_("riwayat penilaian"))

    class Meta:
        ordering = ["cycle", "regency__code"]
        verbose_name = _("penilaian")
        verbose_name_plural = _("penilaian")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "regency"], name="assessment_unique_per_cycle"),
            models.CheckConstraint(
                condition=models.Q(odf_stop_babs_count__lte=models.F("odf_village_count")),
                name="assessment_odf_not_above_villages",
            ),
        ]

    def __str__(self):
        return f"{self.regency} — {self.cycle}"


class ReadinessSummary(models.Model):
    """What the readiness tables read of one assessment: its response sums per tatanan, one row per regency.

    ``sums`` maps a tatanan id (``"k"`` for kelembagaan) to the integers ``selectors.scores.live_response_sums``
    counts for it (filled; per basis the positive values and their sum; the review states). The response services
    rewrite the row in the same transaction as every change to a response (``services.summary``), so a report of
    514 regencies reads 514 rows instead of aggregating every response; a nightly check repairs any drift.
    """

    assessment = models.OneToOneField(
        Assessment, primary_key=True, on_delete=models.CASCADE, related_name="readiness_summary"
    )
    sums = models.JSONField(default=dict)
    refreshed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("ringkasan kesiapan")
        verbose_name_plural = _("ringkasan kesiapan")

    def __str__(self):
        return str(self.assessment_id)


class OfficialResult(models.Model):
    """The level a regency was officially awarded in a cycle, with the date and number of the decree (SK).

    Recorded by the national admin (services.awards.official_result_record); the history keeps every earlier
    version. The results of earlier cycles decide Wistara Paripurna and give a regency's trend across cycles.
    """

    cycle = models.ForeignKey(
        Cycle, verbose_name=_("siklus"), on_delete=models.PROTECT, related_name="official_results"
    )
    regency = models.ForeignKey(
        "forums.Region", verbose_name=_("kabupaten/kota"), on_delete=models.PROTECT, related_name="official_results"
    )
    level = models.CharField(_("tingkat penghargaan"), max_length=12, choices=AwardLevel.choices)
    awarded_on = models.DateField(_("tanggal penetapan"))
    decree = models.CharField(_("nomor SK"), max_length=200)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("dicatat"), auto_now=True)
    audit = HistoricalRecords(verbose_name=_("riwayat hasil resmi"))

    class Meta:
        ordering = ["cycle", "regency__code"]
        verbose_name = _("hasil resmi")
        verbose_name_plural = _("hasil resmi")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "regency"], name="official_result_unique_per_cycle"),
            models.CheckConstraint(condition=~models.Q(decree=""), name="official_result_has_decree"),
        ]

    def __str__(self):
        return f"{self.regency} — {self.cycle}: {self.get_level_display()}"


class IndicatorAssignment(models.Model):
    """The regency gives one indicator of its assessment to one of its own OPD: that OPD's officers fill it
    instead of the OPD of the indicator's responsible kinds (the policy, forums/permissions.py)."""

    assessment = models.ForeignKey(
        Assessment, verbose_name=_("penilaian"), on_delete=models.CASCADE, related_name="opd_assignments"
    )
    indicator = models.ForeignKey(
        "tatanan.Indicator", verbose_name=_("indikator"), on_delete=models.PROTECT, related_name="+"
    )
    opd = models.ForeignKey(
        "forums.Opd", verbose_name=_("OPD penanggung jawab"), on_delete=models.PROTECT, related_name="assignments"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("ditetapkan oleh"), on_delete=models.PROTECT, related_name="+"
    )
    assigned_at = models.DateTimeField(_("ditetapkan pada"))
    audit = HistoricalRecords(verbose_name=_("riwayat penugasan OPD"))

    class Meta:
        ordering = ["assessment", "indicator__sort_order"]
        verbose_name = _("penugasan OPD")
        verbose_name_plural = _("penugasan OPD")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "indicator"], name="assignment_unique_per_indicator")
        ]

    def __str__(self):
        return f"{self.indicator_id} -> {self.opd}"


class Participation(models.Model):
    """A kecamatan or desa/kelurahan the regency proposes for the cycle (the "usulan Swasti Saba").

    The FKK and Pokja indicators count their SKs, work plans and budgets against this list.
    """

    assessment = models.ForeignKey(
        Assessment, verbose_name=_("penilaian"), on_delete=models.CASCADE, related_name="participations"
    )
    region = models.ForeignKey(
        "forums.Region", verbose_name=_("wilayah"), on_delete=models.PROTECT, related_name="participations"
    )
    audit = HistoricalRecords(verbose_name=_("riwayat wilayah peserta"))

    class Meta:
        ordering = ["assessment", "region__code"]
        verbose_name = _("wilayah peserta")
        verbose_name_plural = _("wilayah peserta")
        constraints = [models.UniqueConstraint(fields=["assessment", "region"], name="participation_unique_region")]

    def __str__(self):
        return f"{self.assessment}: {self.region}"


class Funding(models.Model):
    """Pendanaan of one kind of KKS body in the assessment's data year: APBD, APBDes and other sources (Rp)."""

    assessment = models.ForeignKey(
        Assessment, verbose_name=_("penilaian"), on_delete=models.CASCADE, related_name="fundings"
    )
    body_kind = models.CharField(_("lembaga"), max_length=24, choices=BodyKind.choices)
    apbd = models.DecimalField(_("APBD (Rp)"), max_digits=16, decimal_places=2, null=True, blank=True)
    apbdes = models.DecimalField(_("APBDes (Rp)"), max_digits=16, decimal_places=2, null=True, blank=True)
    other = models.DecimalField(_("sumber lain (Rp)"), max_digits=16, decimal_places=2, null=True, blank=True)
    other_source = models.CharField(_("sumber lain"), max_length=120, blank=True)
    audit = HistoricalRecords(verbose_name=_("riwayat pendanaan"))

    class Meta:
        ordering = ["assessment", "pk"]
        verbose_name = _("pendanaan")
        verbose_name_plural = _("pendanaan")
        constraints = [models.UniqueConstraint(fields=["assessment", "body_kind"], name="funding_unique_body_kind")]

    def __str__(self):
        return f"{self.assessment}: {self.body_kind}"

    @property
    def total(self):
        return sum((v for v in (self.apbd, self.apbdes, self.other) if v is not None), start=0)


class Response(models.Model):
    """The answer of one regency to one indicator, with the score at each level.

    ``stage`` is the level currently responsible for the response and
    ``status`` its state at that level. Acceptance at kabupaten level moves the
    response to the provincial stage (status submitted), and so on; acceptance
    at the national stage is final. ``version`` is bumped by every write and is
    checked by reviews, so two reviewers cannot both win silently.
    """

    assessment = models.ForeignKey(
        Assessment, verbose_name=_("penilaian"), on_delete=models.CASCADE, related_name="responses"
    )
    indicator = models.ForeignKey(
        "tatanan.Indicator", verbose_name=_("indikator"), on_delete=models.PROTECT, related_name="responses"
    )
    value = models.PositiveSmallIntegerField(_("nilai mandiri"), null=True, blank=True)
    value_provincial = models.PositiveSmallIntegerField(_("nilai provinsi"), null=True, blank=True)
    value_national = models.PositiveSmallIntegerField(_("nilai pusat"), null=True, blank=True)
    achievement = LimitedTextField(_("capaian"), max_length=textlimits.ACHIEVEMENT, blank=True)
    achievement_previous = LimitedTextField(
        _("capaian tahun sebelumnya"), max_length=textlimits.ACHIEVEMENT, blank=True
    )
    explanation = LimitedTextField(_("penjelasan OPD"), max_length=textlimits.EXPLANATION, blank=True)
    stage = models.CharField(_("tingkat"), max_length=10, choices=Stage.choices, default=Stage.KABUPATEN)
    status = models.CharField(
        _("status"), max_length=20, choices=ResponseStatus.choices, default=ResponseStatus.DRAFT, db_index=True
    )
    revision_due = models.DateTimeField(_("batas perbaikan"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    # Every saved state with who and when (``history`` is the StatusChange relation).
    audit = HistoricalRecords(verbose_name=_("riwayat jawaban indikator"))

    class Meta:
        ordering = ["assessment", "indicator__sort_order"]
        verbose_name = _("jawaban indikator")
        verbose_name_plural = _("jawaban indikator")
        constraints = [models.UniqueConstraint(fields=["assessment", "indicator"], name="response_unique_indicator")]
        indexes = [models.Index(fields=["stage", "status"], name="response_stage_status")]

    def __str__(self):
        return f"{self.assessment} / {self.indicator.code}"


class ChangeKind(models.TextChoices):
    TRANSITION = "transition", _("Perubahan status")
    CORRECTION = "correction", _("Koreksi admin nasional")


class StatusChange(models.Model):
    """Append-only history of every state change of a response, and of every admin correction.

    A correction (kind ``correction``) changes no status: it records the national admin's change
    to an accepted response, with the reason in ``note`` and ``{field: [old, new]}`` in ``changes``.
    """

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="history")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(_("waktu"), auto_now_add=True, db_index=True)
    stage = models.CharField(_("tingkat"), max_length=10, choices=Stage.choices)
    from_status = models.CharField(_("dari"), max_length=20, choices=ResponseStatus.choices)
    to_status = models.CharField(_("ke"), max_length=20, choices=ResponseStatus.choices)
    value = models.PositiveSmallIntegerField(_("nilai"), null=True, blank=True)
    reason = models.ForeignKey(
        "RevisionReason", verbose_name=_("alasan"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = LimitedTextField(_("catatan"), max_length=textlimits.REVIEW_NOTE, blank=True)
    kind = models.CharField(_("jenis"), max_length=12, choices=ChangeKind.choices, default=ChangeKind.TRANSITION)
    changes = models.JSONField(_("perubahan"), default=dict, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("riwayat status")
        verbose_name_plural = _("riwayat status")

    def __str__(self):
        return f"{self.response_id}: {self.from_status} → {self.to_status}"


class RevisionReason(models.Model):
    """Catalogue of reasons for sending a response back."""

    code = models.SlugField(_("kode"), max_length=40, unique=True)
    label = models.CharField(_("alasan"), max_length=200)
    active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["label"]
        verbose_name = _("alasan perbaikan")
        verbose_name_plural = _("alasan perbaikan")

    def __str__(self):
        return self.label


class Comment(models.Model):
    """Append-only discussion thread on a response."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    body = LimitedTextField(_("komentar"), max_length=textlimits.COMMENT)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("komentar")
        verbose_name_plural = _("komentar")

    def __str__(self):
        return self.body[:60]


class ReviewNote(models.Model):
    """An internal note of a reviewer on a response: seen by the reviewers of its stage and above only.

    Kept apart from the comment thread (Comment), which the fillers read. Append-only.
    """

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="review_notes")
    stage = models.CharField(_("tingkat"), max_length=10, choices=Stage.choices)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    body = LimitedTextField(_("catatan internal"), max_length=textlimits.REVIEW_NOTE)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("catatan internal verifikator")
        verbose_name_plural = _("catatan internal verifikator")
        constraints = [models.CheckConstraint(condition=~models.Q(body=""), name="review_note_has_body")]

    def __str__(self):
        return self.body[:60]


def evidence_upload_to(instance, filename):
    # Random name; the original name is kept only in the database.
    return f"evidence/{instance.uploaded_at:%Y/%m}/{uuid.uuid4().hex}"


class Evidence(models.Model):
    """A piece of evidence for a response; its file content lives in versions."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="evidence")
    title = models.CharField(_("judul"), max_length=200)
    # One of the cycle's two data years (Cycle.data_year_previous or Cycle.data_year); services.evidence checks it.
    data_year = models.PositiveSmallIntegerField(
        _("tahun data"), help_text=_("Tahun capaian yang dibuktikan: salah satu dari dua tahun data siklus.")
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("ditarik"), null=True, blank=True)
    current = models.ForeignKey("EvidenceVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # Set when the evidence is a link to a document of the regency's library (services/library.py):
    # its versions then mirror the document's, and withdrawing it unlinks the document.
    document = models.ForeignKey(
        "Document",
        verbose_name=_("dokumen pustaka"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="links",
    )
    carried = models.BooleanField(
        _("dibawa dari siklus sebelumnya"),
        default=False,
        help_text=_("Ditautkan otomatis dari dokumen pustaka yang masih berlaku saat siklus baru dibuka."),
    )
    audit = HistoricalRecords(verbose_name=_("riwayat bukti dukung"))

    class Meta:
        ordering = ["response", "created_at", "pk"]
        verbose_name = _("bukti dukung")
        verbose_name_plural = _("bukti dukung")

    def __str__(self):
        return self.title


class EvidenceVersion(models.Model):
    """One uploaded file; never overwritten or deleted by the application."""

    evidence = models.ForeignKey(Evidence, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("versi"))
    file = models.FileField(_("berkas"), upload_to=evidence_upload_to, max_length=255)
    original_name = models.CharField(_("nama berkas"), max_length=255)
    content_type = models.CharField(_("jenis"), max_length=120)
    size = models.PositiveBigIntegerField(_("ukuran (bita)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(_("diunggah"))
    audit = HistoricalRecords(verbose_name=_("riwayat versi bukti dukung"))

    class Meta:
        ordering = ["evidence", "number"]
        verbose_name = _("versi bukti dukung")
        verbose_name_plural = _("versi bukti dukung")
        constraints = [models.UniqueConstraint(fields=["evidence", "number"], name="evidence_version_unique")]

    def __str__(self):
        return f"{self.original_name} (v{self.number})"


class PreviewStatus(models.TextChoices):
    PENDING = "pending", _("Sedang dibuat")
    READY = "ready", _("Siap")
    FAILED = "failed", _("Gagal dibuat")


def evidence_preview_upload_to(instance, filename):
    # Random name in the private storage, like the evidence itself.
    return f"previews/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.webp"


class EvidencePreview(models.Model):
    """A small image of an evidence version (a thumbnail, or the first page of a PDF), made in the background.

    Derived data: no history; remade from the file at any time (services/previews.py).
    """

    version = models.OneToOneField(EvidenceVersion, on_delete=models.CASCADE, related_name="preview")
    status = models.CharField(_("status"), max_length=10, choices=PreviewStatus.choices, default=PreviewStatus.PENDING)
    file = models.FileField(upload_to=evidence_preview_upload_to, blank=True, max_length=255)
    width = models.PositiveSmallIntegerField(null=True, blank=True)
    height = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.CharField(_("kesalahan"), max_length=300, blank=True)
    made_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("pratinjau bukti dukung")
        verbose_name_plural = _("pratinjau bukti dukung")

    def __str__(self):
        return f"{self.version} ({self.status})"


class DocumentKind(models.TextChoices):
    SK = "sk", _("SK")
    REGULATION = "perda", _("Perda/Perbup/Perwali")
    REPORT = "laporan", _("Laporan")
    PHOTO = "foto", _("Foto kegiatan")
    OTHER = "lainnya", _("Lainnya")


def document_upload_to(instance, filename):
    # Random name, as for evidence; the original name is kept only in the database.
    return f"library/{instance.uploaded_at:%Y/%m}/{uuid.uuid4().hex}"


class Document(models.Model):
    """A document of a regency's evidence library: uploaded once, linked to many responses, across cycles."""

    regency = models.ForeignKey(
        "forums.Region", verbose_name=_("kabupaten/kota"), on_delete=models.PROTECT, related_name="documents"
    )
    kind = models.CharField(_("jenis dokumen"), max_length=10, choices=DocumentKind.choices)
    title = models.CharField(_("judul"), max_length=200)
    number = models.CharField(_("nomor"), max_length=120, blank=True)
    issued_on = models.DateField(_("tanggal"), null=True, blank=True)
    signer = models.CharField(_("penanda tangan"), max_length=200, blank=True)
    valid_until = models.DateField(
        _("berlaku sampai"), null=True, blank=True, help_text=_("Kosongkan bila berlaku tanpa batas waktu.")
    )
    data_year = models.PositiveSmallIntegerField(_("tahun data"), null=True, blank=True)
    current = models.ForeignKey("DocumentVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    audit = HistoricalRecords(verbose_name=_("riwayat dokumen pustaka"))

    class Meta:
        ordering = ["regency", "-created_at", "-pk"]
        verbose_name = _("dokumen pustaka")
        verbose_name_plural = _("dokumen pustaka")

    def __str__(self):
        return self.title


class DocumentVersion(models.Model):
    """One uploaded file of a library document; never overwritten or deleted by the application."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("versi"))
    file = models.FileField(_("berkas"), upload_to=document_upload_to, max_length=255)
    original_name = models.CharField(_("nama berkas"), max_length=255)
    content_type = models.CharField(_("jenis"), max_length=120)
    size = models.PositiveBigIntegerField(_("ukuran (bita)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(_("diunggah"))
    audit = HistoricalRecords(verbose_name=_("riwayat versi dokumen pustaka"))

    class Meta:
        ordering = ["document", "number"]
        verbose_name = _("versi dokumen pustaka")
        verbose_name_plural = _("versi dokumen pustaka")
        constraints = [models.UniqueConstraint(fields=["document", "number"], name="document_version_unique")]

    def __str__(self):
        return f"{self.original_name} (v{self.number})"


class UploadSession(models.Model):
    """A resumable (tus) upload in progress or finished but not yet used by a form.

    ``target`` names what the file is for ("response:12", "evidence:3", "regency:7", "document:5"); it is
    checked against the policy when the upload is created and again when a form uses the file. The bytes
    live in a private folder (views/tus.py) until the form's view hands them to the usual checks and services.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    target = models.CharField(max_length=40)
    filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=120, blank=True)
    length = models.PositiveBigIntegerField()
    offset = models.PositiveBigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("unggahan bertahap")
        verbose_name_plural = _("unggahan bertahap")

    def __str__(self):
        return f"{self.filename} ({self.offset}/{self.length})"

    @property
    def complete(self) -> bool:
        return self.offset == self.length


class Notification(models.Model):
    """In-app inbox entry; e-mail is sent alongside by the service."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    verb = models.CharField(_("jenis"), max_length=40)
    message = models.TextField(_("pesan"))
    url = models.CharField(max_length=300, blank=True)
    response = models.ForeignKey(Response, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("dibaca"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notifikasi")
        verbose_name_plural = _("notifikasi")
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]

    def __str__(self):
        return self.message[:60]


class ReminderKind(models.TextChoices):
    FILL = "fill", _("Pengingat batas pengisian")
    FIX = "fix", _("Pengingat batas perbaikan")
    DIGEST = "digest", _("Ringkasan harian")


class SentReminder(models.Model):
    """A reminder or digest already sent: one per recipient, kind, deadline and days before it, never twice.

    For a digest ``deadline`` is the start of its day and ``days_before`` is 0.
    """

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("jenis"), max_length=10, choices=ReminderKind.choices)
    deadline = models.DateTimeField(_("batas waktu"))
    days_before = models.PositiveSmallIntegerField(_("hari sebelumnya"))
    sent_at = models.DateTimeField(_("dikirim"), auto_now_add=True)

    class Meta:
        verbose_name = _("pengingat terkirim")
        verbose_name_plural = _("pengingat terkirim")
        constraints = [
            models.UniqueConstraint(fields=["recipient", "kind", "deadline", "days_before"], name="sent_reminder_once")
        ]

    def __str__(self):
        return f"{self.kind} {self.deadline:%Y-%m-%d %H:%M} -{self.days_before}d"


class ReportJob(models.Model):
    """A PDF rendered in the background: a dossier of one assessment or a readiness report."""

    kind = models.CharField(_("jenis"), max_length=12, choices=ReportKind.choices)
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="report_jobs")
    assessment = models.ForeignKey(
        Assessment, null=True, blank=True, on_delete=models.CASCADE, related_name="report_jobs"
    )
    region = models.ForeignKey(
        "forums.Region",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="report_jobs",
        help_text=_("Provinsi untuk laporan kesiapan; kosong berarti nasional."),
    )
    include_appendix = models.BooleanField(_("lampirkan berkas PDF bukti"), default=False)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("kemajuan (%)"), default=0)
    error = models.TextField(_("kesalahan"), blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    file = models.FileField(upload_to="reports/%Y/%m/", blank=True, max_length=255)
    sha256 = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    # Stamped every few seconds while a worker renders (services/heartbeat.py); stale = the worker is gone.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("dokumen PDF")
        verbose_name_plural = _("dokumen PDF")

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk}"


class SipantasIndicator(models.Model):
    """Crosswalk: an indicator code of one framework version -> the SIPANTAS ``indikator_id``."""

    framework = models.ForeignKey(
        "tatanan.FrameworkVersion", verbose_name=_("kerangka"), on_delete=models.CASCADE, related_name="sipantas_ids"
    )
    indicator_code = models.CharField(_("kode indikator"), max_length=20)
    indikator_id = models.CharField(_("ID indikator SIPANTAS"), max_length=40)
    audit = HistoricalRecords(verbose_name=_("riwayat ID indikator SIPANTAS"))

    class Meta:
        ordering = ["framework", "indicator_code"]
        verbose_name = _("ID indikator SIPANTAS")
        verbose_name_plural = _("ID indikator SIPANTAS")
        constraints = [
            models.UniqueConstraint(fields=["framework", "indicator_code"], name="sipantas_indicator_unique_code"),
        ]

    def __str__(self):
        return f"{self.indicator_code} → {self.indikator_id}"


class SipantasRegency(models.Model):
    """Crosswalk: a kabupaten/kota (Kemendagri code) -> the SIPANTAS ``kabupaten_id``."""

    regency = models.OneToOneField(
        "forums.Region", verbose_name=_("kabupaten/kota"), on_delete=models.CASCADE, related_name="sipantas_id"
    )
    kabupaten_id = models.CharField(_("ID kabupaten SIPANTAS"), max_length=40)
    audit = HistoricalRecords(verbose_name=_("riwayat ID kabupaten SIPANTAS"))

    class Meta:
        ordering = ["regency__code"]
        verbose_name = _("ID kabupaten SIPANTAS")
        verbose_name_plural = _("ID kabupaten SIPANTAS")

    def __str__(self):
        return f"{self.regency} → {self.kabupaten_id}"
