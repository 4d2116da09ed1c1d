"""Forms of the framework pages: uploading a framework file, choosing the version to compare with."""

from __future__ import annotations

import os

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

EXTENSIONS = (".yaml", ".yml", ".json")


class FrameworkUploadForm(forms.Form):
    """One YAML or JSON file within KKS_FRAMEWORK_UPLOAD_MAX_BYTES; cleans ``file`` to (name, bytes).

    Only the size and the name are checked here; the content is checked by the loader's dry run.
    """

    file = forms.FileField(
        label=gettext_lazy("Berkas kerangka"),
        allow_empty_file=True,  # the dry run reports "the file is empty" as the command does
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(EXTENSIONS)}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "YAML (.yaml, .yml) atau JSON (.json), paling besar %(limit)s, dalam format docs/framework-format.md."
        ) % {"limit": filesizeformat(settings.KKS_FRAMEWORK_UPLOAD_MAX_BYTES)}

    def clean_file(self) -> tuple[str, bytes]:
        uploaded = self.cleaned_data["file"]
        limit = settings.KKS_FRAMEWORK_UPLOAD_MAX_BYTES
        if uploaded.size > limit:
            raise forms.ValidationError(
                _("Berkas terlalu besar (%(size)s); paling besar %(limit)s.")
                % {"size": filesizeformat(uploaded.size), "limit": filesizeformat(limit)},
                code="too_large",
            )
        name = os.path.basename(uploaded.name or "")
        if not name.lower().endswith(EXTENSIONS):
            raise forms.ValidationError(
                _("Pilih berkas .yaml, .yml atau .json."),
                code="extension",
            )
        uploaded.seek(0)
        return name, uploaded.read(limit + 1)


class CompareForm(forms.Form):
    """The published version the dry run compares the file with (GET, no writes)."""

    banding = forms.ChoiceField(
        label=gettext_lazy("Bandingkan dengan"), required=False, widget=forms.Select(attrs={"class": "form-select"})
    )

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["banding"].choices = [(f.code, f"{f.name} ({f.code})") for f in choices]
