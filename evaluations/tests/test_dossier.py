"""The verification dossier: its contents, its appendix, and the pages that ask for it."""

import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from evaluations.models import JobStatus, ReportJob, ReportKind, Response
from evaluations.selectors.dossier import dossier_data
from evaluations.services.reports import render_dossier_pdf
from evaluations.tests import report_data
from evaluations.tests.factories import make_assessment
from forums.tests.factories import RegencyFactory

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def squashed(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture
def filled(assessment, coordinator, reviewer):
    report_data.bodies(assessment.regency)
    versions = report_data.fill(assessment, actor=coordinator, reviewer=reviewer)
    first = Response.objects.filter(assessment=assessment).order_by("indicator__sort_order").first()
    report_data.request_revision(first, reviewer=reviewer)
    return versions


def test_dossier_contains_every_section(assessment, framework, filled):
    text = pdf_text(render_dossier_pdf(assessment.pk))

    assert "Kota Kediri" in text
    assert "Jawa Timur" in text
    assert "Siklus 2025" in text
    for tatanan in framework.tatanan.all():
        assert tatanan.name in text
    flat = squashed(text)
    for version in filled:
        assert version.sha256 in flat
        assert version.original_name in text
    assert "188.45/77/KEP/419.033/2024" in text  # SK number
    assert "Siti Rahmawati" in text
    assert "Dr. Agus Wibowo" in text
    assert "Berita Acara" in text
    assert "Daftar isi" in text
    assert "Bukti kurang" in text  # the revision reason of the review outcome
    assert re.search(r"Halaman 1 dari (\d+)", text)


def test_table_of_contents_shows_the_page_of_each_section(assessment, framework, filled):
    reader = PdfReader(io.BytesIO(render_dossier_pdf(assessment.pk)))
    toc = reader.pages[1].extract_text()
    for tatanan in framework.tatanan.all():
        line = next(line for line in toc.splitlines() if tatanan.name in line)
        page = int(re.search(r"(\d+)\s*$", line).group(1))
        assert tatanan.name in reader.pages[page - 1].extract_text()


def test_images_are_embedded_as_thumbnails(assessment, filled):
    reader = PdfReader(io.BytesIO(render_dossier_pdf(assessment.pk)))
    # WeasyPrint shares one resource dictionary between pages: count distinct XObjects
    images = {img.name: img for page in reader.pages for img in page.images}

    assert len(images) == sum(1 for v in filled if v.content_type.startswith("image/"))
    assert all(max(img.image.size) <= 320 for img in images.values())


def test_appendix_merges_the_evidence_pdfs(assessment, filled, coordinator):
    broken = report_data.add_evidence(
        Response.objects.filter(assessment=assessment).last(),
        name="rusak.pdf",
        content=b"%PDF-1.4 rusak",
        content_type="application/pdf",
        actor=coordinator,
    )
    without = PdfReader(io.BytesIO(render_dossier_pdf(assessment.pk)))

    data = render_dossier_pdf(assessment.pk, include_appendix=True)
    with_appendix = PdfReader(io.BytesIO(data))

    pdfs = [v for v in filled if v.content_type == "application/pdf"]
    # the main part gains a "Lampiran" page; every readable evidence PDF adds its one page
    assert len(with_appendix.pages) == len(without.pages) + 1 + len(pdfs)
    tail = "\n".join(p.extract_text() for p in with_appendix.pages[-len(pdfs) :])
    for version in pdfs:
        assert version.original_name.removeprefix("laporan-").removesuffix(".pdf") in tail
    lampiran = next(
        p.extract_text()
        for p in with_appendix.pages
        if "Lampiran bukti dukung" in p.extract_text() and broken.original_name in p.extract_text()
    )
    assert "tidak dapat dilampirkan" in lampiran


def test_dossier_reads_in_constant_queries(cycle, regency, coordinator, reviewer, django_assert_num_queries):
    small = make_assessment(cycle=cycle, regency=regency)
    report_data.bodies(regency)
    report_data.fill(small, actor=coordinator, reviewer=reviewer, pdfs=False)
    big = make_assessment(cycle=cycle, regency=RegencyFactory(parent=regency.parent))
    report_data.bodies(big.regency)
    report_data.fill(big, actor=coordinator, reviewer=reviewer)
    for response in Response.objects.filter(assessment=big)[:3]:
        report_data.add_evidence(
            response, name="extra.png", content=report_data.png_bytes((10, 10)), content_type="image/png"
        )

    with django_assert_num_queries(15) as small_queries:  # 11, the earlier award cycles, 3 for the Data Umum
        dossier_data(small.pk)
    with django_assert_num_queries(len(small_queries.captured_queries)):
        dossier_data(big.pk)


# --- pages -------------------------------------------------------------------------


def test_asking_for_a_dossier_renders_it_after_commit(
    client, coordinator, assessment, filled, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(reverse("evaluations:dossier-request", args=[assessment.pk]), {"include_appendix": "on"})

    job = ReportJob.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("evaluations:report-job", args=[job.pk])
    assert len(callbacks) == 1
    assert job.kind == ReportKind.DOSSIER
    assert job.include_appendix
    assert job.requested_by == coordinator
    assert job.status == JobStatus.READY
    assert job.progress == 100
    assert job.attempts == 1
    download = client.get(reverse("evaluations:report-job-download", args=[job.pk]))
    body = b"".join(download.streaming_content)
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith('attachment; filename="dosir-kota-kediri-2025.pdf"')
    assert download["X-Content-Type-Options"] == "nosniff"
    assert body.startswith(b"%PDF")
    import hashlib

    assert hashlib.sha256(body).hexdigest() == job.sha256


def test_a_second_request_while_one_is_queued_returns_the_same_job(coordinator, assessment):
    from evaluations.services.reports import report_request

    first = report_request(kind=ReportKind.DOSSIER, cycle=assessment.cycle, assessment=assessment, actor=coordinator)
    again = report_request(kind=ReportKind.DOSSIER, cycle=assessment.cycle, assessment=assessment, actor=coordinator)

    assert again.pk == first.pk
    assert ReportJob.objects.count() == 1


def test_opd_officer_may_not_request_a_dossier(client, opd_officer, assessment):
    client.force_login(opd_officer)
    response = client.post(reverse("evaluations:dossier-request", args=[assessment.pk]))

    assert response.status_code == 403
    assert not ReportJob.objects.exists()


def test_dossier_page_lists_earlier_jobs(client, coordinator, assessment):
    job = ReportJob.objects.create(
        kind=ReportKind.DOSSIER, cycle=assessment.cycle, assessment=assessment, status=JobStatus.FAILED, error="Rusak"
    )
    client.force_login(coordinator)
    response = client.get(reverse("evaluations:dossier", args=[assessment.pk]))

    assert response.status_code == 200
    assert reverse("evaluations:report-job", args=[job.pk]) in response.content.decode()
