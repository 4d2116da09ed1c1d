"""The readiness summary: kept equal to the responses by every writing service, read by the reports instead of
the responses, repaired when a write went past the services, and correct under concurrent writers."""

import threading

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evaluations.builders import record_accept, record_fill
from evaluations.models import Assessment, ReadinessSummary, Response
from evaluations.selectors.readiness import national_readiness, province_readiness
from evaluations.selectors.scores import encode_sums, live_response_sums
from evaluations.services.assessments import assessments_open
from evaluations.services.corrections import response_correct
from evaluations.services.evidence import evidence_add
from evaluations.services.responses import response_review_accept_many, response_save, response_submit_filled
from evaluations.services.summary import readiness_summary_batch, readiness_summary_refresh, readiness_summary_repair
from evaluations.tasks import repair_readiness_summaries
from evaluations.tests import samples
from evaluations.tests.factories import CycleFactory
from evaluations.tests.workflow import accept, filled, fresh, send_back, submitted
from forums.models import Region
from forums.tests.factories import RegencyFactory
from kks.testing import require_postgresql

pytestmark = pytest.mark.django_db


def _stored(assessment) -> dict:
    return ReadinessSummary.objects.get(pk=assessment.pk).sums


def _live(assessment) -> dict:
    return encode_sums(live_response_sums([assessment.pk]).get(assessment.pk, {}))


def _in_step(assessment) -> bool:
    return _stored(assessment) == _live(assessment)


def _tatanan(assessment):
    return list(
        assessment.responses.filter(indicator__kind="tatanan")
        .select_related("indicator")
        .order_by("indicator__sort_order")
    )


def test_opening_a_cycle_writes_each_assessments_summary(admin_user, framework, regency, other_regency):
    cycle = CycleFactory(framework=framework)
    assessments_open(
        cycle=cycle, regencies=Region.objects.filter(pk__in=[regency.pk, other_regency.pk]), actor=admin_user
    )
    opened = list(Assessment.objects.filter(cycle=cycle))
    assert len(opened) == 2
    for a in opened:
        assert _in_step(a)
        draft = sum(v[-4] for v in _stored(a).values())
        assert draft == a.responses.count() > 0  # every response counted as a draft


def test_every_step_of_the_workflow_keeps_the_summary_equal_to_the_responses(
    assessment, coordinator, reviewer, provincial, national, admin_user
):
    first, second, third = _tatanan(assessment)[:3]
    filled(first, coordinator, 50)
    assert _in_step(assessment)
    before = _stored(assessment)
    submitted(first, coordinator, 100)
    assert _in_step(assessment)
    assert _stored(assessment) != before
    send_back(first, reviewer)
    assert _in_step(assessment)
    submitted(first, coordinator, 100)
    accept(first, reviewer)
    accept(first, provincial, value=50)
    assert _in_step(assessment)
    final = accept(first, national, value=50)
    assert _in_step(assessment)
    response_correct(response=fresh(final), changes={"value_national": 100}, reason="salah ketik", actor=admin_user)
    assert _in_step(assessment)

    # the bulk actions: submit-all and bulk accept
    for r in (second, third):
        filled(r, coordinator, 100)
        evidence_add(response=fresh(r), uploaded=samples.upload("sk.pdf", samples.pdf_bytes()), actor=coordinator)
    assert len(response_submit_filled(responses=[fresh(second), fresh(third)], actor=coordinator)) == 2
    assert _in_step(assessment)
    outcome = response_review_accept_many(items=[(fresh(r), fresh(r).version) for r in (second, third)], actor=reviewer)
    assert len(outcome.accepted) == 2
    assert _in_step(assessment)


def test_a_batch_rewrites_each_assessment_once_at_its_end(assessment, coordinator):
    responses = _tatanan(assessment)[:3]
    with CaptureQueriesContext(connection) as queries, transaction.atomic(), readiness_summary_batch():
        for r in responses:
            response_save(response=r, data={"value": 100}, actor=coordinator)
        assert not ReadinessSummary.objects.filter(pk=assessment.pk).exists()  # nothing written until the end
    assert _in_step(assessment)
    rewrites = [q for q in queries if q["sql"].startswith("UPDATE") and "readinesssummary" in q["sql"]]
    assert len(rewrites) == 1


@pytest.mark.django_db(transaction=True)
def test_a_batch_needs_the_callers_transaction(assessment):
    with pytest.raises(RuntimeError, match="transaction"), readiness_summary_batch():
        pass


def test_the_admin_edit_of_a_response_rewrites_the_summary(admin_client, assessment):
    response = _tatanan(assessment)[0]
    url = f"/admin/evaluations/response/{response.pk}/change/"
    page = admin_client.post(
        url, {"value": 50, "value_provincial": "", "value_national": "", "achievement": "", "explanation": "admin"}
    )
    assert page.status_code == 302, page.content.decode()[:2000]
    assert fresh(response).value == 50
    assert _in_step(assessment)
    assert admin_client.post(f"/admin/evaluations/response/{response.pk}/delete/", {"post": "yes"}).status_code == 302
    assert _in_step(assessment)


def test_the_builder_keeps_the_summary_too(assessment, coordinator, reviewer):
    responses = _tatanan(assessment)
    for r in responses:
        r.value = 100
    record_fill(responses, actor=coordinator, submit=responses)
    assert _in_step(assessment)
    record_accept(fresh(responses[0]), actor=reviewer)
    assert _in_step(assessment)


