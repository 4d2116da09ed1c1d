"""Users the policy must get right that mutation testing showed no test pinned: a superuser with a blank role
(what ``createsuperuser`` makes), inactive users, and users whose region is a kecamatan or a desa."""

import pytest

from evaluations.models import Stage
from forums import permissions as p
from forums.models import Region, RegionKind, RegionLevel, Role
from forums.tests.factories import BodyFactory, UserFactory

pytestmark = pytest.mark.django_db

SCOPES = [
    p.regencies_visible_to,
    p.provinces_visible_to,
    p.assessments_visible_to,
    p.responses_visible_to,
    p.evidence_versions_visible_to,
    p.report_jobs_visible_to,
    p.bodies_visible_to,
    p.memberships_visible_to,
    p.opds_visible_to,
    p.body_scopes_visible_to,
    p.responses_to_review_by,
]


@pytest.fixture
def response(assessment):
    return assessment.responses.order_by("indicator__sort_order").first()


@pytest.fixture
def body(regency):
    return BodyFactory(region=regency, scope_region=regency)


def _everything_refused(user, response, body):
    regency = response.assessment.regency
    for scope in SCOPES:
        assert not scope(user).exists(), scope.__name__
    assert p.role_of(user) is None
    assert not p.is_admin(user)
    assert not p.is_nationwide(user)
    assert not p.can_fill_response(user, response)
    assert not p.can_review_response(user, response)
    assert not p.can_comment_response(user, response)
    assert not p.can_view_assessment(user, response.assessment)
    assert not p.can_edit_assessment(user, response.assessment)
    assert not p.can_request_dossier(user, response.assessment)
    assert not p.can_manage_body(user, body)
    assert not p.can_create_body_in(user, regency)
    assert not p.can_manage_opds(user, regency)
    assert not p.can_view_province_report(user, regency.parent)
    assert not p.can_view_national_report(user)
    assert not p.can_manage_cycle(user)
    for stage in Stage:
        assert not p.can_review_stage(user, stage, regency)


# --- a superuser with a blank role ----------------------------------------------------------------


def test_a_blank_role_superuser_is_the_admin(response, body, regency):
    root = UserFactory(username="root", role="", region=None, is_superuser=True, is_staff=True)
    assert p.role_of(root) == Role.ADMIN
    assert p.is_admin(root)
    assert p.is_nationwide(root)
    assert p.can_manage_cycle(root)
    assert p.can_view_national_report(root)
    assert p.can_fill_response(root, response)
    assert p.can_review_response(root, response)
    assert p.can_manage_body(root, body)
    assert p.can_manage_opds(root, regency)
    assert p.can_create_body_in(root, regency)
    assert p.can_edit_assessment(root, response.assessment)
    assert p.assessments_visible_to(root).filter(pk=response.assessment_id).exists()
    assert p.responses_to_review_by(root).filter(pk=response.pk).exists()
    for stage in Stage:
        assert p.can_review_stage(root, stage, regency)
        # Admins review everywhere but are not sent "waits for review" notices.
        assert root not in p.reviewers_for_stage(stage, regency)


def test_a_user_with_a_blank_role_and_no_superuser_flag_may_do_nothing(response, body):
    _everything_refused(UserFactory(role="", region=response.assessment.regency), response, body)


# --- inactive users -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "where"),
    [
        (Role.FORUM_COORDINATOR, "regency"),
        (Role.HEALTH_REVIEWER, "regency"),
        (Role.HEALTH_REVIEWER, "province"),
        (Role.PROVINCIAL_OFFICIAL, "province"),
        (Role.NATIONAL_VERIFIER, None),
        (Role.ADMIN, None),
        ("", "superuser"),
    ],
)
def test_an_inactive_user_may_do_nothing(response, body, regency, province, role, where):
    region = {"regency": regency, "province": province}.get(where)
    user = UserFactory(role=role, region=region, is_active=False, is_superuser=where == "superuser")
    _everything_refused(user, response, body)
    for stage in Stage:
        assert user not in p.reviewers_for_stage(stage, regency)


# --- a region below the regency -------------------------------------------------------------------


@pytest.fixture(params=[RegionLevel.DISTRICT, RegionLevel.VILLAGE])
def deep_region(request, regency):
    kecamatan = Region.objects.create(
        code=f"{regency.code}.01",
        name="Kecamatan Uji",
        level=RegionLevel.DISTRICT,
        kind=RegionKind.KECAMATAN,
        parent=regency,
    )
    if request.param == RegionLevel.DISTRICT:
        return kecamatan
    return Region.objects.create(
        code=f"{kecamatan.code}.2001",
        name="Desa Uji",
        level=RegionLevel.VILLAGE,
        kind=RegionKind.DESA,
        parent=kecamatan,
    )


