"""The review queue and the review page of one response."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from evaluations.models import RevisionReason
from evaluations.tests.factories import make_assessment
from evaluations.tests.workflow import accept, fresh, submitted
from forums.tests.factories import OpdKindFactory, RegencyFactory
from tatanan.models import Indicator

pytestmark = pytest.mark.django_db


@pytest.fixture
def response(assessment):
    return assessment.responses.filter(indicator__kind="tatanan").order_by("indicator__sort_order").first()


def _submit_all(assessment, actor):
    for r in assessment.responses.select_related("indicator").order_by("indicator__sort_order"):
        submitted(r, actor)


def _codes(html):
    import re

    return re.findall(r'/verifikasi/\d+/(?:\?[^"]*)?">([A-Z0-9-]+)</a>', html)


def test_health_office_sees_what_waits_at_kabupaten_in_its_regency(
    client, assessment, coordinator, reviewer, other_assessment
):
    _submit_all(assessment, coordinator)
    client.force_login(reviewer)
    html = client.get("/verifikasi/").content.decode()
    assert _codes(html) == ["T1-01", "T1-02", "T1-03", "T2-01", "T2-02", "T2-03", "K-01", "K-02"]
    assert "Kota Makassar" not in html


def test_drafts_and_other_stages_are_not_in_the_queue(client, assessment, coordinator, reviewer, provincial, response):
    submitted(response, coordinator)
    client.force_login(provincial)
    assert _codes(client.get("/verifikasi/").content.decode()) == []
    accept(response, reviewer)
    assert _codes(client.get("/verifikasi/").content.decode()) == ["T1-01"]
    client.force_login(reviewer)
    assert _codes(client.get("/verifikasi/").content.decode()) == []


def test_the_queue_filters_by_tatanan_opd_and_regency(client, assessment, coordinator, reviewer, framework, regency):
    _submit_all(assessment, coordinator)
    tatanan = framework.tatanan.get(number=2)
    client.force_login(reviewer)
    assert _codes(client.get(f"/verifikasi/?tatanan={tatanan.pk}").content.decode()) == ["T2-01", "T2-02", "T2-03"]
    assert _codes(client.get("/verifikasi/?tatanan=kelembagaan").content.decode()) == ["K-01", "K-02"]
    other_kind = OpdKindFactory(code="bappeda", name="Bappeda")
    Indicator.objects.get(code="T2-02").responsible_opd_kinds.add(other_kind)
    assert _codes(client.get(f"/verifikasi/?opd={other_kind.pk}").content.decode()) == ["T2-02"]
    assert len(_codes(client.get(f"/verifikasi/?regency={regency.pk}").content.decode())) == 8


def test_an_invalid_filter_is_ignored_not_an_error(client, assessment, coordinator, reviewer):
    _submit_all(assessment, coordinator)
    client.force_login(reviewer)
    page = client.get("/verifikasi/?regency=999999&tatanan=abc")
    assert page.status_code == 200
    assert len(_codes(page.content.decode())) == 8


def test_the_queue_is_paginated(client, assessment, coordinator, reviewer, monkeypatch):
    from evaluations.views import review

    monkeypatch.setattr(review, "PAGE_SIZE", 3)
    _submit_all(assessment, coordinator)
    client.force_login(reviewer)
    first = client.get("/verifikasi/?tatanan=").content.decode()
    third = client.get("/verifikasi/?tatanan=&page=3").content.decode()
    assert _codes(first) == ["T1-01", "T1-02", "T1-03"]
    assert _codes(third) == ["K-01", "K-02"]
    assert "Halaman 1 dari 3" in first
    assert "?tatanan=&amp;page=2" in first


def _provincial_queue_of(regencies, cycle, coordinator_for, reviewer_for):
    for regency in regencies:
        assessment = make_assessment(cycle=cycle, regency=regency)
        for r in assessment.responses.select_related("indicator"):
            submitted(r, coordinator_for(regency))
            accept(r, reviewer_for(regency))


def test_query_count_of_the_queue_does_not_grow(client, cycle, province, provincial, django_assert_num_queries):
    from forums.tests.factories import UserFactory

    def coordinator_for(regency):
        return UserFactory(role="forum_coordinator", region=regency)

    def reviewer_for(regency):
        return UserFactory(role="health_reviewer", region=regency)

    _provincial_queue_of([RegencyFactory(parent=province)], cycle, coordinator_for, reviewer_for)
    client.force_login(provincial)
    client.get("/verifikasi/")
    with CaptureQueriesContext(connection) as small:
        small_html = client.get("/verifikasi/").content.decode()
    _provincial_queue_of([RegencyFactory(parent=province) for _ in range(3)], cycle, coordinator_for, reviewer_for)
    with django_assert_num_queries(len(small)):
        big_html = client.get("/verifikasi/").content.decode()
    assert len(_codes(small_html)) == 8
    assert len(_codes(big_html)) == 25  # a full page of 32 waiting


def test_review_page_shows_answer_evidence_history_and_the_form(client, coordinator, reviewer, response):
    submitted(response, coordinator, value=50)
    client.force_login(reviewer)
    html = client.get(f"/verifikasi/{response.pk}/").content.decode()
    assert "Capaian 2024" in html
    assert "Draf → <strong>Diajukan</strong>" in html
    assert 'name="decision"' in html
    assert 'name="value"' not in html  # the health office gives no score of its own
    assert f'name="version" value="{fresh(response).version}"' in html


def test_the_provincial_form_asks_for_the_provincial_score(client, coordinator, reviewer, provincial, response):
    submitted(response, coordinator, value=50)
    accept(response, reviewer)
    client.force_login(provincial)
    html = client.get(f"/verifikasi/{response.pk}/").content.decode()
    assert "Nilai provinsi" in html
    assert 'name="value"' in html


def test_accepting_through_the_page(client, coordinator, reviewer, response):
    from evaluations.services.evidence import evidence_add
    from evaluations.tests import samples

    evidence_add(response=response, uploaded=samples.pdf(), actor=coordinator)
    submitted(response, coordinator)
    client.force_login(reviewer)
    assert 'name="confirm_no_evidence"' not in client.get(f"/verifikasi/{response.pk}/").content.decode()
    page = client.post(
        f"/verifikasi/{response.pk}/putuskan/", {"decision": "accept", "version": fresh(response).version}
    )
    assert page.status_code == 302
    assert page["Location"] == "/verifikasi/"
    assert (fresh(response).stage, fresh(response).status) == ("provinsi", "submitted")


def test_accepting_without_evidence_asks_for_confirmation(client, coordinator, reviewer, response):
    submitted(response, coordinator)
    client.force_login(reviewer)
    url = f"/verifikasi/{response.pk}/putuskan/"
    assert 'name="confirm_no_evidence"' in client.get(f"/verifikasi/{response.pk}/").content.decode()

    page = client.post(url, {"decision": "accept", "version": fresh(response).version})
    html = page.content.decode()
    assert page.status_code == 200
    assert "belum punya bukti dukung" in html
    assert html.index("belum punya bukti dukung") > html.index('name="confirm_no_evidence"') - 2000
    assert fresh(response).stage == "kabupaten"  # nothing decided

    page = client.post(url, {"decision": "accept", "version": fresh(response).version, "confirm_no_evidence": "on"})
    assert page.status_code == 302
    assert (fresh(response).stage, fresh(response).status) == ("provinsi", "submitted")


def test_sending_back_without_evidence_needs_no_confirmation(client, coordinator, reviewer, response):
    from evaluations.models import RevisionReason

    submitted(response, coordinator)
    client.force_login(reviewer)
    reason = RevisionReason.objects.get_or_create(code="bukti-tidak-lengkap", defaults={"label": "Bukti"})[0]
    data = {"decision": "revise", "reason": reason.pk, "note": "Unggah SK", "version": fresh(response).version}
    assert client.post(f"/verifikasi/{response.pk}/putuskan/", data).status_code == 302
    assert fresh(response).status == "revision_requested"


def test_sending_back_without_a_reason_is_refused_by_the_form(client, coordinator, reviewer, response):
    submitted(response, coordinator)
    client.force_login(reviewer)
    page = client.post(
        f"/verifikasi/{response.pk}/putuskan/",
        {"decision": "revise", "note": "Kurang", "version": fresh(response).version},
    )
    assert page.status_code == 200
    assert "Pilih alasan perbaikan" in page.content.decode()
    assert "Kurang" in page.content.decode()
    assert fresh(response).status == "submitted"


def test_sending_back_through_the_page(client, coordinator, reviewer, response):
    submitted(response, coordinator)
    reason = RevisionReason.objects.get(code="tahun-tidak-sesuai")
    client.force_login(reviewer)
    page = client.post(
        f"/verifikasi/{response.pk}/putuskan/",
        {"decision": "revise", "reason": reason.pk, "note": "Data 2022", "version": fresh(response).version},
    )
    assert page.status_code == 302
    assert fresh(response).status == "revision_requested"


def test_a_stale_decision_through_the_page_is_refused_with_a_clear_message(
    client, coordinator, reviewer, admin_user, response
):
    submitted(response, coordinator)
    version = fresh(response).version
    accept(response, admin_user)
    client.force_login(reviewer)
    page = client.post(f"/verifikasi/{response.pk}/putuskan/", {"decision": "accept", "version": version})
    assert page.status_code == 409
    assert "sudah diubah oleh" in page.content.decode()
    assert fresh(response).stage == "provinsi"


def test_a_closed_review_window_hides_the_form(client, coordinator, reviewer, response, cycle):
    from evaluations.tests.workflow import close_all_windows

    submitted(response, coordinator)
    close_all_windows(cycle)
    client.force_login(reviewer)
    html = client.get(f"/verifikasi/{response.pk}/").content.decode()
    assert "sedang ditutup" in html
    assert 'name="decision"' not in html
    page = client.post(
        f"/verifikasi/{response.pk}/putuskan/", {"decision": "accept", "version": fresh(response).version}
    )
    assert "sudah ditutup" in page.content.decode()
    assert fresh(response).stage == "kabupaten"


def test_reviewers_find_the_queue_in_the_navigation(client, reviewer, coordinator):
    client.force_login(reviewer)
    assert 'href="/verifikasi/"' in client.get("/kotak-masuk/").content.decode()
    client.force_login(coordinator)
    assert 'href="/verifikasi/"' not in client.get("/kotak-masuk/").content.decode()


def test_home_tells_a_reviewer_how_many_indicators_wait_and_links_the_queue(
    client, assessment, coordinator, reviewer, response
):
    submitted(response, coordinator)
    client.force_login(reviewer)
    html = client.get("/").content.decode()
    assert "1 indikator menunggu verifikasi Anda." in html
    assert 'href="/verifikasi/"' in html.split("<main", 1)[1]
    client.force_login(coordinator)
    html = client.get("/").content.decode()
    assert "menunggu verifikasi Anda" not in html


def test_review_page_links_back_to_the_queue_for_reviewers_only(client, coordinator, reviewer, response):
    submitted(response, coordinator)
    queue_crumb = '<li class="breadcrumb-item"><a href="/verifikasi/">'
    client.force_login(reviewer)
    assert queue_crumb in client.get(f"/verifikasi/{response.pk}/").content.decode()
    client.force_login(coordinator)
    assert queue_crumb not in client.get(f"/verifikasi/{response.pk}/").content.decode()
