"""Progress of an assessment: per tatanan and per OPD ("which dinas is blocking")."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q

from evaluations.models import Assessment, Response, ResponseStatus
from forums.models import Opd, OpdKind
from tatanan.models import IndicatorKind

WAITING = [ResponseStatus.SUBMITTED, ResponseStatus.RESUBMITTED]
OPEN = [ResponseStatus.DRAFT, ResponseStatus.REVISION_REQUESTED]

COUNTS = {
    "total": Count("pk"),
    "filled": Count("pk", filter=Q(value__isnull=False)),
    "unsent": Count("pk", filter=Q(status__in=OPEN)),
    "revision": Count("pk", filter=Q(status=ResponseStatus.REVISION_REQUESTED)),
    "waiting": Count("pk", filter=Q(status__in=WAITING)),
    "final": Count("pk", filter=Q(status=ResponseStatus.ACCEPTED)),
}


@dataclass
class Progress:
    total: int = 0
    filled: int = 0
    unsent: int = 0
    revision: int = 0
    waiting: int = 0
    final: int = 0

    @property
    def percent(self) -> int:
        return round(100 * self.filled / self.total) if self.total else 0

    @property
    def submitted(self) -> int:
        return self.total - self.unsent


@dataclass
class OpdRow:
    kind: OpdKind | None
    opds: list[Opd] = field(default_factory=list)
    progress: Progress = field(default_factory=Progress)

    @property
    def name(self) -> str:
        if self.opds:
            return ", ".join(str(o) for o in self.opds)
        return str(self.kind) if self.kind else ""


def tatanan_progress(assessment: Assessment) -> dict[int | None, Progress]:
    """{tatanan_id (None = kelembagaan): Progress} in one query."""
    rows = Response.objects.filter(assessment=assessment).values("indicator__tatanan_id").annotate(**COUNTS).order_by()
    plain: list[dict[str, Any]] = [dict(row) for row in rows]
    return {row.pop("indicator__tatanan_id"): Progress(**row) for row in plain}


def opd_progress(assessment: Assessment) -> list[OpdRow]:
    """Per responsible OPD kind: how many of its indicators are filled and sent; most unsent first.

    An indicator shared by several OPD kinds counts for each of them; indicators
    without a responsible OPD form a row of their own (kind None).
    """
    rows = (
        Response.objects.filter(assessment=assessment, indicator__kind=IndicatorKind.TATANAN)
        .values("indicator__responsible_opd_kinds")
        .annotate(**COUNTS)
        .order_by()
    )
    plain: list[dict[str, Any]] = [dict(row) for row in rows]
    by_kind: dict[int | None, Progress] = {
        row.pop("indicator__responsible_opd_kinds"): Progress(**row) for row in plain
    }
    kinds = OpdKind.objects.in_bulk([k for k in by_kind if k is not None])
    opds: dict[int, list[Opd]] = {}
    # A merged OPD holding several kinds is listed under each of them.
    held = Opd.kinds.through.objects.filter(opd__regency_id=assessment.regency_id, opdkind_id__in=list(kinds))
    for kind_id, opd in ((row.opdkind_id, row.opd) for row in held.select_related("opd").order_by("opd__name")):
        opds.setdefault(kind_id, []).append(opd)
    result = [OpdRow(kinds.get(k) if k else None, opds.get(k, []) if k else [], p) for k, p in by_kind.items()]
    result.sort(key=lambda r: (-r.progress.unsent, -r.progress.revision, r.name))
    return result


def kelembagaan_checklist(assessment: Assessment) -> list[Response]:
    return list(
        Response.objects.filter(assessment=assessment, indicator__kind=IndicatorKind.KELEMBAGAAN)
        .select_related("indicator")
        .order_by("indicator__sort_order")
    )
