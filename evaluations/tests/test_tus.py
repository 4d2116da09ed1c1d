"""Resumable uploads (tus 1.0.0 core + creation): policy, size limit, offsets, and the same checks after reassembly."""

import base64
import os

import pytest
from django.test import override_settings
from django.urls import reverse

from evaluations.models import Document, EvidenceVersion, UploadSession
from evaluations.tests import samples
from evaluations.tests.workflow import fresh
from evaluations.views.tus import part_path

pytestmark = pytest.mark.django_db

TUS = {"Tus-Resumable": "1.0.0"}


def _meta(**values):
    return ",".join(f"{k} {base64.b64encode(v.encode()).decode()}" for k, v in values.items())


def _create(client, target, length, filename="foto.png"):
    return client.post(
        reverse("evaluations:tus-create"),
        headers={**TUS, "Upload-Length": str(length), "Upload-Metadata": _meta(filename=filename, target=target)},
    )


def _patch(client, location, data, offset):
    return client.patch(
        location,
        data=data,
        content_type="application/offset+octet-stream",
        headers={**TUS, "Upload-Offset": str(offset)},
    )


def _send(client, target, content, *, chunk=100, filename="foto.png"):
    created = _create(client, target, len(content), filename)
    assert created.status_code == 201, created.content
    location = created["Location"]
    for start in range(0, len(content), chunk):
        assert _patch(client, location, content[start : start + chunk], start).status_code == 204
    return location.rstrip("/").rsplit("/", 1)[-1]


@pytest.fixture
def response(assessment):
    return assessment.responses.filter(indicator__kind="tatanan").order_by("indicator__sort_order").first()


def test_options_announce_version_creation_and_the_size_limit(client, coordinator):
    client.force_login(coordinator)
    answer = client.options(reverse("evaluations:tus-create"))
    assert answer.status_code == 204
    assert (answer["Tus-Version"], answer["Tus-Extension"]) == ("1.0.0", "creation")
    assert int(answer["Tus-Max-Size"]) > 0


def test_an_interrupted_upload_resumes_from_the_offset_and_is_saved_through_the_evidence_service(
    client, coordinator, response
):
    content = samples.png_bytes()
    client.force_login(coordinator)
    created = _create(client, f"response:{response.pk}", len(content))
    location = created["Location"]
    half = len(content) // 2
    assert _patch(client, location, content[:half], 0)["Upload-Offset"] == str(half)
    # The connection dropped; the client asks where to go on, a wrong offset is refused.
    head = client.head(location, headers=TUS)
    assert (head.status_code, head["Upload-Offset"], head["Upload-Length"]) == (200, str(half), str(len(content)))
    assert _patch(client, location, content[half:], 0).status_code == 409
    assert _patch(client, location, content[half:], half).status_code == 204
    upload_id = location.rstrip("/").rsplit("/", 1)[-1]

    saved = client.post(
        reverse("evaluations:response-save", args=[response.pk]),
        {
            f"r{response.pk}-version": fresh(response).version,
            f"r{response.pk}-value": "50",
            f"r{response.pk}-achievement": "87%",
            f"r{response.pk}-evidence_files__tus": upload_id,
            "action": "save",
        },
    )
    assert saved.status_code == 302
    version = EvidenceVersion.objects.get(evidence__response=response)
    assert (version.size, version.content_type, version.original_name) == (len(content), "image/png", "foto.png")
    with version.file.open("rb") as handle:
        assert handle.read() == content
    assert not UploadSession.objects.exists()  # used once, then removed


def test_the_reassembled_file_is_checked_by_content(client, coordinator, response):
    client.force_login(coordinator)
    upload_id = _send(
        client, f"response:{response.pk}", b"<html><script>alert(1)</script></html>" * 5, filename="x.pdf"
    )
    page = client.post(
        reverse("evaluations:response-save", args=[response.pk]),
        {
            f"r{response.pk}-version": fresh(response).version,
            f"r{response.pk}-value": "50",
            f"r{response.pk}-evidence_files__tus": upload_id,
            "action": "save",
        },
    )
    assert page.status_code == 200
    assert "bukan jenis yang diizinkan" in page.content.decode()
    assert not EvidenceVersion.objects.exists()


