"""Checks for every uploaded file: by content, not by name, and within the size limit.

Used for evidence and SK decrees. Returns what was found so callers can store
the detected type, the size and the SHA-256 alongside the file.
"""

from __future__ import annotations

import hashlib
import io
import os
import posixpath
import unicodedata
import warnings
import zipfile
import zlib
from dataclasses import dataclass
from xml.etree import ElementTree

import magic
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError
from pypdf import PdfReader

from kks import pdf_active

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
# OOXML active content is found by what the package declares and holds, not by part names:
# fragments of a declared content type (lower case) -> the refusal code.
ACTIVE_CONTENT_TYPES = {
    "vbaproject": "macro",  # VBA project and its signature
    "vbadata": "macro",
    "macroenabled": "macro",  # .docm/.xlsm/.pptm main parts saved under another name
    "macrosheet": "macro",  # Excel 4.0 (XLM) macro sheets, intlMacrosheet included
    "dialogsheet": "macro",  # Excel 5 dialog sheets, driven by XLM macros
    "activex": "embedded_object",
    "oleobject": "embedded_object",
}
# Relationship types (last path segment) that bring code or objects in even from inside the package.
ACTIVE_RELATIONSHIPS = {
    "vbaproject": "macro",
    "wordvbadata": "macro",
    "xlmacrosheet": "macro",
    "xlintlmacrosheet": "macro",
    "dialogsheet": "macro",
    "oleobject": "embedded_object",
    "activexcontrol": "embedded_object",
    "activexcontrolbinary": "embedded_object",
}
# External targets allowed: ordinary hyperlinks. Anything else (attachedTemplate, oleObject,
# subDocument, frame, images...) makes Office fetch from an address when the file is opened.
EXTERNAL_ALLOWED_RELATIONSHIPS = {"hyperlink"}
OLE_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")
OOXML_XML_MAX_BYTES = 4 * 1024 * 1024  # [Content_Types].xml and each .rels part
PACKAGE_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
RELATIONSHIPS_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
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


class _Damaged(Exception):
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


def _package_xml(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> ElementTree.Element:
    """One small XML part of the package, parsed; no DTDs (so no entity expansion)."""
    if info.file_size > OOXML_XML_MAX_BYTES:
        raise _Damaged
    data = archive.read(info)
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise _Damaged
    try:
        return ElementTree.fromstring(data)  # noqa: S314 - no DTD (checked above), small, expat 2.4+
    except ElementTree.ParseError:
        raise _Damaged from None


def _ooxml_findings(uploaded) -> tuple[str, str] | None:
    """(refusal code, what was found) for the first active content of an OOXML package, or None.

    Looks at the declared content types, every relationship part and the first bytes of
    every part (an OLE compound file, such as a VBA project or an embedded object, is
    refused whatever its name).
    """
    uploaded.seek(0)
    try:
        with zipfile.ZipFile(uploaded) as archive:
            infos = [i for i in archive.infolist() if not i.is_dir()]
            for info in infos:
                if info.filename.lower().rsplit("/", 1)[-1] in MACRO_PARTS:
                    return "macro", info.filename
            by_name = {i.filename: i for i in infos}
            types = _package_xml(archive, by_name["[Content_Types].xml"])
            for element in types:
                declared = (element.get("ContentType") or "").lower()
                for fragment, code in ACTIVE_CONTENT_TYPES.items():
                    if fragment in declared:
                        return code, element.get("PartName") or element.get("Extension") or declared
            for info in infos:
                parts = info.filename.lower().split("/")
                if "embeddings" in parts[:-1] or "activex" in parts[:-1]:
                    return "embedded_object", info.filename
                if info.filename.lower().endswith(".rels"):
                    found = _relationship_findings(_package_xml(archive, info), info.filename)
                    if found:
                        return found
            for info in infos:
                with archive.open(info) as part:
                    if part.read(len(OLE_SIGNATURE)) == OLE_SIGNATURE:
                        return "embedded_object", info.filename
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        KeyError,
        OSError,
        ValueError,
        EOFError,
        RuntimeError,
        zlib.error,
    ):
        raise _Damaged from None
    finally:
        uploaded.seek(0)
    return None


