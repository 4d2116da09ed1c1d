"""Every main page on a phone: no serious accessibility violation and no sideways scrolling of the page.

Wide tables may scroll inside their own region; the page itself must fit 390 px.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from evaluations.models import Response
from evaluations.services.responses import response_save, response_submit
from evaluations.tests import report_data
from evaluations.tests.workflow import accept, submitted

from .conftest import PHONE, axe_check, screenshot

pytestmark = pytest.mark.browser

# An unbroken link pasted into an answer once made the review page 3,280 px wide.
LONG_URL = "https://drive.example.go.id/open?id=" + "1AbCdEfGhIjKlMnOpQrStUvWxYz0" * 8

# clientWidth, not innerWidth: a mobile browser zooms out to the content, which grows innerWidth.
FITS = "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"


WIDE = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [...document.body.querySelectorAll("*")].filter(e => e.getBoundingClientRect().right > width + 1);
  const leaves = wide.filter(e => ![...e.children].some(c => wide.includes(c)));
  const name = e => `${e.tagName.toLowerCase()}.${[...e.classList].join(".")}`;
  return leaves.slice(0, 5).map(e => `${name(e)} "${e.textContent.trim().slice(0, 40)}"`);
}"""


def _visit(page, live_server, url: str, name: str) -> None:
    response = page.goto(f"{live_server.url}{url}")
    assert response.status == 200, f"{url}: {response.status}"
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    axe_check(page, context=f"{name} on a phone")
    if not page.evaluate(FITS):
        screenshot(page, f"overflow-{name}", full_page=True)
        wide = page.evaluate(WIDE)
        pytest.fail(f"{name} ({url}) is wider than a 390 px phone: {wide}; see /tmp/kks-e2e/overflow-{name}.png")


def test_main_pages_fit_a_phone_and_pass_axe(
    journey, framework, coordinator, reviewer, provincial, national, admin_user, session_page, live_server
):
    forum, _pembina = report_data.bodies(journey.regency)
    response = Response.objects.filter(assessment=journey, indicator__tatanan__isnull=False).first()
    data = {"value": 100, "achievement": LONG_URL, "explanation": f"Lihat {LONG_URL} untuk rinciannya."}
    response_save(response=response, data=data, actor=coordinator)
    response_submit(response=response, actor=coordinator)
    accepted = Response.objects.filter(assessment=journey).exclude(pk=response.pk).first()
    submitted(accepted, coordinator)
    accept(accepted, reviewer)
    tatanan = response.indicator.tatanan
    pages = {
        coordinator: [
            ("home", reverse("home")),
            ("assessment", reverse("evaluations:assessment-detail", args=[journey.pk])),
            ("tatanan-fill", reverse("evaluations:tatanan-fill", args=[journey.pk, tatanan.pk])),
            ("kelembagaan-fill", reverse("evaluations:kelembagaan-fill", args=[journey.pk])),
            ("inbox", reverse("evaluations:inbox")),
            ("my-indicators", reverse("evaluations:my-indicators")),
            ("bodies", reverse("forums:body-list")),
            ("framework", reverse("tatanan:framework-detail", args=[framework.code])),
            ("password-change", reverse("password_change")),
            ("body", reverse("forums:body-detail", args=[forum.pk])),
            ("response-audit", reverse("evaluations:response-audit", args=[accepted.pk])),
        ],
        reviewer: [
            ("review-queue", reverse("evaluations:review-queue")),
            ("review", reverse("evaluations:review-detail", args=[response.pk])),
            ("assessment-audit", reverse("evaluations:assessment-audit", args=[journey.pk])),
        ],
        provincial: [
            ("province-report", reverse("evaluations:province-report", args=[journey.regency.parent_id])),
            ("dossier", reverse("evaluations:dossier", args=[journey.pk])),
        ],
        national: [("national-report", reverse("evaluations:national-report"))],
        admin_user: [("response-correct", reverse("evaluations:response-correct", args=[accepted.pk]))],
    }
    for user, visits in pages.items():
        page = session_page(user, **PHONE)
        for name, url in visits:
            _visit(page, live_server, url, name)
            screenshot(page, f"phone-{name}", full_page=True)
        page.context.close()
