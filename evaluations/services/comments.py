"""Comments: an append-only discussion thread on each response."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from evaluations.models import Comment, Response
from forums.models import User
from forums.permissions import can_comment_response
from kks import textlimits

from .errors import WorkflowError

MAX_LENGTH = textlimits.COMMENT


@transaction.atomic
def comment_add(*, response: Response, body: str, actor: User) -> Comment:
    """Add a comment; comments are never edited or deleted."""
    if not can_comment_response(actor, response):
        raise PermissionDenied
    body = body.strip()
    if not body:
        raise WorkflowError(_("Komentar tidak boleh kosong."))
    if len(body) > MAX_LENGTH:
        raise WorkflowError(_("Komentar terlalu panjang (maksimal %(n)d karakter).") % {"n": MAX_LENGTH})
    return Comment.objects.create(response=response, author=actor, body=body)
