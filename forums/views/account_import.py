"""Bulk import of accounts: upload -> preview with per-row errors -> import (all or nothing) -> result."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from forums.account_forms import ImportUploadForm
from forums.models import UserImport
from forums.permissions import get_for_user_or_404, users_visible_to
from forums.services import account_import as services

from .accounts import _require_manager


def _staged(request, pk) -> UserImport:
    return get_for_user_or_404(UserImport.objects.filter(actor=request.user), pk=pk)


@login_required
def import_upload(request):
    _require_manager(request)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    preview = None
    if request.method == "POST" and form.is_valid():
        preview = services.users_import_parse(file=form.cleaned_data["file"], actor=request.user)
        if preview.ok:
            staged = services.users_import_stage(preview=preview, actor=request.user)
            return redirect("accounts:user-import-preview", pk=staged.pk)
    return render(request, "forums/user_import.html", {"form": form, "preview": preview})


@login_required
def import_preview(request, pk):
    """GET: the rows about to be written; POST: write them (checked again) and show the result."""
    _require_manager(request)
    staged = _staged(request, pk)
    if staged.committed_at is not None:
        return redirect("accounts:user-import-result", pk=staged.pk)
    preview = services.preview_from_values(file_name=staged.file_name, rows=staged.rows, actor=request.user)
    usable = services.staged_import_usable(staged)
    if request.method == "POST" and usable and preview.ok:
        try:
            users = services.users_import_commit(preview=preview, actor=request.user, staged=staged)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("%(count)d akun diimpor; undangan dikirim.") % {"count": len(users)})
            return redirect("accounts:user-import-result", pk=staged.pk)
    return render(request, "forums/user_import_preview.html", {"staged": staged, "preview": preview, "usable": usable})


@login_required
def import_result(request, pk):
    _require_manager(request)
    staged = _staged(request, pk)
    if staged.committed_at is None:
        return redirect("accounts:user-import-preview", pk=staged.pk)
    users = users_visible_to(request.user).filter(username__in=staged.created_usernames).select_related("region", "opd")
    return render(
        request,
        "forums/user_import_result.html",
        {"staged": staged, "users": users.order_by("username"), "total": len(staged.created_usernames)},
    )


urlpatterns = [
    path("impor/", import_upload, name="user-import"),
    path("impor/<int:pk>/", import_preview, name="user-import-preview"),
    path("impor/<int:pk>/hasil/", import_result, name="user-import-result"),
]
