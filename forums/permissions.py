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

import enum
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from django.apps import apps
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db.models import Exists, Model, OuterRef, Q, QuerySet, prefetch_related_objects
from django.http import Http404

from kks.workflow import ReportKind, ResponseStatus, Stage

from .models import Body, Opd, Region, RegionLevel, Role, User

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from evaluations.models import Assessment, Document, DocumentVersion, EvidenceVersion, ReportJob, Response
    from tatanan.models import Indicator

    from .models import Membership

    AnyUser = User | AnonymousUser

_M = TypeVar("_M", bound=Model)


# The evaluations models the policy reads (module constants: the registry matches names without regard to case,
# so a string inside a function would only give mutation testing equivalent mutants).
ASSESSMENT, RESPONSE, EVIDENCE_VERSION, REPORT_JOB, STATUS_CHANGE, DOCUMENT, DOCUMENT_VERSION = (
    "Assessment",
    "Response",
    "EvidenceVersion",
    "ReportJob",
    "StatusChange",
    "Document",
    "DocumentVersion",
)


def _evaluations_model(name: str) -> Any:
    """A model of the evaluations app. The policy sits below that app (docs/architecture.md: kks <- forums <-
    tatanan <- evaluations), so it names its models through Django's app registry, as a ForeignKey string does,
    never by import; kks/tests/test_import_graph.py allows such lookups only in the modules it lists."""
    return apps.get_model("evaluations", name)


REGENCY_ROLES = {Role.FORUM_COORDINATOR, Role.OPD_OFFICER}
NATIONWIDE_ROLES = {Role.NATIONAL_VERIFIER, Role.ADMIN}


# --- who is who -------------------------------------------------------------


# A condition no row meets: the empty scope, and the start of an OR built grant by grant.
NOTHING = Q(pk__in=[])


def role_of(user: AnyUser) -> str | None:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if user.is_superuser:
        return Role.ADMIN
    return user.role or None


def is_admin(user: AnyUser) -> bool:
    return role_of(user) == Role.ADMIN


def is_nationwide(user: AnyUser) -> bool:
    return role_of(user) in NATIONWIDE_ROLES


def _scope_region(user: AnyUser) -> Region | None:
    return user.region if isinstance(user, User) else None  # None without a region (no query)


def _region_id(user: AnyUser) -> int | None:
    return user.region_id if isinstance(user, User) else None


def _opd(user: AnyUser) -> Opd | None:
    return user.opd if isinstance(user, User) and user.opd_id else None


# --- scopes -----------------------------------------------------------------


def regencies_visible_to(user: AnyUser) -> QuerySet[Region]:
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


def provinces_visible_to(user: AnyUser) -> QuerySet[Region]:
    role = role_of(user)
    provinces = Region.objects.provinces()
    if role in NATIONWIDE_ROLES:
        return provinces
    if role in (Role.PROVINCIAL_OFFICIAL, Role.HEALTH_REVIEWER):
        region = _scope_region(user)
        if region is not None and region.level == RegionLevel.PROVINCE:
            return provinces.filter(pk=region.pk)
    return provinces.none()


def _regency_filter(user: AnyUser, field: str) -> Q | None:
    """A Q restricting ``field`` (a path to a regency Region) to the user's scope; None = everything."""
    role = role_of(user)
    if role is None:
        return NOTHING
    if role in NATIONWIDE_ROLES:
        return None
    region = _scope_region(user)
    if region is None:
        return NOTHING
    if region.level == RegionLevel.PROVINCE:
        return Q(**{f"{field}__parent_id": region.pk})
    if region.level == RegionLevel.REGENCY:
        return Q(**{f"{field}_id": region.pk})
    return NOTHING


def _scoped(qs: QuerySet[_M], user: AnyUser, field: str) -> QuerySet[_M]:
    condition = _regency_filter(user, field)
    return qs if condition is None else qs.filter(condition)


def assessments_visible_to(user: AnyUser) -> QuerySet[Assessment]:
    return _scoped(_evaluations_model(ASSESSMENT).objects.all(), user, "regency")


def responses_visible_to(user: AnyUser) -> QuerySet[Response]:
    return _scoped(_evaluations_model(RESPONSE).objects.all(), user, "assessment__regency")


