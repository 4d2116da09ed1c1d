"""Celery tasks: thin entry points that take ids and call the services."""

import logging

from celery import shared_task

from evaluations.services.previews import evidence_preview_make
from evaluations.services.reminders import digests_send, reminders_send
from evaluations.services.reports import HARD_TIME_LIMIT, SOFT_TIME_LIMIT, report_jobs_reap_stale, report_render
from evaluations.services.summary import readiness_summary_repair
from evaluations.services.uploads import upload_sessions_discard_stale

logger = logging.getLogger(__name__)


@shared_task(
    bind=True,
    name="evaluations.render_report",
    acks_late=True,  # the message stays in the broker until the PDF is stored ...
    reject_on_worker_lost=True,  # ... and goes back to the queue if the worker dies mid-task
    soft_time_limit=SOFT_TIME_LIMIT,
    time_limit=HARD_TIME_LIMIT,
    ignore_result=True,
)
def render_report(self, job_id: int) -> None:
    """Render one ReportJob; running it twice is harmless (the service claims the job first)."""
    redelivered = bool((self.request.delivery_info or {}).get("redelivered"))
    report_render(job_id=job_id, redelivered=redelivered)


@shared_task(name="evaluations.reap_stale_report_jobs", ignore_result=True)
def reap_stale_report_jobs() -> int:
    """Periodic (Celery beat): mark jobs whose worker died as failed, so they can be retried."""
    reaped = report_jobs_reap_stale()
    if reaped:
        logger.warning("marked %s report job(s) of dead workers as failed", reaped)
    return reaped


@shared_task(name="evaluations.make_evidence_preview", ignore_result=True, soft_time_limit=60, time_limit=90)
def make_evidence_preview(version_id: int) -> None:
    """Draw the thumbnail of one evidence version; a file that cannot be drawn leaves it "failed"."""
    evidence_preview_make(version_id=version_id)


@shared_task(name="evaluations.send_deadline_reminders", ignore_result=True)
def send_deadline_reminders() -> int:
    """Periodic (Celery beat): reminders before fill and fix deadlines, each sent once."""
    return reminders_send()


@shared_task(name="evaluations.send_daily_digests", ignore_result=True)
def send_daily_digests() -> int:
    """Periodic (Celery beat, once a day): what waits, to each OPD officer and reviewer with something open."""
    return digests_send()


@shared_task(name="evaluations.repair_readiness_summaries", ignore_result=True)
def repair_readiness_summaries() -> int:
    """Periodic (Celery beat, nightly): rewrite readiness summaries that drifted from their responses."""
    return readiness_summary_repair()


@shared_task(name="evaluations.discard_stale_uploads", ignore_result=True)
def discard_stale_uploads() -> int:
    """Periodic (Celery beat, hourly): remove resumable uploads nobody finished or used within a day."""
    return upload_sessions_discard_stale()
