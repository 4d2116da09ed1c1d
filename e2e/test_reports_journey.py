"""Journey 4: a provincial official reads the readiness report, downloads it as XLSX,
and gets a PDF dossier rendered by a real background worker."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect
from pypdf import PdfReader

from evaluations.models import JobStatus, ReportJob, ReportKind
from evaluations.tests import report_data

from .conftest import axe_check, screenshot

pytestmark = pytest.mark.browser

WORKER_TIMEOUT_MS = 60_000


def _data_rows(sheet) -> dict[str, list]:
    """Rows under the header row (the one starting with "Kode"), keyed by region code."""
    rows = list(sheet.iter_rows(values_only=True))
    header = next(i for i, row in enumerate(rows) if row and row[0] == "Kode")
    return {"headers": list(rows[header]), **{row[0]: list(row) for row in rows[header + 1 :] if row and row[0]}}


def test_provincial_official_downloads_the_report_and_gets_a_dossier_from_the_worker(
    journey, coordinator, reviewer, provincial, session_page, live_server, celery_worker, tmp_path
):
    report_data.bodies(journey.regency)
    report_data.fill(journey, actor=coordinator, reviewer=reviewer, pdfs=False)
    page = session_page(provincial)

    # The readiness report of the province, from the home page.
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Jawa Timur", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kesiapan Jawa Timur")
    axe_check(page, context="province readiness report")
    screenshot(page, "j4-province-report", full_page=True)
    row = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name="Kota Kediri"))
    expect(row).to_have_count(1)
    page_score = row.locator("td").nth(-4).inner_text().strip()  # Skor, ODF, tingkat, perbaikan close the row
    assert re.fullmatch(r"\d+([.,]\d+)?", page_score), page_score

    # The same table as XLSX.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Unduh XLSX").click()
    download = download_info.value
    assert download.suggested_filename == "kesiapan-jawa-timur-2025.xlsx"
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    rows = _data_rows(load_workbook(target, read_only=True).active)
    kediri = rows["35.71"]
    assert kediri[1] == "Kota Kediri"
    xlsx_score = kediri[rows["headers"].index("Skor")]
    assert float(xlsx_score) == float(page_score.replace(",", "."))

    # The dossier of Kota Kediri (through its assessment page), rendered by the worker while the page polls.
    row.get_by_role("link", name="Kota Kediri").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kota Kediri")
    axe_check(page, context="assessment page (provincial view)")
    page.get_by_role("link", name="Dosir verifikasi (PDF)").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Dosir verifikasi Kota Kediri")
    axe_check(page, context="dossier page")
    page.get_by_role("button", name="Buat dosir PDF").click()
    status = page.locator("#job-status")
    expect(status).to_contain_text(re.compile("Dalam antrean|Sedang dibuat|Siap"))
    axe_check(page, context="report job page (waiting)")
    try:
        expect(status).to_contain_text("Siap", timeout=WORKER_TIMEOUT_MS)
    except AssertionError:
        job = ReportJob.objects.latest("pk")
        pytest.fail(f"dossier job {job.status} ({job.error}); worker log:\n{celery_worker()}")
    axe_check(page, context="report job page (ready)")
    screenshot(page, "j4-dossier-ready")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Unduh PDF").click()
    download = download_info.value
    assert download.suggested_filename == "dosir-kota-kediri-2025.pdf"
    download.save_as(tmp_path / "dosir.pdf")
    data = (tmp_path / "dosir.pdf").read_bytes()
    assert data.startswith(b"%PDF-")
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    assert "Kota Kediri" in text

    job = ReportJob.objects.get(kind=ReportKind.DOSSIER, assessment=journey)
    assert (job.status, job.requested_by, job.attempts) == (JobStatus.READY, provincial, 1)
    assert "evaluations.render_report" in celery_worker()  # the worker, not the web process, rendered it
