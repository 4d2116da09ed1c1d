"""No one acts outside their regency, OPD or review stage by changing an id, and htmx partials are as guarded."""

import pytest

from evaluations.models import Comment, Evidence, JobStatus, ReportJob, ReportKind, ResponseStatus, RevisionReason
from evaluations.services.evidence import evidence_add
from evaluations.tests import samples
from evaluations.tests.workflow import accept, filled, fresh, submitted
from forums.permissions import can_fill_response, fillers_for_response
from forums.tests.factories import OpdFactory, OpdKindFactory, UserFactory

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


@pytest.fixture
def tatanan_response(assessment):
    return fresh(assessment.responses.filter(indicator__kind="tatanan").order_by("indicator__sort_order").first())


@pytest.fixture
def other_response(other_assessment):
    return fresh(other_assessment.responses.filter(indicator__kind="tatanan").order_by("indicator__sort_order").first())


@pytest.fixture
def bappeda_officer(regency):
    bappeda = OpdFactory(regency=regency, kind=OpdKindFactory(code="bappeda", name="Bappeda"), name="Bappeda")
    return UserFactory(role="opd_officer", region=regency, opd=bappeda, username="petugas_bappeda")


def _save(client, response, value=100, headers=None):
    data = {f"r{response.pk}-value": value, f"r{response.pk}-version": fresh(response).version, "action": "save"}
    return client.post(f"/jawaban/{response.pk}/simpan/", data, headers=headers or {})


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["plain", "htmx"])
def test_a_response_of_another_regency_is_not_found_for_save(client, coordinator, other_response, headers):
    client.force_login(coordinator)

    assert _save(client, other_response, headers=headers).status_code == 404
    assert fresh(other_response).value is None


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["plain", "htmx"])
def test_an_opd_officer_cannot_fill_another_opds_indicator(client, bappeda_officer, tatanan_response, headers):
    client.force_login(bappeda_officer)

    assert _save(client, tatanan_response, headers=headers).status_code == 403
    assert fresh(tatanan_response).value is None


def test_an_opd_officer_cannot_submit_a_tatanan_of_other_opds(client, bappeda_officer, coordinator, assessment):
    tatanan_response = assessment.responses.filter(indicator__kind="tatanan").first()
    filled(tatanan_response, coordinator)
    client.force_login(bappeda_officer)

    page = client.post(f"/penilaian/{assessment.pk}/tatanan/{tatanan_response.indicator.tatanan_id}/ajukan/")

    assert page.status_code == 403
    assert fresh(tatanan_response).status == ResponseStatus.DRAFT


def test_an_opd_officer_whose_opd_is_in_another_regency_cannot_fill(tatanan_response, other_regency, opd_kind):
    foreign_opd = OpdFactory(regency=other_regency, kind=opd_kind, name="Dinkes Makassar")
    misassigned = UserFactory(role="opd_officer", region=tatanan_response.assessment.regency, opd=foreign_opd)

    assert not can_fill_response(misassigned, tatanan_response)
    assert misassigned not in fillers_for_response(tatanan_response)


@pytest.mark.parametrize("action", ["ganti", "tarik"])
def test_evidence_of_another_regency_is_not_found(client, outsider, tatanan_response, coordinator, action):
    evidence = evidence_add(response=tatanan_response, uploaded=samples.pdf(), actor=coordinator)
    client.force_login(outsider)

    page = client.post(f"/bukti/{evidence.pk}/{action}/", {f"e{evidence.pk}-file": samples.pdf()}, headers=HTMX)

    assert page.status_code == 404
    assert Evidence.objects.get(pk=evidence.pk).withdrawn_at is None
    assert evidence.versions.count() == 1