def evidence_versions_visible_to(user: AnyUser) -> QuerySet[EvidenceVersion]:
    versions = _evaluations_model(EVIDENCE_VERSION).objects.all()
    return _scoped(versions, user, "evidence__response__assessment__regency")


def documents_visible_to(user: AnyUser) -> QuerySet[Document]:
    """Library documents of the kabupaten/kota the user sees (their responses and so their evidence)."""
    return _scoped(_evaluations_model(DOCUMENT).objects.all(), user, "regency")


def document_versions_visible_to(user: AnyUser) -> QuerySet[DocumentVersion]:
    return _scoped(_evaluations_model(DOCUMENT_VERSION).objects.all(), user, "document__regency")


def report_jobs_visible_to(user: AnyUser) -> QuerySet[ReportJob]:
    """Dossiers of visible assessments, and readiness reports of visible provinces."""
    jobs = _evaluations_model(REPORT_JOB).objects.all()
    role = role_of(user)
    if role is None:
        return jobs.none()
    if role in NATIONWIDE_ROLES:
        return jobs
    dossiers = Q(kind=ReportKind.DOSSIER, assessment__in=assessments_visible_to(user))
    readiness = Q(kind=ReportKind.READINESS, region__in=provinces_visible_to(user))
    return jobs.filter(dossiers | readiness)


def bodies_visible_to(user: AnyUser) -> QuerySet[Body]:
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


def memberships_visible_to(user: AnyUser) -> QuerySet[Membership]:
    """Seats in the bodies the user sees."""
    from .models import Membership

    return Membership.objects.filter(body__in=bodies_visible_to(user))


def opds_visible_to(user: AnyUser) -> QuerySet[Opd]:
    """OPD of the kabupaten/kota the user sees."""
    from .models import Opd

    return _scoped(Opd.objects.all(), user, "regency")


def body_scopes_visible_to(user: AnyUser) -> QuerySet[Region]:
    """Regions that can own bodies (provinces and kabupaten/kota) and that the user sees."""
    return Region.objects.filter(
        Q(pk__in=regencies_visible_to(user).values("pk")) | Q(pk__in=provinces_visible_to(user).values("pk"))
    )


# --- predicates -------------------------------------------------------------


def can_manage_body(user: AnyUser, body: Body) -> bool:
    """Forum coordinators keep their regency's bodies; provincial officials their province's Tim Pembina."""
    role = role_of(user)
    if role == Role.ADMIN:
        return True
    if role == Role.FORUM_COORDINATOR:
        return body.scope_region_id == _region_id(user)
    if role == Role.PROVINCIAL_OFFICIAL:
        return body.scope_region_id == _region_id(user)
    return False


def can_create_body_in(user: AnyUser, scope_region: Region) -> bool:
    role = role_of(user)
    if role == Role.ADMIN:
        return True
    return role in (Role.FORUM_COORDINATOR, Role.PROVINCIAL_OFFICIAL) and scope_region.pk == _region_id(user)


def can_manage_opds(user: AnyUser, regency: Region) -> bool:
    """The regency's forum coordinator keeps its list of OPD (and an admin anywhere)."""
    role = role_of(user)
    if role == Role.ADMIN:
        return True
    return role == Role.FORUM_COORDINATOR and regency.pk == _region_id(user)


def can_view_assessment(user: AnyUser, assessment: Assessment) -> bool:
    return assessments_visible_to(user).filter(pk=assessment.pk).exists()


def can_edit_assessment(user: AnyUser, assessment: Assessment) -> bool:
    """General data and ODF figures: the regency's forum coordinator (or an admin)."""
    role = role_of(user)
    if role == Role.ADMIN:
        return True
    return role == Role.FORUM_COORDINATOR and assessment.regency_id == _region_id(user)


def can_assign_opds(user: AnyUser, assessment: Assessment) -> bool:
    """Give indicators of the assessment to OPD of its regency: who keeps its general data (its forum
    coordinator, or an admin)."""
    return can_edit_assessment(user, assessment)


def can_edit_general_data(user: AnyUser, assessment: Assessment) -> bool:
    """The Data Umum page (Bupati/Walikota, forum chair, office address, the kecamatan and desa/kelurahan
    proposed, pendanaan): whoever fills the assessment's general part, as for the ODF figures
    (can_edit_assessment): the regency's forum coordinator, or an admin."""
    return can_edit_assessment(user, assessment)


