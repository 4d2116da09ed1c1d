"""Responsible OPD: a regency gives indicators of its assessment to OPD of its own (the policy's Responsibility)."""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from evaluations.models import Assessment, IndicatorAssignment
from forums.models import Opd, User
from forums.permissions import can_assign_opds
from kks.audit import recorded_by

from .cycles import SELF_ASSESSMENT, require_window
from .errors import WorkflowError


@transaction.atomic
def indicator_assignments_set(*, assessment: Assessment, choices: Mapping[int, Opd | None], actor: User) -> int:
    """Give each indicator (by id) to an OPD of the regency, or back to the OPD of its kinds (None).

    Only the indicators named in ``choices`` change; returns how many did. The forum coordinator (or an admin),
    while the self-assessment window is open.
    """
    if not can_assign_opds(actor, assessment):
        raise PermissionDenied
    require_window(assessment.cycle, SELF_ASSESSMENT)
    known = set(assessment.responses.values_list("indicator_id", flat=True))
    if not set(choices) <= known:
        raise WorkflowError(_("Indikator tidak termasuk dalam penilaian ini."))
    if any(opd is not None and opd.regency_id != assessment.regency_id for opd in choices.values()):
        raise WorkflowError(_("OPD penanggung jawab harus OPD %(regency)s.") % {"regency": assessment.regency})
    current = {a.indicator_id: a for a in IndicatorAssignment.objects.select_for_update().filter(assessment=assessment)}
    now = timezone.now()
    changed = 0
    for indicator_id, opd in choices.items():
        assignment = current.get(indicator_id)
        if opd is None:
            if assignment is not None:
                recorded_by(assignment, actor).delete()
                changed += 1
        elif assignment is None:
            new = IndicatorAssignment(
                assessment=assessment, indicator_id=indicator_id, opd=opd, assigned_by=actor, assigned_at=now
            )
            recorded_by(new, actor).save()
            changed += 1
        elif assignment.opd_id != opd.pk:
            assignment.opd, assignment.assigned_by, assignment.assigned_at = opd, actor, now
            recorded_by(assignment, actor).save()
            changed += 1
    return changed
