"""A person's own account page ("Akun saya"): who they are, and the language of their notifications."""

from __future__ import annotations

from contextlib import suppress

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from forums.models import Language
from forums.services.accounts import user_language_set

from . import apply_service_errors


class LanguageForm(forms.Form):
    language = forms.ChoiceField(
        label=gettext_lazy("Bahasa"),
        choices=Language.choices,
        help_text=gettext_lazy("Bahasa tampilan, notifikasi dan e-mail untuk Anda."),
    )


@login_required
def my_account(request):
    user = request.user
    form = LanguageForm(request.POST or None, initial={"language": user.language})
    if request.method == "POST" and form.is_valid():
        try:
            user_language_set(user=user, language=form.cleaned_data["language"], actor=user)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            translation.activate(user.language)
            messages.success(request, _("Bahasa disimpan."))
            response = redirect("my-account")
            # The pages follow the same choice (Django's language cookie, as the switch in the footer sets).
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                user.language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            )
            return response
    return render(request, "forums/my_account.html", {"form": form, "account": user})


@require_POST
def set_language(request):
    """The language switch of every page: Django's own view, and for a logged-in person also their stored
    choice, so their notifications and e-mails follow the language they read the pages in."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    user = request.user
    if user.is_authenticated and user.is_active and language != user.language:
        with suppress(ValidationError):  # an unknown code: Django's view has already ignored it
            user_language_set(user=user, language=language, actor=user)
    return response
