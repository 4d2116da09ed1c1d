"""Responsible OPD: the forum coordinator gives indicators of the assessment to OPD of the regency."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from evaluations.forms.assignments import AssignmentForm
from evaluations.selectors.assignments import assignment_rows, regency_opds
from evaluations.services.assignments import indicator_assignments_set
from evaluations.services.errors import WorkflowError
from forums.permissions import can_assign_opds

from .fill import visible_assessment


@login_required
def assessment_assignments(request, pk):
    assessment = visible_assessment(request, pk)
    if not can_assign_opds(request.user, assessment):
        raise PermissionDenied
    opds = regency_opds(assessment)
    rows = assignment_rows(assessment=assessment, opds=opds, kelembagaan_label=_("Kelembagaan"))
    form = AssignmentForm(request.POST or None, rows=rows, opds=opds)
    if request.method == "POST" and form.is_valid():
        try:
            changed = indicator_assignments_set(
                assessment=assessment, choices=form.choices_by_indicator(), actor=request.user
            )
        except WorkflowError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                ngettext("%(count)d penugasan OPD diubah.", "%(count)d penugasan OPD diubah.", changed)
                % {"count": changed},
            )
            return redirect("evaluations:assessment-assignments", pk=pk)
    context = {"assessment": assessment, "form": form, "opds": opds}
    return render(request, "evaluations/assignments.html", context, status=400 if form.errors else 200)


urlpatterns = [path("penilaian/<int:pk>/penanggung-jawab/", assessment_assignments, name="assessment-assignments")]
