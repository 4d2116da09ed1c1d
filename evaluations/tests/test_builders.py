"""The shared builder of demo and test data leaves the same rows as the services it stands in for."""

import pytest

from evaluations.builders import record_accept, record_fill, record_revision, record_submit
from evaluations.models import RevisionReason
from evaluations.tests.workflow import accept, fresh, send_back, submitted

pytestmark = pytest.mark.django_db


def _shape(response):
    response = fresh(response)
    history = [(c.actor_id, c.stage, c.from_status, c.to_status, c.value) for c in response.history.all()]
    return (response.stage, response.status, response.version, response.value, response.value_provincial), history


@pytest.fixture
def pair(assessment):
    first, second, *_rest = assessment.responses.filter(indicator__kind="tatanan").order_by("indicator__sort_order")
    return first, second


def _built_submitted(response, actor):
    response.value, response.achievement = 100, "Capaian 2024"
    record_fill([response], actor=actor, submit=[response])


def test_fill_submit_and_accept_match_the_services(pair, coordinator, reviewer, provincial):
    by_services, by_builder = pair
    submitted(by_services, coordinator)
    accept(by_services, reviewer)
    accept(by_services, provincial, value=100)
    _built_submitted(by_builder, coordinator)
    record_accept(fresh(by_builder), actor=reviewer)
    record_accept(fresh(by_builder), actor=provincial, value=100)
    assert _shape(by_builder) == _shape(by_services)


def test_a_send_back_and_resubmission_match_the_services(pair, coordinator, reviewer):
    by_services, by_builder = pair
    reason = RevisionReason.objects.get(code="bukti-tidak-lengkap")
    submitted(by_services, coordinator)
    send_back(by_services, reviewer)
    submitted(by_services, coordinator)
    _built_submitted(by_builder, coordinator)
    record_revision(fresh(by_builder), actor=reviewer, reason=reason, note="Lengkapi")
    record_submit([fresh(by_builder)], actor=coordinator)  # the answer itself is unchanged: no new fill write
    # The services also set the revision deadline; the states, versions and history are the same.
    assert _shape(by_builder) == _shape(by_services)
