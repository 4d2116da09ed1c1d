"""API tokens: issue one (the secret is returned once), revoke one, and find the user a secret belongs to."""

from __future__ import annotations

import datetime
import hashlib
import secrets
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from evaluations.services.errors import WorkflowError, require_lengths
from forums.models import User
from forums.permissions import is_admin
from kks.audit import recorded_by

from .models import ApiToken

SECRET_PREFIX = "kks_"  # noqa: S105 - the public marker of our tokens, not a secret
SECRET_MAX_LENGTH = 100  # a longer bearer value is not one of ours; never hashed or looked up
PREFIX_LENGTH = 12  # "kks_" and the first 8 characters of the random part, shown to tell tokens apart
MAX_ACTIVE_TOKENS = 5
# last_used_at is stamped at most this often: one write per token per minute, not one per request.
USE_STAMP_INTERVAL = datetime.timedelta(minutes=1)


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    secret: str  # shown to the user once; only its hash is stored


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def api_tokens_of(user: User) -> QuerySet[ApiToken]:
    """The user's own tokens, newest first (active and revoked)."""
    return ApiToken.objects.filter(user_id=user.pk).select_related("revoked_by")


@transaction.atomic
def api_token_create(*, user: User, name: str, actor: User) -> IssuedToken:
    """A new token for ``user``, created by that user; refused beyond MAX_ACTIVE_TOKENS active ones."""
    if actor.pk != user.pk or not user.is_active:
        raise PermissionDenied
    name = (name or "").strip()
    if not name:
        raise WorkflowError(_("Beri nama token ini."))
    User.objects.select_for_update().filter(pk=user.pk).first()  # one creation at a time per user
    if api_tokens_of(user).filter(revoked_at=None).count() >= MAX_ACTIVE_TOKENS:
        raise WorkflowError(
            _("Anda sudah punya %(n)d token aktif. Cabut token yang tidak dipakai lagi.") % {"n": MAX_ACTIVE_TOKENS}
        )
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user=user, name=name, prefix=secret[:PREFIX_LENGTH], token_hash=secret_hash(secret))
    require_lengths(token, ["name"])
    recorded_by(token, actor)
    token.save()
    return IssuedToken(token=token, secret=secret)


@transaction.atomic
def api_token_revoke(*, token: ApiToken, actor: User) -> ApiToken:
    """Revoke ``token``: by its owner, or by the national admin. Revoking twice changes nothing."""
    locked = ApiToken.objects.select_for_update().get(pk=token.pk)
    if locked.user_id != actor.pk and not is_admin(actor):
        raise PermissionDenied
    if locked.revoked_at is not None:
        return locked
    locked.revoked_at = timezone.now()
    locked.revoked_by = actor
    recorded_by(locked, actor)
    locked.save(update_fields=["revoked_at", "revoked_by"])
    return locked


def api_token_user(*, secret: str) -> User | None:
    """The active user an unrevoked token ``secret`` belongs to, or None; stamps the token's last use."""
    if not secret.startswith(SECRET_PREFIX) or len(secret) > SECRET_MAX_LENGTH:
        return None
    token = (
        ApiToken.objects.select_related("user", "user__region", "user__opd")
        .filter(token_hash=secret_hash(secret), revoked_at=None)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= USE_STAMP_INTERVAL:
        # Bookkeeping like a login's last_login, kept out of the audit history (QuerySet.update records nothing).
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
