"""Reads for the programme pages: cycles with their status and counts, the scope of an opening and its preview."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from evaluations.models import Assessment, Cycle, Response
from evaluations.services.cycles import WindowState, window_states
from forums.models import Region

DRAFT, RUNNING, FINISHED = "draft", "running", "finished"
STATUS_LABELS = {DRAFT: _("Draf (belum dibuka)"), RUNNING: _("Dibuka"), FINISHED: _("Selesai")}
PREVIEW_NAMES = 30  # regencies named on the preview page; the rest are counted


def cycle_status(cycle: Cycle, *, now: datetime.datetime | None = None) -> str:
    if cycle.opened_at is None:
        return DRAFT
    return FINISHED if (now or timezone.now()) > cycle.national_closes else RUNNING


UPCOMING, OPEN, CLOSED = "upcoming", "open", "closed"
PHASE_LABELS = {UPCOMING: _("Belum dibuka"), OPEN: _("Dibuka"), CLOSED: _("Ditutup")}


@dataclass(frozen=True)
class WindowPhase:
    window: WindowState
    phase: str

    @property
    def label(self) -> str:
        return str(PHASE_LABELS[self.phase])


def window_phases(cycle: Cycle, *, now: datetime.datetime | None = None) -> list[WindowPhase]:
    """Each window of ``cycle`` with whether it is still to come, open now, or over."""
    now = now or timezone.now()
    phases = []
    for state in window_states(cycle, now=now):
        phase = OPEN if state.is_open else (UPCOMING if now < state.opens else CLOSED)
        phases.append(WindowPhase(state, phase))
    return phases


def cycle_list() -> QuerySet[Cycle]:
    """Every cycle, newest first, with how many kabupaten/kota and provinces it is open for."""
    return (
        Cycle.objects.select_related("framework")
        .annotate(
            n_assessments=Count("assessments", distinct=True),
            n_provinces=Count("assessments__regency__parent", distinct=True),
        )
        .order_by("-year", "-created_at", "-pk")
    )


def cycle_detail(pk: int) -> Cycle:
    return cycle_list().get(pk=pk)


def cycle_province_counts(cycle: Cycle) -> list[dict]:
    """Per province: the kabupaten/kota open in this cycle, out of all of them."""
    open_by_province = dict(
        Assessment.objects.filter(cycle=cycle)
        .values_list("regency__parent_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("regency__parent_id", "n")
    )
    rows = []
    for province in Region.objects.provinces().annotate(n_regencies=Count("children")).order_by("code"):
        opened = open_by_province.get(province.pk, 0)
        if opened:
            rows.append({"province": province, "open": opened, "total": province.n_regencies})
    return rows


CODE_SPLIT = re.compile(r"[\s,;]+")


def parse_codes(text: str) -> list[str]:
    """Kemendagri codes typed or pasted by a person: separated by spaces, commas, semicolons or new lines."""
    seen: dict[str, None] = {}
    for code in CODE_SPLIT.split(text or ""):
        if code:
            seen.setdefault(code.strip(), None)
    return list(seen)


def regencies_by_codes(codes: list[str]) -> tuple[QuerySet[Region], list[str]]:
    """The kabupaten/kota with these codes, and the codes that name none."""
    regencies = Region.objects.regencies().filter(code__in=codes)
    known = set(regencies.values_list("code", flat=True))
    return regencies, [c for c in codes if c not in known]


@dataclass(frozen=True)
class OpenPreview:
    """What opening a cycle for a scope would do, counted without writing anything."""

    in_scope: int
    already_open: int
    assessments_to_create: int
    responses_to_create: int
    indicators: int
    names: list[str] = field(default_factory=list)

    @property
    def more_names(self) -> int:
        return max(0, self.in_scope - len(self.names))


def scope_ids(regencies: QuerySet[Region]) -> list[int]:
    """The ids of the kabupaten/kota among ``regencies`` (read once, so later queries stay plain)."""
    return list(Region.objects.regencies().filter(pk__in=regencies.values("pk")).values_list("pk", flat=True))


def open_preview(*, cycle: Cycle, regencies: QuerySet[Region]) -> OpenPreview:
    ids = scope_ids(regencies)
    already = Assessment.objects.filter(cycle=cycle, regency_id__in=ids).count()
    indicators = cycle.framework.indicators.count()
    responses = Response.objects.filter(assessment__cycle=cycle, assessment__regency_id__in=ids).count()
    names = list(Region.objects.filter(pk__in=ids).order_by("code").values_list("name", flat=True)[:PREVIEW_NAMES])
    return OpenPreview(
        in_scope=len(ids),
        already_open=already,
        assessments_to_create=len(ids) - already,
        responses_to_create=max(0, len(ids) * indicators - responses),
        indicators=indicators,
        names=names,
    )
