"""A worker killed mid-render does not leave the dossier "rendering" forever.

Real worker subprocesses on Redis, sharing the test database and storage:
- the OOM killer takes the pool child (prefork, ``kill -9`` of the child): the
  worker's main process gives the message back at once (reject_on_worker_lost)
  and the redelivered message re-claims the job;
- the host crashes (``kill -9`` of a whole solo worker): the unacknowledged
  message returns to the queue after the broker's visibility timeout, and a
  fresh worker re-claims and renders the job;
- nobody restarts a worker: the render's heartbeat stops, the beat task marks
  the job failed within seconds (a minute in production), and asking again
  starts a new job that gets rendered; past the hard limit the reaper marks it
  failed even without a heartbeat, and a retry gets it rendered.

The workers run with CELERY_VISIBILITY_TIMEOUT=3 on a Redis database of their
own: such a worker hands out every unacknowledged message of its database
older than 3 s, so it must not see the messages of other test runs.
"""

from __future__ import annotations

import io
import os
import signal
import subprocess
import time
import uuid
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import redis
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connection
from django.utils import timezone
from pypdf import PdfReader

from evaluations.models import JobStatus, ReportJob, ReportKind, Response
from evaluations.selectors.jobs import DEAD_MESSAGE, STALE_AFTER
from evaluations.services.reports import report_jobs_reap_stale, report_request, report_retry
from evaluations.tasks import render_report
from evaluations.tests import report_data
from kks.celery import app as celery_app
from kks.testing import require_postgresql, start_worker, worker_command, worker_env

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

VISIBILITY_TIMEOUT = 3  # seconds, for the workers started here (production: 900)
REDIS_DB = 13  # the workers' own Redis database (see the module docstring)
DEADLINE = 60  # seconds from the kill until the dossier must be ready
EXTRA_IMAGES = 40  # photo evidence, so one render takes a couple of seconds


