"""The responsible-OPD page: each indicator of an assessment with the OPD that fill it by default and by choice."""

from __future__ import annotations

from dataclasses import dataclass, field

from evaluations.models import Assessment, IndicatorAssignment, Response
from forums.models import Opd, OpdKind
from tatanan.models import Indicator


@dataclass
class AssignmentRow:
    indicator: Indicator
    kinds: list[OpdKind]
    default_opds: list[Opd]  # the regency's OPD holding one of the indicator's kinds
    assigned: Opd | None
    group: str = field(default="")


def regency_opds(assessment: Assessment) -> list[Opd]:
    return list(Opd.objects.filter(regency_id=assessment.regency_id).prefetch_related("kinds").order_by("name"))


def assignment_rows(*, assessment: Assessment, opds: list[Opd], kelembagaan_label: str) -> list[AssignmentRow]:
    """Every indicator of the assessment in framework order (three queries besides ``opds``)."""
    responses = (
        Response.objects.filter(assessment=assessment)
        .select_related("indicator__tatanan")
        .prefetch_related("indicator__responsible_opd_kinds")
        .order_by("indicator__sort_order", "pk")
    )
    assigned = {
        a.indicator_id: a.opd for a in IndicatorAssignment.objects.filter(assessment=assessment).select_related("opd")
    }
    by_kind: dict[int, list[Opd]] = {}
    for opd in opds:
        for kind in opd.kinds.all():
            by_kind.setdefault(kind.pk, []).append(opd)
    rows = []
    for response in responses:
        indicator = response.indicator
        kinds = list(indicator.responsible_opd_kinds.all())
        default = sorted({o.pk: o for k in kinds for o in by_kind.get(k.pk, [])}.values(), key=lambda o: o.name)
        group = indicator.tatanan.name if indicator.tatanan is not None else kelembagaan_label
        rows.append(AssignmentRow(indicator, kinds, default, assigned.get(indicator.pk), group))
    return rows
