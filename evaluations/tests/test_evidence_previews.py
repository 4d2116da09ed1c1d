"""Evidence previews: made in the background on upload, served through the permission check, shown inline."""

import io

import pytest
from django.core.files.base import ContentFile
from PIL import Image

from evaluations.models import EvidencePreview, PreviewStatus
from evaluations.services.evidence import evidence_add, evidence_replace
from evaluations.services.previews import PREVIEW_EDGE, evidence_preview_make
from evaluations.tests import samples

pytestmark = pytest.mark.django_db


@pytest.fixture
def response(assessment):
    return assessment.responses.filter(indicator__kind="tatanan").order_by("indicator__sort_order").first()


def _big_png(width=1200, height=800) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "blue").save(buffer, "PNG")
    return buffer.getvalue()


def _upload(response, actor, name, content, capture):
    with capture(execute=True):
        evidence = evidence_add(response=response, uploaded=samples.upload(name, content), actor=actor)
    return evidence.current


def _preview_image(preview) -> Image.Image:
    with preview.file.open("rb") as handle:
        image = Image.open(io.BytesIO(handle.read()))
        image.load()
    return image


def test_uploading_an_image_makes_a_small_webp_thumbnail_in_the_background(
    response, coordinator, django_capture_on_commit_callbacks
):
    version = _upload(response, coordinator, "foto.png", _big_png(), django_capture_on_commit_callbacks)

    preview = EvidencePreview.objects.get(version=version)
    assert preview.status == PreviewStatus.READY
    image = _preview_image(preview)
    assert image.format == "WEBP"
    assert image.size == (PREVIEW_EDGE, PREVIEW_EDGE * 2 // 3) == (preview.width, preview.height)
    # Stored under a random name of its own, not the evidence's name or the user's.
    assert preview.file.name.startswith("previews/")
    assert "foto" not in preview.file.name
    assert preview.file.name != version.file.name


def test_a_pdf_gets_an_image_of_its_first_page(response, coordinator, django_capture_on_commit_callbacks):
    version = _upload(response, coordinator, "sk.pdf", samples.pdf_bytes(), django_capture_on_commit_callbacks)

    preview = EvidencePreview.objects.get(version=version)
    assert preview.status == PreviewStatus.READY, preview.error
    image = _preview_image(preview)
    assert image.format == "WEBP"
    assert max(image.size) == PREVIEW_EDGE
    assert image.getpixel((5, 5)) > (240, 240, 240)  # the sample page is white


def test_a_new_version_gets_its_own_preview(response, coordinator, django_capture_on_commit_callbacks):
    first = _upload(response, coordinator, "foto.png", _big_png(), django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        second = evidence_replace(
            evidence=first.evidence, uploaded=samples.upload("foto2.jpg", samples.jpeg_bytes()), actor=coordinator
        )
    first_preview, second_preview = (EvidencePreview.objects.get(version=v) for v in (first, second))
    assert second_preview.status == PreviewStatus.READY
    assert second_preview.file.name != first_preview.file.name


def test_no_preview_is_made_nor_queued_for_office_documents(response, coordinator, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        evidence = evidence_add(
            response=response, uploaded=samples.upload("data.xlsx", samples.xlsx_bytes()), actor=coordinator
        )
    assert callbacks == []
    assert not EvidencePreview.objects.filter(version=evidence.current).exists()


def test_a_file_that_cannot_be_drawn_leaves_a_failed_preview_not_a_crash(
    response, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        evidence = evidence_add(
            response=response, uploaded=samples.upload("foto.png", samples.png_bytes()), actor=coordinator
        )
    version = evidence.current
    assert version.preview.status == PreviewStatus.PENDING
    version.file.storage.delete(version.file.name)
    version.file.storage.save(version.file.name, ContentFile(b"\x89PNG\r\n\x1a\n broken"))

    preview = evidence_preview_make(version_id=version.pk)

    assert preview.status == PreviewStatus.FAILED
    assert preview.error
    assert not preview.file


# --- serving -----------------------------------------------------------------------


def test_the_thumbnail_is_served_to_those_who_see_the_evidence_and_is_404_outside_their_scope(
    client, response, coordinator, reviewer, outsider, django_capture_on_commit_callbacks
):
    version = _upload(response, coordinator, "foto.png", _big_png(), django_capture_on_commit_callbacks)
    url = f"/bukti/berkas/{version.pk}/pratinjau/"

    client.force_login(reviewer)
    shown = client.get(url)
    assert shown.status_code == 200
    assert shown["Content-Type"] == "image/webp"
    assert shown["X-Content-Type-Options"] == "nosniff"
    assert b"".join(shown.streaming_content).startswith(b"RIFF")

    client.force_login(outsider)
    assert client.get(url).status_code == 404
    assert client.get(f"/bukti/berkas/{version.pk}/lihat/").status_code == 404
    client.logout()
    assert client.get(url).status_code == 302  # to the login page


def test_a_thumbnail_not_made_yet_is_404_and_the_page_says_it_is_being_made(
    client, response, coordinator, reviewer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        version = evidence_add(
            response=response, uploaded=samples.upload("foto.png", samples.png_bytes()), actor=coordinator
        ).current
    client.force_login(reviewer)
    assert client.get(f"/bukti/berkas/{version.pk}/pratinjau/").status_code == 404
    page = client.get(f"/verifikasi/{response.pk}/").content.decode()
    assert "Pratinjau sedang dibuat" in page
    assert f"/bukti/berkas/{version.pk}/pratinjau/" not in page


def test_the_inline_view_is_sandboxed_and_not_an_attachment(
    client, response, coordinator, reviewer, django_capture_on_commit_callbacks
):
    version = _upload(response, coordinator, "sk dinas.pdf", samples.pdf_bytes(), django_capture_on_commit_callbacks)
    client.force_login(reviewer)

    shown = client.get(f"/bukti/berkas/{version.pk}/lihat/")

    assert shown.status_code == 200
    assert shown["Content-Type"] == "application/pdf"
    assert shown["Content-Disposition"] == 'inline; filename="sk dinas.pdf"'
    csp = shown["Content-Security-Policy"]
    assert csp.startswith("sandbox;")
    assert "default-src 'none'" in csp
    assert "script-src" not in csp  # falls back to default-src 'none'
    assert shown["X-Content-Type-Options"] == "nosniff"
    assert shown["X-Frame-Options"] == "SAMEORIGIN"
    # The download is still an attachment.
    assert client.get(f"/bukti/berkas/{version.pk}/unduh/")["Content-Disposition"].startswith("attachment;")


def test_office_documents_are_never_served_inline(client, response, coordinator, reviewer):
    version = evidence_add(
        response=response, uploaded=samples.upload("data.docx", samples.docx_bytes()), actor=coordinator
    ).current
    client.force_login(reviewer)
    assert client.get(f"/bukti/berkas/{version.pk}/lihat/").status_code == 404
    assert client.get(f"/bukti/berkas/{version.pk}/unduh/").status_code == 200
    page = client.get(f"/verifikasi/{response.pk}/").content.decode()
    assert f"/bukti/berkas/{version.pk}/lihat/" not in page
    assert f"/bukti/berkas/{version.pk}/unduh/" in page


def test_review_and_fill_pages_show_the_thumbnail_hash_and_version(
    client, response, coordinator, reviewer, django_capture_on_commit_callbacks
):
    version = _upload(response, coordinator, "foto.png", _big_png(), django_capture_on_commit_callbacks)
    for user, url in (
        (reviewer, f"/verifikasi/{response.pk}/"),
        (coordinator, f"/penilaian/{response.assessment_id}/tatanan/{response.indicator.tatanan_id}/"),
    ):
        client.force_login(user)
        page = client.get(url).content.decode()
        assert f'src="/bukti/berkas/{version.pk}/pratinjau/"' in page, url
        assert f'src="/bukti/berkas/{version.pk}/lihat/"' in page, url
        assert f'title="{version.sha256}"' in page
        assert f"{version.sha256[:12]}…" in page
        assert "versi 1" in page


def test_the_command_queues_missing_and_failed_previews(response, coordinator, django_capture_on_commit_callbacks):
    from django.core.management import call_command

    with django_capture_on_commit_callbacks(execute=False):
        old = evidence_add(response=response, uploaded=samples.upload("lama.png", _big_png()), actor=coordinator)
        sheet = evidence_add(
            response=response, uploaded=samples.upload("d.xlsx", samples.xlsx_bytes()), actor=coordinator
        )
    EvidencePreview.objects.filter(version=old.current).delete()  # stored before previews existed
    failed = _upload(response, coordinator, "rusak.png", samples.png_bytes(), django_capture_on_commit_callbacks)
    EvidencePreview.objects.filter(version=failed).update(status=PreviewStatus.FAILED, error="x")

    with django_capture_on_commit_callbacks(execute=True):
        call_command("make_evidence_previews")
    assert EvidencePreview.objects.get(version=old.current).status == PreviewStatus.READY
    assert not EvidencePreview.objects.filter(version=sheet.current).exists()
    assert EvidencePreview.objects.get(version=failed).status == PreviewStatus.FAILED  # left alone without the flag

    with django_capture_on_commit_callbacks(execute=True):
        call_command("make_evidence_previews", "--retry-failed")
    assert EvidencePreview.objects.get(version=failed).status == PreviewStatus.READY


def test_a_document_linked_from_the_library_gets_a_preview_too(
    response, coordinator, django_capture_on_commit_callbacks
):
    from evaluations.services.library import DocumentDetails, document_link, document_upload

    document = document_upload(
        regency=response.assessment.regency,
        details=DocumentDetails(kind="foto", title="Foto kegiatan"),
        uploaded=samples.upload("kegiatan.png", _big_png()),
        actor=coordinator,
    )
    with django_capture_on_commit_callbacks(execute=True):
        document_link(document=document, responses=[response], actor=coordinator)
    linked = response.evidence.get().current
    preview = EvidencePreview.objects.get(version=linked)
    assert preview.status == PreviewStatus.READY
    assert max(_preview_image(preview).size) <= PREVIEW_EDGE


def test_the_dossier_draws_photo_thumbnails_from_the_previews_made_at_upload(
    response, coordinator, django_capture_on_commit_callbacks, monkeypatch
):
    from evaluations import pdf
    from evaluations.selectors.dossier import dossier_data
    from evaluations.services import reports

    version = _upload(response, coordinator, "foto.png", _big_png(3000, 2000), django_capture_on_commit_callbacks)
    preview = EvidencePreview.objects.get(version=version)
    opened = []
    real_open = reports.default_storage.open

    def spy(name, mode="rb"):
        opened.append(name)
        return real_open(name, mode)

    monkeypatch.setattr(reports.default_storage, "open", spy)
    data = dossier_data(response.assessment_id)
    reports._add_thumbnails(data, lambda _p: None, 10, 45)
    assert opened == [preview.file.name]  # the small preview, not the 3000 px original
    assert data.evidence[0].thumbnail.startswith("data:image/jpeg;base64,")

    opened.clear()
    reports._add_thumbnails(dossier_data(response.assessment_id), lambda _p: None, 10, 45, previews=False)
    assert opened == [version.file.name]  # the pre-issue-11 path the bench compares against
    assert pdf.THUMBNAIL_PX <= PREVIEW_EDGE  # the preview is large enough for the dossier's thumbnail
