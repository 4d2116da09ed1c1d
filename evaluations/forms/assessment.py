"""General data of an assessment: ODF figures and the narrative."""

from django import forms
from django.utils.translation import gettext_lazy as _

from evaluations.models import Assessment
from kks.textlimits import TextAreaField


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
