"""Replacing an evidence file."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .files import CheckedFileField


class EvidenceReplaceForm(forms.Form):
    file = CheckedFileField(label=_("Berkas pengganti"))
