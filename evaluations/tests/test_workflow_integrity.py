"""Windows and scales hold on every path: submit-all, evidence changes, and each review level's score."""

import pytest

from evaluations.models import Evidence, ResponseStatus
from evaluations.services.errors import WindowClosed, WorkflowError
from evaluations.services.evidence import evidence_add, evidence_replace, evidence_withdraw
from evaluations.services.responses import ACCEPT, REVISE, response_review
from evaluations.tests import samples
from evaluations.tests.workflow import accept, close_all_windows, filled, fresh, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def response(assessment):
    return fresh(assessment.responses.filter(indicator__kind="tatanan").order_by("indicator__sort_order").first())


def test_submit_all_outside_the_window_submits_nothing(client, coordinator, response, cycle):
    filled(response, coordinator)
    close_all_windows(cycle)
    client.force_login(coordinator)

    client.post(f"/penilaian/{response.assessment_id}/tatanan/{response.indicator.tatanan_id}/ajukan/")

    assert fresh(response).status == ResponseStatus.DRAFT


def test_save_and_submit_through_the_page_outside_the_window_is_refused(client, coordinator, response, cycle):
    filled(response, coordinator)
    close_all_windows(cycle)
    client.force_login(coordinator)
    data = {f"r{response.pk}-value": 100, f"r{response.pk}-version": fresh(response).version, "action": "submit"}

    page = client.post(f"/jawaban/{response.pk}/simpan/", data)

    assert page.status_code == 200
    assert "sudah ditutup" in page.content.decode()
    assert fresh(response).status == ResponseStatus.DRAFT


def test_evidence_cannot_be_added_replaced_or_withdrawn_outside_the_window(response, coordinator, cycle):
    evidence = evidence_add(response=response, uploaded=samples.pdf(), actor=coordinator)
    close_all_windows(cycle)

    with pytest.raises(WindowClosed):
        evidence_add(response=fresh(response), uploaded=samples.pdf(), actor=coordinator)
    with pytest.raises(WindowClosed):
        evidence_replace(evidence=evidence, uploaded=samples.pdf(), actor=coordinator)
    with pytest.raises(WindowClosed):
        evidence_withdraw(evidence=evidence, actor=coordinator)
    assert Evidence.objects.get(pk=evidence.pk).withdrawn_at is None
    assert evidence.versions.count() == 1


def test_a_provincial_score_off_the_scale_is_refused_by_the_service(response, coordinator, reviewer, provincial):
    submitted(response, coordinator)
    accept(response, reviewer)
    current = fresh(response)

    for decision in (ACCEPT, REVISE):
        with pytest.raises(WorkflowError, match="skala"):
            response_review(response=current, actor=provincial, version=current.version, decision=decision, value=75)
    assert fresh(response).value_provincial is None


def test_a_national_score_off_the_scale_is_refused_by_the_service(
    response, coordinator, reviewer, provincial, national
):
    submitted(response, coordinator)
    accept(response, reviewer)
    accept(response, provincial, value=50)
    current = fresh(response)

    with pytest.raises(WorkflowError, match="skala"):
        response_review(response=current, actor=national, version=current.version, decision=ACCEPT, value=33)
    assert fresh(response).value_national is None
    assert fresh(response).status == ResponseStatus.SUBMITTED


def test_a_national_score_off_the_scale_is_refused_by_the_page(
    client, response, coordinator, reviewer, provincial, national
):
    submitted(response, coordinator)
    accept(response, reviewer)
    accept(response, provincial, value=50)
    client.force_login(national)
    current = fresh(response)

    page = client.post(
        f"/verifikasi/{response.pk}/putuskan/", {"decision": "accept", "value": 75, "version": current.version}
    )

    assert page.status_code == 200
    assert fresh(response).value_national is None