# --- filling: one rule -----------------------------------------------------------
#
# Who writes a regency's own answers, written once: the roles that fill, and whether the role fills only the
# indicators its OPD is responsible for (an OPD of that same regency). Which OPD that is, is written once too
# (Responsibility): the OPD the regency assigned the indicator to when it did, otherwise every OPD of the regency
# holding one of the indicator's responsible kinds (an OPD may hold several, a merged office). can_fill_response
# and the recipients of a response's news (fillers_for_response) derive from both. Admins fill everywhere (and are
# bound by separation of duties when reviewing).

FILL_RULES: dict[str, bool] = {  # role -> limited to the indicators of the user's OPD
    Role.FORUM_COORDINATOR: False,
    Role.OPD_OFFICER: True,
}


@dataclass(frozen=True)
class Responsibility:
    """The OPD that fill one response: ``assigned_opd_id`` when the regency assigned it, else the regency's OPD
    holding one of ``kind_ids``."""

    regency_id: int
    assigned_opd_id: int | None
    kind_ids: frozenset[int]

    def covers(self, opd: Opd) -> bool:
        if opd.regency_id != self.regency_id:
            return False
        if self.assigned_opd_id is not None:
            return opd.pk == self.assigned_opd_id
        prefetch_related_objects([opd], "kinds")
        return any(kind.pk in self.kind_ids for kind in opd.kinds.all())

    def users(self) -> Q:
        """The same, as a condition on users (by their OPD)."""
        if self.assigned_opd_id is not None:
            return Q(opd_id=self.assigned_opd_id, opd__regency_id=self.regency_id)
        return Q(opd__regency_id=self.regency_id, opd__in=Opd.objects.filter(kinds__in=self.kind_ids))


def responsibility_for(response: Response) -> Responsibility:
    """Uses the prefetches ``assessment__opd_assignments`` and ``indicator__responsible_opd_kinds`` if any."""
    assessment = response.assessment
    prefetch_related_objects([assessment], "opd_assignments")
    assigned = next(
        (a.opd_id for a in assessment.opd_assignments.all() if a.indicator_id == response.indicator_id), None
    )
    kinds = frozenset(kind.pk for kind in response.indicator.responsible_opd_kinds.all())
    return Responsibility(assessment.regency_id, assigned, kinds)


def opd_responsible_for(user: AnyUser, response: Response) -> bool:
    """Whether the user's OPD fills ``response`` (Responsibility), whatever the user's role."""
    opd = _opd(user)
    return opd is not None and responsibility_for(response).covers(opd)


def can_fill_response(user: AnyUser, response: Response) -> bool:
    """Write the regency's own answer: coordinator for any indicator, OPD officer for its OPD's indicators."""
    role = role_of(user)
    if role == Role.ADMIN:
        return True
    if role not in FILL_RULES:
        return False
    if _region_id(user) != response.assessment.regency_id:
        return False
    if not FILL_RULES[role]:
        return True
    # The officer's OPD must belong to the regency too, not only their assigned region (Responsibility.covers).
    return opd_responsible_for(user, response)


def can_manage_library(user: AnyUser, regency: Region) -> bool:
    """Upload to and link from a regency's evidence library: the roles that fill (FILL_RULES) of that regency.

    An OPD officer's OPD must belong to the regency; which responses they may link to is can_link_document.
    """
    role = role_of(user)
    if role == Role.ADMIN:
        return True
    if role not in FILL_RULES or _region_id(user) != regency.pk:
        return False
    if not FILL_RULES[role]:
        return True
    opd = _opd(user)
    return opd is not None and opd.regency_id == regency.pk


def can_link_document(user: AnyUser, document: Document, response: Response) -> bool:
    """Link a library document to a response: the same regency, and the user fills that response."""
    return (
        document.regency_id == response.assessment.regency_id
        and can_manage_library(user, document.regency)
        and can_fill_response(user, response)
    )


def fillers_for_response(response: Response) -> QuerySet[User]:
    """Active users who fill ``response`` (from FILL_RULES and Responsibility, admins excluded): recipients of
    its news."""
    from .models import User

    regency_id = response.assessment.regency_id
    by_opd_users = responsibility_for(response).users()
    condition = NOTHING
    for role, by_opd in FILL_RULES.items():
        condition |= Q(role=role) & by_opd_users if by_opd else Q(role=role)
    return User.objects.filter(condition, is_active=True, is_superuser=False, region_id=regency_id)


