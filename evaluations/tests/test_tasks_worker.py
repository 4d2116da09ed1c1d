"""A real Celery worker (subprocess, Redis broker) renders a dossier into the test database and storage."""

import io
import os
import subprocess
import sys
import time
import uuid
from urllib.parse import quote

import pytest
import redis
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connection
from pypdf import PdfReader

from evaluations.models import JobStatus, ReportJob, ReportKind
from evaluations.services.reports import report_request
from evaluations.tests import report_data
from kks.celery import app as celery_app
from kks.testing import require_postgresql

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

TIMEOUT = 120


def _database_url() -> str:
    db = connection.settings_dict
    auth = f"{quote(db['USER'])}:{quote(db['PASSWORD'])}@" if db["USER"] else ""
    return f"postgres://{auth}{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def worker(tmp_path, monkeypatch):
    """A solo-pool worker on a queue of its own, sharing the test database and storage folder."""
    if connection.vendor != "postgresql":
        require_postgresql("the worker test")
    broker = settings.CELERY_BROKER_URL
    redis.Redis.from_url(broker, socket_connect_timeout=3).ping()  # a clear error when Redis is down
    queue = f"kks-test-{uuid.uuid4().hex[:10]}"
    log = tmp_path / "worker.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "kks.settings.test",
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": broker,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "KKS_PRIVATE_ROOT": str(default_storage.location),
    }
    with log.open("wb") as out:
        proc = subprocess.Popen(  # noqa: S603 - fixed arguments
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "kks",
                "worker",
                "-P",
                "solo",
                "-Q",
                queue,
                "-n",
                f"{queue}@%h",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-l",
                "info",
            ],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    monkeypatch.setitem(celery_app.conf, "task_always_eager", False)
    monkeypatch.setitem(celery_app.conf, "task_default_queue", queue)
    try:
        yield proc, log
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        redis.Redis.from_url(broker).delete(queue)


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
