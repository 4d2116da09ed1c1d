"""The access policy: the one place that answers who may see and do what.

Two kinds of function:
- scopes, ``<noun>s_visible_to(user) -> QuerySet``: the rows a user may see;
  a row outside the scope is answered with 404 by the views;
- predicates, ``can_<verb>_<noun>(user, obj) -> bool``: whether a user may act
  on an object they can see; a refusal is answered with 403.

Views fetch through ``get_for_user_or_404`` and services re-check the
predicates, so tasks and commands cannot bypass the policy.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from .models import Body, Region, RegionLevel, Role

REGENCY_ROLES = {Role.FORUM_COORDINATOR, Role.OPD_OFFICER}
NATIONWIDE_ROLES = {Role.NATIONAL_VERIFIER, Role.ADMIN}


# --- who is who -------------------------------------------------------------


def role_of(user) -> str | None:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if user.is_superuser:
        return Role.ADMIN
    return user.role or None


def is_admin(user) -> bool:
    return role_of(user) == Role.ADMIN


def is_nationwide(user) -> bool:
    return role_of(user) in NATIONWIDE_ROLES


def _scope_region(user) -> Region | None:
    return user.region if user.region_id else None


def province_of(user) -> int | None:
    """The province id of a user's region, or None."""
    region = _scope_region(user)
    if region is None:
        return None
    if region.level == RegionLevel.PROVINCE:
        return region.pk
    return region.parent_id


# --- scopes -----------------------------------------------------------------


def regencies_visible_to(user) -> QuerySet[Region]:
    """Kabupaten/kota the user may see."""
    role = role_of(user)
    regencies = Region.objects.regencies()
    if role is None:
        return regencies.none()
    if role in NATIONWIDE_ROLES:
        return regencies
    region = _scope_region(user)
    if region is None:
        return regencies.none()
    if region.level == RegionLevel.PROVINCE:
        return regencies.filter(parent_id=region.pk)
    if region.level == RegionLevel.REGENCY:
        return regencies.filter(pk=region.pk)
    return regencies.none()


def provinces_visible_to(user) -> QuerySet[Region]:
    role = role_of(user)
    provinces = Region.objects.provinces()
    if role in NATIONWIDE_ROLES:
        return provinces
    if role in (Role.PROVINCIAL_OFFICIAL, Role.HEALTH_REVIEWER):
        region = _scope_region(user)
        if region is not None and region.level == RegionLevel.PROVINCE:
            return provinces.filter(pk=region.pk)
    return provinces.none()


def _regency_filter(user, field: str) -> Q | None:
    """A Q restricting ``field`` (a path to a regency Region) to the user's scope; None = everything."""
    role = role_of(user)
    if role is None:
        return Q(pk__in=[])
    if role in NATIONWIDE_ROLES:
        return None
    region = _scope_region(user)
    if region is None:
        return Q(pk__in=[])
    if region.level == RegionLevel.PROVINCE:
        return Q(**{f"{field}__parent_id": region.pk})
    if region.level == RegionLevel.REGENCY:
        return Q(**{f"{field}_id": region.pk})
    return Q(pk__in=[])


def _scoped(qs: QuerySet, user, field: str) -> QuerySet:
    condition = _regency_filter(user, field)
    return qs if condition is None else qs.filter(condition)


def assessments_visible_to(user) -> QuerySet:
    from evaluations.models import Assessment

    return _scoped(Assessment.objects.all(), user, "regency")


def responses_visible_to(user) -> QuerySet:
    from evaluations.models import Response

    return _scoped(Response.objects.all(), user, "assessment__regency")


def evidence_versions_visible_to(user) -> QuerySet:
    from evaluations.models import EvidenceVersion

    return _scoped(EvidenceVersion.objects.all(), user, "evidence__response__assessment__regency")


