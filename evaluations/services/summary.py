"""The readiness summary: one row per assessment with its response sums, kept current by the response services.

Every service that changes a response's value, scores, stage or status (and the one that creates an assessment's
responses) calls ``readiness_summary_touch`` inside its transaction. The touch rewrites the assessment's row from
one aggregate over that assessment's responses (about 150 rows) under a lock on the summary row, so two
concurrent writers to one assessment cannot leave the sums of the one that committed first. Bulk services wrap
their loop in ``readiness_summary_batch()``: each assessment touched is then rewritten once, at the end.

``readiness_summary_repair`` recomputes rows and rewrites those that drifted (a write past the services: a
shell, a restore of an older backup); it runs nightly from Celery beat and from ``manage.py refresh_readiness``.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterable, Iterator
from contextvars import ContextVar

from django.db import transaction
from django.utils import timezone

from evaluations.models import Assessment, Cycle, ReadinessSummary
from evaluations.selectors.scores import encode_sums, live_response_sums

logger = logging.getLogger(__name__)

_pending: ContextVar[set[int] | None] = ContextVar("readiness_summary_pending", default=None)
REPAIR_CHUNK = 200


def readiness_summary_refresh(*, assessment_ids: Iterable[int]) -> None:
    """Rewrite the summary rows of ``assessment_ids`` from their responses, now."""
    ids = sorted(set(assessment_ids))
    if not ids:
        return
    with transaction.atomic():
        ReadinessSummary.objects.bulk_create(
            [ReadinessSummary(assessment_id=pk) for pk in ids], ignore_conflicts=True, batch_size=1000
        )
        # Lock the rows (in key order, so two writers cannot deadlock here) before reading the responses: a
        # concurrent writer's changes are then committed and visible to the aggregate below.
        list(ReadinessSummary.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk"))
        sums = live_response_sums(ids)
        now = timezone.now()
        ReadinessSummary.objects.bulk_update(
            [ReadinessSummary(assessment_id=pk, sums=encode_sums(sums.get(pk, {})), refreshed_at=now) for pk in ids],
            ["sums", "refreshed_at"],
            batch_size=500,
        )


def readiness_summary_touch(*, assessment_id: int) -> None:
    """A response of ``assessment_id`` changed: rewrite its summary now, or at the end of the current batch."""
    pending = _pending.get()
    if pending is not None:
        pending.add(assessment_id)
    else:
        readiness_summary_refresh(assessment_ids=[assessment_id])


@contextlib.contextmanager
def readiness_summary_batch() -> Iterator[None]:
    """Collect the touches of a bulk action and rewrite each assessment once when it ends (inside the caller's
    transaction; nested batches join the outer one)."""
    if _pending.get() is not None:
        yield
        return
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("readiness_summary_batch() needs the caller's transaction")
    pending: set[int] = set()
    token = _pending.set(pending)
    try:
        yield
    finally:
        _pending.reset(token)
    readiness_summary_refresh(assessment_ids=pending)


def readiness_summary_repair(*, cycle: Cycle | None = None) -> int:
    """Recompute the summaries of ``cycle`` (default: every opened cycle) and rewrite those that differ or are
    missing; returns how many were rewritten (each logged: a drift means a write went past the services)."""
    assessments = Assessment.objects.filter(cycle__opened_at__isnull=False) if cycle is None else cycle.assessments
    ids = list(assessments.order_by("pk").values_list("pk", flat=True))
    repaired = 0
    for start in range(0, len(ids), REPAIR_CHUNK):
        chunk = ids[start : start + REPAIR_CHUNK]
        live = live_response_sums(chunk)
        stored = dict(ReadinessSummary.objects.filter(pk__in=chunk).values_list("pk", "sums"))
        drifted = [pk for pk in chunk if stored.get(pk) != encode_sums(live.get(pk, {}))]
        for pk in drifted:
            if pk in stored:
                logger.warning("readiness summary of assessment %s had drifted from its responses: rewritten", pk)
        readiness_summary_refresh(assessment_ids=drifted)
        repaired += len(drifted)
    return repaired
