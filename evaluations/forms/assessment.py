"""General data of an assessment: ODF figures and the narrative; the Data Umum page."""

from django import forms
from django.utils.translation import gettext_lazy as _

from evaluations.models import Assessment, Funding
from evaluations.selectors.general_data import (
    FUNDED_BODY_KINDS,
    districts_of,
    participation_ids,
    villages_of,
)
from evaluations.services.general_data import FundingInput
from forums.models import Region
from kks import textlimits
from kks.textlimits import TextAreaField

FUNDING_PARTS = (("apbd", _("APBD (Rp)")), ("apbdes", _("APBDes (Rp)")), ("other", _("Sumber lain (Rp)")))


class AssessmentGeneralForm(forms.ModelForm):
    class Meta:
        model = Assessment
        fields = ["odf_kecamatan_count", "odf_village_count", "odf_stop_babs_count", "narrative"]
        field_classes = {"narrative": TextAreaField}
        widgets = {"narrative": forms.Textarea(attrs={"rows": 5})}

    def clean(self):
        data = super().clean()
        villages, stop_babs = data.get("odf_village_count"), data.get("odf_stop_babs_count")
        if villages is not None and stop_babs is not None and stop_babs > villages:
            self.add_error(
                "odf_stop_babs_count",
                _("Jumlah desa/kelurahan stop BABS tidak boleh melebihi jumlah desa/kelurahan."),
            )
        return data


class ParticipationField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj):
        return obj.name


class GeneralDataForm(forms.Form):
    """Data Umum: the heads, the office, the kecamatan and desa/kelurahan proposed, pendanaan per body kind."""

    head_name = forms.CharField(label=_("Nama Bupati/Walikota"), max_length=160, required=False)
    forum_chair_name = forms.CharField(label=_("Nama ketua Forum KKS"), max_length=160, required=False)
    office_address = TextAreaField(
        label=_("Alamat kantor Forum KKS"),
        max_length=textlimits.ADDRESS,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    districts = ParticipationField(label=_("Kecamatan yang diusulkan"), queryset=Region.objects.none(), required=False)
    villages = ParticipationField(
        label=_("Desa/kelurahan yang diusulkan"), queryset=Region.objects.none(), required=False
    )

    def __init__(self, *args, assessment: Assessment, **kwargs):
        super().__init__(*args, **kwargs)
        self.assessment = assessment
        self.fields["districts"].queryset = districts_of(assessment.regency).order_by("code")
        self.fields["villages"].queryset = villages_of(assessment.regency).order_by("code")
        for kind in FUNDED_BODY_KINDS:
            for name, label in FUNDING_PARTS:
                self.fields[f"{kind}_{name}"] = forms.DecimalField(
                    label=f"{kind.label} · {label}", required=False, min_value=0, max_digits=16, decimal_places=2
                )
            self.fields[f"{kind}_other_source"] = forms.CharField(
                label=f"{kind.label} · {_('Nama sumber lain')}", required=False, max_length=120
            )
        if not self.is_bound:
            self.initial.update(
                head_name=assessment.head_name,
                forum_chair_name=assessment.forum_chair_name,
                office_address=assessment.office_address,
            )
            chosen = participation_ids(assessment)
            self.initial["districts"] = list(chosen)
            self.initial["villages"] = list(chosen)
            for f in Funding.objects.filter(assessment=assessment):
                for name in ("apbd", "apbdes", "other", "other_source"):
                    self.initial[f"{f.body_kind}_{name}"] = getattr(f, name)

    def funding_rows(self):
        """(label, [bound fields]) per body kind, for the table of the template."""
        return [
            (kind.label, [self[f"{kind}_{name}"] for name in ("apbd", "apbdes", "other", "other_source")])
            for kind in FUNDED_BODY_KINDS
        ]

    def village_groups(self):
        """The desa/kelurahan checkboxes grouped by kecamatan: (kecamatan name, [checkbox subwidgets])."""
        parents = dict(self.fields["villages"].queryset.values_list("pk", "parent__name"))
        groups: dict[str, list] = {}
        for widget in self["villages"]:
            groups.setdefault(parents.get(int(str(widget.data["value"])), ""), []).append(widget)
        return list(groups.items())

    def fundings(self) -> dict[str, FundingInput]:
        data = self.cleaned_data
        return {
            str(kind): FundingInput(
                apbd=data.get(f"{kind}_apbd"),
                apbdes=data.get(f"{kind}_apbdes"),
                other=data.get(f"{kind}_other"),
                other_source=data.get(f"{kind}_other_source") or "",
            )
            for kind in FUNDED_BODY_KINDS
        }
