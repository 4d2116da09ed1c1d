"""Role x view matrix for every report, dossier, job and download view (404 outside scope, 403 refused)."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from evaluations.models import JobStatus, ReportJob, ReportKind
from forums.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PERSONAS = ["anonymous", "coordinator", "opd_officer", "reviewer", "province_reviewer", "provincial", "national",
            "admin_user", "outsider"]  # fmt: skip


@pytest.fixture
def province_reviewer(province):
    return UserFactory(role="health_reviewer", region=province, username="reviewer_provinsi")


@pytest.fixture
def jobs(assessment, province):
    def make(**kwargs):
        job = ReportJob.objects.create(cycle=assessment.cycle, status=JobStatus.READY, **kwargs)
        job.file.save("uji.pdf", ContentFile(b"%PDF-1.4 uji"), save=True)
        return job

    return {
        "dossier_job": make(kind=ReportKind.DOSSIER, assessment=assessment),
        "failed_job": ReportJob.objects.create(kind=ReportKind.DOSSIER, assessment=assessment, cycle=assessment.cycle,
                                           status=JobStatus.FAILED, error="uji"),
        "province_job": make(kind=ReportKind.READINESS, region=province),
        "national_job": make(kind=ReportKind.READINESS),
    }  # fmt: skip


A, P, J = "assessment", "province", "job"
#                     anon coord opd  rev  prev prov nat  adm  out
DOSSIER_VIEW = (302, 200, 403, 200, 200, 200, 200, 200, 404)
DOSSIER_POST = (302, 302, 403, 302, 302, 302, 302, 302, 404)
ASSESSMENT_VIEW = (302, 200, 200, 200, 200, 200, 200, 200, 404)
PROVINCE_VIEW = (302, 404, 404, 404, 200, 200, 200, 200, 404)
PROVINCE_POST = (302, 404, 404, 404, 302, 302, 302, 302, 404)
NATIONAL_VIEW = (302, 403, 403, 403, 403, 403, 200, 200, 403)
NATIONAL_POST = (302, 403, 403, 403, 403, 403, 302, 302, 403)
NATIONAL_JOB = (302, 404, 404, 404, 404, 404, 200, 200, 404)

MATRIX = [
    ("get", "evaluations:dossier", A, DOSSIER_VIEW),
    ("post", "evaluations:dossier-request", A, DOSSIER_POST),
    ("get", "evaluations:assessment-instrument-xlsx", A, ASSESSMENT_VIEW),
    ("get", "evaluations:report-job", "dossier_job", DOSSIER_VIEW),
    ("get", "evaluations:report-job-download", "dossier_job", DOSSIER_VIEW),
    ("post", "evaluations:report-job-retry", "failed_job", DOSSIER_POST),
    ("get", "evaluations:province-report", P, PROVINCE_VIEW),
    ("get", "evaluations:province-report-xlsx", P, PROVINCE_VIEW),
    ("get", "evaluations:province-report-csv", P, PROVINCE_VIEW),
    ("post", "evaluations:province-report-pdf", P, PROVINCE_POST),
    ("get", "evaluations:report-job", "province_job", PROVINCE_VIEW),
    ("get", "evaluations:report-job-download", "province_job", PROVINCE_VIEW),
    ("get", "evaluations:national-report", None, NATIONAL_VIEW),
    ("get", "evaluations:national-report-xlsx", None, NATIONAL_VIEW),
    ("get", "evaluations:national-report-csv", None, NATIONAL_VIEW),
    ("post", "evaluations:national-report-pdf", None, NATIONAL_POST),
    ("get", "evaluations:report-job", "national_job", NATIONAL_JOB),
    ("get", "evaluations:report-job-download", "national_job", NATIONAL_JOB),
]


def _url(name, target, assessment, province, jobs):
    if target == A:
        return reverse(name, args=[assessment.pk])
    if target == P:
        return reverse(name, args=[province.pk])
    if target is None:
        return reverse(name)
    return reverse(name, args=[jobs[target].pk])


@pytest.mark.parametrize(
    ("method", "name", "target", "expected"), MATRIX, ids=[f"{m[0]} {m[1]} {m[2]}" for m in MATRIX]
)
@pytest.mark.parametrize("persona", PERSONAS)
def test_role_view_matrix(
    request, client, persona, method, name, target, expected, assessment, province, jobs, other_assessment
):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    url = _url(name, target, assessment, province, jobs)
    data = {"siklus": assessment.cycle.pk} if method == "post" else {}

    response = getattr(client, method)(url, data)

    assert response.status_code == expected[PERSONAS.index(persona)]
    if persona == "anonymous":
        assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize(
    "name",
    [
        "evaluations:dossier-request",
        "evaluations:province-report-pdf",
        "evaluations:national-report-pdf",
        "evaluations:report-job-retry",
    ],
)
def test_actions_refuse_get(client, admin_user, assessment, province, jobs, name):
    client.force_login(admin_user)
    target = {
        "evaluations:dossier-request": A,
        "evaluations:province-report-pdf": P,
        "evaluations:national-report-pdf": None,
        "evaluations:report-job-retry": "failed_job",
    }[name]
    assert client.get(_url(name, target, assessment, province, jobs)).status_code == 405
