"""Report jobs as the pages show them: a job whose worker died reads as failed at once.

Reaping (writing "failed") is done by the beat task and by the POST services; the pages
never write, so a dead job that the reaper has not reached yet is shown failed in memory.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy

from evaluations.models import JobStatus, ReportJob

# A job still "rendering" this long after it started cannot be alive any more (the hard limit kills it).
STALE_AFTER = datetime.timedelta(seconds=settings.KKS_REPORT_HARD_TIME_LIMIT + 60)
# A live render writes a heartbeat every KKS_REPORT_HEARTBEAT_SECONDS; none for this long means its worker is gone.
HEARTBEAT_TIMEOUT = datetime.timedelta(seconds=settings.KKS_REPORT_HEARTBEAT_TIMEOUT)
DEAD_MESSAGE = gettext_lazy("Pembuatan dokumen terhenti (melewati batas waktu atau pekerja berhenti). Silakan ulangi.")


def dead_jobs(now: datetime.datetime | None = None) -> Q:
    """The one rule for a dead job: rendering with no heartbeat for HEARTBEAT_TIMEOUT, or past the hard limit."""
    now = now or timezone.now()
    silent_since = now - HEARTBEAT_TIMEOUT
    return Q(status=JobStatus.RENDERING) & (
        Q(started_at__isnull=True)
        | Q(started_at__lt=now - STALE_AFTER)
        | Q(heartbeat_at__lt=silent_since)
        | Q(heartbeat_at__isnull=True, started_at__lt=silent_since)
    )


def jobs_as_shown(
    jobs: QuerySet[ReportJob] | Iterable[ReportJob], *, now: datetime.datetime | None = None
) -> list[ReportJob]:
    """The jobs with the dead ones marked failed in memory (not saved)."""
    shown = list(jobs)
    rendering = [job.pk for job in shown if job.status == JobStatus.RENDERING]
    if not rendering:
        return shown
    dead = set(ReportJob.objects.filter(dead_jobs(now), pk__in=rendering).values_list("pk", flat=True))
    for job in shown:
        if job.pk in dead:
            job.status = JobStatus.FAILED
            job.error = str(DEAD_MESSAGE)
    return shown


def job_as_shown(job: ReportJob, *, now: datetime.datetime | None = None) -> ReportJob:
    return jobs_as_shown([job], now=now)[0]


__all__ = ["DEAD_MESSAGE", "HEARTBEAT_TIMEOUT", "STALE_AFTER", "dead_jobs", "job_as_shown", "jobs_as_shown"]
