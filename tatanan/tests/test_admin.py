"""A published framework cannot be changed through the admin: not edited, not added to, not deleted."""

import pytest

from tatanan.models import FrameworkStatus, Indicator, ScaleOption, Tatanan
from tatanan.tests.factories import FrameworkFactory, IndicatorFactory, TatananFactory

pytestmark = pytest.mark.django_db

INLINE = {
    "scale_options-TOTAL_FORMS": "1",
    "scale_options-INITIAL_FORMS": "0",
    "scale_options-MIN_NUM_FORMS": "0",
    "scale_options-MAX_NUM_FORMS": "1000",
    "scale_options-0-value": "100",
    "scale_options-0-description": "Ada",
}


@pytest.fixture
def draft():
    return FrameworkFactory(status=FrameworkStatus.DRAFT)


def _indicator_data(framework, tatanan, **extra):
    return {
        "framework": framework.pk,
        "tatanan": tatanan.pk,
        "kind": "tatanan",
        "code": "X-99",
        "number": 99,
        "name": "Indikator selundupan",
        "sort_order": 99,
        **INLINE,
        **extra,
    }


def test_published_framework_and_its_parts_open_read_only(admin_client, framework):
    tatanan = framework.tatanan.first()
    indicator = framework.indicators.first()

    for url in (
        f"/admin/tatanan/frameworkversion/{framework.pk}/change/",
        f"/admin/tatanan/tatanan/{tatanan.pk}/change/",
        f"/admin/tatanan/indicator/{indicator.pk}/change/",
    ):
        page = admin_client.get(url)
        assert page.status_code == 200
        assert not page.context["has_change_permission"], url
    assert admin_client.get(f"/admin/tatanan/indicator/{indicator.pk}/delete/").status_code == 403


def test_a_tatanan_cannot_be_added_to_a_published_framework(admin_client, framework):
    before = framework.tatanan.count()

    page = admin_client.post("/admin/tatanan/tatanan/add/", {"framework": framework.pk, "number": 42, "name": "Baru"})

    assert page.status_code == 200
    assert framework.tatanan.count() == before


def test_an_indicator_cannot_be_added_to_a_published_framework(admin_client, framework):
    before = framework.indicators.count()

    page = admin_client.post("/admin/tatanan/indicator/add/", _indicator_data(framework, framework.tatanan.first()))

    assert page.status_code == 200
    assert framework.indicators.count() == before


def test_a_draft_indicator_cannot_be_moved_into_a_published_framework(admin_client, framework, draft):
    indicator = IndicatorFactory(tatanan=TatananFactory(framework=draft), framework=draft)
    data = _indicator_data(framework, framework.tatanan.first(), code=indicator.code)
    data.update({"scale_options-TOTAL_FORMS": "0"})

    admin_client.post(f"/admin/tatanan/indicator/{indicator.pk}/change/", data)

    assert Indicator.objects.get(pk=indicator.pk).framework_id == draft.pk


def test_a_draft_indicator_cannot_be_put_under_a_published_tatanan(admin_client, framework, draft):
    indicator = IndicatorFactory(tatanan=TatananFactory(framework=draft), framework=draft)
    data = _indicator_data(draft, framework.tatanan.first(), code=indicator.code)
    data.update({"scale_options-TOTAL_FORMS": "0"})

    admin_client.post(f"/admin/tatanan/indicator/{indicator.pk}/change/", data)

    assert Indicator.objects.get(pk=indicator.pk).tatanan.framework_id == draft.pk


def test_a_draft_tatanan_cannot_be_moved_into_a_published_framework(admin_client, framework, draft):
    tatanan = TatananFactory(framework=draft, number=77)

    admin_client.post(
        f"/admin/tatanan/tatanan/{tatanan.pk}/change/", {"framework": framework.pk, "number": 77, "name": "X"}
    )

    assert Tatanan.objects.get(pk=tatanan.pk).framework_id == draft.pk


def test_a_draft_framework_stays_editable(admin_client, draft):
    tatanan = TatananFactory(framework=draft)

    page = admin_client.post("/admin/tatanan/indicator/add/", _indicator_data(draft, tatanan))

    assert page.status_code == 302
    added = Indicator.objects.get(framework=draft, code="X-99")
    assert list(ScaleOption.objects.filter(indicator=added).values_list("value", flat=True)) == [100]


def test_bulk_delete_of_published_tatanan_is_refused(admin_client, framework):
    before = framework.tatanan.count()

    admin_client.post(
        "/admin/tatanan/tatanan/",
        {
            "action": "delete_selected",
            "_selected_action": list(framework.tatanan.values_list("pk", flat=True)),
            "post": "yes",
        },
    )

    assert framework.tatanan.count() == before


def test_an_opd_kind_named_by_a_published_framework_cannot_be_deleted(admin_client, framework, opd_kind):
    responsible = set(framework.indicators.filter(responsible_opd_kinds=opd_kind).values_list("pk", flat=True))
    assert responsible

    assert admin_client.get(f"/admin/forums/opdkind/{opd_kind.pk}/delete/").status_code == 403
    admin_client.post(
        "/admin/forums/opdkind/", {"action": "delete_selected", "_selected_action": [opd_kind.pk], "post": "yes"}
    )

    assert set(framework.indicators.filter(responsible_opd_kinds=opd_kind).values_list("pk", flat=True)) == responsible


def test_an_unused_opd_kind_can_still_be_deleted(admin_client):
    from forums.models import OpdKind

    spare = OpdKind.objects.create(code="cadangan", name="Cadangan")

    admin_client.post(f"/admin/forums/opdkind/{spare.pk}/delete/", {"post": "yes"})

    assert not OpdKind.objects.filter(pk=spare.pk).exists()
