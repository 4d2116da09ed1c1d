"""Forms of the programme pages: a cycle, the scope of an opening, a change of window."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from evaluations.selectors.cycles import parse_codes, regencies_by_codes
from evaluations.services.cycles import WINDOW_LABELS
from evaluations.services.cycles_admin import CYCLE_FIELDS, MAX_WINDOW_HOURS, WINDOW_KEYS
from forums.models import Region
from tatanan.models import FrameworkStatus, FrameworkVersion

from .choices import PlainQueryChoiceField

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format=DATETIME_LOCAL, **kwargs)


def _moment(label):
    return forms.DateTimeField(label=label, widget=DateTimeLocalInput(), input_formats=[DATETIME_LOCAL])


class CycleForm(forms.Form):
    """Name, year, data years, framework, the three windows and the revision window of a cycle."""

    name = forms.CharField(label=_("Nama siklus"), max_length=120, help_text=_("Misalnya: KKS 2027."))
    year = forms.IntegerField(label=_("Tahun siklus"), min_value=2000, max_value=2100)
    data_year_previous = forms.IntegerField(
        label=_("Tahun data N-1"),
        min_value=1990,
        max_value=2100,
        required=False,
        help_text=_("Kosongkan untuk tahun siklus dikurangi 2 (siklus 2025: data 2023)."),
    )
    data_year = forms.IntegerField(
        label=_("Tahun data N"),
        min_value=1990,
        max_value=2100,
        required=False,
        help_text=_("Kosongkan untuk tahun siklus dikurangi 1 (siklus 2025: data 2024)."),
    )
    framework = PlainQueryChoiceField(
        label=_("Versi kerangka"),
        queryset=FrameworkVersion.objects.none(),
        help_text=_("Hanya kerangka yang sudah terbit."),
    )
    self_assessment_opens = _moment(_("Penilaian mandiri dibuka"))
    self_assessment_closes = _moment(_("Penilaian mandiri ditutup"))
    provincial_opens = _moment(_("Verifikasi provinsi dibuka"))
    provincial_closes = _moment(_("Verifikasi provinsi ditutup"))
    national_opens = _moment(_("Verifikasi pusat dibuka"))
    national_closes = _moment(_("Verifikasi pusat ditutup"))
    response_window_hours = forms.IntegerField(
        label=_("Batas perbaikan (jam)"),
        min_value=1,
        max_value=MAX_WINDOW_HOURS,
        initial=168,
        help_text=_("Waktu untuk memperbaiki setelah dikembalikan, dalam jam: 48 untuk 2x24 jam, 168 untuk 7 hari."),
    )

    def __init__(self, *args, cycle=None, **kwargs):
        if cycle is not None:
            kwargs.setdefault("initial", {field: getattr(cycle, field) for field in CYCLE_FIELDS})
        else:
            year = timezone.localdate().year + 1
            kwargs.setdefault(
                "initial",
                {"year": year, "data_year_previous": year - 2, "data_year": year - 1, "response_window_hours": 168},
            )
        super().__init__(*args, **kwargs)
        published = FrameworkVersion.objects.filter(status=FrameworkStatus.PUBLISHED)
        if cycle is not None:  # keep showing its own framework
            published = published | FrameworkVersion.objects.filter(pk=cycle.framework_id)
        self.fields["framework"].queryset = published.order_by("-year", "code")

    def clean(self):
        data = super().clean()
        year = data.get("year")
        if year is not None:
            if data.get("data_year_previous") is None and "data_year_previous" not in self.errors:
                data["data_year_previous"] = year - 2
            if data.get("data_year") is None and "data_year" not in self.errors:
                data["data_year"] = year - 1
        return data

    def service_kwargs(self) -> dict:
        return {field: self.cleaned_data[field] for field in CYCLE_FIELDS}


ALL, PROVINCE, REGENCIES = "all", "province", "regencies"


class OpenScopeForm(forms.Form):
    """For whom a cycle is opened: every kabupaten/kota, those of one province, or those listed by code."""

    cakupan = forms.ChoiceField(
        label=_("Cakupan"),
        widget=forms.RadioSelect,
        initial=PROVINCE,
        choices=[
            (ALL, _("Semua kabupaten/kota")),
            (PROVINCE, _("Satu provinsi")),
            (REGENCIES, _("Kabupaten/kota tertentu (kode)")),
        ],
    )
    provinsi = PlainQueryChoiceField(
        label=_("Provinsi"),
        queryset=Region.objects.none(),
        required=False,
        empty_label=_("— pilih provinsi —"),
        help_text=_("Untuk cakupan satu provinsi."),
    )
    kode = forms.CharField(
        label=_("Kode kabupaten/kota"),
        required=False,
        max_length=6000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Untuk cakupan kabupaten/kota tertentu: kode Kemendagri dipisah koma atau baris, mis. 35.71, 35.72."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provinsi"].queryset = Region.objects.provinces().order_by("code")
        self.regencies = Region.objects.none()

    def clean(self):
        data = super().clean()
        scope = data.get("cakupan")
        if scope == ALL:
            self.regencies = Region.objects.regencies()
        elif scope == PROVINCE:
            province = data.get("provinsi")
            if province is None:
                self.add_error("provinsi", _("Pilih provinsinya."))
            else:
                self.regencies = Region.objects.regencies().filter(parent=province)
        elif scope == REGENCIES:
            codes = parse_codes(data.get("kode", ""))
            if not codes:
                self.add_error("kode", _("Tuliskan paling sedikit satu kode kabupaten/kota."))
            else:
                regencies, unknown = regencies_by_codes(codes)
                if unknown:
                    self.add_error(
                        "kode",
                        _("Kode berikut bukan kabupaten/kota yang dikenal: %(codes)s.") % {"codes": ", ".join(unknown)},
                    )
                else:
                    self.regencies = regencies
        return data

    def scope_label(self) -> str:
        scope = self.cleaned_data.get("cakupan")
        if scope == PROVINCE:
            return str(self.cleaned_data["provinsi"])
        return str(dict(self.fields["cakupan"].choices)[scope])


EXTEND, CLOSE_NOW = "extend", "close"


class WindowChangeForm(forms.Form):
    """Close a window now or give it a new closing time, with the reason recorded."""

    masa = forms.ChoiceField(label=_("Masa"), choices=[(k, WINDOW_LABELS[k]) for k in WINDOW_KEYS])
    tindakan = forms.ChoiceField(
        label=_("Tindakan"),
        widget=forms.RadioSelect,
        initial=EXTEND,
        choices=[(EXTEND, _("Ubah waktu tutup (perpanjang)")), (CLOSE_NOW, _("Tutup sekarang"))],
    )
    closes = forms.DateTimeField(
        label=_("Ditutup menjadi"),
        required=False,
        widget=DateTimeLocalInput(),
        input_formats=[DATETIME_LOCAL],
        help_text=_("Untuk perpanjangan: waktu tutup yang baru (WIB)."),
    )
    reason = forms.CharField(
        label=_("Alasan"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Tercatat dalam riwayat siklus."),
    )

    def clean(self):
        data = super().clean()
        if data.get("tindakan") == EXTEND and data.get("closes") is None and "closes" not in self.errors:
            self.add_error("closes", _("Isi waktu tutup yang baru."))
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        closes = timezone.now() if data["tindakan"] == CLOSE_NOW else data["closes"]
        return {"window": data["masa"], "closes": closes, "reason": data["reason"]}
