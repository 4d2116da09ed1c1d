"""Every transition of the response workflow, and every refusal, through the services."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from evaluations.models import ResponseStatus, RevisionReason, Stage, StatusChange
from evaluations.services.errors import InvalidTransition, StaleVersion, WindowClosed, WorkflowError
from evaluations.services.responses import (
    ACCEPT,
    REVISE,
    response_review,
    response_save,
    response_submit,
    response_submit_filled,
)
from evaluations.tests.workflow import accept, close_all_windows, filled, fresh, send_back, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def response(assessment):
    return assessment.responses.filter(indicator__kind="tatanan").order_by("indicator__sort_order").first()


@pytest.fixture
def kelembagaan_response(assessment):
    return assessment.responses.filter(indicator__kind="kelembagaan").first()


# --- filling -----------------------------------------------------------------


def test_coordinator_saves_a_draft_and_the_version_goes_up(response, coordinator):
    saved = response_save(response=response, data={"value": 50, "explanation": "Data Dinkes"}, actor=coordinator)
    assert (saved.value, saved.explanation, saved.status, saved.version) == (50, "Data Dinkes", "draft", 2)
    assert saved.updated_by == coordinator
    assert not StatusChange.objects.exists()  # saving is not a state change


def test_opd_officer_fills_an_indicator_of_their_opd_kind(response, opd_officer):
    assert response_save(response=response, data={"value": 100}, actor=opd_officer).value == 100


def test_opd_officer_cannot_fill_an_indicator_of_another_opd_kind(kelembagaan_response, opd_officer):
    with pytest.raises(PermissionDenied):
        response_save(response=kelembagaan_response, data={"value": 100}, actor=opd_officer)


@pytest.mark.parametrize("persona", ["reviewer", "provincial", "national", "outsider"])
def test_other_roles_cannot_fill(request, response, persona):
    with pytest.raises(PermissionDenied):
        response_save(response=response, data={"value": 100}, actor=request.getfixturevalue(persona))


def test_a_value_off_the_scale_is_refused(response, coordinator):
    with pytest.raises(WorkflowError, match="tidak ada pada skala"):
        response_save(response=response, data={"value": 75}, actor=coordinator)


def test_saving_with_a_stale_version_is_refused(response, coordinator, opd_officer):
    response_save(response=response, data={"value": 50}, actor=opd_officer, version=1)
    with pytest.raises(StaleVersion):
        response_save(response=fresh(response), data={"value": 100}, actor=coordinator, version=1)
    assert fresh(response).value == 50


def test_saving_after_the_self_assessment_window_is_refused(response, coordinator, cycle):
    close_all_windows(cycle)
    with pytest.raises(WindowClosed, match="sudah ditutup"):
        response_save(response=response, data={"value": 50}, actor=coordinator)


def test_saving_before_the_window_opens_is_refused(response, coordinator, cycle):
    cycle.self_assessment_opens = timezone.now() + datetime.timedelta(days=3)
    cycle.save()
    with pytest.raises(WindowClosed, match="belum dibuka"):
        response_save(response=response, data={"value": 50}, actor=coordinator)


def test_an_admin_reopening_allows_filling_again(response, coordinator, cycle):
    close_all_windows(cycle)
    cycle.reopened_until = timezone.now() + datetime.timedelta(days=2)
    cycle.save()
    assert response_save(response=response, data={"value": 50}, actor=coordinator).value == 50


# --- submitting --------------------------------------------------------------


def test_submit_records_the_change_with_actor_stage_and_value(response, coordinator):
    done = submitted(response, coordinator, value=50)
    assert (done.stage, done.status) == (Stage.KABUPATEN, ResponseStatus.SUBMITTED)
    change = StatusChange.objects.get(response=response)
    assert (change.actor, change.stage, change.from_status, change.to_status, change.value) == (
        coordinator,
        "kabupaten",
        "draft",
        "submitted",
        50,
    )


def test_submitting_without_a_value_is_refused(response, coordinator):
    with pytest.raises(WorkflowError, match="Pilih nilai mandiri"):
        response_submit(response=response, actor=coordinator)


def test_a_submitted_response_can_no_longer_be_edited(response, coordinator):
    submitted(response, coordinator)
    with pytest.raises(InvalidTransition):
        response_save(response=fresh(response), data={"value": 50}, actor=coordinator)


def test_submitting_twice_is_refused(response, coordinator):
    submitted(response, coordinator)
    with pytest.raises(InvalidTransition):
        response_submit(response=fresh(response), actor=coordinator)


def test_submit_filled_sends_only_filled_drafts_the_actor_may_fill(assessment, opd_officer, coordinator):
    responses = list(assessment.responses.select_related("indicator").order_by("indicator__sort_order"))
    filled(responses[0], coordinator)
    filled(responses[1], coordinator)
    filled(responses[-1], coordinator)  # kelembagaan: not the OPD officer's
    submitted(responses[2], coordinator)
    done = response_submit_filled(responses=[fresh(r) for r in responses], actor=opd_officer)
    assert sorted(r.pk for r in done) == sorted([responses[0].pk, responses[1].pk])
    assert fresh(responses[-1]).status == "draft"


# --- review at each stage ---------------------------------------------------------


def test_health_office_acceptance_moves_the_response_to_the_province(response, coordinator, reviewer):
    submitted(response, coordinator)
    done = accept(response, reviewer)
    assert (done.stage, done.status, done.value_provincial) == ("provinsi", "submitted", None)
    last = StatusChange.objects.filter(response=response).last()
    assert (last.stage, last.from_status, last.to_status, last.actor) == (
        "kabupaten",
        "submitted",
        "accepted",
        reviewer,
    )


def test_provincial_acceptance_records_the_provincial_score(response, coordinator, reviewer, provincial):
    submitted(response, coordinator)
    accept(response, reviewer)
    done = accept(response, provincial, value=50)
    assert (done.stage, done.status, done.value_provincial) == ("pusat", "submitted", 50)
    assert StatusChange.objects.filter(response=response).last().value == 50


def test_national_acceptance_is_final(response, coordinator, reviewer, provincial, national):
    submitted(response, coordinator)
    accept(response, reviewer)
    accept(response, provincial, value=100)
    done = accept(response, national, value=50)
    assert (done.stage, done.status, done.value_national, done.value_provincial) == ("pusat", "accepted", 50, 100)
    with pytest.raises(InvalidTransition):
        accept(done, national, value=100)


def test_accepting_at_the_province_without_a_score_is_refused(response, coordinator, reviewer, provincial):
    submitted(response, coordinator)
    accept(response, reviewer)
    with pytest.raises(WorkflowError, match="Isi nilai"):
        accept(response, provincial)


def test_sending_back_sets_the_deadline_and_records_the_reason(response, coordinator, reviewer, cycle):
    submitted(response, coordinator)
    before = timezone.now()
    done = send_back(response, reviewer, note="Lampirkan laporan 2024")
    assert done.status == ResponseStatus.REVISION_REQUESTED
    assert before + datetime.timedelta(hours=cycle.response_window_hours) <= done.revision_due
    change = StatusChange.objects.filter(response=response).last()
    assert (change.to_status, change.reason.code, change.note) == (
        "revision_requested",
        "bukti-tidak-lengkap",
        "Lampirkan laporan 2024",
    )


def test_sending_back_without_a_reason_is_refused(response, coordinator, reviewer):
    submitted(response, coordinator)
    current = fresh(response)
    with pytest.raises(WorkflowError, match="alasan"):
        response_review(response=current, actor=reviewer, version=current.version, decision=REVISE, note="x")
    assert fresh(response).status == "submitted"


@pytest.mark.parametrize("code", ["lainnya", "bukti-tidak-lengkap"])
def test_every_send_back_needs_a_note(response, coordinator, reviewer, code):
    submitted(response, coordinator)
    with pytest.raises(WorkflowError, match="Tuliskan catatan untuk pengisi"):
        send_back(response, reviewer, code=code, note="  ")
    assert fresh(response).status == "submitted"


def test_the_catalogue_of_reasons_is_seeded():
    codes = set(RevisionReason.objects.values_list("code", flat=True))
    assert {"bukti-tidak-lengkap", "tahun-tidak-sesuai", "nilai-tidak-sesuai", "lainnya"} <= codes


def test_resubmission_after_a_revision_goes_back_to_the_same_stage(response, coordinator, reviewer, provincial):
    submitted(response, coordinator)
    accept(response, reviewer)
    send_back(response, provincial)
    fixed = response_save(response=fresh(response), data={"value": 50}, actor=coordinator, submit=True)
    assert (fixed.stage, fixed.status, fixed.revision_due) == ("provinsi", "resubmitted", None)
    assert accept(fixed, provincial, value=50).stage == "pusat"
    statuses = list(StatusChange.objects.filter(response=response).values_list("stage", "to_status"))
    assert statuses == [
        ("kabupaten", "submitted"),
        ("kabupaten", "accepted"),
        ("provinsi", "revision_requested"),
        ("provinsi", "resubmitted"),
        ("provinsi", "accepted"),
    ]


def test_resubmission_after_the_revision_deadline_is_refused(response, coordinator, reviewer, provincial, cycle):
    submitted(response, coordinator)
    accept(response, reviewer)
    send_back(response, provincial)
    current = fresh(response)
    current.revision_due = timezone.now() - datetime.timedelta(minutes=1)
    current.save()
    close_all_windows(cycle)
    cycle.provincial_closes = timezone.now() + datetime.timedelta(days=5)
    cycle.save()
    with pytest.raises(WindowClosed, match="Batas perbaikan"):
        response_submit(response=fresh(response), actor=coordinator)


def test_resubmission_after_the_deadline_is_allowed_when_reopened(response, coordinator, reviewer, provincial, cycle):
    submitted(response, coordinator)
    accept(response, reviewer)
    send_back(response, provincial)
    close_all_windows(cycle)
    current = fresh(response)
    current.revision_due = timezone.now() - datetime.timedelta(minutes=1)
    current.save()
    cycle.reopened_until = timezone.now() + datetime.timedelta(days=1)
    cycle.save()
    assert response_submit(response=fresh(response), actor=coordinator).status == "resubmitted"


def test_a_kabupaten_revision_can_be_fixed_while_self_assessment_is_open(response, coordinator, reviewer):
    submitted(response, coordinator)
    send_back(response, reviewer)
    current = fresh(response)
    current.revision_due = timezone.now() - datetime.timedelta(minutes=1)
    current.save()
    assert response_submit(response=fresh(response), actor=coordinator).status == "resubmitted"


@pytest.mark.parametrize("persona", ["coordinator", "opd_officer", "provincial", "national", "outsider"])
def test_only_the_health_office_reviews_at_kabupaten_stage(request, response, coordinator, persona):
    submitted(response, coordinator)
    with pytest.raises(PermissionDenied):
        accept(response, request.getfixturevalue(persona))


@pytest.mark.parametrize("persona", ["coordinator", "reviewer", "national", "outsider"])
def test_only_the_province_reviews_at_provinsi_stage(request, response, coordinator, reviewer, persona):
    submitted(response, coordinator)
    accept(response, reviewer)
    with pytest.raises(PermissionDenied):
        accept(response, request.getfixturevalue(persona), value=100)


def test_admin_may_review_at_any_stage(response, coordinator, reviewer, provincial, admin_user):
    # One stage of a response each (separation of duties, test_separation_of_duties.py): here the last.
    submitted(response, coordinator)
    accept(response, reviewer)
    accept(response, provincial, value=100)
    assert accept(response, admin_user, value=100).status == "accepted"


def test_a_draft_cannot_be_reviewed(response, reviewer):
    with pytest.raises(InvalidTransition):
        accept(response, reviewer)


def test_a_decision_on_a_stale_version_is_refused(response, coordinator, reviewer, admin_user):
    submitted(response, coordinator)
    seen = fresh(response)
    accept(response, admin_user)
    with pytest.raises(StaleVersion, match="sudah diubah"):
        response_review(response=seen, actor=reviewer, version=seen.version, decision=ACCEPT)
    assert StatusChange.objects.filter(response=response, to_status="accepted").count() == 1


def test_review_outside_the_stage_window_is_refused(response, coordinator, reviewer, provincial, cycle):
    submitted(response, coordinator)
    accept(response, reviewer)
    cycle.provincial_closes = timezone.now() - datetime.timedelta(hours=1)
    cycle.save()
    with pytest.raises(WindowClosed, match="Verifikasi provinsi"):
        accept(response, provincial, value=100)


def test_status_history_is_append_only_in_the_admin(admin_client, response, coordinator):
    submitted(response, coordinator)
    change = StatusChange.objects.get(response=response)
    assert admin_client.get(f"/admin/evaluations/statuschange/{change.pk}/delete/").status_code == 403
