"""Load response values from the database into the pure scoring module: the one score path.

``scores_for_assessments`` is the only place that turns responses into scores and levels, for one assessment
page, a dossier or a national table alike: one aggregate query over the responses (per assessment and tatanan)
gives the per-tatanan numbers, and ``tatanan.scoring.readiness`` (the one rule) decides each level under the
award policy of the assessment's cycle. A fixed number of queries whatever the number of assessments.

Three bases are computed for each assessment:
- ``self``: the nilai mandiri of every answered indicator (what the regency claims);
- ``verified``: only responses accepted at least once, at their latest reviewed value;
- ``forecast``: verified plus everything waiting for review, as if it were accepted.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import connections
from django.db.models import Count, IntegerField, Q, Sum
from django.db.models.functions import Coalesce

from evaluations.models import Assessment, ReadinessSummary, Response, ResponseStatus, Stage
from evaluations.selectors.award import cycle_policy, paripurna_facts
from tatanan import scoring
from tatanan.models import Indicator, IndicatorKind, Tatanan

BASES = ("self", "verified", "forecast")

EFFECTIVE_VALUE = Coalesce("value_national", "value_provincial", "value", output_field=IntegerField())
WAITING = [ResponseStatus.SUBMITTED, ResponseStatus.RESUBMITTED]
VERIFIED_Q = Q(status=ResponseStatus.ACCEPTED) | Q(stage__in=[Stage.PROVINSI, Stage.PUSAT], status__in=WAITING)
FORECAST_Q = VERIFIED_Q | Q(status__in=WAITING)
BASIS_Q = {"self": None, "verified": VERIFIED_Q, "forecast": FORECAST_Q}
# Review states of the responses, counted per tatanan (the order of readiness.ReviewCounts).
REVIEW_COUNTS = {
    "draft": Q(status=ResponseStatus.DRAFT),
    "waiting": Q(status__in=WAITING),
    "revision": Q(status=ResponseStatus.REVISION_REQUESTED),
    "accepted": Q(status=ResponseStatus.ACCEPTED),
}
ReviewTuple = tuple[int, int, int, int]  # draft, waiting, revision, accepted


def _positive(basis: str) -> Count:
    """Responses of ``basis`` whose counted value is above 0 (kelembagaan is complete when all are): the nilai
    mandiri, or for a reviewed basis the latest reviewed value (a kelembagaan item the province scored 0 is
    not in place, whatever the regency claimed)."""
    q = BASIS_Q[basis]
    return Count("pk", filter=Q(value__gt=0) if q is None else q & Q(effective__gt=0))


def _total(basis: str) -> Coalesce:
    """Sum of the values of ``basis``: the nilai mandiri, or the latest reviewed value of the counted responses."""
    q = BASIS_Q[basis]
    return Coalesce(Sum("value"), 0) if q is None else Coalesce(Sum(EFFECTIVE_VALUE, filter=q), 0)


@dataclass(frozen=True)
class TatananRow:
    tatanan: Tatanan
    filled: int
    total: int
    scores: dict[str, scoring.TatananScore]  # basis -> score


@dataclass(frozen=True)
class AssessmentScores:
    assessment_id: int
    tatanan: list[TatananRow]
    odf_percent: Decimal
    kelembagaan_filled: int
    kelembagaan_total: int
    readiness: dict[str, scoring.Readiness]  # basis -> level, score and what the next level lacks
    policy: scoring.ScoringPolicy
    review: dict[int | None, ReviewTuple]  # tatanan id (None: kelembagaan) -> review states of its responses

    def level(self, basis: str) -> scoring.Level:
        return self.readiness[basis].level

    def score(self, basis: str) -> Decimal:
        return self.readiness[basis].score


@dataclass(frozen=True)
class ResponseSums:
    """What the aggregate query gives for one assessment and one tatanan (or kelembagaan)."""

    filled: int
    positive: dict[str, int]
    total: dict[str, int]
    review: ReviewTuple


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


def _tatanan_of(framework_ids: set[int], tatanan: list[Tatanan] | None) -> dict[int, list[Tatanan]]:
    by_framework: dict[int, list[Tatanan]] = defaultdict(list)
    if tatanan is not None and len(framework_ids) == 1:
        by_framework[next(iter(framework_ids))] = tatanan
        return by_framework
    for t in Tatanan.objects.filter(framework_id__in=framework_ids).order_by("number"):
        by_framework[t.framework_id].append(t)
    return by_framework


def live_response_sums(
    assessment_ids: Sequence[int], bases: Sequence[str] = BASES
) -> dict[int, dict[int | None, ResponseSums]]:
    """The aggregate: per assessment and tatanan (None: kelembagaan) the filled count, per basis the number of
    positive values and their sum, and the review states, in one query over the responses. What the readiness
    summary stores (``services.summary``); ``response_sums`` reads the summary instead."""
    rows = (
        Response.objects.filter(assessment__in=list(assessment_ids))
        .order_by()
        .alias(effective=EFFECTIVE_VALUE)
        .values_list("assessment_id", "indicator__tatanan_id")
        .annotate(
            filled=Count("pk", filter=Q(value__isnull=False)),
            **{f"positive_{b}": _positive(b) for b in bases},
            **{f"total_{b}": _total(b) for b in bases},
            **{name: Count("pk", filter=q) for name, q in REVIEW_COUNTS.items()},
        )
    )
    # Plain integers straight from the cursor: a national table has thousands of rows, and Django's per-row
    # converters for the aggregates (int to int here) cost more than the arithmetic that follows.
    sql, params = rows.query.sql_with_params()
    with connections[rows.db].cursor() as cursor:
        cursor.execute(sql, params)
        fetched = cursor.fetchall()
    n = len(bases)
    result: dict[int, dict[int | None, ResponseSums]] = defaultdict(dict)
    for assessment_id, tatanan_id, *values in fetched:
        result[assessment_id][tatanan_id] = ResponseSums(
            filled=values[0],
            positive=dict(zip(bases, values[1 : 1 + n], strict=True)),
            total=dict(zip(bases, values[1 + n : 1 + 2 * n], strict=True)),
            review=(values[-4], values[-3], values[-2], values[-1]),
        )
    return result


KELEMBAGAAN_KEY = "k"


def encode_sums(sums: dict[int | None, ResponseSums]) -> dict[str, list[int]]:
    """One assessment's sums (every basis) as the JSON the summary row stores."""
    return {
        KELEMBAGAAN_KEY if key is None else str(key): [
            s.filled,
            *(s.positive[b] for b in BASES),
            *(s.total[b] for b in BASES),
            *s.review,
        ]
        for key, s in sums.items()
    }