def report_jobs_visible_to(user) -> QuerySet:
    """Dossiers of visible assessments, and readiness reports of visible provinces."""
    from evaluations.models import ReportJob, ReportKind

    jobs = ReportJob.objects.all()
    role = role_of(user)
    if role is None:
        return jobs.none()
    if role in NATIONWIDE_ROLES:
        return jobs
    dossiers = Q(kind=ReportKind.DOSSIER, assessment__in=assessments_visible_to(user))
    readiness = Q(kind=ReportKind.READINESS, region__in=provinces_visible_to(user))
    return jobs.filter(dossiers | readiness)


def bodies_visible_to(user) -> QuerySet[Body]:
    """Bodies whose scope region (regency, or province for Tim Pembina Provinsi) the user covers."""
    role = role_of(user)
    bodies = Body.objects.all()
    if role is None:
        return bodies.none()
    if role in NATIONWIDE_ROLES:
        return bodies
    region = _scope_region(user)
    if region is None:
        return bodies.none()
    if region.level == RegionLevel.PROVINCE:
        return bodies.filter(Q(scope_region_id=region.pk) | Q(scope_region__parent_id=region.pk))
    return bodies.filter(scope_region_id=region.pk)


def memberships_visible_to(user) -> QuerySet:
    """Seats in the bodies the user sees."""
    from .models import Membership

    return Membership.objects.filter(body__in=bodies_visible_to(user))


def opds_visible_to(user) -> QuerySet:
    """OPD of the kabupaten/kota the user sees."""
    from .models import Opd

    return _scoped(Opd.objects.all(), user, "regency")


def body_scopes_visible_to(user) -> QuerySet[Region]:
    """Regions that can own bodies (provinces and kabupaten/kota) and that the user sees."""
    return Region.objects.filter(
        Q(pk__in=regencies_visible_to(user).values("pk")) | Q(pk__in=provinces_visible_to(user).values("pk"))
    )


# --- predicates -------------------------------------------------------------


def can_manage_body(user, body: Body) -> bool:
    """Forum coordinators keep their regency's bodies; provincial officials their province's Tim Pembina."""
    role = role_of(user)
    if role == Role.ADMIN:
        return True
    if role == Role.FORUM_COORDINATOR:
        return body.scope_region_id == user.region_id
    if role == Role.PROVINCIAL_OFFICIAL:
        return body.scope_region_id == user.region_id
    return False


def can_create_body_in(user, scope_region: Region) -> bool:
    role = role_of(user)
    if role == Role.ADMIN:
        return True
    return role in (Role.FORUM_COORDINATOR, Role.PROVINCIAL_OFFICIAL) and scope_region.pk == user.region_id


def can_manage_opds(user, regency: Region) -> bool:
    """The regency's forum coordinator keeps its list of OPD (and an admin anywhere)."""
    role = role_of(user)
    if role == Role.ADMIN:
        return True
    return role == Role.FORUM_COORDINATOR and regency.pk == user.region_id


def can_view_assessment(user, assessment) -> bool:
    return assessments_visible_to(user).filter(pk=assessment.pk).exists()


def can_edit_assessment(user, assessment) -> bool:
    """General data and ODF figures: the regency's forum coordinator (or an admin)."""
    role = role_of(user)
    if role == Role.ADMIN:
        return True
    return role == Role.FORUM_COORDINATOR and assessment.regency_id == user.region_id


def opd_responsible_for(user, indicator) -> bool:
    """Whether an OPD officer's OPD kind is responsible for the indicator (uses the prefetch if any)."""
    if not user.opd_id:
        return False
    kind_id = user.opd.kind_id
    return any(k.pk == kind_id for k in indicator.responsible_opd_kinds.all())


def can_fill_response(user, response) -> bool:
    """Write the regency's own answer: coordinator for any indicator, OPD officer for its indicators."""
    role = role_of(user)
    regency_id = response.assessment.regency_id
    if role == Role.ADMIN:
        return True
    if role == Role.FORUM_COORDINATOR:
        return regency_id == user.region_id
    if role == Role.OPD_OFFICER:
        # The officer's OPD must belong to the regency too, not only their assigned region.
        return (
            regency_id == user.region_id
            and user.opd_id is not None
            and user.opd.regency_id == regency_id
            and opd_responsible_for(user, response.indicator)
        )
    return False


