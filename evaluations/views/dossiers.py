"""Verification dossiers and the status, retry and download of every background PDF job."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from evaluations import exports
from evaluations.models import JobStatus, ReportJob, ReportKind
from evaluations.selectors.dossier import dossier_data
from evaluations.selectors.jobs import job_as_shown, jobs_as_shown
from evaluations.services.reports import report_request, report_retry
from forums.permissions import (
    assessments_visible_to,
    can_request_dossier,
    can_view_report_job,
    get_for_user_or_404,
    report_jobs_visible_to,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class DossierRequestForm(forms.Form):
    include_appendix = forms.BooleanField(label=_("Lampirkan berkas PDF bukti dukung di akhir dosir"), required=False)


def _assessment(request, pk):
    scope = assessments_visible_to(request.user).select_related("cycle", "regency", "regency__parent")
    return get_for_user_or_404(scope, check=can_request_dossier, user=request.user, pk=pk)


def _job(request, pk):
    scope = report_jobs_visible_to(request.user).select_related(
        "cycle", "assessment", "assessment__regency", "region", "requested_by"
    )
    return get_for_user_or_404(scope, check=can_view_report_job, user=request.user, pk=pk)


@login_required
def dossier(request, pk):
    assessment = _assessment(request, pk)
    jobs = jobs_as_shown(assessment.report_jobs.filter(kind=ReportKind.DOSSIER).select_related("requested_by")[:10])
    return render(
        request,
        "evaluations/reports/dossier.html",
        {
            "assessment": assessment,
            "form": DossierRequestForm(),
            "jobs": jobs,
        },
    )


@login_required
@require_POST
def dossier_request(request, pk):
    assessment = _assessment(request, pk)
    form = DossierRequestForm(request.POST)
    form.is_valid()  # a checkbox: never invalid
    job = report_request(
        kind=ReportKind.DOSSIER,
        cycle=assessment.cycle,
        assessment=assessment,
        include_appendix=form.cleaned_data.get("include_appendix", False),
        actor=request.user,
    )
    return redirect("evaluations:report-job", job.pk)


@never_cache
@login_required
def report_job(request, pk):
    """Full page, or only the status block for htmx polling."""
    job = job_as_shown(_job(request, pk))  # a job of a dead worker reads as failed (reaped by beat)
    template = "evaluations/reports/_job_status.html" if request.htmx else "evaluations/reports/job_detail.html"
    return render(request, template, {"job": job})


@login_required
@require_POST
def report_job_retry(request, pk):
    job = _job(request, pk)
    try:
        report_retry(job=job, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("evaluations:report-job", job.pk)


def download_name(job: ReportJob) -> str:
    if job.kind == ReportKind.DOSSIER:
        subject = job.assessment.regency.name
    else:
        subject = job.region.name if job.region_id else "nasional"
    return f"{'dosir' if job.kind == ReportKind.DOSSIER else 'kesiapan'}-{slugify(subject)}-{job.cycle.year}.pdf"


@never_cache
@login_required
def report_job_download(request, pk):
    job = _job(request, pk)
    if job.status != JobStatus.READY or not job.file:
        raise Http404
    try:
        handle = job.file.open("rb")
    except OSError:
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=download_name(job), content_type="application/pdf")
    response["X-Content-Type-Options"] = "nosniff"
    return response


@never_cache
@login_required
def assessment_instrument_xlsx(request, pk):
    """The assessment in the layout of the national instrument, ready to paste or upload."""
    scope = assessments_visible_to(request.user)
    assessment = get_for_user_or_404(scope, pk=pk)
    data = dossier_data(assessment.pk)
    body = exports.xlsx_bytes(exports.instrument_sheets(data))
    name = f"instrumen-{slugify(data.assessment.regency.name)}-{data.assessment.cycle.year}.xlsx"
    response = HttpResponse(body, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


urlpatterns = [
    path("penilaian/<int:pk>/dosir/", dossier, name="dossier"),
    path("penilaian/<int:pk>/dosir/minta/", dossier_request, name="dossier-request"),
    path("penilaian/<int:pk>/instrumen.xlsx", assessment_instrument_xlsx, name="assessment-instrument-xlsx"),
    path("dokumen/<int:pk>/", report_job, name="report-job"),
    path("dokumen/<int:pk>/ulang/", report_job_retry, name="report-job-retry"),
    path("dokumen/<int:pk>/unduh/", report_job_download, name="report-job-download"),
]
