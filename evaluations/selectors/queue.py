"""The review queue: responses waiting at a stage the user reviews, in their scope."""

from __future__ import annotations

from django.db.models import QuerySet

from evaluations.models import Response, ResponseStatus
from forums.permissions import responses_to_review_by
from tatanan.models import IndicatorKind

WAITING = [ResponseStatus.SUBMITTED, ResponseStatus.RESUBMITTED]
KELEMBAGAAN = "kelembagaan"


def waiting_for(user) -> QuerySet[Response]:
    return responses_to_review_by(user).filter(status__in=WAITING)


def review_queue(*, user, regency=None, tatanan: str = "", opd_kind=None) -> QuerySet[Response]:
    """Oldest first; ``tatanan`` is a Tatanan pk as a string or "kelembagaan"."""
    responses = waiting_for(user)
    if regency is not None:
        responses = responses.filter(assessment__regency=regency)
    if tatanan == KELEMBAGAAN:
        responses = responses.filter(indicator__kind=IndicatorKind.KELEMBAGAAN)
    elif tatanan:
        responses = responses.filter(indicator__tatanan_id=int(tatanan))
    if opd_kind is not None:
        responses = responses.filter(indicator__responsible_opd_kinds=opd_kind)
    return (
        responses.select_related("assessment__regency", "assessment__cycle", "indicator__tatanan")
        .prefetch_related("indicator__responsible_opd_kinds")
        .order_by("updated_at", "pk")
    )
