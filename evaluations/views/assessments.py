"""The assessment page: general data, progress, scores and the Swasti Saba forecast."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from evaluations.forms.assessment import AssessmentGeneralForm, GeneralDataForm
from evaluations.forms.awards import ParipurnaForm
from evaluations.selectors.award import official_trend, policy_lines
from evaluations.selectors.forecast import readiness_views
from evaluations.selectors.general_data import count_checks, general_data
from evaluations.selectors.progress import Progress, kelembagaan_checklist, opd_progress, tatanan_progress
from evaluations.selectors.scores import assessment_scores
from evaluations.services.assessments import GENERAL_FIELDS, assessment_update_general
from evaluations.services.awards import PARIPURNA_FIELDS, assessment_update_paripurna
from evaluations.services.cycles import SELF_ASSESSMENT, window_is_open, window_states
from evaluations.services.errors import WorkflowError
from evaluations.services.general_data import general_data_load_regions, general_data_update
from forums.permissions import (
    can_assign_opds,
    can_edit_assessment,
    can_edit_general_data,
    can_edit_paripurna_data,
    can_request_dossier,
    can_view_audit,
)
from kks.fragments import digest_or_none, render_cached

from .fill import visible_assessment


def _render(request, assessment, *, form=None, paripurna_form=None, status=200):
    scores = assessment_scores(assessment)
    progress = tatanan_progress(assessment)
    window_open = window_is_open(assessment.cycle, SELF_ASSESSMENT)
    can_edit = can_edit_assessment(request.user, assessment) and window_open
    if can_edit and form is None:
        form = AssessmentGeneralForm(instance=assessment)
    can_edit_paripurna = can_edit_paripurna_data(request.user, assessment) and window_open
    if can_edit_paripurna and paripurna_form is None:
        paripurna_form = ParipurnaForm(initial={f: getattr(assessment, f) for f in PARIPURNA_FIELDS})
    rows = [(row, progress.get(row.tatanan.pk, Progress())) for row in scores.tatanan]
    kelembagaan = kelembagaan_checklist(assessment)
    checks = count_checks(assessment, kelembagaan)
    for response in kelembagaan:
        response.count_check = checks.get(response.pk)  # for the template
    context = {
        "assessment": assessment,
        "windows": window_states(assessment.cycle),
        "scores": scores,
        "readiness": readiness_views(scores),
        "tatanan_rows": rows,
        "kelembagaan_progress": progress.get(None, Progress()),
        "kelembagaan": kelembagaan,
        "general": general_data(assessment),
        "can_edit_general_data": can_edit_general_data(request.user, assessment)
        and window_is_open(assessment.cycle, SELF_ASSESSMENT),
        "opd_rows": opd_progress(assessment),
        "form": form if can_edit else None,
        "paripurna_form": paripurna_form if can_edit_paripurna else None,
        "policy_lines": policy_lines(scores.policy),
        "trend": official_trend(assessment.regency),
        "can_request_dossier": can_request_dossier(request.user, assessment),
        "can_view_audit": can_view_audit(request.user, assessment),
        "can_assign_opds": can_assign_opds(request.user, assessment),
    }
    body = render_cached(request, BODY_TEMPLATE, [(context, _body_digest(context))], kind="assessment", timeout=3600)
    return render(
        request, "evaluations/assessment_detail.html", {"assessment": assessment, "body": body[0]}, status=status
    )


BODY_TEMPLATE = "evaluations/_assessment_body.html"
FORMS = ("form", "paripurna_form")


def _body_digest(context: dict) -> str | None:
    """The page's body is cached under a digest of everything it shows (kks.fragments), like the fill cards:
    the assessment with its cycle and regency, the scores, progress, kelembagaan rows, general data, windows
    (open or closed now) and the user's flags. Forms are built from the assessment; one with posted input is
    never cached."""
    if any(context[name] is not None and context[name].is_bound for name in FORMS):
        return None
    shown = {key: value for key, value in context.items() if key not in FORMS}
    return digest_or_none(shown, {name: context[name] is not None for name in FORMS})


@login_required
def assessment_detail(request, pk):
    return _render(request, visible_assessment(request, pk))


@login_required
@require_POST
def assessment_general(request, pk):
    assessment = visible_assessment(request, pk)
    if not can_edit_assessment(request.user, assessment):
        raise PermissionDenied
    form = AssessmentGeneralForm(request.POST, instance=assessment)
    if form.is_valid():
        try:
            assessment_update_general(
                assessment=assessment, data={f: form.cleaned_data[f] for f in GENERAL_FIELDS}, actor=request.user
            )
        except WorkflowError as error:
            messages.error(request, str(error))
            return redirect("evaluations:assessment-detail", pk=pk)
        messages.success(request, _("Data umum tersimpan."))
        return redirect("evaluations:assessment-detail", pk=pk)
    return _render(request, visible_assessment(request, pk), form=form)


@login_required
@require_POST
def assessment_paripurna(request, pk):
    """IP-SPM and the adopted innovation: the conditions of Wistara Paripurna recorded on the assessment."""
    assessment = visible_assessment(request, pk)
    if not can_edit_paripurna_data(request.user, assessment):
        raise PermissionDenied
    form = ParipurnaForm(request.POST)
    if form.is_valid():
        try:
            assessment_update_paripurna(assessment=assessment, actor=request.user, **form.cleaned_data)
        except WorkflowError as error:
            messages.error(request, str(error))
            return redirect("evaluations:assessment-detail", pk=pk)
        messages.success(request, _("Data Wistara Paripurna tersimpan."))
        return redirect("evaluations:assessment-detail", pk=pk)
    return _render(request, visible_assessment(request, pk), paripurna_form=form)


def _render_general_data(request, assessment, form):
    context = {"assessment": assessment, "form": form, "window_open": window_is_open(assessment.cycle, SELF_ASSESSMENT)}
    return render(request, "evaluations/general_data.html", context)


@login_required
def assessment_data_umum(request, pk):
    """Edit the Data Umum: heads, office, the kecamatan and desa/kelurahan proposed, pendanaan."""
    assessment = visible_assessment(request, pk)
    if not can_edit_general_data(request.user, assessment):
        raise PermissionDenied
    if request.method != "POST":
        return _render_general_data(request, assessment, GeneralDataForm(assessment=assessment))
    form = GeneralDataForm(request.POST, assessment=assessment)
    if not form.is_valid():
        return _render_general_data(request, assessment, form)
    data = form.cleaned_data
    try:
        general_data_update(
            assessment=assessment,
            actor=request.user,
            head_name=data["head_name"],
            forum_chair_name=data["forum_chair_name"],
            office_address=data["office_address"],
            districts=data["districts"],
            villages=data["villages"],
            fundings=form.fundings(),
        )
    except WorkflowError as error:
        form.add_error(None, error)
        return _render_general_data(request, assessment, form)
    messages.success(request, _("Data umum tersimpan."))
    return redirect("evaluations:assessment-detail", pk=pk)


@login_required
@require_POST
def assessment_load_regions(request, pk):
    """Load the regency's kecamatan and desa/kelurahan (Kemendagri data shipped with the application)."""
    assessment = visible_assessment(request, pk)
    if not can_edit_general_data(request.user, assessment):
        raise PermissionDenied
    districts, villages = general_data_load_regions(assessment=assessment, actor=request.user)
    messages.success(
        request,
        _("Wilayah dimuat: %(districts)s kecamatan dan %(villages)s desa/kelurahan baru.")
        % {"districts": districts, "villages": villages},
    )
    return redirect("evaluations:assessment-data-umum", pk=pk)


urlpatterns = [
    path("penilaian/<int:pk>/", assessment_detail, name="assessment-detail"),
    path("penilaian/<int:pk>/data-umum/", assessment_general, name="assessment-general"),
    path("penilaian/<int:pk>/paripurna/", assessment_paripurna, name="assessment-paripurna"),
    path("penilaian/<int:pk>/data-umum/ubah/", assessment_data_umum, name="assessment-data-umum"),
    path("penilaian/<int:pk>/data-umum/muat-wilayah/", assessment_load_regions, name="assessment-load-regions"),
]
