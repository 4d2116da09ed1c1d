"""File fields that check uploads by content (kks.uploads.check_upload) during form validation."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kks.uploads import check_upload

ACCEPT = ".pdf,.jpg,.jpeg,.png,.docx,.xlsx"


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class CheckedFileField(forms.FileField):
    """One file; cleans to (file, CheckedUpload)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.FileInput(attrs={"accept": ACCEPT}))
        kwargs.setdefault("help_text", _("PDF, JPEG, PNG, DOCX atau XLSX."))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        uploaded = super().clean(data, initial)
        if not uploaded:
            return None
        return uploaded, check_upload(uploaded)


class MultipleCheckedFileField(forms.FileField):
    """Several files; cleans to a list of (file, CheckedUpload) and reports every bad file."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        kwargs.setdefault("help_text", _("Boleh lebih dari satu berkas: PDF, JPEG, PNG, DOCX atau XLSX."))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if not files:
            return super().clean(None, initial) or []
        result, errors = [], []
        for uploaded in files:
            try:
                uploaded = super().clean(uploaded, initial)
                result.append((uploaded, check_upload(uploaded)))
            except ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise ValidationError(errors)
        return result
