"""Checks for every uploaded file: by content, not by name, and within the size limit.

Used for evidence and SK decrees. Returns what was found so callers can store
the detected type, the size and the SHA-256 alongside the file.
"""

from __future__ import annotations

import hashlib
import os
import unicodedata
import warnings
import zipfile
from dataclasses import dataclass

import magic
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

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
# A PDF must start with its header and end (within the last KiB, as readers
# allow) with %%EOF; a file cut off by a dropped connection does not.
PDF_TAIL_BYTES = 1024
# Archive limits: the declared sizes of an OOXML package are checked without
# decompressing anything, so a zip bomb is refused before anyone opens it.
ZIP_MAX_ENTRIES = 5000
ZIP_MAX_UNCOMPRESSED = 512 * 1024 * 1024
MACRO_PARTS = ("vbaproject.bin", "vbadata.xml")
# Phone cameras reach ~200 megapixels; a larger canvas is a decompression bomb.
IMAGE_MAX_PIXELS = 200_000_000
PIL_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG"}


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


class _ArchiveTooLarge(Exception):
    pass


def _detect(uploaded) -> str:
    uploaded.seek(0)
    head = uploaded.read(HEAD_BYTES)
    uploaded.seek(0)
    try:
        detected = magic.from_buffer(head, mime=True)
    except magic.MagicException:
        return "application/octet-stream"
    if detected == "application/pdf" and not head.startswith(b"%PDF-"):
        # libmagic finds "%PDF-" anywhere near the start, so an HTML page with a
        # PDF header further down (a polyglot) would otherwise pass as PDF.
        return "text/plain"
    if detected in ("application/zip", "application/octet-stream") or detected in OOXML_MARKERS:
        # Only our own look at the archive's directory decides DOCX/XLSX;
        # libmagic guesses from the first local header, which can lie.
        if head.startswith(b"PK\x03\x04"):
            return _detect_ooxml(uploaded) or "application/zip"
        return "application/zip" if detected in OOXML_MARKERS else detected
    return detected


def _zip_names(uploaded) -> list[str] | None:
    """The member names of a ZIP after checking its declared sizes, or None if it is no ZIP."""
    try:
        uploaded.seek(0)
        with zipfile.ZipFile(uploaded) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, KeyError, IndexError):
        return None
    finally:
        uploaded.seek(0)
    if len(infos) > ZIP_MAX_ENTRIES or sum(i.file_size for i in infos) > ZIP_MAX_UNCOMPRESSED:
        raise _ArchiveTooLarge
    return [i.filename for i in infos]


def _detect_ooxml(uploaded) -> str | None:
    """DOCX and XLSX are ZIP files: tell them apart by their parts."""
    names = _zip_names(uploaded)
    if names is None or "[Content_Types].xml" not in names:
        return None
    for mime, marker in OOXML_MARKERS.items():
        if any(n.startswith(marker) for n in names):
            return mime
    return None


def _has_macros(uploaded) -> bool:
    names = _zip_names(uploaded) or []
    return any(n.lower().rsplit("/", 1)[-1] in MACRO_PARTS for n in names)


def _is_complete(uploaded, detected: str) -> bool:
    """Cheap structural checks that catch truncated or forged files of an allowed type."""
    if detected == "application/pdf":
        size = uploaded.size
        uploaded.seek(max(0, size - PDF_TAIL_BYTES))
        tail = uploaded.read(PDF_TAIL_BYTES)
        uploaded.seek(0)
        return b"%%EOF" in tail
    if detected in PIL_FORMATS:
        try:
            uploaded.seek(0)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", Image.DecompressionBombWarning)
                with Image.open(uploaded) as image:
                    if image.format != PIL_FORMATS[detected]:
                        return False
                    width, height = image.size
                    if width * height > IMAGE_MAX_PIXELS:
                        return False
                    image.verify()
        except (UnidentifiedImageError, Image.DecompressionBombError, OSError, ValueError, SyntaxError, EOFError):
            return False
        finally:
            uploaded.seek(0)
    return True


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
    try:
        detected = _detect(uploaded)
    except _ArchiveTooLarge:
        raise ValidationError(
            _("Arsip %(name)s berisi terlalu banyak atau terlalu besar bagian di dalamnya.") % {"name": name},
            code="archive_too_large",
        ) from None
    if detected not in allowed:
        kinds = ", ".join(label for label, _ext in allowed.values())
        raise ValidationError(
            _("Isi berkas %(name)s bukan jenis yang diizinkan (%(kinds)s).") % {"name": name, "kinds": kinds},
            code="bad_type",
        )
    if detected in OOXML_MARKERS and _has_macros(uploaded):
        raise ValidationError(
            _("Berkas %(name)s berisi makro. Simpan ulang tanpa makro lalu unggah lagi.") % {"name": name},
            code="macro",
        )
    if not _is_complete(uploaded, detected):
        raise ValidationError(
            _("Berkas %(name)s rusak atau tidak lengkap. Periksa berkasnya lalu unggah ulang.") % {"name": name},
            code="damaged",
        )
    label, extensions = allowed[detected]
    stem, ext = os.path.splitext(name)
    if ext.lower() not in extensions:
        # Keep the user's name readable but make the extension match the content.
        name = f"{stem or 'berkas'}{sorted(extensions)[0]}"
    return CheckedUpload(content_type=detected, label=label, size=size, sha256=_sha256(uploaded), original_name=name)