@pytest.mark.parametrize("role", [Role.FORUM_COORDINATOR, Role.HEALTH_REVIEWER, Role.PROVINCIAL_OFFICIAL])
def test_a_user_whose_region_is_below_the_regency_sees_and_reviews_nothing(response, body, deep_region, role):
    user = UserFactory(role=role, region=deep_region)
    regency = response.assessment.regency
    for scope in SCOPES:
        assert not scope(user).exists(), scope.__name__
    for stage in Stage:
        assert not p.can_review_stage(user, stage, regency)
        assert user not in p.reviewers_for_stage(stage, regency)
    assert not p.can_fill_response(user, response)
    assert not p.can_view_assessment(user, response.assessment)
    assert not p.can_manage_body(user, body)
    assert not p.can_view_province_report(user, regency.parent)


# --- anonymous users, and the persona each rule is for ---------------------------------------------


def test_an_anonymous_user_may_do_nothing(response, body):
    from django.contrib.auth.models import AnonymousUser

    anonymous = AnonymousUser()
    _everything_refused(anonymous, response, body)
    assert not p.opd_responsible_for(anonymous, response)
    assert not p.may_decide(anonymous, response)


def test_evidence_versions_are_seen_in_the_regency_and_its_province_only(
    response, coordinator, reviewer, provincial, national, outsider
):
    from evaluations.tests.report_data import add_evidence

    version = add_evidence(response, name="bukti.pdf", content=b"%PDF-1.4", content_type="application/pdf")
    for user in (coordinator, reviewer, provincial, national):
        assert list(p.evidence_versions_visible_to(user)) == [version], user.username
    assert not p.evidence_versions_visible_to(outsider).exists()


def test_only_the_regency_coordinator_edits_its_assessment(assessment, coordinator, outsider, reviewer, opd_officer):
    assert p.can_edit_assessment(coordinator, assessment)
    for user in (outsider, reviewer, opd_officer):
        assert not p.can_edit_assessment(user, assessment), user.username


def test_an_opd_officer_without_an_opd_fills_nothing(response, regency):
    officer = UserFactory(role=Role.OPD_OFFICER, region=regency, opd=None)
    assert not p.opd_responsible_for(officer, response)
    assert not p.can_fill_response(officer, response)


def test_an_opd_officer_fills_the_indicators_of_its_opd_only(assessment, opd_officer, opd):
    from forums.tests.factories import OpdKindFactory

    mine = assessment.responses.filter(indicator__responsible_opd_kinds__in=opd.kinds.all()).first()
    other_kind = OpdKindFactory(code="bappeda", name="Bappeda")
    theirs = assessment.responses.exclude(indicator__responsible_opd_kinds__in=opd.kinds.all()).first()
    theirs.indicator.responsible_opd_kinds.set([other_kind])
    assert p.can_fill_response(opd_officer, mine)
    assert not p.can_fill_response(opd_officer, theirs)
    assert set(p.fillers_for_response(mine)) >= {opd_officer}
    assert opd_officer not in p.fillers_for_response(theirs)


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        ("coordinator", True),
        ("reviewer", True),
        ("provincial", True),
        ("national", True),
        ("admin_user", True),
        ("outsider", False),
    ],
)
def test_who_may_comment_on_a_response(request, response, persona, allowed):
    assert p.can_comment_response(request.getfixturevalue(persona), response) is allowed


def test_memberships_and_body_scopes_follow_the_users_regions(regency, province, coordinator, provincial, outsider):
    from forums.tests.factories import MembershipFactory

    seat = MembershipFactory(body=BodyFactory(region=regency, scope_region=regency))
    assert list(p.memberships_visible_to(coordinator)) == [seat]
    assert list(p.memberships_visible_to(provincial)) == [seat]
    assert not p.memberships_visible_to(outsider).exists()
    assert set(p.body_scopes_visible_to(provincial)) == {province, regency}
    assert set(p.body_scopes_visible_to(coordinator)) == {regency}


def test_fillers_are_active_coordinators_and_officers_of_the_regency_only(response, regency, opd, coordinator):
    officer = UserFactory(role=Role.OPD_OFFICER, region=regency, opd=opd)
    UserFactory(role=Role.HEALTH_REVIEWER, region=regency, opd=opd)  # an OPD but not an officer
    UserFactory(role=Role.FORUM_COORDINATOR, region=regency, is_active=False)
    UserFactory(role=Role.FORUM_COORDINATOR, region=regency, is_superuser=True)
    assert set(p.fillers_for_response(response)) == {coordinator, officer}


