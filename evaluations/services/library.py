"""The evidence library of a regency: documents uploaded once and linked to many responses, across cycles.

A document's file goes through the same content checks as evidence (kks.uploads.check_upload), is
stored under a random name and is versioned. Linking a document to a response creates an ordinary
``Evidence`` of that response (``Evidence.document`` set) whose versions point at the document's
stored files, so reviewers, the dossier, the download and every evidence count see it exactly as
evidence; withdrawing that evidence unlinks the document. Opening a new cycle's assessment carries
the still-valid documents of the regency's previous assessment to the responses of the same
indicator code (``Evidence.carried``).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from evaluations.models import Assessment, Document, DocumentVersion, Evidence, EvidenceVersion, Response
from forums.models import Region, User
from forums.permissions import can_link_document, can_manage_library
from kks.audit import recorded_by
from kks.uploads import CheckedUpload, check_upload

from .errors import InvalidTransition, WorkflowError
from .evidence import data_years, file_version_store
from .guards import is_editable, lock_response, require_fillable
from .previews import evidence_preview_schedule


class DuplicateDocument(WorkflowError):
    """The file is already in the regency's library: offer ``document`` instead of a copy."""

    default_code = "duplicate_document"

    def __init__(self, document: Document) -> None:
        super().__init__(
            _("Berkas yang sama sudah ada di pustaka: %(title)s. Tautkan dokumen itu, tidak perlu mengunggah lagi.")
            % {"title": document.title}
        )
        self.document = document


@dataclass(frozen=True)
class DocumentDetails:
    kind: str
    title: str = ""
    number: str = ""
    issued_on: datetime.date | None = None
    signer: str = ""
    valid_until: datetime.date | None = None
    data_year: int | None = None


def document_with_hash(*, regency: Region, sha256: str) -> Document | None:
    """The regency's library document that holds a file with this SHA-256 (any version), if any."""
    version = (
        DocumentVersion.objects.filter(document__regency=regency, sha256=sha256)
        .select_related("document")
        .order_by("pk")
        .first()
    )
    return version.document if version else None


def _store(
    document: Document, uploaded: UploadedFile, checked: CheckedUpload, *, number: int, actor: User
) -> DocumentVersion:
    return file_version_store(
        owner=document,
        version=DocumentVersion(document=document, number=number),
        uploaded=uploaded,
        checked=checked,
        actor=actor,
    )


def _mirror(evidence: Evidence, version: DocumentVersion, *, number: int, actor: User | None) -> EvidenceVersion:
    """An evidence version that points at the document version's stored file (no copy is made)."""
    mirrored = EvidenceVersion(
        evidence=evidence,
        number=number,
        original_name=version.original_name,
        content_type=version.content_type,
        size=version.size,
        sha256=version.sha256,
        uploaded_by=version.uploaded_by,
        uploaded_at=version.uploaded_at,
    )
    mirrored.file.name = version.file.name
    recorded_by(mirrored, actor).save()
    evidence.current = mirrored
    recorded_by(evidence, actor).save(update_fields=["current"])
    evidence_preview_schedule(version=mirrored)  # the thumbnail, as for a file uploaded to the indicator
    return mirrored


@transaction.atomic
def document_upload(
    *,
    regency: Region,
    details: DocumentDetails,
    uploaded: UploadedFile,
    actor: User,
    checked: CheckedUpload | None = None,
) -> Document:
    """Add a document to the regency's library; a file already there raises DuplicateDocument."""
    if not can_manage_library(actor, regency):
        raise PermissionDenied
    checked = checked or check_upload(uploaded)
    existing = document_with_hash(regency=regency, sha256=checked.sha256)
    if existing is not None:
        raise DuplicateDocument(existing)
    document = Document(
        regency=regency,
        kind=details.kind,
        title=(details.title.strip() or checked.original_name)[:200],
        number=details.number.strip(),
        issued_on=details.issued_on,
        signer=details.signer.strip(),
        valid_until=details.valid_until,
        data_year=details.data_year,
        created_by=actor,
    )
    recorded_by(document, actor).save()
    _store(document, uploaded, checked, number=1, actor=actor)
    return document