@override_settings(KKS_UPLOAD_MAX_BYTES=1000)
def test_the_size_limit_applies_at_creation_and_to_extra_bytes(client, coordinator, response):
    client.force_login(coordinator)
    assert _create(client, f"response:{response.pk}", 1001).status_code == 413
    location = _create(client, f"response:{response.pk}", 10)["Location"]
    assert _patch(client, location, b"x" * 11, 0).status_code == 400
    assert client.head(location, headers=TUS)["Upload-Offset"] == "0"


def test_protocol_version_and_content_type_are_required(client, coordinator, response):
    client.force_login(coordinator)
    answer = client.post(reverse("evaluations:tus-create"), headers={"Upload-Length": "10"})
    assert answer.status_code == 412
    location = _create(client, f"response:{response.pk}", 10)["Location"]
    wrong = client.patch(location, data=b"x", content_type="text/plain", headers={**TUS, "Upload-Offset": "0"})
    assert wrong.status_code == 415


def test_targets_follow_the_policy(client, coordinator, outsider, reviewer, response):
    client.force_login(outsider)
    assert _create(client, f"response:{response.pk}", 10).status_code == 404
    assert _create(client, f"regency:{response.assessment.regency_id}", 10).status_code == 404
    client.force_login(reviewer)  # sees the response, does not fill it
    assert _create(client, f"response:{response.pk}", 10).status_code == 403
    assert _create(client, f"regency:{response.assessment.regency_id}", 10).status_code == 403
    assert _create(client, "user:1", 10).status_code == 400
    assert not UploadSession.objects.exists()


def test_another_users_upload_is_neither_readable_nor_usable(client, coordinator, opd_officer, response):
    client.force_login(coordinator)
    content = samples.png_bytes()
    upload_id = _send(client, f"regency:{response.assessment.regency_id}", content)
    location = reverse("evaluations:tus-upload", args=[upload_id])
    client.force_login(opd_officer)
    assert client.head(location, headers=TUS).status_code == 404
    answer = client.post(
        reverse("evaluations:library-upload", args=[response.assessment.regency_id]),
        {"kind": "foto", "file__tus": upload_id},
    )
    assert answer.status_code == 400  # no file: the id of someone else's upload is ignored
    assert not Document.objects.exists()


def test_a_library_upload_through_tus_makes_a_document(client, coordinator, response):
    client.force_login(coordinator)
    content = samples.pdf_bytes()
    upload_id = _send(client, f"regency:{response.assessment.regency_id}", content, filename="sk.pdf")
    session = UploadSession.objects.get()
    answer = client.post(
        reverse("evaluations:library-upload", args=[response.assessment.regency_id]),
        {"kind": "sk", "title": "SK", "file__tus": upload_id},
    )
    assert answer.status_code == 302
    assert Document.objects.get().current.size == len(content)
    assert not UploadSession.objects.exists()

    assert not os.path.exists(part_path(session))


def test_an_upload_for_one_target_is_not_taken_by_another(client, coordinator, response, assessment):
    other = assessment.responses.exclude(pk=response.pk).filter(indicator__kind="tatanan").first()
    client.force_login(coordinator)
    upload_id = _send(client, f"response:{other.pk}", samples.png_bytes())
    client.post(
        reverse("evaluations:response-save", args=[response.pk]),
        {
            f"r{response.pk}-version": fresh(response).version,
            f"r{response.pk}-value": "50",
            f"r{response.pk}-evidence_files__tus": upload_id,
            "action": "save",
        },
    )
    assert not EvidenceVersion.objects.exists()
    assert UploadSession.objects.filter(pk=upload_id).exists()


def test_abandoned_uploads_of_anyone_are_removed_by_the_hourly_task(client, coordinator, opd_officer, response):
    import datetime

    from django.utils import timezone

    from evaluations.tasks import discard_stale_uploads

    client.force_login(coordinator)
    old = _send(client, f"response:{response.pk}", b"x" * 300)
    client.force_login(opd_officer)
    recent = _send(client, f"response:{response.pk}", b"y" * 300)
    UploadSession.objects.filter(pk=old).update(updated_at=timezone.now() - datetime.timedelta(days=2))
    stale, kept = UploadSession.objects.get(pk=old), UploadSession.objects.get(pk=recent)
    assert os.path.exists(part_path(stale))

    assert discard_stale_uploads() == 1  # the coordinator never came back to upload again
    assert not UploadSession.objects.filter(pk=old).exists()
    assert not os.path.exists(part_path(stale))
    assert UploadSession.objects.filter(pk=recent).exists()
    assert os.path.exists(part_path(kept))
