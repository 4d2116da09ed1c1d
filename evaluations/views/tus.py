"""Resumable uploads: a tus 1.0.0 server (core protocol and the creation extension).

The browser (static/js/upload.js, tus-js-client) creates an upload for a target it may write to, sends
the bytes in chunks and, after a dropped connection, asks for the offset and goes on from there. When
the upload is complete the form is posted with the upload's id instead of the file; the form's view
takes the file with ``tus_files`` (owner and target checked again) and it goes through the same
content checks (kks.uploads via the forms' CheckedFileField) and the same services as a plain upload.

Why our own view and not a package: django-tus and drf-tus are unmaintained (last releases years ago,
no Django 5 support declared); the core protocol plus creation is a few dozen lines and so stays under
our permission checks and size limit.
"""

from __future__ import annotations

import base64
import binascii
import os
import uuid
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.files.uploadedfile import UploadedFile
from django.http import Http404, HttpResponse
from django.urls import path, reverse
from django.utils.datastructures import MultiValueDict
from django.views.decorators.http import require_http_methods

from evaluations.models import Evidence, UploadSession
from evaluations.services.uploads import (
    part_path,
    upload_dir,
    upload_sessions_discard,
    upload_sessions_discard_stale,
)
from forums.permissions import (
    can_fill_response,
    can_manage_library,
    documents_visible_to,
    get_for_user_or_404,
    regencies_visible_to,
    responses_visible_to,
)
from kks.uploads import clean_filename

TUS_VERSION = "1.0.0"
READ_BLOCK = 64 * 1024
MAX_OPEN_PER_USER = 20


def _check_response(request, pk: int) -> None:
    get_for_user_or_404(
        responses_visible_to(request.user).select_related("assessment", "indicator"),
        check=can_fill_response,
        user=request.user,
        pk=pk,
    )


def _check_evidence(request, pk: int) -> None:
    get_for_user_or_404(
        Evidence.objects.filter(response__in=responses_visible_to(request.user)).select_related(
            "response__assessment", "response__indicator"
        ),
        check=lambda user, e: can_fill_response(user, e.response),
        user=request.user,
        pk=pk,
    )


def _check_regency(request, pk: int) -> None:
    get_for_user_or_404(regencies_visible_to(request.user), check=can_manage_library, user=request.user, pk=pk)


def _check_document(request, pk: int) -> None:
    get_for_user_or_404(
        documents_visible_to(request.user).select_related("regency"),
        check=lambda user, d: can_manage_library(user, d.regency),
        user=request.user,
        pk=pk,
    )


# What an upload may be for, and the policy check of each (404 out of scope, 403 not allowed).
TARGETS: dict[str, Callable[..., None]] = {
    "response": _check_response,
    "evidence": _check_evidence,
    "regency": _check_regency,
    "document": _check_document,
}


def _tus(response: HttpResponse) -> HttpResponse:
    response["Tus-Resumable"] = TUS_VERSION
    response["Cache-Control"] = "no-store"
    return response


def _error(status: int, text: str = "") -> HttpResponse:
    return _tus(HttpResponse(text, status=status, content_type="text/plain; charset=utf-8"))


def _metadata(header: str) -> dict[str, str]:
    """Upload-Metadata: comma-separated "key base64value" pairs (a value may be absent)."""
    result = {}
    for pair in filter(None, (p.strip() for p in header.split(","))):
        key, _sep, value = pair.partition(" ")
        try:
            result[key] = base64.b64decode(value.strip(), validate=True).decode("utf-8") if value else ""
        except (binascii.Error, UnicodeDecodeError):
            raise ValueError(key) from None
    return result


def _parse_target(raw: str) -> tuple[str, int] | None:
    kind, _sep, pk = raw.partition(":")
    if kind not in TARGETS or not pk.isdigit():
        return None
    return kind, int(pk)


