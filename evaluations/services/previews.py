"""Previews of evidence files: a small image of each image or PDF version, made in the background.

``evidence_preview_schedule`` (called by the evidence service when a version is stored) creates the
pending EvidencePreview row and enqueues the Celery task after the transaction commits; the task calls
``evidence_preview_make``, which reads the stored file, draws at most PREVIEW_EDGE pixels on the long
edge (Pillow for images, poppler's pdftoppm for the first page of a PDF) and stores a WebP under a
random name in the private storage. A file that cannot be drawn leaves the preview "failed" with the
reason; the evidence itself is unaffected. Previews are derived data: no history, remade at will.
"""

from __future__ import annotations

import io
import logging
import subprocess
import tempfile
import warnings
from functools import partial
from pathlib import Path

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageOps

from evaluations.models import EvidencePreview, EvidenceVersion, PreviewStatus
from kks.uploads import IMAGE_MAX_PIXELS

logger = logging.getLogger(__name__)

PREVIEW_EDGE = 320  # pixels on the long edge
PREVIEW_QUALITY = 70
PDF_TIMEOUT_SECONDS = 30
PDFTOPPM = "/usr/bin/pdftoppm"
IMAGE_TYPES = frozenset({"image/jpeg", "image/png"})
PDF_TYPE = "application/pdf"
# The types shown in the page: previewed, and served inline by the view (under a sandboxing CSP).
INLINE_TYPES = IMAGE_TYPES | {PDF_TYPE}
ERROR_MAX = 300


class PreviewError(Exception):
    """The file could not be drawn; the message is kept on the preview."""


def previewable(content_type: str) -> bool:
    return content_type in INLINE_TYPES


def _enqueue(version_id: int) -> None:
    from evaluations.tasks import make_evidence_preview

    try:
        make_evidence_preview.delay(version_id)
    except Exception as exc:  # broker unreachable, or (eager mode) the task's own failure
        logger.exception("cannot make the preview of evidence version %s", version_id)
        EvidencePreview.objects.filter(version_id=version_id, status=PreviewStatus.PENDING).update(
            status=PreviewStatus.FAILED, error=str(exc)[:ERROR_MAX], made_at=timezone.now()
        )


def evidence_preview_schedule(*, version: EvidenceVersion) -> EvidencePreview | None:
    """A pending preview for an image or PDF version, made by a worker once the upload is committed."""
    if not previewable(version.content_type):
        return None
    preview, _created = EvidencePreview.objects.get_or_create(version=version)
    transaction.on_commit(partial(_enqueue, version.pk))
    return preview


@transaction.atomic
def evidence_previews_backfill(*, retry_failed: bool = False) -> int:
    """Schedule the previews of image and PDF versions that have none (stored before previews existed), and
    with ``retry_failed`` those that failed; returns how many were queued."""
    versions = EvidenceVersion.objects.filter(content_type__in=INLINE_TYPES)
    missing = versions.filter(preview__isnull=True)
    queued = 0
    for version in missing.only("pk", "content_type").iterator():
        evidence_preview_schedule(version=version)
        queued += 1
    if retry_failed:
        failed = EvidencePreview.objects.filter(status=PreviewStatus.FAILED)
        ids = list(failed.values_list("version_id", flat=True))
        failed.update(status=PreviewStatus.PENDING, error="")
        for version_id in ids:
            transaction.on_commit(partial(_enqueue, version_id))
        queued += len(ids)
    return queued


def _image_preview(data: bytes) -> Image.Image:
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        with Image.open(io.BytesIO(data)) as image:
            if image.width * image.height > IMAGE_MAX_PIXELS:
                raise PreviewError("image too large")
            image.draft("RGB", (PREVIEW_EDGE * 2, PREVIEW_EDGE * 2))  # JPEG: decode at a fraction of the size
            picture = ImageOps.exif_transpose(image)
            picture.thumbnail((PREVIEW_EDGE, PREVIEW_EDGE))
            return picture.convert("RGB")


def _pdf_preview(data: bytes) -> Image.Image:
    with tempfile.TemporaryDirectory(prefix="kks-preview-") as folder:
        source = Path(folder) / "in.pdf"
        source.write_bytes(data)
        target = Path(folder) / "page"
        command = [PDFTOPPM, "-png", "-f", "1", "-l", "1", "-singlefile", "-scale-to", str(PREVIEW_EDGE)]
        try:
            subprocess.run(  # noqa: S603 - fixed arguments
                [*command, str(source), str(target)],
                check=True,
                capture_output=True,
                timeout=PDF_TIMEOUT_SECONDS,
            )
            with Image.open(target.with_suffix(".png")) as page:
                page.load()
                return page.convert("RGB")
        except subprocess.TimeoutExpired:
            raise PreviewError("pdftoppm timed out") from None
        except subprocess.CalledProcessError as error:
            raise PreviewError(f"pdftoppm failed: {error.stderr.decode(errors='replace')[:200]}") from None
        except FileNotFoundError:
            raise PreviewError("pdftoppm produced no page") from None


def evidence_preview_make(*, version_id: int) -> EvidencePreview:
    """Draw the preview of one version (idempotent: a ready preview is left as it is)."""
    version = EvidenceVersion.objects.get(pk=version_id)
    preview, _created = EvidencePreview.objects.get_or_create(version=version)
    if preview.status == PreviewStatus.READY and preview.file:
        return preview
    try:
        with version.file.open("rb") as handle:
            data = handle.read()
        if version.content_type in IMAGE_TYPES:
            picture = _image_preview(data)
        elif version.content_type == PDF_TYPE:
            picture = _pdf_preview(data)
        else:
            raise PreviewError(f"no preview for {version.content_type}")
        out = io.BytesIO()
        picture.save(out, "WEBP", quality=PREVIEW_QUALITY, method=4)
    except (
        PreviewError,
        OSError,
        ValueError,
        SyntaxError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ) as error:
        logger.warning("no preview for evidence version %s: %s", version_id, error)
        preview.status = PreviewStatus.FAILED
        preview.error = str(error)[:ERROR_MAX] or error.__class__.__name__
        preview.made_at = timezone.now()
        preview.save(update_fields=["status", "error", "made_at"])
        return preview
    old = preview.file.name if preview.file else ""
    preview.file.save("preview.webp", ContentFile(out.getvalue()), save=False)
    preview.width, preview.height = picture.size
    preview.status = PreviewStatus.READY
    preview.error = ""
    preview.made_at = timezone.now()
    preview.save(update_fields=["file", "width", "height", "status", "error", "made_at"])
    if old:
        preview.file.storage.delete(old)
    return preview
