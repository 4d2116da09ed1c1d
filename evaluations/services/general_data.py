"""Data Umum of an assessment: the heads, the office, the kecamatan and desa/kelurahan proposed, pendanaan.

The ODF counts and the narrative stay with ``assessments.assessment_update_general``. Every change is
recorded in the history of Assessment, Participation and Funding with the actor.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from evaluations.models import Assessment, Funding, Participation
from evaluations.selectors.general_data import FUNDED_BODY_KINDS, districts_of, villages_of
from forums.models import BodyKind, Region, RegionLevel, User
from forums.permissions import can_edit_general_data
from forums.services.regions import regions_load
from kks.audit import recorded_by

from .cycles import SELF_ASSESSMENT, require_window
from .errors import WorkflowError, require_lengths

HEAD_FIELDS = ("head_name", "forum_chair_name", "office_address")


@dataclass(frozen=True)
class FundingInput:
    """What the form gives for one body kind; all empty means no row."""

    apbd: Decimal | None = None
    apbdes: Decimal | None = None
    other: Decimal | None = None
    other_source: str = ""

    @property
    def is_empty(self) -> bool:
        return self.apbd is None and self.apbdes is None and self.other is None and not self.other_source.strip()


def _checked_regions(assessment: Assessment, districts: Iterable[Region], villages: Iterable[Region]) -> set[int]:
    district_ids = {r.pk for r in districts}
    village_ids = {r.pk for r in villages}
    good_districts = set(districts_of(assessment.regency).filter(pk__in=district_ids).values_list("pk", flat=True))
    good_villages = set(villages_of(assessment.regency).filter(pk__in=village_ids).values_list("pk", flat=True))
    if good_districts != district_ids or good_villages != village_ids:
        raise WorkflowError(
            _("Kecamatan dan desa/kelurahan peserta harus berada di %(regency)s.") % {"regency": assessment.regency}
        )
    return district_ids | village_ids


def _check_funding(kind: str, value: FundingInput) -> None:
    for amount in (value.apbd, value.apbdes, value.other):
        if amount is not None and amount < 0:
            raise WorkflowError(_("Pendanaan %(body)s tidak boleh negatif.") % {"body": BodyKind(kind).label})
    if value.other is not None and value.other > 0 and not value.other_source.strip():
        raise WorkflowError(_("Sebutkan sumber lain pendanaan %(body)s.") % {"body": BodyKind(kind).label})


@transaction.atomic
def general_data_update(
    *,
    assessment: Assessment,
    actor: User,
    head_name: str,
    forum_chair_name: str,
    office_address: str,
    districts: Iterable[Region],
    villages: Iterable[Region],
    fundings: Mapping[str, FundingInput],
) -> Assessment:
    """Save the Data Umum of ``assessment`` (forum coordinator, self-assessment window).

    ``districts``/``villages`` replace the participation list (kecamatan and desa/kelurahan of the
    regency only); ``fundings`` gives the pendanaan per body kind of FUNDED_BODY_KINDS (an empty input
    removes that kind's row).
    """
    if not can_edit_general_data(actor, assessment):
        raise PermissionDenied
    require_window(assessment.cycle, SELF_ASSESSMENT)
    locked = Assessment.objects.select_for_update().select_related("regency", "cycle").get(pk=assessment.pk)
    wanted = _checked_regions(locked, districts, villages)
    unknown = set(fundings) - {str(k) for k in FUNDED_BODY_KINDS}
    if unknown:
        raise WorkflowError(_("Jenis lembaga tidak dikenal: %(kinds)s.") % {"kinds": ", ".join(sorted(unknown))})
    for kind, value in fundings.items():
        _check_funding(kind, value)

    values = {
        "head_name": head_name.strip(),
        "forum_chair_name": forum_chair_name.strip(),
        "office_address": office_address.strip(),
    }
    changed = [f for f, v in values.items() if getattr(locked, f) != v]
    for field, text in values.items():
        setattr(locked, field, text)
    require_lengths(locked, changed)
    if changed:
        recorded_by(locked, actor).save(update_fields=[*changed, "updated_at"])

    current = {p.region_id: p for p in Participation.objects.filter(assessment=locked)}
    for region_id, participation in current.items():
        if region_id not in wanted:
            recorded_by(participation, actor).delete()
    for region_id in sorted(wanted - set(current)):
        recorded_by(Participation(assessment=locked, region_id=region_id), actor).save()

    existing = {f.body_kind: f for f in Funding.objects.filter(assessment=locked)}
    for kind, value in fundings.items():
        found = existing.get(kind)
        if value.is_empty:
            if found is not None:
                recorded_by(found, actor).delete()
            continue
        row = found or Funding(assessment=locked, body_kind=kind)
        new = (value.apbd, value.apbdes, value.other, value.other_source.strip())
        if row.pk is None or (row.apbd, row.apbdes, row.other, row.other_source) != new:
            row.apbd, row.apbdes, row.other, row.other_source = new
            recorded_by(row, actor).save()
    assessment.head_name, assessment.forum_chair_name, assessment.office_address = (
        locked.head_name,
        locked.forum_chair_name,
        locked.office_address,
    )
    return locked


def general_data_load_regions(*, assessment: Assessment, actor: User) -> tuple[int, int]:
    """Load the regency's kecamatan and desa/kelurahan from the Kemendagri data shipped with the application
    (``forums.services.regions``), so that the Data Umum can list them; whoever edits the Data Umum may, no
    shell needed. Idempotent. Returns how many kecamatan and desa/kelurahan were added."""
    if not can_edit_general_data(actor, assessment):
        raise PermissionDenied
    result = regions_load(regency_codes=[assessment.regency.code], include_base=False)
    return result.created.get(RegionLevel.DISTRICT, 0), result.created.get(RegionLevel.VILLAGE, 0)
