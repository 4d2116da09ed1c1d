"""Hostile and malformed uploads: ``check_upload`` accepts only the allowed types, or says why not."""

import random
import struct
import time
import unicodedata

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from kks.tests import samples
from kks.uploads import ALLOWED_TYPES, IMAGE_MAX_PIXELS, ZIP_MAX_ENTRIES, check_upload, clean_filename

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def upload(name, data):
    """An uploaded file whose name is passed through raw, bypassing Django's own basename step."""
    uploaded = SimpleUploadedFile("upload", data)
    uploaded._name = name
    return uploaded


def refused(name, data, **kwargs):
    with pytest.raises(ValidationError) as excinfo:
        check_upload(upload(name, data), **kwargs)
    return excinfo.value.code


def _patch_central_directory(data: bytes, *, offset: int, fmt: str, value) -> bytes:
    """Overwrite one field in every central-directory header of a ZIP."""
    out = bytearray(data)
    start = 0
    while (start := out.find(b"PK\x01\x02", start)) != -1:
        struct.pack_into(fmt, out, start + offset, value)
        start += 4
    return bytes(out)


# --- the allowed types still pass -------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "builder", "content_type"),
    [
        ("sk.pdf", samples.pdf_bytes, "application/pdf"),
        ("foto.png", samples.png_bytes, "image/png"),
        ("foto.jpg", samples.jpeg_bytes, "image/jpeg"),
        ("notulen.docx", samples.docx_bytes, DOCX),
        ("data.xlsx", samples.xlsx_bytes, XLSX),
    ],
)
def test_valid_files_of_each_allowed_type_are_accepted(name, builder, content_type):
    data = builder()
    checked = check_upload(upload(name, data))
    assert checked.content_type == content_type
    assert checked.size == len(data)
    assert checked.original_name == name


def test_a_pdf_with_a_misleading_name_gets_the_extension_of_its_content():
    checked = check_upload(upload("laporan.docx", samples.pdf_bytes()))
    assert checked.content_type == "application/pdf"
    assert checked.original_name == "laporan.pdf"


# --- hostile content --------------------------------------------------------------------------

HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>\n"
SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b'<script type="text/javascript">alert(1)</script><rect width="10" height="10"/></svg>'
)


