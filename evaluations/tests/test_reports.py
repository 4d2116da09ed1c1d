"""Readiness reports: the province and national tables, their pages, sorting, filters and query counts."""

from decimal import Decimal

import pytest
from django.urls import reverse

from evaluations.choices import AwardBasis
from evaluations.models import Response, ResponseStatus, Stage
from evaluations.selectors.readiness import Filters, national_readiness, province_readiness
from evaluations.services.summary import readiness_summary_refresh
from evaluations.tests.factories import make_assessment
from forums.tests.factories import ProvinceFactory, RegencyFactory
from tatanan.scoring import Level

pytestmark = pytest.mark.django_db


def answer(assessment, values: dict, *, status=ResponseStatus.SUBMITTED, stage=Stage.KABUPATEN):
    """Set nilai mandiri by indicator code; every other indicator stays unanswered. Written past the services:
    the tables aggregate these responses themselves until ``summarise`` writes their readiness summaries."""
    for r in Response.objects.filter(assessment=assessment).select_related("indicator"):
        if r.indicator.code in values:
            r.value = values[r.indicator.code]
            r.status = status
            r.stage = stage
            r.save()


def summarise(cycle) -> None:
    """The readiness summaries the services would have written (the tables then read those, not the responses)."""
    readiness_summary_refresh(assessment_ids=cycle.assessments.values_list("pk", flat=True))


FULL = {"T1-01": 100, "T1-02": 50, "T1-03": 100, "T2-01": 50, "T2-02": 100, "T2-03": 50, "K-01": 100, "K-02": 100}


@pytest.fixture
def kediri(assessment):
    # Scored on the mean (83.33 and 66.67: 75, Padapa); per tatanan, the default, 66.67 reaches no level.
    assessment.cycle.award_band_basis = AwardBasis.MEAN
    assessment.cycle.save()
    answer(assessment, FULL)
    return assessment


def test_the_table_follows_the_award_policy_of_the_cycle(kediri, province, cycle):
    assert province_readiness(province=province, cycle=cycle).rows[0].level == Level.PADAPA
    cycle.award_band_basis = AwardBasis.EACH_TATANAN
    cycle.save()
    row = province_readiness(province=province, cycle=cycle).rows[0]
    assert (row.score, row.level) == (Decimal("75.00"), Level.NONE)


@pytest.fixture
def unassessed(province):
    return RegencyFactory(code="35.01", name="Kabupaten Pacitan", parent=province)


def test_province_table_has_a_row_per_regency(kediri, unassessed, province, cycle, other_assessment):
    table = province_readiness(province=province, cycle=cycle)

    assert [r.region.name for r in table.rows] == ["Kabupaten Pacitan", "Kota Kediri"]
    pacitan, row = table.rows
    assert [c.percent for c in row.cells] == [Decimal("83.33"), Decimal("66.67")]
    assert [c.heat for c in row.cells] == [3, 1]
    assert [(c.filled, c.total) for c in row.cells] == [(3, 3), (3, 3)]
    assert [c.review.waiting for c in row.cells] == [3, 3]
    assert row.fill_percent == Decimal(100)
    assert row.score == Decimal("75.00")
    assert row.odf == Decimal("100.00")
    assert row.level == Level.PADAPA
    assert row.level_label == "Padapa"
    assert pacitan.assessment is None
    assert pacitan.level is None
    assert [c.percent for c in pacitan.cells] == [None, None]


def test_score_basis_changes_the_scores(kediri, province, cycle):
    verified = province_readiness(province=province, cycle=cycle, basis="verified")
    assert [c.percent for c in verified.rows[0].cells] == [Decimal(0), Decimal(0)]
    assert verified.rows[0].level == Level.NONE


@pytest.mark.parametrize(
    ("sort", "first"),
    [
        ("kode", "Kabupaten Pacitan"),
        ("-kode", "Kota Kediri"),
        ("skor", "Kabupaten Pacitan"),
        ("-skor", "Kota Kediri"),
        ("-t2", "Kota Kediri"),
        ("nama", "Kabupaten Pacitan"),
        ("bogus", "Kabupaten Pacitan"),
    ],
)
def test_province_table_sorts(kediri, unassessed, province, cycle, sort, first):
    assert province_readiness(province=province, cycle=cycle, sort=sort).rows[0].region.name == first


