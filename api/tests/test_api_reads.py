"""What the read endpoints return: the same rows, scores and levels as the pages, nothing beyond the scope."""

import pytest

from evaluations.selectors.scores import assessment_scores
from evaluations.services.evidence import evidence_add, evidence_withdraw
from evaluations.tests import samples
from evaluations.tests.workflow import accept, filled, fresh, submitted

from .helpers import call, token_for

pytestmark = pytest.mark.django_db


def get(client, user, path, **params):
    answer = call(client, "GET", path, token_for(user), data=params)
    assert answer.status_code == 200, answer.content
    return answer.json()


def test_a_framework_with_its_tatanan_indicators_and_scales(client, coordinator, framework, opd_kind):
    listed = get(client, coordinator, "/frameworks")
    assert [f["code"] for f in listed] == [framework.code]
    detail = get(client, coordinator, f"/frameworks/{framework.code}")
    assert [t["number"] for t in detail["tatanan"]] == [1, 2]
    first = detail["tatanan"][0]["indicators"][0]
    assert first["code"] == "T1-01"
    assert [s["value"] for s in first["scale"]] == [100, 50, 0]
    assert first["responsible_opd_kinds"] == [opd_kind.code]
    assert [k["code"] for k in detail["kelembagaan"]] == ["K-01", "K-02"]
    assert call(client, "GET", "/frameworks/tidak-ada", token_for(coordinator)).status_code == 404


def test_regions_follow_the_users_scope(client, coordinator, provincial, national, regency, other_regency):
    def codes(user, **params):
        return [r["code"] for r in get(client, user, "/regions", **params)]

    assert codes(coordinator) == ["35.71"]
    assert codes(provincial) == ["35", "35.71"]
    assert codes(national) == ["35", "73", "35.71", "73.71"]
    assert codes(national, level="kabkota", parent="73") == ["73.71"]
    assert codes(national, level="provinsi") == ["35", "73"]
    one = get(client, national, "/regions", level="kabkota", parent="35")[0]
    assert one == {"code": "35.71", "name": "Kota Kediri", "level": "kabkota", "parent_code": "35"}


def test_assessments_in_scope_with_paging(client, coordinator, national, assessment, other_assessment):
    mine = get(client, coordinator, "/assessments")
    assert mine["count"] == 1
    assert [a["id"] for a in mine["items"]] == [assessment.pk]
    assert mine["items"][0]["cycle"]["data_year"] == assessment.cycle.data_year
    everything = get(client, national, "/assessments")
    assert everything["count"] == 2
    page = get(client, national, "/assessments", limit=1, offset=1)
    assert (page["count"], [a["regency"]["code"] for a in page["items"]]) == (2, ["73.71"])
    assert get(client, national, "/assessments", regency="35.71")["count"] == 1
    assert call(client, "GET", "/assessments", token_for(national), data={"limit": 0}).status_code == 422


def test_assessment_scores_and_levels_are_the_pages(client, assessment, coordinator, reviewer, provincial):
    responses = list(assessment.responses.order_by("indicator__sort_order"))
    for r in responses:
        filled(fresh(r), coordinator, value=100)
    submitted(fresh(responses[0]), coordinator)
    accept(responses[0], reviewer)
    detail = get(client, provincial, f"/assessments/{assessment.pk}")
    expected = assessment_scores(assessment)
    for basis, readiness in expected.readiness.items():
        got = detail["readiness"][basis]
        assert got["level"] == readiness.level.value
        assert got["score"] == float(readiness.score)
        assert got["kelembagaan_complete"] == readiness.kelembagaan_complete
    assert detail["readiness"]["self"]["score"] == 100.0
    assert detail["readiness"]["self"]["level"] != "none"
    assert detail["readiness"]["verified"]["score"] < 100.0
    row = detail["tatanan"][0]
    assert (row["number"], row["filled"], row["total"]) == (1, 3, 3)
    assert row["scores"]["verified"]["answered"] == expected.tatanan[0].scores["verified"].answered
    assert detail["odf_percent"] == float(expected.odf_percent)


