"""One choice of OPD per indicator: an OPD of the regency, or empty for the OPD of the indicator's kinds."""

from django import forms
from django.utils.translation import gettext_lazy as _

from forums.models import Opd


def field_name(indicator_id: int) -> str:
    return f"opd_{indicator_id}"


class AssignmentForm(forms.Form):
    def __init__(self, *args, rows, opds: list[Opd], **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        choices = Opd.objects.filter(pk__in=[o.pk for o in opds]).order_by("name")
        for row in rows:
            self.fields[field_name(row.indicator.pk)] = forms.ModelChoiceField(
                queryset=choices,
                required=False,
                empty_label=_("— menurut jenis OPD —"),
                label=row.indicator.code,
                initial=row.assigned.pk if row.assigned else None,
                widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
            )

    def choices_by_indicator(self) -> dict[int, Opd | None]:
        return {row.indicator.pk: self.cleaned_data[field_name(row.indicator.pk)] for row in self.rows}

    def bound_rows(self):
        """(row, bound field) pairs for the template."""
        return [(row, self[field_name(row.indicator.pk)]) for row in self.rows]
