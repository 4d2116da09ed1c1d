"""Hostile PDF samples built in code: JavaScript, launch actions, attachments, form actions, XFA.

``HOSTILE`` maps a label to a builder returning PDF bytes; every one of them must be refused at
upload and emptied of its active content when appended to a dossier.
"""

from __future__ import annotations

import io
import zlib

from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

from kks.samples import pdf_bytes


def _n(name: str) -> NameObject:
    return NameObject(name)


def _action(kind: str, **entries) -> DictionaryObject:
    action = DictionaryObject({_n("/Type"): _n("/Action"), _n("/S"): _n(kind)})
    for key, value in entries.items():
        action[_n(f"/{key}")] = value
    return action


def _js(code: str = "app.alert('x')") -> DictionaryObject:
    return _action("/JavaScript", JS=TextStringObject(code))


def _writer_pdf(mutate) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    mutate(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _rect() -> ArrayObject:
    return ArrayObject([FloatObject(10), FloatObject(10), FloatObject(100), FloatObject(40)])


def _annotate(writer: PdfWriter, annotation: DictionaryObject) -> None:
    annotation.update({_n("/Type"): _n("/Annot"), _n("/Rect"): _rect()})
    page = writer.pages[0]
    page[_n("/Annots")] = ArrayObject([writer._add_object(annotation)])


def open_action_javascript() -> bytes:
    return _writer_pdf(lambda w: w._root_object.__setitem__(_n("/OpenAction"), w._add_object(_js())))


def names_javascript() -> bytes:
    def mutate(writer):
        tree = DictionaryObject({_n("/Names"): ArrayObject([TextStringObject("skrip"), writer._add_object(_js())])})
        writer._root_object[_n("/Names")] = DictionaryObject({_n("/JavaScript"): writer._add_object(tree)})

    return _writer_pdf(mutate)


def page_open_aa_javascript() -> bytes:
    def mutate(writer):
        writer.pages[0][_n("/AA")] = DictionaryObject({_n("/O"): writer._add_object(_js())})

    return _writer_pdf(mutate)


def link_launch() -> bytes:
    launch = _action(
        "/Launch", F=TextStringObject("cmd.exe"), Win=DictionaryObject({_n("/F"): TextStringObject("cmd")})
    )
    return _writer_pdf(lambda w: _annotate(w, DictionaryObject({_n("/Subtype"): _n("/Link"), _n("/A"): launch})))


def annotation_aa_javascript() -> bytes:
    aa = DictionaryObject({_n("/E"): _js("app.launchURL('https://example.invalid')")})
    return _writer_pdf(lambda w: _annotate(w, DictionaryObject({_n("/Subtype"): _n("/Link"), _n("/AA"): aa})))


def link_to_local_file() -> bytes:
    uri = _action("/URI", URI=TextStringObject("file:///C:/Windows/System32/calc.exe"))
    return _writer_pdf(lambda w: _annotate(w, DictionaryObject({_n("/Subtype"): _n("/Link"), _n("/A"): uri})))


def javascript_uri() -> bytes:
    uri = _action("/URI", URI=TextStringObject(" JavaScript:app.alert(1)"))
    return _writer_pdf(lambda w: _annotate(w, DictionaryObject({_n("/Subtype"): _n("/Link"), _n("/A"): uri})))


def remote_goto() -> bytes:
    goto = _action("/GoToR", F=TextStringObject("\\\\server\\share\\x.pdf"), D=ArrayObject([NumberObject(0)]))
    return _writer_pdf(lambda w: _annotate(w, DictionaryObject({_n("/Subtype"): _n("/Link"), _n("/A"): goto})))


def embedded_file() -> bytes:
    return _writer_pdf(lambda w: w.add_attachment("program.exe", b"MZ\x90\x00 not really a program"))


def file_attachment_annotation() -> bytes:
    def mutate(writer):
        stream = DecodedStreamObject()
        stream.set_data(b"MZ\x90\x00")
        stream[_n("/Type")] = _n("/EmbeddedFile")
        spec = DictionaryObject(
            {
                _n("/Type"): _n("/Filespec"),
                _n("/F"): TextStringObject("lampiran.exe"),
                _n("/EF"): DictionaryObject({_n("/F"): writer._add_object(stream)}),
            }
        )
        _annotate(writer, DictionaryObject({_n("/Subtype"): _n("/FileAttachment"), _n("/FS"): spec}))

    return _writer_pdf(mutate)


def _form(writer: PdfWriter, action: DictionaryObject, *, xfa: bool = False) -> None:
    field = DictionaryObject(
        {
            _n("/Subtype"): _n("/Widget"),
            _n("/FT"): _n("/Btn"),
            _n("/T"): TextStringObject("kirim"),
            _n("/A"): action,
        }
    )
    _annotate(writer, field)
    acroform = DictionaryObject({_n("/Fields"): ArrayObject([writer.pages[0]["/Annots"][0]])})
    if xfa:
        template = DecodedStreamObject()
        template.set_data(b"<xdp:xdp xmlns:xdp='http://ns.adobe.com/xdp/'><script>app.alert(1)</script></xdp:xdp>")
        acroform[_n("/XFA")] = writer._add_object(template)
    writer._root_object[_n("/AcroForm")] = writer._add_object(acroform)


def submit_form() -> bytes:
    submit = _action(
        "/SubmitForm", F=DictionaryObject({_n("/FS"): _n("/URL"), _n("/F"): TextStringObject("https://x.invalid")})
    )
    return _writer_pdf(lambda w: _form(w, submit))


def import_data() -> bytes:
    return _writer_pdf(lambda w: _form(w, _action("/ImportData", F=TextStringObject("data.fdf"))))


def xfa_form() -> bytes:
    return _writer_pdf(lambda w: _form(w, _action("/GoTo", D=ArrayObject([NumberObject(0)])), xfa=True))


# --- hand-written files: obfuscated names and compressed object streams --------------------------


def raw_pdf(catalog_extra: bytes) -> bytes:
    """``samples.pdf_bytes()`` with ``catalog_extra`` inside the catalog dictionary (offsets recomputed)."""
    base = pdf_bytes()
    body = base[: base.index(b"xref\n")]
    body = body.replace(
        b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Catalog /Pages 2 0 R " + catalog_extra + b" >>"
    )
    offsets = [body.index(b"%d 0 obj" % number) for number in range(1, 6)]
    xref = b"xref\n0 6\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    return body + xref + b"trailer\n<< /Size 6 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % len(body)


def obfuscated_names() -> bytes:
    # "/J#61vaScript" is "/JavaScript" and "/J#53" is "/JS" to every PDF reader.
    return raw_pdf(b"/OpenAction << /S /J#61vaScript /J#53 (app.alert\\(1\\)) >>")


def object_stream_javascript() -> bytes:
    """The open action lives in a compressed object stream, listed by a cross-reference stream: no
    active-content name appears anywhere in the file's bytes."""
    action = b"<< /S /JavaScript /JS (app.alert\\(1\\)) >>"
    index = b"6 0 "
    packed = zlib.compress(index + action)
    out = io.BytesIO()
    out.write(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R /OpenAction 6 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        4: b"<< /Type /ObjStm /N 1 /First %d /Filter /FlateDecode /Length %d >>\nstream\n" % (len(index), len(packed))
        + packed
        + b"\nendstream",
    }
    for number, body in objects.items():
        offsets[number] = out.tell()
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref_offset = out.tell()
    rows = [b"\x00" + (0).to_bytes(4, "big") + b"\xff\xff"]
    rows += [b"\x01" + offsets[n].to_bytes(4, "big") + b"\x00\x00" for n in (1, 2, 3, 4)]
    rows.append(b"\x01" + xref_offset.to_bytes(4, "big") + b"\x00\x00")  # 5: this xref stream
    rows.append(b"\x02" + (4).to_bytes(4, "big") + b"\x00\x00")  # 6: object 0 of stream 4
    table = zlib.compress(b"".join(rows))
    out.write(
        b"5 0 obj\n<< /Type /XRef /Size 7 /W [1 4 2] /Root 1 0 R /Filter /FlateDecode /Length %d >>\nstream\n"
        % len(table)
        + table
        + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % xref_offset
    )
    return out.getvalue()


HOSTILE = {
    "catalog /OpenAction JavaScript": (open_action_javascript, "javascript"),
    "document JavaScript in /Names": (names_javascript, "javascript"),
    "page /AA /O JavaScript": (page_open_aa_javascript, "javascript"),
    "link annotation with /Launch": (link_launch, "launch"),
    "annotation /AA JavaScript": (annotation_aa_javascript, "javascript"),
    "link to a local file": (link_to_local_file, "remote_action"),
    "GoToR to a network share": (remote_goto, "remote_action"),
    "link to a javascript: address": (javascript_uri, "javascript"),
    "/EmbeddedFiles attachment": (embedded_file, "embedded_file"),
    "file attachment annotation": (file_attachment_annotation, "embedded_file"),
    "form /SubmitForm": (submit_form, "form_action"),
    "form /ImportData": (import_data, "form_action"),
    "XFA form": (xfa_form, "xfa"),
    "obfuscated /J#61vaScript": (obfuscated_names, "javascript"),
    "JavaScript inside a compressed object stream": (object_stream_javascript, "javascript"),
}


def harmless_links() -> bytes:
    """A PDF with an ordinary web link and an internal go-to: no active content."""

    def mutate(writer):
        writer.add_blank_page(width=595, height=842)
        web = _action("/URI", URI=TextStringObject("https://kks.example.go.id/bukti"))
        _annotate(writer, DictionaryObject({_n("/Subtype"): _n("/Link"), _n("/A"): web}))
        writer.add_outline_item(title="Halaman 2", page_number=1)

    return _writer_pdf(mutate)
