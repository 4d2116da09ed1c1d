"""Reads of the review page: the next waiting item, internal notes, what changed since a send-back."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from evaluations.models import EvidenceVersion, Response, ResponseStatus, ReviewNote
from evaluations.services.cycles import review_window_open
from evaluations.services.responses import bulk_accept_value
from forums.models import OpdKind, Region, User
from forums.permissions import review_note_stages_visible_to

from .fill import decorate, with_card_data
from .queue import review_queue, waiting_for

COMPARED_FIELDS = ("value", "achievement", "achievement_previous", "explanation")


def next_in_queue(
    *,
    user: User,
    after: Response,
    regency: Region | None = None,
    tatanan: str = "",
    opd_kind: OpdKind | None = None,
) -> Response | None:
    """The first response of the user's (filtered) queue other than ``after``: what to open after a decision."""
    queue = review_queue(user=user, regency=regency, tatanan=tatanan, opd_kind=opd_kind)
    pk = queue.exclude(pk=after.pk).values_list("pk", flat=True).first()
    return None if pk is None else Response.objects.get(pk=pk)


def review_notes_for(*, user: User, response: Response) -> list[ReviewNote]:
    """The internal notes of ``response`` that ``user`` reads (their stage and the ones below)."""
    stages = review_note_stages_visible_to(user, response.assessment.regency)
    if not stages:
        return []
    return list(response.review_notes.filter(stage__in=stages).select_related("author"))


@dataclass(frozen=True)
class FieldChange:
    field: str
    label: str
    old: Any
    new: Any


@dataclass(frozen=True)
class SinceSentBack:
    sent_back_at: datetime
    fields: list[FieldChange] = field(default_factory=list)
    new_versions: list[EvidenceVersion] = field(default_factory=list)
    withdrawn: list[str] = field(default_factory=list)

    @property
    def nothing(self) -> bool:
        return not (self.fields or self.new_versions or self.withdrawn)


def changes_since_sent_back(response: Response) -> SinceSentBack | None:
    """For a resubmitted response: its answer and evidence now against the moment it was last sent back."""
    if response.status != ResponseStatus.RESUBMITTED:
        return None
    sent_back = response.history.filter(to_status=ResponseStatus.REVISION_REQUESTED).order_by("-at", "-pk").first()
    if sent_back is None:
        return None
    at = sent_back.at
    before = response.audit.filter(history_date__lte=at).order_by("-history_date", "-history_id").first()
    fields = []
    if before is not None:
        for name in COMPARED_FIELDS:
            old, new = getattr(before, name), getattr(response, name)
            if old != new:
                label = str(getattr(Response._meta.get_field(name), "verbose_name", name))
                fields.append(FieldChange(field=name, label=label, old=old, new=new))
    versions = list(
        EvidenceVersion.objects.filter(evidence__response=response, uploaded_at__gt=at)
        .select_related("evidence")
        .order_by("uploaded_at", "pk")
    )
    withdrawn = list(
        response.evidence.filter(withdrawn_at__gt=at).order_by("withdrawn_at").values_list("title", flat=True)
    )
    return SinceSentBack(sent_back_at=at, fields=fields, new_versions=versions, withdrawn=withdrawn)


@dataclass(frozen=True)
class BulkCandidate:
    response: Response
    value: int | None  # the score the acceptance gives at the response's stage (None at kabupaten)
    has_evidence: bool
    window_open: bool

    @property
    def acceptable(self) -> bool:
        return self.has_evidence and self.window_open


def bulk_accept_candidates(*, user: User, pks: list[int]) -> list[BulkCandidate]:
    """The chosen responses that wait for ``user`` (queue order), with what a bulk acceptance would do."""
    chosen = (
        with_card_data(waiting_for(user).filter(pk__in=pks))
        .select_related("assessment__regency", "assessment__cycle")
        .order_by("updated_at", "pk")
    )
    rows = []
    for response in chosen:
        decorate(response)
        rows.append(
            BulkCandidate(
                response=response,
                value=bulk_accept_value(response),
                has_evidence=bool(response.active_evidence),  # type: ignore[attr-defined]
                window_open=review_window_open(response),
            )
        )
    return rows
