"""Evidence files: replace, withdraw and the permission-checked download."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from evaluations.forms.evidence import EvidenceReplaceForm
from evaluations.models import Evidence, EvidenceVersion, PreviewStatus
from evaluations.services.errors import WorkflowError
from evaluations.services.evidence import evidence_replace, evidence_withdraw
from evaluations.services.notifications import fill_url
from evaluations.services.previews import previewable
from forums.permissions import (
    can_fill_response,
    evidence_versions_visible_to,
    get_for_user_or_404,
    responses_visible_to,
)

from .fill import render_card
from .tus import discard, tus_files


def _fillable_evidence(request, pk) -> Evidence:
    scope = Evidence.objects.filter(response__in=responses_visible_to(request.user)).select_related(
        "response__assessment__cycle", "response__assessment__regency", "response__indicator"
    )
    return get_for_user_or_404(
        scope, check=lambda user, e: can_fill_response(user, e.response), user=request.user, pk=pk
    )


def _done(request, evidence: Evidence, *, notice: str = "", errors=()):
    if request.htmx:
        return render_card(request, evidence.response, notice=notice, errors=errors)
    for error in errors:
        messages.error(request, error)
    if notice:
        messages.success(request, notice)
    return redirect(fill_url(evidence.response))


@login_required
@require_POST
def evidence_replace_view(request, pk):
    evidence = _fillable_evidence(request, pk)
    files, resumed = tus_files(request, target=f"evidence:{evidence.pk}", field=f"e{pk}-file")
    try:
        return _replace(request, evidence, EvidenceReplaceForm(request.POST, files, prefix=f"e{pk}"))
    finally:
        discard(resumed)


def _replace(request, evidence: Evidence, form: EvidenceReplaceForm):
    if not form.is_valid():
        return _done(request, evidence, errors=[e for errs in form.errors.values() for e in errs])
    uploaded, checked = form.cleaned_data["file"]
    try:
        version = evidence_replace(evidence=evidence, uploaded=uploaded, checked=checked, actor=request.user)
    except WorkflowError as error:
        return _done(request, evidence, errors=error.messages)
    return _done(
        request,
        evidence,
        notice=_("Berkas %(name)s disimpan sebagai versi %(n)d.")
        % {"name": version.original_name, "n": version.number},
    )


@login_required
@require_GET
def evidence_withdraw_confirm(request, pk):
    """Ask before withdrawing (the card's button leads here without JavaScript; htmx asks in a dialog)."""
    evidence = _fillable_evidence(request, pk)
    return render(
        request,
        "evaluations/evidence_withdraw_confirm.html",
        {"evidence": evidence, "back": fill_url(evidence.response)},
    )


@login_required
@require_POST
def evidence_withdraw_view(request, pk):
    evidence = _fillable_evidence(request, pk)
    try:
        evidence_withdraw(evidence=evidence, actor=request.user)
    except WorkflowError as error:
        return _done(request, evidence, errors=error.messages)
    return _done(request, evidence, notice=_("Bukti dukung %(title)s ditarik.") % {"title": evidence.title})


@login_required
@require_GET
def evidence_download(request, pk):
    version = get_for_user_or_404(evidence_versions_visible_to(request.user), pk=pk)
    try:
        handle = version.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=True, filename=version.original_name, content_type=version.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# The inline view of an image or PDF: no script, no plugin, no form, no outside request; framed by our pages only.
INLINE_CSP = (
    "sandbox; default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; "
    "object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'"
)


def _visible_version(request, pk) -> EvidenceVersion:
    return get_for_user_or_404(evidence_versions_visible_to(request.user).select_related("preview"), pk=pk)


@login_required
@require_GET
def evidence_inline(request, pk):
    """The file itself, shown in the page (images and PDF only; anything else is a download)."""
    version = _visible_version(request, pk)
    if not previewable(version.content_type):
        raise Http404
    try:
        handle = version.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    response = FileResponse(handle, filename=version.original_name, content_type=version.content_type)
    response["Content-Disposition"] = content_disposition_header(False, version.original_name)
    response["Content-Security-Policy"] = INLINE_CSP
    response["X-Content-Type-Options"] = "nosniff"
    response["X-Frame-Options"] = "SAMEORIGIN"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def evidence_thumbnail(request, pk):
    """The small preview image of a version, when the worker has made it."""
    version = _visible_version(request, pk)
    preview = getattr(version, "preview", None)
    if preview is None or preview.status != PreviewStatus.READY or not preview.file:
        raise Http404
    try:
        handle = preview.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    response = FileResponse(handle, content_type="image/webp")
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = INLINE_CSP
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    # The preview of a version never changes; the browser may keep it for the session.
    response["Cache-Control"] = "private, max-age=3600"
    return response


urlpatterns = [
    path("bukti/berkas/<int:pk>/lihat/", evidence_inline, name="evidence-inline"),
    path("bukti/berkas/<int:pk>/pratinjau/", evidence_thumbnail, name="evidence-thumbnail"),
    path("bukti/<int:pk>/ganti/", evidence_replace_view, name="evidence-replace"),
    path("bukti/<int:pk>/tarik/", evidence_withdraw_view, name="evidence-withdraw"),
    path("bukti/<int:pk>/tarik/periksa/", evidence_withdraw_confirm, name="evidence-withdraw-confirm"),
    path("bukti/berkas/<int:pk>/unduh/", evidence_download, name="evidence-download"),
]
