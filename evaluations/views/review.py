"""The reviewers' pages: the queue of what waits for them and the review of one response."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from evaluations.forms.responses import CommentForm
from evaluations.forms.review import QueueFilterForm, ReviewForm, ReviewNoteForm
from evaluations.models import ResponseStatus
from evaluations.selectors.fill import decorate, with_card_data
from evaluations.selectors.general_data import count_checks
from evaluations.selectors.queue import queue_filter_choices, queue_rows, review_queue, waiting_for
from evaluations.selectors.review import (
    bulk_accept_candidates,
    changes_since_sent_back,
    next_in_queue,
    review_notes_for,
)
from evaluations.services.cycles import REVIEW_WINDOW, WINDOW_LABELS, review_window_open
from evaluations.services.errors import NoEvidenceNotConfirmed, StaleVersion, WorkflowError
from evaluations.services.guards import WAITING, require_version, was_accepted
from evaluations.services.responses import response_review, response_review_accept_many
from evaluations.services.review_notes import review_note_add
from forums.permissions import (
    REVIEWER_ROLES,
    can_add_review_note,
    can_comment_response,
    can_correct_response,
    can_fill_response,
    can_review_response,
    can_review_stage,
    get_for_user_or_404,
    may_decide,
    responses_visible_to,
    review_note_stages_visible_to,
    reviews_regency,
    role_of,
)
from kks.fragments import digest_or_none, render_cached

PAGE_SIZE = 25
QUEUE_FILTERS = ("regency", "tatanan", "opd")
QUEUE_ROWS = "evaluations/review/_queue_rows.html"


def _queue_filters(request, *, for_display: bool = False) -> tuple[QueueFilterForm | None, dict, str]:
    """The queue's filter from the query string, and that query string (filters only) to carry along.

    The form (and the read of its choices) is built only when it is shown or there is a filter to check."""
    if not for_display and not any(request.GET.get(key) for key in QUEUE_FILTERS):
        return None, {}, ""
    choices = queue_filter_choices(waiting_for(request.user))
    form = QueueFilterForm(request.GET or None, choices=choices)
    filters = form.cleaned_data if form.is_valid() else {}
    kept = {key: request.GET[key] for key in QUEUE_FILTERS if filters.get(key)}
    return form, filters, urlencode(kept)


def _queue(request, filters):
    return review_queue(
        user=request.user,
        regency=filters.get("regency"),
        tatanan=filters.get("tatanan") or "",
        opd_kind=filters.get("opd"),
    )


def _with_query(url: str, query: str) -> str:
    return f"{url}?{query}" if query else url


@login_required
def review_queue_view(request):
    if role_of(request.user) not in REVIEWER_ROLES:
        raise PermissionDenied
    form, filters, filter_query = _queue_filters(request, for_display=True)
    page = Paginator(_queue(request, filters).values_list("pk", flat=True), PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = queue_rows(page.object_list)
    rows_html = _queue_rows_html(request, page.object_list, filter_query)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "evaluations/review/queue.html",
        {"form": form, "page": page, "rows_html": rows_html, "query": query.urlencode(), "filter_query": filter_query},
    )


def _queue_rows_html(request, rows, filter_query: str):
    """The page's rows, cached under a digest of the rows as loaded and the filter carried in their links."""
    context = {"rows": rows, "filter_query": filter_query}
    digest = digest_or_none(rows, filter_query)
    return render_cached(request, QUEUE_ROWS, [(context, digest)], kind="queue-rows", timeout=600)[0]


def _visible_response(request, pk):
    return decorate(
        get_for_user_or_404(
            with_card_data(responses_visible_to(request.user)).select_related(
                "assessment__cycle", "assessment__regency__parent"
            ),
            pk=pk,
        )
    )