@pytest.mark.parametrize("role", [Role.HEALTH_REVIEWER, Role.PROVINCIAL_OFFICIAL])
def test_a_regional_reviewer_without_a_region_reviews_nothing(response, role):
    user = UserFactory(role=role, region=None)
    for stage in Stage:
        assert not p.can_review_stage(user, stage, response.assessment.regency)
    assert not p.responses_to_review_by(user).exists()


def test_no_one_reviews_a_stage_that_does_not_exist(regency, admin_user, reviewer):
    for user in (admin_user, reviewer):
        assert not p.can_review_stage(user, "bogus", regency)
    assert not p.reviewers_for_stage("bogus", regency).exists()


def test_recipients_of_a_stage_are_active_non_superuser_reviewers_of_that_province(regency, province, other_regency):
    own = UserFactory(role=Role.PROVINCIAL_OFFICIAL, region=province)
    UserFactory(role=Role.PROVINCIAL_OFFICIAL, region=other_regency.parent)
    UserFactory(role=Role.PROVINCIAL_OFFICIAL, region=province, is_superuser=True)
    UserFactory(role=Role.PROVINCIAL_OFFICIAL, region=province, is_active=False)
    assert set(p.reviewers_for_stage(Stage.PROVINSI, regency)) == {own}


def test_who_manages_which_body(province, regency, provincial, coordinator, reviewer, national, outsider):
    """Pinned after the policy mutation run: the provincial official keeps the province's Tim Pembina only."""
    from forums.models import BodyKind

    pembina_provinsi = BodyFactory(kind=BodyKind.TIM_PEMBINA_PROVINSI, region=province, scope_region=province)
    forum = BodyFactory(kind=BodyKind.FORUM, region=regency, scope_region=regency)

    assert p.can_manage_body(provincial, pembina_provinsi)
    assert not p.can_manage_body(provincial, forum)  # the regency's own bodies are its coordinator's
    assert p.can_manage_body(coordinator, forum)
    assert not p.can_manage_body(coordinator, pembina_provinsi)
    for user in (reviewer, national, outsider):
        assert not p.can_manage_body(user, forum)
        assert not p.can_manage_body(user, pembina_provinsi)


# --- audit trail and framework files (no selected test reached them in the mutation run) -------------------------


def test_who_reads_the_audit_trail_of_an_assessment(
    assessment, coordinator, opd_officer, reviewer, provincial, national, admin_user, outsider, other_regency
):
    elsewhere_official = UserFactory(role=Role.PROVINCIAL_OFFICIAL, region=other_regency.parent)
    elsewhere_reviewer = UserFactory(role=Role.HEALTH_REVIEWER, region=other_regency)
    readers = {reviewer, provincial, national, admin_user}
    everyone = [coordinator, opd_officer, outsider, elsewhere_official, elsewhere_reviewer, *readers]
    assert {user for user in everyone if p.can_view_audit(user, assessment)} == readers


def test_only_the_national_admin_manages_framework_files(coordinator, reviewer, provincial, national, admin_user):
    root = UserFactory(username="root", role="", region=None, is_superuser=True, is_staff=True)
    assert p.can_manage_frameworks(admin_user)
    assert p.can_manage_frameworks(root)
    for user in (coordinator, reviewer, provincial, national):
        assert not p.can_manage_frameworks(user), user.role


def test_only_the_national_admin_corrects_an_accepted_response(response, coordinator, reviewer, national, admin_user):
    root = UserFactory(username="root", role="", region=None, is_superuser=True, is_staff=True)
    assert p.can_correct_response(admin_user, response)
    assert p.can_correct_response(root, response)
    for user in (coordinator, reviewer, national):
        assert not p.can_correct_response(user, response), user.role


# --- library documents and account regions (mutation-testing survivors, 2026-12-04) ---------------


def _library_document(regency, actor):
    from evaluations.services.library import DocumentDetails, document_upload
    from evaluations.tests import samples

    return document_upload(
        regency=regency,
        details=DocumentDetails(kind="sk", title="SK Forum"),
        uploaded=samples.upload("sk.pdf", samples.pdf_bytes()),
        actor=actor,
    )