# --- review: one rule per stage ---------------------------------------------------
#
# Who reviews what is written once, in REVIEW_RULES: the roles that review a stage and how far their region
# reaches. The predicate (can_review_stage), the scope (responses_to_review_by) and the recipients of "waits
# for review" (reviewers_for_stage) are all derived from it. Admins review every stage everywhere, and like
# everyone else are bound by separation of duties (below).


class Reach(enum.Enum):
    """Which regencies a reviewer's region covers at a stage."""

    OWN_OR_PROVINCE = "own_or_province"  # their own kabupaten/kota, or every one of their province
    PROVINCE = "province"  # every kabupaten/kota of their province (the region must be a province)
    NATION = "nation"  # every kabupaten/kota


@dataclass(frozen=True)
class ReviewRule:
    roles: frozenset[str]
    reach: Reach


REVIEW_RULES: dict[Stage, ReviewRule] = {
    Stage.KABUPATEN: ReviewRule(frozenset({Role.HEALTH_REVIEWER}), Reach.OWN_OR_PROVINCE),
    Stage.PROVINSI: ReviewRule(frozenset({Role.PROVINCIAL_OFFICIAL, Role.HEALTH_REVIEWER}), Reach.PROVINCE),
    Stage.PUSAT: ReviewRule(frozenset({Role.NATIONAL_VERIFIER}), Reach.NATION),
}
REVIEWER_ROLES: frozenset[str] = frozenset({Role.ADMIN}).union(*(rule.roles for rule in REVIEW_RULES.values()))


def _reaches(reach: Reach, region: Region | None, regency: Region) -> bool:
    if reach is Reach.NATION:
        return True
    if region is None:
        return False
    if reach is Reach.OWN_OR_PROVINCE:
        return region.pk in (regency.pk, regency.parent_id)
    return region.level == RegionLevel.PROVINCE and region.pk == regency.parent_id


def _reach_of_user(reach: Reach, region: Region | None, field: str) -> Q:
    """The regencies (``field``: a path to a regency Region) that ``region`` reaches."""
    if reach is Reach.NATION:
        return Q()
    if region is None:
        return NOTHING
    if reach is Reach.OWN_OR_PROVINCE:
        return Q(**{f"{field}_id": region.pk}) | Q(**{f"{field}__parent_id": region.pk})
    if region.level != RegionLevel.PROVINCE:
        return NOTHING
    return Q(**{f"{field}__parent_id": region.pk})


def _reach_of_regency(reach: Reach, regency: Region) -> Q:
    """The users (by their region) whose region reaches ``regency``."""
    if reach is Reach.NATION:
        return Q()
    if reach is Reach.OWN_OR_PROVINCE:
        return Q(region_id__in=[regency.pk, regency.parent_id])
    return Q(region_id=regency.parent_id)  # a regency's parent is its province


# A reviewer may be limited to chosen tatanan (User.review_tatanan, by tatanan number; empty = all). The limit
# narrows every stage of REVIEW_RULES alike: the predicate (can_review_response), the scope
# (responses_to_review_by) and the recipients (reviewers_for_stage) all read it. Kelembagaan indicators belong
# to no tatanan, so a limited reviewer does not decide them. Admins are never limited.


def review_tatanan_numbers(user: AnyUser) -> frozenset[int] | None:
    """The tatanan numbers a reviewer is limited to, or None when they review every tatanan."""
    if not isinstance(user, User) or user.pk is None or role_of(user) == Role.ADMIN:
        return None
    # Kept on the instance for the request: a queue page asks once per row.
    if "_review_tatanan_numbers" not in user.__dict__:
        user.__dict__["_review_tatanan_numbers"] = frozenset(user.review_tatanan.values_list("number", flat=True))
    numbers: frozenset[int] = user.__dict__["_review_tatanan_numbers"]
    return numbers or None


def reviews_indicator(user: AnyUser, indicator: Indicator) -> bool:
    """Whether the user's tatanan limit (if any) covers ``indicator``."""
    numbers = review_tatanan_numbers(user)
    if numbers is None:
        return True
    tatanan = indicator.tatanan  # None for kelembagaan (no query: its key is empty)
    return tatanan is not None and tatanan.number in numbers


