"""Responses with everything their cards show, in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, prefetch_related_objects
from django.db.models.functions import Coalesce

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
from forums.models import Opd
from tatanan.models import IndicatorKind, ScaleOption, Tatanan


def _count_of(model: type[StatusChange] | type[Comment], **filters: object) -> Coalesce:
    """The number of ``model`` rows pointing at the outer response, as a subquery (no join fan-out)."""
    rows = model.objects.filter(response=OuterRef("pk"), **filters).order_by().values("response")
    return Coalesce(Subquery(rows.annotate(n=Count("pk")).values("n"), output_field=IntegerField()), 0)


def with_card_data(responses: QuerySet[Response], *, blocks: bool = True) -> QuerySet[Response]:
    """Load indicator, scale, OPD kinds, evidence (all versions), history and comments with the responses.

    ``blocks=False`` (the whole fill page) leaves out what the card's closed blocks show – the full
    history and the comments, which load on demand (``response_block``): only their counts, and the
    history rows the card shows open (corrections and the last send-back), are read.

    The prefetches order within their parent only: the models' default orderings reach through
    response, assessment, cycle and region, which would join five tables per prefetch for nothing.
    """
    versions = EvidenceVersion.objects.order_by("number")
    if blocks:
        versions = versions.select_related("uploaded_by", "preview")
    else:
        # The whole page shows of the older versions only how many there are and, for withdrawn evidence, a
        # link per number (the versions themselves load with their block): not their uploaders and previews.
        versions = versions.only("pk", "evidence_id", "number")
    responses = responses.select_related("indicator", "indicator__tatanan", "updated_by").prefetch_related(
        Prefetch("indicator__scale_options", queryset=ScaleOption.objects.order_by("-value")),
        "indicator__responsible_opd_kinds",
        Prefetch(
            "evidence",
            queryset=Evidence.objects.select_related(
                "current__uploaded_by", "current__preview", "created_by", "document"
            )
            .order_by("created_at", "pk")
            .prefetch_related(Prefetch("versions", queryset=versions)),
        ),
    )
    if blocks:
        return responses.prefetch_related(
            Prefetch("history", queryset=StatusChange.objects.select_related("actor", "reason")),
            Prefetch("comments", queryset=Comment.objects.select_related("author")),
        )
    flagged = Q(kind=ChangeKind.CORRECTION) | Q(to_status=ResponseStatus.REVISION_REQUESTED)
    return responses.annotate(history_count=_count_of(StatusChange), comment_count=_count_of(Comment)).prefetch_related(
        Prefetch(
            "history",
            queryset=StatusChange.objects.filter(flagged).select_related("actor", "reason"),
            to_attr="flagged_history",
        )
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


def assigned_opds(assessment: Assessment) -> dict[int, Opd]:
    """{indicator id: the OPD the regency gave it to} (one query per assessment instance)."""
    prefetch_related_objects([assessment], "opd_assignments__opd")
    return {a.indicator_id: a.opd for a in assessment.opd_assignments.all()}


def decorate(response: Response, *, assigned: dict[int, Opd] | None = None) -> Response:
    """Split the prefetched evidence into active (by data year) and withdrawn, and find the last send-back.

    ``assigned``: the assessment's ``assigned_opds``, when the caller decorates many of its responses."""
    evidence = list(response.evidence.all())
    if assigned is None:
        assigned = assigned_opds(response.assessment)
    response.assigned_opd = assigned.get(response.indicator_id)  # type: ignore[attr-defined]
    # Attributes for the templates, added to the instance (not model fields).
    response.active_evidence = [e for e in evidence if e.withdrawn_at is None]  # type: ignore[attr-defined]
    response.evidence_years = evidence_by_year(response, response.active_evidence)  # type: ignore[attr-defined]
    response.withdrawn_evidence = [e for e in evidence if e.withdrawn_at is not None]  # type: ignore[attr-defined]
    history = getattr(response, "flagged_history", None)
    if history is None:
        history = list(response.history.all())
        response.history_count = len(history)  # type: ignore[attr-defined]
        response.comment_count = len(response.comments.all())  # type: ignore[attr-defined]
    response.last_revision = next(  # type: ignore[attr-defined]
        (h for h in reversed(history) if h.to_status == ResponseStatus.REVISION_REQUESTED), None
    )
    response.corrections = [h for h in history if h.kind == ChangeKind.CORRECTION]  # type: ignore[attr-defined]
    return response


def responses_for_fill(*, assessment: Assessment, tatanan: Tatanan | None) -> list[Response]:
    """The responses of one tatanan (or of kelembagaan when ``tatanan`` is None), in framework order."""
    responses = with_card_data(Response.objects.filter(assessment=assessment), blocks=False)
    if tatanan is None:
        responses = responses.filter(indicator__kind=IndicatorKind.KELEMBAGAAN)
    else:
        responses = responses.filter(indicator__tatanan=tatanan)
    rows = list(responses.order_by("indicator__sort_order", "pk"))
    assigned = assigned_opds(assessment)
    for row in rows:
        row.assessment = assessment  # already loaded with cycle and regency: no query per card
        decorate(row, assigned=assigned)
    return rows


def response_for_card(*, assessment: Assessment, pk: int) -> Response:
    response = with_card_data(Response.objects.all()).get(assessment=assessment, pk=pk)
    response.assessment = assessment
    return decorate(response)
