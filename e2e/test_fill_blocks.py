"""Issue 11: a fill card's closed blocks load when opened (htmx), and open as a page without JavaScript."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from evaluations.models import Response
from evaluations.services.comments import comment_add
from evaluations.tests.workflow import submitted

pytestmark = pytest.mark.browser


def _answered(assessment, coordinator) -> Response:
    response = (
        Response.objects.filter(assessment=assessment, indicator__tatanan__number=1)
        .order_by("indicator__sort_order")
        .first()
    )
    submitted(response, coordinator)
    comment_add(response=response, body="Notulen rapat menyusul", actor=coordinator)
    return response


def test_opening_the_comments_loads_them_into_the_card(journey, coordinator, session_page, live_server):
    response = _answered(journey, coordinator)
    page = session_page(coordinator)
    page.goto(f"{live_server.url}/penilaian/{journey.pk}/tatanan/{response.indicator.tatanan_id}/")
    card = page.locator(f"#r{response.pk}")
    expect(card).not_to_contain_text("Notulen rapat menyusul")
    card.get_by_text("Rincian jawaban, bukti dukung dan riwayat").click()
    card.get_by_text("Komentar (1)").click()
    expect(card.get_by_text("Notulen rapat menyusul")).to_be_visible()
    expect(page).to_have_url(f"{live_server.url}/penilaian/{journey.pk}/tatanan/{response.indicator.tatanan_id}/")
    card.get_by_text("Riwayat status (1)").click()
    expect(card.locator("ol li").first).to_contain_text("Diajukan")


def test_without_javascript_the_block_link_opens_a_page(journey, coordinator, session_page, live_server):
    response = _answered(journey, coordinator)
    page = session_page(coordinator, java_script_enabled=False)
    page.goto(f"{live_server.url}/penilaian/{journey.pk}/tatanan/{response.indicator.tatanan_id}/")
    card = page.locator(f"#r{response.pk}")
    card.get_by_text("Rincian jawaban, bukti dukung dan riwayat").click()
    card.get_by_text("Komentar (1)").click()
    card.locator("details", has_text="Komentar (1)").get_by_role("link", name="Buka").click()
    expect(page).to_have_url(f"{live_server.url}/jawaban/{response.pk}/bagian/komentar/")
    expect(page.get_by_text("Notulen rapat menyusul")).to_be_visible()
    page.get_by_label("Komentar").fill("Sudah diunggah")
    page.get_by_role("button", name="Kirim komentar").click()
    expect(page).to_have_url(f"{live_server.url}/jawaban/{response.pk}/bagian/komentar/")
    expect(page.get_by_text("Sudah diunggah")).to_be_visible()