@pytest.mark.parametrize(
    ("filters", "names"),
    [
        (Filters(level="padapa"), ["Kota Kediri"]),
        (Filters(level="wistara"), []),
        (Filters(status="none"), ["Kabupaten Pacitan"]),
        (Filters(status="in_progress"), ["Kota Kediri"]),
        (Filters(q="PACI"), ["Kabupaten Pacitan"]),
        (Filters(revision_only=True), []),
    ],
)
def test_province_table_filters(kediri, unassessed, province, cycle, filters, names):
    table = province_readiness(province=province, cycle=cycle, filters=filters)
    assert [r.region.name for r in table.rows] == names
    assert table.total_rows == 2


def test_national_table_aggregates_each_province(kediri, unassessed, other_assessment, cycle):
    answer(other_assessment, {"T1-01": 100, "T1-02": 100, "T1-03": 100})
    table = national_readiness(cycle=cycle)

    jatim, sulsel = table.rows
    assert (jatim.region.name, jatim.regencies, jatim.assessed) == ("Jawa Timur", 2, 1)
    assert [c.percent for c in jatim.cells] == [Decimal("83.33"), Decimal("66.67")]
    assert jatim.levels[Level.PADAPA] == 1
    assert [c.percent for c in sulsel.cells] == [Decimal(100), Decimal(0)]
    assert sulsel.score == Decimal(50)
    assert sulsel.levels[Level.NONE] == 1


def test_province_page_shows_heat_map_chart_and_sorting(client, provincial, kediri, unassessed, province):
    client.force_login(provincial)
    response = client.get(reverse("evaluations:province-report", args=[province.pk]), {"urut": "-skor"})

    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="num text-end heat-3"' in html
    assert 'class="num text-end heat-1"' in html
    assert "<svg" in html
    assert 'role="img"' in html
    assert 'aria-sort="descending"' in html
    assert '<option value="forecast" selected>' in html  # the form shows the basis in use
    assert reverse("evaluations:assessment-detail", args=[kediri.pk]) in html
    assert html.index("Kota Kediri") < html.index("Kabupaten Pacitan")
    assert "hx-" not in html.split("<main", 1)[1].split("</main>", 1)[0]  # works without JavaScript


def test_province_page_filter_by_level(client, provincial, kediri, unassessed, province):
    client.force_login(provincial)
    response = client.get(reverse("evaluations:province-report", args=[province.pk]), {"tingkat": "padapa"})

    table = response.context["table"]
    assert [r.region.name for r in table.rows] == ["Kota Kediri"]


def test_national_page_links_to_province_pages(client, national, kediri, other_assessment, province):
    client.force_login(national)
    response = client.get(reverse("evaluations:national-report"))

    assert response.status_code == 200
    assert reverse("evaluations:province-report", args=[province.pk]) in response.content.decode()


def _grow(province, cycle, n):
    for _i in range(n):
        a = make_assessment(cycle=cycle, regency=RegencyFactory(parent=province))
        answer(a, FULL)


@pytest.mark.parametrize("extra", [0, 6])
def test_province_page_query_count_is_constant(
    client, provincial, kediri, province, cycle, extra, django_assert_num_queries
):
    _grow(province, cycle, extra)
    summarise(cycle)
    client.force_login(provincial)
    url = reverse("evaluations:province-report", args=[province.pk])
    with django_assert_num_queries(17):  # no write (the beat task reaps dead jobs); 16 and the cache fingerprint
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("extra", [0, 6])
def test_national_page_query_count_is_constant(client, national, kediri, cycle, extra, django_assert_num_queries):
    for _ in range(extra // 2):
        _grow(ProvinceFactory(), cycle, 2)
    summarise(cycle)
    client.force_login(national)
    with django_assert_num_queries(15):  # 14 and the fingerprint of the cached rows
        assert client.get(reverse("evaluations:national-report")).status_code == 200
