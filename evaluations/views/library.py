"""The evidence library of a regency: list, upload (with the duplicate offer), link to indicators, download."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from evaluations.forms.library import DocumentForm, DocumentReplaceForm
from evaluations.models import Document, Response
from evaluations.selectors.library import current_assessment, library_documents, linkable_responses
from evaluations.services.errors import WorkflowError
from evaluations.services.library import (
    DocumentDetails,
    DuplicateDocument,
    document_link,
    document_replace,
    document_upload,
)
from evaluations.services.notifications import fill_url
from forums.models import Region
from forums.permissions import (
    can_manage_library,
    document_versions_visible_to,
    documents_visible_to,
    get_for_user_or_404,
    regencies_visible_to,
    responses_visible_to,
)

from .tus import discard, tus_files


def _regency(request, pk) -> Region:
    return get_for_user_or_404(regencies_visible_to(request.user), pk=pk)


def _target_response(request, regency: Region, raw) -> Response | None:
    """The response a fill card sent the user here for (``?jawaban=``), when visible and of this regency."""
    try:
        pk = int(raw)
    except (TypeError, ValueError):
        return None
    return (
        responses_visible_to(request.user)
        .filter(assessment__regency=regency)
        .select_related("indicator", "assessment__cycle", "assessment__regency")
        .filter(pk=pk)
        .first()
    )


def _page_url(regency: Region, target: Response | None) -> str:
    url = reverse("evaluations:library", args=[regency.pk])
    return f"{url}?jawaban={target.pk}" if target else url


def render_library(request, regency: Region, *, form=None, duplicate: Document | None = None, status=200):
    target = _target_response(request, regency, request.GET.get("jawaban") or request.POST.get("response"))
    assessment = target.assessment if target else current_assessment(regency=regency)
    may_manage = can_manage_library(request.user, regency)
    choices = linkable_responses(assessment=assessment, user=request.user) if assessment and may_manage else []
    if target is not None and target.pk not in {r.pk for r in choices}:
        target = None  # not one the user can link to now: show the library without the shortcut
    documents = library_documents(regency=regency)
    for document in documents:
        document.replace_form = DocumentReplaceForm(prefix=f"d{document.pk}")  # type: ignore[attr-defined]
    context = {
        "regency": regency,
        "documents": documents,
        "may_manage": may_manage,
        "form": form or DocumentForm(initial={"response": target.pk if target else None}),
        "assessment": assessment,
        "choices": choices,
        "target": target,
        "duplicate": duplicate,
        "back": fill_url(target) if target else None,
    }
    return render(request, "evaluations/library/page.html", context, status=status)


@login_required
@require_GET
def library_page(request, pk):
    return render_library(request, _regency(request, pk))


@login_required
@require_POST
def document_upload_view(request, pk):
    regency = _regency(request, pk)
    if not can_manage_library(request.user, regency):
        raise PermissionDenied
    files, resumed = tus_files(request, target=f"regency:{regency.pk}", field="file")
    try:
        return _upload(request, regency, DocumentForm(request.POST, files))
    finally:
        discard(resumed)


def _upload(request, regency: Region, form: DocumentForm):
    if not form.is_valid():
        return render_library(request, regency, form=form, status=400)
    data = form.cleaned_data
    uploaded, checked = data["file"]
    details = DocumentDetails(
        kind=data["kind"],
        title=data["title"],
        number=data["number"],
        issued_on=data["issued_on"],
        signer=data["signer"],
        valid_until=data["valid_until"],
        data_year=data["data_year"],
    )
    target = _target_response(request, regency, data["response"])
    try:
        document = document_upload(
            regency=regency, details=details, uploaded=uploaded, checked=checked, actor=request.user
        )
        if target is not None:
            document_link(document=document, responses=[target], actor=request.user)
    except DuplicateDocument as duplicate:
        return render_library(request, regency, form=form, duplicate=duplicate.document, status=409)
    except WorkflowError as error:
        for message in error.messages:
            form.add_error(None, message)
        return render_library(request, regency, form=form, status=400)
    if target is not None:
        messages.success(
            request,
            _("%(title)s disimpan di pustaka dan ditautkan ke %(code)s.")
            % {"title": document.title, "code": target.indicator.code},
        )
        return redirect(fill_url(target))
    messages.success(request, _("%(title)s disimpan di pustaka.") % {"title": document.title})
    return redirect(f"{_page_url(regency, None)}#d{document.pk}")


def _visible_document(request, pk) -> Document:
    return get_for_user_or_404(documents_visible_to(request.user).select_related("regency", "current"), pk=pk)


@login_required
@require_POST
def document_link_view(request, pk):
    document = _visible_document(request, pk)
    if not can_manage_library(request.user, document.regency):
        raise PermissionDenied
    ids = [raw for raw in request.POST.getlist("responses") if raw.isdigit()]
    responses = list(
        responses_visible_to(request.user)
        .filter(assessment__regency_id=document.regency_id, pk__in=ids)
        .select_related("indicator", "assessment__cycle", "assessment__regency")
        .order_by("indicator__sort_order")
    )
    target = _target_response(request, document.regency, request.POST.get("response"))
    back = fill_url(target) if target else f"{_page_url(document.regency, None)}#d{document.pk}"
    if not responses:
        messages.error(request, _("Pilih paling sedikit satu indikator."))
        return redirect(_page_url(document.regency, target))
    try:
        document_link(document=document, responses=responses, actor=request.user)
    except WorkflowError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(_page_url(document.regency, target))
    codes = ", ".join(r.indicator.code for r in responses)
    messages.success(request, _("%(title)s ditautkan ke %(codes)s.") % {"title": document.title, "codes": codes})
    return redirect(back)


@login_required
@require_POST
def document_replace_view(request, pk):
    document = _visible_document(request, pk)
    if not can_manage_library(request.user, document.regency):
        raise PermissionDenied
    files, resumed = tus_files(request, target=f"document:{document.pk}", field=f"d{pk}-file")
    try:
        return _replace(request, document, DocumentReplaceForm(request.POST, files, prefix=f"d{pk}"))
    finally:
        discard(resumed)


def _replace(request, document: Document, form: DocumentReplaceForm):
    back = f"{_page_url(document.regency, None)}#d{document.pk}"
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back)
    uploaded, checked = form.cleaned_data["file"]
    try:
        version = document_replace(document=document, uploaded=uploaded, checked=checked, actor=request.user)
    except WorkflowError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(back)
    messages.success(
        request,
        _("Berkas %(name)s disimpan sebagai versi %(n)d.") % {"name": version.original_name, "n": version.number},
    )
    return redirect(back)


@login_required
@require_GET
def document_download(request, pk):
    version = get_for_user_or_404(document_versions_visible_to(request.user), pk=pk)
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


urlpatterns = [
    path("pustaka/<int:pk>/", library_page, name="library"),
    path("pustaka/<int:pk>/unggah/", document_upload_view, name="library-upload"),
    path("pustaka/dokumen/<int:pk>/tautkan/", document_link_view, name="library-link"),
    path("pustaka/dokumen/<int:pk>/ganti/", document_replace_view, name="library-replace"),
    path("pustaka/berkas/<int:pk>/unduh/", document_download, name="library-download"),
]
