"""Responsible OPD: a regency gives an indicator to one OPD of its own, and a merged OPD holds several kinds."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from evaluations.models import IndicatorAssignment
from evaluations.services.assignments import indicator_assignments_set
from evaluations.services.errors import WorkflowError
from forums import permissions as p
from forums.models import Role
from forums.tests.factories import OpdFactory, OpdKindFactory, UserFactory
from tatanan.models import IndicatorKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def response(assessment):
    return assessment.responses.filter(indicator__kind=IndicatorKind.TATANAN).order_by("indicator__sort_order").first()


@pytest.fixture
def bappeda_kind(db):
    return OpdKindFactory(code="bappeda", name="Bappeda")


@pytest.fixture
def bappeda(regency, bappeda_kind):
    return OpdFactory(regency=regency, kind=bappeda_kind, name="Bappeda Kota Kediri", short_name="Bappeda")


@pytest.fixture
def bappeda_officer(regency, bappeda):
    return UserFactory(role=Role.OPD_OFFICER, region=regency, opd=bappeda, username="petugas_bappeda")


def _fresh(response):
    """The response as a page would load it (no cached assignments)."""
    return type(response).objects.select_related("assessment", "indicator").get(pk=response.pk)


def test_without_an_assignment_the_opd_of_the_indicators_kind_fills(response, opd_officer, bappeda_officer):
    assert p.can_fill_response(opd_officer, response)
    assert not p.can_fill_response(bappeda_officer, response)
    assert set(p.fillers_for_response(response).filter(role=Role.OPD_OFFICER)) == {opd_officer}


def test_an_assignment_moves_who_fills(assessment, response, coordinator, opd_officer, bappeda, bappeda_officer):
    changed = indicator_assignments_set(
        assessment=assessment, choices={response.indicator_id: bappeda}, actor=coordinator
    )

    assert changed == 1
    response = _fresh(response)
    assert p.can_fill_response(bappeda_officer, response)
    assert not p.can_fill_response(opd_officer, response)
    assert set(p.fillers_for_response(response).filter(role=Role.OPD_OFFICER)) == {bappeda_officer}
    # The coordinator still fills everything; other indicators keep their default.
    assert p.can_fill_response(coordinator, response)
    other = assessment.responses.filter(indicator__kind=IndicatorKind.TATANAN).exclude(pk=response.pk).first()
    assert p.can_fill_response(opd_officer, other)
    assert not p.can_fill_response(bappeda_officer, other)

    # Back to the default.
    assert indicator_assignments_set(assessment=assessment, choices={response.indicator_id: None}, actor=coordinator)
    response = _fresh(response)
    assert p.can_fill_response(opd_officer, response)
    assert not p.can_fill_response(bappeda_officer, response)
    assert not IndicatorAssignment.objects.exists()


def test_an_assignment_is_recorded_in_the_audit_history(assessment, response, coordinator, bappeda, opd):
    indicator_assignments_set(assessment=assessment, choices={response.indicator_id: bappeda}, actor=coordinator)
    indicator_assignments_set(assessment=assessment, choices={response.indicator_id: opd}, actor=coordinator)
    indicator_assignments_set(assessment=assessment, choices={response.indicator_id: opd}, actor=coordinator)

    rows = list(IndicatorAssignment.audit.order_by("history_id").values_list("history_type", "opd_id", "history_user"))
    assert rows == [("+", bappeda.pk, coordinator.pk), ("~", opd.pk, coordinator.pk)]


def test_a_merged_opd_fills_the_indicators_of_each_of_its_kinds(assessment, regency, opd_kind, bappeda_kind):
    merged = OpdFactory(regency=regency, kinds=[opd_kind, bappeda_kind], name="Bappeda & PM Kota Kediri")
    officer = UserFactory(role=Role.OPD_OFFICER, region=regency, opd=merged)
    responses = list(assessment.responses.filter(indicator__kind=IndicatorKind.TATANAN)[:2])
    responses[1].indicator.responsible_opd_kinds.set([bappeda_kind])
    only_planning = OpdFactory(regency=regency, kind=bappeda_kind, name="Bappeda saja")
    planner = UserFactory(role=Role.OPD_OFFICER, region=regency, opd=only_planning)

    for response in map(_fresh, responses):
        assert p.can_fill_response(officer, response), response.indicator.code
        # One row per filler although the merged OPD matches through two kinds.
        assert list(p.fillers_for_response(response).filter(opd=merged)) == [officer]
    assert not p.can_fill_response(planner, _fresh(responses[0]))
    assert p.can_fill_response(planner, _fresh(responses[1]))


def test_an_opd_of_another_regency_cannot_be_assigned(assessment, response, coordinator, other_regency, opd_kind):
    foreign = OpdFactory(regency=other_regency, kind=opd_kind)
    with pytest.raises(WorkflowError):
        indicator_assignments_set(assessment=assessment, choices={response.indicator_id: foreign}, actor=coordinator)
    assert not IndicatorAssignment.objects.exists()


def test_an_indicator_outside_the_assessment_cannot_be_assigned(assessment, coordinator, bappeda):
    with pytest.raises(WorkflowError):
        indicator_assignments_set(assessment=assessment, choices={10**9: bappeda}, actor=coordinator)


def test_only_the_coordinator_and_the_admin_assign(
    assessment, response, bappeda, opd_officer, reviewer, provincial, national, admin_user, outsider
):
    for user in (opd_officer, reviewer, provincial, national, outsider):
        assert not p.can_assign_opds(user, assessment)
        with pytest.raises(PermissionDenied):
            indicator_assignments_set(assessment=assessment, choices={response.indicator_id: bappeda}, actor=user)
    assert p.can_assign_opds(admin_user, assessment)
    assert indicator_assignments_set(assessment=assessment, choices={response.indicator_id: bappeda}, actor=admin_user)


def test_the_page_assigns_and_shows_the_choice(client, assessment, response, coordinator, bappeda, bappeda_officer):
    client.force_login(coordinator)
    url = reverse("evaluations:assessment-assignments", args=[assessment.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert f'name="opd_{response.indicator_id}"'.encode() in page.content

    answer = client.post(url, {f"opd_{response.indicator_id}": bappeda.pk}, follow=True)

    assert answer.redirect_chain[-1] == (url, 302)
    assert IndicatorAssignment.objects.get().opd == bappeda
    assert p.can_fill_response(bappeda_officer, _fresh(response))
    assert b"selected>Bappeda" in answer.content


def test_the_page_refuses_an_opd_of_another_regency(client, assessment, response, coordinator, other_regency):
    foreign = OpdFactory(regency=other_regency)
    client.force_login(coordinator)
    url = reverse("evaluations:assessment-assignments", args=[assessment.pk])
    answer = client.post(url, {f"opd_{response.indicator_id}": foreign.pk})
    assert answer.status_code == 400
    assert not IndicatorAssignment.objects.exists()


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("coordinator", 302),
        ("admin_user", 302),
        ("opd_officer", 403),
        ("reviewer", 403),
        ("provincial", 403),
        ("national", 403),
        ("outsider", 404),
    ],
)
def test_who_may_post_the_page(request, client, assessment, response, bappeda, persona, expected):
    client.force_login(request.getfixturevalue(persona))
    url = reverse("evaluations:assessment-assignments", args=[assessment.pk])
    answer = client.post(url, {f"opd_{response.indicator_id}": bappeda.pk})
    assert answer.status_code == expected
    assert IndicatorAssignment.objects.exists() is (expected == 302)


def test_the_fill_card_names_the_assigned_opd(client, assessment, response, coordinator, bappeda):
    url = reverse("evaluations:tatanan-fill", args=[assessment.pk, response.indicator.tatanan_id])
    client.force_login(coordinator)
    assert "ditetapkan kabupaten/kota" not in client.get(url).content.decode()

    indicator_assignments_set(assessment=assessment, choices={response.indicator_id: bappeda}, actor=coordinator)

    page = client.get(url).content.decode()
    assert page.count("ditetapkan kabupaten/kota") == 1  # on the card; the definition block loads on demand
    assert f"<strong>{bappeda}</strong>" in page
    block = reverse("evaluations:response-block", args=[response.pk, "definisi"])
    assert f"<dd>{bappeda} <span" in client.get(block).content.decode()


def test_the_kinds_of_an_officers_opd_are_read_once(response, opd_officer, django_assert_num_queries):
    """A fill page asks can_fill_response for every card: the officer's OPD kinds load once, not per card."""
    responsibility = p.responsibility_for(response)
    assert responsibility.covers(opd_officer.opd)
    with django_assert_num_queries(0):
        assert responsibility.covers(opd_officer.opd)
