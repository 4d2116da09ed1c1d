from django.urls import path

from . import views

app_name = "tatanan"

urlpatterns = [
    path("", views.framework_list, name="framework-list"),
]
