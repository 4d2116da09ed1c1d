"""The account page where a user creates and revokes their own API tokens (/akun/token-api/)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from evaluations.services.errors import WorkflowError

from .forms import TokenCreateForm
from .services import MAX_ACTIVE_TOKENS, api_token_create, api_token_revoke, api_tokens_of


def _page(request, *, form=None, issued=None, status=200):
    context = {
        "form": form or TokenCreateForm(),
        "tokens": api_tokens_of(request.user),
        "issued": issued,
        "max_active": MAX_ACTIVE_TOKENS,
        "docs_url": reverse("api-v1:openapi-view"),
        "openapi_url": reverse("api-v1:openapi-json"),
    }
    return render(request, "api/tokens.html", context, status=status)


@never_cache  # the answer to a creation holds the secret: no-store
@login_required
@require_http_methods(["GET", "POST"])
def token_list(request):
    """The user's tokens; a POST creates one and shows its secret on this answer only."""
    if request.method == "GET":
        return _page(request)
    form = TokenCreateForm(request.POST)
    if not form.is_valid():
        return _page(request, form=form, status=400)
    try:
        issued = api_token_create(user=request.user, name=form.cleaned_data["name"], actor=request.user)
    except WorkflowError as error:
        form.add_error(None, error)
        return _page(request, form=form, status=400)
    return _page(request, issued=issued)


@login_required
@require_POST
def token_revoke(request, pk):
    token = get_object_or_404(api_tokens_of(request.user), pk=pk)  # someone else's token: 404
    api_token_revoke(token=token, actor=request.user)
    messages.success(request, _("Token %(name)s dicabut.") % {"name": token.name})
    return redirect("api-tokens:list")


app_name = "api-tokens"

urlpatterns = [
    path("", token_list, name="list"),
    path("<int:pk>/cabut/", token_revoke, name="revoke"),
]