def _render_review(request, response, *, form=None, note_form=None, status=200):
    _form, _filters, filter_query = _queue_filters(request)
    waiting = response.status in WAITING
    can_review = waiting and can_review_response(request.user, response)
    # A reviewer of this stage held back by separation of duties is told why rather than shown no form.
    barred = (
        waiting
        and not can_review
        and can_review_stage(request.user, response.stage, response.assessment.regency)
        and not may_decide(request.user, response)
    )
    window_open = review_window_open(response)
    if can_review and window_open and form is None:
        form = ReviewForm(response=response)
    context = {
        "response": response,
        "indicator": response.indicator,
        "can_review": can_review,
        "barred": barred,
        "window_open": window_open,
        "window_label": WINDOW_LABELS[REVIEW_WINDOW[response.stage]],
        "form": form,
        "can_fill": can_fill_response(request.user, response),
        "can_correct": can_correct_response(request.user, response) and was_accepted(response),
        "queue_link": role_of(request.user) in REVIEWER_ROLES,
        "comment_form": CommentForm(prefix=f"c{response.pk}") if can_comment_response(request.user, response) else None,
        "filter_query": filter_query,
        "review_notes": review_notes_for(user=request.user, response=response),
        "shows_review_notes": bool(review_note_stages_visible_to(request.user, response.assessment.regency)),
        "since": changes_since_sent_back(response),
        "count_check": count_checks(response.assessment, [response]).get(response.pk),
    }
    may_note = can_add_review_note(request.user, response)
    if form is not None and not may_note:
        form.fields.pop("internal_note", None)
    context["note_form"] = (note_form or ReviewNoteForm(prefix="rn")) if may_note else None
    return render(request, "evaluations/review/detail.html", context, status=status)


@login_required
def review_detail(request, pk):
    return _render_review(request, _visible_response(request, pk))


@login_required
@require_POST
def review_decide(request, pk):
    response = _visible_response(request, pk)
    # Any reviewer of this regency may post: if the response moved on meanwhile,
    # the service answers with the stale-version message rather than a bare 403.
    if not reviews_regency(request.user, response.assessment.regency):
        raise PermissionDenied
    # Read before deciding: the filter's choices are what waits, and this response may be the last of its kind.
    _filter_form, filters, filter_query = _queue_filters(request)
    form = ReviewForm(request.POST, response=response)
    valid = form.is_valid()
    data = form.cleaned_data
    try:
        # Checked before the form's stage-specific rules so a stale page gets the clear message;
        # the service checks again under the row lock.
        require_version(response, data.get("version", response.version))
        if not valid:
            return _render_review(request, response, form=form)
        decided = response_review(
            response=response,
            actor=request.user,
            version=data["version"],
            decision=data["decision"],
            value=data.get("value"),
            reason=data.get("reason"),
            note=data.get("note", ""),
            accept_without_evidence=data.get("confirm_no_evidence", True),
            internal_note=data.get("internal_note", ""),
        )
    except NoEvidenceNotConfirmed as error:
        form.add_error("confirm_no_evidence", error)
        return _render_review(request, response, form=form)
    except StaleVersion as error:
        messages.error(request, str(error))
        return _render_review(request, _visible_response(request, pk), status=409)
    except WorkflowError as error:
        form.add_error(None, error)
        return _render_review(request, response, form=form)
    if decided.status == ResponseStatus.REVISION_REQUESTED:
        notice = _("%(code)s dikembalikan untuk perbaikan.")
    else:
        notice = _("%(code)s diterima.")
    messages.success(request, notice % {"code": decided.indicator.code})
    # The next waiting item of the reviewer's queue opens, in the queue's order and with its filter.
    following = next_in_queue(
        user=request.user,
        after=decided,
        regency=filters.get("regency"),
        tatanan=filters.get("tatanan") or "",
        opd_kind=filters.get("opd"),
    )
    if following is None:
        messages.info(request, _("Tidak ada lagi yang menunggu verifikasi Anda di antrean ini."))
        return redirect(_with_query(reverse("evaluations:review-queue"), filter_query))
    return redirect(_with_query(reverse("evaluations:review-detail", args=[following.pk]), filter_query))


