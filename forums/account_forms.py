"""Forms of the account pages; choices come from the access policy, the services check again."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Opd, Region, Role, User
from .permissions import regions_assignable_by, roles_assignable_by
from .services.accounts import AccountData


class RegionField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} {obj.name}"


class OpdField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        label = f"{obj.name} ({obj.short_name})" if obj.short_name else obj.name
        return f"{obj.regency.name}: {label}" if self.show_regency else label

    show_regency = False


def _role_choices(actor) -> list[tuple[str, str]]:
    allowed = roles_assignable_by(actor)
    return [(value, label) for value, label in Role.choices if value in allowed]


class UserFilterForm(forms.Form):
    q = forms.CharField(label=_("Cari"), required=False, max_length=100)
    role = forms.ChoiceField(label=_("Peran"), required=False)
    region = RegionField(
        label=_("Wilayah"),
        required=False,
        queryset=Region.objects.none(),
        empty_label=_("Semua"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("active", _("Aktif")), ("inactive", _("Nonaktif")), ("all", _("Semua"))],
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [("", _("Semua peran")), *_role_choices(actor)]
        self.fields["region"].queryset = regions_assignable_by(actor)


class AccountFieldsMixin(forms.Form):
    full_name = forms.CharField(label=_("Nama lengkap"), max_length=150)
    email = forms.EmailField(label=_("E-mail"), help_text=_("Undangan dan pemberitahuan dikirim ke alamat ini."))
    phone = forms.CharField(label=_("Telepon"), max_length=30, required=False)


class AccountForm(AccountFieldsMixin):
    """Create (with a username) or edit an account: role, region and OPD among what the actor may give."""

    username = forms.CharField(
        label=_("Nama pengguna"), max_length=150, help_text=_("Huruf, angka dan @ . + - _; tidak dapat diubah nanti.")
    )
    role = forms.ChoiceField(label=_("Peran"))
    region = RegionField(
        label=_("Wilayah tugas"),
        queryset=Region.objects.none(),
        required=False,
        help_text=_(
            "Kabupaten/kota untuk koordinator dan petugas OPD; provinsi untuk Tim Pembina Provinsi; "
            "provinsi atau kabupaten/kota untuk reviewer."
        ),
    )
    opd = OpdField(
        label=_("OPD"),
        queryset=Opd.objects.none(),
        required=False,
        help_text=_("Hanya untuk petugas OPD: OPD di kabupaten/kota wilayah tugasnya."),
    )

    field_order = ["username", "full_name", "email", "phone", "role", "region", "opd"]

    def __init__(self, *args, actor, instance: User | None = None, **kwargs):
        if instance is not None:
            kwargs.setdefault(
                "initial",
                {
                    "full_name": instance.get_full_name(),
                    "email": instance.email,
                    "phone": instance.phone,
                    "role": instance.role,
                    "region": instance.region_id,
                    "opd": instance.opd_id,
                },
            )
        super().__init__(*args, **kwargs)
        self.instance = instance
        if instance is not None:
            del self.fields["username"]
        self.fields["role"].choices = _role_choices(actor)
        regions = regions_assignable_by(actor)
        self.fields["region"].queryset = regions
        if regions.count() == 1:
            self.fields["region"].empty_label = None
        elif Role.NATIONAL_VERIFIER in roles_assignable_by(actor):
            self.fields["region"].empty_label = _("— tanpa wilayah (tingkat pusat) —")
        else:
            self.fields["region"].empty_label = _("— pilih wilayah —")
        if Role.OPD_OFFICER in roles_assignable_by(actor):
            opd_regions = regions_assignable_by(actor, Role.OPD_OFFICER)
            self.fields["opd"].queryset = Opd.objects.filter(regency__in=opd_regions).select_related("regency")
            self.fields["opd"].show_regency = opd_regions.count() > 1
        else:
            del self.fields["opd"]

    def account_data(self) -> AccountData:
        data = self.cleaned_data
        return AccountData(
            username=data.get("username") or (self.instance.username if self.instance else ""),
            full_name=data["full_name"],
            email=data["email"],
            phone=data.get("phone", ""),
            role=data["role"],
            region=data.get("region"),
            opd=data.get("opd"),
        )


class TransferForm(forms.Form):
    """A successor: an existing account of the same role, region and OPD, or a new one."""

    successor = forms.ModelChoiceField(
        label=_("Pengganti yang sudah memiliki akun"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("— buat akun baru di bawah —"),
    )
    username = forms.CharField(label=_("Nama pengguna baru"), max_length=150, required=False)
    full_name = forms.CharField(label=_("Nama lengkap"), max_length=150, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Telepon"), max_length=30, required=False)
    reason = forms.CharField(
        label=_("Alasan mutasi"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Misalnya nomor SK mutasi atau pensiun."),
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["successor"].queryset = candidates

    def clean(self):
        cleaned = super().clean()
        new = any(cleaned.get(name) for name in ("username", "full_name", "email"))
        if cleaned.get("successor") and new:
            self.add_error("successor", _("Pilih akun yang ada atau isi akun baru, tidak keduanya."))
        elif not cleaned.get("successor"):
            for name in ("username", "full_name", "email"):
                if not cleaned.get(name) and name not in self.errors:
                    self.add_error(name, _("Wajib diisi untuk akun pengganti baru."))
        return cleaned

    def new_successor(self, predecessor: User) -> AccountData | None:
        if self.cleaned_data.get("successor"):
            return None
        return AccountData(
            username=self.cleaned_data["username"],
            full_name=self.cleaned_data["full_name"],
            email=self.cleaned_data["email"],
            phone=self.cleaned_data.get("phone", ""),
            role=predecessor.role,
            region=predecessor.region,
            opd=predecessor.opd,
        )


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Berkas CSV atau XLSX"),
        help_text=_(
            "Baris judul: username, nama lengkap, email, telepon, peran, kode wilayah, singkatan OPD. "
            "Paling banyak 2.000 baris dan 2 MB."
        ),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
    )
