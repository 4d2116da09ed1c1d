"""Downloads are attachments with a header-safe file name, whatever name the file arrived with."""

import pytest
from django.urls import reverse

from evaluations.models import EvidenceVersion
from evaluations.services.evidence import evidence_add
from evaluations.tests import samples
from forums.models import Body, BodyKind
from forums.services import body_create

pytestmark = pytest.mark.django_db

HOSTILE_NAMES = [
    'laporan".pdf; filename="evil.html',
    "laporan\r\nSet-Cookie: sessionid=curi.pdf",
    "laporan\nX-Evil: 1.pdf",
    "Laporan Kesehatan Lingkungan — Kediri ✓.pdf",
    "..\\..\\windows\\laporan.pdf",
]


@pytest.fixture
def response(assessment):
    return assessment.responses.order_by("indicator__sort_order").first()


def _assert_single_safe_disposition(download):
    disposition = download["Content-Disposition"]
    assert disposition.startswith("attachment; ")
    assert "\r" not in disposition
    assert "\n" not in disposition
    assert "Set-Cookie" not in download.headers
    assert "X-Evil" not in download.headers
    # One parameter only: a quote in the name may not end the quoted string early.
    rest = disposition[len("attachment; ") :]
    if rest.startswith('filename="'):
        inner = rest[len('filename="') : -1]
        assert rest.endswith('"')
        assert '"' not in inner.replace('\\"', "")
    else:
        assert rest.startswith("filename*=utf-8''")
        assert all(ch not in rest for ch in ' ";\\')
    assert download["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_an_uploaded_hostile_name_is_cleaned_and_downloads_safely(client, coordinator, response, name):
    evidence = evidence_add(response=response, uploaded=samples.upload(name, samples.pdf_bytes()), actor=coordinator)
    version = evidence.current
    assert not any(ch in version.original_name for ch in "\r\n/\\")
    assert version.original_name not in version.file.name
    client.force_login(coordinator)

    download = client.get(f"/bukti/berkas/{version.pk}/unduh/")

    assert download.status_code == 200
    _assert_single_safe_disposition(download)


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_a_hostile_name_already_in_the_database_still_downloads_safely(client, coordinator, response, name):
    evidence = evidence_add(response=response, uploaded=samples.pdf(), actor=coordinator)
    EvidenceVersion.objects.filter(pk=evidence.current_id).update(original_name=name)
    client.force_login(coordinator)

    download = client.get(f"/bukti/berkas/{evidence.current_id}/unduh/")

    assert download.status_code == 200
    _assert_single_safe_disposition(download)
    assert download["Content-Type"] == "application/pdf"


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_an_sk_with_a_hostile_name_downloads_safely(client, coordinator, regency, name):
    body = body_create(
        actor=coordinator,
        kind=BodyKind.FORUM,
        region=regency,
        name="Forum Kota Sehat",
        sk_file=samples.upload(name, samples.pdf_bytes()),
    )
    assert not any(ch in body.sk_file_name for ch in "\r\n/\\")
    assert body.sk_file_name not in body.sk_file.name
    client.force_login(coordinator)
    url = reverse("forums:body-sk-download", args=[body.pk])

    _assert_single_safe_disposition(client.get(url))
    Body.objects.filter(pk=body.pk).update(sk_file_name=name)
    download = client.get(url)

    assert download.status_code == 200
    _assert_single_safe_disposition(download)
