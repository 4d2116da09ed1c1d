"""The indicator card form (fill) and the comment form."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from evaluations.models import Evidence, Response
from kks import textlimits

from .files import MultipleCheckedFileField

EVIDENCE_TITLE = Evidence._meta.get_field("title").max_length
SAVE = "save"
SUBMIT = "submit"


class ResponseForm(forms.Form):
    value = forms.TypedChoiceField(
        label=_("Nilai mandiri"), coerce=int, empty_value=None, required=False, widget=forms.RadioSelect
    )
    achievement = textlimits.TextAreaField(
        label=_("Capaian tahun penilaian"),
        required=False,
        max_length=textlimits.ACHIEVEMENT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    achievement_previous = textlimits.TextAreaField(
        label=_("Capaian tahun sebelumnya"),
        required=False,
        max_length=textlimits.ACHIEVEMENT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    explanation = textlimits.TextAreaField(
        label=_("Penjelasan OPD"),
        required=False,
        max_length=textlimits.EXPLANATION,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    evidence_title = forms.CharField(label=_("Judul bukti dukung baru"), required=False, max_length=EVIDENCE_TITLE)
    evidence_year = forms.TypedChoiceField(
        label=_("Tahun data bukti dukung baru"),
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("Bukti dukung berlaku untuk capaian tahun ini."),
    )
    evidence_files = MultipleCheckedFileField(label=_("Unggah bukti dukung"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, response: Response, **kwargs):
        kwargs.setdefault("prefix", f"r{response.pk}")
        kwargs.setdefault(
            "initial",
            {
                "value": response.value,
                "achievement": response.achievement,
                "achievement_previous": response.achievement_previous,
                "explanation": response.explanation,
                "evidence_year": response.assessment.cycle.data_year,
                "version": response.version,
            },
        )
        super().__init__(*args, **kwargs)
        self.response = response
        cycle = response.assessment.cycle
        # "Capaian 2024" / "Capaian 2023": the cycle's data year N and N-1.
        self.fields["achievement"].label = _("Capaian %(year)s") % {"year": cycle.data_year}
        self.fields["achievement_previous"].label = _("Capaian %(year)s") % {"year": cycle.data_year_previous}
        self.fields["evidence_year"].choices = [
            (cycle.data_year, str(cycle.data_year)),
            (cycle.data_year_previous, str(cycle.data_year_previous)),
        ]
        self.fields["value"].choices = [
            (o.value, f"{o.value} — {o.description}") for o in response.indicator.scale_options.all()
        ]

    def scale_choices(self) -> list[dict]:
        """The scale radios (value, label, id, checked) for the hand-written card markup."""
        bound = self["value"]
        current = bound.value()
        current = "" if current is None else str(current)
        return [
            {"value": value, "label": label, "id": f"{bound.auto_id}_{i}", "checked": str(value) == current}
            for i, (value, label) in enumerate(self.fields["value"].choices)
        ]

    def clean(self):
        cleaned = super().clean()
        if self.action == SUBMIT and cleaned.get("value") is None and "value" not in self.errors:
            # At the scale itself (the service's own check would put it at the top of the card).
            self.add_error(
                "value",
                _("Pilih nilai mandiri sebelum mengajukan indikator %(code)s.")
                % {"code": self.response.indicator.code},
            )
        if cleaned.get("evidence_title") and not cleaned.get("evidence_files") and "evidence_files" not in self.errors:
            # A title alone used to be dropped without a word.
            self.add_error("evidence_title", _("Pilih berkasnya juga, atau kosongkan judul ini."))
        return cleaned

    @property
    def action(self) -> str:
        return SUBMIT if self.data.get("action") == SUBMIT else SAVE

    def error_links(self) -> list[tuple[str, str, str]]:
        """(element id, field label, message) of every error, for the page's error summary."""
        links = []
        for name, errors in self.errors.items():
            if name == "__all__" or name not in self.fields:
                target, label = f"r{self.response.pk}", self.response.indicator.code
            else:
                bound = self[name]
                target = bound.auto_id if name != "value" else f"div_{bound.auto_id}"
                label = f"{self.response.indicator.code} · {bound.label}"
            links.extend((target, str(label), str(error)) for error in errors)
        return links

    def fill_data(self) -> dict:
        return {f: self.cleaned_data[f] for f in ("value", "achievement", "achievement_previous", "explanation")}


class CommentForm(forms.Form):
    body = textlimits.TextAreaField(
        label=_("Komentar baru"), max_length=textlimits.COMMENT, widget=forms.Textarea(attrs={"rows": 2})
    )