@pytest.mark.parametrize(
    ("label", "name", "data"),
    [
        ("html renamed .pdf", "bukti.pdf", HTML),
        ("svg with script", "logo.png", SVG),
        ("svg with its own name", "logo.svg", SVG),
        ("html, then a pdf header (polyglot)", "bukti.pdf", HTML + samples.pdf_bytes()),
        ("pdf header after padding", "bukti.pdf", b" " * 40 + samples.pdf_bytes()),
        ("windows executable", "sk.pdf", b"MZ\x90\x00\x03" + b"\x00" * 59 + b"This program cannot be run in DOS mode"),
        ("elf executable", "foto.jpg", b"\x7fELF\x02\x01\x01" + b"\x00" * 120),
        ("shell script", "data.xlsx", b"#!/bin/sh\nrm -rf /\n"),
        ("gif", "foto.png", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"),
        ("plain zip named docx", "notulen.docx", samples.zip_bytes([("readme.txt", b"halo")])),
        (
            "docx-named zip without [Content_Types].xml",
            "notulen.docx",
            samples.zip_bytes([("_rels/.rels", samples.RELS), ("word/document.xml", samples.DOCUMENT)]),
        ),
        (
            "zip with [Content_Types].xml but no word/ or xl/ part",
            "notulen.docx",
            samples.zip_bytes([("[Content_Types].xml", samples.CONTENT_TYPES_DOCX), ("ppt/slide1.xml", b"<x/>")]),
        ),
        ("junk before a docx", "notulen.docx", b"\x00\x01junk" * 10 + samples.docx_bytes()),
    ],
)
def test_hostile_content_is_refused_as_a_bad_type(label, name, data):
    assert refused(name, data) == "bad_type", label


def test_zip_bomb_like_archive_that_is_not_ooxml_is_refused_without_decompressing():
    bomb = samples.zip_bytes([("nol.bin", b"\x00" * (50 * 1024 * 1024))])
    assert len(bomb) < 200_000
    started = time.monotonic()
    assert refused("laporan.docx", bomb) == "bad_type"
    assert time.monotonic() - started < 2


def test_ooxml_package_declaring_a_huge_uncompressed_size_is_refused():
    # Central-directory field 24 is the uncompressed size: claim ~4 GiB per part.
    forged = _patch_central_directory(samples.docx_bytes(), offset=24, fmt="<I", value=0xFFFFFFF0)
    assert refused("notulen.docx", forged) == "archive_too_large"


def test_ooxml_package_with_too_many_parts_is_refused():
    extra = [(f"word/media/p{i}.xml", b"") for i in range(ZIP_MAX_ENTRIES)]
    assert refused("notulen.docx", samples.docx_bytes(extra)) == "archive_too_large"


def test_docx_whose_directory_hides_the_content_types_part_is_refused():
    # The local header still says [Content_Types].xml (what libmagic reads);
    # the central directory, which every ZIP reader trusts, does not.
    data = samples.docx_bytes()
    index = data.find(b"[Content_Types].xml", data.find(b"PK\x01\x02"))
    forged = data[:index] + b"[Content_Types].xmm" + data[index + 19 :]
    assert refused("notulen.docx", forged) == "bad_type"


def test_macro_enabled_document_renamed_docx_is_refused():
    data = samples.docx_bytes([("word/vbaProject.bin", b"\xd0\xcf\x11\xe0macro")])
    assert refused("notulen.docx", data) == "macro"


@pytest.mark.parametrize(
    ("label", "data"),
    [
        ("bare header", b"%PDF-"),
        ("header and version only", b"%PDF-1.7\n"),
        ("upload cut off halfway", samples.pdf_bytes()[:300]),
        ("no %%EOF near the end", samples.pdf_bytes() + b"\x00" * 2048),
    ],
)
def test_truncated_pdf_is_refused_as_damaged(label, data):
    assert refused("sk.pdf", data) == "damaged", label


@pytest.mark.parametrize(
    ("label", "name", "data"),
    [
        ("jpeg markers only", "foto.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32),
        ("png cut off", "foto.png", samples.png_bytes()[:40]),
        ("png with a broken checksum", "foto.png", samples.png_bytes()[:-5] + b"\x00\x00\x00\x00\x00"),
    ],
)
def test_broken_images_are_refused_as_damaged(label, name, data):
    assert refused(name, data) == "damaged", label


def _png_header_only(width, height):
    import zlib

    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00")) + chunk(b"IEND", b"")


def test_decompression_bomb_image_is_refused():
    side = int(IMAGE_MAX_PIXELS**0.5) + 1000
    assert refused("foto.png", _png_header_only(side, side)) == "damaged"


def test_empty_file_is_refused():
    assert refused("kosong.pdf", b"") == "empty"


def test_oversize_file_is_refused_before_its_content_is_read(settings):
    settings.KKS_UPLOAD_MAX_BYTES = 1024
    assert refused("besar.pdf", samples.pdf_bytes() + b"%" * 2048) == "too_large"
    assert refused("besar.pdf", b"x" * 100, max_bytes=10) == "too_large"


# --- hostile names ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\windows\\system32\\sk.pdf", "sk.pdf"),
        ("/absolute/path/sk.pdf", "sk.pdf"),
        ("sk\x00.exe.pdf", "sk.exe.pdf"),
        ("..", "berkas.pdf"),
        (".htaccess", "htaccess.pdf"),
        ("   ", "berkas.pdf"),
        ("laporan\u202efdp.exe", "laporanfdp.pdf"),  # RTL override: shows as "laporanexe.pdf"
        ("bukti\u200b\u2066.pdf", "bukti.pdf"),
        ("bukti\r\nSet-Cookie: x=1.pdf", "buktiSet-Cookie: x=1.pdf"),
    ],
)
def test_hostile_names_are_cleaned(raw, expected):
    assert check_upload(upload(raw, samples.pdf_bytes())).original_name == expected


