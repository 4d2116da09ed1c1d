"""Data Umum: heads, office, the kecamatan and desa/kelurahan proposed (out of the loaded ones), pendanaan,
with the ODF counts; its page, its history, and the FKK/Pokja counts checked against the proposal."""

import datetime
import io
import re
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.template.loader import render_to_string
from django.urls import reverse
from openpyxl import load_workbook

from evaluations.models import Funding, Participation, Response
from evaluations.selectors.dossier import dossier_data
from evaluations.selectors.general_data import count_checks, general_data
from evaluations.services.errors import WindowClosed, WorkflowError
from evaluations.services.general_data import FundingInput, general_data_update
from evaluations.tests.workflow import close_all_windows
from forums.models import Body, BodyKind, Region, RegionKind, RegionLevel
from forums.tests.factories import BodyFactory

pytestmark = pytest.mark.django_db


def _region(code, name, parent, level):
    kind = RegionKind.KECAMATAN if level == RegionLevel.DISTRICT else RegionKind.KELURAHAN
    return Region.objects.create(code=code, name=name, parent=parent, level=level, kind=kind)


@pytest.fixture
def places(regency, other_regency):
    """Kota Kediri with 3 kecamatan of 2 kelurahan each; one kecamatan of Makassar."""
    districts = [_region(f"35.71.0{n}", f"Kec {n}", regency, RegionLevel.DISTRICT) for n in (1, 2, 3)]
    villages = [
        _region(f"{d.code}.100{m}", f"Kel {d.name[-1]}{m}", d, RegionLevel.VILLAGE) for d in districts for m in (1, 2)
    ]
    foreign = _region("73.71.01", "Mariso", other_regency, RegionLevel.DISTRICT)
    return {"districts": districts, "villages": villages, "foreign": foreign}


def _save(assessment, actor, *, districts=(), villages=(), fundings=None, **heads):
    return general_data_update(
        assessment=assessment,
        actor=actor,
        head_name=heads.get("head_name", "Vinanda Prameswati"),
        forum_chair_name=heads.get("forum_chair_name", "Ferry Silviana Abu Bakar"),
        office_address=heads.get("office_address", "Jl. Basuki Rahmat No. 15, Kediri"),
        districts=districts,
        villages=villages,
        fundings=fundings or {},
    )


def test_the_coordinator_saves_heads_participation_and_funding_with_history(assessment, coordinator, places):
    d, v = places["districts"], places["villages"]
    funding = {"forum": FundingInput(apbd=Decimal("150000000"), other=Decimal("5000000"), other_source="CSR Bank")}
    _save(assessment, coordinator, districts=d[:2], villages=v[:3], fundings=funding)

    data = general_data(assessment)
    assert (data.assessment.head_name, data.assessment.forum_chair_name) == (
        "Vinanda Prameswati",
        "Ferry Silviana Abu Bakar",
    )
    assert [r.name for r in data.districts] == ["Kec 1", "Kec 2"]
    assert (len(data.villages), data.district_total, data.village_total) == (3, 3, 6)
    forum = next(row for row in data.fundings if row.body_kind == "forum")
    assert (forum.apbd, forum.apbdes, forum.other, forum.total) == (
        Decimal("150000000"),
        None,
        Decimal("5000000"),
        Decimal("155000000"),
    )
    assert [row.body_kind for row in data.fundings] == ["tim_pembina", "forum", "fkk", "pokja"]
    # Who changed what, in the history of each table.
    assert assessment.audit.first().history_user == coordinator
    assert assessment.audit.first().head_name == "Vinanda Prameswati"
    assert Participation.audit.filter(history_type="+", history_user=coordinator).count() == 5
    assert Funding.audit.get(history_type="+").history_user == coordinator

    # Dropping a kecamatan and the funding (an empty input) is recorded too; kinds not given stay as they are.
    _save(assessment, coordinator, districts=d[:1], villages=v[:3], fundings={"forum": FundingInput()})
    assert set(Participation.objects.values_list("region__name", flat=True)) == {"Kec 1", "Kel 11", "Kel 12", "Kel 21"}
    removed = Participation.audit.get(history_type="-")
    assert (removed.region_id, removed.history_user) == (d[1].pk, coordinator)
    assert not Funding.objects.exists()
    assert Funding.audit.filter(history_type="-").count() == 1


