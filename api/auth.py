"""Bearer-token authentication for the API, with the rate limits of kks/ratelimit.py.

Every request is counted per client (kks.clientip.client_ip) before its token is looked at, so guessing
tokens is limited too; a request with a valid token is then counted per user (all of the user's tokens share
one budget). Over either limit the request is answered 429 (RateLimited, rendered by the API as JSON).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer

from forums.models import User
from kks.ratelimit import Rule, over_limit, per_client

from .services import api_token_user

GROUP = "api"


def _user_key(request: HttpRequest) -> str | None:
    user = getattr(request, "user", None)
    return f"user:{user.pk}" if isinstance(user, User) else None


CLIENT_RULE = per_client("KKS_RATE_API_PER_CLIENT")
USER_RULE = Rule("user", _user_key, "KKS_RATE_API_PER_USER")


class RateLimited(Exception):  # the client sees 429
    def __init__(self, rule: Rule) -> None:
        super().__init__(rule.name)
        self.rule = rule


class TokenAuth(HttpBearer):
    """``Authorization: Bearer kks_...``: the token's user, who then acts with exactly their own rights."""

    def __call__(self, request: HttpRequest) -> Any:
        rule = over_limit(request, GROUP, [CLIENT_RULE])
        if rule is not None:
            raise RateLimited(rule)
        return super().__call__(request)

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = api_token_user(secret=token.strip())
        if user is None:
            return None
        # The request acts as the token's user everywhere, also for simple-history's HistoryRequestMiddleware
        # (which reads request.user when a save names no actor; the services name it anyway).
        request.user = user
        rule = over_limit(request, GROUP, [USER_RULE])
        if rule is not None:
            raise RateLimited(rule)
        return user
