"""The bulk helpers of the scoring module give exactly what the per-assessment functions give."""

import itertools
import random
from decimal import Decimal

import pytest

from tatanan.scoring import (
    DEFAULT_POLICY,
    BandBasis,
    Level,
    LevelRule,
    ScoringPolicy,
    TatananScore,
    readiness,
    readiness_level,
    tatanan_score,
    tatanan_score_from_total,
)

D = Decimal
POLICIES = [
    DEFAULT_POLICY,
    ScoringPolicy(band_basis=BandBasis.EACH_TATANAN),
    ScoringPolicy(require_kelembagaan=False),
    ScoringPolicy(rules=(LevelRule(Level.PADAPA, D(60), D(50)), LevelRule(Level.WISTARA, D("95.5"), D(100)))),
]


def _from_total(values):
    answered = [v for v in values if v is not None]
    return tatanan_score_from_total(sum(answered), len(values), len(answered))


@pytest.mark.parametrize(
    "values",
    [
        [100] * 17 + [50] * 5,  # Kota Kediri 2025, permukiman: 1950 of 22 -> 88.64
        [100] * 11 + [50] * 2,  # pasar: 92.31
        [100] * 10 + [50],  # transportasi: 95.45
        [75, 75, 75, 75, 50, 50, 50, 50],  # 62.5 exactly: no rounding
        [100, 100, 75] + [0] * 5,  # 34.375 -> 34.38: half up
        [25] * 3 + [None] * 5,  # unanswered counts as zero: 9.375 -> 9.38
        [None, None],
        [],
    ],
)
def test_score_from_a_total_equals_the_score_of_the_values(values):
    assert _from_total(values) == tatanan_score(values)


def test_score_from_a_total_equals_the_score_of_the_values_for_every_small_tatanan():
    for count in range(1, 9):
        for values in itertools.combinations_with_replacement([None, 0, 25, 50, 75, 100], count):
            assert _from_total(list(values)) == tatanan_score(list(values)), values


def test_score_from_a_total_of_an_empty_tatanan_is_zero():
    assert tatanan_score_from_total(0, 0, 0) == TatananScore(total=0, count=0, answered=0, percent=D(0))
    assert str(tatanan_score_from_total(1950, 22, 22).percent) == "88.64"
    assert str(tatanan_score_from_total(1000, 10, 10).percent) == "100.00"


def _random_tatanan(rng, n):
    scores = {}
    for i in range(n):
        count = rng.choice([0, 1, 3, 13, 22])
        values = [rng.choice([None, 0, 25, 50, 75, 100]) for _ in range(count)]
        scores[str(i + 1)] = tatanan_score(values)
    return scores


# Scores and ODF on and around every threshold of every policy above.
EDGES = [D(0), D("49.99"), D(50), D("59.99"), D(60), D("70.99"), D(71), D("80.99"), D(81), D("89.99"), D(90)]
EDGES += [D("90.99"), D(91), D("95.49"), D("95.5"), D("99.99"), D(100)]


@pytest.mark.parametrize("policy", POLICIES, ids=["default", "each-tatanan", "no-kelembagaan", "two-levels"])
def test_readiness_level_equals_readiness_on_boundaries(policy):
    for score, odf, kelembagaan in itertools.product(EDGES, EDGES, [True, False]):
        for spread in ([score], [score, score], [score, D(100)], [score, D(0)]):
            tatanan = {str(i): TatananScore(100, 1, 1, p) for i, p in enumerate(spread, start=1)}
            expected = readiness(tatanan=tatanan, odf=odf, kelembagaan=kelembagaan, policy=policy)
            assert readiness_level(tatanan=tatanan, odf=odf, kelembagaan=kelembagaan, policy=policy) == (
                expected.score,
                expected.level,
            )


@pytest.mark.parametrize("policy", POLICIES, ids=["default", "each-tatanan", "no-kelembagaan", "two-levels"])
def test_readiness_level_equals_readiness_on_random_assessments(policy):
    rng = random.Random(2025)
    for _ in range(400):
        tatanan = _random_tatanan(rng, rng.choice([0, 1, 2, 9]))
        odf = rng.choice([*EDGES, D(rng.randint(0, 10000)) / 100])
        kelembagaan = rng.random() < 0.8
        expected = readiness(tatanan=tatanan, odf=odf, kelembagaan=kelembagaan, policy=policy)
        got = readiness_level(tatanan=tatanan, odf=odf, kelembagaan=kelembagaan, policy=policy)
        assert got == (expected.score, expected.level)
