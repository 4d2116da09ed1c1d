"""No anonymous request gives a 5xx: every URL pattern, GET and POST, with hostile input (issue 12).

Runs with django-axes and the rate limits switched on, as in production; on PostgreSQL (DATABASE_URL) it
also catches values the database refuses (varchar overflow, bigint overflow) that SQLite accepts.
"""

import re

import pytest
from django.core.cache import cache
from django.urls import get_resolver

from kks.tests.test_every_view_needs_login import _walk

pytestmark = pytest.mark.django_db

LONG = "x" * 300
NON_ASCII = "Ŝtraße-ñ-日本-😀-\u202e"
HUGE_INT = "9" * 30  # past bigint
ODD_VALUES = [LONG, NON_ASCII, HUGE_INT, "", "0", "-1", "<script>alert(1)</script>", "' OR 1=1 --", "%00", "a" * 5000]

PATH_SAMPLES = {
    "int": ["0", HUGE_INT],
    "slug": ["x" * 300, "contoh"],
    "str": [NON_ASCII, LONG],
    "path": [NON_ASCII + "/../x", LONG],
    None: [NON_ASCII, LONG],
}
POST_FIELDS = ["username", "password", "email", "next", "language", "new_password1", "new_password2", "q"]


def _fill(route: str, sample_index: int) -> str:
    def converter(match):
        return PATH_SAMPLES.get(match.group(1), PATH_SAMPLES[None])[sample_index]

    url = re.sub(r"<(?:(\w+):)?\w+>", converter, route)
    # The admin's regular-expression routes: one plausible value per named group, then drop the anchors.
    url = re.sub(r"\(\?P<app_label>[^)]*\)", "forums", url)
    url = re.sub(r"\(\?P<\w+>[^)]*\)", PATH_SAMPLES[None][sample_index], url)
    url = url.replace("^", "").replace("$", "")
    return "/" + url


def every_url():
    urls = set()
    for route, _pattern in _walk(get_resolver().url_patterns):
        for index in (0, 1):
            urls.add(_fill(route, index))
    return sorted(urls)


@pytest.fixture
def production_like(settings):
    from axes.utils import reset

    settings.AXES_ENABLED = True
    settings.RATELIMIT_ENABLE = True
    settings.KKS_TRUSTED_PROXIES = ["127.0.0.1"]  # so forwarded headers are parsed too
    cache.clear()
    reset()
    yield
    reset()
    cache.clear()


def test_the_walk_covers_the_public_and_admin_pages():
    urls = every_url()
    assert "/akun/login/" in urls
    assert "/admin/login/" in urls
    assert any(url.startswith("/akun/reset/") for url in urls)
    assert len(urls) > 150


@pytest.mark.parametrize("url", every_url())
def test_no_anonymous_request_gives_a_server_error(client, production_like, url):
    client.raise_request_exception = False
    for value in ODD_VALUES[:4]:
        response = client.get(url, {"next": value, "q": value, "page": value, "o": value})
        assert response.status_code < 500, (url, "GET", value[:20], response.status_code)
    for n, value in enumerate(ODD_VALUES):
        # Half the posts come through the trusted proxy with the odd value as forwarded address and agent.
        headers = (
            {"REMOTE_ADDR": "203.0.113.7"}
            if n % 2
            else {
                "REMOTE_ADDR": "127.0.0.1",
                "HTTP_X_FORWARDED_FOR": f"{value}, {value}",
                "HTTP_USER_AGENT": value * 3,
            }
        )
        response = client.post(url, dict.fromkeys(POST_FIELDS, value), **headers)
        assert response.status_code < 500, (url, "POST", value[:20], response.status_code)
