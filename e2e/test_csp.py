"""Content-Security-Policy in a real browser: no page, the admin included, breaks the policy.

Chromium reports every blocked inline script or style as a ``securitypolicyviolation`` event and a
console error; both are collected on every page, after its scripts ran (admin widgets, htmx, the counter).
"""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import reverse

from .conftest import LOCALE, TIMEOUT_MS, screenshot

pytestmark = pytest.mark.browser

LISTEN = """document.addEventListener("securitypolicyviolation", e => {
  (window.__csp = window.__csp || []).push(`${e.violatedDirective} ${e.blockedURI} ${e.sample}`);
});"""


@pytest.fixture
def csp_page(browser, live_server):
    """``csp_page(user)``: a logged-in page that records CSP violations in ``page.violations``."""
    from django.conf import settings
    from django.test import Client

    contexts = []

    def _open(user):
        client = Client()
        client.force_login(user)
        context = browser.new_context(**LOCALE)
        contexts.append(context)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
        context.add_init_script(LISTEN)
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        page.violations = []
        page.on(
            "console",
            lambda m: page.violations.append(m.text) if "Content Security Policy" in m.text else None,
        )
        return page

    yield _open
    for context in contexts:
        context.close()


def _visit(page, url):
    response = page.goto(url)
    assert response.status < 400, f"{url}: {response.status}"
    assert "Content-Security-Policy" in {k.title(): v for k, v in response.headers.items()} or response.headers.get(
        "content-security-policy"
    ), url
    page.wait_for_load_state("networkidle")
    return page.evaluate("() => window.__csp || []")


def admin_urls(admin_user):
    urls = [reverse("admin:index")]
    for model in admin.site._registry:
        info = (model._meta.app_label, model._meta.model_name)
        urls.append(reverse("admin:{}_{}_changelist".format(*info)))
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            urls.append(reverse("admin:{}_{}_change".format(*info), args=[first.pk]))
    urls += [
        reverse("admin:evaluations_cycle_add"),  # date/time widgets (DateTimeShortcuts)
        reverse("admin:forums_user_add"),
        reverse("admin:auth_user_password_change", args=[admin_user.pk]),
    ]
    return urls


def test_admin_pages_run_under_the_csp_without_violations(journey, admin_user, csp_page, live_server):
    page = csp_page(admin_user)
    found = {}
    for url in admin_urls(admin_user):
        violations = _visit(page, f"{live_server.url}{url}")
        if violations:
            found[url] = violations
    # The calendar and clock pop-ups of the date widgets build their boxes in script.
    page.goto(f"{live_server.url}{reverse('admin:evaluations_cycle_add')}")
    calendar = page.locator("a.date-shortcut, .datetimeshortcuts a").first
    if calendar.count():
        calendar.click()
    found_after_click = page.evaluate("() => window.__csp || []")
    if found_after_click:
        found["cycle add, after clicking a widget"] = found_after_click
    assert not found, found
    assert not page.violations, page.violations


def test_app_pages_run_under_the_csp_without_violations(journey, coordinator, csp_page, live_server):
    page = csp_page(coordinator)
    tatanan = journey.cycle.framework.tatanan.order_by("number").first()
    urls = [
        reverse("home"),
        reverse("evaluations:assessment-detail", args=[journey.pk]),
        f"/penilaian/{journey.pk}/tatanan/{tatanan.pk}/",
        reverse("forums:body-list"),
    ]
    found = {}
    for url in urls:
        violations = _visit(page, f"{live_server.url}{url}")
        if violations:
            found[url] = violations
    assert not found, found
    assert not page.violations, page.violations
    # The counter (static/js/charcount.js) runs under the policy and counts what is typed.
    page.goto(f"{live_server.url}/penilaian/{journey.pk}/tatanan/{tatanan.pk}/")
    area = page.locator("textarea[maxlength='1000']").first
    area.fill("Capaian 87%")
    counter = page.locator(".charcount").first
    assert counter.text_content() == "11/1.000"
    area.scroll_into_view_if_needed()
    screenshot(page, "charcount")  # /tmp/kks-e2e/charcount.png, to look at
