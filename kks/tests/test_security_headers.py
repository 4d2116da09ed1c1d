"""Security headers on every kind of page: anonymous, logged in, errors and JSON."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def assert_security_headers(response):
    csp = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";") if part.strip())
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"  # no inline or eval'd script anywhere
    # No inline style either: only our own stylesheets and the hash of the admin's one <style> block.
    assert directives["style-src"].split() == ["'self'", "'sha256-blvLUW3UscWqsXGByNOqdBboM+ShWAuugp2mC/wbafU='"]
    assert "unsafe" not in csp
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["form-action"] == "'self'"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]


def test_login_page_has_security_headers(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert_security_headers(response)


def test_logged_in_pages_have_security_headers(client, coordinator, assessment):
    client.force_login(coordinator)
    for url in (reverse("home"), reverse("evaluations:assessment-detail", args=[assessment.pk])):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_security_headers(response)


def test_error_pages_and_json_have_security_headers(client, coordinator, other_assessment):
    client.force_login(coordinator)
    not_found = client.get(reverse("evaluations:assessment-detail", args=[other_assessment.pk]))
    assert not_found.status_code == 404
    assert_security_headers(not_found)
    assert_security_headers(client.get(reverse("healthz")))


def test_pages_contain_no_inline_script(client, coordinator, assessment):
    client.force_login(coordinator)
    for url in (reverse("login"), reverse("home"), reverse("evaluations:assessment-detail", args=[assessment.pk])):
        html = client.get(url).content.decode()
        for tag in html.split("<script")[1:]:
            opening = tag.split(">", 1)[0]
            assert "src=" in opening, f"inline <script> on {url}: {opening[:80]}"
        assert " onclick=" not in html
        assert " onload=" not in html


def test_admin_pages_have_the_same_policy(client, admin_user):
    """Issue 12: no CSP on /admin/."""
    assert_security_headers(client.get("/admin/login/"))
    client.force_login(admin_user)
    for url in ("/admin/", "/admin/forums/user/", f"/admin/forums/user/{admin_user.pk}/change/", "/admin/jsi18n/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_security_headers(response)


def test_the_hash_matches_the_admin_inline_style_block():
    import base64
    import hashlib
    import re
    from pathlib import Path

    import django
    from django.conf import settings

    template = Path(django.__file__).parent / "contrib/admin/templates/admin/change_list.html"
    blocks = re.findall(r"<style>(.*?)</style>", template.read_text(), re.DOTALL)
    assert len(blocks) == 1
    digest = base64.b64encode(hashlib.sha256(blocks[0].encode()).digest()).decode()
    assert f"'sha256-{digest}'" in settings.KKS_CSP


def test_a_csrf_failure_is_a_plain_page_without_inline_style(client, coordinator):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/akun/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "Formulir kedaluwarsa" in html
    assert "<style" not in html
    assert_security_headers(response)
