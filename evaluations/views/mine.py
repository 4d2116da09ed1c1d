""" "Indikator saya": one page for a filler across every tatanan, with what is open, sent back and due."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _

from evaluations.selectors.mine import is_filler, work_of


@login_required
def my_indicators(request):
    if not is_filler(request.user):
        raise PermissionDenied
    works = work_of(user=request.user, kelembagaan_label=_("Kelembagaan"))
    return render(request, "evaluations/mine.html", {"works": works})


urlpatterns = [path("indikator-saya/", my_indicators, name="my-indicators")]
