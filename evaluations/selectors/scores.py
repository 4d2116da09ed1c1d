"""Load response values from the database into the pure scoring module.

All functions work on many assessments at once with a fixed number of
queries, so a national report costs the same number of queries as one page.

Three bases are computed for each assessment:
- ``self``: the nilai mandiri of every answered indicator (what the regency claims);
- ``verified``: only responses accepted at least once, at their latest reviewed value;
- ``forecast``: verified plus everything waiting for review, as if it were accepted.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, IntegerField, Q, Sum
from django.db.models.functions import Coalesce

from evaluations.models import Assessment, Response, ResponseStatus, Stage
from tatanan import scoring
from tatanan.models import Indicator, IndicatorKind, Tatanan

BASES = ("self", "verified", "forecast")

EFFECTIVE_VALUE = Coalesce("value_national", "value_provincial", "value", output_field=IntegerField())
WAITING = [ResponseStatus.SUBMITTED, ResponseStatus.RESUBMITTED]
VERIFIED_Q = Q(status=ResponseStatus.ACCEPTED) | Q(stage__in=[Stage.PROVINSI, Stage.PUSAT], status__in=WAITING)
FORECAST_Q = VERIFIED_Q | Q(status__in=WAITING)


@dataclass(frozen=True)
class TatananRow:
    tatanan: Tatanan
    filled: int
    total: int
    scores: dict[str, scoring.TatananScore]


@dataclass(frozen=True)
class AssessmentScores:
    assessment_id: int
    tatanan: list[TatananRow]
    odf_percent: Decimal
    kelembagaan_filled: int
    kelembagaan_total: int
    readiness: dict[str, scoring.Readiness]


def _indicator_counts(framework_ids):
    counts = defaultdict(dict)  # framework -> {tatanan_id or None: n}
    rows = (
        Indicator.objects.filter(framework_id__in=framework_ids)
        .values("framework_id", "tatanan_id")
        .annotate(n=Count("pk"))
    )
    for row in rows:
        counts[row["framework_id"]][row["tatanan_id"]] = row["n"]
    return counts


def scores_for_assessments(assessments, *, policy: scoring.ScoringPolicy = scoring.DEFAULT_POLICY):
    """Scores of many assessments (objects with ``cycle`` loaded) -> {assessment_id: AssessmentScores}."""
    assessments = list(assessments)
    if not assessments:
        return {}
    framework_ids = {a.cycle.framework_id for a in assessments}
    counts = _indicator_counts(framework_ids)
    tatanan_by_fw = defaultdict(list)
    for t in Tatanan.objects.filter(framework_id__in=framework_ids).order_by("number"):
        tatanan_by_fw[t.framework_id].append(t)

    sums = (
        Response.objects.filter(assessment__in=[a.pk for a in assessments])
        .values("assessment_id", "indicator__tatanan_id")
        .annotate(
            filled=Count("pk", filter=Q(value__isnull=False)),
            positive_self=Count("pk", filter=Q(value__gt=0)),
            positive_verified=Count("pk", filter=VERIFIED_Q & Q(value__gt=0)),
            positive_forecast=Count("pk", filter=FORECAST_Q & Q(value__gt=0)),
            self_total=Coalesce(Sum("value"), 0),
            verified_total=Coalesce(Sum(EFFECTIVE_VALUE, filter=VERIFIED_Q), 0),
            forecast_total=Coalesce(Sum(EFFECTIVE_VALUE, filter=FORECAST_Q), 0),
        )
    )
    by_assessment = defaultdict(dict)
    for row in sums:
        by_assessment[row["assessment_id"]][row["indicator__tatanan_id"]] = row

    result = {}
    for a in assessments:
        fw = a.cycle.framework_id
        rows = by_assessment.get(a.pk, {})
        odf = scoring.odf_percent(a.odf_village_count, a.odf_stop_babs_count)
        tatanan_rows = []
        for t in tatanan_by_fw[fw]:
            n = counts[fw].get(t.pk, 0)
            row = rows.get(t.pk, {})
            scores = {}
            for basis in BASES:
                total = row.get(f"{basis}_total", 0) or 0
                scores[basis] = _score(total, n, row.get("filled", 0))
            tatanan_rows.append(TatananRow(t, row.get("filled", 0), n, scores))
        k_total = counts[fw].get(None, 0)
        k_row = rows.get(None, {})
        readiness = {}
        for basis in BASES:
            complete = k_total > 0 and k_row.get(f"positive_{basis}", 0) == k_total
            readiness[basis] = scoring.readiness(
                tatanan={str(r.tatanan.number): r.scores[basis] for r in tatanan_rows},
                odf=odf,
                kelembagaan=complete,
                policy=policy,
            )
        result[a.pk] = AssessmentScores(
            assessment_id=a.pk,
            tatanan=tatanan_rows,
            odf_percent=odf,
            kelembagaan_filled=k_row.get("filled", 0),
            kelembagaan_total=k_total,
            readiness=readiness,
        )
    return result


def _score(total: int, count: int, answered: int) -> scoring.TatananScore:
    """A TatananScore from an aggregated sum (same arithmetic as scoring.tatanan_score)."""
    if count == 0:
        return scoring.TatananScore(total=0, count=0, answered=0, percent=Decimal(0))
    percent = scoring.quantize(Decimal(total) * scoring.HUNDRED / (Decimal(count) * scoring.HUNDRED))
    return scoring.TatananScore(total=total, count=count, answered=answered, percent=percent)


def assessment_scores(assessment: Assessment, **kwargs) -> AssessmentScores:
    return scores_for_assessments([assessment], **kwargs)[assessment.pk]


__all__ = ["BASES", "AssessmentScores", "IndicatorKind", "TatananRow", "assessment_scores", "scores_for_assessments"]
