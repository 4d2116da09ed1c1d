"""Internal review notes: what reviewers tell each other about a response, never shown to its fillers."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from evaluations.models import Response, ReviewNote
from forums.models import User
from forums.permissions import can_add_review_note

from .errors import WorkflowError, require_lengths


@transaction.atomic
def review_note_add(*, response: Response, body: str, actor: User) -> ReviewNote:
    """Add an internal note at the response's current stage (append-only)."""
    if not can_add_review_note(actor, response):
        raise PermissionDenied
    note = ReviewNote(response=response, stage=response.stage, author=actor, body=body.strip())
    if not note.body:
        raise WorkflowError(_("Catatan internal tidak boleh kosong."))
    require_lengths(note, ["body"])
    note.save()
    return note
