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
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connections
from django.db.models import Count, IntegerField, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from evaluations.models import Assessment, Response, ResponseStatus, Stage
from tatanan import scoring
from tatanan.models import Indicator, IndicatorKind, Tatanan

BASES = ("self", "verified", "forecast")

EFFECTIVE_VALUE = Coalesce("value_national", "value_provincial", "value", output_field=IntegerField())
WAITING = [ResponseStatus.SUBMITTED, ResponseStatus.RESUBMITTED]
VERIFIED_Q = Q(status=ResponseStatus.ACCEPTED) | Q(stage__in=[Stage.PROVINSI, Stage.PUSAT], status__in=WAITING)
FORECAST_Q = VERIFIED_Q | Q(status__in=WAITING)
BASIS_Q = {"self": None, "verified": VERIFIED_Q, "forecast": FORECAST_Q}
# Review states of the responses, counted per tatanan by ``table_scores`` (the order of ReviewCounts).
REVIEW_COUNTS = {
    "draft": Q(status=ResponseStatus.DRAFT),
    "waiting": Q(status__in=WAITING),
    "revision": Q(status=ResponseStatus.REVISION_REQUESTED),
    "accepted": Q(status=ResponseStatus.ACCEPTED),
}


def _positive(basis: str) -> Count:
    """Responses of ``basis`` with a value above 0 (kelembagaan is complete when all are)."""
    q = BASIS_Q[basis]
    return Count("pk", filter=Q(value__gt=0) if q is None else q & Q(value__gt=0))


def _total(basis: str) -> Coalesce:
    """Sum of the values of ``basis``: the nilai mandiri, or the latest reviewed value of the counted responses."""
    q = BASIS_Q[basis]
    return Coalesce(Sum("value"), 0) if q is None else Coalesce(Sum(EFFECTIVE_VALUE, filter=q), 0)


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


def _indicator_counts(framework_ids: Iterable[int]) -> dict[int, dict[int | None, int]]:
    counts: dict[int, dict[int | None, int]] = defaultdict(dict)  # framework -> {tatanan_id or None: n}
    rows = (
        Indicator.objects.filter(framework_id__in=framework_ids)
        .values("framework_id", "tatanan_id")
        .annotate(n=Count("pk"))
    )
    for row in rows:
        counts[row["framework_id"]][row["tatanan_id"]] = row["n"]
    return counts


def scores_for_assessments(
    assessments: Iterable[Assessment], *, policy: scoring.ScoringPolicy = scoring.DEFAULT_POLICY
) -> dict[int, AssessmentScores]:
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
            **{f"positive_{basis}": _positive(basis) for basis in BASES},
            **{f"{basis}_total": _total(basis) for basis in BASES},
        )
    )
    by_assessment: dict[int, dict[int | None, dict[str, Any]]] = defaultdict(dict)
    for summed in sums:
        by_assessment[summed["assessment_id"]][summed["indicator__tatanan_id"]] = dict(summed)

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
                scores[basis] = scoring.tatanan_score_from_total(total, n, row.get("filled", 0))
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


@dataclass(frozen=True)
class TableScores:
    """One basis of one assessment, as a readiness table shows it: no shortfalls, review states per tatanan."""

    assessment_id: int
    tatanan: list[TatananRow]  # ``scores`` holds the one basis
    odf_percent: Decimal
    kelembagaan_filled: int
    kelembagaan_total: int
    score: Decimal
    level: scoring.Level
    review: dict  # tatanan id (None: kelembagaan) -> (draft, waiting, revision, accepted)


