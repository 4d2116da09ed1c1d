"""Adding to the append-only comment thread of a response."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import path
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from evaluations.forms.responses import CommentForm
from evaluations.services.comments import comment_add
from evaluations.services.errors import WorkflowError
from evaluations.services.notifications import fill_url
from forums.permissions import can_comment_response, get_for_user_or_404, responses_visible_to

from .fill import render_card


@login_required
@require_POST
def comment_add_view(request, pk):
    response = get_for_user_or_404(
        responses_visible_to(request.user).select_related(
            "assessment__cycle", "assessment__regency", "indicator__tatanan"
        ),
        check=can_comment_response,
        user=request.user,
        pk=pk,
    )
    form = CommentForm(request.POST, prefix=f"c{pk}")
    errors = []
    if form.is_valid():
        try:
            comment_add(response=response, body=form.cleaned_data["body"], actor=request.user)
        except WorkflowError as error:
            errors = error.messages
    else:
        errors = [e for errs in form.errors.values() for e in errs]
    if request.htmx:
        if errors:
            return render_card(request, response, comment_form=form, errors=errors)
        return render_card(request, response, notice=_("Komentar ditambahkan."))
    for error in errors:
        messages.error(request, error)
    if not errors:
        messages.success(request, _("Komentar ditambahkan."))
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = fill_url(response)
    return redirect(target)


urlpatterns = [
    path("jawaban/<int:pk>/komentar/", comment_add_view, name="comment-add"),
]