def test_responses_of_an_assessment_with_filters(client, assessment, opd_officer):
    everything = get(client, opd_officer, f"/assessments/{assessment.pk}/responses")
    assert [r["indicator_code"] for r in everything] == [
        "T1-01",
        "T1-02",
        "T1-03",
        "T2-01",
        "T2-02",
        "T2-03",
        "K-01",
        "K-02",
    ]
    # The OPD officer fills the tatanan indicators of their OPD kind, not kelembagaan (the policy's answer).
    assert [r["can_fill"] for r in everything] == [True] * 6 + [False] * 2
    kelembagaan = get(client, opd_officer, f"/assessments/{assessment.pk}/responses", tatanan=0)
    assert [r["indicator_code"] for r in kelembagaan] == ["K-01", "K-02"]
    assert [r["tatanan_number"] for r in kelembagaan] == [None, None]
    second = get(client, opd_officer, f"/assessments/{assessment.pk}/responses", tatanan=2)
    assert [r["indicator_code"] for r in second] == ["T2-01", "T2-02", "T2-03"]
    assert get(client, opd_officer, f"/assessments/{assessment.pk}/responses", status="accepted") == []


def test_evidence_metadata_links_to_the_checked_download(client, assessment, coordinator, reviewer, settings):
    settings.KKS_SITE_URL = "https://kks.example.go.id/"
    response = fresh(assessment.responses.order_by("indicator__sort_order").first())
    kept = evidence_add(response=response, uploaded=samples.pdf("sk.pdf"), actor=coordinator, title="SK")
    gone = evidence_add(response=response, uploaded=samples.pdf("lama.pdf"), actor=coordinator, title="Lama")
    evidence_withdraw(evidence=gone, actor=coordinator)
    items = get(client, reviewer, f"/responses/{response.pk}/evidence")
    assert [(e["title"], e["withdrawn_at"] is None) for e in items] == [("SK", True), ("Lama", False)]
    version = items[0]["versions"][0]
    assert version["id"] == kept.current_id
    assert (version["original_name"], version["content_type"], version["number"]) == ("sk.pdf", "application/pdf", 1)
    assert version["sha256"] == kept.current.sha256
    assert version["download_url"] == f"https://kks.example.go.id/bukti/berkas/{kept.current_id}/unduh/"
    assert "content" not in version
    # The link is the page's own permission-checked download: it wants a session, the API gives no bytes.
    client.force_login(reviewer)
    assert client.get(version["download_url"].removeprefix("https://kks.example.go.id")).status_code == 200


def test_huge_or_negative_ids_are_answered_not_crashed(client, national, assessment):
    secret = token_for(national)
    assert call(client, "GET", "/assessments/" + "9" * 30, secret).status_code == 404  # past bigint
    assert call(client, "GET", "/responses/-1", secret).status_code == 404
    assert call(client, "GET", "/responses/abc", secret).status_code == 422


@pytest.mark.parametrize("path", ["/assessments/{a}/responses", "/assessments/{a}", "/frameworks/{fw}", "/assessments"])
def test_reads_cost_a_fixed_number_of_queries(
    client, assessment, framework, opd_officer, path, django_assert_max_num_queries
):
    from evaluations.models import Response
    from tatanan.tests.factories import IndicatorFactory

    secret = token_for(opd_officer)
    url = path.format(a=assessment.pk, fw=framework.code)
    call(client, "GET", url, secret)  # the use stamp is written once a minute: not in the count below
    with django_assert_max_num_queries(14) as few:
        assert call(client, "GET", url, secret).status_code == 200
    tatanan = framework.tatanan.first()
    for n in range(20):  # many more indicators and responses: the same number of queries
        indicator = IndicatorFactory(
            framework=framework, tatanan=tatanan, number=100 + n, code=f"X-{n}", sort_order=100 + n
        )
        Response.objects.create(assessment=assessment, indicator=indicator)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert call(client, "GET", url, secret).status_code == 200
