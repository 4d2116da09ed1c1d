from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ApiToken

NAME_MAX = ApiToken._meta.get_field("name").max_length


class TokenCreateForm(forms.Form):
    name = forms.CharField(
        label=_("Nama token"),
        max_length=NAME_MAX,
        help_text=_("Untuk apa token ini, misalnya 'Sinkron SIPANTAS'."),
    )
