"""Framework files uploaded from the web: record the dry run, then load or publish the stored content.

The file goes through exactly the path of ``manage.py load_framework`` (``parse_framework``, then
``framework_load``), so the problems it reports and the rules for an existing code are the command's.
The content is stored with the import; loading and publishing use it (no second upload) after
checking it still has the uploaded file's SHA-256.
"""

from __future__ import annotations

import hashlib

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from forums.models import User
from forums.permissions import can_manage_frameworks
from kks.uploads import clean_filename
from tatanan.loader import FrameworkFileError, parse_framework
from tatanan.models import FrameworkImport, FrameworkVersion, ImportStatus
from tatanan.selectors import load_refusal

from .frameworks import FrameworkLoadError, LoadResult, framework_load


def _without_nul(text: str) -> str:
    """Text PostgreSQL can store: no NUL, no lone surrogate (a file holding them is refused anyway)."""
    return text.replace("\x00", "\ufffd").encode("utf-8", "replace").decode("utf-8")


def _as_text(data: bytes) -> str:
    """The uploaded bytes as text; for a valid file ``_as_text(data).encode("utf-8") == data`` exactly."""
    try:
        return _without_nul(data.decode("utf-8"))  # a BOM stays in, so the checksum can be recomputed
    except UnicodeDecodeError:
        return _without_nul(data.decode("utf-8", errors="replace"))


@transaction.atomic
def framework_import_create(*, file_name: str, data: bytes, actor: User) -> FrameworkImport:
    """Dry-run an uploaded framework file and record it: valid, or invalid with every problem found.

    Nothing but the import record is written. A valid file that ``framework_load`` would refuse
    (its code is published with other content, or is a draft already answered) is recorded as
    invalid with the command's message.
    """
    if not can_manage_frameworks(actor):
        raise PermissionDenied
    file_name = clean_filename(file_name)
    errors: list[str] = []
    try:
        spec = parse_framework(data, source_name=file_name)
    except FrameworkFileError as exc:
        spec, errors = None, list(exc.errors)
    if spec is not None:
        refusal = load_refusal(spec, FrameworkVersion.objects.filter(code=spec.code).first())
        if refusal is not None:
            errors = [refusal]
    return FrameworkImport.objects.create(
        file_name=file_name,
        content=_as_text(data),
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by=actor,
        uploaded_at=timezone.now(),
        code=spec.code if spec is not None else "",
        name=_without_nul(spec.name) if spec is not None else "",
        year=spec.year if spec is not None else None,
        status=ImportStatus.INVALID if errors else ImportStatus.VALID,
        errors=[_without_nul(e) for e in errors],
    )


def framework_import_load(*, framework_import: FrameworkImport, actor: User) -> LoadResult:
    """Load the import's file as a draft framework (``load_framework FILE``)."""
    return _load(framework_import, actor=actor, publish=False)


def framework_import_publish(*, framework_import: FrameworkImport, actor: User) -> LoadResult:
    """Load the import's file if needed and publish it (``load_framework FILE --publish``); idempotent."""
    return _load(framework_import, actor=actor, publish=True)


def _load(framework_import: FrameworkImport, *, actor: User, publish: bool) -> LoadResult:
    """Raise FrameworkLoadError (the command's message) or FrameworkFileError when it cannot be loaded.

    A refusal found only now (the state changed since the dry run) is recorded on the import.
    """
    if not can_manage_frameworks(actor):
        raise PermissionDenied
    try:
        with transaction.atomic():
            return _load_locked(framework_import, actor=actor, publish=publish)
    except (FrameworkLoadError, FrameworkFileError) as exc:
        errors = exc.errors if isinstance(exc, FrameworkFileError) else [str(exc)]
        FrameworkImport.objects.filter(pk=framework_import.pk, status=ImportStatus.VALID).update(
            status=ImportStatus.INVALID, errors=[_without_nul(e) for e in errors]
        )
        raise


def _load_locked(framework_import: FrameworkImport, *, actor: User, publish: bool) -> LoadResult:
    record = FrameworkImport.objects.select_for_update().get(pk=framework_import.pk)
    if record.status == ImportStatus.INVALID:
        raise FrameworkLoadError("\n".join(record.errors) or f"{record.file_name} is not a valid framework file.")
    data = record.content.encode("utf-8")
    if hashlib.sha256(data).hexdigest() != record.sha256:
        raise FrameworkLoadError(f"{record.file_name}: the stored content no longer matches the uploaded file.")
    result = framework_load(data=data, source_name=record.file_name, publish=publish)
    record.framework = result.framework
    if result.framework.is_published:
        if record.status != ImportStatus.PUBLISHED:
            record.published_by, record.published_at = actor, timezone.now()
        record.status = ImportStatus.PUBLISHED
    else:
        record.status = ImportStatus.LOADED
    record.save(update_fields=["framework", "status", "published_by", "published_at"])
    framework_import.refresh_from_db()
    return result
