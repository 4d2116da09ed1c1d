"""The one-time link of an invitation e-mail: the new user sets a password, then logs in."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import PasswordResetConfirmView
from django.urls import reverse_lazy
from django.utils.translation import gettext as _


class InvitationConfirmView(PasswordResetConfirmView):
    """Django's password-reset confirmation (token, SetPasswordForm) for invited accounts.

    The token depends on the password hash and the last login, so the link stops
    working once the password is set. Deactivated accounts get no valid link.
    """

    template_name = "registration/invitation_confirm.html"
    success_url = reverse_lazy("login")
    reset_url_token = "atur-sandi"  # noqa: S105 - a URL segment, not a secret

    def get_user(self, uidb64):
        user = super().get_user(uidb64)
        if user is not None and not user.is_active:
            return None
        return user

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(
            self.request,
            _("Kata sandi tersimpan. Silakan masuk dengan nama pengguna %(name)s.") % {"name": form.user.username},
        )
        return response