def _tatanan_limit_of_user(user: AnyUser, field: str) -> Q:
    """The responses (``field``: a path to an Indicator) within the user's tatanan limit."""
    numbers = review_tatanan_numbers(user)
    return Q() if numbers is None else Q(**{f"{field}__tatanan__number__in": sorted(numbers)})


def _tatanan_limit_of_indicator(indicator: Indicator) -> Q:
    """The users whose tatanan limit covers ``indicator``."""
    limits = User.review_tatanan.through.objects.filter(user_id=OuterRef("pk"))
    unlimited = ~Q(Exists(limits))
    tatanan = indicator.tatanan  # None for kelembagaan
    if tatanan is None:
        return unlimited
    return unlimited | Q(Exists(limits.filter(tatanan__number=tatanan.number)))


# --- separation of duties ---------------------------------------------------------
#
# Nobody decides a stage of a response they filled or submitted, and nobody decides two stages of the same
# response. The evidence is the response's status history: a submission (to submitted/resubmitted) is the
# filler's; a decision (from waiting to accepted/revision requested) is the reviewer's, at its stage. Deciding
# the same stage again (accept after a resubmission) is allowed. Admin corrections of an accepted response start
# from "accepted", so they are not decisions and do not bar anyone.

SUBMISSIONS = (ResponseStatus.SUBMITTED, ResponseStatus.RESUBMITTED)
DECISIONS = (ResponseStatus.ACCEPTED, ResponseStatus.REVISION_REQUESTED)


def _barring_history(stage: Stage | str | OuterRef) -> Q:
    """StatusChange rows that bar their actor from deciding ``stage`` of their response: submitting it, and any
    change out of a submission at another stage. That is a decision (accepted or sent back: the only ways out
    of a submission; an admin's correction keeps the status, and ending in a submission it counts as filled)."""
    filled = Q(to_status__in=SUBMISSIONS)
    decided_elsewhere = Q(from_status__in=SUBMISSIONS) & ~Q(stage=stage)
    return filled | decided_elsewhere


def may_decide(user: AnyUser, response: Response) -> bool:
    """Separation of duties alone: the user neither filled/submitted it nor decided another of its stages."""
    if user.pk is None:  # anonymous
        return False
    barring = _evaluations_model(STATUS_CHANGE).objects.filter(
        _barring_history(response.stage), response_id=response.pk, actor_id=user.pk
    )
    return not barring.exists()


def can_review_stage(user: AnyUser, stage: Stage | str, regency: Region) -> bool:
    """Whether the user reviews responses of ``regency`` at ``stage`` (kabupaten/provinsi/pusat)."""
    role = role_of(user)
    if role is None or stage not in REVIEW_RULES:
        return False
    if role == Role.ADMIN:
        return True
    rule = REVIEW_RULES[Stage(stage)]
    return role in rule.roles and _reaches(rule.reach, _scope_region(user), regency)


def reviews_regency(user: AnyUser, regency: Region) -> bool:
    """Whether the user reviews ``regency`` at some stage."""
    return any(can_review_stage(user, stage, regency) for stage in Stage)


def responses_to_review_by(user: AnyUser) -> QuerySet[Response]:
    """Responses at a stage the user reviews, where they review it, and that they may decide (derived from
    REVIEW_RULES and separation of duties, as can_review_response)."""
    responses = _evaluations_model(RESPONSE).objects.all()
    role = role_of(user)
    if role is None:
        return responses.none()
    if role != Role.ADMIN:
        region = _scope_region(user)
        condition = NOTHING
        for stage, rule in REVIEW_RULES.items():
            if role in rule.roles:
                condition |= Q(stage=stage) & _reach_of_user(rule.reach, region, "assessment__regency")
        responses = responses.filter(condition, _tatanan_limit_of_user(user, "indicator"))
    barring = _evaluations_model(STATUS_CHANGE).objects.filter(
        _barring_history(OuterRef("stage")), response_id=OuterRef("pk"), actor_id=user.pk
    )
    return responses.exclude(Exists(barring))


