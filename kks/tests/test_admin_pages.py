"""Every admin page (list, add, change of a stored row) opens for the national admin, with files in storage."""

import pytest
from django.contrib import admin
from django.core.files.base import ContentFile

from evaluations.models import JobStatus, ReportJob, ReportKind, Response
from evaluations.services.comments import comment_add
from evaluations.tests import report_data
from forums.services import body_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def stored(assessment, coordinator, reviewer, regency):
    from evaluations.tests import samples

    report_data.bodies(regency)
    report_data.fill(assessment, actor=coordinator, reviewer=reviewer)
    report_data.request_revision(
        Response.objects.filter(assessment=assessment).order_by("indicator__sort_order").first(), reviewer=reviewer
    )
    comment_add(response=assessment.responses.first(), body="Catatan", actor=coordinator)
    body_create(actor=coordinator, kind="tim_pembina", region=regency, name="Tim Pembina", sk_file=samples.pdf())
    job = ReportJob.objects.create(
        kind=ReportKind.DOSSIER, cycle=assessment.cycle, assessment=assessment, status=JobStatus.READY
    )
    job.file.save("uji.pdf", ContentFile(b"%PDF-1.4 uji"), save=True)


def test_every_admin_page_opens(admin_client, stored, opd_officer, national):
    failures = []
    for model in admin.site._registry:
        base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        pages = {base: {200}, f"{base}add/": {200, 403}}  # history tables refuse adding
        pages.update({f"{base}{obj.pk}/change/": {200} for obj in model.objects.order_by("-pk")[:3]})
        for url, expected in pages.items():
            status = admin_client.get(url).status_code
            if status not in expected:
                failures.append((url, status))
    assert failures == []
