"""The app server as deployed (gunicorn, docs/deploy.md) names no version in its response headers."""

import http.client
import re

import pytest

from evaluations.benchmark.measure import Gunicorn

pytestmark = pytest.mark.django_db


def test_gunicorn_sends_no_version_banner_and_the_security_headers():
    with Gunicorn(workers=1) as server:
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        connection.request("GET", "/akun/login/")
        response = connection.getresponse()
        response.read()
        headers = {name.lower(): value for name, value in response.getheaders()}
        connection.close()
    assert response.status == 200
    # gunicorn 27 sends "Server: gunicorn" without its version (nginx in front replaces even that).
    assert not re.search(r"\d", headers.get("server", "")), headers.get("server")
    assert "x-powered-by" not in headers
    assert "script-src 'self'" in headers["content-security-policy"]
