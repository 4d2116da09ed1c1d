"""A render's heartbeat: a thread that stamps ``ReportJob.heartbeat_at`` while the render runs.

WeasyPrint lays a document out in one long call with no progress callbacks, so the
render itself cannot say it is alive. The thread writes every KKS_REPORT_HEARTBEAT_SECONDS;
when the worker process dies (kill -9, OOM, host crash) the stamps stop and the beat task
``evaluations.reap_stale_report_jobs`` marks the job failed within HEARTBEAT_TIMEOUT plus
its own period (about a minute), instead of waiting for the hard time limit.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import connection
from django.utils import timezone

from evaluations.models import JobStatus, ReportJob

logger = logging.getLogger(__name__)


def job_heartbeat_write(*, job_id: int, attempt: int) -> bool:
    """Stamp the heartbeat of the job's current attempt; False when the job is no longer that render's."""
    return bool(
        ReportJob.objects.filter(pk=job_id, status=JobStatus.RENDERING, attempts=attempt).update(
            heartbeat_at=timezone.now()
        )
    )


@contextmanager
def job_heartbeat(*, job_id: int, attempt: int, interval: float | None = None) -> Iterator[None]:
    """Keep the job's heartbeat fresh for as long as the block runs."""
    interval = settings.KKS_REPORT_HEARTBEAT_SECONDS if interval is None else interval
    stop = threading.Event()

    def beat() -> None:
        try:
            while not stop.wait(interval):
                try:
                    if not job_heartbeat_write(job_id=job_id, attempt=attempt):
                        return  # reaped, finished or claimed by another attempt
                except Exception:  # a missed beat is not worth failing the render for
                    logger.warning("heartbeat of report job %s not written", job_id, exc_info=True)
        finally:
            connection.close()  # this thread's own connection

    thread = threading.Thread(target=beat, name=f"kks-heartbeat-{job_id}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=5)
