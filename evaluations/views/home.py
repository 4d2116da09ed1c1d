"""The home dashboard (at ``/``; kks/urls.py routes it): what is open for the user across the programme."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from evaluations.selectors import home_summary


@login_required
def home(request):
    return render(request, "home.html", home_summary(user=request.user))
