"""The reviewer's decision and the review-queue filter."""

from __future__ import annotations

from django import forms
from django.db.models import Case, IntegerField, Value, When
from django.utils.translation import gettext_lazy as _

from evaluations.models import Response, RevisionReason
from evaluations.selectors.queue import KELEMBAGAAN, QueueChoices
from evaluations.services.responses import ACCEPT, OTHER_REASON, REVISE, SCORE_FIELD
from forums.models import OpdKind, Region
from kks import textlimits

from .choices import PlainQueryChoiceField


def active_reasons():
    last = Case(When(code=OTHER_REASON, then=Value(1)), default=Value(0), output_field=IntegerField())
    return RevisionReason.objects.filter(active=True).order_by(last, "label")


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Keputusan"),
        choices=[(ACCEPT, _("Terima")), (REVISE, _("Kembalikan untuk perbaikan"))],
        widget=forms.RadioSelect,
    )
    value = forms.TypedChoiceField(
        label=_("Nilai"), coerce=int, empty_value=None, required=False, widget=forms.RadioSelect
    )
    reason = forms.ModelChoiceField(
        label=_("Alasan perbaikan"),
        queryset=RevisionReason.objects.none(),
        required=False,
        empty_label=_("— pilih alasan —"),
    )
    note = textlimits.TextAreaField(
        label=_("Catatan"),
        required=False,
        max_length=textlimits.REVIEW_NOTE,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Dibaca pengisi. Wajib bila dikembalikan: tuliskan apa yang perlu diperbaiki."),
    )
    internal_note = textlimits.TextAreaField(
        label=_("Catatan internal verifikator"),
        required=False,
        max_length=textlimits.REVIEW_NOTE,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Tidak dibaca pengisi; hanya verifikator tingkat ini dan di atasnya."),
    )
    confirm_no_evidence = forms.BooleanField(
        label=_("Saya tetap menerima walaupun belum ada bukti dukung"), required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, response: Response, **kwargs):
        initial = kwargs.setdefault("initial", {})
        initial.setdefault("version", response.version)
        super().__init__(*args, **kwargs)
        self.response = response
        self.fields["reason"].queryset = active_reasons()
        self.score_field = SCORE_FIELD.get(response.stage)
        if self.score_field is None:
            del self.fields["value"]
        else:
            self.fields["value"].label = Response._meta.get_field(self.score_field).verbose_name.capitalize()
            self.fields["value"].choices = [
                (o.value, f"{o.value} — {o.description}") for o in response.indicator.scale_options.all()
            ]
            current = getattr(response, self.score_field)
            self.fields["value"].initial = current if current is not None else response.value
        active = getattr(response, "active_evidence", None)  # set by selectors.fill.decorate
        has_evidence = bool(active) if active is not None else response.evidence.filter(withdrawn_at=None).exists()
        if has_evidence:
            del self.fields["confirm_no_evidence"]

    def clean(self):
        data = super().clean()
        decision = data.get("decision")
        if decision == REVISE and not data.get("reason"):
            self.add_error("reason", _("Pilih alasan perbaikan."))
        if decision == REVISE and not data.get("note", "").strip():
            self.add_error("note", _("Tuliskan catatan untuk pengisi: apa yang perlu diperbaiki."))
        if decision == ACCEPT and self.score_field and data.get("value") is None:
            self.add_error("value", _("Pilih nilai sebelum menerima."))
        return data


class QueueFilterForm(forms.Form):
    regency = PlainQueryChoiceField(
        label=_("Kabupaten/kota"), queryset=Region.objects.none(), required=False, empty_label=_("Semua")
    )
    tatanan = forms.ChoiceField(label=_("Tatanan"), required=False)
    opd = PlainQueryChoiceField(
        label=_("OPD penanggung jawab"), queryset=OpdKind.objects.none(), required=False, empty_label=_("Semua")
    )

    def __init__(self, *args, choices: QueueChoices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["regency"].queryset = choices.regencies
        self.fields["tatanan"].choices = [
            ("", _("Semua")),
            *((str(t.pk), f"{t} ({t.framework.year})") for t in choices.tatanan),
            (KELEMBAGAAN, _("Kelembagaan")),
        ]
        self.fields["opd"].queryset = choices.opd_kinds


class ReviewNoteForm(forms.Form):
    body = textlimits.TextAreaField(
        label=_("Tambah catatan internal"),
        max_length=textlimits.REVIEW_NOTE,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