def can_review_stage(user, stage: str, regency: Region) -> bool:
    """Whether the user reviews responses of ``regency`` at ``stage`` (kabupaten/provinsi/pusat)."""
    role = role_of(user)
    if role == Role.ADMIN:
        return True
    region = _scope_region(user)
    if stage == "kabupaten":
        if role != Role.HEALTH_REVIEWER or region is None:
            return False
        return region.pk in (regency.pk, regency.parent_id)
    if stage == "provinsi":
        if role not in (Role.PROVINCIAL_OFFICIAL, Role.HEALTH_REVIEWER) or region is None:
            return False
        return region.level == RegionLevel.PROVINCE and region.pk == regency.parent_id
    if stage == "pusat":
        return role == Role.NATIONAL_VERIFIER
    return False


def responses_to_review_by(user) -> QuerySet:
    """Responses at a stage the user reviews, in the regencies where they review it (mirrors can_review_stage)."""
    from evaluations.models import Response

    responses = Response.objects.all()
    role = role_of(user)
    if role == Role.ADMIN:
        return responses
    if role == Role.NATIONAL_VERIFIER:
        return responses.filter(stage="pusat")
    region = _scope_region(user)
    if region is None:
        return responses.none()
    condition = Q(pk__in=[])
    if role == Role.HEALTH_REVIEWER:
        condition |= Q(stage="kabupaten") & (
            Q(assessment__regency_id=region.pk) | Q(assessment__regency__parent_id=region.pk)
        )
    if role in (Role.PROVINCIAL_OFFICIAL, Role.HEALTH_REVIEWER) and region.level == RegionLevel.PROVINCE:
        condition |= Q(stage="provinsi", assessment__regency__parent_id=region.pk)
    return responses.filter(condition)


def reviewers_for_stage(stage: str, regency: Region) -> QuerySet:
    """Active users (admins excluded) who review ``regency`` at ``stage``: the recipients of "waits for review"."""
    from .models import User

    users = User.objects.filter(is_active=True, is_superuser=False)
    if stage == "kabupaten":
        return users.filter(role=Role.HEALTH_REVIEWER, region_id__in=[regency.pk, regency.parent_id])
    if stage == "provinsi":
        return users.filter(
            role__in=[Role.PROVINCIAL_OFFICIAL, Role.HEALTH_REVIEWER],
            region_id=regency.parent_id,
            region__level=RegionLevel.PROVINCE,
        )
    if stage == "pusat":
        return users.filter(role=Role.NATIONAL_VERIFIER)
    return users.none()


def fillers_for_response(response) -> QuerySet:
    """Active users who fill ``response`` (mirrors can_fill_response, admins excluded): recipients of its news."""
    from .models import User

    kinds = [k.pk for k in response.indicator.responsible_opd_kinds.all()]
    return User.objects.filter(is_active=True, is_superuser=False, region_id=response.assessment.regency_id).filter(
        Q(role=Role.FORUM_COORDINATOR)
        | Q(role=Role.OPD_OFFICER, opd__kind_id__in=kinds, opd__regency_id=response.assessment.regency_id)
    )


def can_review_response(user, response) -> bool:
    return can_review_stage(user, response.stage, response.assessment.regency)


def can_comment_response(user, response) -> bool:
    """Anyone who can fill or review at any stage may add to the thread."""
    if can_fill_response(user, response):
        return True
    regency = response.assessment.regency
    return any(can_review_stage(user, stage, regency) for stage in ("kabupaten", "provinsi", "pusat"))


