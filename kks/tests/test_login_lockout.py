"""django-axes against password guessing, and the client address it counts by."""

import pytest
from django.test import RequestFactory, override_settings
from django.urls import reverse

from kks.clientip import client_ip

pytestmark = pytest.mark.django_db

PASSWORD = "sandi-uji-123"  # UserFactory's password


@pytest.fixture
def axes_on(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 5
    from axes.utils import reset

    reset()
    yield
    reset()


def attempt(client, username, password, ip="203.0.113.7"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def is_logged_in(client):
    return "_auth_user_id" in client.session


def test_axes_tables_are_migrated():
    from axes.models import AccessAttempt, AccessFailureLog

    assert AccessAttempt.objects.count() == 0
    assert AccessFailureLog.objects.count() == 0


def test_sixth_attempt_after_five_wrong_passwords_is_refused_even_with_the_right_one(client, coordinator, axes_on):
    for _ in range(4):
        response = attempt(client, "koordinator", "salah")
        assert response.status_code == 200  # the form again, with an error
    fifth = attempt(client, "koordinator", "salah")
    assert fifth.status_code == 429
    sixth = attempt(client, "koordinator", PASSWORD)
    assert sixth.status_code == 429
    assert "Terlalu banyak percobaan masuk" in sixth.content.decode()
    assert not is_logged_in(client)


def test_lockout_is_per_username_and_address(client, coordinator, reviewer, axes_on):
    for _ in range(5):
        attempt(client, "koordinator", "salah")
    # Another account from the same address, and the same account from elsewhere, still work.
    assert attempt(client, "reviewer", PASSWORD).status_code == 302
    client.logout()
    assert attempt(client, "koordinator", PASSWORD, ip="198.51.100.20").status_code == 302


def test_successful_login_resets_the_failure_count_of_that_account_only(client, coordinator, reviewer, axes_on):
    from axes.models import AccessAttempt

    for _ in range(4):
        attempt(client, "koordinator", "salah")
        attempt(client, "reviewer", "salah")
    assert attempt(client, "koordinator", PASSWORD).status_code == 302
    client.logout()
    # koordinator starts again from zero: four more mistakes do not lock the account ...
    for _ in range(4):
        assert attempt(client, "koordinator", "salah").status_code == 200
    assert attempt(client, "koordinator", PASSWORD).status_code == 302
    client.logout()
    # ... while reviewer's four failures still count: the fifth locks.
    assert AccessAttempt.objects.get(username="reviewer").failures_since_start == 4
    assert attempt(client, "reviewer", "salah").status_code == 429


def test_locked_out_user_can_log_in_after_an_admin_resets_the_lock(client, coordinator, axes_on):
    from axes.utils import reset

    for _ in range(5):
        attempt(client, "koordinator", "salah")
    assert attempt(client, "koordinator", PASSWORD).status_code == 429
    reset(username="koordinator")
    assert attempt(client, "koordinator", PASSWORD).status_code == 302
    assert is_logged_in(client)


@override_settings(AXES_ENABLED=True, KKS_TRUSTED_PROXIES=["127.0.0.1"])
def test_behind_a_proxy_each_client_is_counted_by_its_forwarded_address(client, coordinator):
    from axes.utils import reset

    reset()
    proxy = "127.0.0.1"
    for _ in range(5):
        client.post(
            reverse("login"),
            {"username": "koordinator", "password": "salah"},
            REMOTE_ADDR=proxy,
            HTTP_X_FORWARDED_FOR="203.0.113.7",
        )
    # A different client through the same proxy is not locked out.
    response = client.post(
        reverse("login"),
        {"username": "koordinator", "password": PASSWORD},
        REMOTE_ADDR=proxy,
        HTTP_X_FORWARDED_FOR="198.51.100.20",
    )
    assert response.status_code == 302
    reset()


@override_settings(AXES_ENABLED=True)
def test_without_a_trusted_proxy_a_forged_forwarded_header_does_not_escape_the_lockout(client, coordinator):
    """Issue 12: behind no proxy a client-sent X-Forwarded-For was trusted, so each try got a new address."""
    from axes.utils import reset

    reset()
    for n in range(5):
        client.post(
            reverse("login"),
            {"username": "koordinator", "password": "salah"},
            REMOTE_ADDR="203.0.113.7",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}",
        )
    response = client.post(
        reverse("login"),
        {"username": "koordinator", "password": PASSWORD},
        REMOTE_ADDR="203.0.113.7",
        HTTP_X_FORWARDED_FOR="198.51.100.99",
    )
    assert response.status_code == 429
    reset()


@pytest.mark.parametrize(
    ("trusted", "remote", "forwarded", "expected"),
    [
        ([], "10.0.0.2", "203.0.113.7", "10.0.0.2"),  # no proxy configured: the socket address
        (["127.0.0.1"], "10.0.0.2", "203.0.113.7", "10.0.0.2"),  # the peer is no trusted proxy
        (["127.0.0.1"], "127.0.0.1", "203.0.113.7", "203.0.113.7"),
        (["127.0.0.1"], "127.0.0.1", "1.2.3.4, 203.0.113.7", "203.0.113.7"),  # the left entry is a claim
        (["10.0.0.0/24"], "10.0.0.2", "1.2.3.4, 203.0.113.7, 10.0.0.9", "203.0.113.7"),  # two trusted hops
        (["127.0.0.1"], "127.0.0.1", "", "127.0.0.1"),
        (["127.0.0.1"], "127.0.0.1", "not-an-address", "127.0.0.1"),
        (["127.0.0.1"], "127.0.0.1", "1.2.3.4, not-an-address", "127.0.0.1"),
        (["127.0.0.1"], "127.0.0.1", "127.0.0.1", "127.0.0.1"),  # only proxies: the left-most of them
        (["::1"], "::1", "2001:db8::1", "2001:db8::1"),
        (["127.0.0.1"], "", "203.0.113.7", ""),
    ],
)
def test_client_ip_trusts_forwarded_for_only_from_a_trusted_proxy(settings, trusted, remote, forwarded, expected):
    settings.KKS_TRUSTED_PROXIES = trusted
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def test_axes_uses_the_project_client_address():
    from django.conf import settings

    assert settings.AXES_CLIENT_IP_CALLABLE == "kks.clientip.client_ip"
