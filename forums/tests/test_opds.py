"""OPD/SKPD of a kabupaten/kota: listing, adding, editing."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from forums.models import Opd
from forums.services import opd_create, opd_update
from forums.tests.factories import OpdFactory, OpdKindFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def bappeda_kind(db):
    return OpdKindFactory(code="bappeda", name="Bappeda")


def test_coordinator_adds_an_opd_to_their_regency(coordinator, regency, bappeda_kind):
    opd = opd_create(
        regency=regency, actor=coordinator, name=" Bappeda Kota Kediri ", short_name="Bappeda", kinds=[bappeda_kind]
    )

    assert (opd.regency, opd.name, list(opd.kinds.all())) == (regency, "Bappeda Kota Kediri", [bappeda_kind])


def test_opd_names_are_unique_per_regency_ignoring_case(coordinator, regency, opd, opd_kind):
    with pytest.raises(ValidationError) as exc:
        opd_create(regency=regency, actor=coordinator, name=opd.name.upper(), kinds=[opd_kind])
    assert "name" in exc.value.error_dict


def test_the_same_name_is_fine_in_another_regency(admin_user, other_regency, opd, opd_kind):
    assert opd_create(regency=other_regency, actor=admin_user, name=opd.name, kinds=[opd_kind]).pk


def test_only_the_coordinator_of_the_regency_or_admin_keeps_opds(
    regency, opd, opd_kind, reviewer, outsider, provincial
):
    for actor in (reviewer, outsider, provincial):
        with pytest.raises(PermissionDenied):
            opd_create(regency=regency, actor=actor, name="Dinas Baru", kinds=[opd_kind])
        with pytest.raises(PermissionDenied):
            opd_update(opd=opd, actor=actor, name="Nama Lain", kinds=[opd_kind])


def test_opd_list_shows_the_regency_opds_only(client, reviewer, regency, opd, other_regency):
    OpdFactory(regency=other_regency, name="Dinas Kesehatan Kota Makassar")
    client.force_login(reviewer)

    response = client.get(reverse("forums:opd-list", args=[regency.pk]))

    assert list(response.context["opds"]) == [opd]
    assert response.context["can_manage"] is False


def test_opd_index_lists_visible_regencies_with_counts(client, provincial, regency, opd, other_regency):
    client.force_login(provincial)

    page = client.get(reverse("forums:opd-index")).context["page"]

    assert [(r.pk, r.opd_count) for r in page] == [(regency.pk, 1)]


def test_create_page_saves_an_opd(client, coordinator, regency, bappeda_kind):
    client.force_login(coordinator)

    response = client.post(
        reverse("forums:opd-create", args=[regency.pk]),
        {"name": "Badan Perencanaan Pembangunan Daerah", "short_name": "Bappeda", "kinds": [bappeda_kind.pk]},
    )

    assert response.status_code == 302
    assert Opd.objects.filter(regency=regency, short_name="Bappeda").exists()


def test_edit_page_reports_a_duplicate_name_on_the_field(client, coordinator, regency, opd, opd_kind):
    other = OpdFactory(regency=regency, kind=opd_kind, name="Dinas Pendidikan Kota Kediri")
    client.force_login(coordinator)

    response = client.post(reverse("forums:opd-edit", args=[other.pk]), {"name": opd.name, "kinds": [opd_kind.pk]})

    assert response.status_code == 200
    assert "name" in response.context["form"].errors