def test_library_document_versions_are_seen_in_their_regency_only(coordinator, outsider, national, regency):
    document = _library_document(regency, coordinator)
    assert list(p.document_versions_visible_to(coordinator)) == [document.current]
    assert list(p.documents_visible_to(coordinator)) == [document]
    assert list(p.document_versions_visible_to(national)) == [document.current]
    assert not p.document_versions_visible_to(outsider).exists()
    assert not p.documents_visible_to(outsider).exists()


def test_a_document_is_linked_only_by_who_fills_the_response_in_its_regency(
    coordinator, reviewer, opd_officer, outsider, regency, response
):
    document = _library_document(regency, coordinator)
    assert p.can_link_document(coordinator, document, response)
    # The same regency is not enough: the health office reviewer neither keeps the library nor fills.
    assert not p.can_link_document(reviewer, document, response)
    assert not p.can_link_document(outsider, document, response)
    kelembagaan = response.assessment.responses.filter(indicator__kind="kelembagaan").first()
    # The OPD officer keeps the library but fills only the indicators of their OPD's kinds.
    assert p.can_manage_library(opd_officer, regency)
    assert not p.can_fill_response(opd_officer, kelembagaan)
    assert not p.can_link_document(opd_officer, document, kelembagaan)


def test_an_unknown_role_has_no_assignable_region(admin_user, regency):
    assert p.regions_assignable_by(admin_user).filter(pk=regency.pk).exists()
    assert list(p.regions_assignable_by(admin_user, role="bukan-peran")) == []
    assert list(p.regions_assignable_by(admin_user, role=Role.NATIONAL_VERIFIER)) == []
    assert p.regions_assignable_by(admin_user, role=Role.FORUM_COORDINATOR).filter(pk=regency.pk).exists()


def test_an_unknown_role_fits_no_region(regency):
    assert not p.role_fits_region("bukan-peran", None)
    assert not p.role_fits_region("bukan-peran", regency)
    assert p.role_fits_region(Role.NATIONAL_VERIFIER, None)
    assert not p.role_fits_region(Role.NATIONAL_VERIFIER, regency)


def test_a_grants_regions_hold_for_its_own_roles_only(monkeypatch, coordinator, regency, other_regency, opd):
    """Two grants: OPD officers in one regency, reviewers in another. An OPD officer account in the second
    regency is not covered, although that regency is assignable for another role."""
    from django.db.models import Q

    from forums.tests.factories import OpdFactory

    grants = [
        p.AccountGrant(frozenset({Role.OPD_OFFICER}), Q(pk=regency.pk)),
        p.AccountGrant(frozenset({Role.HEALTH_REVIEWER}), Q(pk=other_regency.pk)),
    ]
    monkeypatch.setattr(p, "account_grants", lambda user: grants)
    other_opd = OpdFactory(regency=other_regency)
    assert p.can_create_user_with(coordinator, role=Role.OPD_OFFICER, region=regency, opd=opd)
    assert p.can_create_user_with(coordinator, role=Role.HEALTH_REVIEWER, region=other_regency)
    assert not p.can_create_user_with(coordinator, role=Role.OPD_OFFICER, region=other_regency, opd=other_opd)
    assert not p.can_create_user_with(coordinator, role=Role.HEALTH_REVIEWER, region=regency)
    assert set(p.regions_assignable_by(coordinator, Role.OPD_OFFICER)) == {regency}
    assert set(p.regions_assignable_by(coordinator)) == {regency, other_regency}


def test_a_reviewer_without_a_region_sees_no_province():
    for role in (Role.HEALTH_REVIEWER, Role.PROVINCIAL_OFFICIAL):
        assert not p.provinces_visible_to(UserFactory(role=role, region=None)).exists()


def test_each_kind_of_report_job_is_seen_through_its_own_scope(provincial, province, other_regency, regency):
    """A dossier is seen with its assessment, a readiness report with its province; a stray region on a dossier
    or assessment on a readiness report opens nothing."""
    from evaluations.models import ReportJob, ReportKind
    from evaluations.tests.factories import CycleFactory, make_assessment

    cycle = CycleFactory()
    own = make_assessment(cycle=cycle, regency=regency)
    foreign = make_assessment(cycle=cycle, regency=other_regency)
    dossier = ReportJob.objects.create(kind=ReportKind.DOSSIER, cycle=cycle, assessment=own)
    readiness = ReportJob.objects.create(kind=ReportKind.READINESS, cycle=cycle, region=province)
    stray_dossier = ReportJob.objects.create(kind=ReportKind.DOSSIER, cycle=cycle, assessment=foreign, region=province)
    stray_readiness = ReportJob.objects.create(
        kind=ReportKind.READINESS, cycle=cycle, assessment=own, region=other_regency.parent
    )
    seen = set(p.report_jobs_visible_to(provincial))
    assert {dossier, readiness} <= seen
    assert stray_dossier not in seen
    assert stray_readiness not in seen


