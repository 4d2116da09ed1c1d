from django.contrib import admin
from django.contrib.auth.views import LoginView
from django.urls import include, path

from . import views
from .forms import LoginForm

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    # Browsers (and bookmarks, WhatsApp previews) ask for /favicon.ico whatever the page links.
    path("favicon.ico", views.favicon, name="favicon"),
    path("akun/login/", LoginView.as_view(authentication_form=LoginForm), name="login"),
    path("akun/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("lembaga/", include("forums.urls")),
    path("kerangka/", include("tatanan.urls")),
    path("", include("evaluations.urls")),
    path("admin/", admin.site.urls),
]
