"""The review queue's selector: the same rows as the review policy, read cheaply."""

import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from evaluations.forms.review import QueueFilterForm
from evaluations.models import Response, ResponseStatus, Stage
from evaluations.selectors.queue import WAITING, queue_filter_choices, queue_rows, review_queue, waiting_for
from forums.models import Role
from forums.permissions import responses_to_review_by
from forums.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def spread(assessment, other_assessment):
    """Responses of two provinces in every stage and status."""
    states = itertools.cycle(itertools.product(Stage.values, ResponseStatus.values))
    for response in Response.objects.filter(assessment__in=[assessment, other_assessment]).order_by("pk"):
        response.stage, response.status = next(states)
        response.save()


@pytest.mark.parametrize("persona", ["reviewer", "provincial", "national", "admin_user", "provincial_reviewer"])
def test_waiting_for_lists_exactly_what_the_policy_lets_the_user_review(request, spread, province, persona):
    if persona == "provincial_reviewer":
        user = UserFactory(role=Role.HEALTH_REVIEWER, region=province)
    else:
        user = request.getfixturevalue(persona)
    expected = set(responses_to_review_by(user).filter(status__in=WAITING).values_list("pk", flat=True))
    assert set(waiting_for(user).values_list("pk", flat=True)) == expected
    assert {r.pk for r in review_queue(user=user)} == expected


def test_queue_rows_load_what_the_page_shows_without_further_queries(spread, national):
    pks = list(review_queue(user=national).values_list("pk", flat=True))
    rows = queue_rows(pks)
    assert [r.pk for r in rows] == pks  # queue order kept
    with CaptureQueriesContext(connection) as queries:
        for r in rows:
            str(r.assessment.regency), str(r.indicator), str(r.indicator.tatanan or "")
            r.get_stage_display(), r.get_status_display(), r.value, r.updated_at
    assert len(queries) == 0


def test_filter_choices_are_read_with_one_query_over_the_waiting_rows_then_by_id(spread, national):
    waiting = waiting_for(national)
    with CaptureQueriesContext(connection) as queries:
        form = QueueFilterForm(choices=queue_filter_choices(waiting))
        str(form["regency"]), str(form["opd"]), str(form["tatanan"])
        str(form["regency"])  # rendered again: the queryset's cache
    assert len(queries) == 4  # the waiting rows' (regency, indicator) pairs, then regencies, tatanan, OPD kinds
    assert sum("evaluations_response" in q["sql"] for q in queries) == 1
    assert not any("CURSOR" in q["sql"] for q in queries)


def test_filter_choices_are_exactly_what_waits(spread, national, reviewer):
    for user in (national, reviewer):
        waiting = waiting_for(user)
        choices = queue_filter_choices(waiting)
        assert choices.regencies
        assert choices.tatanan
        assert choices.opd_kinds
        assert set(choices.regencies) == {r.assessment.regency for r in waiting.select_related("assessment__regency")}
        assert set(choices.tatanan) == {r.indicator.tatanan for r in waiting if r.indicator.tatanan}
        assert set(choices.opd_kinds) == {k for r in waiting for k in r.indicator.responsible_opd_kinds.all()}


def test_the_queue_shows_only_cycles_still_in_review(reviewer, regency, assessment, framework):
    """Issue 11: a finished cycle's waiting rows are no queue's business (nobody may decide them any more),
    and leaving them out bounds every queue query to the cycles in view; an admin's reopening brings them back."""
    import datetime

    from django.utils import timezone

    from evaluations.tests.factories import CycleFactory, make_assessment

    long_ago = timezone.now() - datetime.timedelta(days=400)
    old_cycle = CycleFactory(
        framework=framework,
        year=2024,
        self_assessment_opens=long_ago,
        self_assessment_closes=long_ago,
        provincial_opens=long_ago,
        provincial_closes=long_ago,
        national_opens=long_ago,
        national_closes=long_ago,
    )
    old = make_assessment(cycle=old_cycle, regency=regency)
    Response.objects.filter(assessment__in=[assessment, old]).update(stage=Stage.KABUPATEN, status=WAITING[0])

    assert set(waiting_for(reviewer).values_list("assessment_id", flat=True)) == {assessment.pk}
    assert set(review_queue(user=reviewer).values_list("assessment_id", flat=True)) == {assessment.pk}

    old_cycle.reopened_until = timezone.now() + datetime.timedelta(days=1)
    old_cycle.save()
    assert set(waiting_for(reviewer).values_list("assessment_id", flat=True)) == {assessment.pk, old.pk}


def test_the_queue_rows_come_from_the_cache_and_a_change_shows_at_once(client, reviewer, coordinator, assessment):
    """The page's rows are cached under a digest of the rows as loaded (kks/fragments.py)."""
    from evaluations.tests.workflow import submitted

    responses = list(assessment.responses.order_by("indicator__sort_order")[:2])
    for response in responses:
        submitted(response, coordinator, value=100)
    client.force_login(reviewer)
    first = client.get("/verifikasi/").content.decode()
    assert first.count('name="pk"') == 2
    assert client.get("/verifikasi/").content.decode().count('name="pk"') == 2

    responses[0].value = 50  # a change no timestamp records
    Response.objects.filter(pk=responses[0].pk).update(value=50)
    page = client.get("/verifikasi/").content.decode()
    row = page[page.index(f'id="pick-{responses[0].pk}"') :]
    assert "<td>50</td>" in row[: row.index("</tr>")]

    Response.objects.filter(pk=responses[1].pk).update(status=ResponseStatus.ACCEPTED)
    assert client.get("/verifikasi/").content.decode().count('name="pk"') == 1
