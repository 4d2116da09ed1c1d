"""Two data years: capaian and evidence per year (cycle 2025: 2023 and 2024), labelled everywhere."""

import io
import re

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from openpyxl import load_workbook

from evaluations.models import Evidence, EvidenceVersion, Response
from evaluations.selectors.dossier import dossier_data
from evaluations.selectors.fill import response_for_card
from evaluations.services.errors import WorkflowError
from evaluations.services.evidence import evidence_add
from evaluations.tests import samples
from evaluations.tests.workflow import fresh, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def response(assessment):
    return assessment.responses.filter(indicator__kind="tatanan").order_by("indicator__sort_order").first()


def _post(client, response, files, **fields):
    data = {
        f"r{response.pk}-version": fresh(response).version,
        f"r{response.pk}-value": "50",
        f"r{response.pk}-evidence_files": files,
        "action": "save",
        **{f"r{response.pk}-{k}": v for k, v in fields.items()},
    }
    return client.post(reverse("evaluations:response-save", args=[response.pk]), data)


def test_evidence_is_for_the_cycles_data_year_unless_another_of_its_two_years_is_chosen(response, coordinator):
    n = evidence_add(response=response, uploaded=samples.pdf("n.pdf"), actor=coordinator)
    previous = evidence_add(response=response, uploaded=samples.pdf("p.pdf"), actor=coordinator, data_year=2023)
    assert (n.data_year, previous.data_year) == (2024, 2023)


@pytest.mark.parametrize("year", [2022, 2025])
def test_a_year_outside_the_cycles_two_data_years_is_refused_and_nothing_is_stored(response, coordinator, year):
    before = set(default_storage.listdir("evidence")[1]) if default_storage.exists("evidence") else set()
    with pytest.raises(WorkflowError, match=f"Tahun data {year} bukan tahun data siklus ini \\(2023, 2024\\)"):
        evidence_add(response=response, uploaded=samples.pdf("x.pdf"), actor=coordinator, data_year=year)
    assert not Evidence.objects.filter(response=response).exists()
    assert not EvidenceVersion.objects.filter(evidence__response=response).exists()
    after = set(default_storage.listdir("evidence")[1]) if default_storage.exists("evidence") else set()
    assert after == before


def test_the_upload_form_stores_the_chosen_year(client, coordinator, response):
    client.force_login(coordinator)
    assert _post(client, response, [samples.pdf("2023.pdf")], evidence_year="2023").status_code == 302
    assert _post(client, response, [samples.pdf("tanpa-pilihan.pdf")]).status_code == 302
    years = dict(Evidence.objects.filter(response=response).values_list("title", "data_year"))
    assert years == {"2023.pdf": 2023, "tanpa-pilihan.pdf": 2024}


def test_the_upload_form_offers_only_the_two_years(client, coordinator, response):
    client.force_login(coordinator)
    page = _post(client, response, [samples.pdf("x.pdf")], evidence_year="2022", achievement="diketik")
    assert page.status_code == 200
    assert "Tahun data bukti dukung baru: Masukkan pilihan yang valid. 2022 bukan salah satu" in page.content.decode()
    assert not Evidence.objects.filter(response=response).exists()
    assert fresh(response).achievement == ""


def _evidence_groups(html: str) -> list[tuple[str, list[str]]]:
    """(heading, titles) of every year group of the evidence list, in page order."""
    groups = []
    for part in re.split(r'<h4 class="h6 small fw-bold mb-1 mt-2">', html)[1:]:
        heading, _, rest = part.partition("</h4>")
        listing = rest.split("</ul>", 1)[0]
        # The first download link of each item is its title (after the thumbnail, before the inline view).
        titles = re.findall(r'<li class="border rounded p-2 mb-2">.*?<a href="[^"]+/unduh/">([^<]+)</a>', listing, re.S)
        groups.append((heading, titles))
    return groups


