"""Project-level forms."""

from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
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
