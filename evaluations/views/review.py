"""The reviewers' pages: the queue of what waits for them and the review of one response."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from evaluations.forms.responses import CommentForm
from evaluations.forms.review import QueueFilterForm, ReviewForm
from evaluations.models import ResponseStatus
from evaluations.selectors.fill import decorate, with_card_data
from evaluations.selectors.general_data import count_checks
from evaluations.selectors.queue import review_queue, waiting_for
from evaluations.services.cycles import REVIEW_WINDOW, WINDOW_LABELS, review_window_open
from evaluations.services.errors import NoEvidenceNotConfirmed, StaleVersion, WorkflowError
from evaluations.services.guards import WAITING, require_version, was_accepted
from evaluations.services.responses import response_review
from forums.permissions import (
    REVIEWER_ROLES,
    can_comment_response,
    can_correct_response,
    can_fill_response,
    can_review_response,
    can_review_stage,
    get_for_user_or_404,
    may_decide,
    responses_visible_to,
    reviews_regency,
    role_of,
)

PAGE_SIZE = 25


@login_required
def review_queue_view(request):
    if role_of(request.user) not in REVIEWER_ROLES:
        raise PermissionDenied
    form = QueueFilterForm(request.GET or None, waiting=waiting_for(request.user))
    filters = form.cleaned_data if form.is_valid() else {}
    responses = review_queue(
        user=request.user,
        regency=filters.get("regency"),
        tatanan=filters.get("tatanan") or "",
        opd_kind=filters.get("opd"),
    )
    page = Paginator(responses, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "evaluations/review/queue.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


def _visible_response(request, pk):
    return decorate(
        get_for_user_or_404(
            with_card_data(responses_visible_to(request.user)).select_related(
                "assessment__cycle", "assessment__regency__parent"
            ),
            pk=pk,
        )
    )


def _render_review(request, response, *, form=None, status=200):
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
        "count_check": count_checks(response.assessment, [response]).get(response.pk),
    }
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
    return redirect(reverse("evaluations:review-queue"))


urlpatterns = [
    path("verifikasi/", review_queue_view, name="review-queue"),
    path("verifikasi/<int:pk>/", review_detail, name="review-detail"),
    path("verifikasi/<int:pk>/putuskan/", review_decide, name="review-decide"),
]
