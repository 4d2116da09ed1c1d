"""The read/write JSON API, version 1 (/api/v1/), with its OpenAPI 3 document (/api/v1/openapi.json).

Every endpoint fetches through the access policy of the pages (forums.permissions): a row outside the
token user's scope is 404, an action the policy refuses on a row they see is 403. Writes go through the same
services as the pages (evaluations.services.responses.response_save), so the same rules, validation and audit
history apply; a refusal by a service is 400 (409 for a stale version) with the service's message.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Literal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Query, Schema, Swagger
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as NinjaValidationError

from evaluations.models import Assessment, Evidence, EvidenceVersion, Response
from evaluations.selectors.readiness import LEVEL_LABELS
from evaluations.selectors.scores import assessment_scores
from evaluations.selectors.sipantas import sipantas_export
from evaluations.services.errors import StaleVersion, WorkflowError
from evaluations.services.responses import FILL_FIELDS, response_save
from forums.models import Region, RegionLevel
from forums.permissions import (
    assessments_visible_to,
    can_fill_response,
    can_request_dossier,
    evidence_versions_visible_to,
    get_for_user_or_404,
    provinces_visible_to,
    regencies_visible_to,
    responses_visible_to,
)
from kks.ratelimit import period_seconds
from tatanan.models import FrameworkVersion, Indicator, IndicatorKind, ScaleOption, Tatanan

from . import schemas
from .auth import RateLimited, TokenAuth

DESCRIPTION = """The KKS platform's data for other systems (SIPANTAS, provincial dashboards).

Authenticate with a personal token (created on the account page, `/akun/token-api/`) sent as
`Authorization: Bearer kks_...`. A token acts as its user: it sees and changes exactly what the user sees and
changes on the pages. Outside the user's scope: 404; seen but not allowed: 403; refused by a business rule:
400 (409 when the response changed since the version you sent); over the rate limit: 429 with Retry-After.
"""

api = NinjaAPI(
    title="KKS API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    auth=TokenAuth(),
    docs=Swagger(),  # assets from the pinned django-ninja package, served by the app itself (no CDN)
    docs_url="/docs",
    openapi_url="/openapi.json",
)

ErrorOut = schemas.ErrorOut
# What every operation may answer besides its success, so that the document lists every status code it gives.
COMMON: dict[int, Any] = {401: ErrorOut, 429: ErrorOut}
READ_ONE: dict[int, Any] = {**COMMON, 404: ErrorOut, 422: schemas.ValidationErrorOut}
LIST_ANSWERS: dict[int, Any] = {**COMMON, 422: schemas.ValidationErrorOut}
MAX_PAGE = 500


def _error(request: HttpRequest, status: int, detail: str, code: str | None = None) -> HttpResponse:
    return api.create_response(request, {"detail": detail, "code": code}, status=status)


@api.exception_handler(RateLimited)
def _rate_limited(request: HttpRequest, exc: RateLimited) -> HttpResponse:
    response = _error(request, 429, _("Terlalu banyak permintaan. Coba lagi nanti."), "rate_limited")
    response["Retry-After"] = str(period_seconds(exc.rule.rate))
    return response


@api.exception_handler(AuthenticationError)
def _unauthorized(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = _error(request, 401, _("Token API tidak ada, tidak dikenal atau sudah dicabut."), "unauthorized")
    response["WWW-Authenticate"] = 'Bearer realm="kks"'
    return response


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, _("Tidak ditemukan."), "not_found")


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return _error(request, 403, _("Anda tidak berwenang melakukan ini."), "forbidden")


@api.exception_handler(ValidationError)
def _refused(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """A service's refusal (WorkflowError and its kinds) or a model validation: the message as is."""
    code = getattr(exc, "default_code", None) if isinstance(exc, WorkflowError) else "invalid"
    return _error(request, 409 if isinstance(exc, StaleVersion) else 400, " ".join(exc.messages), code)


