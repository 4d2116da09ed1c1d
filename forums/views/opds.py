"""OPD/SKPD of each kabupaten/kota: list, add, edit."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from forums import selectors, services
from forums.forms import OpdForm
from forums.permissions import can_manage_opds, get_for_user_or_404, opds_visible_to, regencies_visible_to

from . import apply_service_errors


@login_required
def opd_index(request):
    """The kabupaten/kota whose OPD the user may see, with their counts."""
    page = Paginator(selectors.opd_regencies(request.user), 50).get_page(request.GET.get("page"))
    return render(request, "forums/opd_index.html", {"page": page})


@login_required
def opd_list(request, regency_pk):
    regency = get_for_user_or_404(regencies_visible_to(request.user).select_related("parent"), pk=regency_pk)
    return render(
        request,
        "forums/opd_list.html",
        {
            "regency": regency,
            "opds": selectors.opd_list(request.user, regency),
            "can_manage": can_manage_opds(request.user, regency),
        },
    )


@login_required
def opd_create(request, regency_pk):
    regency = get_for_user_or_404(
        regencies_visible_to(request.user), check=can_manage_opds, user=request.user, pk=regency_pk
    )
    form = OpdForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            opd = services.opd_create(regency=regency, actor=request.user, **form.service_kwargs())
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("OPD %(name)s ditambahkan.") % {"name": opd.name})
            return redirect("forums:opd-list", regency_pk=regency.pk)
    return render(request, "forums/opd_form.html", {"form": form, "regency": regency})


def _can_manage_opd(user, opd) -> bool:
    return can_manage_opds(user, opd.regency)


@login_required
def opd_edit(request, pk):
    opd = get_for_user_or_404(
        opds_visible_to(request.user).select_related("regency"), check=_can_manage_opd, user=request.user, pk=pk
    )
    form = OpdForm(request.POST or None, instance=opd)
    if request.method == "POST" and form.is_valid():
        try:
            services.opd_update(opd=opd, actor=request.user, **form.service_kwargs())
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Perubahan disimpan."))
            return redirect("forums:opd-list", regency_pk=opd.regency_id)
    return render(request, "forums/opd_form.html", {"form": form, "regency": opd.regency, "opd": opd})


urlpatterns = [
    path("opd/", opd_index, name="opd-index"),
    path("opd/<int:regency_pk>/", opd_list, name="opd-list"),
    path("opd/<int:regency_pk>/tambah/", opd_create, name="opd-create"),
    path("opd/ubah/<int:pk>/", opd_edit, name="opd-edit"),
]
