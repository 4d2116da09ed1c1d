"""Award rules and official results: the cycle's award policy, a regency's official result, and the Wistara
Paripurna conditions recorded on an assessment.

The policy is validated by the pure ``tatanan.scoring.ScoringPolicy`` itself (one definition of a consistent
policy); its refusals are turned into Indonesian messages on the field concerned. Every change is recorded in the
history of the object with who made it and, for the policy, why.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from evaluations.choices import AwardBasis, AwardLevel
from evaluations.models import Assessment, Cycle, OfficialResult
from evaluations.selectors.award import LEVEL_NAMES, POLICY_FIELDS, policy_from_values
from forums.models import Region, RegionLevel, User
from forums.permissions import can_edit_paripurna_data, can_manage_cycle, can_record_official_result
from kks import textlimits
from kks.audit import recorded_by
from tatanan.scoring import MAX_STREAK, ScoringError

from .cycles import SELF_ASSESSMENT, require_window
from .errors import require_lengths

PARIPURNA_FIELDS = ("ip_spm_met", "ip_spm_note", "innovation_adopted", "innovation_note")
DECREE_MAX = 200


def _policy_error(error: ScoringError) -> ValidationError:
    """The refusal of ScoringPolicy as a form error on the field it concerns."""
    level = error.level
    name = str(LEVEL_NAMES.get(level, "")) if level else ""
    prefix = level.value if level else ""
    if error.code == "range":
        return ValidationError({f"{prefix}_min_score": _("Ambang %(level)s harus antara 0 dan 100.") % {"level": name}})
    if error.code in ("order", "score_order"):
        return ValidationError(
            {
                f"{prefix}_min_score": _("Nilai minimal %(level)s harus lebih tinggi dari tingkat di bawahnya.")
                % {"level": name}
            }
        )
    if error.code == "odf_order":
        return ValidationError(
            {
                f"{prefix}_min_odf": _("ODF minimal %(level)s tidak boleh lebih rendah dari tingkat di bawahnya.")
                % {"level": name}
            }
        )
    if error.code == "streak":
        return ValidationError(
            {"paripurna_streak": _("Jumlah Wistara berturut-turut antara 1 dan %(max)s.") % {"max": MAX_STREAK}}
        )
    if error.code == "basis":
        return ValidationError({"award_band_basis": _("Dasar penilaian tidak dikenal.")})
    return ValidationError(_("Aturan penghargaan tidak konsisten."))


@transaction.atomic
def cycle_award_policy_update(*, cycle: Cycle, actor: User, reason: str, **values: Any) -> Cycle:
    """Change the award rules of ``cycle`` (any time: the Juknis may come after the opening), with a reason.

    ``values`` are fields of POLICY_FIELDS; the resulting policy must be consistent (ScoringPolicy decides).
    """
    if not can_manage_cycle(actor):
        raise PermissionDenied
    unknown = set(values) - set(POLICY_FIELDS)
    if unknown:
        raise TypeError(f"unknown award policy fields: {sorted(unknown)}")
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Tuliskan alasan perubahan aturan penghargaan.")})
    locked = Cycle.objects.select_for_update().get(pk=cycle.pk)
    merged = {field: getattr(locked, field) for field in POLICY_FIELDS} | values
    if merged["award_band_basis"] not in AwardBasis.values:
        raise ValidationError({"award_band_basis": _("Dasar penilaian tidak dikenal.")})
    try:
        policy_from_values(merged)
    except ScoringError as error:
        raise _policy_error(error) from None
    changed = [field for field in POLICY_FIELDS if merged[field] != getattr(locked, field)]
    if not changed:
        raise ValidationError(_("Aturan penghargaan sama dengan yang sekarang; tidak ada yang diubah."))
    for field in changed:
        value = merged[field]
        setattr(locked, field, Decimal(value) if field.endswith(("_min_score", "_min_odf")) else value)
    recorded_by(locked, actor, reason.strip()[:2000]).save(update_fields=changed)
    for field in POLICY_FIELDS:
        setattr(cycle, field, getattr(locked, field))
    return locked


@transaction.atomic
def official_result_record(
    *,
    cycle: Cycle,
    regency: Region,
    level: str,
    awarded_on: datetime.date,
    decree: str,
    actor: User,
) -> OfficialResult:
    """Record (or correct) the official result of ``regency`` in ``cycle``; the history keeps earlier versions."""
    if not can_record_official_result(actor):
        raise PermissionDenied
    errors: dict[str, str] = {}
    if regency.level != RegionLevel.REGENCY:
        errors["regency"] = _("Hasil resmi dicatat untuk kabupaten/kota.")
    if level not in AwardLevel.values:
        errors["level"] = _("Tingkat penghargaan tidak dikenal.")
    decree = (decree or "").strip()
    if not decree:
        errors["decree"] = _("Tuliskan nomor SK penetapan.")
    elif len(decree) > DECREE_MAX:
        errors["decree"] = textlimits.too_long_message(_("nomor SK"), len(decree), DECREE_MAX)
    if awarded_on > timezone.localdate():
        errors["awarded_on"] = _("Tanggal penetapan tidak boleh di masa depan.")
    if errors:
        raise ValidationError(errors)
    result = OfficialResult.objects.select_for_update().filter(cycle=cycle, regency=regency).first()
    if result is None:
        result = OfficialResult(cycle=cycle, regency=regency)
    result.level, result.awarded_on, result.decree, result.recorded_by = level, awarded_on, decree, actor
    recorded_by(result, actor).save()
    return result


@transaction.atomic
def assessment_update_paripurna(
    *,
    assessment: Assessment,
    ip_spm_met: bool,
    ip_spm_note: str,
    innovation_adopted: bool,
    innovation_note: str,
    actor: User,
) -> Assessment:
    """Record IP-SPM and the adopted innovation (conditions of Wistara Paripurna), in the self-assessment window."""
    if not can_edit_paripurna_data(actor, assessment):
        raise PermissionDenied
    require_window(assessment.cycle, SELF_ASSESSMENT)
    assessment.ip_spm_met = ip_spm_met
    assessment.ip_spm_note = (ip_spm_note or "").strip()
    assessment.innovation_adopted = innovation_adopted
    assessment.innovation_note = (innovation_note or "").strip()
    require_lengths(assessment, ["ip_spm_note", "innovation_note"])
    recorded_by(assessment, actor).save(update_fields=[*PARIPURNA_FIELDS, "updated_at"])
    return assessment


__all__ = [
    "PARIPURNA_FIELDS",
    "assessment_update_paripurna",
    "cycle_award_policy_update",
    "official_result_record",
]
