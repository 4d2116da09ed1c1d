"""Framework pages: readable by every signed-in role, closed to anonymous visitors, constant queries."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from forums.tests.factories import OpdKindFactory
from tatanan.tests.factories import make_framework

pytestmark = pytest.mark.django_db

PERSONAS = ["coordinator", "opd_officer", "reviewer", "provincial", "national", "admin_user", "outsider"]


def _urls(framework):
    return [
        reverse("tatanan:framework-list"),
        reverse("tatanan:framework-detail", args=[framework.code]),
        reverse("tatanan:tatanan-detail", args=[framework.code, 1]),
        reverse("tatanan:kelembagaan-detail", args=[framework.code]),
    ]


def test_anonymous_visitor_is_sent_to_login(client, framework):
    for url in _urls(framework):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_role_may_read_every_framework_page(client, request, framework, persona):
    client.force_login(request.getfixturevalue(persona))
    for url in _urls(framework):
        assert client.get(url).status_code == 200, url


def test_unknown_framework_or_tatanan_is_404(client, coordinator, framework):
    client.force_login(coordinator)
    assert client.get(reverse("tatanan:framework-detail", args=["tidak-ada"])).status_code == 404
    assert client.get(reverse("tatanan:tatanan-detail", args=[framework.code, 99])).status_code == 404
    assert client.get(reverse("tatanan:kelembagaan-detail", args=["tidak-ada"])).status_code == 404


def test_list_shows_counts_and_status(client, coordinator, framework):
    client.force_login(coordinator)
    page = client.get(reverse("tatanan:framework-list")).content.decode()
    assert framework.name in page
    assert "2 tatanan" in page
    assert "6 indikator tatanan" in page
    assert "2 indikator kelembagaan" in page
    assert "Terbit" in page


def test_framework_page_lists_tatanan_with_indicator_counts(client, coordinator, framework):
    client.force_login(coordinator)
    response = client.get(reverse("tatanan:framework-detail", args=[framework.code]))
    rows = [(t.number, t.name, t.n_indicators) for t in response.context["tatanan_list"]]
    assert rows == [(1, "Tatanan 1", 3), (2, "Tatanan 2", 3)]
    assert response.context["framework"].n_kelembagaan == 2
    assert reverse("tatanan:tatanan-detail", args=[framework.code, 2]) in response.content.decode()


def test_tatanan_page_shows_definition_source_evidence_opd_and_scale(client, coordinator, framework):
    indicator = framework.indicators.get(code="T1-02")
    indicator.operational_definition = "Jumlah pasar sehat dibagi jumlah pasar"
    indicator.data_source = "Perangkat daerah yang membidangi pasar"
    indicator.required_evidence = "Laporan yang divalidasi Kepala OPD"
    indicator.save()
    client.force_login(coordinator)
    response = client.get(reverse("tatanan:tatanan-detail", args=[framework.code, 1]))
    page = response.content.decode()
    assert [i.code for i in response.context["indicators"]] == ["T1-01", "T1-02", "T1-03"]
    for text in (indicator.operational_definition, indicator.data_source, indicator.required_evidence):
        assert text in page
    assert "Dinas Kesehatan" in page
    assert "Nilai 50" in page
    assert response.context["next"]["number"] == 2
    assert response.context["previous"] is None


def test_kelembagaan_page_groups_by_body(client, coordinator, framework):
    client.force_login(coordinator)
    page = client.get(reverse("tatanan:kelembagaan-detail", args=[framework.code])).content.decode()
    assert "Forum Kabupaten/Kota Sehat" in page
    assert "SK lembaga 1" in page
    assert "Ada SK" in page


def test_shipped_framework_pages_render(client, coordinator, settings):
    call_command("load_framework", str(settings.BASE_DIR / "tatanan" / "data" / "kks-2025-r2.yaml"))
    client.force_login(coordinator)
    page = client.get(reverse("tatanan:tatanan-detail", args=["kks-2025-r2", 1])).content.decode()
    assert "Jumlah Kematian Ibu" in page
    assert "Dinas Kesehatan" in page
    page = client.get(reverse("tatanan:kelembagaan-detail", args=["kks-2025-r2"])).content.decode()
    assert "Pokja Desa/Kelurahan Sehat" in page


# --- query counts stay constant as the framework grows -------------------------------------------


def _bigger_framework(opd_kind):
    other = OpdKindFactory(code="dlh", name="Dinas Lingkungan Hidup")
    fw = make_framework(tatanan=9, per_tatanan=12, kelembagaan=16, opd_kind=opd_kind, scale=(100, 75, 50, 25, 0))
    for indicator in fw.indicators.all():
        indicator.responsible_opd_kinds.add(other)
    return fw


@pytest.mark.parametrize("size", ["small", "large"])
def test_pages_use_a_constant_number_of_queries(client, coordinator, opd_kind, django_assert_num_queries, size):
    if size == "small":
        fw = make_framework(tatanan=2, per_tatanan=2, kelembagaan=1, opd_kind=opd_kind)
    else:
        fw = _bigger_framework(opd_kind)
        make_framework(tatanan=3, per_tatanan=2, opd_kind=opd_kind)
        make_framework(tatanan=3, per_tatanan=2, opd_kind=opd_kind)
    client.force_login(coordinator)
    expected = {
        reverse("tatanan:framework-list"): 4,
        reverse("tatanan:framework-detail", args=[fw.code]): 5,
        reverse("tatanan:tatanan-detail", args=[fw.code, 2]): 8,
        reverse("tatanan:kelembagaan-detail", args=[fw.code]): 7,
    }
    for url, queries in expected.items():
        with django_assert_num_queries(queries):
            assert client.get(url).status_code == 200


def test_the_list_shows_the_newest_version_first(client, coordinator):
    from tatanan.tests.factories import FrameworkFactory

    for code, year in [("b-2025", 2025), ("a-2026", 2026), ("a-2025", 2025)]:
        FrameworkFactory(code=code, year=year)
    client.force_login(coordinator)
    response = client.get(reverse("tatanan:framework-list"))
    assert [f.code for f in response.context["frameworks"]] == ["a-2026", "a-2025", "b-2025"]