def _children(pid: int) -> list[int]:
    """Process ids whose parent is ``pid`` (Linux /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        if ppid == pid:
            found.append(int(entry.name))
    return found


class Workers:
    """Starts real workers on one queue; every worker is a process group of its own, killed at teardown."""

    def __init__(self, tmp_path: Path, broker: str, queue: str):
        self.tmp_path = tmp_path
        self.broker = broker
        self.queue = queue
        self.procs: list[subprocess.Popen] = []
        self.logs: list[Path] = []

    def start(self, *, pool: str = "solo", queue: str | None = None, beat: bool = False, **env) -> subprocess.Popen:
        log = self.tmp_path / f"worker-{len(self.procs)}.log"
        env = worker_env(self.broker, CELERY_VISIBILITY_TIMEOUT=str(VISIBILITY_TIMEOUT), **env)
        command = worker_command(queue or self.queue, name=f"{self.queue}-{len(self.procs)}", pool=pool, concurrency=1)
        if beat:  # embedded beat with the database scheduler, its schedule file out of the work tree
            command += ["-B", "-s", str(self.tmp_path / "beat-schedule")]
        # its own process group: the pool children die with it
        proc = start_worker(command, env=env, log=log, new_session=True)
        self.procs.append(proc)
        self.logs.append(log)
        self._wait_ready(proc, log)
        return proc

    def _wait_ready(self, proc: subprocess.Popen, log: Path) -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if " ready." in log.read_text(errors="replace"):
                return
            if proc.poll() is not None:
                pytest.fail(f"worker exited with {proc.returncode}:\n{self.log()}")
            time.sleep(0.1)
        pytest.fail(f"worker not ready after 30 s:\n{self.log()}")

    def crash(self, proc: subprocess.Popen) -> None:
        """A host crash: SIGKILL to the worker and its pool, no warm shutdown, no acknowledgement."""
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)

    def log(self) -> str:
        return "\n".join(f"--- {log.name}\n{log.read_text(errors='replace')}" for log in self.logs)

    def stop_all(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in self.procs:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


@pytest.fixture
def workers(tmp_path, monkeypatch):
    """Workers on a queue of their own in Redis database REDIS_DB; this process publishes there too."""
    if connection.vendor != "postgresql":
        require_postgresql("the worker-kill test")
    broker = urlsplit(settings.CELERY_BROKER_URL)._replace(path=f"/{REDIS_DB}").geturl()
    client = redis.Redis.from_url(broker, socket_connect_timeout=3)
    client.ping()  # a clear error when Redis is down
    queue = f"kks-kill-{uuid.uuid4().hex[:10]}"
    pool = Workers(tmp_path, broker, queue)
    publisher = celery_app.connection_for_write(broker)
    monkeypatch.setitem(celery_app.conf, "task_always_eager", False)
    # report_request/report_retry enqueue through render_report.delay: send to this queue and database.
    monkeypatch.setattr(
        render_report, "delay", lambda job_id: render_report.apply_async((job_id,), connection=publisher, queue=queue)
    )
    try:
        yield pool
    finally:
        pool.stop_all()
        publisher.release()
        client.delete(*client.scan_iter(match=f"*{queue}*"), "unacked", "unacked_index", "unacked_mutex")
        client.close()


@pytest.fixture
def big_dossier(assessment, coordinator, reviewer):
    """An assessment with enough photo evidence that its dossier takes a couple of seconds to render."""
    report_data.bodies(assessment.regency)
    report_data.fill(assessment, actor=coordinator, reviewer=reviewer, pdfs=False)
    responses = list(Response.objects.filter(assessment=assessment))
    for n in range(EXTRA_IMAGES):
        report_data.add_evidence(
            responses[n % len(responses)],
            name=f"foto-kegiatan-{n}.png",
            content=report_data.png_bytes(size=(1600, 1200), color=(n * 6 % 256, 120, 200 - n * 4 % 200)),
            content_type="image/png",
            actor=coordinator,
        )
    return assessment


def _request(assessment, coordinator) -> ReportJob:
    return report_request(kind=ReportKind.DOSSIER, cycle=assessment.cycle, assessment=assessment, actor=coordinator)


def _wait_for(job: ReportJob, statuses, workers: Workers, *, timeout: float) -> ReportJob:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.status in statuses:
            return job
        time.sleep(0.05)
    pytest.fail(f"job still {job.status} (wanted {statuses}) after {timeout}s:\n{workers.log()}")


def _assert_valid_dossier(job: ReportJob) -> None:
    assert job.status == JobStatus.READY, job.error
    assert job.progress == 100
    with default_storage.open(job.file.name, "rb") as fh:
        reader = PdfReader(io.BytesIO(fh.read()))
    assert "Kota Kediri" in reader.pages[0].extract_text()
    assert len(reader.pages) > 3


def test_a_pool_child_killed_mid_render_is_requeued_and_the_dossier_gets_ready(workers, big_dossier, coordinator):
    worker = workers.start(pool="prefork")
    [child] = _children(worker.pid)
    job = _wait_for(_request(big_dossier, coordinator), [JobStatus.RENDERING], workers, timeout=20)

    os.kill(child, signal.SIGKILL)  # what the OOM killer does
    killed_at = time.monotonic()

    job = _wait_for(job, [JobStatus.READY, JobStatus.FAILED], workers, timeout=DEADLINE)
    assert time.monotonic() - killed_at < DEADLINE
    _assert_valid_dossier(job)
    assert job.attempts == 2  # claimed by the killed child, then again by the redelivered message
    assert worker.poll() is None  # the worker itself survived and replaced its child
    assert "WorkerLostError" in workers.log()


def test_a_worker_killed_mid_render_is_redelivered_to_a_fresh_worker(workers, big_dossier, coordinator):
    worker = workers.start()
    job = _wait_for(_request(big_dossier, coordinator), [JobStatus.RENDERING], workers, timeout=20)

    workers.crash(worker)
    killed_at = time.monotonic()
    job.refresh_from_db()
    assert job.status == JobStatus.RENDERING  # the kill really happened mid-render
    assert job.attempts == 1

    # The message was fetched before the job turned "rendering"; a worker starting after the
    # visibility timeout gives it back to the queue at once (later ones sweep periodically).
    time.sleep(max(0.0, killed_at + VISIBILITY_TIMEOUT + 0.5 - time.monotonic()))
    workers.start()
    job = _wait_for(job, [JobStatus.READY, JobStatus.FAILED], workers, timeout=DEADLINE)
    assert time.monotonic() - killed_at < DEADLINE
    _assert_valid_dossier(job)
    assert job.attempts == 2  # re-claimed although the dead worker had left it "rendering"


def test_a_job_of_a_dead_worker_is_reaped_as_failed_and_a_retry_renders_it(workers, big_dossier, coordinator):
    worker = workers.start()
    job = _wait_for(_request(big_dossier, coordinator), [JobStatus.RENDERING], workers, timeout=20)
    workers.crash(worker)

    assert report_jobs_reap_stale() == 0  # not yet past the hard limit
    ReportJob.objects.filter(pk=job.pk).update(started_at=timezone.now() - STALE_AFTER - timedelta(seconds=1))
    assert report_jobs_reap_stale() == 1
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "terhenti" in job.error

    job = report_retry(job=job, actor=coordinator)
    assert job.status == JobStatus.QUEUED
    workers.start()
    job = _wait_for(job, [JobStatus.READY, JobStatus.FAILED], workers, timeout=DEADLINE)
    _assert_valid_dossier(job)
    assert ReportJob.objects.count() == 1


def test_a_dead_workers_job_is_failed_by_the_beat_reaper_within_seconds_and_asking_again_renders(
    workers, big_dossier, coordinator
):
    """Heartbeat every second; the beat reaper (every second, timeout 3 s) fails the job soon after the crash."""
    worker = workers.start(KKS_REPORT_HEARTBEAT_SECONDS="1")
    job = _wait_for(_request(big_dossier, coordinator), [JobStatus.RENDERING], workers, timeout=20)
    first_beat = job.heartbeat_at
    deadline = time.monotonic() + 10
    while job.heartbeat_at == first_beat and time.monotonic() < deadline:  # the thread beats in the worker
        time.sleep(0.2)
        job.refresh_from_db()
    assert job.heartbeat_at > first_beat, workers.log()
    assert job.status == JobStatus.RENDERING

    workers.crash(worker)
    killed_at = time.monotonic()
    # A reaper worker on the default queue with embedded beat; it does not consume the render queue.
    workers.start(queue="celery", beat=True, KKS_REPORT_HEARTBEAT_TIMEOUT="3", KKS_REAP_INTERVAL="1")
    job = _wait_for(job, [JobStatus.FAILED, JobStatus.READY], workers, timeout=30)
    assert job.status == JobStatus.FAILED
    assert job.error == str(DEAD_MESSAGE)
    assert time.monotonic() - killed_at < 30

    again = _request(big_dossier, coordinator)
    assert again.pk != job.pk  # the dead job is not handed back
    workers.start(KKS_REPORT_HEARTBEAT_SECONDS="1")
    again = _wait_for(again, [JobStatus.READY, JobStatus.FAILED], workers, timeout=DEADLINE)
    _assert_valid_dossier(again)