@transaction.atomic
def document_replace(
    *, document: Document, uploaded: UploadedFile, actor: User, checked: CheckedUpload | None = None
) -> DocumentVersion:
    """A new version of a library document; its links on responses still being filled follow it.

    Links on responses under review or accepted keep the version that was reviewed.
    """
    if not can_manage_library(actor, document.regency):
        raise PermissionDenied
    document = Document.objects.select_for_update().get(pk=document.pk)
    checked = checked or check_upload(uploaded)
    existing = document_with_hash(regency=document.regency, sha256=checked.sha256)
    if existing is not None:
        raise DuplicateDocument(existing)
    number = (document.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = _store(document, uploaded, checked, number=number, actor=actor)
    links = Evidence.objects.filter(document=document, withdrawn_at=None).select_related("response")
    for evidence in links:
        if is_editable(evidence.response):
            latest = evidence.versions.aggregate(n=Max("number"))["n"] or 0
            _mirror(evidence, version, number=latest + 1, actor=actor)
    return version


def _link(document: Document, response: Response, *, actor: User | None, carried: bool) -> Evidence:
    current = document.current
    if current is None:
        raise InvalidTransition(_("Dokumen ini belum memiliki berkas."))
    # The document's data year when it is one of the cycle's two, otherwise the cycle's year N.
    years = data_years(response)
    data_year = document.data_year if document.data_year in years else years[1]
    evidence = Evidence(
        response=response,
        title=document.title,
        data_year=data_year,
        created_by=actor,
        document=document,
        carried=carried,
    )
    recorded_by(evidence, actor).save()
    _mirror(evidence, current, number=1, actor=actor)
    return evidence


@transaction.atomic
def document_link(*, document: Document, responses: Sequence[Response], actor: User) -> list[Evidence]:
    """Attach a library document to responses as evidence, all or none (an existing link is kept, not doubled)."""
    document = Document.objects.select_related("current", "regency").get(pk=document.pk)
    linked = []
    for response in responses:
        locked = lock_response(response)
        if not can_link_document(actor, document, locked):
            raise PermissionDenied
        require_fillable(actor, locked)
        existing = Evidence.objects.filter(response=locked, document=document, withdrawn_at=None).first()
        linked.append(existing or _link(document, locked, actor=actor, carried=False))
    return linked


def library_link_instead(*, response: Response, checked: CheckedUpload, actor: User) -> Evidence | None:
    """For a file uploaded on a card: when the regency's library already holds it, link that document
    (once) instead of storing a copy, and return the link; None when the file is new to the library.

    Called by response_save inside its transaction, with ``response`` locked and fillable by ``actor``.
    """
    document = document_with_hash(regency=response.assessment.regency, sha256=checked.sha256)
    if document is None or not can_link_document(actor, document, response):
        return None
    existing = Evidence.objects.filter(response=response, document=document, withdrawn_at=None).first()
    if existing is not None:
        return existing
    document = Document.objects.select_related("current").get(pk=document.pk)
    return _link(document, response, actor=actor, carried=False)


def _previous_assessment(assessment: Assessment) -> Assessment | None:
    cycle = assessment.cycle
    earlier = Q(cycle__year__lt=cycle.year) | Q(cycle__year=cycle.year, cycle__created_at__lt=cycle.created_at)
    return (
        Assessment.objects.filter(earlier, regency_id=assessment.regency_id)
        .exclude(cycle_id=cycle.pk)
        .order_by("-cycle__year", "-cycle__created_at", "-pk")
        .first()
    )


def documents_carry(*, assessments: Iterable[Assessment], actor: User | None) -> int:
    """Link the still-valid documents of each regency's previous assessment to the new one.

    A document is still valid when ``valid_until`` is empty or not before today; it is linked to the
    new response of the same indicator code, marked as carried. Returns the number of links made.
    Called by the services that open assessments, inside their transaction.
    """
    today = timezone.localdate()
    made = 0
    for assessment in assessments:
        previous = _previous_assessment(assessment)
        if previous is None:
            continue
        links = (
            Evidence.objects.filter(response__assessment=previous, document__isnull=False, withdrawn_at=None)
            .filter(Q(document__valid_until__isnull=True) | Q(document__valid_until__gte=today))
            .values_list("document_id", "response__indicator__code")
            .distinct()
        )
        wanted = set(links)
        if not wanted:
            continue
        responses = {
            r.indicator.code: r
            for r in Response.objects.filter(assessment=assessment).select_related("indicator", "assessment")
        }
        present = set(
            Evidence.objects.filter(
                response__assessment=assessment, document__isnull=False, withdrawn_at=None
            ).values_list("document_id", "response__indicator__code")
        )
        documents = Document.objects.select_related("current").in_bulk({d for d, _code in wanted})
        for document_id, code in sorted(wanted - present):
            response = responses.get(code)
            document = documents.get(document_id)
            if response is None or document is None or document.current is None:
                continue
            _link(document, response, actor=actor, carried=True)
            made += 1
    return made
