"""Heartbeats of renders, the beat reaper, and pages that show a dead job as failed without writing."""

import datetime
import time

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from evaluations import tasks
from evaluations.models import JobStatus, ReportJob, ReportKind
from evaluations.selectors.jobs import DEAD_MESSAGE, HEARTBEAT_TIMEOUT, jobs_as_shown
from evaluations.services.heartbeat import job_heartbeat
from evaluations.services.reports import report_jobs_reap_stale, report_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def job(assessment, coordinator):
    return ReportJob.objects.create(
        kind=ReportKind.DOSSIER, cycle=assessment.cycle, assessment=assessment, requested_by=coordinator
    )


def _rendering(job, *, started_ago, beat_ago):
    now = timezone.now()
    ReportJob.objects.filter(pk=job.pk).update(
        status=JobStatus.RENDERING,
        attempts=1,
        started_at=now - datetime.timedelta(seconds=started_ago),
        heartbeat_at=None if beat_ago is None else now - datetime.timedelta(seconds=beat_ago),
    )
    job.refresh_from_db()
    return job


def test_a_job_whose_heartbeat_stopped_is_reaped_long_before_the_hard_limit(job, assessment, coordinator):
    silent = HEARTBEAT_TIMEOUT.total_seconds() + 1
    _rendering(job, started_ago=silent + 5, beat_ago=silent)
    alive = _rendering(
        ReportJob.objects.create(kind=ReportKind.DOSSIER, cycle=assessment.cycle, assessment=assessment),
        started_ago=silent + 5,
        beat_ago=1,
    )
    assert silent < settings.KKS_REPORT_HARD_TIME_LIMIT

    assert report_jobs_reap_stale() == 1
    job.refresh_from_db()
    alive.refresh_from_db()
    assert (job.status, job.error) == (JobStatus.FAILED, str(DEAD_MESSAGE))
    assert alive.status == JobStatus.RENDERING


def test_a_claimed_job_without_a_heartbeat_yet_is_alive_until_the_timeout(job):
    _rendering(job, started_ago=HEARTBEAT_TIMEOUT.total_seconds() - 5, beat_ago=None)
    assert report_jobs_reap_stale() == 0
    _rendering(job, started_ago=HEARTBEAT_TIMEOUT.total_seconds() + 1, beat_ago=None)
    assert report_jobs_reap_stale() == 1


def test_the_beat_task_is_scheduled_and_reaps(job):
    entry = settings.CELERY_BEAT_SCHEDULE["reap-stale-report-jobs"]
    assert entry["task"] == tasks.reap_stale_report_jobs.name
    assert entry["schedule"] <= 30  # with the 40 s timeout: failed within about a minute
    assert settings.CELERY_BEAT_SCHEDULER.startswith("django_celery_beat.")
    _rendering(job, started_ago=600, beat_ago=HEARTBEAT_TIMEOUT.total_seconds() + 1)

    assert tasks.reap_stale_report_jobs.delay().get() == 1
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED


def test_asking_again_for_a_dossier_whose_job_is_dead_starts_a_new_job(job, coordinator):
    _rendering(job, started_ago=120, beat_ago=HEARTBEAT_TIMEOUT.total_seconds() + 1)
    again = report_request(kind=ReportKind.DOSSIER, cycle=job.cycle, assessment=job.assessment, actor=coordinator)
    assert again.pk != job.pk
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED


def test_a_live_job_is_handed_back_to_a_double_click(job, coordinator):
    _rendering(job, started_ago=120, beat_ago=2)
    again = report_request(kind=ReportKind.DOSSIER, cycle=job.cycle, assessment=job.assessment, actor=coordinator)
    assert again.pk == job.pk


def test_pages_show_a_dead_job_as_failed_without_writing(client, coordinator, job):
    _rendering(job, started_ago=120, beat_ago=HEARTBEAT_TIMEOUT.total_seconds() + 1)
    client.force_login(coordinator)

    status = client.get(reverse("evaluations:report-job", args=[job.pk])).content.decode()
    listing = client.get(reverse("evaluations:dossier", args=[job.assessment_id])).content.decode()

    assert "Gagal" in status
    assert reverse("evaluations:report-job-retry", args=[job.pk]) in status
    assert "hx-trigger" not in status  # polling stops
    assert "Gagal" in listing
    job.refresh_from_db()
    assert job.status == JobStatus.RENDERING  # GET wrote nothing; the beat task reaps

    client.post(reverse("evaluations:report-job-retry", args=[job.pk]))
    job.refresh_from_db()
    assert job.status in (JobStatus.READY, JobStatus.QUEUED)  # reaped by the retry, then re-rendered (eager)


def test_jobs_as_shown_leaves_live_jobs_alone(job):
    _rendering(job, started_ago=120, beat_ago=2)
    [shown] = jobs_as_shown(ReportJob.objects.filter(pk=job.pk))
    assert shown.status == JobStatus.RENDERING


@pytest.mark.django_db(transaction=True)
def test_the_heartbeat_thread_stamps_the_job_while_the_block_runs(assessment):
    job = ReportJob.objects.create(
        kind=ReportKind.DOSSIER, cycle=assessment.cycle, assessment=assessment, status=JobStatus.RENDERING, attempts=1
    )
    with job_heartbeat(job_id=job.pk, attempt=1, interval=0.05):
        deadline = time.monotonic() + 5
        while ReportJob.objects.get(pk=job.pk).heartbeat_at is None and time.monotonic() < deadline:
            time.sleep(0.05)
    first = ReportJob.objects.get(pk=job.pk).heartbeat_at
    assert first is not None
    time.sleep(0.3)
    assert ReportJob.objects.get(pk=job.pk).heartbeat_at == first  # stopped with the block


@pytest.mark.django_db(transaction=True)
def test_the_heartbeat_of_an_old_attempt_writes_nothing(assessment):
    job = ReportJob.objects.create(
        kind=ReportKind.DOSSIER, cycle=assessment.cycle, assessment=assessment, status=JobStatus.RENDERING, attempts=2
    )
    with job_heartbeat(job_id=job.pk, attempt=1, interval=0.05):
        time.sleep(0.3)
    assert ReportJob.objects.get(pk=job.pk).heartbeat_at is None
