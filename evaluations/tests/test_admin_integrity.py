"""The admin cannot rewrite history, bypass the workflow or put a value off the indicator's scale."""

import pytest

from evaluations.models import Comment, Cycle, Evidence, EvidenceVersion, Response, StatusChange
from evaluations.services.comments import comment_add
from evaluations.services.evidence import evidence_add
from evaluations.tests.samples import pdf
from evaluations.tests.workflow import fresh, submitted
from tatanan.tests.factories import make_framework

pytestmark = pytest.mark.django_db


@pytest.fixture
def response(assessment):
    return fresh(assessment.responses.order_by("indicator__sort_order").first())


@pytest.fixture
def evidence(response, coordinator):
    return evidence_add(response=response, uploaded=pdf("bukti.pdf"), actor=coordinator, title="Notulen")


def _change_post(admin_client, response, **changes):
    data = {
        "assessment": response.assessment_id,
        "indicator": response.indicator_id,
        "value": "" if response.value is None else response.value,
        "value_provincial": "",
        "value_national": "",
        "achievement": response.achievement,
        "achievement_previous": response.achievement_previous,
        "explanation": response.explanation,
        "stage": response.stage,
        "status": response.status,
        "version": response.version,
        **changes,
    }
    return admin_client.post(f"/admin/evaluations/response/{response.pk}/change/", data)


@pytest.mark.parametrize("model", ["statuschange", "comment", "evidenceversion"])
def test_history_rows_cannot_be_added_changed_or_deleted_in_the_admin(
    admin_client, response, coordinator, evidence, model
):
    submitted(response, coordinator)
    comment_add(response=response, body="Mohon dicek", actor=coordinator)
    row = {
        "statuschange": StatusChange.objects.first,
        "comment": Comment.objects.first,
        "evidenceversion": EvidenceVersion.objects.first,
    }[model]()

    assert admin_client.get(f"/admin/evaluations/{model}/add/").status_code == 403
    assert admin_client.get(f"/admin/evaluations/{model}/{row.pk}/delete/").status_code == 403
    admin_client.post(f"/admin/evaluations/{model}/{row.pk}/change/", {"note": "diubah", "body": "diubah"})
    assert type(row).objects.filter(pk=row.pk).exists()
    if model == "comment":
        assert Comment.objects.get(pk=row.pk).body == "Mohon dicek"


def test_deleting_evidence_in_the_admin_is_refused_so_its_versions_stay(admin_client, evidence):
    page = admin_client.post(f"/admin/evaluations/evidence/{evidence.pk}/delete/", {"post": "yes"})

    assert page.status_code == 403
    assert EvidenceVersion.objects.filter(evidence=evidence).count() == 1


def test_bulk_delete_of_responses_with_evidence_is_refused(admin_client, response, evidence):
    admin_client.post(
        "/admin/evaluations/response/",
        {"action": "delete_selected", "_selected_action": [response.pk], "post": "yes"},
    )

    assert Response.objects.filter(pk=response.pk).exists()
    assert EvidenceVersion.objects.filter(evidence=evidence).count() == 1


def test_evidence_cannot_be_moved_to_another_response_in_the_admin(admin_client, assessment, evidence):
    other = assessment.responses.exclude(pk=evidence.response_id).first()

    admin_client.post(
        f"/admin/evaluations/evidence/{evidence.pk}/change/",
        {
            "response": other.pk,
            "title": "Dipindah",
            "created_by": evidence.created_by_id,
            "current": evidence.current_id,
            "versions-TOTAL_FORMS": "1",
            "versions-INITIAL_FORMS": "1",
            "versions-MIN_NUM_FORMS": "0",
            "versions-MAX_NUM_FORMS": "1000",
            "versions-0-id": evidence.current_id,
            "versions-0-evidence": evidence.pk,
        },
    )

    evidence = Evidence.objects.get(pk=evidence.pk)
    assert evidence.response_id != other.pk
    assert evidence.title == "Notulen"


@pytest.mark.parametrize("field", ["value", "value_provincial", "value_national"])
def test_admin_refuses_a_value_off_the_indicator_scale(admin_client, response, field):
    page = _change_post(admin_client, response, **{field: 33})

    assert page.status_code == 200
    assert "skala" in page.content.decode()
    assert getattr(Response.objects.get(pk=response.pk), field) is None


def test_admin_accepts_a_value_on_the_scale(admin_client, response):
    page = _change_post(admin_client, response, value=50)

    assert page.status_code == 302
    assert Response.objects.get(pk=response.pk).value == 50


