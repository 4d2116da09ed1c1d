"""``table_scores`` (one basis, one query, for readiness tables) agrees with ``scores_for_assessments``."""

import itertools
import random
from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from evaluations.models import Response, ResponseStatus, Stage
from evaluations.selectors.scores import BASES, scores_for_assessments, table_scores

pytestmark = pytest.mark.django_db

STATES = [(stage, status) for stage in Stage.values for status in ResponseStatus.values]


def _scramble(assessment, seed):
    """Every response in some stage and status, with self, provincial and national values or none."""
    rng = random.Random(seed)
    for response in Response.objects.filter(assessment=assessment):
        response.stage, response.status = rng.choice(STATES)
        response.value = rng.choice([None, 0, 50, 100])
        response.value_provincial = rng.choice([None, 0, 50, 100])
        response.value_national = rng.choice([None, None, 50])
        response.save()
    assessment.odf_village_count, assessment.odf_stop_babs_count = rng.choice([(10, 10), (10, 9), (0, 0), (7, 6)])
    assessment.save()


@pytest.mark.parametrize("seed", range(6))
def test_table_scores_agree_with_the_full_scores_on_every_basis(assessment, other_assessment, seed):
    _scramble(assessment, seed)
    _scramble(other_assessment, seed + 100)
    both = [assessment, other_assessment]
    full = scores_for_assessments(both)
    for basis, a in itertools.product(BASES, both):
        table = table_scores(both, basis=basis)[a.pk]
        expected = full[a.pk]
        assert (table.score, table.level) == (expected.readiness[basis].score, expected.readiness[basis].level)
        assert [(r.tatanan, r.filled, r.total, r.scores[basis]) for r in table.tatanan] == [
            (r.tatanan, r.filled, r.total, r.scores[basis]) for r in expected.tatanan
        ]
        assert (table.odf_percent, table.kelembagaan_filled, table.kelembagaan_total) == (
            expected.odf_percent,
            expected.kelembagaan_filled,
            expected.kelembagaan_total,
        )


def test_table_scores_count_the_review_states_per_tatanan(assessment):
    _scramble(assessment, 7)
    table = table_scores([assessment], basis="forecast")[assessment.pk]
    expected = {}
    for r in Response.objects.filter(assessment=assessment).select_related("indicator"):
        expected.setdefault(r.indicator.tatanan_id, Counter())[r.status] += 1
    assert table.review == {
        key: (
            c[ResponseStatus.DRAFT],
            c[ResponseStatus.SUBMITTED] + c[ResponseStatus.RESUBMITTED],
            c[ResponseStatus.REVISION_REQUESTED],
            c[ResponseStatus.ACCEPTED],
        )
        for key, c in expected.items()
    }


def test_table_scores_take_two_queries_with_the_tatanan_given(assessment, other_assessment):
    tatanan = list(assessment.cycle.framework.tatanan.order_by("number"))
    with CaptureQueriesContext(connection) as queries:
        table_scores([assessment, other_assessment], basis="self", tatanan=tatanan)
    assert len(queries) == 2  # indicator counts, and one pass over the responses
    assert table_scores([], basis="self") == {}
