"""Scores from totals summed in the database are exactly the scores of the values themselves."""

import itertools
from decimal import Decimal

import pytest

from tatanan.scoring import TatananScore, tatanan_score, tatanan_score_from_total

D = Decimal


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
