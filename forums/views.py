"""Pages for KKS bodies (Tim Pembina, Forum, FKK, Pokja) and their members."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .permissions import bodies_visible_to


@login_required
def body_list(request):
    bodies = bodies_visible_to(request.user).select_related("region", "scope_region")
    return render(request, "forums/body_list.html", {"bodies": bodies})