def test_admin_cannot_move_a_response_through_the_workflow_without_history(admin_client, response):
    _change_post(admin_client, response, status="accepted", stage="pusat")

    saved = Response.objects.get(pk=response.pk)
    assert (saved.stage, saved.status) == ("kabupaten", "draft")
    assert not StatusChange.objects.filter(response=response).exists()


def test_admin_still_shows_responses_evidence_and_versions(admin_client, response, evidence):
    version = evidence.current

    for url in (
        f"/admin/evaluations/response/{response.pk}/change/",
        f"/admin/evaluations/evidence/{evidence.pk}/change/",
        f"/admin/evaluations/evidenceversion/{version.pk}/change/",
        "/admin/evaluations/evidenceversion/",
    ):
        page = admin_client.get(url)
        assert page.status_code == 200, url
    assert (
        version.sha256 in admin_client.get(f"/admin/evaluations/evidenceversion/{version.pk}/change/").content.decode()
    )


def _cycle_data(cycle, framework):
    data = {
        "name": cycle.name,
        "year": cycle.year,
        "data_year_previous": cycle.data_year_previous,
        "data_year": cycle.data_year,
        "framework": framework.pk,
        "response_window_hours": 48,
    }
    for field in ("self_assessment", "provincial", "national"):
        for end in ("opens", "closes"):
            moment = getattr(cycle, f"{field}_{end}")
            data[f"{field}_{end}_0"] = moment.strftime("%Y-%m-%d")
            data[f"{field}_{end}_1"] = moment.strftime("%H:%M:%S")
    return data


def test_the_framework_of_a_cycle_with_assessments_cannot_be_swapped(admin_client, cycle, assessment):
    other = make_framework()

    page = admin_client.post(f"/admin/evaluations/cycle/{cycle.pk}/change/", _cycle_data(cycle, other))

    assert page.status_code == 302  # the rest of the cycle stays editable
    assert Cycle.objects.get(pk=cycle.pk).framework_id == assessment.cycle.framework_id


def test_the_framework_of_a_cycle_without_assessments_can_be_chosen(admin_client, cycle):
    other = make_framework()

    admin_client.post(f"/admin/evaluations/cycle/{cycle.pk}/change/", _cycle_data(cycle, other))

    assert Cycle.objects.get(pk=cycle.pk).framework_id == other.pk


def test_a_response_cannot_be_moved_to_another_assessment_or_indicator(admin_client, response, other_assessment):
    other_indicator = make_framework().indicators.first()

    _change_post(admin_client, response, assessment=other_assessment.pk, indicator=other_indicator.pk, value=50)

    saved = Response.objects.get(pk=response.pk)
    assert (saved.assessment_id, saved.indicator_id) == (response.assessment_id, response.indicator_id)


def test_a_response_for_an_indicator_of_another_framework_cannot_be_added(admin_client, assessment):
    foreign = make_framework().indicators.first()

    page = admin_client.post(
        "/admin/evaluations/response/add/", {"assessment": assessment.pk, "indicator": foreign.pk, "value": 100}
    )

    assert page.status_code == 200
    assert not Response.objects.filter(indicator=foreign).exists()


def test_a_report_file_cannot_be_uploaded_through_the_admin(admin_client, admin_user, assessment):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from evaluations.models import ReportJob

    job = ReportJob.objects.create(kind="dossier", cycle=assessment.cycle, assessment=assessment, status="failed")
    page = admin_client.get(f"/admin/evaluations/reportjob/{job.pk}/change/")
    assert page.status_code == 200

    admin_client.post(
        f"/admin/evaluations/reportjob/{job.pk}/change/",
        {
            "kind": "dossier",
            "cycle": assessment.cycle_id,
            "assessment": assessment.pk,
            "status": "ready",
            "progress": 100,
            "attempts": 1,
            "requested_by": admin_user.pk,
            "file": SimpleUploadedFile("../../palsu.pdf", b"<html>bukan pdf</html>"),
            "sha256": "0" * 64,
        },
    )

    job.refresh_from_db()
    assert not job.file
    assert job.sha256 == ""


def test_a_ready_report_opens_in_the_admin_without_exposing_a_file_url(admin_client, assessment):
    from django.core.files.base import ContentFile

    from evaluations.models import ReportJob

    job = ReportJob.objects.create(kind="dossier", cycle=assessment.cycle, assessment=assessment, status="ready")
    job.file.save("uji.pdf", ContentFile(b"%PDF-1.4 uji"), save=True)

    page = admin_client.get(f"/admin/evaluations/reportjob/{job.pk}/change/")

    assert page.status_code == 200
    assert f"/dokumen/{job.pk}/unduh/" in page.content.decode()
