"""Separation of duties: nobody decides a stage of a response they filled or submitted, nor two of its stages.

The rule lives in the review rule of the policy (forums/permissions.py: the predicate, the queue scope and the
recipients of "waits for review") and is checked again by the review service under the row lock.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from evaluations.models import Notification, ResponseStatus, Stage
from evaluations.selectors.queue import review_queue, waiting_for
from evaluations.services.errors import SeparationOfDuties
from evaluations.tests.workflow import accept, fresh, send_back, submitted
from forums.models import Role
from forums.permissions import can_review_response, responses_to_review_by, reviewers_for_stage
from forums.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def response(assessment):
    return assessment.responses.filter(indicator__kind="tatanan").order_by("indicator__sort_order").first()


@pytest.fixture
def province_reviewer(province):
    """A health reviewer of the province: reviews both the kabupaten and the provinsi stage of its regencies."""
    return UserFactory(role=Role.HEALTH_REVIEWER, region=province, username="dinkes_provinsi")


def _queue(user):
    return set(waiting_for(user).values_list("pk", flat=True))


def test_a_province_reviewer_cannot_pass_a_response_through_two_stages(response, coordinator, province_reviewer):
    submitted(response, coordinator)
    accept(response, province_reviewer)
    moved = fresh(response)
    assert (moved.stage, moved.status) == (Stage.PROVINSI, ResponseStatus.SUBMITTED)
    assert not can_review_response(province_reviewer, moved)
    assert response.pk not in _queue(province_reviewer)
    with pytest.raises(SeparationOfDuties):
        accept(response, province_reviewer, value=100)
    assert fresh(response).stage == Stage.PROVINSI


def test_another_reviewer_of_the_province_decides_the_next_stage(response, coordinator, province_reviewer, provincial):
    submitted(response, coordinator)
    accept(response, province_reviewer)
    assert can_review_response(provincial, fresh(response))
    assert response.pk in _queue(provincial)
    assert accept(response, provincial, value=100).stage == Stage.PUSAT


def test_the_same_stage_may_be_decided_again_after_a_resubmission(response, coordinator, reviewer):
    submitted(response, coordinator)
    send_back(response, reviewer)
    submitted(response, coordinator)
    assert response.pk in _queue(reviewer)
    assert accept(response, reviewer).stage == Stage.PROVINSI


def test_the_admin_cannot_accept_what_they_filled_and_submitted(response, admin_user, reviewer):
    submitted(response, admin_user)
    assert not can_review_response(admin_user, fresh(response))
    assert response.pk not in _queue(admin_user)
    with pytest.raises(SeparationOfDuties):
        accept(response, admin_user)
    # Someone else still can.
    assert accept(response, reviewer).stage == Stage.PROVINSI


def test_a_submission_bars_at_every_later_stage_too(response, admin_user, reviewer, provincial, national):
    submitted(response, admin_user)
    accept(response, reviewer)
    accept(response, provincial, value=100)
    assert fresh(response).stage == Stage.PUSAT
    with pytest.raises(SeparationOfDuties):
        accept(response, admin_user, value=100)
    assert accept(response, national, value=100).status == ResponseStatus.ACCEPTED


def test_the_admin_cannot_decide_two_stages(response, coordinator, admin_user, provincial):
    submitted(response, coordinator)
    accept(response, admin_user)
    assert response.pk not in _queue(admin_user)
    with pytest.raises(SeparationOfDuties):
        accept(response, admin_user, value=100)
    accept(response, provincial, value=100)


def test_whoever_resubmits_after_a_provincial_send_back_is_a_filler(response, coordinator, reviewer, admin_user):
    submitted(response, coordinator)
    accept(response, reviewer)
    send_back(response, UserFactory(role=Role.PROVINCIAL_OFFICIAL, region=response.assessment.regency.parent))
    submitted(response, admin_user)  # the admin fixes and resubmits at the provinsi stage
    with pytest.raises(SeparationOfDuties):
        accept(response, admin_user, value=100)


def test_a_barred_reviewer_is_not_told_it_waits_for_them(response, coordinator, province_reviewer, provincial):
    submitted(response, coordinator)
    Notification.objects.all().delete()
    accept(response, province_reviewer)
    waiting = Notification.objects.filter(verb="waiting_review").values_list("recipient__username", flat=True)
    assert set(waiting) == {provincial.username}
    recipients = reviewers_for_stage(Stage.PROVINSI, response.assessment.regency, response=fresh(response))
    assert set(recipients) == {provincial}
    assert set(reviewers_for_stage(Stage.PROVINSI, response.assessment.regency)) == {provincial, province_reviewer}


def test_the_review_page_says_why_and_a_post_changes_nothing(client, response, coordinator, province_reviewer):
    submitted(response, coordinator)
    accept(response, province_reviewer)
    client.force_login(province_reviewer)
    page = client.get(f"/verifikasi/{response.pk}/").content.decode()
    assert "Anda tidak dapat memutuskan jawaban ini" in page
    assert 'name="decision"' not in page
    before = fresh(response)
    answer = client.post(
        f"/verifikasi/{response.pk}/putuskan/", {"version": before.version, "decision": "accept", "value": 100}
    )
    assert answer.status_code == 200
    assert "Anda tidak dapat memutuskan jawaban ini" in answer.content.decode()
    after = fresh(response)
    assert (after.stage, after.status, after.version) == (before.stage, before.status, before.version)


def test_the_queue_leaves_out_what_the_user_may_not_decide_in_constant_queries(
    assessment, coordinator, province_reviewer
):
    responses = list(assessment.responses.filter(indicator__kind="tatanan").order_by("indicator__sort_order"))
    for response in responses:
        submitted(response, coordinator)
    accept(responses[0], province_reviewer)
    with CaptureQueriesContext(connection) as one:
        listed = [r.pk for r in review_queue(user=province_reviewer)]
    assert responses[0].pk not in listed
    assert set(listed) == {r.pk for r in responses[1:]}
    for response in responses[1:3]:
        accept(response, province_reviewer)
    with CaptureQueriesContext(connection) as three:
        listed = [r.pk for r in review_queue(user=province_reviewer)]
    assert set(listed) == {r.pk for r in responses[3:]}
    assert len(three) == len(one)
    # The scope and the predicate agree, row by row.
    everything = assessment.responses.all()
    in_scope = set(responses_to_review_by(province_reviewer).values_list("pk", flat=True))
    assert in_scope == {r.pk for r in everything if can_review_response(province_reviewer, fresh(r))}


def test_a_bar_on_one_response_leaves_the_others_in_the_queue(assessment, coordinator, reviewer, province_reviewer):
    decided, other = list(assessment.responses.filter(indicator__kind="tatanan").order_by("indicator__sort_order"))[:2]
    for response in (decided, other):
        submitted(response, coordinator)
    accept(decided, province_reviewer)  # barred from its provinsi stage
    accept(other, reviewer)  # waits at the provinsi stage too, decided below by someone else
    assert _queue(province_reviewer) == {other.pk}


def test_a_bar_is_per_response_for_the_predicate_and_the_recipients(
    assessment, coordinator, reviewer, province_reviewer
):
    decided, other = list(assessment.responses.filter(indicator__kind="tatanan").order_by("indicator__sort_order"))[:2]
    for response in (decided, other):
        submitted(response, coordinator)
    accept(decided, province_reviewer)
    accept(other, reviewer)
    regency = assessment.regency
    assert can_review_response(province_reviewer, fresh(other))
    assert province_reviewer in reviewers_for_stage(Stage.PROVINSI, regency, response=fresh(other))
    assert province_reviewer not in reviewers_for_stage(Stage.PROVINSI, regency, response=fresh(decided))


def test_deciding_the_same_stage_again_keeps_a_reviewer_among_the_recipients(
    response, coordinator, reviewer, province_reviewer
):
    submitted(response, coordinator)
    accept(response, reviewer)
    send_back(response, province_reviewer)
    submitted(response, coordinator)
    assert province_reviewer in reviewers_for_stage(
        Stage.PROVINSI, response.assessment.regency, response=fresh(response)
    )
    assert can_review_response(province_reviewer, fresh(response))


def test_a_correction_of_an_accepted_answer_bars_nobody(response, coordinator, reviewer, provincial):
    from evaluations.models import StatusChange

    submitted(response, coordinator)
    accept(response, reviewer)
    # A correction (as the national admin's, recorded in the history) starts from "accepted": not a decision.
    StatusChange.objects.create(
        response=response, actor=provincial, stage=Stage.KABUPATEN, from_status="accepted", to_status="accepted"
    )
    assert can_review_response(provincial, fresh(response))
    assert response.pk in _queue(provincial)