def reviewers_for_stage(stage: Stage | str, regency: Region, *, response: Response | None = None) -> QuerySet[User]:
    """Active users (admins excluded) who review ``regency`` at ``stage``: the recipients of "waits for review".

    With ``response``, only those who may decide it (separation of duties)."""
    from .models import User

    if stage not in REVIEW_RULES:
        return User.objects.none()
    rule = REVIEW_RULES[Stage(stage)]
    users = User.objects.filter(
        _reach_of_regency(rule.reach, regency), is_active=True, is_superuser=False, role__in=rule.roles
    )
    if response is not None:
        barring = _evaluations_model(STATUS_CHANGE).objects.filter(
            _barring_history(stage), response_id=response.pk, actor_id=OuterRef("pk")
        )
        users = users.filter(_tatanan_limit_of_indicator(response.indicator)).exclude(Exists(barring))
    return users


def can_review_response(user: AnyUser, response: Response) -> bool:
    """Decide ``response`` at its current stage: the stage's review rule, the reviewer's tatanan limit and
    separation of duties."""
    return (
        can_review_stage(user, response.stage, response.assessment.regency)
        and reviews_indicator(user, response.indicator)
        and may_decide(user, response)
    )


# --- internal review notes --------------------------------------------------------
#
# A reviewer's internal note belongs to the stage it was written at; it is read by whoever reviews the
# response's regency at that stage or a later one (REVIEW_RULES), never by the fillers.

STAGE_ORDER: tuple[Stage, ...] = (Stage.KABUPATEN, Stage.PROVINSI, Stage.PUSAT)


def review_note_stages_visible_to(user: AnyUser, regency: Region) -> list[Stage]:
    """The stages whose internal notes on ``regency``'s responses the user reads."""
    reviewed = [i for i, stage in enumerate(STAGE_ORDER) if can_review_stage(user, stage, regency)]
    if not reviewed:
        return []
    return list(STAGE_ORDER[: max(reviewed) + 1])


def can_add_review_note(user: AnyUser, response: Response) -> bool:
    """Reviewers of the response's current stage (in their tatanan) write internal notes at that stage."""
    return can_review_stage(user, response.stage, response.assessment.regency) and reviews_indicator(
        user, response.indicator
    )


def can_comment_response(user: AnyUser, response: Response) -> bool:
    """Anyone who can fill or review at any stage may add to the thread."""
    if can_fill_response(user, response):
        return True
    return reviews_regency(user, response.assessment.regency)


def can_request_dossier(user: AnyUser, assessment: Assessment) -> bool:
    """Everyone who sees the assessment except OPD officers may ask for its dossier."""
    return role_of(user) != Role.OPD_OFFICER and can_view_assessment(user, assessment)


def can_request_report(
    user: AnyUser, *, kind: str, assessment: Assessment | None = None, region: Region | None = None
) -> bool:
    """Ask for (and read) a report: a dossier of an assessment, or the readiness report of a province or,
    with neither, of the nation."""
    if kind == ReportKind.DOSSIER:
        return assessment is not None and can_request_dossier(user, assessment)
    if region is not None:
        return can_view_province_report(user, region)
    return can_view_national_report(user)


def can_view_report_job(user: AnyUser, job: ReportJob) -> bool:
    return can_request_report(user, kind=job.kind, assessment=job.assessment, region=job.region)


def can_view_province_report(user: AnyUser, province: Region) -> bool:
    return provinces_visible_to(user).filter(pk=province.pk).exists()


def can_view_national_report(user: AnyUser) -> bool:
    return is_nationwide(user)


def can_manage_cycle(user: AnyUser) -> bool:
    """Cycles and their award rules: the national admin."""
    return is_admin(user)


def can_record_official_result(user: AnyUser) -> bool:
    """The official Swasti Saba result of a regency in a cycle (level, date, SK): the national admin."""
    return is_admin(user)


def can_edit_paripurna_data(user: AnyUser, assessment: Assessment) -> bool:
    """IP-SPM and the adopted innovation of an assessment: whoever fills its general data."""
    return can_edit_assessment(user, assessment)


# --- fetch helpers for views ---------------------------------------------------


def get_for_user_or_404(
    scope: QuerySet[_M], *, check: Callable[[Any, _M], bool] | None = None, user: AnyUser | None = None, **lookup: Any
) -> _M:
    """Fetch from a scope (404 when outside it), then apply ``check(user, obj)`` (403 when False)."""
    try:
        obj = scope.get(**lookup)
    except ObjectDoesNotExist:
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
    """Accounts of ``roles`` whose region matches ``regions`` (a condition on Region). Nationwide accounts (no
    region) are the national admin's alone: ``account_grants`` gives them as None, "everything"."""

    roles: frozenset[str]
    regions: Q


