"""Report jobs in the background: idempotent task, failures, retries, stale jobs, status page."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from evaluations import tasks
from evaluations.models import JobStatus, ReportJob, ReportKind
from evaluations.selectors.jobs import STALE_AFTER
from evaluations.services import reports
from evaluations.services.reports import report_jobs_reap_stale, report_render, report_request, report_retry

pytestmark = pytest.mark.django_db


@pytest.fixture
def job(assessment, coordinator):
    return ReportJob.objects.create(
        kind=ReportKind.DOSSIER, cycle=assessment.cycle, assessment=assessment, requested_by=coordinator
    )


def test_task_is_named_late_acknowledged_and_time_limited():
    task = tasks.render_report
    assert task.name == "evaluations.render_report"
    assert task.acks_late is True
    assert task.reject_on_worker_lost is True
    assert 0 < task.soft_time_limit < task.time_limit


def test_running_the_task_twice_renders_once(job):
    tasks.render_report.delay(job.pk)
    job.refresh_from_db()
    first_file, first_hash = job.file.name, job.sha256

    tasks.render_report.delay(job.pk)
    job.refresh_from_db()

    assert job.status == JobStatus.READY
    assert job.attempts == 1
    assert (job.file.name, job.sha256) == (first_file, first_hash)
    assert job.file.name.startswith("reports/")
    assert job.started_at <= job.finished_at


def test_progress_is_reported_while_rendering(job, monkeypatch):
    seen = []
    real = reports._progress_writer

    def spy(j):
        write = real(j)

        def record(percent):
            write(percent)
            seen.append(ReportJob.objects.values_list("status", "progress").get(pk=j.pk))

        return record

    monkeypatch.setattr(reports, "_progress_writer", spy)
    report_render(job_id=job.pk)

    assert seen[0] == (JobStatus.RENDERING, 10)
    assert all(status == JobStatus.RENDERING for status, _ in seen)
    assert [p for _, p in seen] == sorted(p for _, p in seen)
    job.refresh_from_db()
    assert job.progress == 100


def test_a_failing_render_leaves_a_failed_retryable_job(
    job, coordinator, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(*args, **kwargs):
        raise RuntimeError("font hilang")

    monkeypatch.setattr(reports.pdf, "render_pdf", broken)
    with pytest.raises(RuntimeError):
        report_render(job_id=job.pk)

    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.error == "RuntimeError: font hilang"
    assert job.attempts == 1
    assert job.finished_at is not None

    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        report_retry(job=job, actor=coordinator)
    job.refresh_from_db()
    assert len(callbacks) == 1
    assert job.status == JobStatus.READY
    assert job.error == ""
    assert job.attempts == 2


def test_retry_refuses_a_job_that_has_not_failed(job, coordinator):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        report_retry(job=job, actor=coordinator)


def test_retry_checks_the_policy(job, opd_officer, outsider):
    job.status = JobStatus.FAILED
    job.save()
    for user in (opd_officer, outsider):
        with pytest.raises(PermissionDenied):
            report_retry(job=job, actor=user)


def test_a_job_stuck_in_rendering_is_reaped_as_failed(job):
    started = timezone.now() - STALE_AFTER - datetime.timedelta(seconds=1)
    ReportJob.objects.filter(pk=job.pk).update(status=JobStatus.RENDERING, started_at=started, progress=40)
    fresh = ReportJob.objects.create(
        kind=job.kind, cycle=job.cycle, assessment=job.assessment, status=JobStatus.RENDERING, started_at=timezone.now()
    )

    assert report_jobs_reap_stale() == 1

    job.refresh_from_db()
    fresh.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "batas waktu" in job.error
    assert fresh.status == JobStatus.RENDERING


def test_the_status_page_shows_a_stale_job_as_failed_with_a_retry_button(client, coordinator, job):
    ReportJob.objects.filter(pk=job.pk).update(
        status=JobStatus.RENDERING, started_at=timezone.now() - STALE_AFTER - datetime.timedelta(minutes=1)
    )
    client.force_login(coordinator)
    html = client.get(reverse("evaluations:report-job", args=[job.pk])).content.decode()

    assert "Gagal" in html
    assert reverse("evaluations:report-job-retry", args=[job.pk]) in html
    assert "hx-trigger" not in html


def test_a_stale_rendering_job_is_claimed_again_by_a_new_delivery(job):
    ReportJob.objects.filter(pk=job.pk).update(
        status=JobStatus.RENDERING,
        attempts=1,
        started_at=timezone.now() - STALE_AFTER - datetime.timedelta(seconds=1),
    )
    assert report_render(job_id=job.pk).status == JobStatus.READY


def test_a_fresh_rendering_job_is_left_alone_unless_the_message_was_redelivered(job):
    ReportJob.objects.filter(pk=job.pk).update(status=JobStatus.RENDERING, attempts=1, started_at=timezone.now())

    assert report_render(job_id=job.pk) is None
    assert ReportJob.objects.get(pk=job.pk).status == JobStatus.RENDERING

    rendered = report_render(job_id=job.pk, redelivered=True)
    assert rendered.status == JobStatus.READY
    assert rendered.attempts == 2


def test_a_result_that_arrives_after_the_job_was_reaped_is_discarded(job, monkeypatch):
    from django.core.files.storage import default_storage

    saved = []
    real_save = default_storage.save

    def save_then_reap(name, content, **kwargs):
        stored = real_save(name, content, **kwargs)
        saved.append(stored)
        report_jobs_reap_stale(now=timezone.now() + STALE_AFTER * 2)
        return stored

    monkeypatch.setattr(default_storage, "save", save_then_reap)

    assert report_render(job_id=job.pk) is None
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert not job.file
    assert not default_storage.exists(saved[0])


def test_a_broker_outage_fails_the_job_visibly(
    assessment, coordinator, monkeypatch, django_capture_on_commit_callbacks
):
    def down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to redis")

    monkeypatch.setattr(tasks.render_report, "delay", down)
    with django_capture_on_commit_callbacks(execute=True):
        job = report_request(kind=ReportKind.DOSSIER, cycle=assessment.cycle, assessment=assessment, actor=coordinator)

    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "Antrean" in job.error


def test_render_refuses_when_the_requester_lost_access(job, coordinator):
    coordinator.region = None
    coordinator.save()

    with pytest.raises(PermissionDenied):
        report_render(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "tidak lagi berhak" in job.error


@pytest.mark.parametrize(
    ("status", "polls", "shows"),
    [
        (JobStatus.QUEUED, True, "Dalam antrean"),
        (JobStatus.RENDERING, True, "42%"),
        (JobStatus.READY, False, "Unduh PDF"),
        (JobStatus.FAILED, False, "Ulangi pembuatan"),
    ],
)
def test_status_partial_polls_only_while_unfinished(client, coordinator, job, status, polls, shows):
    ReportJob.objects.filter(pk=job.pk).update(
        status=status, progress=42, started_at=timezone.now(), error="Kesalahan uji"
    )
    client.force_login(coordinator)
    url = reverse("evaluations:report-job", args=[job.pk])

    partial = client.get(url, headers={"HX-Request": "true"})
    page = client.get(url)

    assert shows in partial.content.decode()
    assert ('hx-trigger="every 2s"' in partial.content.decode()) is polls
    assert "<html" not in partial.content.decode()
    assert "<html" in page.content.decode()
    assert "Muat ulang status" in page.content.decode()
    assert 'http-equiv="refresh"' not in page.content.decode()
    assert "no-cache" in page["Cache-Control"]


def test_download_is_404_until_ready(client, coordinator, job):
    client.force_login(coordinator)
    assert client.get(reverse("evaluations:report-job-download", args=[job.pk])).status_code == 404


def test_readiness_pdf_job_from_the_province_page(
    client, provincial, province, assessment, django_capture_on_commit_callbacks
):
    client.force_login(provincial)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("evaluations:province-report-pdf", args=[province.pk]), {"siklus": assessment.cycle.pk}
        )

    job = ReportJob.objects.get()
    assert response.url == reverse("evaluations:report-job", args=[job.pk])
    assert (job.kind, job.region, job.status) == (ReportKind.READINESS, province, JobStatus.READY)
    download = client.get(reverse("evaluations:report-job-download", args=[job.pk]))
    assert download["Content-Disposition"].startswith('attachment; filename="kesiapan-jawa-timur-2025.pdf"')
    import io

    from pypdf import PdfReader

    text = PdfReader(io.BytesIO(b"".join(download.streaming_content))).pages[0].extract_text()
    assert "Kota Kediri" in text
    assert "Jawa Timur" in text
    assert "T1 Tatanan 1" in text
    assert "T2 Tatanan 2" in text


def test_job_lists_show_a_stale_job_as_failed(client, coordinator, job):
    stale = timezone.now() - STALE_AFTER - datetime.timedelta(minutes=1)
    ReportJob.objects.filter(pk=job.pk).update(status=JobStatus.RENDERING, started_at=stale)
    client.force_login(coordinator)

    html = client.get(reverse("evaluations:dossier", args=[job.assessment_id])).content.decode()

    assert "Gagal" in html
    assert "Sedang dibuat" not in html


def test_every_beat_entry_names_a_registered_task(settings):
    from kks.celery import app

    app.loader.import_default_modules()  # the apps' tasks modules, as a worker and beat load them
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        assert entry["task"] in app.tasks, name
    assert {"repair-readiness-summaries", "discard-stale-uploads"} <= set(settings.CELERY_BEAT_SCHEDULE)
