"""Responses with everything their cards show, in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet

from evaluations.models import (
    Assessment,
    ChangeKind,
    Comment,
    Evidence,
    EvidenceVersion,
    Response,
    ResponseStatus,
    StatusChange,
)
from tatanan.models import IndicatorKind, ScaleOption, Tatanan


def with_card_data(responses: QuerySet[Response]) -> QuerySet[Response]:
    """Load indicator, scale, OPD kinds, evidence (all versions), history and comments with the responses.

    The prefetches order within their parent only: the models' default orderings reach through
    response, assessment, cycle and region, which would join five tables per prefetch for nothing.
    """
    return responses.select_related("indicator", "indicator__tatanan", "updated_by").prefetch_related(
        Prefetch("indicator__scale_options", queryset=ScaleOption.objects.order_by("-value")),
        "indicator__responsible_opd_kinds",
        Prefetch(
            "evidence",
            queryset=Evidence.objects.select_related("current__uploaded_by", "created_by")
            .order_by("created_at", "pk")
            .prefetch_related(
                Prefetch("versions", queryset=EvidenceVersion.objects.select_related("uploaded_by").order_by("number"))
            ),
        ),
        Prefetch("history", queryset=StatusChange.objects.select_related("actor", "reason")),
        Prefetch("comments", queryset=Comment.objects.select_related("author")),
    )


@dataclass
class YearEvidence:
    """The active evidence of one data year of a response (``year`` 0: stored before evidence had a year)."""

    year: int
    evidence: list[Evidence] = field(default_factory=list)


def evidence_by_year(response: Response, evidence: list[Evidence]) -> list[YearEvidence]:
    """The cycle's data year N, then N-1 (each even when empty), then any other year found, newest first."""
    cycle = response.assessment.cycle
    groups = {
        cycle.data_year: YearEvidence(cycle.data_year),
        cycle.data_year_previous: YearEvidence(cycle.data_year_previous),
    }
    for item in evidence:
        groups.setdefault(item.data_year, YearEvidence(item.data_year)).evidence.append(item)
    ordered = [groups.pop(cycle.data_year), groups.pop(cycle.data_year_previous)]
    return ordered + sorted(groups.values(), key=lambda g: -g.year)


def decorate(response: Response) -> Response:
    """Split the prefetched evidence into active (by data year) and withdrawn, and find the last send-back."""
    evidence = list(response.evidence.all())
    # Attributes for the templates, added to the instance (not model fields).
    response.active_evidence = [e for e in evidence if e.withdrawn_at is None]  # type: ignore[attr-defined]
    response.evidence_years = evidence_by_year(response, response.active_evidence)  # type: ignore[attr-defined]
    response.withdrawn_evidence = [e for e in evidence if e.withdrawn_at is not None]  # type: ignore[attr-defined]
    history = list(response.history.all())
    response.last_revision = next(  # type: ignore[attr-defined]
        (h for h in reversed(history) if h.to_status == ResponseStatus.REVISION_REQUESTED), None
    )
    response.corrections = [h for h in history if h.kind == ChangeKind.CORRECTION]  # type: ignore[attr-defined]
    return response


def responses_for_fill(*, assessment: Assessment, tatanan: Tatanan | None) -> list[Response]:
    """The responses of one tatanan (or of kelembagaan when ``tatanan`` is None), in framework order."""
    responses = with_card_data(Response.objects.filter(assessment=assessment))
    if tatanan is None:
        responses = responses.filter(indicator__kind=IndicatorKind.KELEMBAGAAN)
    else:
        responses = responses.filter(indicator__tatanan=tatanan)
    rows = list(responses.order_by("indicator__sort_order", "pk"))
    for row in rows:
        row.assessment = assessment  # already loaded with cycle and regency: no query per card
        decorate(row)
    return rows


def response_for_card(*, assessment: Assessment, pk: int) -> Response:
    response = with_card_data(Response.objects.all()).get(assessment=assessment, pk=pk)
    response.assessment = assessment
    return decorate(response)
