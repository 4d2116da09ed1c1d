"""The evidence library: uploading a document and linking it to indicators."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from evaluations.models import Document, DocumentKind

from .files import CheckedFileField

_field = Document._meta.get_field


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Jenis dokumen"), choices=DocumentKind.choices)
    title = forms.CharField(
        label=_("Judul"),
        max_length=_field("title").max_length,
        required=False,
        help_text=_("Kosongkan untuk memakai nama berkas."),
    )
    number = forms.CharField(label=_("Nomor"), max_length=_field("number").max_length, required=False)
    issued_on = forms.DateField(label=_("Tanggal"), required=False, widget=DateInput())
    signer = forms.CharField(label=_("Penanda tangan"), max_length=_field("signer").max_length, required=False)
    valid_until = forms.DateField(
        label=_("Berlaku sampai"), required=False, widget=DateInput(), help_text=_field("valid_until").help_text
    )
    data_year = forms.IntegerField(label=_("Tahun data"), required=False, min_value=1990, max_value=2100)
    file = CheckedFileField(label=_("Berkas"))
    # From a fill card ("Pilih dari pustaka"): link the new document to that response at once.
    response = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        issued, until = data.get("issued_on"), data.get("valid_until")
        if issued and until and until < issued:
            self.add_error("valid_until", _("Tanggal berlaku tidak boleh sebelum tanggal dokumen."))
        return data


class DocumentReplaceForm(forms.Form):
    file = CheckedFileField(label=_("Versi baru"))
