"""Active content at upload: PDFs with scripts, actions or attachments; OOXML with macros, objects, remote parts."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader, PdfWriter

from kks import pdf_active
from kks.tests import pdf_hostile, samples
from kks.uploads import check_upload

OLE = bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 504
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def refusal(name, data):
    with pytest.raises(ValidationError) as excinfo:
        check_upload(SimpleUploadedFile(name, data))
    return excinfo.value.code, excinfo.value.messages[0]


# --- PDF -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("label", list(pdf_hostile.HOSTILE))
def test_pdf_with_active_content_is_refused_naming_what_was_found(label):
    builder, kind = pdf_hostile.HOSTILE[label]
    code, message = refusal("bukti.pdf", builder())
    assert code == "active_content", label
    assert "konten aktif" in message
    expected = {
        "javascript": "JavaScript",
        "launch": "Launch",
        "remote_action": "membuka berkas lain",
        "embedded_file": "berkas tersemat",
        "form_action": "data formulir",
        "xfa": "XFA",
    }[kind]
    assert expected in message, (label, message)


def test_javascript_in_an_object_stream_is_found_by_parsing_not_by_bytes():
    data = pdf_hostile.object_stream_javascript()
    assert pdf_active.scan_raw(data) == set()  # nothing to see in the bytes...
    assert pdf_active.find_active_content(PdfReader(io.BytesIO(data))) == {"javascript"}  # ...but parsed


def test_obfuscated_names_are_found_both_parsed_and_in_the_bytes():
    data = pdf_hostile.obfuscated_names()
    assert b"/JavaScript" not in data
    assert pdf_active.scan_raw(data) == {"javascript"}
    assert pdf_active.find_active_content(PdfReader(io.BytesIO(data))) == {"javascript"}


def test_pdfs_with_web_links_and_bookmarks_are_still_accepted():
    assert check_upload(SimpleUploadedFile("bukti.pdf", pdf_hostile.harmless_links())).content_type == (
        "application/pdf"
    )
    assert check_upload(SimpleUploadedFile("bukti.pdf", samples.pdf_bytes())).content_type == "application/pdf"


def test_password_protected_pdf_is_refused_because_it_cannot_be_inspected():
    writer = PdfWriter(clone_from=io.BytesIO(pdf_hostile.open_action_javascript()))
    writer.encrypt("sandi")
    out = io.BytesIO()
    writer.write(out)
    code, message = refusal("kunci.pdf", out.getvalue())
    assert code == "encrypted"
    assert "kata sandi" in message


def test_pdf_only_protected_by_an_owner_password_is_inspected():
    writer = PdfWriter(clone_from=io.BytesIO(pdf_hostile.page_open_aa_javascript()))
    writer.encrypt(user_password="", owner_password="pemilik")
    out = io.BytesIO()
    writer.write(out)
    assert refusal("kunci.pdf", out.getvalue())[0] == "active_content"


def test_pdf_that_pypdf_cannot_parse_is_refused_as_damaged():
    data = b"%PDF-1.4\n" + b"\x00garbage" * 50 + b"\n%%EOF\n"
    assert refusal("rusak.pdf", data)[0] == "damaged"


# --- OOXML ---------------------------------------------------------------------------------------


def _content_types(*overrides: tuple[str, str], defaults=()) -> bytes:
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
    )
    for extension, content_type in defaults:
        xml += f'<Default Extension="{extension}" ContentType="{content_type}"/>'
    for part, content_type in overrides:
        xml += f'<Override PartName="{part}" ContentType="{content_type}"/>'
    return (xml + "</Types>").encode()


DOCX_MAIN = ("/word/document.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml")


def _docx(*overrides, parts=(), defaults=()) -> bytes:
    return samples.zip_bytes(
        [
            ("[Content_Types].xml", _content_types(DOCX_MAIN, *overrides, defaults=defaults)),
            ("_rels/.rels", samples.RELS),
            ("word/document.xml", samples.DOCUMENT),
            *parts,
        ]
    )


def _rels(*relationships: tuple[str, str, str | None]) -> bytes:
    xml = '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    for number, (kind, target, mode) in enumerate(relationships, start=1):
        mode_attr = f' TargetMode="{mode}"' if mode else ""
        xml += f'<Relationship Id="rId{number}" Type="{REL_NS}/{kind}" Target="{target}"{mode_attr}/>'
    return (xml + "</Relationships>").encode()


def _xlsx_with(extra_parts, extra_types) -> bytes:
    """openpyxl's real workbook plus extra parts and content-type overrides."""
    source = zipfile.ZipFile(io.BytesIO(samples.xlsx_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "[Content_Types].xml":
                overrides = "".join(f'<Override PartName="{p}" ContentType="{t}"/>' for p, t in extra_types)
                data = data.replace(b"</Types>", overrides.encode() + b"</Types>")
            target.writestr(info.filename, data)
        for name, data in extra_parts:
            target.writestr(name, data)
    return out.getvalue()


MACROSHEET = b'<xm:macrosheet xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main"/>'


@pytest.mark.parametrize(
    ("label", "name", "data", "code"),
    [
        (
            "VBA project renamed, declared by its content type",
            "notulen.docx",
            _docx(("/word/gambar.dat", "application/vnd.ms-office.vbaProject"), parts=[("word/gambar.dat", OLE)]),
            "macro",
        ),
        (
            "VBA project renamed, declared by a Default extension",
            "notulen.docx",
            _docx(defaults=[("dat", "application/vnd.ms-office.vbaProject")], parts=[("word/media/x.dat", b"vba")]),
            "macro",
        ),
        (
            "macro-enabled main part (a .docm renamed .docx)",
            "notulen.docx",
            samples.zip_bytes(
                [
                    (
                        "[Content_Types].xml",
                        _content_types(
                            ("/word/document.xml", "application/vnd.ms-word.document.macroEnabled.main+xml")
                        ),
                    ),
                    ("_rels/.rels", samples.RELS),
                    ("word/document.xml", samples.DOCUMENT),
                ]
            ),
            "macro",
        ),
        (
            "OLE compound file hidden under an image name, nothing declared",
            "notulen.docx",
            _docx(parts=[("word/media/image1.png", OLE)]),
            "embedded_object",
        ),
        (
            "relationship to a VBA project under another name",
            "notulen.docx",
            _docx(parts=[("word/_rels/document.xml.rels", _rels(("vbaProject", "gambar.png", None)))]),
            "macro",
        ),
        (
            "remote template (attachedTemplate, external)",
            "notulen.docx",
            _docx(
                parts=[
                    ("word/settings.xml", b'<w:settings xmlns:w="x"/>'),
                    (
                        "word/_rels/settings.xml.rels",
                        _rels(("attachedTemplate", "https://evil.invalid/t.dotm", "External")),
                    ),
                ]
            ),
            "external_reference",
        ),
        (
            "remote OLE object (external)",
            "notulen.docx",
            _docx(parts=[("word/_rels/document.xml.rels", _rels(("oleObject", "\\\\evil\\share\\x.bin", "External")))]),
            "external_reference",
        ),
        (
            "remote subDocument",
            "notulen.docx",
            _docx(
                parts=[
                    ("word/_rels/document.xml.rels", _rels(("subDocument", "https://evil.invalid/a.docx", "External")))
                ]
            ),
            "external_reference",
        ),
        (
            "remote frame",
            "notulen.docx",
            _docx(
                parts=[("word/_rels/webSettings.xml.rels", _rels(("frame", "https://evil.invalid/f.htm", "external")))]
            ),
            "external_reference",
        ),
        (
            "embedded OLE object",
            "notulen.docx",
            _docx(
                ("/word/embeddings/oleObject1.bin", "application/vnd.openxmlformats-officedocument.oleObject"),
                parts=[
                    ("word/embeddings/oleObject1.bin", OLE),
                    ("word/_rels/document.xml.rels", _rels(("oleObject", "embeddings/oleObject1.bin", None))),
                ],
            ),
            "embedded_object",
        ),
        (
            "embedded package without a declared type",
            "notulen.docx",
            _docx(parts=[("word/embeddings/Microsoft_Excel_Worksheet.xlsx", samples.xlsx_bytes())]),
            "embedded_object",
        ),
        (
            "ActiveX control",
            "notulen.docx",
            _docx(
                ("/word/activeX/activeX1.xml", "application/vnd.ms-office.activeX+xml"),
                parts=[("word/activeX/activeX1.xml", b"<ax:ocx xmlns:ax='x'/>")],
            ),
            "embedded_object",
        ),
        (
            "Excel 4.0 macro sheet",
            "data.xlsx",
            _xlsx_with(
                [("xl/macrosheets/sheet2.xml", MACROSHEET)],
                [("/xl/macrosheets/sheet2.xml", "application/vnd.ms-excel.macrosheet+xml")],
            ),
            "macro",
        ),
        (
            "international macro sheet",
            "data.xlsx",
            _xlsx_with(
                [("xl/macrosheets/intl.xml", MACROSHEET)],
                [("/xl/macrosheets/intl.xml", "application/vnd.ms-excel.intlmacrosheet+xml")],
            ),
            "macro",
        ),
        (
            "dialog sheet",
            "data.xlsx",
            _xlsx_with(
                [("xl/dialogsheets/sheet1.xml", b"<dialogsheet/>")],
                [
                    (
                        "/xl/dialogsheets/sheet1.xml",
                        "application/vnd.openxmlformats-officedocument.spreadsheetml.dialogsheet+xml",
                    )
                ],
            ),
            "macro",
        ),
        (
            "macro sheet linked only by a relationship",
            "data.xlsx",
            _xlsx_with([("xl/_rels/extra.xml.rels", _rels(("xlMacrosheet", "macrosheets/a.xml", None)))], []),
            "macro",
        ),
    ],
)
def test_ooxml_with_active_content_is_refused(label, name, data, code):
    found, message = refusal(name, data)
    assert found == code, label
    assert name in message


def test_ooxml_with_an_entity_declaration_is_refused_as_damaged():
    bomb = b'<?xml version="1.0"?><!DOCTYPE t [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><Types>&b;</Types>'
    data = samples.zip_bytes([("[Content_Types].xml", bomb), ("word/document.xml", samples.DOCUMENT)])
    assert refusal("notulen.docx", data)[0] == "damaged"


def test_ooxml_with_ordinary_web_links_is_accepted():
    data = _docx(
        parts=[("word/_rels/document.xml.rels", _rels(("hyperlink", "https://kks.example.go.id", "External")))]
    )
    assert check_upload(SimpleUploadedFile("notulen.docx", data)).label == "DOCX"


def test_a_pdf_with_more_objects_than_can_be_inspected_is_refused(monkeypatch):
    monkeypatch.setattr(pdf_active, "MAX_OBJECTS", 3)
    code, message = refusal("bukti.pdf", pdf_hostile.harmless_links())
    assert code == "too_complex"
    assert "terlalu rumit" in message


def test_a_pdf_without_any_name_active_content_needs_is_not_parsed_object_by_object(monkeypatch):
    parsed = []
    real = pdf_active.find_active_content
    monkeypatch.setattr(pdf_active, "find_active_content", lambda reader: parsed.append(1) or real(reader))
    check_upload(SimpleUploadedFile("sk.pdf", samples.pdf_bytes()))
    assert parsed == []
    # A name that active content needs, even #-escaped, or an object stream sends the file through the full parse.
    check_upload(SimpleUploadedFile("bukti.pdf", pdf_hostile.raw_pdf(b"/Foo /#55RI")))
    assert parsed == [1]
    refusal("bukti.pdf", pdf_hostile.object_stream_javascript())
    assert parsed == [1, 1]
