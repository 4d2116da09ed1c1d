"""Seats in a body: add, edit, end."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from forums import services
from forums.forms import MembershipEndForm, MembershipForm
from forums.models import Membership
from forums.permissions import bodies_visible_to, can_manage_body, get_for_user_or_404, memberships_visible_to

from . import apply_service_errors


def _can_manage_seat(user, membership) -> bool:
    return can_manage_body(user, membership.body)


def _visible_seat(request, pk):
    scope = memberships_visible_to(request.user).select_related("body", "body__scope_region", "user")
    return get_for_user_or_404(scope, check=_can_manage_seat, user=request.user, pk=pk)


@login_required
def membership_add(request, body_pk):
    body = get_for_user_or_404(bodies_visible_to(request.user), check=can_manage_body, user=request.user, pk=body_pk)
    form = MembershipForm(request.POST or None, instance=Membership(body=body), body=body)
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_add(body=body, actor=request.user, **form.service_kwargs())
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Anggota ditambahkan."))
            return redirect("forums:body-detail", pk=body.pk)
    return render(request, "forums/membership_form.html", {"form": form, "body": body})


@login_required
def membership_edit(request, pk):
    membership = _visible_seat(request, pk)
    body = membership.body
    form = MembershipForm(request.POST or None, instance=membership, body=body)
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_update(membership=membership, actor=request.user, **form.service_kwargs())
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Perubahan disimpan."))
            return redirect("forums:body-detail", pk=body.pk)
    return render(
        request,
        "forums/membership_form.html",
        {"form": form, "body": body, "membership": membership, "end_form": MembershipEndForm()},
    )


@login_required
@require_POST
def membership_end(request, pk):
    membership = _visible_seat(request, pk)
    form = MembershipEndForm(request.POST)
    end = form.cleaned_data["end"] if form.is_valid() else None
    try:
        services.membership_end(membership=membership, actor=request.user, end=end)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Keanggotaan %(name)s diakhiri.") % {"name": membership.display_name})
    return redirect("forums:body-detail", pk=membership.body_id)


urlpatterns = [
    path("<int:body_pk>/anggota/tambah/", membership_add, name="membership-add"),
    path("anggota/<int:pk>/ubah/", membership_edit, name="membership-edit"),
    path("anggota/<int:pk>/akhiri/", membership_end, name="membership-end"),
]
