"""The in-app notification inbox."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import path


@login_required
def inbox(request):
    notifications = request.user.notifications.all()[:100]
    return render(request, "evaluations/inbox.html", {"notifications": notifications})


urlpatterns = [
    path("kotak-masuk/", inbox, name="inbox"),
]
