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


def test_the_coordinator_loads_the_kecamatan_on_a_phone_and_chooses_from_them(
    session_page, live_server, assessment, coordinator
):
    page = session_page(coordinator, **PHONE)
    page.goto(live_server.url + reverse("evaluations:assessment-data-umum", args=[assessment.pk]))
    page.get_by_role("button", name="Muat kecamatan dan desa/kelurahan dari data Kemendagri").click()
    page.get_by_text("3 kecamatan dan 46 desa/kelurahan baru").wait_for()
    page.get_by_role("group", name="Kecamatan yang diusulkan").get_by_label("Mojoroto").check()
    axe_check(page, context="data-umum after loading the regions")
    screenshot(page, "data-umum-regions-loaded-phone", full_page=True)
    page.get_by_role("button", name="Simpan data umum").click()
    page.wait_for_url(f"{live_server.url}{reverse('evaluations:assessment-detail', args=[assessment.pk])}")
    assert assessment.participations.filter(region__name__icontains="Mojoroto").exists()
