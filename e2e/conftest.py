"""Real-browser journeys: live server, Chromium through Playwright, axe-core on every page.

The root conftest points Playwright at Debian's /usr/bin/chromium and sets
DJANGO_ALLOW_ASYNC_UNSAFE. Here: the journey data (one regency with a small
framework, reused from the root fixtures), log-in helpers, a phone-sized
context, and ``axe_check(page)``.
"""

from __future__ import annotations

import io
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings

from kks.testing import running_worker

PASSWORD = "sandi-uji-123"  # set by forums.tests.factories.UserFactory
AXE_STATIC = "vendor/axe-core/axe.min.js"
AXE_JS = Path(settings.BASE_DIR) / "static" / AXE_STATIC  # vendored from npm axe-core
BLOCKING_IMPACTS = ("serious", "critical")
# Let finite CSS transitions end first (e.g. a tapped button fading to its hover colours),
# so colour contrast is measured on what the user sees, not on an in-between frame.
AXE_RUN = """async () => {
  const finite = document.getAnimations().filter(a => a.effect?.getComputedTiming().endTime !== Infinity);
  await Promise.race([
    Promise.all(finite.map(a => a.finished.catch(() => null))),
    new Promise(resolve => setTimeout(resolve, 2000)),
  ]);
  return await axe.run(document, {resultTypes: ["violations"]});
}"""
LOCALE = {"locale": "id-ID", "timezone_id": "Asia/Jakarta"}
PHONE = {
    **LOCALE,
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
}
SCREENSHOTS = Path("/tmp/kks-e2e")
TIMEOUT_MS = 15_000


def axe_check(page, *, context: str | None = None) -> dict:
    """Run axe-core on the current page; fail on serious or critical violations.

    The message lists, per violation, the rule id, its help text and the CSS
    targets of the offending nodes, so the template at fault is easy to find.
    """
    # The vendored file, served by the app itself: an inline copy (add_script_tag(path=...))
    # would be refused by the app's CSP (script-src 'self'), and bypassing CSP would hide
    # inline-script bugs from these journeys.
    if not page.evaluate("() => typeof window.axe === 'object'"):
        origin = "{0.scheme}://{0.netloc}".format(urlsplit(page.url))
        page.add_script_tag(url=f"{origin}{settings.STATIC_URL}{AXE_STATIC}")
    result = page.evaluate(AXE_RUN)
    blocking = [v for v in result["violations"] if v.get("impact") in BLOCKING_IMPACTS]
    if blocking:
        lines = [f"axe-core on {context or page.url}:"]
        for violation in blocking:
            targets = ", ".join(" ".join(node["target"]) for node in violation["nodes"][:8])
            lines.append(f"  [{violation['impact']}] {violation['id']}: {violation['help']} -> {targets}")
            summary = (violation["nodes"][0].get("failureSummary") or "").replace("\n", " ")
            if summary:
                lines.append(f"      {summary[:300]}")
        pytest.fail("\n".join(lines), pytrace=False)
    return result


def screenshot(page, name: str, *, full_page: bool = False) -> Path:
    """Save a screenshot under /tmp/kks-e2e/ for looking at the layout after a run."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    target = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(target), full_page=full_page)
    return target


def pdf_bytes(text: str = "Bukti dukung") -> bytes:
    """A small, real one-page PDF (what check_upload accepts as application/pdf)."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (200, 80), "white")
    ImageDraw.Draw(image).text((10, 30), text, fill="black")
    buffer = io.BytesIO()
    image.save(buffer, "PDF")
    return buffer.getvalue()


@pytest.fixture(scope="session")
def _no_public_media():
    """Django's live server wraps the app in a media handler that cannot parse MEDIA_URL=None.

    Evidence and dossiers are private (served only by permission-checked views), so
    give the handler an off-site URL: with a host in it the handler never serves a
    file, and every request reaches the app as in production.
    """
    from django.test.utils import override_settings

    with override_settings(MEDIA_URL="https://media.invalid/"):
        yield


@pytest.fixture(scope="session")
def live_server(_no_public_media, live_server):
    return live_server


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    """Browsers of Indonesian users: Bahasa Indonesia first, Jakarta time."""
    return {**browser_context_args, **LOCALE}


@pytest.fixture(autouse=True)
def _browser_timeouts(request):
    """Fail fast instead of Playwright's 30 s default when a locator is wrong."""
    if "page" in request.fixturenames:
        page = request.getfixturevalue("page")
        page.set_default_timeout(TIMEOUT_MS)
        page.set_default_navigation_timeout(TIMEOUT_MS)


@pytest.fixture
def revision_reasons(transactional_db):
    """The catalogue seeded by a data migration; transactional tests flush it, so make sure it is there."""
    from evaluations.models import RevisionReason

    seeded = [
        ("bukti-tidak-lengkap", "Bukti dukung tidak lengkap"),
        ("nilai-tidak-sesuai", "Nilai tidak sesuai skala/definisi operasional"),
        ("lainnya", "Lainnya"),
    ]
    for code, label in seeded:
        RevisionReason.objects.get_or_create(code=code, defaults={"label": label, "active": True})
    return RevisionReason.objects.all()


@pytest.fixture
def journey(transactional_db, assessment, coordinator, reviewer, provincial, revision_reasons):
    """One regency (Kota Kediri) with a small framework and the people who work on it."""
    return assessment


@pytest.fixture
def login(live_server):
    """Log in through the real form: ``login(page, user)``; returns the page on the home dashboard."""

    def _login(page, user, *, check_axe: bool = True):
        page.goto(f"{live_server.url}/akun/login/")
        if check_axe:
            axe_check(page, context="login")
        page.get_by_label("Nama pengguna").fill(user.username)
        page.get_by_label("Sandi").fill(PASSWORD)
        page.get_by_role("button", name="Masuk").click()
        page.wait_for_url(f"{live_server.url}/")
        return page

    return _login


@pytest.fixture
def session_page(browser, live_server):
    """``session_page(user, **context_args)``: a new page already logged in (session cookie from the test client)."""
    from django.test import Client

    contexts = []

    def _open(user, **context_args):
        client = Client()
        client.force_login(user)
        context = browser.new_context(**{**LOCALE, **context_args})
        contexts.append(context)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        page.set_default_navigation_timeout(TIMEOUT_MS)
        return page

    yield _open
    for context in contexts:
        context.close()


@pytest.fixture
def phone_page(browser):
    """A page in a phone-sized, touch, mobile context (390x844, like a mid-range Android phone)."""
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.set_default_navigation_timeout(TIMEOUT_MS)
    yield page
    context.close()


@pytest.fixture
def celery_worker(tmp_path, monkeypatch, transactional_db):
    """A real Celery worker (subprocess, solo pool, Redis) on a queue of its own.

    It shares the test database and the storage folder with the live server, and
    the app in this process stops running tasks eagerly while the fixture lasts.
    Yields a function returning the worker's log (for failure messages).
    """
    with running_worker(tmp_path=tmp_path, monkeypatch=monkeypatch, what="the worker journey", prefix="kks-e2e") as (
        _proc,
        log,
    ):
        yield lambda: log.read_text(errors="replace")
