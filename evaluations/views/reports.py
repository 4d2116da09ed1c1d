"""Readiness reports: a province (regency x tatanan) and the nation (per province), with downloads."""

from __future__ import annotations

import hashlib
import logging

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from evaluations import exports
from evaluations.forms.choices import PlainQueryChoiceField
from evaluations.models import AssessmentStatus, ReportJob, ReportKind
from evaluations.selectors.jobs import jobs_as_shown
from evaluations.selectors.readiness import (
    BASIS_LABELS,
    LEVEL_LABELS,
    NO_ASSESSMENT,
    Filters,
    national_readiness,
    province_readiness,
    report_cycles,
    sort_keys,
)
from evaluations.services.reports import readiness_chart, report_request
from forums.permissions import (
    can_view_national_report,
    can_view_province_report,
    get_for_user_or_404,
    provinces_visible_to,
)
from kks.fragments import render_cached

FILE_CACHE_S = 600
TABLE_TEMPLATE = "evaluations/reports/_page_table.html"
logger = logging.getLogger(__name__)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ReadinessQuery(forms.Form):
    """GET parameters of a readiness page; an invalid value falls back to the default."""

    siklus = PlainQueryChoiceField(queryset=None, required=False, empty_label=None, label=_("Siklus"))
    nilai = forms.ChoiceField(choices=list(BASIS_LABELS.items()), required=False, label=_("Dasar nilai"))
    tingkat = forms.ChoiceField(
        required=False,
        label=_("Perkiraan tingkat"),
        choices=[("", _("Semua")), *((lv.value, label) for lv, label in LEVEL_LABELS.items())],
    )
    status = forms.ChoiceField(
        required=False,
        label=_("Status penilaian"),
        choices=[("", _("Semua")), (NO_ASSESSMENT, _("Belum ada penilaian")), *AssessmentStatus.choices],
    )
    q = forms.CharField(required=False, max_length=80, label=_("Cari nama"))
    perbaikan = forms.BooleanField(required=False, label=_("Hanya yang ada perbaikan"))
    urut = forms.CharField(required=False, max_length=20, widget=forms.HiddenInput)

    def __init__(self, *args, national=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["siklus"].queryset = report_cycles()
        if national:  # level and status describe a regency
            del self.fields["tingkat"], self.fields["status"]
        # Written out in reports/_query_form.html (crispy's layout was a quarter of the national page's time).
        self.main_names = [n for n in ("siklus", "nilai", "tingkat", "status", "q") if n in self.fields]

    def main_fields(self):
        return [self[name] for name in self.main_names]

    def values(self):
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        cycle = data.get("siklus") or self.fields["siklus"].queryset.first()
        filters = Filters(
            level=data.get("tingkat", ""),
            status=data.get("status", ""),
            q=data.get("q", ""),
            revision_only=bool(data.get("perbaikan")),
        )
        return cycle, data.get("nilai") or "forecast", data.get("urut") or "kode", filters


def _sorting(table):
    """Per sortable column: the next ``urut`` value and the aria-sort state."""
    links = {}
    for key in sort_keys(table.tatanan):
        if table.sort == key:
            links[key] = {"next": f"-{key}", "aria": "ascending"}
        elif table.sort == f"-{key}":
            links[key] = {"next": key, "aria": "descending"}
        else:
            links[key] = {"next": key, "aria": ""}
    return links


def _page(request, template, table, extra):
    columns = [{"tatanan": t, "sort": extra["sort_links"][f"t{t.number}"]} for t in table.tatanan]
    context = {"table": table, "columns": columns, "sort_links": extra["sort_links"]}
    # The rendered table, keyed by its rows' version and the query string (sort, filters); kks.fragments adds
    # the release and language, and renders it anyway when the cache is down.
    digest = hashlib.sha256(f"{table.version}|{request.get_full_path()}".encode()).hexdigest()
    (table_html,) = render_cached(
        request, TABLE_TEMPLATE, [(context, digest)], kind="readiness-table", timeout=FILE_CACHE_S, with_request=True
    )
    return render(
        request,
        template,
        {"table": table, "table_html": table_html, "chart": readiness_chart(table), **extra},
    )


def _province(request, pk):
    return get_for_user_or_404(
        provinces_visible_to(request.user), check=can_view_province_report, user=request.user, pk=pk
    )


def _require_national(request):
    if not can_view_national_report(request.user):
        raise PermissionDenied


def _with_defaults(params):
    """Always a bound form, so the selects show the values actually used."""
    data = params.copy()
    data.setdefault("nilai", "forecast")
    if "siklus" not in data:
        cycle = report_cycles().first()
        if cycle is not None:
            data["siklus"] = str(cycle.pk)
    return data


def _province_table(request, province):
    query = ReadinessQuery(_with_defaults(request.GET))
    cycle, basis, sort, filters = query.values()
    table = (
        province_readiness(province=province, cycle=cycle, basis=basis, sort=sort, filters=filters) if cycle else None
    )
    return query, table


def _national_table(request):
    query = ReadinessQuery(_with_defaults(request.GET), national=True)
    cycle, basis, sort, filters = query.values()
    table = national_readiness(cycle=cycle, basis=basis, sort=sort, filters=filters) if cycle else None
    return query, table


def _jobs(cycle, region):
    if cycle is None:
        return []
    return jobs_as_shown(ReportJob.objects.filter(kind=ReportKind.READINESS, cycle=cycle, region=region)[:5])


@login_required
def province_report(request, pk):
    province = _province(request, pk)
    query, table = _province_table(request, province)
    extra = {
        "province": province,
        "form": query,
        "jobs": _jobs(table and table.cycle, province),
        "national_link": can_view_national_report(request.user),
    }
    if table is None:
        return render(request, "evaluations/reports/province.html", extra)
    return _page(request, "evaluations/reports/province.html", table, {**extra, "sort_links": _sorting(table)})


@login_required
def national_report(request):
    _require_national(request)
    query, table = _national_table(request)
    extra = {"form": query, "jobs": _jobs(table and table.cycle, None)}
    if table is None:
        return render(request, "evaluations/reports/national.html", extra)
    return _page(request, "evaluations/reports/national.html", table, {**extra, "sort_links": _sorting(table)})


def _file_bytes(request, table, fmt: str) -> bytes:
    """The XLSX or CSV of ``table``, made once per version of its rows, query (sort, filters) and language."""
    raw = f"{table.version}|{fmt}|{request.get_full_path()}|{get_language()}"
    key = "readiness-file:" + hashlib.sha256(raw.encode()).hexdigest()
    try:
        body = cache.get(key)
    except Exception:  # the cache is down: make the file (slower, still right)
        logger.warning("readiness file not read: cache unavailable", exc_info=True)
        body = None
    if body is None:
        sheet = exports.readiness_sheet(table)
        body = exports.xlsx_bytes([sheet]) if fmt == "xlsx" else exports.csv_bytes(sheet)
        try:
            cache.set(key, body, FILE_CACHE_S)
        except Exception:
            logger.warning("readiness file not stored: cache unavailable", exc_info=True)
    return body


def _download(request, table, fmt: str) -> HttpResponse:
    place = slugify(table.province.name) if table.province else "nasional"
    name = f"kesiapan-{place}-{table.cycle.year}.{fmt}"
    body = _file_bytes(request, table, fmt)
    if fmt == "xlsx":
        response = HttpResponse(body, content_type=XLSX)
    else:
        response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@never_cache
@login_required
def province_report_download(request, pk, fmt):
    _, table = _province_table(request, _province(request, pk))
    if table is None:
        return redirect("evaluations:province-report", pk)
    return _download(request, table, fmt)


@never_cache
@login_required
def national_report_download(request, fmt):
    _require_national(request)
    _, table = _national_table(request)
    if table is None:
        return redirect("evaluations:national-report")
    return _download(request, table, fmt)


def _posted_cycle(request):
    query = ReadinessQuery(request.POST)
    return query.values()[0]


@login_required
@require_POST
def province_report_pdf(request, pk):
    province = _province(request, pk)
    cycle = _posted_cycle(request)
    if cycle is None:
        return redirect("evaluations:province-report", pk)
    job = report_request(kind=ReportKind.READINESS, cycle=cycle, region=province, actor=request.user)
    return redirect("evaluations:report-job", job.pk)


@login_required
@require_POST
def national_report_pdf(request):
    _require_national(request)
    cycle = _posted_cycle(request)
    if cycle is None:
        return redirect("evaluations:national-report")
    job = report_request(kind=ReportKind.READINESS, cycle=cycle, region=None, actor=request.user)
    return redirect("evaluations:report-job", job.pk)


urlpatterns = [
    path("laporan/provinsi/<int:pk>/", province_report, name="province-report"),
    path(
        "laporan/provinsi/<int:pk>/unduh.xlsx", province_report_download, {"fmt": "xlsx"}, name="province-report-xlsx"
    ),
    path("laporan/provinsi/<int:pk>/unduh.csv", province_report_download, {"fmt": "csv"}, name="province-report-csv"),
    path("laporan/provinsi/<int:pk>/pdf/", province_report_pdf, name="province-report-pdf"),
    path("laporan/nasional/", national_report, name="national-report"),
    path("laporan/nasional/unduh.xlsx", national_report_download, {"fmt": "xlsx"}, name="national-report-xlsx"),
    path("laporan/nasional/unduh.csv", national_report_download, {"fmt": "csv"}, name="national-report-csv"),
    path("laporan/nasional/pdf/", national_report_pdf, name="national-report-pdf"),
]
