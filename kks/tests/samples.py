"""Small, valid sample files for tests that upload evidence or SK decrees.

Each builder returns bytes that pass ``kks.uploads.check_upload``; wrap them in
``SimpleUploadedFile(name, data)``. Hostile variants live in the upload tests.
"""

import io
import zipfile

from PIL import Image

from kks.samples import pdf_bytes

__all__ = ["docx_bytes", "image_bytes", "jpeg_bytes", "pdf_bytes", "png_bytes", "xlsx_bytes", "zip_bytes"]


def image_bytes(fmt: str = "PNG", size=(8, 6), color=(0, 128, 64)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format=fmt)
    return out.getvalue()


def png_bytes() -> bytes:
    return image_bytes("PNG")


def jpeg_bytes() -> bytes:
    return image_bytes("JPEG")


def zip_bytes(entries, *, compression=zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=compression) as archive:
        for name, data in entries:
            archive.writestr(name, data)
    return out.getvalue()


CONTENT_TYPES_DOCX = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/word/document.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    b"</Types>"
)
RELS = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    b'officeDocument" Target="word/document.xml"/></Relationships>'
)
DOCUMENT = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    b"<w:body><w:p><w:r><w:t>Notulen rapat Forum</w:t></w:r></w:p></w:body></w:document>"
)


def docx_bytes(extra=()) -> bytes:
    return zip_bytes(
        [("[Content_Types].xml", CONTENT_TYPES_DOCX), ("_rels/.rels", RELS), ("word/document.xml", DOCUMENT), *extra]
    )


def xlsx_bytes() -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.active["A1"] = "Data stop BABS"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
