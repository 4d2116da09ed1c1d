"""A model choice field that reads its choices with a plain query, not a server-side cursor."""

from __future__ import annotations

from django import forms
from django.forms.models import ModelChoiceIterator


class PlainQueryChoiceIterator(ModelChoiceIterator):
    """Iterate the queryset itself (one ordinary query, cached on the queryset) instead of ``.iterator()``.

    On PostgreSQL ``.iterator()`` opens a server-side cursor, and cursors are planned for their first rows
    (``cursor_tuple_fraction``): for choices filtered by a subquery over the responses this picked plans of
    20-40 ms on the national data set where the ordinary query takes 2-3 ms.
    """

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:
            yield self.choice(obj)


class PlainQueryChoiceField(forms.ModelChoiceField):
    iterator = PlainQueryChoiceIterator
