"""The one score path: ``scores_for_assessments`` equals the pure rule applied to the responses themselves, on
every basis, under the cycle's own award policy, in a fixed number of queries."""

import datetime
import random
from collections import Counter, defaultdict

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from evaluations.choices import AwardBasis
from evaluations.models import OfficialResult, ReadinessSummary, Response, ResponseStatus, Stage
from evaluations.selectors.award import cycle_policy
from evaluations.selectors.scores import BASES, scores_for_assessments
from evaluations.services.summary import readiness_summary_refresh
from evaluations.tests.factories import CycleFactory
from tatanan import scoring

pytestmark = pytest.mark.django_db

STATES = [(stage, status) for stage in Stage.values for status in ResponseStatus.values]
WAITING = {ResponseStatus.SUBMITTED, ResponseStatus.RESUBMITTED}


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


def _counted(response, basis):
    """The value ``response`` adds to ``basis`` (None: not counted), written out from the definitions."""
    if basis == "self":
        return response.value
    reviewed = next((v for v in (response.value_national, response.value_provincial) if v is not None), None)
    verified = response.status == ResponseStatus.ACCEPTED or (
        response.stage in (Stage.PROVINSI, Stage.PUSAT) and response.status in WAITING
    )
    if verified or (basis == "forecast" and response.status in WAITING):
        return reviewed if reviewed is not None else response.value
    return None


def _expected(assessment, basis, policy, facts=scoring.NO_FACTS):
    by_tatanan = defaultdict(list)
    kelembagaan = []
    for r in Response.objects.filter(assessment=assessment).select_related("indicator__tatanan"):
        value = _counted(r, basis)
        if r.indicator.tatanan is None:
            kelembagaan.append(value)
        else:
            by_tatanan[str(r.indicator.tatanan.number)].append(value)
    return scoring.readiness(
        tatanan={key: scoring.tatanan_score(values) for key, values in by_tatanan.items()},
        odf=scoring.odf_percent(assessment.odf_village_count, assessment.odf_stop_babs_count),
        kelembagaan=scoring.kelembagaan_complete(kelembagaan),
        policy=policy,
        paripurna=facts,
    )


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("basis_of_cycle", AwardBasis.values)
def test_scores_equal_the_rule_applied_to_the_responses_on_every_basis(
    assessment, other_assessment, seed, basis_of_cycle
):
    cycle = assessment.cycle
    cycle.award_band_basis = basis_of_cycle
    cycle.save()
    _scramble(assessment, seed)
    _scramble(other_assessment, seed + 100)
    both = [assessment, other_assessment]
    full = scores_for_assessments(both)
    for a in both:
        assert full[a.pk].policy.band_basis == scoring.BandBasis(basis_of_cycle)
        for basis in BASES:
            assert full[a.pk].readiness[basis] == _expected(a, basis, cycle_policy(cycle))
            one = scores_for_assessments(both, bases=[basis])[a.pk]  # what a readiness table asks for
            assert one.readiness == {basis: full[a.pk].readiness[basis]}
            assert [r.scores for r in one.tatanan] == [{basis: r.scores[basis]} for r in full[a.pk].tatanan]


def test_the_cycle_policy_decides_and_an_explicit_policy_overrides(assessment):
    # Tatanan 1 all 100, tatanan 2 at 2 of 3 (66.67): mean 83.33 (Wiwerda), per tatanan below Padapa.
    for r in Response.objects.filter(assessment=assessment).select_related("indicator__tatanan"):
        r.value = 0 if r.indicator.tatanan and r.indicator.tatanan.number == 2 and r.indicator.number == 1 else 100
        r.save()
    assert scores_for_assessments([assessment])[assessment.pk].level("self") == scoring.Level.NONE
    mean = scoring.ScoringPolicy(band_basis=scoring.BandBasis.MEAN)
    assert scores_for_assessments([assessment], policy=mean)[assessment.pk].level("self") == scoring.Level.WIWERDA
    assessment.cycle.award_band_basis = AwardBasis.MEAN
    assessment.cycle.save()
    assert scores_for_assessments([assessment])[assessment.pk].level("self") == scoring.Level.WIWERDA


def test_earlier_official_wistara_results_make_paripurna(assessment, admin_user):
    Response.objects.filter(assessment=assessment).update(value=100)
    assessment.ip_spm_met = assessment.innovation_adopted = True
    assessment.save()
    assert scores_for_assessments([assessment])[assessment.pk].level("self") == scoring.Level.WISTARA
    for year in (2021, 2023):
        earlier = CycleFactory(framework=assessment.cycle.framework, year=year, opened_at=None)
        OfficialResult.objects.create(
            cycle=earlier,
            regency=assessment.regency,
            level="wistara",
            awarded_on=datetime.date(year, 11, 20),
            decree=f"HK.01.07/MENKES/{year}",
        )
    scores = scores_for_assessments([assessment])[assessment.pk]
    assert scores.level("self") == scoring.Level.PARIPURNA
    assert scores.readiness["self"] == _expected(
        assessment,
        "self",
        cycle_policy(assessment.cycle),
        scoring.ParipurnaFacts((scoring.Level.WISTARA,) * 2, ip_spm=True, innovation=True),
    )


def test_the_review_states_are_counted_per_tatanan(assessment):
    _scramble(assessment, 7)
    scores = scores_for_assessments([assessment], bases=["forecast"])[assessment.pk]
    expected = {}
    for r in Response.objects.filter(assessment=assessment).select_related("indicator"):
        expected.setdefault(r.indicator.tatanan_id, Counter())[r.status] += 1
    assert scores.review == {
        key: (
            c[ResponseStatus.DRAFT],
            c[ResponseStatus.SUBMITTED] + c[ResponseStatus.RESUBMITTED],
            c[ResponseStatus.REVISION_REQUESTED],
            c[ResponseStatus.ACCEPTED],
        )
        for key, c in expected.items()
    }


def test_a_fixed_number_of_queries_with_the_tatanan_given(assessment, other_assessment):
    tatanan = list(assessment.cycle.framework.tatanan.order_by("number"))
    readiness_summary_refresh(assessment_ids=[assessment.pk, other_assessment.pk])
    with CaptureQueriesContext(connection) as queries:
        scores_for_assessments([assessment, other_assessment], bases=["self"], tatanan=tatanan)
    # indicator counts, the readiness summaries, the earlier award cycles (no results: no second query)
    assert len(queries) == 3
    # an assessment without a summary yet: one aggregate over its responses besides
    ReadinessSummary.objects.filter(pk=other_assessment.pk).delete()
    with CaptureQueriesContext(connection) as queries:
        scores_for_assessments([assessment, other_assessment], bases=["self"], tatanan=tatanan)
    assert len(queries) == 4
    assert scores_for_assessments([], bases=["self"]) == {}
    with pytest.raises(ValueError, match="unknown bases"):
        scores_for_assessments([assessment], bases=["median"])
