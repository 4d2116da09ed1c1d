"""A save that fails shows its error where the user is looking, with or without JavaScript, keeping the input."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from evaluations.models import Response

from .conftest import PHONE, axe_check, screenshot

pytestmark = pytest.mark.browser

MESSAGE = "Pilih nilai mandiri sebelum mengajukan indikator"


@pytest.fixture
def last_card(journey):
    return (
        Response.objects.filter(assessment=journey, indicator__tatanan__number=1)
        .select_related("indicator")
        .order_by("indicator__sort_order")
        .last()
    )


def _url(live_server, response):
    return f"{live_server.url}/penilaian/{response.assessment_id}/tatanan/{response.indicator.tatanan_id}/"


def test_with_htmx_the_error_is_scrolled_into_view_at_the_scale(last_card, coordinator, session_page, live_server):
    page = session_page(coordinator, **PHONE)
    page.goto(_url(live_server, last_card))
    card = page.locator(f"#r{last_card.pk}")
    card.get_by_label("Penjelasan OPD").fill("Data dari puskesmas")
    card.get_by_role("button", name="Simpan & ajukan").tap()

    error = page.locator(f"#r{last_card.pk}").get_by_text(MESSAGE)
    expect(error).to_be_visible()
    expect(error).to_be_in_viewport()
    expect(page.locator(f"#r{last_card.pk}").get_by_label("Penjelasan OPD")).to_have_value("Data dari puskesmas")
    focused = page.evaluate("() => document.activeElement && document.activeElement.name")
    assert focused == f"r{last_card.pk}-value"
    axe_check(page, context="card with an error, phone")
    screenshot(page, "fill-error-htmx-phone")


def test_without_javascript_the_errors_are_listed_at_the_top_and_link_to_the_field(
    last_card, coordinator, session_page, live_server
):
    page = session_page(coordinator, **PHONE, java_script_enabled=False)
    page.goto(_url(live_server, last_card))
    card = page.locator(f"#r{last_card.pk}")
    card.get_by_label("Penjelasan OPD").fill("Data dari puskesmas")
    card.get_by_role("button", name="Simpan & ajukan").click()

    summary = page.locator("#error-summary")
    expect(summary).to_be_in_viewport()
    expect(summary).to_contain_text(MESSAGE)
    summary.get_by_role("link").first.click()
    expect(page.locator(f"#r{last_card.pk}").get_by_text(MESSAGE)).to_be_in_viewport()
    expect(page.locator(f"#r{last_card.pk}").get_by_label("Penjelasan OPD")).to_have_value("Data dari puskesmas")
    screenshot(page, "fill-error-nojs-phone")
