"""Audit history pages: one response's changes, an assessment's trail (and its export), and corrections."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from evaluations import exports
from evaluations.forms.audit import AuditFilterForm, CorrectionForm
from evaluations.selectors.audit import (
    AuditEntry,
    assessment_audit,
    field_choices,
    filter_entries,
    response_audit,
    user_choices,
)
from evaluations.services.corrections import response_correct
from evaluations.services.errors import StaleVersion, WorkflowError
from evaluations.services.guards import was_accepted
from forums.permissions import (
    assessments_visible_to,
    can_correct_response,
    can_view_audit,
    get_for_user_or_404,
    responses_visible_to,
)

PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _visible_response(request, pk, *, check=None):
    return get_for_user_or_404(
        responses_visible_to(request.user).select_related("assessment__cycle", "assessment__regency", "indicator"),
        check=check,
        user=request.user,
        pk=pk,
    )


def _audited_assessment(request, pk):
    return get_for_user_or_404(
        assessments_visible_to(request.user).select_related("cycle", "regency"),
        check=can_view_audit,
        user=request.user,
        pk=pk,
    )


@login_required
def response_audit_view(request, pk):
    """Every change of one response and its evidence (everyone who sees the response)."""
    response = _visible_response(request, pk)
    context = {
        "response": response,
        "entries": response_audit(response),
        "corrections": response.history.filter(kind="correction").select_related("actor"),
        "can_correct": can_correct_response(request.user, response) and was_accepted(response),
        "can_view_trail": can_view_audit(request.user, response.assessment),
    }
    return render(request, "evaluations/audit/response.html", context)


def _filtered(request, assessment) -> tuple[AuditFilterForm, list[AuditEntry]]:
    entries = assessment_audit(assessment)
    form = AuditFilterForm(request.GET or None, fields=field_choices(entries), users=user_choices(entries))
    if form.is_valid():
        data = form.cleaned_data
        entries = filter_entries(
            entries,
            field=data["field"],
            user_id=data["user"],
            date_from=data["date_from"],
            date_to=data["date_to"],
        )
    return form, entries


@login_required
def assessment_audit_view(request, pk):
    """The assessment's whole trail, newest first, filterable by field, user and dates."""
    assessment = _audited_assessment(request, pk)
    form, entries = _filtered(request, assessment)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"assessment": assessment, "form": form, "page": page, "query": query.urlencode()}
    return render(request, "evaluations/audit/assessment.html", context)


def audit_sheet(assessment, entries: list[AuditEntry]) -> exports.Sheet:
    headers = [_("Waktu"), _("Pengguna"), _("Objek"), _("Tindakan"), _("Kolom"), _("Dari"), _("Menjadi"), _("Alasan")]
    rows = [
        [
            date_format(timezone.localtime(e.at), "DATETIME_FORMAT"),
            e.user_label,
            e.subject,
            e.action_label,
            e.field_label,
            e.old,
            e.new,
            e.reason,
        ]
        for e in entries
    ]
    title = _("Riwayat audit %(regency)s %(cycle)s") % {"regency": assessment.regency, "cycle": assessment.cycle}
    return exports.Sheet(title=_("Riwayat audit"), headers=headers, rows=rows, preamble=[title])


@never_cache
@login_required
def assessment_audit_export(request, pk, fmt):
    """The (filtered) trail as CSV (UTF-8 with BOM; semicolons and decimal comma in Indonesian) or XLSX."""
    assessment = _audited_assessment(request, pk)
    _form, entries = _filtered(request, assessment)
    sheet = audit_sheet(assessment, entries)
    name = f"audit-{slugify(assessment.regency.name)}-{assessment.cycle.year}.{fmt}"
    if fmt == "xlsx":
        response = HttpResponse(exports.xlsx_bytes([sheet]), content_type=XLSX)
    else:
        response = HttpResponse(exports.csv_bytes(sheet), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def response_correct_view(request, pk):
    """The national admin's correction of an accepted response, with a required reason."""
    response = _visible_response(request, pk, check=can_correct_response)
    if not was_accepted(response):
        messages.info(request, _("Jawaban ini belum diterima: ubah melalui pengisian atau verifikasi."))
        return redirect(reverse("evaluations:response-audit", args=[pk]))
    form = CorrectionForm(request.POST or None, response=response)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            response_correct(
                response=response,
                changes=form.changes(),
                reason=form.cleaned_data["reason"],
                actor=request.user,
                version=form.cleaned_data["version"],
            )
        except WorkflowError as error:
            form.add_error(None, error)
            status = 409 if isinstance(error, StaleVersion) else 200
        else:
            messages.success(request, _("Koreksi %(code)s tersimpan.") % {"code": response.indicator.code})
            return redirect(reverse("evaluations:response-audit", args=[pk]))
    return render(request, "evaluations/audit/correct.html", {"response": response, "form": form}, status=status)


urlpatterns = [
    path("jawaban/<int:pk>/riwayat/", response_audit_view, name="response-audit"),
    path("jawaban/<int:pk>/koreksi/", response_correct_view, name="response-correct"),
    path("penilaian/<int:pk>/audit/", assessment_audit_view, name="assessment-audit"),
    path("penilaian/<int:pk>/audit.csv", assessment_audit_export, {"fmt": "csv"}, name="assessment-audit-csv"),
    path("penilaian/<int:pk>/audit.xlsx", assessment_audit_export, {"fmt": "xlsx"}, name="assessment-audit-xlsx"),
]
