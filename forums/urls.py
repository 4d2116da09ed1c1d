from django.urls import path

from . import views

app_name = "forums"

urlpatterns = [
    path("", views.body_list, name="body-list"),
]
