"""A coordinator on a phone chooses English on "Akun saya", then finds a sent-back notice in English in the
inbox with a text to copy (a button copies it) and a "Share to WhatsApp" link (a plain wa.me share link,
not followed here)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from evaluations.models import Response
from evaluations.tests.workflow import send_back, submitted

from .conftest import PHONE, axe_check, screenshot

pytestmark = pytest.mark.browser


def test_english_notice_shared_from_the_inbox_on_a_phone(journey, coordinator, reviewer, session_page, live_server):
    page = session_page(coordinator, **PHONE, permissions=["clipboard-read", "clipboard-write"])
    page.goto(f"{live_server.url}/akun/saya/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Akun saya")
    axe_check(page, context="my account, phone")
    page.get_by_label("Bahasa").first.select_option("en")
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My account")

    response = (
        Response.objects.filter(assessment=journey, indicator__tatanan__isnull=False)
        .select_related("indicator")
        .order_by("indicator__sort_order")
        .first()
    )
    submitted(response, coordinator)
    send_back(response, reviewer, note="Lampirkan SK")  # the reviewer works in Indonesian

    page.goto(f"{live_server.url}/kotak-masuk/")
    item = page.get_by_role("listitem").filter(has_text="was sent back for revision")
    expect(item).to_contain_text(f"Indicator {response.indicator.code} (Kota Kediri) was sent back for revision")
    item.get_by_text("Share", exact=True).click()
    box = item.get_by_label("Text to copy into WhatsApp or another message")
    expect(box).to_be_visible()
    text = box.input_value()
    assert text.startswith(f"Indicator {response.indicator.code}")
    assert text.rstrip().endswith(f"#r{response.pk}")
    share = item.get_by_role("link", name="Share to WhatsApp")
    expect(share).to_be_visible()
    href = urlsplit(share.get_attribute("href"))
    assert (href.scheme, href.netloc) == ("https", "wa.me")
    assert parse_qs(href.query)["text"] == [text]
    item.get_by_role("button", name="Copy text").click()
    expect(item.get_by_role("status")).to_have_text("Text copied.")
    assert page.evaluate("navigator.clipboard.readText()") == text
    axe_check(page, context="inbox with the share box open, phone")
    screenshot(page, "phone-inbox-share", full_page=True)
