"""The pages added for the award rules, Data Umum, OPD assignment, SIPANTAS crosswalk, the evidence library,
the account and API token pages: each opens for its user, passes axe, and is saved as a screenshot (phone width
for the regency's pages, desktop for the programme's)."""

import pytest
from django.urls import reverse

from .conftest import PHONE, axe_check, screenshot

pytestmark = pytest.mark.django_db(transaction=True)

REGENCY_PAGES = [
    ("assessment", "evaluations:assessment-detail", lambda a: [a.pk]),
    ("data-umum", "evaluations:assessment-data-umum", lambda a: [a.pk]),
    ("assignments", "evaluations:assessment-assignments", lambda a: [a.pk]),
    ("library", "evaluations:library", lambda a: [a.regency_id]),
    ("my-account", "my-account", lambda a: []),
    ("api-tokens", "api-tokens:list", lambda a: []),
]
PROGRAMME_PAGES = [
    ("cycle-award", "evaluations:cycle-award", lambda a: [a.cycle_id]),
    ("cycle-results", "evaluations:cycle-results", lambda a: [a.cycle_id]),
    ("sipantas-crosswalk", "evaluations:sipantas-crosswalk", lambda a: []),
]


@pytest.mark.parametrize(("label", "name", "args"), REGENCY_PAGES, ids=[p[0] for p in REGENCY_PAGES])
def test_regency_pages_on_a_phone(session_page, live_server, assessment, coordinator, label, name, args):
    page = session_page(coordinator, **PHONE)
    page.goto(live_server.url + reverse(name, args=args(assessment)))
    assert page.locator("h1").count() >= 1
    axe_check(page, context=label)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{label} scrolls sideways on a phone ({width} px)"
    screenshot(page, f"new-{label}-phone", full_page=True)


@pytest.mark.parametrize(("label", "name", "args"), PROGRAMME_PAGES, ids=[p[0] for p in PROGRAMME_PAGES])
def test_programme_pages_on_a_desktop(session_page, live_server, assessment, admin_user, label, name, args):
    page = session_page(admin_user, viewport={"width": 1280, "height": 900})
    page.goto(live_server.url + reverse(name, args=args(assessment)))
    assert page.locator("h1").count() >= 1
    axe_check(page, context=label)
    screenshot(page, f"new-{label}-desktop", full_page=True)