@api.exception_handler(NinjaValidationError)
def _invalid_request(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    return api.create_response(request, {"detail": exc.errors}, status=422)


def _user(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]  # set by TokenAuth


# --- frameworks -----------------------------------------------------------------------
# Every signed-in user reads every framework version, as on the framework pages (tatanan.views).


def _framework_out(fw: FrameworkVersion) -> dict[str, Any]:
    return {"code": fw.code, "name": fw.name, "year": fw.year, "status": fw.status, "published_at": fw.published_at}


def _indicator_out(i: Indicator) -> dict[str, Any]:
    return {
        "code": i.code,
        "kind": i.kind,
        "number": i.number,
        "name": i.name,
        "operational_definition": i.operational_definition,
        "data_source": i.data_source,
        "required_evidence": i.required_evidence,
        "body_kind": i.body_kind,
        "responsible_opd_kinds": sorted(k.code for k in i.responsible_opd_kinds.all()),
        "scale": [{"value": o.value, "description": o.description} for o in i.scale_options.all()],
    }


@api.get("/frameworks", response={200: list[schemas.FrameworkOut], **COMMON}, tags=["frameworks"])
def list_frameworks(request: HttpRequest) -> list[dict[str, Any]]:
    """Framework versions (draft and published), newest first."""
    return [_framework_out(fw) for fw in FrameworkVersion.objects.order_by("-year", "code")]


@api.get("/frameworks/{code}", response={200: schemas.FrameworkDetailOut, **READ_ONE}, tags=["frameworks"])
def get_framework(request: HttpRequest, code: str) -> dict[str, Any]:
    """One framework version with its tatanan, indicators and scales."""
    fw = FrameworkVersion.objects.filter(code=code).first()
    if fw is None:
        raise Http404
    indicators = list(
        Indicator.objects.filter(framework=fw)
        .order_by("sort_order", "pk")
        .prefetch_related(
            Prefetch("scale_options", queryset=ScaleOption.objects.order_by("-value")), "responsible_opd_kinds"
        )
    )
    by_tatanan: dict[int | None, list[dict[str, Any]]] = {}
    for indicator in indicators:
        by_tatanan.setdefault(indicator.tatanan_id, []).append(_indicator_out(indicator))
    tatanan = [
        {"number": t.number, "name": t.name, "description": t.description, "indicators": by_tatanan.get(t.pk, [])}
        for t in Tatanan.objects.filter(framework=fw).order_by("number")
    ]
    return {
        **_framework_out(fw),
        "description": fw.description,
        "source": fw.source,
        "tatanan": tatanan,
        "kelembagaan": by_tatanan.get(None, []),
    }


# --- regions ------------------------------------------------------------------------------


def _region_out(region: Region) -> dict[str, Any]:
    parent = region.parent.code if region.level == RegionLevel.REGENCY and region.parent is not None else None
    return {"code": region.code, "name": region.name, "level": region.level, "parent_code": parent}


class RegionFilter(Schema):
    level: Literal["provinsi", "kabkota"] | None = None
    parent: str | None = None


@api.get("/regions", response={200: list[schemas.RegionOut], **LIST_ANSWERS}, tags=["regions"])
def list_regions(request: HttpRequest, filters: Query[RegionFilter]) -> list[dict[str, Any]]:
    """The provinces and kabupaten/kota the user covers (a province official: theirs and its regencies)."""
    user = _user(request)
    regions: list[Region] = []
    if filters.level in (None, RegionLevel.PROVINCE) and filters.parent is None:
        regions += list(provinces_visible_to(user).order_by("code"))
    if filters.level in (None, RegionLevel.REGENCY):
        regencies = regencies_visible_to(user).select_related("parent").order_by("code")
        if filters.parent is not None:
            regencies = regencies.filter(parent__code=filters.parent)
        regions += list(regencies)
    return [_region_out(r) for r in regions]


# --- assessments ------------------------------------------------------------------------


def _assessment_out(a: Assessment) -> dict[str, Any]:
    cycle = a.cycle
    return {
        "id": a.pk,
        "cycle": {
            "id": cycle.pk,
            "name": cycle.name,
            "year": cycle.year,
            "data_year": cycle.data_year,
            "data_year_previous": cycle.data_year_previous,
            "framework_code": cycle.framework.code,
        },
        "regency": _region_out(a.regency),
        "status": a.status,
        "updated_at": a.updated_at,
    }


def _assessments(user: Any) -> QuerySet[Assessment]:
    return assessments_visible_to(user).select_related("cycle__framework", "regency__parent")


class AssessmentFilter(Schema):
    cycle: int | None = None
    regency: str | None = None
    limit: int = schemas.Field(100, ge=1, le=MAX_PAGE)
    offset: int = schemas.Field(0, ge=0, le=1_000_000)


@api.get("/assessments", response={200: schemas.AssessmentPage, **LIST_ANSWERS}, tags=["assessments"])
def list_assessments(request: HttpRequest, filters: Query[AssessmentFilter]) -> dict[str, Any]:
    """The assessments (one kabupaten/kota in one cycle) the user sees, by cycle then regency code."""
    assessments = _assessments(_user(request)).order_by("-cycle__year", "cycle_id", "regency__code")
    if filters.cycle is not None:
        assessments = assessments.filter(cycle_id=filters.cycle)
    if filters.regency is not None:
        assessments = assessments.filter(regency__code=filters.regency)
    page = assessments[filters.offset : filters.offset + filters.limit]
    return {"count": assessments.count(), "items": [_assessment_out(a) for a in page]}


def _visible_assessment(request: HttpRequest, assessment_id: int) -> Assessment:
    return get_for_user_or_404(_assessments(_user(request)), pk=assessment_id)


@api.get("/assessments/{assessment_id}", response={200: schemas.AssessmentDetailOut, **READ_ONE}, tags=["assessments"])
def get_assessment(request: HttpRequest, assessment_id: int) -> dict[str, Any]:
    """One assessment with its ODF figures, the scores per tatanan and the award level on each basis."""
    assessment = _visible_assessment(request, assessment_id)
    scores = assessment_scores(assessment)
    return {
        **_assessment_out(assessment),
        "odf_kecamatan_count": assessment.odf_kecamatan_count,
        "odf_village_count": assessment.odf_village_count,
        "odf_stop_babs_count": assessment.odf_stop_babs_count,
        "odf_percent": float(scores.odf_percent),
        "kelembagaan_filled": scores.kelembagaan_filled,
        "kelembagaan_total": scores.kelembagaan_total,
        "tatanan": [
            {
                "number": row.tatanan.number,
                "name": row.tatanan.name,
                "filled": row.filled,
                "total": row.total,
                "scores": {
                    basis: {"total": s.total, "count": s.count, "answered": s.answered, "percent": float(s.percent)}
                    for basis, s in row.scores.items()
                },
            }
            for row in scores.tatanan
        ],
        "readiness": {
            basis: {
                "level": r.level.value,
                "level_label": str(LEVEL_LABELS.get(r.level, r.level.value)),
                "score": float(r.score),
                "odf_percent": float(r.odf_percent),
                "kelembagaan_complete": r.kelembagaan_complete,
                "next_level": r.next_level.value if r.next_level is not None else None,
            }
            for basis, r in scores.readiness.items()
        },
    }


@api.get(
    "/assessments/{assessment_id}/sipantas",
    response={200: dict[str, Any], **READ_ONE},
    tags=["assessments"],
)
def get_sipantas_export(request: HttpRequest, assessment_id: int) -> dict[str, Any]:
    """The SIPANTAS export of one assessment, as the page's JSON download (docs/operations.md: per indicator
    capaian of both data years, scores, explanations, status and evidence links; ODF; kelembagaan;
    ``missing_ids`` names the rows the crosswalk has no SIPANTAS id for). The same rule as the dossier: everyone
    who sees the assessment except OPD officers."""
    user = _user(request)
    assessment = get_for_user_or_404(_assessments(user), check=can_request_dossier, user=user, pk=assessment_id)
    return dict(sipantas_export(assessment=assessment, base_url=settings.KKS_SITE_URL))


# --- responses --------------------------------------------------------------------------


def _responses(user: Any) -> QuerySet[Response]:
    return (
        responses_visible_to(user)
        .select_related("assessment__regency", "indicator__tatanan")
        .prefetch_related("indicator__responsible_opd_kinds", "indicator__scale_options")
    )


def _response_out(user: Any, r: Response) -> dict[str, Any]:
    indicator = r.indicator
    return {
        "id": r.pk,
        "assessment_id": r.assessment_id,
        "indicator_code": indicator.code,
        "indicator_kind": indicator.kind,
        "tatanan_number": indicator.tatanan.number if indicator.tatanan is not None else None,
        "value": r.value,
        "value_provincial": r.value_provincial,
        "value_national": r.value_national,
        "achievement": r.achievement,
        "achievement_previous": r.achievement_previous,
        "explanation": r.explanation,
        "stage": r.stage,
        "status": r.status,
        "revision_due": r.revision_due,
        "version": r.version,
        "updated_at": r.updated_at,
        "can_fill": can_fill_response(user, r),
    }


class ResponseFilter(Schema):
    tatanan: int | None = schemas.Field(None, description="Tatanan number; 0 for the kelembagaan indicators.")
    status: str | None = None


@api.get(
    "/assessments/{assessment_id}/responses",
    response={200: list[schemas.ResponseOut], **READ_ONE},
    tags=["responses"],
)
def list_responses(request: HttpRequest, assessment_id: int, filters: Query[ResponseFilter]) -> list[dict[str, Any]]:
    """The answers of one assessment, in framework order."""
    user = _user(request)
    assessment = _visible_assessment(request, assessment_id)
    responses = _responses(user).filter(assessment=assessment).order_by("indicator__sort_order", "pk")
    if filters.tatanan == 0:
        responses = responses.filter(indicator__kind=IndicatorKind.KELEMBAGAAN)
    elif filters.tatanan is not None:
        responses = responses.filter(indicator__tatanan__number=filters.tatanan)
    if filters.status is not None:
        responses = responses.filter(status=filters.status)
    rows = list(responses)
    for r in rows:
        r.assessment = assessment  # one instance: its OPD assignments load once for the policy, not per row
    return [_response_out(user, r) for r in rows]


def _visible_response(request: HttpRequest, response_id: int, *, check: Any = None) -> Response:
    return get_for_user_or_404(_responses(_user(request)), check=check, user=_user(request), pk=response_id)


@api.get("/responses/{response_id}", response={200: schemas.ResponseOut, **READ_ONE}, tags=["responses"])
def get_response(request: HttpRequest, response_id: int) -> dict[str, Any]:
    return _response_out(_user(request), _visible_response(request, response_id))


@api.patch(
    "/responses/{response_id}",
    response={200: schemas.ResponseOut, 400: ErrorOut, 403: ErrorOut, 409: ErrorOut, **READ_ONE},
    tags=["responses"],
)
def update_response(request: HttpRequest, response_id: int, payload: schemas.ResponseIn) -> dict[str, Any]:
    """Save the nilai mandiri, capaian or explanation of a response the user fills (and optionally submit it).

    The same service and rules as the fill page: the fill window, the indicator's scale, the text limits, a
    response under review or accepted is not changed.
    """
    user = _user(request)
    response = _visible_response(request, response_id, check=can_fill_response)
    given = payload.dict(exclude_unset=True)
    data = {f: given[f] for f in FILL_FIELDS if f in given}
    for field in ("achievement", "achievement_previous", "explanation"):
        if field in data and data[field] is None:
            data[field] = ""
    saved = response_save(response=response, data=data, actor=user, version=payload.version, submit=payload.submit)
    return _response_out(user, _visible_response(request, saved.pk))


# --- evidence --------------------------------------------------------------------------


def _version_out(v: EvidenceVersion) -> dict[str, Any]:
    return {
        "id": v.pk,
        "number": v.number,
        "original_name": v.original_name,
        "content_type": v.content_type,
        "size": v.size,
        "sha256": v.sha256,
        "uploaded_at": v.uploaded_at,
        "download_url": settings.KKS_SITE_URL.rstrip("/") + reverse("evaluations:evidence-download", args=[v.pk]),
    }


def _evidence_out(items: Iterable[Evidence]) -> list[dict[str, Any]]:
    return [
        {
            "id": e.pk,
            "response_id": e.response_id,
            "title": e.title,
            "created_at": e.created_at,
            "withdrawn_at": e.withdrawn_at,
            "current_version_id": e.current_id,
            "versions": [_version_out(v) for v in e.versions.all()],
        }
        for e in items
    ]


@api.get("/responses/{response_id}/evidence", response={200: list[schemas.EvidenceOut], **READ_ONE}, tags=["evidence"])
def list_evidence(request: HttpRequest, response_id: int) -> list[dict[str, Any]]:
    """The evidence of a response (withdrawn ones too), with every file version's metadata; no file content."""
    response = _visible_response(request, response_id)
    evidence = (
        Evidence.objects.filter(response=response)
        .order_by("created_at", "pk")
        .prefetch_related(
            Prefetch("versions", queryset=evidence_versions_visible_to(_user(request)).order_by("number"))
        )
    )
    return _evidence_out(evidence)
