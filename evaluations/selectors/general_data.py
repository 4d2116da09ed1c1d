"""Data Umum of an assessment as shown (assessment page, dossier, exports), and the kelembagaan count checks.

The FKK and Pokja indicators of the framework carry ``rules.count_per`` (kecamatan or desa_kelurahan):
one SK, work plan or budget per proposed kecamatan or desa/kelurahan. ``count_checks`` counts the
regency's FKK/Pokja bodies that hold that document against the participation list.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from evaluations.models import Assessment, Funding, Participation, Response
from forums.models import Body, BodyKind, Region, RegionLevel
from tatanan import scoring

# The regency's bodies whose pendanaan the instrument asks for, in its order.
FUNDED_BODY_KINDS: tuple[BodyKind, ...] = (BodyKind.TIM_PEMBINA, BodyKind.FORUM, BodyKind.FKK, BodyKind.POKJA)
COUNT_LEVEL = {"kecamatan": RegionLevel.DISTRICT, "desa_kelurahan": RegionLevel.VILLAGE}
COUNT_BODY = {"kecamatan": BodyKind.FKK, "desa_kelurahan": BodyKind.POKJA}
DOCUMENT_LABELS = {"sk": "SK", "rencana_kerja": "Rencana kerja", "anggaran": "Anggaran"}


@dataclass
class FundingRow:
    body_kind: str
    label: str
    apbd: Decimal | None = None
    apbdes: Decimal | None = None
    other: Decimal | None = None
    other_source: str = ""

    @property
    def total(self) -> Decimal:
        return sum((v for v in (self.apbd, self.apbdes, self.other) if v is not None), start=Decimal(0))

    @property
    def is_empty(self) -> bool:
        return self.apbd is None and self.apbdes is None and self.other is None


@dataclass
class GeneralData:
    assessment: Assessment
    districts: list[Region]
    villages: list[Region]
    district_total: int
    village_total: int
    fundings: list[FundingRow]
    odf_percent: Decimal

    @property
    def funding_total(self) -> Decimal:
        return sum((row.total for row in self.fundings), start=Decimal(0))


def districts_of(regency: Region) -> QuerySet[Region]:
    """The loaded kecamatan of ``regency``."""
    return Region.objects.filter(parent=regency, level=RegionLevel.DISTRICT)


def villages_of(regency: Region) -> QuerySet[Region]:
    """The loaded desa/kelurahan of ``regency`` (children of its kecamatan)."""
    return Region.objects.filter(parent__parent=regency, level=RegionLevel.VILLAGE)


def _odf_percent(assessment: Assessment) -> Decimal:
    return scoring.odf_percent(assessment.odf_village_count, assessment.odf_stop_babs_count)


def general_data(assessment: Assessment) -> GeneralData:
    """The Data Umum of ``assessment`` with the totals of loaded kecamatan and desa/kelurahan (3 queries)."""
    fundings = {f.body_kind: f for f in Funding.objects.filter(assessment=assessment)}
    rows = []
    for kind in FUNDED_BODY_KINDS:
        row = fundings.get(kind)
        rows.append(
            FundingRow(kind, str(kind.label))
            if row is None
            else FundingRow(kind, str(kind.label), row.apbd, row.apbdes, row.other, row.other_source)
        )
    proposed = list(
        Region.objects.filter(participations__assessment=assessment).select_related("parent").order_by("code")
    )
    regency = assessment.regency_id
    totals = Region.objects.filter(
        Q(parent_id=regency, level=RegionLevel.DISTRICT) | Q(parent__parent_id=regency, level=RegionLevel.VILLAGE)
    ).aggregate(
        districts=Count("pk", filter=Q(level=RegionLevel.DISTRICT)),
        villages=Count("pk", filter=Q(level=RegionLevel.VILLAGE)),
    )
    return GeneralData(
        assessment=assessment,
        districts=[r for r in proposed if r.level == RegionLevel.DISTRICT],
        villages=[r for r in proposed if r.level == RegionLevel.VILLAGE],
        district_total=totals["districts"],
        village_total=totals["villages"],
        fundings=rows,
        odf_percent=_odf_percent(assessment),
    )


def participation_ids(assessment: Assessment) -> set[int]:
    return set(Participation.objects.filter(assessment=assessment).values_list("region_id", flat=True))


# --- kelembagaan count checks ---------------------------------------------------------------


@dataclass
class CountCheck:
    """ "SK: 12 dari 15 kecamatan yang diusulkan" for one FKK/Pokja indicator."""

    document: str
    count_per: str
    proposed: int
    counted: int
    missing: list[Region] = field(default_factory=list)
    short_count_scores: int | None = None

    @property
    def is_short(self) -> bool:
        return self.counted < self.proposed

    @property
    def summary(self) -> str:
        params = {
            "document": _(DOCUMENT_LABELS.get(self.document, self.document)),
            "counted": self.counted,
            "proposed": self.proposed,
        }
        if self.count_per == "kecamatan":
            return _("%(document)s: %(counted)s dari %(proposed)s kecamatan yang diusulkan") % params
        return _("%(document)s: %(counted)s dari %(proposed)s desa/kelurahan yang diusulkan") % params


def _has_document(body: Body, document: str, rules: dict, data_year: int) -> bool:
    if document == "sk":
        if not body.sk_number or body.sk_date is None:  # a draft SK has neither
            return False
        through = rules.get("valid_through_year", data_year)
        return body.sk_valid_until is None or body.sk_valid_until >= datetime.date(through, 12, 31)
    if document == "rencana_kerja":
        return bool(body.work_plan.strip())
    if document == "anggaran":
        return body.budget_amount is not None
    return False


def count_checks(assessment: Assessment, responses: list[Response]) -> dict[int, CountCheck]:
    """{response pk: CountCheck} for the responses whose indicator counts per kecamatan or desa (2 queries)."""
    counted = [r for r in responses if r.indicator.rules.get("count_per") in COUNT_LEVEL]
    if not counted:
        return {}
    proposed = list(Region.objects.filter(participations__assessment=assessment).order_by("code"))
    bodies = list(
        Body.objects.filter(
            scope_region_id=assessment.regency_id,
            kind__in=list(COUNT_BODY.values()),
            region_id__in=[r.pk for r in proposed],
        )
    )
    result = {}
    for response in counted:
        rules = response.indicator.rules
        count_per = rules["count_per"]
        level, kind = COUNT_LEVEL[count_per], COUNT_BODY[count_per]
        regions = [r for r in proposed if r.level == level]
        holding = {
            b.region_id
            for b in bodies
            if b.kind == kind and _has_document(b, rules.get("document", ""), rules, assessment.cycle.data_year)
        }
        result[response.pk] = CountCheck(
            document=rules.get("document", ""),
            count_per=count_per,
            proposed=len(regions),
            counted=sum(r.pk in holding for r in regions),
            missing=[r for r in regions if r.pk not in holding],
            short_count_scores=rules.get("short_count_scores"),
        )
    return result
