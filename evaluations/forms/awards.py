"""Forms of the award rules of a cycle, an official result, and the Wistara Paripurna data of an assessment."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from evaluations.choices import AwardBasis, AwardLevel
from evaluations.models import Cycle
from evaluations.selectors.award import POLICY_FIELDS
from evaluations.selectors.cycles import regencies_by_codes
from evaluations.services.awards import DECREE_MAX
from kks import textlimits
from kks.textlimits import TextAreaField
from tatanan.scoring import MAX_STREAK


def _threshold(label):
    return forms.DecimalField(label=label, min_value=0, max_value=100, max_digits=5, decimal_places=2, localize=True)


class AwardPolicyForm(forms.Form):
    award_band_basis = forms.ChoiceField(
        label=_("Dasar penilaian"),
        choices=AwardBasis.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Per tatanan: setiap tatanan harus mencapai nilai minimal tingkatnya (Juknis 2025, default). "
            "Rata-rata: cukup rata-rata nilai tatanan."
        ),
    )
    padapa_min_score = _threshold(_("Padapa: nilai minimal"))
    padapa_min_odf = _threshold(_("Padapa: desa/kelurahan ODF minimal (%)"))
    wiwerda_min_score = _threshold(_("Wiwerda: nilai minimal"))
    wiwerda_min_odf = _threshold(_("Wiwerda: desa/kelurahan ODF minimal (%)"))
    wistara_min_score = _threshold(_("Wistara: nilai minimal"))
    wistara_min_odf = _threshold(_("Wistara: desa/kelurahan ODF minimal (%)"))
    award_requires_kelembagaan = forms.BooleanField(
        label=_("Kelembagaan wajib lengkap untuk setiap tingkat"), required=False
    )
    paripurna_streak = forms.IntegerField(
        label=_("Wistara Paripurna: jumlah hasil resmi Wistara berturut-turut sebelumnya"),
        min_value=1,
        max_value=MAX_STREAK,
    )
    reason = forms.CharField(
        label=_("Alasan perubahan"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Tercatat dalam riwayat siklus, misalnya nomor Juknis."),
    )

    def __init__(self, *args, cycle: Cycle, **kwargs):
        kwargs.setdefault("initial", {field: getattr(cycle, field) for field in POLICY_FIELDS})
        super().__init__(*args, **kwargs)

    def service_kwargs(self) -> dict:
        return {field: self.cleaned_data[field] for field in (*POLICY_FIELDS, "reason")}


class OfficialResultForm(forms.Form):
    kode = forms.CharField(label=_("Kode kabupaten/kota"), max_length=20, help_text=_("Kode Kemendagri, mis. 35.71."))
    level = forms.ChoiceField(label=_("Tingkat penghargaan"), choices=AwardLevel.choices)
    awarded_on = forms.DateField(label=_("Tanggal penetapan"), widget=forms.DateInput(attrs={"type": "date"}))
    decree = forms.CharField(label=_("Nomor SK"), max_length=DECREE_MAX)

    def clean_kode(self):
        code = self.cleaned_data["kode"].strip()
        regencies, unknown = regencies_by_codes([code])
        if unknown or not regencies.exists():
            raise forms.ValidationError(_("Kode ini bukan kabupaten/kota yang dikenal."))
        self.regency = regencies.get()
        return code

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "regency": self.regency,
            "level": data["level"],
            "awarded_on": data["awarded_on"],
            "decree": data["decree"],
        }


class ParipurnaForm(forms.Form):
    ip_spm_met = forms.BooleanField(label=_("IP-SPM terpenuhi (6 layanan dasar)"), required=False)
    ip_spm_note = TextAreaField(
        label=_("Keterangan IP-SPM"),
        required=False,
        max_length=textlimits.ACHIEVEMENT,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Nilai indeks dan sumbernya."),
    )
    innovation_adopted = forms.BooleanField(label=_("Ada inovasi yang direplikasi daerah lain"), required=False)
    innovation_note = TextAreaField(
        label=_("Keterangan inovasi"),
        required=False,
        max_length=textlimits.ACHIEVEMENT,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Nama inovasi dan daerah yang mereplikasinya."),
    )