def test_evidence_of_another_opds_indicator_cannot_be_withdrawn(client, bappeda_officer, tatanan_response, coordinator):
    evidence = evidence_add(response=tatanan_response, uploaded=samples.pdf(), actor=coordinator)
    client.force_login(bappeda_officer)

    assert client.post(f"/bukti/{evidence.pk}/tarik/").status_code == 403
    assert Evidence.objects.get(pk=evidence.pk).withdrawn_at is None


def test_evidence_download_of_another_regency_is_not_found(client, outsider, tatanan_response, coordinator):
    evidence = evidence_add(response=tatanan_response, uploaded=samples.pdf(), actor=coordinator)
    client.force_login(outsider)

    assert client.get(f"/bukti/berkas/{evidence.current_id}/unduh/").status_code == 404


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["plain", "htmx"])
def test_a_comment_on_another_regencys_response_is_not_found(client, coordinator, other_response, headers):
    client.force_login(coordinator)

    page = client.post(f"/jawaban/{other_response.pk}/komentar/", {f"c{other_response.pk}-body": "x"}, headers=headers)

    assert page.status_code == 404
    assert not Comment.objects.exists()


def _decide(client, response, **extra):
    response = fresh(response)
    data = {"decision": "accept", "version": response.version, "value": 100, **extra}
    return client.post(f"/verifikasi/{response.pk}/putuskan/", data)


def test_a_regency_reviewer_cannot_decide_at_the_provincial_stage(client, coordinator, reviewer, tatanan_response):
    submitted(tatanan_response, coordinator)
    accept(tatanan_response, reviewer)
    client.force_login(reviewer)

    assert _decide(client, tatanan_response).status_code == 403
    assert fresh(tatanan_response).value_provincial is None


def test_a_provincial_official_cannot_decide_at_the_kabupaten_stage(client, coordinator, provincial, tatanan_response):
    submitted(tatanan_response, coordinator)
    client.force_login(provincial)

    assert _decide(client, tatanan_response).status_code == 403
    assert fresh(tatanan_response).status == ResponseStatus.SUBMITTED


def test_a_provincial_official_of_another_province_gets_not_found(
    client, coordinator, reviewer, other_regency, tatanan_response
):
    submitted(tatanan_response, coordinator)
    accept(tatanan_response, reviewer)
    stranger = UserFactory(role="provincial_official", region=other_regency.parent)
    client.force_login(stranger)

    assert client.get(f"/verifikasi/{tatanan_response.pk}/").status_code == 404
    assert _decide(client, tatanan_response).status_code == 404
    assert fresh(tatanan_response).stage == "provinsi"


def test_a_provincial_official_cannot_give_a_score_off_the_scale(
    client, coordinator, reviewer, provincial, tatanan_response
):
    submitted(tatanan_response, coordinator)
    accept(tatanan_response, reviewer)
    client.force_login(provincial)

    page = _decide(client, tatanan_response, value=33)

    assert page.status_code == 200
    saved = fresh(tatanan_response)
    assert (saved.stage, saved.status, saved.value_provincial) == ("provinsi", ResponseStatus.SUBMITTED, None)


def test_a_revision_reason_that_is_no_longer_active_is_refused(client, coordinator, reviewer, tatanan_response):
    retired = RevisionReason.objects.create(code="lama", label="Alasan lama", active=False)
    submitted(tatanan_response, coordinator)
    client.force_login(reviewer)

    page = _decide(client, tatanan_response, decision="revise", reason=retired.pk, note="x")

    assert page.status_code == 200
    assert fresh(tatanan_response).status == ResponseStatus.SUBMITTED


def test_the_htmx_job_status_of_another_province_is_not_found(client, outsider, assessment):
    job = ReportJob.objects.create(
        kind=ReportKind.DOSSIER, cycle=assessment.cycle, assessment=assessment, status=JobStatus.RENDERING
    )
    client.force_login(outsider)

    assert client.get(f"/dokumen/{job.pk}/", headers=HTMX).status_code == 404
    assert client.post(f"/dokumen/{job.pk}/ulang/").status_code == 404