def test_regions_outside_the_regency_or_of_the_wrong_level_are_refused(assessment, coordinator, places):
    with pytest.raises(WorkflowError, match="harus berada di Kota Kediri"):
        _save(assessment, coordinator, districts=[places["foreign"]])
    with pytest.raises(WorkflowError, match="harus berada di Kota Kediri"):
        _save(assessment, coordinator, districts=[places["villages"][0]])  # a kelurahan given as a kecamatan
    assert not Participation.objects.exists()


def test_other_money_needs_its_source_and_amounts_are_not_negative(assessment, coordinator, places):
    with pytest.raises(WorkflowError, match="Sebutkan sumber lain pendanaan Forum Komunikasi Kecamatan"):
        _save(assessment, coordinator, fundings={"fkk": FundingInput(other=Decimal(1))})
    with pytest.raises(WorkflowError, match="tidak boleh negatif"):
        _save(assessment, coordinator, fundings={"pokja": FundingInput(apbdes=Decimal(-1))})


def test_only_the_coordinator_or_admin_and_only_in_the_window(assessment, opd_officer, reviewer, coordinator, cycle):
    for user in (opd_officer, reviewer):
        with pytest.raises(PermissionDenied):
            _save(assessment, user)
    close_all_windows(cycle)
    assessment.refresh_from_db()
    with pytest.raises(WindowClosed):
        _save(assessment, coordinator)


def test_the_page_saves_and_the_assessment_page_shows_x_of_total(client, assessment, coordinator, places):
    d, v = places["districts"], places["villages"]
    client.force_login(coordinator)
    url = reverse("evaluations:assessment-data-umum", args=[assessment.pk])
    page = client.get(url).content.decode()
    assert f'value="{d[0].pk}"' in page
    assert "Kel 32" in page
    assert f'value="{places["foreign"].pk}"' not in page
    post = {
        "head_name": "Vinanda Prameswati",
        "forum_chair_name": "Ferry",
        "office_address": "Jl. Basuki Rahmat 15",
        "districts": [d[0].pk, d[2].pk],
        "villages": [v[0].pk],
        "tim_pembina_apbd": "250000000",
        "pokja_apbdes": "12500000",
    }
    response = client.post(url, post)
    assert response.status_code == 302
    assert response["Location"] == f"/penilaian/{assessment.pk}/"
    assert Funding.objects.get(body_kind="tim_pembina").apbd == Decimal("250000000")

    html = client.get(response["Location"]).content.decode()
    assert "Vinanda Prameswati" in html
    districts = re.search(r'id="participation-districts">(.*?)</dd>', html, re.S).group(1)
    assert districts.startswith("2 dari 3 kecamatan: Kec 1, Kec 3")
    assert re.search(r'id="participation-villages">1 dari 6 desa/kelurahan', html)
    assert "250.000.000" in html  # Indonesian grouping
    # The ODF counts sit in the same section.
    assert "Jumlah desa/kelurahan" in html


def test_a_foreign_region_posted_by_hand_is_an_invalid_choice(client, assessment, coordinator, places):
    client.force_login(coordinator)
    url = reverse("evaluations:assessment-data-umum", args=[assessment.pk])
    page = client.post(url, {"districts": [places["foreign"].pk]})
    assert page.status_code == 200
    assert "bukan salah satu dari pilihan yang tersedia" in page.content.decode()
    assert not Participation.objects.exists()


