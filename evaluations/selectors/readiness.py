"""Readiness tables: every regency x tatanan of a province, and every province of the nation.

Each table costs a fixed number of queries whatever the number of regencies:
regions, assessments, tatanan, the indicator counts and one aggregate of the
responses (``scores.scores_for_assessments`` for the basis on display: the one
score path, with the review states in the same pass). The finished rows are cached under a fingerprint of what
they read (``readiness_cache``: one query on a hit). Sorting and filtering happen in Python on the finished rows
(at most a few hundred).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from evaluations.models import Assessment, AssessmentStatus, Cycle
from evaluations.selectors.readiness_cache import cached_rows
from evaluations.selectors.scores import BASES, scores_for_assessments
from forums.models import Region
from tatanan.models import Tatanan
from tatanan.scoring import DEFAULT_POLICY, LEVEL_ORDER, Level, quantize

BASIS_LABELS = {"self": _("Nilai mandiri"), "verified": _("Terverifikasi"), "forecast": _("Perkiraan")}
LEVEL_LABELS = {
    Level.NONE: _("Belum memenuhi"),
    Level.PADAPA: _("Padapa"),
    Level.WIWERDA: _("Wiwerda"),
    Level.WISTARA: _("Wistara"),
    Level.PARIPURNA: _("Wistara Paripurna"),
}
NO_ASSESSMENT = "none"
SORT_KEYS = ("kode", "nama", "terisi", "skor", "odf", "tingkat", "status", "perbaikan")
HEAT_FLOOR = Decimal(50)
HEAT_BANDS = (HEAT_FLOOR, *sorted(r.min_score for r in DEFAULT_POLICY.rules))


def heat(percent: Decimal | None) -> int | None:
    """Heat-map class 0..4: below 50, below the first level band, then one class per level band."""
    if percent is None:
        return None
    return sum(1 for b in HEAT_BANDS if percent >= b)


@dataclass(frozen=True)
class ReviewCounts:
    draft: int = 0
    waiting: int = 0
    revision: int = 0
    accepted: int = 0

    def __add__(self, other: ReviewCounts) -> ReviewCounts:
        return ReviewCounts(*(a + b for a, b in zip(self.astuple(), other.astuple(), strict=True)))

    def astuple(self) -> tuple[int, int, int, int]:
        return (self.draft, self.waiting, self.revision, self.accepted)

    @classmethod
    def total(cls, counts: Iterable[ReviewCounts]) -> ReviewCounts:
        """The sum of many (one pass per state instead of one object per addition)."""
        rows = [(c.draft, c.waiting, c.revision, c.accepted) for c in counts]
        return cls(*map(sum, zip(*rows, strict=True))) if rows else cls()


@dataclass(frozen=True)
class Cell:
    tatanan: Tatanan
    filled: int
    total: int
    percent: Decimal | None
    review: ReviewCounts = field(default_factory=ReviewCounts)

    @property
    def heat(self) -> int | None:
        return heat(self.percent)

    @property
    def fill_percent(self) -> Decimal:
        return quantize(Decimal(self.filled) * 100 / self.total) if self.total else Decimal(0)


@dataclass(frozen=True)
class RegencyRow:
    region: Region
    assessment: Assessment | None
    cells: list[Cell]
    filled: int
    total: int
    score: Decimal | None
    odf: Decimal | None
    level: Level | None
    review: ReviewCounts

    @property
    def fill_percent(self) -> Decimal:
        return quantize(Decimal(self.filled) * 100 / self.total) if self.total else Decimal(0)

    @property
    def heat(self) -> int | None:
        return heat(self.score)

    @property
    def level_label(self) -> str:
        return str(LEVEL_LABELS[self.level]) if self.level is not None else ""

    @property
    def status_value(self) -> str:
        return self.assessment.status if self.assessment else NO_ASSESSMENT

    @property
    def status_label(self) -> str:
        return self.assessment.get_status_display() if self.assessment else str(_("Belum ada penilaian"))


@dataclass(frozen=True)
class ProvinceRow(RegencyRow):
    regencies: int = 0
    assessed: int = 0
    levels: dict = field(default_factory=dict)  # Level -> number of regencies forecast at it

    @property
    def level_counts(self) -> list[tuple[str, int]]:
        return [(str(LEVEL_LABELS[lv]), n) for lv, n in self.levels.items()]


@dataclass(frozen=True)
class Filters:
    level: str = ""  # a Level value
    status: str = ""  # an AssessmentStatus value or "none"
    q: str = ""
    revision_only: bool = False


@dataclass(frozen=True)
class ReadinessTable:
    cycle: Cycle
    province: Region | None
    tatanan: list[Tatanan]
    rows: list
    basis: str
    sort: str
    total_rows: int
    version: str  # of the rows (readiness_cache): keys the rendered table's and the files' caches

    @property
    def basis_label(self) -> str:
        return str(BASIS_LABELS[self.basis])


def report_cycles() -> QuerySet[Cycle]:
    """Cycles a report may show: opened ones only, newest first (a draft cycle is never a report's default)."""
    return (
        Cycle.objects.filter(opened_at__isnull=False)
        .select_related("framework")
        .order_by("-year", "-opened_at", "-created_at", "-pk")
    )


def default_cycle() -> Cycle | None:
    return report_cycles().first()


def _regency_rows(
    cycle: Cycle, regions: list[Region], basis: str, *, province: Region | None = None
) -> tuple[list[Tatanan], list[RegencyRow]]:
    tatanan = list(Tatanan.objects.filter(framework_id=cycle.framework_id).order_by("number"))
    found = Assessment.objects.filter(cycle=cycle).order_by()  # keyed by regency below: no ordering joins
    if province is not None:
        found = found.filter(regency__parent=province)
    assessments = {a.regency_id: a for a in found}
    for a in assessments.values():
        a.cycle = cycle  # one object for all, not one loaded per row
    scores = scores_for_assessments(assessments.values(), bases=[basis], tatanan=tatanan)
    tatanan_ids = [t.pk for t in tatanan]
    none = ReviewCounts()
    rows = []
    for region in regions:
        assessment = assessments.get(region.pk)
        if assessment is None:
            cells = [Cell(t, 0, 0, None) for t in tatanan]
            rows.append(RegencyRow(region, None, cells, 0, 0, None, None, None, none))
            continue
        s = scores[assessment.pk]
        review = {key: ReviewCounts(*counts) for key, counts in s.review.items()}
        cells, filled, total = [], s.kelembagaan_filled, s.kelembagaan_total
        for tr, pk in zip(s.tatanan, tatanan_ids, strict=True):
            cells.append(Cell(tr.tatanan, tr.filled, tr.total, tr.scores[basis].percent, review.get(pk, none)))
            filled += tr.filled
            total += tr.total
        rows.append(
            RegencyRow(
                region,
                assessment,
                cells,
                filled=filled,
                total=total,
                score=s.score(basis),
                odf=s.odf_percent,
                level=s.level(basis),
                review=ReviewCounts(*map(sum, zip(*s.review.values(), strict=True))) if s.review else none,
            )
        )
    return tatanan, rows


def _matches(row: RegencyRow, filters: Filters) -> bool:
    if filters.q and filters.q.casefold() not in row.region.name.casefold():
        return False
    if filters.level and (row.level is None or row.level.value != filters.level):
        return False
    if filters.status and row.status_value != filters.status:
        return False
    return not (filters.revision_only and row.review.revision == 0)


def _sort_key(key: str, tatanan_numbers: dict[str, int]) -> Callable[[RegencyRow], Any]:
    low = Decimal(-1)
    level_rank = {lv: i for i, lv in enumerate(LEVEL_ORDER)}
    status_rank = {NO_ASSESSMENT: -1, **{s: i for i, s in enumerate(AssessmentStatus.values)}}
    if key in tatanan_numbers:
        index = tatanan_numbers[key]
        return lambda r: (r.cells[index].percent if r.cells[index].percent is not None else low, r.region.code)
    simple = {
        "kode": lambda r: r.region.code,
        "nama": lambda r: (r.region.name.casefold(), r.region.code),
        "terisi": lambda r: (r.fill_percent, r.region.code),
        "skor": lambda r: (r.score if r.score is not None else low, r.region.code),
        "odf": lambda r: (r.odf if r.odf is not None else low, r.region.code),
        "tingkat": lambda r: (_level_rank(r, level_rank), r.score or low, r.region.code),
        "status": lambda r: (status_rank.get(r.status_value, -1), r.region.code),
        "perbaikan": lambda r: (r.review.revision, r.region.code),
    }
    return simple.get(key, simple["kode"])


def _level_rank(row: RegencyRow, ranks: dict[Level, int]) -> int:
    if isinstance(row, ProvinceRow):  # provinces: how many regencies reach any level
        return sum(n for lv, n in row.levels.items() if lv != Level.NONE)
    return ranks.get(row.level, -1) if row.level is not None else -1


def sort_keys(tatanan: list[Tatanan]) -> list[str]:
    return [*SORT_KEYS, *(f"t{t.number}" for t in tatanan)]


def _finish(
    rows: Sequence[RegencyRow], *, tatanan: list[Tatanan], sort: str, filters: Filters
) -> tuple[list[RegencyRow], str]:
    key = sort.lstrip("-")
    numbers = {f"t{t.number}": i for i, t in enumerate(tatanan)}
    if key not in SORT_KEYS and key not in numbers:
        sort, key = "kode", "kode"
    visible = [r for r in rows if _matches(r, filters)]
    visible.sort(key=_sort_key(key, numbers), reverse=sort.startswith("-"))
    return visible, sort


def _check_basis(basis: str) -> str:
    return basis if basis in BASES else "forecast"


def province_readiness(
    *, province: Region, cycle: Cycle, basis: str = "forecast", sort: str = "kode", filters: Filters | None = None
) -> ReadinessTable:
    """Every kabupaten/kota of ``province`` with its scores per tatanan in ``cycle``."""
    basis = _check_basis(basis)

    def compute() -> tuple[list[Tatanan], list[RegencyRow]]:
        regions = list(Region.objects.regencies().filter(parent=province).order_by("code"))
        return _regency_rows(cycle, regions, basis, province=province)

    (tatanan, rows), version = cached_rows(cycle=cycle, scope=str(province.pk), basis=basis, compute=compute)
    visible, sort = _finish(rows, tatanan=tatanan, sort=sort, filters=filters or Filters())
    return ReadinessTable(cycle, province, tatanan, visible, basis, sort, total_rows=len(rows), version=version)


def _mean(values: Iterable[Decimal | None]) -> Decimal | None:
    present = [v for v in values if v is not None]
    return quantize(sum(present, Decimal(0)) / len(present)) if present else None


def _aggregate(province: Region, members: list[RegencyRow], tatanan: list[Tatanan]) -> ProvinceRow:
    assessed = [r for r in members if r.assessment is not None]
    cells = []
    for i, t in enumerate(tatanan):
        parts = [r.cells[i] for r in assessed]
        cells.append(
            Cell(
                t,
                sum(c.filled for c in parts),
                sum(c.total for c in parts),
                _mean(c.percent for c in parts),
                ReviewCounts.total(c.review for c in parts),
            )
        )
    levels = {lv: sum(1 for r in assessed if r.level == lv) for lv in LEVEL_LABELS}
    return ProvinceRow(
        province,
        None,
        cells,
        filled=sum(r.filled for r in assessed),
        total=sum(r.total for r in assessed),
        score=_mean(r.score for r in assessed),
        odf=_mean(r.odf for r in assessed),
        level=None,
        review=ReviewCounts.total(r.review for r in assessed),
        regencies=len(members),
        assessed=len(assessed),
        levels=levels,
    )


def national_readiness(
    *, cycle: Cycle, basis: str = "forecast", sort: str = "kode", filters: Filters | None = None
) -> ReadinessTable:
    """Every province, aggregating its kabupaten/kota (means of scores, sums of counts)."""
    basis = _check_basis(basis)

    def compute() -> tuple[list[Tatanan], list[ProvinceRow]]:
        provinces = list(Region.objects.provinces().order_by("code"))
        regions = list(Region.objects.regencies().order_by("code"))
        tatanan, regency_rows = _regency_rows(cycle, regions, basis)
        by_province = defaultdict(list)
        for row in regency_rows:
            by_province[row.region.parent_id].append(row)
        return tatanan, [_aggregate(p, by_province.get(p.pk, []), tatanan) for p in provinces]

    (tatanan, rows), version = cached_rows(cycle=cycle, scope="national", basis=basis, compute=compute)
    filters = filters or Filters()
    # Level and status filters describe a regency, not a province.
    visible, sort = _finish(
        rows, tatanan=tatanan, sort=sort, filters=Filters(q=filters.q, revision_only=filters.revision_only)
    )
    return ReadinessTable(cycle, None, tatanan, visible, basis, sort, total_rows=len(rows), version=version)
