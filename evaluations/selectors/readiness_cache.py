"""The finished rows of a readiness table, cached per cycle and scope under a fingerprint of what they read.

Building the 514 regency rows of the national table (their scores under the cycle's award policy) is most of
the report's time. The rows depend only on: the cycle's assessments (status, Data Umum, ODF counts), their
readiness summaries (rewritten by every response service), the official results (Wistara Paripurna), the
regions, and the cycle's award fields. ``readiness_fingerprint`` reads the first four in one query (counts and
latest change times) and the key carries the award fields, so any write through the services, the admin or the
API gives a new key at once; the timeout bounds what a write past ``updated_at`` (a bulk ``update()`` in a
shell) could leave, and the nightly summary repair touches the rows it fixes.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache import cache
from django.db.models import F, Field, Func, IntegerField, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import get_language

from evaluations.models import Assessment, Cycle, OfficialResult, ReadinessSummary
from evaluations.selectors.award import POLICY_FIELDS
from forums.models import Region

T = TypeVar("T")
TIMEOUT_S = 600
logger = logging.getLogger(__name__)
VERSION = 1  # raise when the cached row classes change shape


def _scalar(queryset: QuerySet[Any], function: str, field: str = "pk", output: Field | None = None) -> Subquery:
    """``SELECT <function>(<field>) FROM <queryset>`` as a subquery (an aggregate without GROUP BY)."""
    expr = Func(F(field), function=function, output_field=output)  # None: the field's own type
    return Subquery(queryset.order_by().annotate(v=expr).values("v")[:1])


def readiness_fingerprint(cycle: Cycle) -> str:
    """One query: how many assessments, summaries, official results and regions there are, and when the
    latest of each changed. Any change a readiness table would show changes this string."""
    assessments = Assessment.objects.filter(cycle_id=cycle.pk)
    summaries = ReadinessSummary.objects.filter(assessment__cycle_id=cycle.pk)
    count = IntegerField()
    row = (
        Cycle.objects.filter(pk=cycle.pk)
        .annotate(
            a_n=Coalesce(_scalar(assessments, "COUNT", output=count), 0),
            a_at=_scalar(assessments, "MAX", "updated_at"),
            s_n=Coalesce(_scalar(summaries, "COUNT", "assessment_id", output=count), 0),
            s_at=_scalar(summaries, "MAX", "refreshed_at"),
            o_n=Coalesce(_scalar(OfficialResult.objects.all(), "COUNT", output=count), 0),
            o_at=_scalar(OfficialResult.objects.all(), "MAX", "recorded_at"),
            r_n=Coalesce(_scalar(Region.objects.all(), "COUNT", output=count), 0),
        )
        .values_list("a_n", "a_at", "s_n", "s_at", "o_n", "o_at", "r_n")
        .first()
    )
    policy = tuple(str(getattr(cycle, name)) for name in POLICY_FIELDS)
    return repr((cycle.pk, cycle.framework_id, row, policy))


def cached_rows(*, cycle: Cycle, scope: str, basis: str, compute: Callable[[], T]) -> tuple[T, str]:
    """``compute()`` (the unfiltered, unsorted rows of one table), or its cached result for the same cycle,
    scope (``"national"`` or a province pk), basis, language and fingerprint; with the version of those rows
    (a hash), which the pages' fragment cache of the rendered table is keyed by too."""
    raw = f"{VERSION}|{scope}|{basis}|{get_language()}|{readiness_fingerprint(cycle)}"
    version = hashlib.sha256(raw.encode()).hexdigest()
    key = "readiness-rows:" + version
    try:
        found = cache.get(key)
    except Exception:  # the cache is down: build the rows (slower, still right)
        logger.warning("readiness rows not read: cache unavailable", exc_info=True)
        return compute(), version
    if found is not None:
        return found, version
    value = compute()
    try:
        cache.set(key, value, TIMEOUT_S)
    except Exception:
        logger.warning("readiness rows not stored: cache unavailable", exc_info=True)
    return value, version
