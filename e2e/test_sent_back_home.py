"""A filler on a phone: what was sent back comes first on home, with its deadline, one tap from the fix."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from evaluations.models import Response
from evaluations.tests.workflow import send_back, submitted

from .conftest import PHONE, axe_check, screenshot

pytestmark = pytest.mark.browser


def test_a_sent_back_item_leads_from_home_to_its_card(journey, coordinator, reviewer, session_page, live_server):
    response = (
        Response.objects.filter(assessment=journey, indicator__tatanan__isnull=False)
        .select_related("indicator")
        .order_by("indicator__sort_order")
        .first()
    )
    submitted(response, coordinator)
    send_back(response, reviewer, note="Lampirkan SK penetapan yang ditandatangani")

    page = session_page(coordinator, **PHONE)
    page.goto(f"{live_server.url}/")
    section = page.get_by_role("region", name="1 indikator dikembalikan untuk diperbaiki")
    expect(section).to_be_visible()
    expect(section).to_contain_text("Lampirkan SK penetapan")
    expect(section).to_contain_text("Batas perbaikan")
    expect(page.get_by_role("link", name="1 pesan baru")).to_be_visible()  # outside the closed menu
    axe_check(page, context="home with a sent-back item, phone")
    screenshot(page, "phone-home-sent-back", full_page=True)

    section.get_by_role("link", name=response.indicator.name).click()
    page.wait_for_url(f"**#r{response.pk}")
    expect(page.locator(f"#r{response.pk}")).to_be_in_viewport()

    page.goto(f"{live_server.url}/indikator-saya/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Indikator saya")
    expect(page.get_by_text("1 dikembalikan")).to_be_visible()
    axe_check(page, context="my indicators, phone")
    screenshot(page, "phone-my-indicators-sent-back", full_page=True)
