"""Rate limits per client and per account, on django-ratelimit's counters in the project cache.

A view states its rules once::

    @rate_limited("password-reset", per_client("KKS_RATE_PASSWORD_RESET_PER_CLIENT"),
                  per_post_field("email", "KKS_RATE_PASSWORD_RESET_PER_ACCOUNT"))
    def view(request): ...

Every rule counts each matching request (POST by default); when any rule's count is over its rate the
view is not called and the visitor gets the Indonesian 429 page (templates/429.html) with Retry-After.
The client is ``kks.clientip.client_ip`` (X-Forwarded-For only from a trusted proxy). Rates are settings
("10/h", "30/10m") so an operator can change them without a release. If the cache cannot be reached the
request goes through (logged): django-axes' lockout in the database still stands.
"""

import functools
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django_ratelimit.core import get_usage

from kks.clientip import client_ip

logger = logging.getLogger(__name__)

# Account keys are normalised and cut so a 2 MiB field cannot become a 2 MiB cache key.
_KEY_MAX = 254


@dataclass(frozen=True)
class Rule:
    """One counter: ``name`` tells it apart, ``key`` gives the value counted (None: rule does not apply)."""

    name: str
    key: Callable[[HttpRequest], str | None]
    rate_setting: str

    @property
    def rate(self) -> str:
        return getattr(settings, self.rate_setting)


def per_client(rate_setting: str) -> Rule:
    return Rule("client", client_ip, rate_setting)


def per_post_field(field: str, rate_setting: str) -> Rule:
    """Per account, named by a posted field (username, e-mail), case-insensitive."""

    def key(request: HttpRequest) -> str | None:
        value = request.POST.get(field, "").strip().casefold()[:_KEY_MAX]
        return value or None

    return Rule(f"post:{field}", key, rate_setting)


def over_limit(request: HttpRequest, group: str, rules: Sequence[Rule]) -> Rule | None:
    """Count ``request`` against every rule; the first rule it exceeds, or None."""
    exceeded = None
    for rule in rules:
        value = rule.key(request)
        if value is None:
            continue
        try:
            usage = get_usage(
                request,
                group=f"{group}:{rule.name}",
                key=lambda _group, _request, value=value: value,
                rate=rule.rate,
                increment=True,
            )
        except Exception:  # the cache is down: let the request through, axes still locks accounts
            logger.warning("rate limit %s:%s not counted: cache unavailable", group, rule.name, exc_info=True)
            continue
        if usage and usage["should_limit"] and exceeded is None:
            exceeded = rule
    return exceeded


_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def period_seconds(rate: str) -> int:
    """The window of a django-ratelimit rate: "10/h" -> 3600, "30/10m" -> 600."""
    _count, _, window = rate.partition("/")
    multiplier = window[:-1] or "1"
    return int(multiplier) * _UNITS[window[-1]]


def too_many_requests(request: HttpRequest, rule: Rule) -> HttpResponse:
    period = period_seconds(rule.rate)
    response = render(request, "429.html", {"retry_minutes": max(1, round(period / 60))}, status=429)
    response["Retry-After"] = str(period)
    return response


def rate_limited(group: str, *rules: Rule, methods: Sequence[str] = ("POST",)):
    """Decorate a view (function or bound method taking the request first) with ``rules``."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method in methods:
                rule = over_limit(request, group, rules)
                if rule is not None:
                    return too_many_requests(request, rule)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


LOGIN_RULES = (
    per_client("KKS_RATE_LOGIN_PER_CLIENT"),
    per_post_field("username", "KKS_RATE_LOGIN_PER_ACCOUNT"),
)
PASSWORD_RESET_RULES = (
    per_client("KKS_RATE_PASSWORD_RESET_PER_CLIENT"),
    per_post_field("email", "KKS_RATE_PASSWORD_RESET_PER_ACCOUNT"),
)
