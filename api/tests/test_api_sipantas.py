"""The SIPANTAS export through the API: the same document as the page's JSON download, through the same rule."""

import json

import pytest
from django.urls import reverse

from evaluations.services.evidence import evidence_add
from evaluations.tests import samples
from evaluations.tests.workflow import fresh

from .helpers import call, token_for

pytestmark = pytest.mark.django_db


def test_the_api_export_is_the_pages_json_download(client, assessment, coordinator):
    response = assessment.responses.select_related("indicator").order_by("indicator__sort_order").first()
    evidence_add(response=fresh(response), uploaded=samples.pdf(), actor=coordinator)
    client.force_login(coordinator)
    page = json.loads(client.get(reverse("evaluations:assessment-sipantas-json", args=[assessment.pk])).content)
    client.logout()

    got = call(client, "GET", f"/assessments/{assessment.pk}/sipantas", token_for(coordinator))

    assert got.status_code == 200
    assert got.json() == page
    row = next(r for r in got.json()["indikator"] if r["kode"] == response.indicator.code)
    assert row["bukti"], "the evidence link of the uploaded file is in the export"


def test_an_opd_officer_is_refused_the_export_of_their_own_regency(client, assessment, opd_officer):
    got = call(client, "GET", f"/assessments/{assessment.pk}/sipantas", token_for(opd_officer))
    assert got.status_code == 403