@pytest.mark.parametrize(("persona", "status"), [("opd_officer", 403), ("reviewer", 403), ("outsider", 404)])
def test_others_cannot_open_the_page(request, client, assessment, persona, status):
    client.force_login(request.getfixturevalue(persona))
    url = reverse("evaluations:assessment-data-umum", args=[assessment.pk])
    assert client.get(url).status_code == status
    assert client.post(url, {"head_name": "x"}).status_code == status


def test_the_coordinator_loads_the_kecamatan_and_desa_from_the_page_without_a_shell(client, assessment, coordinator):
    from forums.models import Region, RegionLevel

    client.force_login(coordinator)
    url = reverse("evaluations:assessment-data-umum", args=[assessment.pk])
    page = client.get(url).content.decode()
    assert "belum dimuat" in page
    assert 'form="load-regions"' in page
    assert "manage.py" not in page
    load = reverse("evaluations:assessment-load-regions", args=[assessment.pk])
    assert client.get(load).status_code == 405  # no write on GET

    done = client.post(load, follow=True)
    districts = Region.objects.filter(parent=assessment.regency, level=RegionLevel.DISTRICT)
    villages = Region.objects.filter(parent__in=districts, level=RegionLevel.VILLAGE)
    assert districts.count() == 3  # Kota Kediri: Mojoroto, Kota, Pesantren (Kemendagri 2025)
    assert villages.count() == 46
    assert "3 kecamatan dan 46 desa/kelurahan baru" in done.content.decode()
    assert 'name="districts"' in done.content.decode()  # the page now lists them to choose from
    assert not Region.objects.filter(level=RegionLevel.DISTRICT).exclude(parent=assessment.regency).exists()
    client.post(load)  # again: nothing new, nothing doubled
    assert districts.count() == 3


@pytest.mark.parametrize(("persona", "status"), [("opd_officer", 403), ("reviewer", 403), ("outsider", 404)])
def test_others_cannot_load_the_regions(request, client, assessment, persona, status):
    from forums.models import Region, RegionLevel

    client.force_login(request.getfixturevalue(persona))
    assert client.post(reverse("evaluations:assessment-load-regions", args=[assessment.pk])).status_code == status
    assert not Region.objects.filter(level=RegionLevel.DISTRICT).exists()


# --- FKK/Pokja counts against the proposal ------------------------------------------------


@pytest.fixture
def fkk_sk(assessment):
    """K-01 as the workbook's K-09 (an SK per proposed kecamatan), K-02 as K-14 (a work plan per desa)."""
    ind = assessment.cycle.framework.indicators
    ind.filter(code="K-01").update(
        body_kind="fkk",
        rules={"document": "sk", "valid_through_year": 2024, "count_per": "kecamatan", "short_count_scores": 0},
    )
    ind.filter(code="K-02").update(
        body_kind="pokja", rules={"document": "rencana_kerja", "count_per": "desa_kelurahan", "short_count_scores": 0}
    )
    return assessment.responses.get(indicator__code="K-01")


def _fkk(regency, district, **kw):
    return BodyFactory(
        kind=BodyKind.FKK, region=district, scope_region=regency, sk_date=datetime.date(2022, 1, 3), **kw
    )


def test_sks_are_counted_against_the_proposed_kecamatan(assessment, coordinator, places, fkk_sk):
    d = places["districts"]
    _save(assessment, coordinator, districts=d, villages=places["villages"][:2])
    _fkk(assessment.regency, d[0])
    _fkk(assessment.regency, d[1], sk_valid_until=datetime.date(2023, 6, 30))  # expired before 2024 ends
    _fkk(assessment.regency, d[2], sk_number="")  # a draft: no number
    village = places["villages"][0]
    Body.objects.create(
        kind=BodyKind.POKJA, name="Pokja", region=village, scope_region=assessment.regency, work_plan="Rencana 2023"
    )
    responses = list(assessment.responses.filter(indicator__kind="kelembagaan").select_related("indicator"))
    checks = count_checks(assessment, responses)
    sk = checks[fkk_sk.pk]
    assert (sk.counted, sk.proposed, sk.is_short) == (1, 3, True)
    assert [r.name for r in sk.missing] == ["Kec 2", "Kec 3"]
    assert sk.summary == "SK: 1 dari 3 kecamatan yang diusulkan"
    plan = next(c for pk, c in checks.items() if pk != fkk_sk.pk)
    assert plan.summary == "Rencana kerja: 1 dari 2 desa/kelurahan yang diusulkan"


