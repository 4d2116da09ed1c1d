"""Checks for every uploaded file: by content, not by name, and within the size limit.

Used for evidence and SK decrees. Returns what was found so callers can store
the detected type, the size and the SHA-256 alongside the file.
"""

from __future__ import annotations

import hashlib
import os
import unicodedata
import zipfile
from dataclasses import dataclass

import magic
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# Detected MIME type -> (label, extensions a user would expect)
ALLOWED_TYPES = {
    "application/pdf": ("PDF", {".pdf"}),
    "image/jpeg": ("JPEG", {".jpg", ".jpeg"}),
    "image/png": ("PNG", {".png"}),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ("DOCX", {".docx"}),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ("XLSX", {".xlsx"}),
}
OOXML_MARKERS = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "word/",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xl/",
}
HEAD_BYTES = 8192


@dataclass(frozen=True)
class CheckedUpload:
    content_type: str
    label: str
    size: int
    sha256: str
    original_name: str


def clean_filename(name: str) -> str:
    """A display name without any path, control characters or leading dots."""
    name = unicodedata.normalize("NFC", name or "")
    name = name.replace("\\", "/").split("/")[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip().lstrip(".")
    return name[:200] or "berkas"


def _detect(uploaded) -> str:
    uploaded.seek(0)
    head = uploaded.read(HEAD_BYTES)
    uploaded.seek(0)
    detected = magic.from_buffer(head, mime=True)
    if detected in ("application/zip", "application/octet-stream") or detected in OOXML_MARKERS:
        detected = _detect_ooxml(uploaded) or detected
    return detected


def _detect_ooxml(uploaded) -> str | None:
    """DOCX and XLSX are ZIP files: tell them apart by their parts."""
    try:
        uploaded.seek(0)
        with zipfile.ZipFile(uploaded) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        uploaded.seek(0)
    if "[Content_Types].xml" not in names:
        return None
    for mime, marker in OOXML_MARKERS.items():
        if any(n.startswith(marker) for n in names):
            return mime
    return None


def _sha256(uploaded) -> str:
    digest = hashlib.sha256()
    uploaded.seek(0)
    for chunk in uploaded.chunks() if hasattr(uploaded, "chunks") else iter(lambda: uploaded.read(65536), b""):
        digest.update(chunk)
    uploaded.seek(0)
    return digest.hexdigest()


def check_upload(uploaded, *, max_bytes: int | None = None, allowed: dict | None = None) -> CheckedUpload:
    """Validate an uploaded file; raise ValidationError with a message in Bahasa Indonesia."""
    allowed = allowed or ALLOWED_TYPES
    limit = max_bytes if max_bytes is not None else settings.KKS_UPLOAD_MAX_BYTES
    name = clean_filename(getattr(uploaded, "name", ""))
    size = uploaded.size
    if not size:
        raise ValidationError(_("Berkas %(name)s kosong.") % {"name": name}, code="empty")
    if size > limit:
        raise ValidationError(
            _("Berkas %(name)s terlalu besar (%(size)s); batasnya %(limit)s.")
            % {"name": name, "size": filesizeformat(size), "limit": filesizeformat(limit)},
            code="too_large",
        )
    detected = _detect(uploaded)
    if detected not in allowed:
        kinds = ", ".join(label for label, _ext in allowed.values())
        raise ValidationError(
            _("Isi berkas %(name)s bukan jenis yang diizinkan (%(kinds)s).") % {"name": name, "kinds": kinds},
            code="bad_type",
        )
    label, extensions = allowed[detected]
    stem, ext = os.path.splitext(name)
    if ext.lower() not in extensions:
        # Keep the user's name readable but make the extension match the content.
        name = f"{stem or 'berkas'}{sorted(extensions)[0]}"
    return CheckedUpload(content_type=detected, label=label, size=size, sha256=_sha256(uploaded), original_name=name)