def account_grants(user: AnyUser) -> list[AccountGrant] | None:
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
            # A province's children are its kabupaten/kota (kecamatan hang under those).
            AccountGrant(frozenset({Role.FORUM_COORDINATOR, Role.HEALTH_REVIEWER}), Q(parent_id=region.pk)),
        ]
    if role == Role.FORUM_COORDINATOR and region.level == RegionLevel.REGENCY:
        return [AccountGrant(frozenset({Role.OPD_OFFICER}), Q(pk=region.pk))]
    return []


def roles_assignable_by(user: AnyUser) -> set[Role]:
    """The roles ``user`` may give to an account (empty: no account pages at all)."""
    grants = account_grants(user)
    if grants is None:
        return set(Role)
    return {Role(role) for grant in grants for role in grant.roles}


def can_manage_accounts(user: AnyUser) -> bool:
    return bool(roles_assignable_by(user))


# The roles that account_grants gives anything to (with a region of the right level).
ACCOUNT_MANAGER_ROLES = frozenset({Role.ADMIN, Role.PROVINCIAL_OFFICIAL, Role.FORUM_COORDINATOR})


def shows_account_pages(user: AnyUser) -> bool:
    """For the navigation, without a query: can_manage_accounts for everyone whose region fits their role."""
    role = role_of(user)
    return role == Role.ADMIN or (role in ACCOUNT_MANAGER_ROLES and _region_id(user) is not None)


def regions_assignable_by(user: AnyUser, role: str | None = None) -> QuerySet[Region]:
    """Provinces and kabupaten/kota where ``user`` may place an account (of ``role`` when given)."""
    regions = Region.objects.filter(level__in=[RegionLevel.PROVINCE, RegionLevel.REGENCY])
    grants = account_grants(user)
    if grants is None:
        if role is not None:
            regions = regions.filter(level__in=ROLE_REGION_LEVELS.get(role, ()))
        return regions
    condition = NOTHING
    for grant in grants:
        if role is None or role in grant.roles:
            condition |= grant.regions
    return regions.filter(condition)


def users_visible_to(user: AnyUser) -> QuerySet[User]:
    """Accounts ``user`` manages: those whose role and region one of their grants covers (active or not)."""
    from .models import User

    users = User.objects.all()
    grants = account_grants(user)
    if grants is None:
        # A role-admin who is not a superuser does not manage superusers.
        return users if user.is_superuser else users.filter(is_superuser=False)
    condition = NOTHING
    for grant in grants:
        condition |= Q(role__in=grant.roles, region__in=Region.objects.filter(grant.regions))
    return users.filter(condition).filter(is_superuser=False)


def role_fits_region(role: str, region: Region | None) -> bool:
    """Whether ``region`` is of the level ``role`` works at (no region for nationwide roles)."""
    levels = ROLE_REGION_LEVELS.get(role)
    if levels is None:
        return False
    if not levels:
        return region is None
    return region is not None and region.level in levels


def can_create_user_with(user: AnyUser, *, role: str, region: Region | None, opd: Opd | None = None) -> bool:
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


def can_manage_user(user: AnyUser, target: User) -> bool:
    """Edit, deactivate, reactivate, transfer, re-invite ``target``: in scope and never oneself."""
    if role_of(user) is None or target.pk == user.pk:
        return False
    return users_visible_to(user).filter(pk=target.pk).exists()


# --- framework versions (web import) ---------------------------------------------


def can_manage_frameworks(user: AnyUser) -> bool:
    """Uploading, loading and publishing framework files from the web: the national admin only."""
    return is_admin(user)


def can_manage_sipantas(user: AnyUser) -> bool:
    """Importing the SIPANTAS crosswalk (indicator and kabupaten ids): the national admin only."""
    return is_admin(user)


# --- audit history and corrections --------------------------------------------
# Kept in its own section: who may read the audit trail of an assessment, and who corrects.


def can_view_audit(user: AnyUser, assessment: Assessment) -> bool:
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


def can_correct_response(user: AnyUser, response: Response) -> bool:
    """Only the national admin corrects an accepted response (services.corrections records it)."""
    return is_admin(user)
