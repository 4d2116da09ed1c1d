"""Forms of the forums pages; the services do the checks that need the database."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kks.textlimits import TextAreaField

from .models import Body, BodyKind, Membership, Opd, OpdKind, Region, RegionLevel
from .selectors import body_region_choices, eligible_member_users
from .services.bodies import BODY_FIELDS, KIND_LEVELS, MEMBERSHIP_FIELDS


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class RegionChoiceField(forms.ModelChoiceField):
    """Regions labelled with their kind, kecamatan and desa indented under their regency."""

    def label_from_instance(self, obj):
        if obj.level in (RegionLevel.PROVINCE, RegionLevel.REGENCY):
            return obj.name
        indent = "\u2003" if obj.level == RegionLevel.DISTRICT else "\u2003\u2003"
        return f"{indent}{obj.get_kind_display()} {obj.name}"


class BodyFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Jenis"),
        required=False,
        choices=[("", _("Semua jenis")), *BodyKind.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    region = RegionChoiceField(
        label=_("Wilayah"),
        required=False,
        queryset=Region.objects.none(),
        empty_label=_("Semua wilayah"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args, regions=None, **kwargs):
        super().__init__(*args, **kwargs)
        if regions is not None:
            self.fields["region"].queryset = regions


class BodyForm(forms.ModelForm):
    """Details of a body; the SK file is checked by content in the service."""

    sk_upload = forms.FileField(
        label=_("Berkas SK"),
        required=False,
        help_text=_("PDF, JPEG atau PNG hasil pindai SK yang sudah ditandatangani."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"}),
    )

    class Meta:
        model = Body
        fields = ("kind", "region", *BODY_FIELDS)
        field_classes = {
            "region": RegionChoiceField,
            "work_plan": TextAreaField,
            "secretariat_address": TextAreaField,
        }
        widgets = {
            "sk_date": DateInput(),
            "sk_valid_until": DateInput(),
            "work_plan": forms.Textarea(attrs={"rows": 4}),
            "secretariat_address": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "region": _(
                "Tim Pembina dan Forum: kabupaten/kota; Forum Komunikasi Kecamatan: kecamatan; Pokja: desa/kelurahan."
            ),
            "work_plan_years": _("Misalnya 2025 atau 2025–2026."),
        }

    def __init__(self, *args, scope_region: Region, **kwargs):
        super().__init__(*args, **kwargs)
        provincial = scope_region.level == RegionLevel.PROVINCE
        self.fields["kind"].choices = [
            (kind, label)
            for kind, label in BodyKind.choices
            if (KIND_LEVELS[kind] == RegionLevel.PROVINCE) == provincial
        ]
        self.fields["region"].queryset = body_region_choices(scope_region)
        self.fields["region"].empty_label = None
        if not self.instance.pk:
            self.fields["region"].initial = scope_region.pk

    def service_kwargs(self) -> dict:
        data = {name: self.cleaned_data[name] for name in ("kind", "region", *BODY_FIELDS)}
        data["sk_file"] = self.cleaned_data.get("sk_upload") or None
        return data


class MembershipForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = MEMBERSHIP_FIELDS
        widgets = {"period_start": DateInput(), "period_end": DateInput()}
        labels = {"user": _("Pengguna platform (opsional)")}
        help_texts = {
            "person_name": _("Nama anggota; boleh kosong bila memilih pengguna platform."),
            "tatanan_name": _("Diisi untuk koordinator tatanan."),
        }

    def __init__(self, *args, body: Body, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = eligible_member_users(body)

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("user") and not (cleaned.get("person_name") or "").strip():
            self.add_error("person_name", _("Isi nama anggota atau pilih pengguna."))
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("Akhir masa keanggotaan tidak boleh sebelum awalnya."))
        return cleaned

    def service_kwargs(self) -> dict:
        return {name: self.cleaned_data[name] for name in MEMBERSHIP_FIELDS}


class MembershipEndForm(forms.Form):
    end = forms.DateField(label=_("Berakhir pada"), required=False, widget=DateInput(attrs={"class": "form-control"}))


class OpdForm(forms.ModelForm):
    class Meta:
        model = Opd
        fields = ("name", "short_name", "kinds")
        widgets = {"kinds": forms.CheckboxSelectMultiple}
        help_texts = {
            "name": _("Nama lengkap, misalnya Dinas Kesehatan Kota Kediri."),
            "short_name": _("Misalnya Dinkes atau Bappeda."),
            "kinds": _(
                "Jenis menentukan indikator yang menjadi tanggung jawab OPD ini; dinas gabungan (misalnya "
                "Bappeda & PM) memilih semua jenisnya."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kinds"].queryset = OpdKind.objects.order_by("name")

    def service_kwargs(self) -> dict:
        return {name: self.cleaned_data[name] for name in ("name", "short_name", "kinds")}
