"""The review scope and the notification recipients agree with the access predicates."""

import pytest

from evaluations.models import Stage
from evaluations.tests.workflow import fresh
from forums.models import User
from forums.permissions import (
    can_fill_response,
    can_review_stage,
    fillers_for_response,
    responses_to_review_by,
    reviewers_for_stage,
)
from forums.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PERSONAS = ["coordinator", "opd_officer", "reviewer", "provincial", "national", "admin_user", "outsider"]


@pytest.fixture
def everyone(request, province):
    users = [request.getfixturevalue(p) for p in PERSONAS]
    users.append(UserFactory(role="health_reviewer", region=province, username="dinkes_provinsi"))
    return users


@pytest.mark.parametrize("stage", Stage.values)
def test_the_review_scope_matches_can_review_stage(assessment, other_assessment, everyone, stage):
    for a in (assessment, other_assessment):
        a.responses.update(stage=stage)
    for user in everyone:
        in_scope = set(responses_to_review_by(user).values_list("assessment__regency_id", flat=True).distinct())
        allowed = {a.regency_id for a in (assessment, other_assessment) if can_review_stage(user, stage, a.regency)}
        assert in_scope == allowed, (user.username, stage)


@pytest.mark.parametrize("stage", Stage.values)
def test_reviewers_for_stage_are_exactly_those_who_may_review(assessment, everyone, regency, stage):
    expected = {u.pk for u in everyone if can_review_stage(u, stage, regency) and not u.is_superuser}
    assert set(reviewers_for_stage(stage, regency).values_list("pk", flat=True)) == expected


def test_fillers_are_exactly_those_who_may_fill(assessment, everyone):
    for response in assessment.responses.all():
        response = fresh(response)
        expected = {u.pk for u in User.objects.all() if can_fill_response(u, response) and not u.is_superuser}
        assert set(fillers_for_response(response).values_list("pk", flat=True)) == expected
