from django.contrib import admin
from django.contrib.auth.views import LoginView, PasswordResetView
from django.urls import include, path

from api.v1 import api as api_v1
from evaluations.views.home import home
from forums.views.invitation import InvitationConfirmView
from forums.views.profile import my_account, set_language

from . import views
from .forms import AdminLoginForm, LoginForm
from .ratelimit import LOGIN_RULES, PASSWORD_RESET_RULES, rate_limited

admin.site.login_form = AdminLoginForm

urlpatterns = [
    path("", home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    # Browsers (and bookmarks, WhatsApp previews) ask for /favicon.ico whatever the page links.
    path("favicon.ico", views.favicon, name="favicon"),
    path(
        "akun/login/",
        rate_limited("login", *LOGIN_RULES)(LoginView.as_view(authentication_form=LoginForm)),
        name="login",
    ),
    path(
        "akun/password_reset/",
        rate_limited("password-reset", *PASSWORD_RESET_RULES)(PasswordResetView.as_view()),
        name="password_reset",
    ),
    path("akun/undangan/<uidb64>/<token>/", InvitationConfirmView.as_view(), name="invitation-confirm"),
    path("akun/token-api/", include("api.urls")),
    path("akun/saya/", my_account, name="my-account"),
    path("akun/", include("django.contrib.auth.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("lembaga/", include("forums.urls")),
    path("pengguna/", include("forums.account_urls")),
    path("kerangka/", include("tatanan.urls")),
    path("api/v1/", api_v1.urls),
    path("", include("evaluations.urls")),
    path("admin/login/", rate_limited("login", *LOGIN_RULES)(admin.site.login), name="admin-login"),
    path("admin/", admin.site.urls),
]
