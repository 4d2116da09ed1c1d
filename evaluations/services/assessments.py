"""Assessments: opening one per regency and cycle, and its general data (ODF figures, narrative)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from evaluations.models import Assessment, AssessmentStatus, Cycle, Response, ResponseStatus, Stage
from forums.models import Region, User
from forums.permissions import can_edit_assessment, can_manage_cycle

from .cycles import SELF_ASSESSMENT, require_window
from .errors import WorkflowError

GENERAL_FIELDS = ("odf_kecamatan_count", "odf_village_count", "odf_stop_babs_count", "narrative")


@transaction.atomic
def assessment_create(*, cycle: Cycle, regency: Region, actor: User) -> Assessment:
    """The assessment of ``regency`` in ``cycle`` with one draft response per indicator (idempotent)."""
    if not can_manage_cycle(actor):
        raise PermissionDenied
    assessment, _created = Assessment.objects.get_or_create(cycle=cycle, regency=regency)
    existing = set(assessment.responses.values_list("indicator_id", flat=True))
    Response.objects.bulk_create(
        Response(assessment=assessment, indicator_id=pk)
        for pk in cycle.framework.indicators.values_list("pk", flat=True)
        if pk not in existing
    )
    return assessment


@transaction.atomic
def assessments_open(*, cycle: Cycle, regencies: QuerySet[Region], actor: User) -> tuple[int, int]:
    """Open ``cycle`` for many regencies at once: an assessment and a draft response per indicator.

    Idempotent (existing rows are kept as they are). Returns (assessments created, responses created).
    """
    if not can_manage_cycle(actor):
        raise PermissionDenied
    regency_ids = list(regencies.values_list("pk", flat=True))
    existing = set(
        Assessment.objects.filter(cycle=cycle, regency_id__in=regency_ids).values_list("regency_id", flat=True)
    )
    Assessment.objects.bulk_create(
        [Assessment(cycle=cycle, regency_id=pk) for pk in regency_ids if pk not in existing], batch_size=1000
    )
    assessment_ids = list(
        Assessment.objects.filter(cycle=cycle, regency_id__in=regency_ids).values_list("pk", flat=True)
    )
    indicator_ids = list(cycle.framework.indicators.values_list("pk", flat=True))
    before = Response.objects.filter(assessment_id__in=assessment_ids).count()
    Response.objects.bulk_create(
        (Response(assessment_id=a, indicator_id=i) for a in assessment_ids for i in indicator_ids),
        batch_size=5000,
        ignore_conflicts=True,
    )
    after = Response.objects.filter(assessment_id__in=assessment_ids).count()
    return len(regency_ids) - len(existing), after - before


@transaction.atomic
def assessment_update_general(*, assessment: Assessment, data: dict, actor: User) -> Assessment:
    """Save the ODF figures and the general narrative (forum coordinator, self-assessment window)."""
    if not can_edit_assessment(actor, assessment):
        raise PermissionDenied
    require_window(assessment.cycle, SELF_ASSESSMENT)
    values = {f: data[f] for f in GENERAL_FIELDS if f in data}
    villages = values.get("odf_village_count", assessment.odf_village_count)
    stop_babs = values.get("odf_stop_babs_count", assessment.odf_stop_babs_count)
    if stop_babs > villages:
        raise WorkflowError(_("Jumlah desa/kelurahan stop BABS tidak boleh melebihi jumlah desa/kelurahan."))
    for field, value in values.items():
        setattr(assessment, field, value)
    assessment.save(update_fields=[*values, "updated_at"])
    return assessment


def assessment_sync_status(*, assessment: Assessment) -> Assessment:
    """Move the assessment's overall status along with its least advanced response.

    In progress while any response is at the kabupaten stage, provincial while
    any is at the provincial stage, national until every response is accepted
    at the national stage, then done.
    """
    rows = Response.objects.filter(assessment=assessment).aggregate(
        kabupaten=Count("pk", filter=Q(stage=Stage.KABUPATEN)),
        provinsi=Count("pk", filter=Q(stage=Stage.PROVINSI)),
        open_pusat=Count("pk", filter=Q(stage=Stage.PUSAT) & ~Q(status=ResponseStatus.ACCEPTED)),
        total=Count("pk"),
    )
    if rows["total"] == 0 or rows["kabupaten"]:
        status = AssessmentStatus.IN_PROGRESS
    elif rows["provinsi"]:
        status = AssessmentStatus.PROVINCIAL
    elif rows["open_pusat"]:
        status = AssessmentStatus.NATIONAL
    else:
        status = AssessmentStatus.DONE
    if status != assessment.status:
        Assessment.objects.filter(pk=assessment.pk).update(status=status)
        assessment.status = status
    return assessment
