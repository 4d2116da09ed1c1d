"""Programme pages of the national admin: cycles, opening them for kabupaten/kota, changing their windows."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from evaluations.forms.awards import AwardPolicyForm, OfficialResultForm
from evaluations.forms.cycles import CycleForm, OpenScopeForm, WindowChangeForm
from evaluations.models import Cycle
from evaluations.selectors.audit import cycle_award_audit
from evaluations.selectors.award import cycle_policy, official_results_of, policy_lines
from evaluations.selectors.cycles import (
    STATUS_LABELS,
    cycle_detail,
    cycle_list,
    cycle_province_counts,
    cycle_status,
    open_preview,
    window_phases,
)
from evaluations.services.awards import cycle_award_policy_update, official_result_record
from evaluations.services.cycles_admin import (
    WINDOW_KEYS,
    cycle_create,
    cycle_open,
    cycle_update,
    cycle_window_change,
)
from forums.permissions import can_manage_cycle, can_record_official_result
from forums.views import apply_service_errors


def _require_manager(request) -> None:
    if not can_manage_cycle(request.user):
        raise PermissionDenied


def _cycle(request, pk) -> Cycle:
    _require_manager(request)
    try:
        return cycle_detail(pk)
    except Cycle.DoesNotExist:
        raise Http404 from None


@login_required
def cycles(request):
    _require_manager(request)
    rows = [(c, cycle_status(c)) for c in cycle_list()]
    return render(request, "evaluations/cycles/list.html", {"rows": rows, "status_labels": STATUS_LABELS})


@login_required
@require_http_methods(["GET", "POST"])
def cycle_new(request):
    _require_manager(request)
    form = CycleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            cycle = cycle_create(actor=request.user, **form.service_kwargs())
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Siklus %(name)s dibuat sebagai draf.") % {"name": cycle.name})
            return redirect("evaluations:cycle-detail", cycle.pk)
    return render(request, "evaluations/cycles/form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def cycle_edit(request, pk):
    cycle = _cycle(request, pk)
    form = CycleForm(request.POST or None, cycle=cycle)
    if request.method == "POST" and cycle.opened_at is None and form.is_valid():
        try:
            cycle_update(cycle=cycle, actor=request.user, **form.service_kwargs())
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Perubahan siklus disimpan."))
            return redirect("evaluations:cycle-detail", cycle.pk)
    return render(request, "evaluations/cycles/form.html", {"form": form, "cycle": cycle})


def _detail_context(cycle, **extra):
    return {
        "cycle": cycle,
        "status": cycle_status(cycle),
        "status_labels": STATUS_LABELS,
        "windows": window_phases(cycle),
        "provinces": cycle_province_counts(cycle),
        "changes": cycle.window_changes.select_related("actor")[:50],
        "policy_lines": policy_lines(cycle_policy(cycle)),
        "open_form": OpenScopeForm(),
        "window_form": WindowChangeForm(),
        **extra,
    }


@login_required
def cycle_page(request, pk):
    cycle = _cycle(request, pk)
    return render(request, "evaluations/cycles/detail.html", _detail_context(cycle))


@login_required
@require_http_methods(["GET", "POST"])
def cycle_open_view(request, pk):
    """GET with a scope, or POST without ``confirm``: what opening would do. POST with ``confirm``: open."""
    cycle = _cycle(request, pk)
    data = request.POST if request.method == "POST" else (request.GET or None)
    form = OpenScopeForm(data)
    if data is None or not form.is_valid():
        return render(request, "evaluations/cycles/open.html", {"cycle": cycle, "form": form})
    if request.method == "POST" and request.POST.get("confirm") == "1":
        try:
            result = cycle_open(cycle=cycle, regencies=form.regencies, actor=request.user)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                _(
                    "Siklus %(name)s dibuka untuk %(scope)s: %(created)s penilaian baru, %(responses)s jawaban baru; "
                    "%(already)s kabupaten/kota sudah dibuka sebelumnya."
                )
                % {
                    "name": cycle.name,
                    "scope": form.scope_label(),
                    "created": result.assessments_created,
                    "responses": result.responses_created,
                    "already": result.already_open,
                },
            )
            return redirect("evaluations:cycle-detail", cycle.pk)
    preview = open_preview(cycle=cycle, regencies=form.regencies)
    context = {"cycle": cycle, "form": form, "preview": preview, "scope_label": form.scope_label()}
    return render(request, "evaluations/cycles/open.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def cycle_window(request, pk):
    cycle = _cycle(request, pk)
    form = WindowChangeForm(request.POST or None, initial=_window_initial(cycle, request.GET.get("masa")))
    if request.method == "POST" and form.is_valid():
        try:
            change = cycle_window_change(cycle=cycle, actor=request.user, **form.service_kwargs())
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Masa %(window)s kini ditutup %(closes)s.")
                % {"window": change.get_window_display(), "closes": _local(change.new_closes)},
            )
            return redirect("evaluations:cycle-detail", cycle.pk)
    return render(
        request,
        "evaluations/cycles/window.html",
        {"cycle": cycle, "form": form, "windows": window_phases(cycle)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def cycle_award(request, pk):
    """The award rules of a cycle: basis, bands, ODF limits, kelembagaan gate, Paripurna; with their history."""
    cycle = _cycle(request, pk)
    form = AwardPolicyForm(request.POST or None, cycle=cycle)
    if request.method == "POST" and form.is_valid():
        try:
            cycle_award_policy_update(cycle=cycle, actor=request.user, **form.service_kwargs())
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Aturan penghargaan siklus %(name)s disimpan.") % {"name": cycle.name})
            return redirect("evaluations:cycle-award", cycle.pk)
    context = {
        "cycle": cycle,
        "form": form,
        "policy_lines": policy_lines(cycle_policy(cycle)),
        "entries": [e for e in cycle_award_audit(cycle) if e.field.startswith("cycle.")],
    }
    return render(request, "evaluations/cycles/award.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def cycle_results(request, pk):
    """The official results of a cycle per regency (level, date, SK), recorded by the national admin."""
    cycle = _cycle(request, pk)
    if not can_record_official_result(request.user):
        raise PermissionDenied
    form = OfficialResultForm(request.POST or None, initial={"kode": request.GET.get("kode", "")})
    if request.method == "POST" and form.is_valid():
        try:
            result = official_result_record(cycle=cycle, actor=request.user, **form.service_kwargs())
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Hasil resmi %(regency)s dicatat: %(level)s.")
                % {"regency": result.regency.name, "level": result.get_level_display()},
            )
            return redirect("evaluations:cycle-results", cycle.pk)
    context = {
        "cycle": cycle,
        "form": form,
        "results": official_results_of(cycle),
        "entries": [e for e in cycle_award_audit(cycle) if e.field.startswith("officialresult.")][:100],
    }
    return render(request, "evaluations/cycles/results.html", context)


def _window_initial(cycle, window) -> dict:
    """The window asked for (``?masa=``) with its current closing time, as the starting point of the form."""
    if window not in WINDOW_KEYS:
        return {}
    return {"masa": window, "closes": timezone.localtime(getattr(cycle, f"{window}_closes"))}


def _local(moment) -> str:
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT")


urlpatterns = [
    path("program/siklus/", cycles, name="cycle-list"),
    path("program/siklus/baru/", cycle_new, name="cycle-create"),
    path("program/siklus/<int:pk>/", cycle_page, name="cycle-detail"),
    path("program/siklus/<int:pk>/ubah/", cycle_edit, name="cycle-edit"),
    path("program/siklus/<int:pk>/buka/", cycle_open_view, name="cycle-open"),
    path("program/siklus/<int:pk>/masa/", cycle_window, name="cycle-window"),
    path("program/siklus/<int:pk>/penghargaan/", cycle_award, name="cycle-award"),
    path("program/siklus/<int:pk>/hasil-resmi/", cycle_results, name="cycle-results"),
]
