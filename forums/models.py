"""Who and where: regions, OPD, KKS bodies with their SK, memberships and users."""

import os
import uuid

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kks import textlimits
from kks.audit import QuietHistoricalRecords
from kks.textlimits import LimitedTextField


class RegionLevel(models.TextChoices):
    PROVINCE = "provinsi", _("Provinsi")
    REGENCY = "kabkota", _("Kabupaten/Kota")
    DISTRICT = "kecamatan", _("Kecamatan")
    VILLAGE = "desa", _("Desa/Kelurahan")


class RegionKind(models.TextChoices):
    PROVINCE = "provinsi", _("Provinsi")
    KABUPATEN = "kabupaten", _("Kabupaten")
    KOTA = "kota", _("Kota")
    KECAMATAN = "kecamatan", _("Kecamatan")
    DESA = "desa", _("Desa")
    KELURAHAN = "kelurahan", _("Kelurahan")


class RegionQuerySet(models.QuerySet):
    def provinces(self):
        return self.filter(level=RegionLevel.PROVINCE)

    def regencies(self):
        return self.filter(level=RegionLevel.REGENCY)


class Region(models.Model):
    """An administrative region identified by its dotted Kemendagri code (e.g. 35.71)."""

    code = models.CharField(_("kode Kemendagri"), max_length=13, unique=True)
    name = models.CharField(_("nama"), max_length=120)
    level = models.CharField(_("tingkat"), max_length=10, choices=RegionLevel.choices, db_index=True)
    kind = models.CharField(_("jenis"), max_length=10, choices=RegionKind.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("induk"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    objects = RegionQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("wilayah")
        verbose_name_plural = _("wilayah")

    def __str__(self):
        return self.name

    @property
    def province_id(self):
        """The province this region sits in (itself for a province)."""
        if self.level == RegionLevel.PROVINCE:
            return self.pk
        if self.level == RegionLevel.REGENCY:
            return self.parent_id
        return None


class OpdKind(models.Model):
    """A kind of perangkat daerah (Dinas Kesehatan, Bappeda, ...), referenced by framework files."""

    code = models.SlugField(_("kode"), max_length=40, unique=True)
    name = models.CharField(_("nama"), max_length=160)

    class Meta:
        ordering = ["name"]
        verbose_name = _("jenis OPD")
        verbose_name_plural = _("jenis OPD")

    def __str__(self):
        return self.name


class Opd(models.Model):
    """An OPD/SKPD of one kabupaten/kota."""

    regency = models.ForeignKey(Region, verbose_name=_("kabupaten/kota"), on_delete=models.PROTECT, related_name="opds")
    # Several for a merged office ("Bappeda & PM" holds the kinds of both); it fills the indicators of each.
    kinds = models.ManyToManyField(OpdKind, verbose_name=_("jenis"), related_name="opds")
    name = models.CharField(_("nama"), max_length=200)
    short_name = models.CharField(_("singkatan"), max_length=40, blank=True)

    class Meta:
        ordering = ["regency", "name"]
        verbose_name = _("OPD/SKPD")
        verbose_name_plural = _("OPD/SKPD")
        constraints = [models.UniqueConstraint(fields=["regency", "name"], name="opd_unique_name_per_regency")]

    def __str__(self):
        return self.short_name or self.name


class Role(models.TextChoices):
    FORUM_COORDINATOR = "forum_coordinator", _("Koordinator Forum KKS")
    OPD_OFFICER = "opd_officer", _("Petugas OPD")
    HEALTH_REVIEWER = "health_reviewer", _("Reviewer Dinas Kesehatan")
    PROVINCIAL_OFFICIAL = "provincial_official", _("Tim Pembina Provinsi")
    NATIONAL_VERIFIER = "national_verifier", _("Verifikator Pusat")
    ADMIN = "admin", _("Administrator")


class Language(models.TextChoices):
    """The languages of the interface (settings.LANGUAGES); notifications are written in the recipient's."""

    ID = "id", "Bahasa Indonesia"
    EN = "en", "English"


class User(AbstractUser):
    """A person using the platform; their role and region decide what they may see and do."""

    role = models.CharField(_("peran"), max_length=24, choices=Role.choices, blank=True)
    region = models.ForeignKey(
        Region,
        verbose_name=_("wilayah tugas"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        help_text=_(
            "Kabupaten/kota untuk koordinator, petugas OPD dan reviewer kab/kota; provinsi untuk tingkat provinsi."
        ),
    )
    opd = models.ForeignKey(
        Opd, verbose_name=_("OPD"), null=True, blank=True, on_delete=models.SET_NULL, related_name="officers"
    )
    phone = models.CharField(_("telepon"), max_length=30, blank=True)
    # A reviewer limited to some tatanan (national teams split by ministry); empty = all. Matched by tatanan
    # number, so the choice carries over to the next framework version. Read by forums.permissions only.
    review_tatanan = models.ManyToManyField(
        "tatanan.Tatanan",
        verbose_name=_("tatanan yang diverifikasi"),
        blank=True,
        related_name="+",
        help_text=_("Kosong berarti semua tatanan. Bila diisi, verifikator hanya memutuskan indikator tatanan ini."),
    )
    language = models.CharField(
        _("bahasa"),
        max_length=8,
        choices=Language.choices,
        default=Language.ID,
        help_text=_("Bahasa notifikasi dan e-mail untuk pengguna ini."),
    )
    # The password hash and the last login are never copied into the history.
    audit = QuietHistoricalRecords(
        verbose_name=_("riwayat pengguna"), excluded_fields=["password", "last_login"], quiet_fields=["last_login"]
    )

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")

    def __str__(self):
        return self.get_full_name() or self.username


class BodyKind(models.TextChoices):
    TIM_PEMBINA_PROVINSI = "tim_pembina_provinsi", _("Tim Pembina Provinsi")
    TIM_PEMBINA = "tim_pembina", _("Tim Pembina Kabupaten/Kota")
    FORUM = "forum", _("Forum Kabupaten/Kota Sehat")
    FKK = "fkk", _("Forum Komunikasi Kecamatan")
    POKJA = "pokja", _("Pokja Desa/Kelurahan Sehat")


def sk_upload_to(instance, filename):
    """A random stored name; only the extension (already matched to the content) is kept."""
    ext = os.path.splitext(filename)[1].lower()[:6]
    return f"sk/{timezone.now():%Y}/{uuid.uuid4().hex}{ext}"


class Body(models.Model):
    """A KKS institution with its SK decree, work plan and budget."""

    kind = models.CharField(_("jenis"), max_length=24, choices=BodyKind.choices)
    name = models.CharField(_("nama"), max_length=200)
    region = models.ForeignKey(
        Region,
        verbose_name=_("wilayah"),
        on_delete=models.PROTECT,
        related_name="bodies",
        help_text=_("Provinsi, kabupaten/kota, kecamatan atau desa/kelurahan tempat lembaga ini bekerja."),
    )
    # The kabupaten/kota (or province for Tim Pembina Provinsi) used for access scoping.
    scope_region = models.ForeignKey(
        Region, verbose_name=_("wilayah lingkup"), on_delete=models.PROTECT, related_name="scoped_bodies"
    )
    sk_number = models.CharField(_("nomor SK"), max_length=120, blank=True)
    sk_date = models.DateField(_("tanggal SK"), null=True, blank=True)
    sk_signed_by = models.CharField(_("SK ditandatangani oleh"), max_length=160, blank=True)
    sk_valid_until = models.DateField(_("SK berlaku sampai"), null=True, blank=True)
    sk_file = models.FileField(_("berkas SK"), upload_to=sk_upload_to, blank=True)
    sk_file_name = models.CharField(_("nama berkas SK"), max_length=200, blank=True)
    sk_file_type = models.CharField(_("jenis berkas SK"), max_length=120, blank=True)
    work_plan = LimitedTextField(_("rencana kerja"), max_length=textlimits.WORK_PLAN, blank=True)
    work_plan_years = models.CharField(_("tahun rencana kerja"), max_length=40, blank=True)
    budget_amount = models.DecimalField(_("anggaran (Rp)"), max_digits=16, decimal_places=2, null=True, blank=True)
    budget_source = models.CharField(_("sumber anggaran"), max_length=120, blank=True)
    secretariat_address = LimitedTextField(_("alamat sekretariat"), max_length=textlimits.ADDRESS, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    audit = HistoricalRecords(verbose_name=_("riwayat lembaga"))

    class Meta:
        ordering = ["scope_region__code", "kind", "name"]
        verbose_name = _("lembaga")
        verbose_name_plural = _("lembaga")

    def __str__(self):
        return self.name


class MemberRole(models.TextChoices):
    KETUA = "ketua", _("Ketua")
    WAKIL_KETUA = "wakil_ketua", _("Wakil Ketua")
    SEKRETARIS = "sekretaris", _("Sekretaris")
    BENDAHARA = "bendahara", _("Bendahara")
    KOORDINATOR_TATANAN = "koordinator_tatanan", _("Koordinator Tatanan")
    ANGGOTA = "anggota", _("Anggota")


class Membership(models.Model):
    """A seat in a body for a period, held by a platform user or a named person."""

    body = models.ForeignKey(Body, verbose_name=_("lembaga"), on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        User, verbose_name=_("pengguna"), null=True, blank=True, on_delete=models.SET_NULL, related_name="memberships"
    )
    person_name = models.CharField(_("nama"), max_length=160, blank=True)
    position = models.CharField(_("jabatan/instansi"), max_length=200, blank=True)
    role = models.CharField(_("peran"), max_length=24, choices=MemberRole.choices, default=MemberRole.ANGGOTA)
    tatanan_name = models.CharField(_("tatanan yang dikoordinasi"), max_length=160, blank=True)
    period_start = models.DateField(_("mulai"), null=True, blank=True)
    period_end = models.DateField(_("selesai"), null=True, blank=True)
    audit = HistoricalRecords(verbose_name=_("riwayat keanggotaan"))

    class Meta:
        ordering = ["body", "role", "person_name"]
        verbose_name = _("keanggotaan")
        verbose_name_plural = _("keanggotaan")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(user__isnull=True, person_name=""), name="membership_has_person"
            ),
        ]

    def __str__(self):
        return f"{self.display_name} ({self.get_role_display()})"

    @property
    def display_name(self):
        return self.person_name or (str(self.user) if self.user_id else "")


class UserTransfer(models.Model):
    """A mutasi: ``successor`` took over the open work of ``predecessor``, who was deactivated."""

    predecessor = models.ForeignKey(
        User, verbose_name=_("pejabat lama"), on_delete=models.PROTECT, related_name="transfers_out"
    )
    successor = models.ForeignKey(
        User, verbose_name=_("pengganti"), on_delete=models.PROTECT, related_name="transfers_in"
    )
    actor = models.ForeignKey(
        User, verbose_name=_("dicatat oleh"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("waktu"), auto_now_add=True)
    reason = models.TextField(_("alasan"))
    memberships_moved = models.PositiveIntegerField(_("keanggotaan dialihkan"), default=0)
    notifications_moved = models.PositiveIntegerField(_("notifikasi dialihkan"), default=0)
    report_jobs_moved = models.PositiveIntegerField(_("permintaan laporan dialihkan"), default=0)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("mutasi pengguna")
        verbose_name_plural = _("mutasi pengguna")

    def __str__(self):
        return f"{self.predecessor} → {self.successor}"


class UserImport(models.Model):
    """A parsed bulk-import upload kept between its preview and its commit (raw cell values only)."""

    actor = models.ForeignKey(User, on_delete=models.CASCADE, related_name="user_imports")
    file_name = models.CharField(_("nama berkas"), max_length=200)
    rows = models.JSONField(_("baris"), default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    committed_at = models.DateTimeField(_("diimpor"), null=True, blank=True)
    created_usernames = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("impor pengguna")
        verbose_name_plural = _("impor pengguna")

    def __str__(self):
        return self.file_name
