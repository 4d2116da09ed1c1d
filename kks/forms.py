"""Project-level forms."""

from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

# Django's AuthenticationForm sets the username field's max_length after the field is built, so the
# MaxLengthValidator is never attached and a 300-character username reaches authenticate() and
# django-axes (a DataError on PostgreSQL's varchar(255)). Passwords have no bound at all.
LOGIN_USERNAME_MAX_LENGTH = 150  # forms.User.username
LOGIN_PASSWORD_MAX_LENGTH = 256


class BoundedLoginMixin:
    """Refuse over-long log-in input as a field error, before any authentication backend runs."""

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        for name, limit in (("username", LOGIN_USERNAME_MAX_LENGTH), ("password", LOGIN_PASSWORD_MAX_LENGTH)):
            field = self.fields[name]
            field.max_length = limit
            field.widget.attrs["maxlength"] = limit
            field.validators.append(MaxLengthValidator(limit))


class LoginForm(BoundedLoginMixin, AuthenticationForm):
    """Django's log-in form with clearer Bahasa Indonesia than its stock translation.

    Django's own Indonesian catalogue renders the failed-login message as "Masukkan nama pengguna nama pengguna
    dan sandi yang benar" (the field name is interpolated after an already translated "nama pengguna").
    """

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Nama pengguna atau kata sandi salah. Huruf besar/kecil berpengaruh."),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["password"].label = _("Kata sandi")


class AdminLoginForm(BoundedLoginMixin, AdminAuthenticationForm):
    """The admin's log-in form, bounded like ours."""
