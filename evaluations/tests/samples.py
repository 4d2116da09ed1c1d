"""Small real files of each allowed kind, and a few that must be refused."""

from __future__ import annotations

import functools
import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook
from PIL import Image


@functools.cache  # the same bytes on every call: Pillow stamps its PDFs with the current second
def pdf_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "white").save(buffer, "PDF")
    return buffer.getvalue()


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "green").save(buffer, "PNG")
    return buffer.getvalue()


def jpeg_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, "JPEG")
    return buffer.getvalue()


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'wordprocessingml.document.main+xml"/></Types>',
        )
        archive.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships/>')
        archive.writestr("word/document.xml", '<?xml version="1.0"?><w:document/>')
    return buffer.getvalue()


def xlsx_bytes() -> bytes:
    buffer = io.BytesIO()
    book = Workbook()
    book.active["A1"] = "Capaian 2024"
    book.save(buffer)
    return buffer.getvalue()


HTML = b"<!doctype html><html><body><script>alert(1)</script></body></html>"
SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def pdf(name: str = "laporan.pdf") -> SimpleUploadedFile:
    return upload(name, pdf_bytes(), "application/pdf")
