"""Bodies: creating, editing, SK upload and download, listing with filters."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from forums.models import Body, BodyKind, Region, RegionKind, RegionLevel
from forums.services import body_create, body_update
from forums.tests.conftest import PNG_BYTES, sk_pdf
from forums.tests.factories import BodyFactory, MembershipFactory, RegencyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def kecamatan(regency):
    return Region.objects.create(
        code="35.71.01", name="Mojoroto", level=RegionLevel.DISTRICT, kind=RegionKind.KECAMATAN, parent=regency
    )


@pytest.fixture
def kelurahan(kecamatan):
    return Region.objects.create(
        code="35.71.01.1001", name="Pojok", level=RegionLevel.VILLAGE, kind=RegionKind.KELURAHAN, parent=kecamatan
    )


def test_coordinator_creates_a_pokja_scoped_to_their_regency(coordinator, regency, kelurahan):
    body = body_create(actor=coordinator, kind=BodyKind.POKJA, region=kelurahan, name="Pokja Kelurahan Sehat Pojok")

    assert (body.region, body.scope_region) == (kelurahan, regency)


def test_body_kind_must_match_the_level_of_its_region(coordinator, regency, kecamatan):
    with pytest.raises(ValidationError) as exc:
        body_create(actor=coordinator, kind=BodyKind.FORUM, region=kecamatan, name="Forum di kecamatan")
    assert "region" in exc.value.error_dict
    with pytest.raises(ValidationError):
        body_create(actor=coordinator, kind=BodyKind.TIM_PEMBINA_PROVINSI, region=regency, name="Salah tingkat")
    assert not Body.objects.exists()


def test_coordinator_cannot_create_a_body_in_another_regency(coordinator, other_regency):
    with pytest.raises(PermissionDenied):
        body_create(actor=coordinator, kind=BodyKind.FORUM, region=other_regency, name="Forum lain")


def test_provincial_official_creates_only_the_tim_pembina_provinsi(provincial, province, regency):
    body = body_create(
        actor=provincial, kind=BodyKind.TIM_PEMBINA_PROVINSI, region=province, name="Tim Pembina Provinsi"
    )
    assert body.scope_region == province
    with pytest.raises(PermissionDenied):
        body_create(actor=provincial, kind=BodyKind.TIM_PEMBINA, region=regency, name="Tim Pembina Kota")


def test_body_cannot_move_to_another_regency(coordinator, forum, other_regency, admin_user):
    with pytest.raises(ValidationError):
        body_update(body=forum, actor=admin_user, region=other_regency)


def test_sk_valid_until_cannot_precede_sk_date(coordinator, forum):
    with pytest.raises(ValidationError) as exc:
        body_update(
            body=forum, actor=coordinator, sk_date=datetime.date(2025, 1, 1), sk_valid_until=datetime.date(2024, 1, 1)
        )
    assert "sk_valid_until" in exc.value.error_dict


def test_sk_file_is_stored_under_a_random_name_with_its_original_name_kept(coordinator, forum):
    body = body_update(body=forum, actor=coordinator, sk_file=sk_pdf("SK Wali Kota 2024.pdf"))

    assert body.sk_file_name == "SK Wali Kota 2024.pdf"
    assert body.sk_file_type == "application/pdf"
    stored = body.sk_file.name
    assert stored.startswith("sk/")
    assert "Wali" not in stored
    assert stored.endswith(".pdf")
    assert len(stored.rsplit("/", 1)[-1]) == len("0" * 32 + ".pdf")


def test_sk_file_with_a_disallowed_content_is_refused_whatever_its_name(coordinator, forum):
    fake = SimpleUploadedFile("sk.pdf", b"<html><script>alert(1)</script></html>", content_type="application/pdf")

    with pytest.raises(ValidationError) as exc:
        body_update(body=forum, actor=coordinator, sk_file=fake)

    assert "sk_upload" in exc.value.error_dict
    forum.refresh_from_db()
    assert not forum.sk_file


def test_png_sk_gets_an_extension_matching_its_content(coordinator, forum):
    body = body_update(
        body=forum, actor=coordinator, sk_file=SimpleUploadedFile("scan.pdf", PNG_BYTES, content_type="application/pdf")
    )

    assert body.sk_file_type == "image/png"
    assert body.sk_file_name == "scan.png"
    assert body.sk_file.name.endswith(".png")


def test_sk_download_is_an_attachment_that_browsers_do_not_sniff(client, reviewer, forum_with_sk):
    client.force_login(reviewer)

    response = client.get(reverse("forums:body-sk-download", args=[forum_with_sk.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert "SK%20Forum.pdf" in response["Content-Disposition"] or "SK Forum.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_sk_download_of_a_body_without_file_is_not_found(client, coordinator, forum):
    client.force_login(coordinator)

    assert client.get(reverse("forums:body-sk-download", args=[forum.pk])).status_code == 404


def test_create_page_saves_a_body_with_its_sk(client, coordinator, regency):
    client.force_login(coordinator)
    data = {
        "kind": BodyKind.TIM_PEMBINA,
        "name": "Tim Pembina KKS Kota Kediri",
        "region": regency.pk,
        "sk_number": "188.45/12/419.033/2024",
        "sk_date": "2024-02-01",
        "sk_signed_by": "Wali Kota Kediri",
        "sk_valid_until": "2026-12-31",
        "work_plan_years": "2025",
        "work_plan": "Rapat koordinasi triwulanan",
        "budget_amount": "150000000",
        "budget_source": "APBD",
        "secretariat_address": "Bappeda Kota Kediri",
        "sk_upload": sk_pdf(),
    }

    response = client.post(reverse("forums:body-create", args=[regency.pk]), data)

    body = Body.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("forums:body-detail", args=[body.pk])
    assert (body.kind, body.scope_region, body.sk_signed_by, body.sk_file_type) == (
        BodyKind.TIM_PEMBINA,
        regency,
        "Wali Kota Kediri",
        "application/pdf",
    )


def test_create_page_shows_a_bad_sk_file_on_its_field(client, coordinator, regency):
    client.force_login(coordinator)
    bad = SimpleUploadedFile("sk.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")

    response = client.post(
        reverse("forums:body-create", args=[regency.pk]),
        {"kind": BodyKind.FORUM, "name": "Forum", "region": regency.pk, "sk_upload": bad},
    )

    assert response.status_code == 200
    assert "sk_upload" in response.context["form"].errors
    assert not Body.objects.exists()


def test_create_page_offers_only_regions_of_the_scope(client, coordinator, regency, kelurahan, other_regency):
    client.force_login(coordinator)

    form = client.get(reverse("forums:body-create", args=[regency.pk])).context["form"]

    assert set(form.fields["region"].queryset) == {regency, kelurahan.parent, kelurahan}
    assert BodyKind.TIM_PEMBINA_PROVINSI not in dict(form.fields["kind"].choices)


def test_loading_subregions_makes_kecamatan_available_for_an_fkk(client, coordinator, regency):
    client.force_login(coordinator)

    response = client.post(reverse("forums:regency-load-subregions", args=[regency.pk]), {"jenis": "fkk"})

    assert response.status_code == 302
    assert response["Location"] == reverse("forums:body-create", args=[regency.pk]) + "?jenis=fkk"
    assert regency.children.count() == 3
    assert Region.objects.filter(parent__parent=regency).count() == 46


def test_edit_page_updates_the_body(client, coordinator, forum):
    client.force_login(coordinator)
    data = {"kind": forum.kind, "name": "Forum KKS Kota Kediri", "region": forum.region_id, "sk_number": "1/2025"}

    response = client.post(reverse("forums:body-edit", args=[forum.pk]), data)

    assert response.status_code == 302
    forum.refresh_from_db()
    assert (forum.name, forum.sk_number) == ("Forum KKS Kota Kediri", "1/2025")


def test_body_list_filters_by_kind(client, coordinator, forum, regency):
    tim = BodyFactory(kind=BodyKind.TIM_PEMBINA, name="Tim Pembina Kota Kediri", region=regency, scope_region=regency)
    client.force_login(coordinator)

    response = client.get(reverse("forums:body-list"), {"kind": BodyKind.TIM_PEMBINA})

    assert [b.pk for b in response.context["page"]] == [tim.pk]
    assert list(client.get(reverse("forums:body-list")).context["page"]) == [tim, forum]


def test_body_list_filters_by_region_for_provincial_official(client, provincial, forum, tim_pembina_provinsi, province):
    client.force_login(provincial)

    everything = client.get(reverse("forums:body-list")).context["page"]
    only_kediri = client.get(reverse("forums:body-list"), {"region": forum.scope_region_id}).context["page"]

    assert set(everything) == {forum, tim_pembina_provinsi}
    assert list(only_kediri) == [forum]


def test_body_list_counts_only_current_members(client, coordinator, forum):
    MembershipFactory(body=forum, period_end=datetime.date(2020, 1, 1))
    MembershipFactory(body=forum)
    MembershipFactory(body=forum, period_start=datetime.date(2020, 1, 1), period_end=None)
    client.force_login(coordinator)

    page = client.get(reverse("forums:body-list")).context["page"]

    assert [b.member_count for b in page] == [2]


def test_body_list_queries_do_not_grow_with_the_number_of_bodies(
    client, django_assert_max_num_queries, django_assert_num_queries, national
):
    def make_bodies(n):
        for _ in range(n):
            regency = RegencyFactory()
            body = BodyFactory(region=regency, scope_region=regency)
            MembershipFactory.create_batch(2, body=body)

    client.force_login(national)
    url = reverse("forums:body-list")
    make_bodies(3)
    client.get(url)  # warm up the session
    with django_assert_max_num_queries(10) as small:
        assert len(client.get(url).context["page"]) == 3
    make_bodies(30)
    with django_assert_num_queries(len(small.captured_queries)):
        assert len(client.get(url).context["page"]) == 33
