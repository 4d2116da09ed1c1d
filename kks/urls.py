from django.contrib import admin
from django.contrib.auth.views import LoginView
from django.urls import include, path

from forums.views.invitation import InvitationConfirmView

from . import views
from .forms import LoginForm

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("akun/login/", LoginView.as_view(authentication_form=LoginForm), name="login"),
    path("akun/undangan/<uidb64>/<token>/", InvitationConfirmView.as_view(), name="invitation-confirm"),
    path("akun/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("lembaga/", include("forums.urls")),
    path("pengguna/", include("forums.account_urls")),
    path("kerangka/", include("tatanan.urls")),
    path("", include("evaluations.urls")),
    path("admin/", admin.site.urls),
]
