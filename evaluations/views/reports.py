"""Readiness reports for provinces and the nation."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import path

from forums.permissions import get_for_user_or_404, provinces_visible_to


@login_required
def province_report(request, pk):
    province = get_for_user_or_404(provinces_visible_to(request.user), pk=pk)
    return render(request, "evaluations/province_report.html", {"province": province})


urlpatterns = [
    path("laporan/provinsi/<int:pk>/", province_report, name="province-report"),
]