def table_scores(
    assessments: Iterable[Assessment],
    *,
    basis: str,
    tatanan: list[Tatanan] | None = None,
    policy: scoring.ScoringPolicy = scoring.DEFAULT_POLICY,
    responses: QuerySet[Response] | None = None,
) -> dict[int, TableScores]:
    """``scores_for_assessments`` for one basis, with the review states, in one pass over the responses.

    For tables of hundreds of assessments: one aggregate query (instead of one for the scores and one for the
    review states), only the basis on display, and the level without the shortfalls of the next one. Pass
    ``tatanan`` (of the single framework of ``assessments``, ordered by number) when already loaded, and
    ``responses`` (exactly those of ``assessments``, e.g. a cycle's) to filter by a join instead of an id list.
    """
    assessments = list(assessments)
    if not assessments:
        return {}
    framework_ids = {a.cycle.framework_id for a in assessments}
    counts = _indicator_counts(framework_ids)
    tatanan_by_fw = defaultdict(list)
    if tatanan is not None and len(framework_ids) == 1:
        tatanan_by_fw[next(iter(framework_ids))] = tatanan
    else:
        for t in Tatanan.objects.filter(framework_id__in=framework_ids).order_by("number"):
            tatanan_by_fw[t.framework_id].append(t)
    fields = ("filled", "positive", "total", *REVIEW_COUNTS)
    rows = (
        (responses if responses is not None else Response.objects.filter(assessment__in=[a.pk for a in assessments]))
        .order_by()
        .values_list("assessment_id", "indicator__tatanan_id")
        .annotate(
            filled=Count("pk", filter=Q(value__isnull=False)),
            positive=_positive(basis),
            total=_total(basis),
            **{name: Count("pk", filter=q) for name, q in REVIEW_COUNTS.items()},
        )
    )
    # Plain integers straight from the cursor: thousands of rows, and Django's per-row converters for the
    # aggregates (int to int here) cost more than the arithmetic that follows.
    sql, params = rows.query.sql_with_params()
    with connections[rows.db].cursor() as cursor:
        cursor.execute(sql, params)
        fetched = cursor.fetchall()
    by_assessment: dict[int, dict[int | None, list[int]]] = defaultdict(dict)
    for assessment_id, tatanan_id, *values in fetched:
        by_assessment[assessment_id][tatanan_id] = values
    empty = (0,) * len(fields)
    columns = {  # per framework: (tatanan, its pk, its key for the level rules, its number of indicators)
        fw: [(t, t.pk, str(t.number), counts[fw].get(t.pk, 0)) for t in tatanan_by_fw[fw]] for fw in framework_ids
    }
    result = {}
    for a in assessments:
        fw = a.cycle.framework_id
        sums = by_assessment.get(a.pk, {})
        tatanan_rows, by_key = [], {}
        for t, pk, key, n in columns[fw]:
            filled, _positive_n, total, *_review = sums.get(pk, empty)
            tatanan_score = by_key[key] = scoring.tatanan_score_from_total(total, n, filled)
            tatanan_rows.append(TatananRow(t, filled, n, {basis: tatanan_score}))
        k_total = counts[fw].get(None, 0)
        k_filled, k_positive, *_rest = sums.get(None, empty)
        odf = scoring.odf_percent(a.odf_village_count, a.odf_stop_babs_count)
        score, level = scoring.readiness_level(
            tatanan=by_key, odf=odf, kelembagaan=k_total > 0 and k_positive == k_total, policy=policy
        )
        result[a.pk] = TableScores(
            assessment_id=a.pk,
            tatanan=tatanan_rows,
            odf_percent=odf,
            kelembagaan_filled=k_filled,
            kelembagaan_total=k_total,
            score=score,
            level=level,
            review={key: tuple(values[3:]) for key, values in sums.items()},
        )
    return result


def assessment_scores(
    assessment: Assessment, *, policy: scoring.ScoringPolicy = scoring.DEFAULT_POLICY
) -> AssessmentScores:
    return scores_for_assessments([assessment], policy=policy)[assessment.pk]


__all__ = [
    "BASES",
    "AssessmentScores",
    "IndicatorKind",
    "TableScores",
    "TatananRow",
    "assessment_scores",
    "scores_for_assessments",
    "table_scores",
]
