"""A real Celery worker (subprocess, Redis broker) renders a dossier into the test database and storage."""

import io
import time

import pytest
from django.core.files.storage import default_storage
from pypdf import PdfReader

from evaluations.models import JobStatus, ReportJob, ReportKind
from evaluations.services.reports import report_request
from evaluations.tests import report_data
from kks.testing import running_worker

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

TIMEOUT = 120


@pytest.fixture
def worker(tmp_path, monkeypatch):
    """A solo-pool worker on a queue of its own, sharing the test database and storage folder."""
    with running_worker(tmp_path=tmp_path, monkeypatch=monkeypatch, what="the worker test") as (proc, log):
        yield proc, log


def _wait(job, proc, log):
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.status in (JobStatus.READY, JobStatus.FAILED):
            return job
        if proc.poll() is not None:
            pytest.fail(f"worker exited with {proc.returncode}:\n{log.read_text()}")
        time.sleep(0.5)
    pytest.fail(f"job still {job.status} after {TIMEOUT}s; worker log:\n{log.read_text()}")


def test_a_real_worker_renders_the_dossier(worker, assessment, framework, coordinator, reviewer):
    proc, log = worker
    report_data.bodies(assessment.regency)
    versions = report_data.fill(assessment, actor=coordinator, reviewer=reviewer)

    job = report_request(
        kind=ReportKind.DOSSIER, cycle=assessment.cycle, assessment=assessment, include_appendix=True, actor=coordinator
    )
    job = _wait(job, proc, log)

    assert job.status == JobStatus.READY, job.error
    assert job.progress == 100
    assert job.attempts == 1
    with default_storage.open(job.file.name, "rb") as fh:
        data = fh.read()
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    flat = "".join(text.split())
    assert "Kota Kediri" in text
    for tatanan in framework.tatanan.all():
        assert tatanan.name in text
    for version in versions:
        assert version.sha256 in flat
    assert "evaluations.render_report" in log.read_text()
    assert ReportJob.objects.count() == 1
