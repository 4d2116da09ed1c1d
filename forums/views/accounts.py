"""Account pages: list, invite, edit, deactivate/reactivate, resend the invitation, transfer (mutasi)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from forums.account_forms import AccountForm, TransferForm, UserFilterForm
from forums.permissions import can_manage_accounts, can_manage_user, get_for_user_or_404, users_visible_to
from forums.services import accounts as services

from . import apply_service_errors


def _require_manager(request) -> None:
    if not can_manage_accounts(request.user):
        raise PermissionDenied


def _managed(request, pk):
    return get_for_user_or_404(
        users_visible_to(request.user).select_related("region", "opd"), check=can_manage_user, user=request.user, pk=pk
    )


@login_required
def user_list(request):
    _require_manager(request)
    form = UserFilterForm(request.GET or None, actor=request.user)
    users = users_visible_to(request.user).select_related("region", "opd").order_by("region__code", "role", "username")
    status = "active"
    if form.is_valid():
        data = form.cleaned_data
        status = data["status"] or "active"
        if data["q"]:
            q = data["q"]
            users = users.filter(
                Q(username__icontains=q)
                | Q(first_name__icontains=q)
                | Q(last_name__icontains=q)
                | Q(email__icontains=q)
            )
        if data["role"]:
            users = users.filter(role=data["role"])
        if data["region"]:
            users = users.filter(Q(region=data["region"]) | Q(region__parent=data["region"]))
    if status == "active":
        users = users.filter(is_active=True)
    elif status == "inactive":
        users = users.filter(is_active=False)
    page = Paginator(users, 50).get_page(request.GET.get("page"))
    query = urlencode({k: v for k, v in request.GET.items() if k != "page" and v})
    return render(request, "forums/user_list.html", {"form": form, "page": page, "query": query, "me": request.user.pk})


@login_required
def user_create(request):
    _require_manager(request)
    form = AccountForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_create(data=form.account_data(), actor=request.user)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Akun %(user)s dibuat; undangan dikirim ke %(email)s.")
                % {"user": user.username, "email": user.email},
            )
            return redirect("accounts:user-list")
    return render(request, "forums/user_form.html", {"form": form})


@login_required
def user_edit(request, pk):
    target = _managed(request, pk)
    form = AccountForm(request.POST or None, actor=request.user, instance=target)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_update(user=target, data=form.account_data(), actor=request.user)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Perubahan disimpan."))
            return redirect("accounts:user-list")
    return render(
        request,
        "forums/user_form.html",
        {"form": form, "target": target, "can_resend": services.can_resend_invitation(target)},
    )


def _status_change(request, pk, *, activate: bool):
    target = _managed(request, pk)
    if request.method == "POST":
        action = services.user_reactivate if activate else services.user_deactivate
        try:
            action(user=target, actor=request.user)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            text = _("Akun %(user)s diaktifkan kembali.") if activate else _("Akun %(user)s dinonaktifkan.")
            messages.success(request, text % {"user": target.username})
        return redirect("accounts:user-list")
    return render(request, "forums/user_status_confirm.html", {"target": target, "activate": activate})


@login_required
def user_deactivate(request, pk):
    return _status_change(request, pk, activate=False)


@login_required
def user_reactivate(request, pk):
    return _status_change(request, pk, activate=True)


@login_required
@require_POST
def user_invitation_resend(request, pk):
    target = _managed(request, pk)
    try:
        services.user_invitation_resend(user=target, actor=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Undangan dikirim ulang ke %(email)s.") % {"email": target.email})
    return redirect("accounts:user-edit", pk=target.pk)


@login_required
def user_transfer(request, pk):
    target = _managed(request, pk)
    candidates = (
        users_visible_to(request.user)
        .filter(is_active=True, role=target.role, region_id=target.region_id, opd_id=target.opd_id)
        .exclude(pk__in=[target.pk, request.user.pk])
    )
    form = TransferForm(request.POST or None, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        try:
            transfer = services.user_transfer(
                predecessor=target,
                successor=form.cleaned_data.get("successor"),
                new_successor=form.new_successor(target),
                reason=form.cleaned_data["reason"],
                actor=request.user,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                _(
                    "Mutasi dicatat: %(new)s menggantikan %(old)s (%(seats)d keanggotaan, %(notes)d notifikasi "
                    "dialihkan); akun %(old)s dinonaktifkan."
                )
                % {
                    "new": transfer.successor,
                    "old": target,
                    "seats": transfer.memberships_moved,
                    "notes": transfer.notifications_moved,
                },
            )
            return redirect("accounts:user-list")
    if not target.is_active:
        messages.info(request, _("Akun ini sudah nonaktif."))
    return render(request, "forums/user_transfer.html", {"form": form, "target": target})


urlpatterns = [
    path("", user_list, name="user-list"),
    path("tambah/", user_create, name="user-create"),
    path("<int:pk>/ubah/", user_edit, name="user-edit"),
    path("<int:pk>/nonaktifkan/", user_deactivate, name="user-deactivate"),
    path("<int:pk>/aktifkan/", user_reactivate, name="user-reactivate"),
    path("<int:pk>/undang-ulang/", user_invitation_resend, name="user-invitation-resend"),
    path("<int:pk>/mutasi/", user_transfer, name="user-transfer"),
]