def test_very_long_name_is_shortened_but_keeps_a_matching_extension():
    checked = check_upload(upload("a" * 5000 + ".pdf", samples.pdf_bytes()))
    assert checked.original_name.endswith(".pdf")
    assert len(checked.original_name) <= 210  # fits EvidenceVersion.original_name (255)


def _name_is_clean(name):
    return (
        name
        and "/" not in name
        and "\\" not in name
        and not name.startswith(".")
        and all(unicodedata.category(ch)[0] != "C" for ch in name)
        and len(name) <= 200
    )


def test_clean_filename_on_random_names_never_leaves_paths_or_control_characters():
    rng = random.Random(20251122)
    alphabet = "ab./\\\x00\x1f\x7f\u202e\u200b\ufeff\ud800 \u00e9\u0301.-_"
    for _ in range(300):
        raw = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 300)))
        assert _name_is_clean(clean_filename(raw)), repr(raw)


# --- property-style fuzzing -----------------------------------------------------------------------

HEADERS = [b"%PDF-1.4\n", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff\xe0", b"PK\x03\x04", b"MZ", b"<html>", b"GIF89a", b""]
VALID = [samples.pdf_bytes, samples.png_bytes, samples.jpeg_bytes, samples.docx_bytes, samples.xlsx_bytes]


def _fuzz_case(rng):
    kind = rng.randrange(4)
    if kind == 0:  # noise
        return bytes(rng.getrandbits(8) for _ in range(rng.randint(1, 4096)))
    if kind == 1:  # a plausible header followed by noise
        return rng.choice(HEADERS) + bytes(rng.getrandbits(8) for _ in range(rng.randint(0, 2048)))
    valid = rng.choice(VALID)()
    if kind == 2:  # a valid file cut off anywhere
        return valid[: rng.randint(1, len(valid))]
    data = bytearray(valid)  # a valid file with a few bytes flipped
    for _ in range(rng.randint(1, 8)):
        data[rng.randrange(len(data))] = rng.getrandbits(8)
    return bytes(data)


def test_random_and_mutated_files_are_either_allowed_types_or_validation_errors():
    rng = random.Random(5)
    outcomes = {"accepted": 0, "refused": 0}
    codes = []
    for case in range(200):
        data = _fuzz_case(rng)
        name = rng.choice(["bukti.pdf", "foto.jpg", "x.png", "a.docx", "b.xlsx", "tanpa-nama", "../x.exe"])
        try:
            checked = check_upload(upload(name, data))
        except ValidationError as error:
            codes.append(error.code)
            outcomes["refused"] += 1
            continue
        # Any other exception propagates and fails the test with the case number in the traceback.
        outcomes["accepted"] += 1
        assert checked.content_type in ALLOWED_TYPES, case
        label, extensions = ALLOWED_TYPES[checked.content_type]
        assert checked.label == label
        assert any(checked.original_name.endswith(ext) for ext in extensions), (case, checked.original_name)
        if checked.content_type == "application/pdf":
            assert data.startswith(b"%PDF-"), case
            assert b"%%EOF" in data[-1024:], case
        if checked.content_type in (DOCX, XLSX):
            assert data.startswith(b"PK\x03\x04"), case
            assert b"[Content_Types].xml" in data, case
    assert set(codes) <= {
        *("empty", "too_large", "bad_type", "damaged", "macro", "archive_too_large"),
        *("active_content", "encrypted", "embedded_object", "external_reference", "too_complex"),
    }
    # The generator exercises both outcomes; otherwise the loop proves nothing.
    assert outcomes["accepted"] >= 10
    assert outcomes["refused"] >= 100
