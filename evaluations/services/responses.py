"""Indicator responses: filling, submitting and the review at each stage.

States (see Response): draft -> submitted -> accepted | revision_requested ->
resubmitted -> accepted | revision_requested ... at the kabupaten stage (health
office), then the provincial and the national stage. Acceptance moves the
response to the next stage as "submitted"; acceptance at the national stage is
final. Every change writes a StatusChange; ``version`` is bumped by every write
and checked under a row lock, so two reviewers cannot both win.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from evaluations.models import Response, ResponseStatus, ReviewNote, RevisionReason, Stage, StatusChange
from forums.models import User
from forums.permissions import can_fill_response, can_review_stage, may_decide, reviews_indicator
from kks.audit import recorded_by
from kks.uploads import CheckedUpload, check_upload
from tatanan import scoring

from . import notifications
from .assessments import assessment_sync_status
from .cycles import fill_window_open, require_review_window, revision_deadline
from .errors import InvalidTransition, NoEvidenceNotConfirmed, SeparationOfDuties, WorkflowError, require_lengths
from .evidence import evidence_add
from .guards import EDITABLE, WAITING, lock_response, require_fillable, require_version
from .library import library_link_instead
from .summary import readiness_summary_batch, readiness_summary_touch

ACCEPT = "accept"
REVISE = "revise"
FILL_FIELDS = ("value", "achievement", "achievement_previous", "explanation")
NEXT_STAGE = {Stage.KABUPATEN: Stage.PROVINSI, Stage.PROVINSI: Stage.PUSAT, Stage.PUSAT: None}
# The score each reviewing level gives; the kabupaten health office checks the nilai mandiri only.
SCORE_FIELD = {Stage.PROVINSI: "value_provincial", Stage.PUSAT: "value_national"}
OTHER_REASON = "lainnya"


def _record(
    response: Response,
    *,
    actor: User,
    to_status: str,
    value: int | None = None,
    reason: RevisionReason | None = None,
    note: str = "",
) -> StatusChange:
    return StatusChange.objects.create(
        response=response,
        actor=actor,
        stage=response.stage,
        from_status=response.status,
        to_status=to_status,
        value=value,
        reason=reason,
        note=note,
    )


def _bump(response: Response, actor: User, fields: Iterable[str], *, reason: str = "") -> None:
    response.version += 1
    response.updated_by = actor
    recorded_by(response, actor, reason)
    response.save(update_fields=[*fields, "version", "updated_by", "updated_at"])
    readiness_summary_touch(assessment_id=response.assessment_id)


def _check_value(response: Response, value: int) -> None:
    allowed = response.indicator.allowed_values()
    try:
        scoring.validate_value(value, allowed)
    except scoring.ScoringError:
        raise WorkflowError(
            _("Nilai %(value)s tidak ada pada skala indikator ini (%(allowed)s).")
            % {"value": value, "allowed": ", ".join(str(v) for v in allowed)}
        ) from None


def _submit(locked: Response, actor: User) -> None:
    if locked.status not in EDITABLE:
        raise InvalidTransition(_("Jawaban ini sudah diajukan atau sudah diterima."))
    if locked.value is None:
        raise WorkflowError(
            _("Pilih nilai mandiri sebelum mengajukan indikator %(code)s.") % {"code": locked.indicator.code}
        )
    to_status = (
        ResponseStatus.RESUBMITTED if locked.status == ResponseStatus.REVISION_REQUESTED else (ResponseStatus.SUBMITTED)
    )
    _record(locked, actor=actor, to_status=to_status, value=locked.value)
    locked.status = to_status
    locked.revision_due = None
    _bump(locked, actor, ["status", "revision_due"])


@transaction.atomic
def response_save(
    *,
    response: Response,
    data: dict,
    actor: User,
    version: int | None = None,
    uploads: Sequence[tuple[UploadedFile, CheckedUpload | None]] = (),
    evidence_title: str = "",
    evidence_year: int | None = None,
    submit: bool = False,
) -> Response:
    """Save the regency's answer (and any new evidence files, for ``evidence_year``, default the cycle's
    data year N); optionally submit it for review."""
    locked = lock_response(response)
    require_fillable(actor, locked)
    require_version(locked, version)
    if data.get("value") is not None:
        _check_value(locked, data["value"])
    changed = [f for f in FILL_FIELDS if f in data and getattr(locked, f) != data[f]]
    for field in changed:
        setattr(locked, field, data[field])
    require_lengths(locked, [f for f in changed if f != "value"])
    if changed or uploads:
        _bump(locked, actor, changed)
    if submit and locked.value is None:
        _submit(locked, actor)  # raises the "choose a value" message before any file is stored
    added = []
    try:
        for uploaded, checked in uploads:
            checked = checked or check_upload(uploaded)
            if library_link_instead(response=locked, checked=checked, actor=actor) is not None:
                continue  # already in the regency's library: linked, no second copy stored
            title = evidence_title
            if evidence_title and len(uploads) > 1:
                title = f"{evidence_title} ({(checked.original_name if checked else uploaded.name)})"
            added.append(
                evidence_add(
                    response=locked,
                    uploaded=uploaded,
                    actor=actor,
                    title=title,
                    checked=checked,
                    data_year=evidence_year,
                )
            )
        if submit:
            _submit(locked, actor)
            notifications.notify_waiting(responses=[locked], actor=actor)
    except Exception:
        # The rows roll back with the transaction; the stored files would stay behind.
        for evidence in added:
            if evidence.current is not None:
                evidence.current.file.delete(save=False)
        raise
    return locked


@transaction.atomic
def response_submit(*, response: Response, actor: User, version: int | None = None) -> Response:
    """Send one filled response to the reviewers of its stage (or back to them after a revision)."""
    locked = lock_response(response)
    require_fillable(actor, locked)
    require_version(locked, version)
    _submit(locked, actor)
    notifications.notify_waiting(responses=[locked], actor=actor)
    return locked


def can_submit_now(actor: User, response: Response) -> bool:
    """Whether ``actor`` may submit ``response`` right now: filled, editable, theirs, window open."""
    return (
        response.status in EDITABLE
        and response.value is not None
        and can_fill_response(actor, response)
        and fill_window_open(response)
    )


@transaction.atomic
def response_submit_filled(*, responses: Iterable[Response], actor: User) -> list[Response]:
    """Submit every response the actor may submit now (filled, editable, window open); skip the rest."""
    submitted = []
    with readiness_summary_batch():
        for response in responses:
            locked = lock_response(response)
            if not can_submit_now(actor, locked):
                continue
            _submit(locked, actor)
            submitted.append(locked)
    if submitted:
        notifications.notify_waiting(responses=submitted, actor=actor)
    return submitted


@transaction.atomic
def response_review(
    *,
    response: Response,
    actor: User,
    version: int,
    decision: str,
    value: int | None = None,
    reason: RevisionReason | None = None,
    note: str = "",
    accept_without_evidence: bool = True,
    internal_note: str = "",
) -> Response:
    """Accept or send back a response at its current stage, with that stage's score.

    A send-back always carries a note for the filler. ``internal_note`` (optional) is kept as a
    ReviewNote of the stage, read by reviewers only.

    ``version`` is the one the reviewer saw; a different current version means
    someone else acted first and the decision is refused. The review page passes
    ``accept_without_evidence`` from its confirmation box: accepting a response that
    has no (unwithdrawn) evidence is then refused until the reviewer confirms it.
    """
    locked = lock_response(response)
    require_version(locked, version)
    # can_review_response, in two steps so that separation of duties is explained rather than a bare 403.
    if not can_review_stage(actor, locked.stage, locked.assessment.regency):
        raise PermissionDenied
    if not reviews_indicator(actor, locked.indicator):
        raise PermissionDenied
    if not may_decide(actor, locked):
        raise SeparationOfDuties
    if locked.status not in WAITING:
        raise InvalidTransition(_("Jawaban ini tidak sedang menunggu verifikasi."))
    require_review_window(locked)
    note = note.strip()
    require_lengths(StatusChange(note=note), ["note"])
    internal_note = internal_note.strip()
    require_lengths(ReviewNote(body=internal_note), ["body"])
    stage = Stage(locked.stage)
    score_field = SCORE_FIELD.get(stage)
    if score_field is None:
        value = None
    elif value is not None:
        _check_value(locked, value)
    elif decision == ACCEPT:
        raise WorkflowError(_("Isi nilai %(stage)s sebelum menerima.") % {"stage": locked.get_stage_display()})
    if decision == ACCEPT and not accept_without_evidence and not locked.evidence.filter(withdrawn_at=None).exists():
        raise NoEvidenceNotConfirmed
    fields = ["status", "revision_due"]
    if score_field and value is not None:
        setattr(locked, score_field, value)
        fields.append(score_field)

    if decision == ACCEPT:
        stage_label = stage.label  # lazy: each recipient reads it in their own language
        _record(locked, actor=actor, to_status=ResponseStatus.ACCEPTED, value=value, note=note)
        next_stage = NEXT_STAGE[stage]
        if next_stage:
            locked.stage, locked.status = next_stage, ResponseStatus.SUBMITTED
            fields.append("stage")
        else:
            locked.status = ResponseStatus.ACCEPTED
        locked.revision_due = None
        _bump(locked, actor, fields)
        notifications.notify_accepted(response=locked, stage_label=stage_label, actor=actor)
        if next_stage:
            notifications.notify_waiting(responses=[locked], actor=actor)
    elif decision == REVISE:
        if reason is None:
            raise WorkflowError(_("Pilih alasan perbaikan."))
        if not note:
            raise WorkflowError(_("Tuliskan catatan untuk pengisi: apa yang perlu diperbaiki."))
        _record(locked, actor=actor, to_status=ResponseStatus.REVISION_REQUESTED, value=value, reason=reason, note=note)
        locked.status = ResponseStatus.REVISION_REQUESTED
        locked.revision_due = revision_deadline(locked.assessment.cycle)
        _bump(locked, actor, fields)
        notifications.notify_sent_back(response=locked, reason_label=reason.label, note=note, actor=actor)
    else:
        raise WorkflowError(_("Keputusan tidak dikenal."))
    if internal_note:
        ReviewNote.objects.create(response=locked, stage=stage, author=actor, body=internal_note)  # checked above
    assessment_sync_status(assessment=locked.assessment, actor=actor)
    return locked


def bulk_accept_value(response: Response) -> int | None:
    """The score a bulk acceptance gives at the response's stage: the stage's own if set, else the nilai mandiri."""
    field = SCORE_FIELD.get(Stage(response.stage))
    if field is None:
        return None
    current = getattr(response, field)
    return current if current is not None else response.value


@dataclass(frozen=True)
class BulkOutcome:
    accepted: list[Response]
    refused: list[tuple[Response, str]]


def response_review_accept_many(*, items: Sequence[tuple[Response, int]], actor: User) -> BulkOutcome:
    """Accept each ``(response, version seen)`` through response_review, one savepoint each.

    Every item is checked as a single decision would be (policy, tatanan limit, separation of duties, window,
    version); an item without evidence is refused rather than accepted unconfirmed. One refusal does not undo
    the others: it is reported with its message.
    """
    accepted: list[Response] = []
    refused: list[tuple[Response, str]] = []
    # Each item commits on its own, its summary with it (a batch would rewrite the summaries after the commits).
    for response, version in items:
        try:
            with transaction.atomic():
                accepted.append(
                    response_review(
                        response=response,
                        actor=actor,
                        version=version,
                        decision=ACCEPT,
                        value=bulk_accept_value(response),
                        accept_without_evidence=False,
                    )
                )
        except PermissionDenied:
            refused.append((response, _("Anda tidak memverifikasi indikator ini.")))
        except WorkflowError as error:
            refused.append((response, str(error)))
    return BulkOutcome(accepted=accepted, refused=refused)
