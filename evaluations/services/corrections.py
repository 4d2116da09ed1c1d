"""Corrections: the national admin's recorded change to a response that was already accepted.

An accepted response (at any stage, see guards.was_accepted) changes only through the review
workflow. The one exception is a correction by the national admin: a required reason, the old
and new values written to the status history as a ``correction`` entry (shown with the response
to everyone who sees it), and the same reason on the response's audit history row. This is also
the documented exception to the separation of duties.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from evaluations.models import ChangeKind, Response, Stage, StatusChange
from forums.models import User
from forums.permissions import can_correct_response

from .errors import InvalidTransition, WorkflowError
from .guards import lock_response, require_version, was_accepted
from .responses import SCORE_FIELD, _bump, _check_value

SCORE_FIELDS = ("value", "value_provincial", "value_national")
TEXT_FIELDS = ("achievement", "achievement_previous", "explanation")
CORRECTABLE_FIELDS = (*SCORE_FIELDS, *TEXT_FIELDS)


@transaction.atomic
def response_correct(
    *, response: Response, changes: dict[str, Any], reason: str, actor: User, version: int | None = None
) -> StatusChange:
    """Change scores or texts of an accepted response, recorded as a correction with its reason.

    ``changes`` maps field names (CORRECTABLE_FIELDS) to new values; fields whose value is
    unchanged are ignored. Refused without a reason, without a real change, for a response
    that was not accepted (the filler or reviewer changes that one) and for anyone but an admin.
    """
    locked = lock_response(response)
    if not can_correct_response(actor, locked):
        raise PermissionDenied
    require_version(locked, version)
    if not was_accepted(locked):
        raise InvalidTransition(_("Hanya jawaban yang sudah diterima yang dikoreksi; jawaban ini masih dapat diubah."))
    reason = (reason or "").strip()
    if not reason:
        raise WorkflowError(_("Tuliskan alasan koreksi."))
    unknown = set(changes) - set(CORRECTABLE_FIELDS)
    if unknown:
        raise WorkflowError(_("Kolom ini tidak dapat dikoreksi: %(fields)s.") % {"fields": ", ".join(sorted(unknown))})
    diff = {}
    for field in CORRECTABLE_FIELDS:
        if field not in changes:
            continue
        new = changes[field]
        if field in TEXT_FIELDS:
            new = new or ""
        elif new is not None:
            _check_value(locked, new)
        old = getattr(locked, field)
        if old != new:
            diff[field] = [old, new]
    if not diff:
        raise WorkflowError(_("Tidak ada yang berubah: koreksi tidak disimpan."))
    score_field = SCORE_FIELD.get(Stage(locked.stage), "value")  # the score of the stage it is at
    entry = StatusChange.objects.create(
        response=locked,
        actor=actor,
        stage=locked.stage,
        from_status=locked.status,
        to_status=locked.status,
        value=diff[score_field][1] if score_field in diff else None,
        note=reason,
        kind=ChangeKind.CORRECTION,
        changes=diff,
    )
    for field, (_old, new) in diff.items():
        setattr(locked, field, new)
    _bump(locked, actor, list(diff), reason=reason)
    return entry