def test_the_reports_read_the_summaries_not_the_responses(
    client, assessment, other_assessment, province, cycle, coordinator, provincial, national
):
    submitted(_tatanan(assessment)[0], coordinator, 100)
    readiness_summary_refresh(assessment_ids=[other_assessment.pk])
    expected = province_readiness(province=province, cycle=cycle).rows[0].cells[0].percent
    cache.clear()  # the rows just built are cached: each page builds its own
    for name, user, kwargs in (
        ("evaluations:province-report", provincial, {"args": [province.pk]}),
        ("evaluations:national-report", national, {}),
    ):
        client.force_login(user)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse(name, **kwargs)).status_code == 200
        sql = " ".join(q["sql"] for q in queries)
        assert '"evaluations_readinesssummary"' in sql
        assert 'FROM "evaluations_response"' not in sql, name
    # What the summary holds is what the tables show (a tampered row shows through: nothing else is read).
    summary = ReadinessSummary.objects.get(pk=assessment.pk)
    tatanan_id = str(_tatanan(assessment)[0].indicator.tatanan_id)
    summary.sums[tatanan_id][0] += 1  # one more filled
    summary.save()  # past the services: refreshed_at is unchanged, so the cached rows stand until they expire
    cache.clear()
    row = province_readiness(province=province, cycle=cycle).rows[0]
    assert row.cells[0].filled == fresh_row_filled(assessment) + 1
    assert expected is not None


def fresh_row_filled(assessment):
    first = _tatanan(assessment)[0].indicator.tatanan_id
    return assessment.responses.filter(indicator__tatanan_id=first, value__isnull=False).count()


def test_an_assessment_without_a_summary_is_aggregated_from_its_responses(assessment, province, cycle):
    Response.objects.filter(assessment=assessment, indicator__kind="tatanan").update(value=100)  # past the services
    assert not ReadinessSummary.objects.filter(pk=assessment.pk).exists()
    row = province_readiness(province=province, cycle=cycle, basis="self").rows[0]
    assert [c.percent for c in row.cells] == [100, 100]


def test_the_repair_rewrites_what_drifted_and_logs_it(assessment, other_assessment, coordinator, caplog, capsys):
    filled(_tatanan(assessment)[0], coordinator, 50)
    filled(_tatanan(other_assessment)[0], other_assessment_filler(other_assessment), 50)
    assert readiness_summary_repair() == 0
    Response.objects.filter(assessment=assessment).update(value=100)  # a write past the services
    assert not _in_step(assessment)
    assert readiness_summary_repair() == 1
    assert _in_step(assessment)
    assert "drifted" in caplog.text
    Response.objects.filter(assessment=assessment).update(value=0)
    call_command("refresh_readiness", cycle=assessment.cycle_id)
    assert "1 ringkasan kesiapan diperbarui" in capsys.readouterr().out
    Response.objects.filter(assessment=assessment).update(value=50)
    assert repair_readiness_summaries() == 1  # the nightly beat task
    assert _in_step(assessment)


def other_assessment_filler(assessment):
    from forums.tests.factories import UserFactory

    return UserFactory(role="forum_coordinator", region=assessment.regency)


def test_the_repair_command_refuses_an_unknown_cycle():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="tidak ada"):
        call_command("refresh_readiness", cycle=999_999)


def test_the_national_table_counts_a_regency_once_whatever_its_summary_history(cycle, national, province):
    regencies = [RegencyFactory(parent=province) for _ in range(3)]
    for regency in regencies:
        Assessment.objects.create(cycle=cycle, regency=regency)
    readiness_summary_refresh(assessment_ids=Assessment.objects.values_list("pk", flat=True))
    readiness_summary_refresh(assessment_ids=Assessment.objects.values_list("pk", flat=True))
    table = national_readiness(cycle=cycle)
    row = next(r for r in table.rows if r.region == province)
    assert row.assessed == 3


@pytest.mark.django_db(transaction=True)
def test_two_writers_to_one_assessment_both_count(assessment, coordinator):
    """Two transactions change two responses of one assessment at once: the summary row's lock makes the
    second rewrite wait for the first commit, so the sums hold both changes (without it, the last writer's
    aggregate would miss the other's uncommitted change)."""
    if connection.vendor != "postgresql":
        require_postgresql("the summary row-lock test")
    readiness_summary_refresh(assessment_ids=[assessment.pk])
    a, b = _tatanan(assessment)[:2]
    first_wrote = threading.Event()
    second_started = threading.Event()
    errors = []

    def first():
        try:
            with transaction.atomic():
                response_save(response=a, data={"value": 100}, actor=coordinator)
                first_wrote.set()
                second_started.wait(timeout=10)
                threading.Event().wait(0.5)  # let the second writer reach the summary row's lock
        except Exception as error:  # inspected below
            errors.append(error)
        finally:
            connection.close()

    def second():
        try:
            first_wrote.wait(timeout=10)
            second_started.set()
            response_save(response=b, data={"value": 100}, actor=coordinator)
        except Exception as error:  # inspected below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert errors == []
    assert _in_step(assessment)
    tatanan_id = str(a.indicator.tatanan_id)
    assert _stored(assessment)[tatanan_id][0] == 2  # both filled
