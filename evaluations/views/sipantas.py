"""SIPANTAS exchange: the export of one assessment (JSON, XLSX) and the national admin's crosswalk import."""

from __future__ import annotations

import json

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from evaluations import exports
from evaluations.models import SipantasIndicator, SipantasRegency
from evaluations.selectors.sipantas import sipantas_export
from evaluations.services.sipantas import INDICATORS, REGENCIES, crosswalk_import
from forums.permissions import assessments_visible_to, can_manage_sipantas, can_request_dossier, get_for_user_or_404
from tatanan.models import FrameworkVersion

from .dossiers import XLSX


def _document(request, pk) -> tuple[dict, str]:
    """The export of a visible assessment (404) whose report the user may read (403), and its file name."""
    scope = assessments_visible_to(request.user).select_related("cycle", "regency")
    assessment = get_for_user_or_404(scope, check=can_request_dossier, user=request.user, pk=pk)
    document = sipantas_export(assessment=assessment, base_url=settings.KKS_SITE_URL)
    return document, f"sipantas-{slugify(assessment.regency.name)}-{assessment.cycle.year}"


def _attachment(body: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@never_cache
@login_required
def sipantas_json(request, pk):
    document, name = _document(request, pk)
    body = json.dumps(document, ensure_ascii=False, indent=2).encode()
    return _attachment(body, "application/json; charset=utf-8", f"{name}.json")


@never_cache
@login_required
def sipantas_xlsx(request, pk):
    document, name = _document(request, pk)
    return _attachment(exports.xlsx_bytes(exports.sipantas_sheets(document)), XLSX, f"{name}.xlsx")


class CrosswalkForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Jenis"),
        choices=[
            (INDICATORS, _("ID indikator (kode,indikator_id)")),
            (REGENCIES, _("ID kabupaten/kota (kode_wilayah,kabupaten_id)")),
        ],
        widget=forms.RadioSelect,
    )
    framework = forms.ModelChoiceField(
        label=_("Kerangka (untuk ID indikator)"), queryset=FrameworkVersion.objects.all(), required=False
    )
    file = forms.FileField(
        label=_("Berkas CSV"), help_text=_("Baris pertama judul kolom; pemisah koma atau titik koma.")
    )
    dry_run = forms.BooleanField(label=_("Periksa saja, jangan simpan"), required=False)


@login_required
@require_http_methods(["GET", "POST"])
def crosswalk(request):
    """Upload a crosswalk CSV; every bad row is listed with its line and nothing is saved until all are good."""
    if not can_manage_sipantas(request.user):
        raise PermissionDenied
    result = None
    form = CrosswalkForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        result = crosswalk_import(
            kind=form.cleaned_data["kind"],
            content=upload.read(),
            actor=request.user,
            framework=form.cleaned_data["framework"],
            dry_run=form.cleaned_data["dry_run"],
        )
    context = {
        "form": form,
        "result": result,
        "frameworks": FrameworkVersion.objects.annotate(ids=Count("sipantas_ids")).order_by("-year", "code"),
        "regency_ids": SipantasRegency.objects.count(),
        "indicator_ids": SipantasIndicator.objects.count(),
    }
    return render(request, "evaluations/sipantas/crosswalk.html", context)


urlpatterns = [
    path("penilaian/<int:pk>/sipantas.json", sipantas_json, name="assessment-sipantas-json"),
    path("penilaian/<int:pk>/sipantas.xlsx", sipantas_xlsx, name="assessment-sipantas-xlsx"),
    path("program/sipantas/", crosswalk, name="sipantas-crosswalk"),
]
