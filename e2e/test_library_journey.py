"""The evidence library on a phone: an SK uploaded once from a card, linked to 3 indicators, the same file
offered back instead of a copy, and carried into the next cycle where the reviewer sees it marked."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from evaluations.models import Document, Evidence, Response
from evaluations.services.assessments import assessment_create
from evaluations.tests.factories import CycleFactory

from .conftest import PHONE, axe_check, pdf_bytes, screenshot

pytestmark = pytest.mark.browser


def test_a_document_linked_to_three_indicators_and_carried_into_the_next_cycle(
    journey, coordinator, reviewer, admin_user, session_page, live_server
):
    first, second, third = list(
        Response.objects.filter(assessment=journey, indicator__tatanan__number=1)
        .select_related("indicator")
        .order_by("indicator__sort_order")[:3]
    )
    sk = pdf_bytes("SK Wali Kota tentang Forum KKS")
    page = session_page(coordinator, **PHONE)
    page.goto(f"{live_server.url}/penilaian/{journey.pk}/tatanan/{first.indicator.tatanan_id}/")
    page.locator(f"#r{first.pk}").get_by_role("link", name="Pilih dari pustaka").tap()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Pustaka dokumen Kota Kediri")
    expect(page.get_by_text(f"Memilih dokumen untuk indikator {first.indicator.code}")).to_be_visible()
    axe_check(page, context="library, empty, from a card")

    page.get_by_label("Jenis dokumen").select_option("sk")
    page.get_by_label("Judul").fill("SK Forum KKS Kota Kediri")
    page.get_by_label("Nomor").fill("188.45/123/419.33/2025")
    page.get_by_label("Penanda tangan").fill("Wali Kota Kediri")
    page.get_by_label("Berkas").set_input_files(
        files=[{"name": "sk-forum.pdf", "mimeType": "application/pdf", "buffer": sk}]
    )
    page.get_by_role("button", name=f"Unggah dan tautkan ke {first.indicator.code}").tap()
    # Back on the card, with the document as its evidence.
    expect(
        page.get_by_text(f"SK Forum KKS Kota Kediri disimpan di pustaka dan ditautkan ke {first.indicator.code}.")
    ).to_be_visible()
    expect(page.locator(f"#r{first.pk}").get_by_text("Dokumen pustaka")).to_be_visible()

    # Two more indicators from the library page.
    page.goto(f"{live_server.url}/pustaka/{journey.regency_id}/")
    document = Document.objects.get()
    page.locator(f"#d{document.pk}-responses").select_option([str(second.pk), str(third.pk)])
    page.locator(f"#d{document.pk}").get_by_role("button", name="Tautkan", exact=True).tap()
    expect(page.get_by_text("SK Forum KKS Kota Kediri ditautkan ke")).to_be_visible()
    axe_check(page, context="library with a linked document")
    screenshot(page, "library-phone", full_page=True)
    assert sorted(Evidence.objects.filter(document=document).values_list("response_id", flat=True)) == sorted(
        [first.pk, second.pk, third.pk]
    )

    # The same file again: the existing document is offered instead of a copy.
    page.get_by_text("Unggah dokumen baru").tap()
    page.get_by_label("Jenis dokumen").select_option("sk")
    page.get_by_label("Berkas").set_input_files(
        files=[{"name": "sk-salinan.pdf", "mimeType": "application/pdf", "buffer": sk}]
    )
    page.get_by_role("button", name="Unggah ke pustaka").tap()
    expect(page.get_by_role("alert")).to_contain_text("Berkas yang sama sudah ada di pustaka")
    assert Document.objects.count() == 1

    # Next cycle: carried, and marked for the reviewer.
    cycle = CycleFactory(framework=journey.cycle.framework, name="Siklus 2026", year=2026)
    new = assessment_create(cycle=cycle, regency=journey.regency, actor=admin_user)
    carried = new.responses.get(indicator=second.indicator)
    reviewer_page = session_page(reviewer)
    reviewer_page.goto(f"{live_server.url}/verifikasi/{carried.pk}/")
    expect(reviewer_page.get_by_text("dibawa dari siklus sebelumnya")).to_be_visible()
    expect(reviewer_page.get_by_role("link", name="SK Forum KKS Kota Kediri")).to_be_visible()
    axe_check(reviewer_page, context="review page with a carried document")
