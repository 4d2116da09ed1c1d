"""Assessments: opening one per regency and cycle, and its general data (ODF figures, narrative)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from evaluations.models import Assessment, AssessmentStatus, Cycle, Response, ResponseStatus, Stage
from forums.models import Region, User
from forums.permissions import can_edit_assessment, can_manage_cycle
from kks.audit import recorded_by

from .cycles import SELF_ASSESSMENT, require_window
from .errors import WorkflowError, require_lengths
from .library import documents_carry
from .summary import readiness_summary_refresh

GENERAL_FIELDS = ("odf_kecamatan_count", "odf_village_count", "odf_stop_babs_count", "narrative")


def _mark_opened(cycle: Cycle) -> None:
    """Record the first opening of ``cycle`` (a fact from then on: it may be a report's default)."""
    if cycle.opened_at is None:
        cycle.opened_at = timezone.now()
        Cycle.objects.filter(pk=cycle.pk, opened_at__isnull=True).update(opened_at=cycle.opened_at)


@transaction.atomic
def assessment_create(*, cycle: Cycle, regency: Region, actor: User) -> Assessment:
    """The assessment of ``regency`` in ``cycle`` with one draft response per indicator (idempotent)."""
    if not can_manage_cycle(actor):
        raise PermissionDenied
    assessment = Assessment.objects.filter(cycle=cycle, regency=regency).first()
    created = assessment is None
    if assessment is None:
        assessment = recorded_by(Assessment(cycle=cycle, regency=regency), actor)
        assessment.save()
    _mark_opened(cycle)
    existing = set(assessment.responses.values_list("indicator_id", flat=True))
    bulk_create_with_history(
        [
            Response(assessment=assessment, indicator_id=pk)
            for pk in cycle.framework.indicators.values_list("pk", flat=True)
            if pk not in existing
        ],
        Response,
        default_user=actor,
    )
    if created:
        documents_carry(assessments=[assessment], actor=actor)
    return assessment


@transaction.atomic
def assessments_open(*, cycle: Cycle, regencies: QuerySet[Region], actor: User) -> tuple[int, int]:
    """Open ``cycle`` for many regencies at once: an assessment and a draft response per indicator.

    Idempotent (existing rows are kept as they are); the first opening is recorded in ``cycle.opened_at``.
    Returns (assessments created, responses created).
    """
    if not can_manage_cycle(actor):
        raise PermissionDenied
    regency_ids = list(regencies.values_list("pk", flat=True))
    if regency_ids:
        _mark_opened(cycle)
    existing = set(
        Assessment.objects.filter(cycle=cycle, regency_id__in=regency_ids).values_list("regency_id", flat=True)
    )
    bulk_create_with_history(
        [Assessment(cycle=cycle, regency_id=pk) for pk in regency_ids if pk not in existing],
        Assessment,
        batch_size=1000,
        default_user=actor,
    )
    assessment_ids = list(
        Assessment.objects.filter(cycle=cycle, regency_id__in=regency_ids).values_list("pk", flat=True)
    )
    indicator_ids = list(cycle.framework.indicators.values_list("pk", flat=True))
    before = Response.objects.filter(assessment_id__in=assessment_ids).count()
    last_pk = Response.objects.aggregate(last=Max("pk"))["last"] or 0
    Response.objects.bulk_create(
        (Response(assessment_id=a, indicator_id=i) for a in assessment_ids for i in indicator_ids),
        batch_size=5000,
        ignore_conflicts=True,
    )
    # ignore_conflicts returns no primary keys: the new rows are those past the last one before.
    created = Response.objects.filter(assessment_id__in=assessment_ids, pk__gt=last_pk).order_by("pk")
    Response.audit.bulk_history_create(list(created), batch_size=5000, default_user=actor)
    after = Response.objects.filter(assessment_id__in=assessment_ids).count()
    readiness_summary_refresh(assessment_ids=assessment_ids)
    # Still-valid library documents follow each regency into its new assessment.
    documents_carry(
        assessments=Assessment.objects.filter(cycle=cycle, regency_id__in=regency_ids)
        .exclude(regency_id__in=existing)
        .select_related("cycle"),
        actor=actor,
    )
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
    require_lengths(assessment, ["narrative"] if "narrative" in values else [])
    recorded_by(assessment, actor).save(update_fields=[*values, "updated_at"])
    return assessment


def assessment_sync_status(*, assessment: Assessment, actor: User | None = None) -> Assessment:
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
        # Saved from a fresh copy (not the caller's, which may be stale) so the history row is true.
        fresh = Assessment.objects.select_for_update().get(pk=assessment.pk)
        fresh.status = status
        recorded_by(fresh, actor).save(update_fields=["status", "updated_at"])
        assessment.status = status
    return assessment