def can_request_dossier(user, assessment) -> bool:
    """Everyone who sees the assessment except OPD officers may ask for its dossier."""
    return role_of(user) != Role.OPD_OFFICER and can_view_assessment(user, assessment)


def can_view_province_report(user, province: Region) -> bool:
    return provinces_visible_to(user).filter(pk=province.pk).exists()


def can_view_national_report(user) -> bool:
    return is_nationwide(user)


def can_manage_cycle(user) -> bool:
    return is_admin(user)


# --- fetch helpers for views ---------------------------------------------------


def get_for_user_or_404(scope: QuerySet, *, check=None, user=None, **lookup):
    """Fetch from a scope (404 when outside it), then apply ``check(user, obj)`` (403 when False)."""
    try:
        obj = scope.get(**lookup)
    except scope.model.DoesNotExist:
        raise Http404 from None
    if check is not None and not check(user, obj):
        raise PermissionDenied
    return obj


# --- accounts -------------------------------------------------------------------
#
# Who may create and manage which accounts. One table of grants per manager role
# (the roles it may hand out and the regions it may place them in) is the only
# rule; the scope, the predicates and the form choices all read it.

# Seniority, for "never above one's own role" (checked by the tests against the grants).
ROLE_RANK: dict[str, int] = {
    Role.OPD_OFFICER: 1,
    Role.FORUM_COORDINATOR: 2,
    Role.HEALTH_REVIEWER: 2,
    Role.PROVINCIAL_OFFICIAL: 3,
    Role.NATIONAL_VERIFIER: 4,
    Role.ADMIN: 5,
}

# The level of region each role works at; an empty set means no region (nationwide).
ROLE_REGION_LEVELS: dict[str, frozenset[str]] = {
    Role.FORUM_COORDINATOR: frozenset({RegionLevel.REGENCY}),
    Role.OPD_OFFICER: frozenset({RegionLevel.REGENCY}),
    Role.HEALTH_REVIEWER: frozenset({RegionLevel.PROVINCE, RegionLevel.REGENCY}),
    Role.PROVINCIAL_OFFICIAL: frozenset({RegionLevel.PROVINCE}),
    Role.NATIONAL_VERIFIER: frozenset(),
    Role.ADMIN: frozenset(),
}


@dataclass(frozen=True)
class AccountGrant:
    """Accounts of ``roles`` whose region matches ``regions`` (a condition on Region; None = no region)."""

    roles: frozenset[str]
    regions: Q | None


def account_grants(user) -> list[AccountGrant] | None:
    """What ``user`` may hand out: a list of grants, or None for everything (the national admin)."""
    role = role_of(user)
    if role == Role.ADMIN:
        return None
    region = _scope_region(user)
    if region is None:
        return []
    if role == Role.PROVINCIAL_OFFICIAL and region.level == RegionLevel.PROVINCE:
        return [
            AccountGrant(frozenset({Role.HEALTH_REVIEWER, Role.PROVINCIAL_OFFICIAL}), Q(pk=region.pk)),
            AccountGrant(
                frozenset({Role.FORUM_COORDINATOR, Role.HEALTH_REVIEWER}),
                Q(parent_id=region.pk, level=RegionLevel.REGENCY),
            ),
        ]
    if role == Role.FORUM_COORDINATOR and region.level == RegionLevel.REGENCY:
        return [AccountGrant(frozenset({Role.OPD_OFFICER}), Q(pk=region.pk))]
    return []


def roles_assignable_by(user) -> set[Role]:
    """The roles ``user`` may give to an account (empty: no account pages at all)."""
    grants = account_grants(user)
    if grants is None:
        return set(Role)
    return {Role(role) for grant in grants for role in grant.roles}


def can_manage_accounts(user) -> bool:
    return bool(roles_assignable_by(user))


# The roles that account_grants gives anything to (with a region of the right level).
ACCOUNT_MANAGER_ROLES = frozenset({Role.ADMIN, Role.PROVINCIAL_OFFICIAL, Role.FORUM_COORDINATOR})