@login_required
@require_POST
def review_note_add_view(request, pk):
    """An internal note without a decision (reviewers of the response's stage)."""
    response = _visible_response(request, pk)
    if not can_add_review_note(request.user, response):
        raise PermissionDenied
    _filter_form, _filters, filter_query = _queue_filters(request)
    form = ReviewNoteForm(request.POST, prefix="rn")
    if form.is_valid():
        try:
            review_note_add(response=response, body=form.cleaned_data["body"], actor=request.user)
        except WorkflowError as error:
            form.add_error("body", error)
    if not form.is_valid():
        return _render_review(request, response, note_form=form)
    messages.success(request, _("Catatan internal disimpan."))
    return redirect(_with_query(reverse("evaluations:review-detail", args=[response.pk]), filter_query))


def _selected_pks(request) -> list[int]:
    pks = []
    for raw in request.POST.getlist("pk"):
        try:
            pks.append(int(raw))
        except ValueError:
            continue
    return pks


@login_required
@require_POST
def review_bulk_confirm(request):
    """The queue's ticked items, listed for a confirmation before they are all accepted (nothing changes here)."""
    if role_of(request.user) not in REVIEWER_ROLES:
        raise PermissionDenied
    _form, _filters, filter_query = _queue_filters(request)
    pks = _selected_pks(request)
    rows = bulk_accept_candidates(user=request.user, pks=pks)
    acceptable = [row for row in rows if row.acceptable]
    if not pks:
        messages.error(request, _("Pilih indikator yang akan diterima."))
        return redirect(_with_query(reverse("evaluations:review-queue"), filter_query))
    return render(
        request,
        "evaluations/review/bulk_confirm.html",
        {"rows": rows, "acceptable": acceptable, "filter_query": filter_query},
    )


@login_required
@require_POST
def review_bulk_accept(request):
    """Accept the confirmed items (pk and the version the reviewer saw, in pairs) through the review service."""
    if role_of(request.user) not in REVIEWER_ROLES:
        raise PermissionDenied
    _form, _filters, filter_query = _queue_filters(request)
    versions = {}
    for raw in request.POST.getlist("item"):
        pk, _sep, version = raw.partition(":")
        if pk.isdigit() and version.isdigit():
            versions[int(pk)] = int(version)
    # Fetched through what the user may see; the service checks the review policy on each.
    responses = responses_visible_to(request.user).filter(pk__in=versions).order_by("updated_at", "pk")
    outcome = response_review_accept_many(
        items=[(response, versions[response.pk]) for response in responses], actor=request.user
    )
    if outcome.accepted:
        messages.success(
            request,
            ngettext(
                "%(n)d indikator diterima: %(codes)s.", "%(n)d indikator diterima: %(codes)s.", len(outcome.accepted)
            )
            % {"n": len(outcome.accepted), "codes": ", ".join(r.indicator.code for r in outcome.accepted)},
        )
    for response, message in outcome.refused:
        messages.error(request, f"{response.indicator.code}: {message}")
    if not versions:
        messages.error(request, _("Pilih indikator yang akan diterima."))
    return redirect(_with_query(reverse("evaluations:review-queue"), filter_query))


urlpatterns = [
    path("verifikasi/", review_queue_view, name="review-queue"),
    path("verifikasi/<int:pk>/", review_detail, name="review-detail"),
    path("verifikasi/<int:pk>/putuskan/", review_decide, name="review-decide"),
    path("verifikasi/<int:pk>/catatan-internal/", review_note_add_view, name="review-note-add"),
    path("verifikasi/terima-banyak/", review_bulk_confirm, name="review-bulk-confirm"),
    path("verifikasi/terima-banyak/simpan/", review_bulk_accept, name="review-bulk-accept"),
]
