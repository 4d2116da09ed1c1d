"""The programme pages: list, create, preview-then-open, change a window; and the reports' default cycle."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from evaluations.forms.cycles import DATETIME_LOCAL
from evaluations.models import Assessment, Cycle, CycleWindowChange
from evaluations.tests.factories import CycleFactory
from forums.models import Region
from forums.tests.factories import RegencyFactory

pytestmark = pytest.mark.django_db


def _local(days, hour=8):
    moment = timezone.localtime() + datetime.timedelta(days=days)
    return moment.replace(hour=hour, minute=0).strftime(DATETIME_LOCAL)


def _form(framework, **overrides):
    data = {
        "name": "KKS 2027",
        "year": "2027",
        "data_year_previous": "",
        "data_year": "",
        "framework": str(framework.pk),
        "self_assessment_opens": _local(1),
        "self_assessment_closes": _local(30),
        "provincial_opens": _local(20),
        "provincial_closes": _local(60),
        "national_opens": _local(50),
        "national_closes": _local(90),
        "response_window_hours": "48",
    }
    return data | overrides


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.fixture
def draft(framework):
    return CycleFactory(framework=framework, name="KKS 2027", year=2027, opened_at=None)


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_the_list_shows_each_cycle_with_its_status_and_counts(admin_client, cycle, assessment, draft):
    page = _text(admin_client.get(reverse("evaluations:cycle-list")))
    assert "Siklus 2025" in page
    assert "KKS 2027" in page
    assert "Draf (belum dibuka)" in page
    assert "Dibuka" in page
    assert "Tahun 2027 · data 2025/2026" in page
    assert "Belum dibuka untuk kabupaten/kota mana pun" in page
    assert "1 kabupaten/kota di 1 provinsi" in page  # the 2025 cycle with its one assessment


def test_creating_a_cycle_defaults_the_data_years_and_stays_a_draft(admin_client, framework):
    response = admin_client.post(reverse("evaluations:cycle-create"), _form(framework))
    cycle = Cycle.objects.get(name="KKS 2027")
    assert response.status_code == 302
    assert response["Location"] == reverse("evaluations:cycle-detail", args=[cycle.pk])
    assert (cycle.data_year_previous, cycle.data_year, cycle.response_window_hours) == (2025, 2026, 48)
    assert cycle.opened_at is None
    assert timezone.localtime(cycle.self_assessment_opens).hour == 8
    page = _text(admin_client.get(response["Location"]))
    assert "Belum dibuka (draf)" in page
    assert "48 jam" in page


def test_the_create_form_suggests_next_year_and_its_data_years(admin_client, framework):
    page = admin_client.get(reverse("evaluations:cycle-create"))
    year = timezone.localdate().year + 1
    assert page.context["form"]["year"].value() == year
    assert page.context["form"]["data_year"].value() == year - 1
    assert page.context["form"]["data_year_previous"].value() == year - 2


def test_window_errors_are_shown_at_their_field(admin_client, framework):
    response = admin_client.post(
        reverse("evaluations:cycle-create"), _form(framework, provincial_opens=_local(0), data_year_previous="2030")
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "sebelum Penilaian mandiri dibuka" in " ".join(form.errors["provincial_opens"])
    assert "data_year_previous" in form.errors
    html = _text(response)
    assert re.search(
        r'aria-describedby="id_provincial_opens_error" id="id_provincial_opens">\s*<div id="id_provincial_opens_error" '
        r'class="invalid-feedback">\s*<p[^>]*><strong>Verifikasi provinsi tidak boleh dibuka sebelum',
        html,
    )
    assert not Cycle.objects.filter(name="KKS 2027").exists()


def test_only_published_frameworks_are_offered(admin_client, framework):
    from tatanan.tests.factories import FrameworkFactory

    draft_framework = FrameworkFactory(status="draft", name="Kerangka draf")
    page = admin_client.get(reverse("evaluations:cycle-create"))
    offered = list(page.context["form"].fields["framework"].queryset)
    assert framework in offered
    assert draft_framework not in offered


def test_a_draft_is_edited_an_opened_cycle_is_not(admin_client, draft, cycle, framework):
    url = reverse("evaluations:cycle-edit", args=[draft.pk])
    assert admin_client.post(url, _form(framework, name="KKS 2027 revisi")).status_code == 302
    assert Cycle.objects.get(pk=draft.pk).name == "KKS 2027 revisi"

    opened_url = reverse("evaluations:cycle-edit", args=[cycle.pk])
    page = admin_client.post(opened_url, _form(framework, name="Diubah"))
    assert page.status_code == 200
    assert "sudah dibuka dan tidak dapat diubah" in _text(page)
    assert Cycle.objects.get(pk=cycle.pk).name == "Siklus 2025"


@pytest.fixture
def east_java(regency):
    RegencyFactory(code="35.72", name="Kota Blitar", parent=regency.parent)
    return regency.parent


def test_open_shows_a_preview_first_and_opens_only_when_confirmed(admin_client, draft, east_java, other_regency):
    url = reverse("evaluations:cycle-open", args=[draft.pk])
    scope = {"cakupan": "province", "provinsi": str(east_java.pk)}

    preview = admin_client.get(url, scope)
    page = _text(preview)
    assert "Pratinjau: Jawa Timur" in page
    assert preview.context["preview"].in_scope == 2
    assert preview.context["preview"].responses_to_create == 16
    asked = admin_client.post(url, scope)  # a POST without confirm asks first
    assert asked.status_code == 200
    assert "Ya, buka sekarang" in _text(asked)
    assert not Assessment.objects.filter(cycle=draft).exists()
    assert Cycle.objects.get(pk=draft.pk).opened_at is None

    done = admin_client.post(url, {**scope, "confirm": "1"}, follow=True)

    assert set(Assessment.objects.filter(cycle=draft).values_list("regency__code", flat=True)) == {"35.71", "35.72"}
    assert Cycle.objects.get(pk=draft.pk).opened_at is not None
    page = _text(done)
    assert "dibuka untuk Jawa Timur: 2 penilaian baru, 16 jawaban baru; 0 kabupaten/kota sudah dibuka" in page
    assert "2 kabupaten/kota di 1 provinsi" in page

    again = admin_client.post(url, {**scope, "confirm": "1"}, follow=True)
    assert "0 penilaian baru, 0 jawaban baru; 2 kabupaten/kota sudah dibuka" in _text(again)


def test_open_for_chosen_codes_and_unknown_codes_are_named(admin_client, draft, regency, other_regency):
    url = reverse("evaluations:cycle-open", args=[draft.pk])
    bad = admin_client.get(url, {"cakupan": "regencies", "kode": "35.71, 99.99"})
    assert "bukan kabupaten/kota yang dikenal: 99.99" in _text(bad)
    assert "preview" not in bad.context
    missing = admin_client.get(url, {"cakupan": "province"})
    assert "Pilih provinsinya" in _text(missing)

    admin_client.post(url, {"cakupan": "regencies", "kode": "73.71", "confirm": "1"})
    assert list(Assessment.objects.filter(cycle=draft).values_list("regency__code", flat=True)) == ["73.71"]


def test_open_for_all(admin_client, draft, regency, other_regency):
    admin_client.post(reverse("evaluations:cycle-open", args=[draft.pk]), {"cakupan": "all", "confirm": "1"})
    assert Assessment.objects.filter(cycle=draft).count() == Region.objects.regencies().count() == 2


def test_a_window_is_extended_with_a_reason_and_listed_on_the_cycle_page(admin_client, cycle, admin_user):
    url = reverse("evaluations:cycle-window", args=[cycle.pk])
    missing = admin_client.post(url, {"masa": "self_assessment", "tindakan": "extend", "closes": _local(40)})
    assert "reason" in missing.context["form"].errors
    no_time = admin_client.post(url, {"masa": "self_assessment", "tindakan": "extend", "reason": "x"})
    assert "Isi waktu tutup yang baru" in _text(no_time)
    assert not CycleWindowChange.objects.exists()

    response = admin_client.post(
        url, {"masa": "self_assessment", "tindakan": "extend", "closes": _local(40), "reason": "Gempa di Kediri"}
    )

    assert response.status_code == 302
    change = CycleWindowChange.objects.get()
    assert (change.window, change.actor, change.reason) == ("self_assessment", admin_user, "Gempa di Kediri")
    page = _text(admin_client.get(reverse("evaluations:cycle-detail", args=[cycle.pk])))
    assert "Riwayat perubahan masa" in page
    assert "Alasan: Gempa di Kediri" in page


def test_the_window_form_starts_from_the_current_closing_time(admin_client, cycle):
    page = admin_client.get(reverse("evaluations:cycle-window", args=[cycle.pk]), {"masa": "provincial"})
    assert page.context["form"]["masa"].value() == "provincial"
    expected = timezone.localtime(cycle.provincial_closes).strftime(DATETIME_LOCAL)
    assert f'value="{expected}"' in page.content.decode()
    assert admin_client.get(reverse("evaluations:cycle-window", args=[cycle.pk]), {"masa": "x"}).status_code == 200


def test_close_now_closes_the_window(admin_client, cycle):
    url = reverse("evaluations:cycle-window", args=[cycle.pk])
    admin_client.post(url, {"masa": "self_assessment", "tindakan": "close", "reason": "Diakhiri"})
    cycle.refresh_from_db()
    assert cycle.self_assessment_closes <= timezone.now()
    assert CycleWindowChange.objects.get().new_closes == cycle.self_assessment_closes


def test_service_errors_on_a_window_change_are_shown_at_the_field(admin_client, cycle):
    url = reverse("evaluations:cycle-window", args=[cycle.pk])
    response = admin_client.post(
        url, {"masa": "national", "tindakan": "extend", "closes": _local(-40), "reason": "salah ketik"}
    )
    assert "harus ditutup sesudah dibuka" in " ".join(response.context["form"].errors["closes"])


def test_get_never_writes(admin_client, draft, regency):
    urls = [
        reverse("evaluations:cycle-list"),
        reverse("evaluations:cycle-detail", args=[draft.pk]),
        reverse("evaluations:cycle-edit", args=[draft.pk]),
        reverse("evaluations:cycle-open", args=[draft.pk]) + "?cakupan=all&confirm=1",
        reverse("evaluations:cycle-window", args=[draft.pk]) + "?masa=national",
    ]
    for url in urls:
        assert admin_client.get(url).status_code == 200, url
    assert not Assessment.objects.exists()
    assert not CycleWindowChange.objects.exists()
    assert Cycle.objects.get(pk=draft.pk).opened_at is None


def test_an_unknown_cycle_is_not_found(admin_client):
    assert admin_client.get(reverse("evaluations:cycle-detail", args=[987654])).status_code == 404


def test_the_nav_links_to_the_cycles_for_admins_only(client, admin_user, national, coordinator):
    link = f'href="{reverse("evaluations:cycle-list")}"'
    client.force_login(admin_user)
    assert link in client.get("/").content.decode()
    for user in (national, coordinator):
        client.force_login(user)
        assert link not in client.get("/").content.decode()


# --- a cycle that has not opened is never the default of any report -----------------------------------


def test_a_just_created_later_cycle_is_not_the_default_of_the_reports(admin_client, cycle, assessment, framework):
    admin_client.post(reverse("evaluations:cycle-create"), _form(framework))
    draft = Cycle.objects.get(name="KKS 2027")
    assert draft.year > cycle.year
    province = assessment.regency.parent

    for url in (
        reverse("evaluations:province-report", args=[province.pk]),
        reverse("evaluations:national-report"),
    ):
        page = admin_client.get(url)
        assert page.context["table"].cycle == cycle, url
        assert draft not in page.context["form"].fields["siklus"].queryset, url
        # asking for the draft explicitly falls back to the default too
        assert admin_client.get(url, {"siklus": draft.pk}).context["table"].cycle == cycle, url

    download = admin_client.get(reverse("evaluations:province-report-csv", args=[province.pk]))
    assert download["Content-Disposition"].endswith('-2025.csv"')
    home = admin_client.get("/")
    assert all(a.cycle_id == cycle.pk for a in home.context["assessments"])