def test_fill_and_review_pages_label_capaian_and_group_evidence_by_year(client, coordinator, reviewer, response):
    evidence_add(response=response, uploaded=samples.pdf("a.pdf"), actor=coordinator, title="Laporan 2024")
    evidence_add(
        response=response, uploaded=samples.pdf("b.pdf"), actor=coordinator, title="Laporan 2023", data_year=2023
    )
    submitted(response, coordinator)  # read-only card: the answer is shown as text
    Response.objects.filter(pk=response.pk).update(achievement="Capaian N: 87%", achievement_previous="Capaian N-1")

    client.force_login(coordinator)
    fill = client.get(reverse("evaluations:tatanan-fill", args=[response.assessment_id, response.indicator.tatanan_id]))
    html = fill.content.decode()
    assert '<dt>Capaian 2024</dt><dd class="text-prewrap">Capaian N: 87%</dd>' in html
    assert '<dt>Capaian 2023</dt><dd class="text-prewrap">Capaian N-1</dd>' in html
    card = html.split(f'id="r{response.pk}"', 1)[1].split("</article>", 1)[0]
    assert _evidence_groups(card) == [("Bukti dukung 2024", ["Laporan 2024"]), ("Bukti dukung 2023", ["Laporan 2023"])]

    client.force_login(reviewer)
    review = client.get(reverse("evaluations:review-detail", args=[response.pk])).content.decode()
    assert "<dt>Capaian 2024</dt>" in review
    assert "<dt>Capaian 2023</dt>" in review
    assert _evidence_groups(review) == [
        ("Bukti dukung 2024", ["Laporan 2024"]),
        ("Bukti dukung 2023", ["Laporan 2023"]),
    ]


def test_an_empty_year_says_so(coordinator, response):
    evidence_add(response=response, uploaded=samples.pdf("a.pdf"), actor=coordinator, data_year=2023)
    card = response_for_card(assessment=response.assessment, pk=response.pk)
    assert [(g.year, [e.data_year for e in g.evidence]) for g in card.evidence_years] == [(2024, []), (2023, [2023])]


def test_the_instrument_export_names_the_years_and_counts_evidence_per_year(client, coordinator, response):
    evidence_add(response=response, uploaded=samples.pdf("a.pdf"), actor=coordinator)
    evidence_add(response=response, uploaded=samples.pdf("b.pdf"), actor=coordinator, data_year=2023)
    evidence_add(response=response, uploaded=samples.pdf("c.pdf"), actor=coordinator, data_year=2023)
    client.force_login(coordinator)
    page = client.get(reverse("evaluations:assessment-instrument-xlsx", args=[response.assessment_id]))
    ws = load_workbook(io.BytesIO(page.content))["1. Tatanan 1"]
    header = [c.value for c in ws[5]]
    assert header[3:5] == ["Capaian 2024", "Capaian 2023"]
    assert header[8:10] == ["Bukti dukung 2024", "Bukti dukung 2023"]
    assert [c.value for c in ws[6]][8:10] == [1, 2]


def test_the_dossier_gives_each_evidence_its_year_newest_first(coordinator, response):
    evidence_add(response=response, uploaded=samples.pdf("lama.pdf"), actor=coordinator, data_year=2023)
    evidence_add(response=response, uploaded=samples.pdf("baru.pdf"), actor=coordinator)
    data = dossier_data(response.assessment_id)
    item = next(i for s in data.sections for i in s.items if i.response.pk == response.pk)
    assert [(e.data_year, e.version.original_name) for e in item.evidence] == [(2024, "baru.pdf"), (2023, "lama.pdf")]


def test_the_dossier_html_labels_capaian_and_evidence_with_the_year(coordinator, response):
    from django.template.loader import render_to_string

    Response.objects.filter(pk=response.pk).update(achievement="ada", achievement_previous="ada juga")
    evidence_add(response=response, uploaded=samples.pdf("lama.pdf"), actor=coordinator, data_year=2023)
    data = dossier_data(response.assessment_id)
    html = render_to_string(
        "evaluations/pdf/dossier.html",
        {"data": data, "assessment": data.assessment, "chart": "", "appendix": [], "fixed_tables": True},
    )
    assert "<h4>Capaian 2024</h4>" in html
    assert "<h4>Capaian 2023</h4>" in html
    assert re.search(r"<li><strong>Tahun data 2023</strong> · lama\.pdf", html)
