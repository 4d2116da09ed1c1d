"""Bodies: list, detail, create, edit, SK download, and loading kecamatan/desa for a new FKK or Pokja."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from forums import selectors, services
from forums.forms import BodyFilterForm, BodyForm
from forums.models import Body, BodyKind, RegionLevel
from forums.permissions import (
    bodies_visible_to,
    body_scopes_visible_to,
    can_create_body_in,
    can_manage_body,
    can_manage_opds,
    get_for_user_or_404,
    regencies_visible_to,
)

from . import apply_service_errors

PAGE_SIZE = 50


@login_required
def body_list(request):
    user = request.user
    scopes = body_scopes_visible_to(user).order_by("code")
    form = BodyFilterForm(request.GET or None, regions=scopes)
    kind = region = None
    if form.is_valid():
        kind, region = form.cleaned_data["kind"], form.cleaned_data["region"]
    page = Paginator(selectors.body_list(user, kind=kind, region=region), PAGE_SIZE).get_page(request.GET.get("page"))
    places = [r for r in {user.region, region} if r is not None and r.level != RegionLevel.DISTRICT]
    return render(
        request,
        "forums/body_list.html",
        {
            "form": form,
            "page": page,
            "show_region_filter": scopes.count() > 1,
            "create_in": [r for r in places if can_create_body_in(user, r)],
            "opd_regency": user.region if user.region_id and user.region.level == RegionLevel.REGENCY else None,
            "query": _query_without_page(request),
        },
    )


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _visible_body(request, pk, check=None):
    scope = bodies_visible_to(request.user).select_related("region", "region__parent", "scope_region")
    return get_for_user_or_404(scope, check=check, user=request.user, pk=pk)


@login_required
def body_detail(request, pk):
    body = _visible_body(request, pk)
    current, others = selectors.body_memberships(body)
    return render(
        request,
        "forums/body_detail.html",
        {
            "body": body,
            "current_members": current,
            "other_members": others,
            "can_manage": can_manage_body(request.user, body),
            "can_manage_opds": can_manage_opds(request.user, body.scope_region),
        },
    )


@login_required
def body_create(request, region_pk):
    scope_region = get_for_user_or_404(
        body_scopes_visible_to(request.user), check=can_create_body_in, user=request.user, pk=region_pk
    )
    initial = {"kind": request.GET.get("jenis")} if request.GET.get("jenis") in BodyKind.values else {}
    form = BodyForm(request.POST or None, request.FILES or None, scope_region=scope_region, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            body = services.body_create(actor=request.user, **form.service_kwargs())
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Lembaga %(name)s disimpan.") % {"name": body.name})
            return redirect("forums:body-detail", pk=body.pk)
    return render(
        request,
        "forums/body_form.html",
        {
            "form": form,
            "scope_region": scope_region,
            "needs_subregions": scope_region.level == RegionLevel.REGENCY
            and not selectors.regency_has_subregions(scope_region),
        },
    )


@login_required
def body_edit(request, pk):
    body = _visible_body(request, pk, check=can_manage_body)
    form = BodyForm(request.POST or None, request.FILES or None, instance=body, scope_region=body.scope_region)
    if request.method == "POST" and form.is_valid():
        try:
            services.body_update(body=body, actor=request.user, **form.service_kwargs())
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Perubahan disimpan."))
            return redirect("forums:body-detail", pk=body.pk)
    return render(request, "forums/body_form.html", {"form": form, "body": body, "scope_region": body.scope_region})


@login_required
def body_sk_download(request, pk):
    body = _visible_body(request, pk)
    if not body.sk_file:
        raise Http404
    try:
        handle = body.sk_file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=body.sk_file_name or f"SK{_extension(body)}",
        content_type=body.sk_file_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _extension(body: Body) -> str:
    name = body.sk_file.name
    return name[name.rfind(".") :] if "." in name.rsplit("/", 1)[-1] else ""


@login_required
@require_POST
def regency_load_subregions(request, region_pk):
    """Load the kecamatan and desa/kelurahan of a regency so an FKK or Pokja can be placed there."""
    regency = get_for_user_or_404(
        regencies_visible_to(request.user), check=can_create_body_in, user=request.user, pk=region_pk
    )
    try:
        result = services.regions_load(regency_codes=[regency.code], include_base=False)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        created = sum(result.created.values())
        messages.success(request, _("%(count)s kecamatan dan desa/kelurahan dimuat.") % {"count": created})
    url = reverse("forums:body-create", args=[regency.pk])
    kind = request.POST.get("jenis")
    return redirect(f"{url}?jenis={kind}" if kind in BodyKind.values else url)


urlpatterns = [
    path("", body_list, name="body-list"),
    path("<int:pk>/", body_detail, name="body-detail"),
    path("<int:pk>/ubah/", body_edit, name="body-edit"),
    path("<int:pk>/sk/", body_sk_download, name="body-sk-download"),
    path("wilayah/<int:region_pk>/baru/", body_create, name="body-create"),
    path("wilayah/<int:region_pk>/muat-kecamatan-desa/", regency_load_subregions, name="regency-load-subregions"),
]
