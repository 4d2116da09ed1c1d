"""Evidence files: several per response, versioned, never deleted by the application.

Files are checked by content (kks.uploads.check_upload), stored through the
default storage under a random name (see evidence_upload_to) and served only by
the download and inline views; images and PDFs get a preview made in the background
(services/previews.py). Replacing a file adds a version; withdrawing hides the
evidence but keeps every version.
"""

from __future__ import annotations

from typing import TypeVar

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from evaluations.models import Document, DocumentVersion, Evidence, EvidenceVersion, Response
from forums.models import User
from kks.audit import recorded_by
from kks.uploads import CheckedUpload, check_upload

from .errors import InvalidTransition, WorkflowError
from .guards import lock_response, require_fillable
from .previews import evidence_preview_schedule


def data_years(response: Response) -> tuple[int, int]:
    """The two data years of the response's cycle, earlier first (2025 cycle: 2023, 2024)."""
    cycle = response.assessment.cycle
    return cycle.data_year_previous, cycle.data_year


def _checked_year(response: Response, data_year: int | None) -> int:
    years = data_years(response)
    if data_year is None:
        return years[1]
    if data_year not in years:
        raise WorkflowError(
            _("Tahun data %(year)s bukan tahun data siklus ini (%(years)s).")
            % {"year": data_year, "years": ", ".join(str(y) for y in years)}
        )
    return data_year


_V = TypeVar("_V", EvidenceVersion, DocumentVersion)


def file_version_store(
    *, owner: Evidence | Document, version: _V, uploaded: UploadedFile, checked: CheckedUpload, actor: User
) -> _V:
    """Save a new file version of evidence or of a library document: the checked upload's metadata, its file
    under a random name (the model's ``upload_to``), and the version made the owner's current one, both
    recorded as ``actor``'s."""
    version.original_name = checked.original_name
    version.content_type = checked.content_type
    version.size = checked.size
    version.sha256 = checked.sha256
    version.uploaded_by = actor
    version.uploaded_at = timezone.now()
    uploaded.seek(0)
    version.file.save(checked.original_name, uploaded, save=False)
    recorded_by(version, actor).save()
    owner.current = version  # the owner's own version model: the callers pair them
    recorded_by(owner, actor).save(update_fields=["current"])
    return version


def _store(
    evidence: Evidence, uploaded: UploadedFile, checked: CheckedUpload, *, number: int, actor: User
) -> EvidenceVersion:
    version = file_version_store(
        owner=evidence,
        version=EvidenceVersion(evidence=evidence, number=number),
        uploaded=uploaded,
        checked=checked,
        actor=actor,
    )
    evidence_preview_schedule(version=version)
    return version


@transaction.atomic
def evidence_add(
    *,
    response: Response,
    uploaded: UploadedFile,
    actor: User,
    title: str = "",
    checked: CheckedUpload | None = None,
    data_year: int | None = None,
) -> Evidence:
    """Attach a new file to a response that the actor may still change.

    ``data_year`` is one of the cycle's two data years (default: the cycle's data year N).
    """
    locked = lock_response(response)
    require_fillable(actor, locked)
    year = _checked_year(locked, data_year)
    checked = checked or check_upload(uploaded)
    evidence = Evidence(
        response=locked, title=(title.strip() or checked.original_name)[:200], data_year=year, created_by=actor
    )
    recorded_by(evidence, actor).save()
    _store(evidence, uploaded, checked, number=1, actor=actor)
    return evidence


@transaction.atomic
def evidence_replace(
    *, evidence: Evidence, uploaded: UploadedFile, actor: User, checked: CheckedUpload | None = None
) -> EvidenceVersion:
    """Upload a new version of an evidence file; the older versions stay available."""
    locked = lock_response(evidence.response)
    require_fillable(actor, locked)
    evidence = Evidence.objects.select_for_update().get(pk=evidence.pk)
    if evidence.withdrawn_at is not None:
        raise InvalidTransition(_("Bukti dukung ini sudah ditarik dan tidak dapat diganti."))
    if evidence.document_id is not None:
        raise InvalidTransition(
            _("Bukti ini tertaut ke dokumen pustaka: unggah versi baru dokumen itu di pustaka kabupaten/kota.")
        )
    checked = checked or check_upload(uploaded)
    number = (evidence.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    return _store(evidence, uploaded, checked, number=number, actor=actor)


@transaction.atomic
def evidence_withdraw(*, evidence: Evidence, actor: User) -> Evidence:
    """Hide an evidence item from the response; its files are kept for the record."""
    locked = lock_response(evidence.response)
    require_fillable(actor, locked)
    evidence = Evidence.objects.select_for_update().get(pk=evidence.pk)
    if evidence.withdrawn_at is None:
        evidence.withdrawn_at = timezone.now()
        recorded_by(evidence, actor).save(update_fields=["withdrawn_at"])
    return evidence
