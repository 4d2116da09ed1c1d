"""The API is rate-limited per token user and per client (kks/ratelimit.py), with a JSON 429."""

import pytest
from django.core.cache import cache

from .helpers import call, token_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def limits(settings):
    settings.RATELIMIT_ENABLE = True
    settings.KKS_RATE_API_PER_USER = "3/m"
    settings.KKS_RATE_API_PER_CLIENT = "6/m"
    cache.clear()
    yield settings
    cache.clear()


def codes(client, secret, n, ip="203.0.113.7"):
    return [call(client, "GET", "/frameworks", secret, REMOTE_ADDR=ip).status_code for _ in range(n)]


def test_per_user_across_tokens_and_clients(client, limits, coordinator, national):
    first, second = token_for(coordinator), token_for(coordinator)
    assert codes(client, first, 2) + codes(client, second, 1, ip="198.51.100.1") == [200, 200, 200]
    refused = call(client, "GET", "/frameworks", second, REMOTE_ADDR="198.51.100.2")
    assert refused.status_code == 429
    assert refused["Retry-After"] == "60"
    assert refused["Content-Type"].startswith("application/json")
    assert refused.json()["code"] == "rate_limited"
    assert codes(client, token_for(national), 1) == [200]  # another user keeps their budget


def test_per_client_counts_bad_tokens_too(client, limits, coordinator):
    assert codes(client, "kks_tebakan", 6) == [401] * 6
    assert codes(client, token_for(coordinator), 1) == [429]  # the guessing client is stopped, even with a token
    assert codes(client, token_for(coordinator), 1, ip="198.51.100.9") == [200]


def test_off_when_rate_limits_are_switched_off(client, settings, coordinator):
    settings.RATELIMIT_ENABLE = False
    settings.KKS_RATE_API_PER_USER = "1/m"
    cache.clear()
    assert codes(client, token_for(coordinator), 3) == [200, 200, 200]
