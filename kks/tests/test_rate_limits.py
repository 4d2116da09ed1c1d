"""Logins and password reset are rate-limited per client and per account (issue 12)."""

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import RequestFactory
from django.urls import reverse

from kks.ratelimit import per_client, per_post_field, rate_limited

pytestmark = pytest.mark.django_db


@pytest.fixture
def limits_on(settings):
    settings.RATELIMIT_ENABLE = True
    cache.clear()
    yield settings
    cache.clear()


def reset(client, email, ip="203.0.113.7"):
    return client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=ip)


def test_password_reset_sends_at_most_three_mails_an_hour_per_account(client, coordinator, limits_on):
    coordinator.email = "koordinator@example.go.id"
    coordinator.save()
    codes = [reset(client, "Koordinator@example.go.id").status_code for _ in range(15)]
    assert codes[:3] == [302, 302, 302]
    assert set(codes[3:]) == {429}
    assert len(mail.outbox) == 3


def test_password_reset_per_client_limit_spans_accounts(client, limits_on):
    codes = [reset(client, f"orang{n}@example.go.id").status_code for n in range(12)]
    assert codes[:10] == [302] * 10
    assert codes[10:] == [429, 429]
    # Another client is not affected.
    assert reset(client, "lain@example.go.id", ip="198.51.100.20").status_code == 302


def test_the_429_page_is_friendly_indonesian_with_retry_after(client, limits_on):
    for n in range(11):
        response = reset(client, f"orang{n}@example.go.id")
    assert response.status_code == 429
    assert response["Retry-After"] == "3600"
    html = response.content.decode()
    assert "Terlalu banyak permintaan" in html
    assert "60 menit" in html


def test_a_forged_forwarded_header_does_not_reset_the_client_count(client, limits_on):
    for n in range(10):
        client.post(
            reverse("password_reset"),
            {"email": f"orang{n}@example.go.id"},
            REMOTE_ADDR="203.0.113.7",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}",
        )
    response = client.post(
        reverse("password_reset"),
        {"email": "lagi@example.go.id"},
        REMOTE_ADDR="203.0.113.7",
        HTTP_X_FORWARDED_FOR="198.51.100.99",
    )
    assert response.status_code == 429


@pytest.mark.parametrize("url_name", ["login", "admin:login"])
def test_logins_are_limited_per_client_across_accounts(client, limits_on, url_name):
    limits_on.KKS_RATE_LOGIN_PER_CLIENT = "5/10m"
    codes = [
        client.post(reverse(url_name), {"username": f"u{n}", "password": "x"}, REMOTE_ADDR="203.0.113.7").status_code
        for n in range(7)
    ]
    assert codes == [200] * 5 + [429, 429]
    other = client.post(reverse(url_name), {"username": "u9", "password": "x"}, REMOTE_ADDR="198.51.100.20")
    assert other.status_code == 200


def test_logins_are_limited_per_account_across_clients(client, coordinator, limits_on):
    limits_on.KKS_RATE_LOGIN_PER_ACCOUNT = "3/h"
    codes = [
        client.post(
            reverse("login"), {"username": "koordinator", "password": "salah"}, REMOTE_ADDR=f"198.51.100.{n}"
        ).status_code
        for n in range(5)
    ]
    assert codes == [200, 200, 200, 429, 429]


def test_axes_lockout_still_works_with_the_limiter(client, coordinator, limits_on):
    from axes.utils import reset as axes_reset

    limits_on.AXES_ENABLED = True
    axes_reset()
    codes = [
        client.post(reverse("login"), {"username": "koordinator", "password": "salah"}).status_code for _ in range(5)
    ]
    assert codes == [200, 200, 200, 200, 429]
    assert (
        "Terlalu banyak percobaan masuk"
        in client.post(reverse("login"), {"username": "koordinator", "password": "sandi-uji-123"}).content.decode()
    )
    axes_reset()


def test_limiter_counts_only_the_named_methods_and_is_reusable(limits_on):
    limits_on.KKS_TEST_RATE = "2/m"
    calls = []

    @rate_limited("api-example", per_client("KKS_TEST_RATE"), per_post_field("token", "KKS_TEST_RATE"))
    def view(request):
        calls.append(request.method)
        from django.http import HttpResponse

        return HttpResponse("ok")

    factory = RequestFactory()
    for _ in range(5):
        assert view(factory.get("/", REMOTE_ADDR="203.0.113.7")).status_code == 200
    assert [view(factory.post("/", REMOTE_ADDR="203.0.113.7")).status_code for _ in range(3)] == [200, 200, 429]
    assert calls.count("POST") == 2


def test_limiter_lets_requests_through_when_the_cache_is_down(limits_on, monkeypatch):
    from django.http import HttpResponse

    def broken(*args, **kwargs):
        raise ConnectionError("redis down")

    monkeypatch.setattr("kks.ratelimit.get_usage", broken)
    limits_on.KKS_TEST_RATE = "1/m"
    view = rate_limited("api-example", per_client("KKS_TEST_RATE"))(lambda request: HttpResponse("ok"))
    factory = RequestFactory()
    assert [view(factory.post("/", REMOTE_ADDR="203.0.113.7")).status_code for _ in range(3)] == [200, 200, 200]


@pytest.mark.parametrize(("rate", "seconds"), [("10/h", 3600), ("30/10m", 600), ("3/s", 1), ("1/2d", 172800)])
def test_the_retry_after_period_follows_the_rate(rate, seconds):
    from django_ratelimit.core import _split_rate

    from kks.ratelimit import period_seconds

    assert period_seconds(rate) == seconds == _split_rate(rate)[1]
