"""One builder for demo and test data: the rows the response services write, in bulk and without their checks.

The demo seeds thousands of answers and the report tests need responses at a given stage regardless of the
workflow rules (windows, permissions, notifications), so they do not go through ``services.responses``. They
go through here instead, so that what they leave behind has the same shape as the services' output: every
state change has its StatusChange (actor, stage, from, to, value), ``version`` is bumped by every write, and an
acceptance moves the response to the next stage exactly as ``response_review`` does, and
the readiness summary of each assessment touched is rewritten as the services rewrite it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from evaluations.models import Response, ResponseStatus, RevisionReason, Stage, StatusChange
from evaluations.services.responses import FILL_FIELDS, NEXT_STAGE, SCORE_FIELD
from evaluations.services.summary import readiness_summary_refresh
from forums.models import User


def record_fill(
    responses: Sequence[Response], *, actor: User | None, submit: Iterable[Response] = (), extra: Sequence[str] = ()
) -> None:
    """Save the answers already set on ``responses`` (FILL_FIELDS, plus ``extra``), then submit ``submit``."""
    for r in responses:
        r.updated_by = actor
        r.version += 1
    fields = [*FILL_FIELDS, *extra, "updated_by", "version"]
    Response.objects.bulk_update(responses, fields, batch_size=500)
    record_submit(list(submit), actor=actor)
    readiness_summary_refresh(assessment_ids={r.assessment_id for r in responses})


def record_submit(responses: Sequence[Response], *, actor: User | None) -> None:
    """Drafts (or sent back) to submitted (or resubmitted), with their history."""
    changes = []
    for r in responses:
        to_status = (
            ResponseStatus.RESUBMITTED if r.status == ResponseStatus.REVISION_REQUESTED else ResponseStatus.SUBMITTED
        )
        changes.append(_change(r, actor=actor, to_status=to_status, value=r.value))
        r.status, r.revision_due, r.updated_by = to_status, None, actor
        r.version += 1
    StatusChange.objects.bulk_create(changes, batch_size=500)
    Response.objects.bulk_update(responses, ["status", "revision_due", "updated_by", "version"], batch_size=500)
    readiness_summary_refresh(assessment_ids={r.assessment_id for r in responses})


def record_accept(response: Response, *, actor: User | None, value: int | None = None, note: str = "") -> Response:
    """Accept at the current stage with that stage's score (none at kabupaten): on to the next stage, or final."""
    stage = Stage(response.stage)
    score_field = SCORE_FIELD.get(stage)
    if score_field is None:
        value = None
    StatusChange.objects.bulk_create(
        [_change(response, actor=actor, to_status=ResponseStatus.ACCEPTED, value=value, note=note)]
    )
    if score_field is not None and value is not None:
        setattr(response, score_field, value)
    next_stage = NEXT_STAGE[stage]
    if next_stage is not None:
        response.stage, response.status = next_stage, ResponseStatus.SUBMITTED
    else:
        response.status = ResponseStatus.ACCEPTED
    _save_state(response, actor)
    return response


def record_revision(response: Response, *, actor: User | None, reason: RevisionReason, note: str = "") -> Response:
    """Send back at the current stage."""
    StatusChange.objects.bulk_create(
        [_change(response, actor=actor, to_status=ResponseStatus.REVISION_REQUESTED, reason=reason, note=note)]
    )
    response.status = ResponseStatus.REVISION_REQUESTED
    _save_state(response, actor)
    return response


def _change(
    response: Response,
    *,
    actor: User | None,
    to_status: str,
    value: int | None = None,
    reason: RevisionReason | None = None,
    note: str = "",
) -> StatusChange:
    return StatusChange(
        response=response,
        actor=actor,
        stage=response.stage,
        from_status=response.status,
        to_status=to_status,
        value=value,
        reason=reason,
        note=note,
    )


def _save_state(response: Response, actor: User | None) -> None:
    response.updated_by = actor
    response.version += 1
    response.save(
        update_fields=["stage", "status", "value_provincial", "value_national", "updated_by", "version", "updated_at"]
    )
    readiness_summary_refresh(assessment_ids=[response.assessment_id])
