"""Read-only pages for browsing framework versions."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import render

from .models import FrameworkVersion


@login_required
def framework_list(request):
    frameworks = FrameworkVersion.objects.annotate(n_tatanan=Count("tatanan", distinct=True))
    return render(request, "tatanan/framework_list.html", {"frameworks": frameworks})
