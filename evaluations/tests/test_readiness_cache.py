"""Issue 11: the readiness tables' rows are cached, and every change a table shows gives a fresh table.

Each test builds the table (filling the cache), changes one thing the table reads, through the services or the
admin's way of saving, and checks that the next table shows it; and that an unchanged table costs one query."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from evaluations.selectors.readiness import national_readiness, province_readiness
from evaluations.services.awards import official_result_record
from evaluations.tests.workflow import filled, submitted

pytestmark = pytest.mark.django_db


def _tatanan(assessment):
    return list(
        assessment.responses.filter(indicator__kind="tatanan")
        .select_related("indicator")
        .order_by("indicator__sort_order")
    )


def _row(province, cycle, **kwargs):
    return province_readiness(province=province, cycle=cycle, **kwargs).rows[0]


def test_an_unchanged_table_is_read_from_the_cache_in_one_query(assessment, province, cycle):
    first = province_readiness(province=province, cycle=cycle)
    with CaptureQueriesContext(connection) as queries:
        again = province_readiness(province=province, cycle=cycle)
    assert len(queries) == 1  # the fingerprint
    assert [(r.region.pk, r.score, r.filled) for r in again.rows] == [
        (r.region.pk, r.score, r.filled) for r in first.rows
    ]
    with CaptureQueriesContext(connection) as queries:
        national_readiness(cycle=cycle)
        national_readiness(cycle=cycle)
    assert len(queries) > 2  # built once ...
    with CaptureQueriesContext(connection) as queries:
        national_readiness(cycle=cycle)
    assert len(queries) == 1  # ... then cached


def test_a_response_saved_through_the_services_shows_at_once(assessment, province, cycle, coordinator):
    before = _row(province, cycle, basis="self")
    national_before = national_readiness(cycle=cycle, basis="self").rows
    filled(_tatanan(assessment)[0], coordinator, 100)
    after = _row(province, cycle, basis="self")
    assert after.filled == before.filled + 1
    assert after.cells[0].percent != before.cells[0].percent
    national_after = national_readiness(cycle=cycle, basis="self").rows
    assert sum(r.filled for r in national_after) == sum(r.filled for r in national_before) + 1


def test_a_submission_changes_the_review_counts(assessment, province, cycle, coordinator):
    assert _row(province, cycle).review.waiting == 0
    submitted(_tatanan(assessment)[0], coordinator, 100)
    assert _row(province, cycle).review.waiting == 1


def test_an_assessment_saved_by_the_admin_shows_at_once(assessment, province, cycle):
    assert _row(province, cycle).odf is not None
    assessment.odf_village_count, assessment.odf_stop_babs_count = 10, 3
    assessment.save()  # the admin's change form: updated_at moves
    assert _row(province, cycle).odf == 30


def test_a_change_of_the_award_policy_shows_at_once(assessment, province, cycle, coordinator):
    for response in _tatanan(assessment):
        filled(response, coordinator, 100)
    assessment.odf_village_count, assessment.odf_stop_babs_count = 10, 10
    assessment.save()
    level = _row(province, cycle, basis="self").level
    cycle.award_requires_kelembagaan = not cycle.award_requires_kelembagaan  # kelembagaan is not filled
    cycle.save()
    assert _row(province, cycle, basis="self").level != level


def test_an_official_result_changes_the_fingerprint(assessment, province, cycle, admin_user):
    from evaluations.selectors.readiness_cache import readiness_fingerprint

    before = readiness_fingerprint(cycle)
    official_result_record(
        cycle=cycle,
        regency=assessment.regency,
        level="wiwerda",
        awarded_on=datetime.date(2025, 11, 12),
        decree="SK 1",
        actor=admin_user,
    )
    assert readiness_fingerprint(cycle) != before


def test_each_basis_has_its_own_rows(assessment, province, cycle, coordinator):
    filled(_tatanan(assessment)[0], coordinator, 100)  # filled, not submitted: counts for "self" only
    assert (
        _row(province, cycle, basis="self").cells[0].percent != _row(province, cycle, basis="verified").cells[0].percent
    )


def test_the_pages_and_downloads_show_a_change_at_once(client, assessment, province, cycle, coordinator, provincial):
    """The rendered table and the XLSX/CSV are cached by the rows' version: a change gives new ones."""
    from django.urls import reverse

    client.force_login(provincial)
    page = reverse("evaluations:province-report", args=[province.pk]) + "?nilai=self"
    csv = reverse("evaluations:province-report-csv", args=[province.pk]) + "?nilai=self"
    before_page, before_csv = client.get(page).content, client.get(csv).content
    assert client.get(csv).content == before_csv  # cached, unchanged
    filled(_tatanan(assessment)[0], coordinator, 100)
    after_page, after_csv = client.get(page).content, client.get(csv).content
    assert after_csv != before_csv
    cell = province_readiness(province=province, cycle=cycle, basis="self").rows[0].cells[0]
    assert f"{cell.filled}/{cell.total}".encode() in after_page
    assert f"{cell.filled}/{cell.total}".encode() not in before_page


def test_each_sort_and_filter_has_its_own_rendered_table(client, assessment, province, cycle, provincial):
    """The rendered table is keyed by the query string: a cached sort never answers for another."""
    from django.urls import reverse

    from evaluations.tests.factories import make_assessment
    from forums.tests.factories import RegencyFactory

    blitar = make_assessment(cycle=cycle, regency=RegencyFactory(code="35.72", name="Kota Blitar", parent=province))
    client.force_login(provincial)
    url = reverse("evaluations:province-report", args=[province.pk])
    names = sorted([assessment.regency.name, blitar.regency.name])

    def order(query: str) -> list[int]:
        page = client.get(url + query).content.decode()
        return [page.index(f">{name}</a>") for name in names]

    ascending, descending = order("?urut=nama"), order("?urut=-nama")
    assert ascending[0] < ascending[1]
    assert descending[0] > descending[1]
    assert order("?urut=nama") == ascending  # cached, still its own order


def test_the_reports_and_downloads_work_without_a_cache(
    client, assessment, province, cycle, coordinator, provincial, national, monkeypatch
):
    """A Redis outage makes the reports slower, not broken: rows, table and files are made afresh."""
    from django.urls import reverse

    from evaluations.selectors import readiness_cache
    from evaluations.views import reports
    from kks import fragments
    from kks.tests.test_fragments import BrokenCache

    filled(_tatanan(assessment)[0], coordinator, 100)
    for module in (fragments, readiness_cache, reports):
        monkeypatch.setattr(module, "cache", BrokenCache())
    client.force_login(provincial)
    cell = province_readiness(province=province, cycle=cycle, basis="self").rows[0].cells[0]
    page = client.get(reverse("evaluations:province-report", args=[province.pk]) + "?nilai=self")
    assert page.status_code == 200
    assert f"{cell.filled}/{cell.total}".encode() in page.content
    assert client.get(reverse("evaluations:province-report-csv", args=[province.pk])).status_code == 200
    client.force_login(national)
    assert client.get(reverse("evaluations:national-report")).status_code == 200
    assert client.get(reverse("evaluations:national-report-xlsx")).status_code == 200
