"""Every application view is behind the login: walk the URL map rather than trust a list."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db

# api/: the JSON API answers 401 without a token (api/tests/test_api_matrix.py), its OpenAPI document and
# docs page are public.
PUBLIC_PREFIXES = ("admin/", "akun/", "i18n/", "healthz", "favicon.ico", "api/")
SAMPLE_VALUES = {
    "int": "987654",
    "slug": "contoh",
    "str": "contoh",
    "path": "contoh",
    "uuid": "00000000-0000-0000-0000-000000000000",
}


def _walk(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), p


def _sample_url(route: str) -> str:
    import re

    def fill(match):
        converter = match.group(1) or "str"
        return SAMPLE_VALUES.get(converter, "contoh")

    return "/" + re.sub(r"<(?:(\w+):)?\w+>", fill, route)


def app_routes():
    routes = []
    for route, _pattern in _walk(get_resolver().url_patterns):
        if route.startswith(PUBLIC_PREFIXES) or "(?P" in route or route.startswith("^"):
            continue
        routes.append(route)
    return sorted(set(routes))


def test_the_walk_finds_the_application_views():
    routes = app_routes()
    assert len(routes) > 30
    assert "" in routes  # home


@pytest.mark.parametrize("route", app_routes())
def test_anonymous_visitors_are_sent_to_login(client, route):
    response = client.get(_sample_url(route))
    if response.status_code == 405:  # POST-only actions refuse GET before anything else
        response = client.post(_sample_url(route))
    assert response.status_code == 302, route
    assert response["Location"].startswith("/akun/login/"), route
