from django.urls import path

from . import import_views, views

app_name = "tatanan"

urlpatterns = [
    path("", views.framework_list, name="framework-list"),
    *import_views.urlpatterns,  # before "<slug:code>/": "impor/" is not a framework code
    path("<slug:code>/", views.framework_detail, name="framework-detail"),
    path("<slug:code>/tatanan/<int:number>/", views.tatanan_detail, name="tatanan-detail"),
    path("<slug:code>/kelembagaan/", views.kelembagaan_detail, name="kelembagaan-detail"),
]
