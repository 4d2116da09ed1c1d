"""Calling the API from tests: a token per user (through the service) and JSON requests with it."""

from __future__ import annotations

import json

from api.services import api_token_create

BASE = "/api/v1"


def token_for(user) -> str:
    return api_token_create(user=user, name="uji", actor=user).secret


def auth(secret: str | None) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"} if secret else {}


def call(client, method: str, path: str, secret: str | None = None, body: dict | None = None, **extra):
    url = BASE + path
    headers = auth(secret)
    if method == "GET":
        return client.get(url, headers=headers, **extra)
    return client.generic(
        method, url, data=json.dumps(body or {}), content_type="application/json", headers=headers, **extra
    )
