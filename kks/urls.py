from django.contrib import admin
from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("akun/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("lembaga/", include("forums.urls")),
    path("kerangka/", include("tatanan.urls")),
    path("", include("evaluations.urls")),
    path("admin/", admin.site.urls),
]