def shows_account_pages(user) -> bool:
    """For the navigation, without a query: can_manage_accounts for everyone whose region fits their role."""
    role = role_of(user)
    return role == Role.ADMIN or (role in ACCOUNT_MANAGER_ROLES and user.region_id is not None)


def regions_assignable_by(user, role: str | None = None) -> QuerySet[Region]:
    """Provinces and kabupaten/kota where ``user`` may place an account (of ``role`` when given)."""
    regions = Region.objects.filter(level__in=[RegionLevel.PROVINCE, RegionLevel.REGENCY])
    grants = account_grants(user)
    if grants is None:
        if role is not None:
            regions = regions.filter(level__in=ROLE_REGION_LEVELS.get(role, ()))
        return regions
    condition = Q(pk__in=[])
    for grant in grants:
        if grant.regions is not None and (role is None or role in grant.roles):
            condition |= grant.regions
    return regions.filter(condition)


def users_visible_to(user) -> QuerySet:
    """Accounts ``user`` manages: those whose role and region one of their grants covers (active or not)."""
    from .models import User

    users = User.objects.all()
    grants = account_grants(user)
    if grants is None:
        # A role-admin who is not a superuser does not manage superusers.
        return users if user.is_superuser else users.filter(is_superuser=False)
    condition = Q(pk__in=[])
    for grant in grants:
        regions = Region.objects.filter(grant.regions) if grant.regions is not None else None
        if regions is None:
            condition |= Q(role__in=grant.roles, region__isnull=True)
        else:
            condition |= Q(role__in=grant.roles, region__in=regions)
    return users.filter(condition).filter(is_superuser=False)


def role_fits_region(role: str, region: Region | None) -> bool:
    """Whether ``region`` is of the level ``role`` works at (no region for nationwide roles)."""
    levels = ROLE_REGION_LEVELS.get(role)
    if levels is None:
        return False
    if not levels:
        return region is None
    return region is not None and region.level in levels


def can_create_user_with(user, *, role: str, region: Region | None, opd=None) -> bool:
    """Whether ``user`` may give an account this role, region and OPD."""
    if role not in roles_assignable_by(user) or not role_fits_region(role, region):
        return False
    if role == Role.OPD_OFFICER:
        if opd is None or region is None or opd.regency_id != region.pk:
            return False
    elif opd is not None:
        return False
    if region is None:
        return account_grants(user) is None
    return regions_assignable_by(user, role).filter(pk=region.pk).exists()


def can_manage_user(user, target) -> bool:
    """Edit, deactivate, reactivate, transfer, re-invite ``target``: in scope and never oneself."""
    if role_of(user) is None or target.pk == user.pk:
        return False
    return users_visible_to(user).filter(pk=target.pk).exists()


# --- framework versions (web import) ---------------------------------------------


def can_manage_frameworks(user) -> bool:
    """Uploading, loading and publishing framework files from the web: the national admin only."""
    return is_admin(user)


# --- audit history and corrections --------------------------------------------
# Kept in its own section: who may read the audit trail of an assessment, and who corrects.


def can_view_audit(user, assessment) -> bool:
    """The assessment-wide audit page and its export: its reviewers of any stage, provincial officials
    of its province, national verifiers and admins (who all see the assessment).

    The history of one response follows the response's scope (``responses_visible_to``): fillers
    (forum coordinator, OPD officers) see it for the answers they see, so a correction of their
    answer is visible to them, but not the assessment-wide trail and its export.
    """
    role = role_of(user)
    if role in NATIONWIDE_ROLES:
        return True
    # A health reviewer sees exactly the regencies where they review; an official those of their province.
    return role in (Role.HEALTH_REVIEWER, Role.PROVINCIAL_OFFICIAL) and can_view_assessment(user, assessment)


def can_correct_response(user, response) -> bool:
    """Only the national admin corrects an accepted response (services.corrections records it)."""
    return is_admin(user)