def test_the_kelembagaan_fill_page_and_assessment_page_show_the_count(client, assessment, coordinator, places, fkk_sk):
    d = places["districts"]
    _save(assessment, coordinator, districts=d[:2])
    _fkk(assessment.regency, d[0])
    _fkk(assessment.regency, d[1])
    client.force_login(coordinator)
    fill = client.get(reverse("evaluations:kelembagaan-fill", args=[assessment.pk])).content.decode()
    card = fill.split(f'id="r{fkk_sk.pk}"', 1)[1].split("</article>", 1)[0]
    assert "<strong>SK: 2 dari 2 kecamatan yang diusulkan</strong>" in card
    assert "alert-info" in card
    detail = client.get(reverse("evaluations:assessment-detail", args=[assessment.pk])).content.decode()
    assert "SK: 2 dari 2 kecamatan yang diusulkan" in detail


def test_a_short_count_warns_and_names_the_cap(client, assessment, coordinator, reviewer, places, fkk_sk):
    d = places["districts"]
    _save(assessment, coordinator, districts=d)
    _fkk(assessment.regency, d[0])
    Response.objects.filter(pk=fkk_sk.pk).update(value=100)
    client.force_login(coordinator)
    fill = client.get(reverse("evaluations:kelembagaan-fill", args=[assessment.pk])).content.decode()
    card = fill.split(f'id="r{fkk_sk.pk}"', 1)[1].split("</article>", 1)[0]
    assert "SK: 1 dari 3 kecamatan yang diusulkan" in card
    assert "Belum ada: Kec 2, Kec 3." in card
    assert "bernilai paling tinggi 0" in card
    assert "Nilai mandiri 100 melebihi batas itu." in card
    client.force_login(reviewer)
    review = client.get(reverse("evaluations:review-detail", args=[fkk_sk.pk])).content.decode()
    assert "SK: 1 dari 3 kecamatan yang diusulkan" in review


def test_indicators_without_count_rules_show_no_count(client, assessment, coordinator, places):
    client.force_login(coordinator)
    fill = client.get(reverse("evaluations:kelembagaan-fill", args=[assessment.pk])).content.decode()
    assert "count-check" not in fill


def test_the_dossier_and_instrument_show_the_general_data(client, assessment, coordinator, places):
    d = places["districts"]
    _save(assessment, coordinator, districts=d[:1], fundings={"fkk": FundingInput(apbd=Decimal("7500000"))})
    data = dossier_data(assessment.pk)
    html = render_to_string(
        "evaluations/pdf/dossier.html", {"data": data, "assessment": data.assessment, "chart": "", "appendix": []}
    )
    assert "<td>Vinanda Prameswati</td>" in html
    assert "1 dari 3 kecamatan: Kec 1" in html
    assert re.search(r"<td>Forum Komunikasi Kecamatan</td><td class=\"num\">7[.,]500[.,]000</td>", html)

    client.force_login(coordinator)
    xlsx = client.get(reverse("evaluations:assessment-instrument-xlsx", args=[assessment.pk]))
    ws = load_workbook(io.BytesIO(xlsx.content))["Data umum"]
    rows = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(5, ws.max_row + 1)}
    assert rows["Bupati/Walikota"] == "Vinanda Prameswati"
    assert (rows["Kecamatan yang diusulkan"], rows["Kecamatan (seluruhnya)"]) == (1, 3)
    assert rows["Pendanaan Forum Komunikasi Kecamatan: APBD (Rp)"] == 7500000
    assert rows["Jumlah desa/kelurahan"] == 50  # the ODF counts stay on the same sheet
