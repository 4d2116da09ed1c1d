"""The dossier appendix never carries active content, even from evidence stored before uploads were checked."""

import io

import pytest
from pypdf import PdfReader

from evaluations.pdf import append_pdfs
from kks import pdf_active
from kks.samples import pdf_bytes
from kks.tests import pdf_hostile


def _merged(*builders) -> bytes:
    parts = [(f"Bukti {number}", io.BytesIO(builder())) for number, builder in enumerate(builders, start=1)]
    return append_pdfs(pdf_bytes("Berkas usulan"), parts, outline_title="Lampiran")


@pytest.mark.parametrize("label", list(pdf_hostile.HOSTILE))
def test_each_kind_of_active_content_is_stripped_from_the_merged_file(label):
    builder, _kind = pdf_hostile.HOSTILE[label]
    merged = _merged(builder)
    reader = PdfReader(io.BytesIO(merged))
    assert len(reader.pages) == 1 + len(PdfReader(io.BytesIO(builder())).pages), label
    # Every object of the merged file, parsed, and its bytes outside streams.
    assert pdf_active.find_active_content(reader) == set(), label
    assert pdf_active.scan_raw(merged) == set(), label


def test_all_hostile_evidence_merged_together_leaves_nothing_active_and_keeps_web_links():
    merged = _merged(*(builder for builder, _kind in pdf_hostile.HOSTILE.values()), pdf_hostile.harmless_links)
    reader = PdfReader(io.BytesIO(merged))
    assert pdf_active.find_active_content(reader) == set()
    assert pdf_active.scan_raw(merged) == set()
    assert "/OpenAction" not in reader.trailer["/Root"]
    assert "/AA" not in reader.trailer["/Root"]
    for page in reader.pages:
        assert "/AA" not in page
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            assert annotation.get("/Subtype") != "/FileAttachment"
            assert "/AA" not in annotation
    links = [
        a.get_object()["/A"]["/URI"]
        for page in reader.pages
        for a in page.get("/Annots") or []
        if "/A" in a.get_object() and a.get_object()["/A"].get("/S") == "/URI"
    ]
    assert "https://kks.example.go.id/bukti" in links  # ordinary web links survive
    # The outline still points at every appended part.
    assert [item.title for item in reader.outline[0:1]] == ["Lampiran"]