def test_a_stray_assignment_never_hands_a_response_to_another_regencys_opd(
    assessment, regency, other_regency, admin_user
):
    from evaluations.models import IndicatorAssignment
    from forums.tests.factories import OpdFactory

    response = assessment.responses.filter(indicator__kind="tatanan").first()
    foreign_opd = OpdFactory(regency=other_regency)
    officer = UserFactory(role=Role.OPD_OFFICER, region=regency, opd=foreign_opd)  # inconsistent, via the admin
    from django.utils import timezone

    IndicatorAssignment.objects.create(
        assessment=assessment,
        indicator=response.indicator,
        opd=foreign_opd,
        assigned_by=admin_user,
        assigned_at=timezone.now(),
    )
    assert officer not in p.fillers_for_response(response)
    assert not p.can_fill_response(officer, response)


def test_the_library_is_kept_by_the_admin_and_by_officers_of_the_regencys_own_opd(
    admin_user, opd_officer, regency, other_regency, other_assessment
):
    from forums.tests.factories import OpdFactory

    assert p.can_manage_library(admin_user, regency)
    assert p.can_manage_library(admin_user, other_regency)
    assert p.can_manage_library(opd_officer, regency)
    without_opd = UserFactory(role=Role.OPD_OFFICER, region=regency, opd=None)
    assert not p.can_manage_library(without_opd, regency)
    foreign = UserFactory(role=Role.OPD_OFFICER, region=regency, opd=OpdFactory(regency=other_regency))
    assert not p.can_manage_library(foreign, regency)


def test_a_reviewer_limited_to_some_tatanan_writes_notes_only_on_those(assessment, coordinator, regency):
    from evaluations.tests.workflow import submitted

    reviewer = UserFactory(role=Role.HEALTH_REVIEWER, region=regency)
    first = assessment.responses.filter(indicator__tatanan__number=1).first()
    second = assessment.responses.filter(indicator__tatanan__number=2).first()
    submitted(first, coordinator)
    submitted(second, coordinator)
    reviewer.review_tatanan.set([first.indicator.tatanan])
    first.refresh_from_db()
    second.refresh_from_db()
    assert p.can_add_review_note(reviewer, first)
    assert not p.can_add_review_note(reviewer, second)


def test_the_assignments_of_an_assessment_load_once_for_all_its_responses(assessment):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    responses = list(
        assessment.responses.select_related("indicator").prefetch_related("indicator__responsible_opd_kinds")
    )
    for r in responses:
        r.assessment = assessment  # one object, as the fill page hands them
    with CaptureQueriesContext(connection) as queries:
        for r in responses:
            p.responsibility_for(r)
    assert len(responses) > 3
    assert sum("indicatorassignment" in q["sql"] for q in queries) == 1


def test_the_tatanan_limit_is_read_by_number_once_and_never_limits_an_admin(regency, framework):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    second = framework.tatanan.get(number=2)
    second.number = second.pk + 7  # so that its key and its number differ
    second.save()
    reviewer = UserFactory(role=Role.HEALTH_REVIEWER, region=regency)
    reviewer.review_tatanan.set([second])
    with CaptureQueriesContext(connection) as queries:
        assert p.review_tatanan_numbers(reviewer) == {second.number}
        assert p.review_tatanan_numbers(reviewer) == {second.number}
    assert len(queries) == 1  # kept on the user for the request
    admin = UserFactory(role=Role.ADMIN, region=None)
    admin.review_tatanan.set([second])
    assert p.review_tatanan_numbers(admin) is None
    assert p.review_tatanan_numbers(p.User(role=Role.HEALTH_REVIEWER)) is None  # not saved: no limit to read


def test_the_policy_helpers_are_safe_without_a_user_or_for_an_anonymous_visitor(regency):
    from django.contrib.auth.models import AnonymousUser

    anonymous = AnonymousUser()
    assert p.role_of(None) is None  # a task or a builder acting for nobody
    assert p.role_of(anonymous) is None
    assert p._region_id(anonymous) is None
    assert p._scope_region(anonymous) is None
    assert p._scope_region(UserFactory(role=Role.NATIONAL_VERIFIER, region=None)) is None
    assert p._scope_region(UserFactory(role=Role.FORUM_COORDINATOR, region=regency)) == regency
