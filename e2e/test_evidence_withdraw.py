"""Withdrawing evidence asks first: a dialog with JavaScript, a confirmation page without."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from evaluations.models import Evidence, Response
from evaluations.services.evidence import evidence_add
from evaluations.tests import samples

from .conftest import PHONE, axe_check

pytestmark = pytest.mark.browser


@pytest.fixture
def evidence(journey, coordinator):
    response = Response.objects.filter(assessment=journey, indicator__tatanan__isnull=False).first()
    return evidence_add(response=response, uploaded=samples.pdf(), actor=coordinator, title="SK Forum 2024")


def _fill_url(live_server, evidence):
    response = evidence.response
    return f"{live_server.url}/penilaian/{response.assessment_id}/tatanan/{response.indicator.tatanan_id}/"


def test_with_javascript_a_dialog_asks_and_cancel_keeps_the_evidence(evidence, coordinator, session_page, live_server):
    page = session_page(coordinator, **PHONE)
    page.goto(_fill_url(live_server, evidence))
    card = page.locator(f"#r{evidence.response_id}")
    messages = []

    page.once("dialog", lambda dialog: (messages.append(dialog.message), dialog.dismiss()))
    card.get_by_role("link", name="Tarik bukti ini").tap()
    page.wait_for_timeout(300)
    assert "SK Forum 2024" in messages[0]
    assert Evidence.objects.get(pk=evidence.pk).withdrawn_at is None

    page.once("dialog", lambda dialog: dialog.accept())
    card.get_by_role("link", name="Tarik bukti ini").tap()
    expect(page.locator(f"#r{evidence.response_id}").get_by_text("Bukti dukung SK Forum 2024 ditarik.")).to_be_visible()
    assert Evidence.objects.get(pk=evidence.pk).withdrawn_at is not None


def test_without_javascript_a_page_asks(evidence, coordinator, session_page, live_server):
    page = session_page(coordinator, **PHONE, java_script_enabled=False)
    page.goto(_fill_url(live_server, evidence))
    page.locator(f"#r{evidence.response_id}").get_by_role("link", name="Tarik bukti ini").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tarik bukti dukung?")
    assert Evidence.objects.get(pk=evidence.pk).withdrawn_at is None
    page.get_by_role("button", name="Ya, tarik bukti ini").click()
    expect(page.get_by_text("Bukti dukung SK Forum 2024 ditarik.")).to_be_visible()
    assert Evidence.objects.get(pk=evidence.pk).withdrawn_at is not None


def test_the_confirmation_page_passes_axe(evidence, coordinator, session_page, live_server):
    page = session_page(coordinator, **PHONE)
    page.goto(f"{live_server.url}/bukti/{evidence.pk}/tarik/periksa/")
    axe_check(page, context="withdraw confirmation")