def decode_sums(stored: dict[str, list[int]], bases: Sequence[str] = BASES) -> dict[int | None, ResponseSums]:
    n = len(BASES)
    index = {b: i for i, b in enumerate(BASES)}
    result: dict[int | None, ResponseSums] = {}
    for key, v in stored.items():
        result[None if key == KELEMBAGAAN_KEY else int(key)] = ResponseSums(
            filled=v[0],
            positive={b: v[1 + index[b]] for b in bases},
            total={b: v[1 + n + index[b]] for b in bases},
            review=(v[-4], v[-3], v[-2], v[-1]),
        )
    return result


def response_sums(
    assessment_ids: Sequence[int], bases: Sequence[str] = BASES
) -> dict[int, dict[int | None, ResponseSums]]:
    """The loader: the sums of ``live_response_sums``, read from each assessment's readiness summary (one row per
    assessment, kept current by the response services); an assessment without a summary yet (nothing written
    through the services since it was opened) is aggregated from its responses in the same call."""
    ids = list(assessment_ids)
    stored = dict(ReadinessSummary.objects.filter(assessment_id__in=ids).values_list("assessment_id", "sums"))
    result: dict[int, dict[int | None, ResponseSums]] = defaultdict(dict)
    for assessment_id, sums in stored.items():
        result[assessment_id] = decode_sums(sums, bases)
    missing = [i for i in ids if i not in stored]
    if missing:
        result.update(live_response_sums(missing, bases))
    return result


def scores_for_assessments(
    assessments: Iterable[Assessment],
    *,
    policy: scoring.ScoringPolicy | None = None,
    bases: Sequence[str] = BASES,
    tatanan: list[Tatanan] | None = None,
) -> dict[int, AssessmentScores]:
    """Scores and levels of many assessments (objects with ``cycle`` loaded) -> {assessment_id: AssessmentScores}.

    Each assessment is scored by the award policy of its cycle unless ``policy`` is given (a what-if). ``bases``
    limits the bases computed (a table shows one); pass ``tatanan`` (of the single framework of ``assessments``,
    ordered by number) when already loaded. Queries: the indicator counts, the tatanan (unless given), the
    responses, and two for the earlier official results (Wistara Paripurna).
    """
    assessments = list(assessments)
    if not assessments:
        return {}
    unknown = set(bases) - set(BASES)
    if unknown:
        raise ValueError(f"unknown bases: {sorted(unknown)}")
    framework_ids = {a.cycle.framework_id for a in assessments}
    counts = _indicator_counts(framework_ids)
    tatanan_by_fw = _tatanan_of(framework_ids, tatanan)
    sums = response_sums([a.pk for a in assessments], bases)
    facts = paripurna_facts(assessments)
    policies: dict[int, scoring.ScoringPolicy] = {}
    empty = ResponseSums(0, dict.fromkeys(bases, 0), dict.fromkeys(bases, 0), (0, 0, 0, 0))

    result = {}
    for a in assessments:
        fw = a.cycle.framework_id
        if policy is None and a.cycle_id not in policies:
            policies[a.cycle_id] = cycle_policy(a.cycle)
        used = policy if policy is not None else policies[a.cycle_id]
        rows = sums.get(a.pk, {})
        tatanan_rows = []
        for t in tatanan_by_fw[fw]:
            row = rows.get(t.pk, empty)
            n = counts[fw].get(t.pk, 0)
            scores = {b: scoring.tatanan_score_from_total(row.total[b], n, row.filled) for b in bases}
            tatanan_rows.append(TatananRow(t, row.filled, n, scores))
        k_total = counts[fw].get(None, 0)
        k_row = rows.get(None, empty)
        odf = scoring.odf_percent(a.odf_village_count, a.odf_stop_babs_count)
        readiness = {
            b: scoring.readiness(
                tatanan={str(r.tatanan.number): r.scores[b] for r in tatanan_rows},
                odf=odf,
                kelembagaan=k_total > 0 and k_row.positive[b] == k_total,
                policy=used,
                paripurna=facts[a.pk],
            )
            for b in bases
        }
        result[a.pk] = AssessmentScores(
            assessment_id=a.pk,
            tatanan=tatanan_rows,
            odf_percent=odf,
            kelembagaan_filled=k_row.filled,
            kelembagaan_total=k_total,
            readiness=readiness,
            policy=used,
            review={key: s.review for key, s in rows.items()},
        )
    return result


def assessment_scores(assessment: Assessment, *, policy: scoring.ScoringPolicy | None = None) -> AssessmentScores:
    return scores_for_assessments([assessment], policy=policy)[assessment.pk]


__all__ = [
    "BASES",
    "AssessmentScores",
    "IndicatorKind",
    "ResponseSums",
    "TatananRow",
    "assessment_scores",
    "decode_sums",
    "encode_sums",
    "live_response_sums",
    "response_sums",
    "scores_for_assessments",
]
