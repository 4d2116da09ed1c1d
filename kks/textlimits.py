"""How long each free text a user writes may be, and one way to enforce it everywhere.

Limits follow the instrument: a capaian is a figure with a sentence or two, a penjelasan a few paragraphs,
the narrative and a work plan a page or so. Each limit is enforced three times over:
- in the model (``LimitedTextField``: ``max_length`` and a ``MaxLengthValidator``, so ``full_clean()``, the
  admin and any ModelForm or API built on the model refuse it; CharFields already carry theirs),
- in the forms (a form field's ``max_length``, which also renders ``maxlength`` for the counter,
  static/js/charcount.js),
- in the services that take raw data (``check_lengths``), so no caller can store more than the form allows.

This module imports nothing from the apps, so every app can use it.
"""

from __future__ import annotations

from collections.abc import Iterable

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.formats import number_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _

ACHIEVEMENT = 1_000  # Response.achievement, achievement_previous (capaian)
EXPLANATION = 5_000  # Response.explanation (penjelasan OPD)
NARRATIVE = 10_000  # Assessment.narrative
REVIEW_NOTE = 4_000  # StatusChange.note (the reviewer's note)
COMMENT = 4_000  # Comment.body
WORK_PLAN = 10_000  # Body.work_plan
ADDRESS = 500  # Body.secretariat_address


def LimitedTextField(verbose_name, *, max_length: int, **kwargs) -> models.TextField:
    """A TextField that refuses more than ``max_length`` characters in validation, not only in forms."""
    return models.TextField(verbose_name, max_length=max_length, validators=[MaxLengthValidator(max_length)], **kwargs)


class TextAreaField(forms.CharField):
    """A form field for long text: a textarea, with browsers' CRLF line breaks counted as one character.

    A browser's ``maxlength`` (and the counter) count a line break as one character but submit it as two;
    without this a text the browser accepted could be refused by the server for its line breaks.
    """

    widget = forms.Textarea

    def to_python(self, value):
        if isinstance(value, str):
            value = value.replace("\r\n", "\n")
        return super().to_python(value)


def too_long_message(label, length: int, limit: int) -> str:
    return _("%(field)s terlalu panjang: %(length)s karakter, paling banyak %(limit)s.") % {
        "field": capfirst(label),
        "length": number_format(length, force_grouping=True),
        "limit": number_format(limit, force_grouping=True),
    }


def length_errors(instance: models.Model, fields: Iterable[str]) -> dict[str, str]:
    """For each of ``fields`` whose text is over its model field's max_length, the message to show."""
    errors = {}
    for name in fields:
        field = instance._meta.get_field(name)
        value = getattr(instance, name)
        limit = getattr(field, "max_length", None)
        if limit and isinstance(value, str) and len(value) > limit:
            errors[name] = too_long_message(field.verbose_name, len(value), limit)
    return errors


def check_lengths(instance: models.Model, fields: Iterable[str]) -> None:
    """Raise a ValidationError keyed by field when any of ``fields`` is over its limit."""
    errors = length_errors(instance, fields)
    if errors:
        raise ValidationError(errors)
