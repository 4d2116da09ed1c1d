"""The audit page filter and the national admin's correction form."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from evaluations.models import Response
from evaluations.services.corrections import SCORE_FIELDS, TEXT_FIELDS


class AuditFilterForm(forms.Form):
    field = forms.ChoiceField(label=_("Kolom"), required=False)
    user = forms.TypedChoiceField(label=_("Pengguna"), coerce=int, empty_value=None, required=False)
    date_from = forms.DateField(label=_("Dari tanggal"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("Sampai tanggal"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, fields, users, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field"].choices = [("", _("Semua kolom")), *fields]
        self.fields["user"].choices = [("", _("Semua pengguna")), *users]


SCORE_LABELS = {
    "value": _("Nilai mandiri"),
    "value_provincial": _("Nilai provinsi"),
    "value_national": _("Nilai pusat"),
}
TEXT_LABELS = {
    "achievement": _("Capaian tahun penilaian"),
    "achievement_previous": _("Capaian tahun sebelumnya"),
    "explanation": _("Penjelasan OPD"),
}


class CorrectionForm(forms.Form):
    """The three scores and the texts of an accepted response, and the required reason."""

    reason = forms.CharField(
        label=_("Alasan koreksi"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Wajib. Ditampilkan bersama jawaban ini kepada semua yang dapat melihatnya."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, response: Response, **kwargs):
        initial = {f: getattr(response, f) for f in (*SCORE_FIELDS, *TEXT_FIELDS)}
        kwargs.setdefault("initial", {**initial, "version": response.version})
        super().__init__(*args, **kwargs)
        choices = [("", "—"), *((o.value, str(o.value)) for o in response.indicator.scale_options.all())]
        fields = {}
        for name in SCORE_FIELDS:
            fields[name] = forms.TypedChoiceField(
                label=SCORE_LABELS[name], choices=choices, coerce=int, empty_value=None, required=False
            )
        for name in TEXT_FIELDS:
            fields[name] = forms.CharField(
                label=TEXT_LABELS[name], required=False, widget=forms.Textarea(attrs={"rows": 3})
            )
        # "Capaian 2024" / "Capaian 2023", as on the fill and review pages: the cycle's data years N and N-1.
        cycle = response.assessment.cycle
        fields["achievement"].label = _("Capaian %(year)s") % {"year": cycle.data_year}
        fields["achievement_previous"].label = _("Capaian %(year)s") % {"year": cycle.data_year_previous}
        # Scores and texts first, the reason and the version last.
        self.fields = {**fields, **self.fields}

    def changes(self) -> dict:
        return {f: self.cleaned_data[f] for f in (*SCORE_FIELDS, *TEXT_FIELDS)}
