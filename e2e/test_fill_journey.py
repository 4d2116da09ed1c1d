"""Journey 1: a forum coordinator fills a tatanan on a phone, uploads evidence and submits.

Also: the fill page works without JavaScript (plain form POST, full page reload).
"""

from __future__ import annotations

import hashlib
import re

import pytest
from playwright.sync_api import expect

from evaluations.models import Evidence, Response, ResponseStatus, StatusChange

from .conftest import axe_check, pdf_bytes, screenshot

pytestmark = pytest.mark.browser

NARRATIVE = "Seluruh 46 kelurahan sudah memiliki kader kesehatan aktif (SK Wali Kota 2024)."


def _tatanan_responses(assessment, number: int) -> list[Response]:
    return list(
        Response.objects.filter(assessment=assessment, indicator__tatanan__number=number)
        .select_related("indicator")
        .order_by("indicator__sort_order")
    )


def _scale_label(card, value: int):
    """The radio of one scale value, found through its visible label ("100 — Nilai 100")."""
    return card.get_by_role("radio", name=re.compile(rf"^{value} — "))


def test_coordinator_fills_uploads_and_submits_on_a_phone(journey, coordinator, phone_page, login, live_server):
    page = phone_page
    first, second, _third = _tatanan_responses(journey, 1)
    evidence_pdf = pdf_bytes("Daftar kader kesehatan 2024")

    login(page, coordinator)
    axe_check(page, context="home")
    page.get_by_role("link", name=re.compile("Kota Kediri")).tap()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kota Kediri")
    axe_check(page, context="assessment page")
    page.get_by_role("link", name="1. Tatanan 1").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tatanan 1: Tatanan 1")
    axe_check(page, context="tatanan fill page")
    screenshot(page, "j1-fill-page-phone")

    # First indicator: scale value, narrative and a PDF, saved (htmx swaps the card in place).
    card = page.locator(f"#r{first.pk}")
    _scale_label(card, 100).check()
    card.get_by_label("Capaian 2024").fill(NARRATIVE)
    card.get_by_label("Judul bukti dukung baru").fill("Daftar kader kesehatan")
    card.get_by_label("Unggah bukti dukung").set_input_files(
        files=[{"name": "kader-2024.pdf", "mimeType": "application/pdf", "buffer": evidence_pdf}]
    )
    card.get_by_role("button", name="Simpan", exact=True).tap()
    card = page.locator(f"#r{first.pk}")
    expect(card.get_by_role("status").filter(has_text="Tersimpan.")).to_be_visible()
    expect(card.get_by_role("link", name="Daftar kader kesehatan")).to_be_visible()
    expect(card.get_by_text("kader-2024.pdf")).to_be_visible()
    expect(_scale_label(card, 100)).to_be_checked()
    axe_check(page, context="card after save")

    # Second indicator: saved and submitted in one go.
    card2 = page.locator(f"#r{second.pk}")
    _scale_label(card2, 50).check()
    card2.get_by_label("Capaian 2024").fill("Baru 23 dari 46 kelurahan.")
    card2.get_by_role("button", name="Simpan & ajukan").tap()
    card2 = page.locator(f"#r{second.pk}")
    expect(card2.get_by_text("Tersimpan dan diajukan untuk verifikasi.")).to_be_visible()
    expect(card2.locator(".badge").first).to_contain_text("Diajukan")

    # Then everything filled on the page: a confirmation lists what goes (the first indicator, with its
    # evidence), then it is submitted (a full page reload).
    page.get_by_role("link", name="Ajukan semua yang sudah terisi").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("Periksa sebelum mengajukan")
    expect(page.get_by_label(first.indicator.name)).to_be_checked()
    expect(page.get_by_text("Tanpa bukti dukung")).to_have_count(0)
    axe_check(page, context="submit-all confirmation")
    screenshot(page, "j1-submit-confirm-phone", full_page=True)
    page.get_by_role("button", name="Ya, ajukan yang dicentang").tap()
    expect(page.get_by_role("alert").or_(page.get_by_role("status")).first).to_contain_text(
        "1 indikator diajukan untuk verifikasi."
    )
    expect(page.locator(f"#r{first.pk} .badge").first).to_contain_text("Diajukan")
    axe_check(page, context="fill page after submit")
    screenshot(page, "j1-fill-page-submitted-phone")

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.value, first.status, first.achievement) == (100, ResponseStatus.SUBMITTED, NARRATIVE)
    assert (second.value, second.status) == (50, ResponseStatus.SUBMITTED)
    assert first.updated_by == coordinator
    evidence = Evidence.objects.get(response=first)
    version = evidence.current
    assert (evidence.title, version.original_name, version.content_type) == (
        "Daftar kader kesehatan",
        "kader-2024.pdf",
        "application/pdf",
    )
    assert version.sha256 == hashlib.sha256(evidence_pdf).hexdigest()
    with version.file.open("rb") as stored:
        assert stored.read() == evidence_pdf
    assert StatusChange.objects.filter(response__in=[first, second], to_status=ResponseStatus.SUBMITTED).count() == 2
    assert not Response.objects.filter(pk=_third.pk).exclude(status=ResponseStatus.DRAFT).exists()


def test_fill_page_saves_with_a_plain_post_when_javascript_is_off(journey, coordinator, session_page, live_server):
    page = session_page(coordinator, java_script_enabled=False)
    response = _tatanan_responses(journey, 2)[0]

    page.goto(f"{live_server.url}/penilaian/{journey.pk}/")
    page.get_by_role("link", name="2. Tatanan 2").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tatanan 2: Tatanan 2")
    card = page.locator(f"#r{response.pk}")
    _scale_label(card, 0).check()
    card.get_by_label("Capaian 2024").fill("Belum ada kegiatan.")
    card.get_by_label("Unggah bukti dukung").set_input_files(
        files=[{"name": "nihil.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes("Nihil")}]
    )
    with page.expect_navigation():
        card.get_by_role("button", name="Simpan", exact=True).click()

    # A full reload back at the card, with Django's message instead of the htmx notice.
    assert page.url.endswith(f"/tatanan/{response.indicator.tatanan_id}/#r{response.pk}")
    expect(page.get_by_text(f"{response.indicator.code}: Tersimpan.")).to_be_visible()
    card = page.locator(f"#r{response.pk}")
    expect(_scale_label(card, 0)).to_be_checked()
    expect(card.get_by_label("Capaian 2024")).to_have_value("Belum ada kegiatan.")
    expect(card.get_by_role("link", name="nihil.pdf")).to_be_visible()

    # The other pages a coordinator uses are reachable without JavaScript too.
    page.get_by_role("link", name=re.compile("Kota Kediri")).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kota Kediri")
    page.goto(f"{live_server.url}/kotak-masuk/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Kotak masuk")

    response.refresh_from_db()
    assert (response.value, response.achievement, response.status) == (0, "Belum ada kegiatan.", ResponseStatus.DRAFT)
    assert response.evidence.get().current.original_name == "nihil.pdf"