def _relationship_findings(relationships: ElementTree.Element, part: str) -> tuple[str, str] | None:
    for relationship in relationships.iter(f"{RELATIONSHIPS_NS}Relationship"):
        kind = posixpath.basename(relationship.get("Type") or "").lower()
        target = (relationship.get("Target") or "")[:120]
        if (relationship.get("TargetMode") or "").lower() == "external":
            if kind not in EXTERNAL_ALLOWED_RELATIONSHIPS:
                return "external_reference", f"{kind}: {target}"
        elif kind in ACTIVE_RELATIONSHIPS:
            return ACTIVE_RELATIONSHIPS[kind], f"{part} -> {target}"
    return None


def _pdf_findings(uploaded) -> set[str] | None:
    """Kinds of active content in a PDF; None when it is encrypted with a password. Raises _Damaged."""
    uploaded.seek(0)
    data = uploaded.read()
    uploaded.seek(0)
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            return None
        return pdf_active.inspect_bytes(data, reader)
    except pdf_active.PdfTooComplex:
        raise
    except Exception as error:  # pypdf on hostile input raises many kinds; none may pass as safe
        raise _Damaged from error


def _pdf_kind_labels(kinds: set[str]) -> str:
    labels = {
        pdf_active.JAVASCRIPT: _("JavaScript"),
        pdf_active.LAUNCH: _("perintah menjalankan program (Launch)"),
        pdf_active.FORM_ACTION: _("pengiriman atau impor data formulir"),
        pdf_active.REMOTE_ACTION: _("tautan yang membuka berkas lain"),
        pdf_active.EMBEDDED_FILE: _("berkas tersemat"),
        pdf_active.XFA: _("formulir XFA"),
        pdf_active.RICH_MEDIA: _("media interaktif"),
    }
    return ", ".join(str(labels[kind]) for kind in sorted(kinds))


def _refuse_active_content(uploaded, detected: str, name: str) -> None:
    """Raise ValidationError when a PDF or an OOXML package carries active content."""
    if detected == "application/pdf":
        try:
            kinds = _pdf_findings(uploaded)
        except _Damaged:
            raise _damaged(name) from None
        except pdf_active.PdfTooComplex:
            raise ValidationError(
                _(
                    "Berkas PDF %(name)s terlalu rumit untuk diperiksa (lebih dari %(limit)s objek). "
                    "Perkecil atau pisahkan berkasnya lalu unggah lagi."
                )
                % {"name": name, "limit": f"{pdf_active.MAX_OBJECTS:,}".replace(",", ".")},
                code="too_complex",
            ) from None
        if kinds is None:
            raise ValidationError(
                _(
                    "Berkas PDF %(name)s dikunci dengan kata sandi sehingga isinya tidak bisa diperiksa. "
                    "Buka kuncinya lalu unggah lagi."
                )
                % {"name": name},
                code="encrypted",
            )
        if kinds:
            raise ValidationError(
                _(
                    "Berkas PDF %(name)s berisi konten aktif yang bisa berjalan saat dibuka: %(found)s. "
                    "Cetak ulang berkasnya ke PDF (Print to PDF) tanpa konten aktif lalu unggah lagi."
                )
                % {"name": name, "found": _pdf_kind_labels(kinds)},
                code="active_content",
            )
        return
    if detected not in OOXML_MARKERS:
        return
    try:
        finding = _ooxml_findings(uploaded)
    except _Damaged:
        raise _damaged(name) from None
    if finding is None:
        return
    code, found = finding
    messages = {
        "macro": _("Berkas %(name)s berisi makro (%(found)s). Simpan ulang tanpa makro lalu unggah lagi."),
        "embedded_object": _(
            "Berkas %(name)s berisi objek tersemat (%(found)s). Simpan ulang tanpa objek tersemat lalu unggah lagi."
        ),
        "external_reference": _(
            "Berkas %(name)s memuat templat atau isi dari alamat luar (%(found)s). "
            "Simpan ulang tanpa tautan templat atau objek luar lalu unggah lagi."
        ),
    }
    raise ValidationError(messages[code] % {"name": name, "found": found}, code=code)


def _damaged(name: str) -> ValidationError:
    return ValidationError(
        _("Berkas %(name)s rusak atau tidak lengkap. Periksa berkasnya lalu unggah ulang.") % {"name": name},
        code="damaged",
    )


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
    if not _is_complete(uploaded, detected):
        raise _damaged(name)
    _refuse_active_content(uploaded, detected, name)
    label, extensions = allowed[detected]
    stem, ext = os.path.splitext(name)
    if ext.lower() not in extensions:
        # Keep the user's name readable but make the extension match the content.
        name = f"{stem or 'berkas'}{sorted(extensions)[0]}"
    return CheckedUpload(content_type=detected, label=label, size=size, sha256=_sha256(uploaded), original_name=name)