@login_required
@require_http_methods(["OPTIONS", "POST"])
def tus_create(request):
    if request.method == "OPTIONS":
        response = _tus(HttpResponse(status=204))
        response["Tus-Version"] = TUS_VERSION
        response["Tus-Extension"] = "creation"
        response["Tus-Max-Size"] = str(settings.KKS_UPLOAD_MAX_BYTES)
        return response
    if request.headers.get("Tus-Resumable") != TUS_VERSION:
        response = _error(412, "Tus-Resumable 1.0.0 required")
        response["Tus-Version"] = TUS_VERSION
        return response
    raw_length = request.headers.get("Upload-Length", "")
    if not raw_length.isdigit():
        return _error(400, "Upload-Length required (deferred length is not supported)")
    length = int(raw_length)
    if length > settings.KKS_UPLOAD_MAX_BYTES:
        return _error(413, "Upload-Length above the upload limit")
    if length == 0:
        return _error(400, "empty upload")
    try:
        meta = _metadata(request.headers.get("Upload-Metadata", ""))
    except ValueError:
        return _error(400, "bad Upload-Metadata")
    target = _parse_target(meta.get("target", ""))
    if target is None:
        return _error(400, "unknown target")
    kind, pk = target
    TARGETS[kind](request, pk)  # Http404 / PermissionDenied as for the form itself
    # Abandoned uploads of this user are dropped after a day (everyone's, hourly, by beat); a few may be open.
    upload_sessions_discard_stale(owner=request.user)
    if UploadSession.objects.filter(owner=request.user).count() >= MAX_OPEN_PER_USER:
        return _error(429, "too many unfinished uploads")
    session = UploadSession.objects.create(
        owner=request.user,
        target=f"{kind}:{pk}",
        filename=clean_filename(meta.get("filename", "")),
        content_type=meta.get("filetype", "")[:120],
        length=length,
    )
    os.makedirs(upload_dir(), mode=0o750, exist_ok=True)
    with open(part_path(session), "xb"):
        pass
    response = _tus(HttpResponse(status=201))
    response["Location"] = request.build_absolute_uri(reverse("evaluations:tus-upload", args=[session.pk]))
    return response


def _own_session(request, pk: uuid.UUID) -> UploadSession:
    session = UploadSession.objects.filter(pk=pk, owner=request.user).first()
    if session is None:
        raise Http404
    return session


@login_required
@require_http_methods(["HEAD", "PATCH", "DELETE"])
def tus_upload(request, pk):
    session = _own_session(request, pk)
    if request.headers.get("Tus-Resumable") != TUS_VERSION:
        return _error(412, "Tus-Resumable 1.0.0 required")
    if request.method == "HEAD":
        response = _tus(HttpResponse(status=200))
        response["Upload-Offset"] = str(session.offset)
        response["Upload-Length"] = str(session.length)
        return response
    if request.method == "DELETE":
        discard([session])
        return _tus(HttpResponse(status=204))
    if request.content_type != "application/offset+octet-stream":
        return _error(415, "Content-Type application/offset+octet-stream required")
    offset = request.headers.get("Upload-Offset", "")
    if not offset.isdigit() or int(offset) != session.offset:
        return _error(409, "Upload-Offset does not match")
    written = session.offset
    try:
        with open(part_path(session), "r+b") as handle:
            handle.seek(written)
            while True:
                block = request.read(READ_BLOCK)
                if not block:
                    break
                if written + len(block) > session.length:
                    handle.truncate(session.offset)
                    return _error(400, "more bytes than Upload-Length")
                handle.write(block)
                written += len(block)
    except OSError:
        pass  # a dropped connection: keep what arrived, the client asks for the offset and goes on
    finally:
        UploadSession.objects.filter(pk=session.pk).update(offset=written)
    response = _tus(HttpResponse(status=204))
    response["Upload-Offset"] = str(written)
    return response


def tus_files(request, *, target: str, field: str) -> tuple[MultiValueDict, list[UploadSession]]:
    """request.FILES with the completed uploads named in POST ``<field>__tus`` added under ``field``.

    Only the user's own complete uploads made for ``target`` are taken; any other id is ignored. The
    files are then checked by the form like any upload; call ``discard`` with the sessions afterwards.
    """
    files = request.FILES.copy()
    ids = []
    for raw in request.POST.getlist(f"{field}__tus"):
        try:
            ids.append(uuid.UUID(raw))
        except ValueError:
            continue
    if not ids:
        return files, []
    sessions = [s for s in UploadSession.objects.filter(pk__in=ids, owner=request.user, target=target) if s.complete]
    for session in sessions:
        handle = open(part_path(session), "rb")  # noqa: SIM115 - closed by discard()
        session.handle = handle  # type: ignore[attr-defined]
        name, content_type = session.filename, session.content_type or "application/octet-stream"
        files.appendlist(field, UploadedFile(file=handle, name=name, content_type=content_type, size=session.length))
    return files, sessions


def discard(sessions: list[UploadSession]) -> None:
    """Remove finished uploads once a form used them: their bytes were stored by the service or refused."""
    upload_sessions_discard(sessions=sessions)


urlpatterns = [
    path("unggah/tus/", tus_create, name="tus-create"),
    path("unggah/tus/<uuid:pk>/", tus_upload, name="tus-upload"),
]
