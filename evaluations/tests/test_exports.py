"""Spreadsheet downloads, read back cell by cell."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from evaluations.models import Response, ResponseStatus
from evaluations.tests.test_reports import FULL, answer
from forums.tests.factories import RegencyFactory

pytestmark = pytest.mark.django_db

PROVINCE_HEADERS = [
    "Kode", "Kabupaten/kota", "Status", "Terisi (%)",
    "T1 nilai", "T1 terisi", "T1 menunggu review", "T1 perbaikan",
    "T2 nilai", "T2 terisi", "T2 menunggu review", "T2 perbaikan",
    "Skor", "ODF (%)", "Tingkat", "Menunggu review", "Perbaikan", "Diterima",
]  # fmt: skip


@pytest.fixture
def province_data(assessment, province):
    answer(assessment, FULL)
    r = Response.objects.get(assessment=assessment, indicator__code="T2-01")
    r.status = ResponseStatus.REVISION_REQUESTED
    r.save()
    RegencyFactory(code="35.01", name="Kabupaten Pacitan", parent=province)
    return assessment


def _sheet(response):
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    assert len(wb.sheetnames) == 1
    return wb.active


def _values(ws, row):
    return [c.value for c in ws[row]]


def test_province_xlsx_holds_the_table_cell_by_cell(client, provincial, province, province_data):
    client.force_login(provincial)
    response = client.get(reverse("evaluations:province-report-xlsx", args=[province.pk]))

    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == 'attachment; filename="kesiapan-jawa-timur-2025.xlsx"'
    ws = _sheet(response)
    assert ws.title == "Kesiapan Jawa Timur"
    assert ws["A1"].value == "Kesiapan Jawa Timur — Siklus 2025"
    assert ws["A2"].value == "Dasar nilai: Perkiraan"
    assert ws["A3"].value is None
    assert _values(ws, 4) == PROVINCE_HEADERS
    assert _values(ws, 5) == [
        "35.01", "Kabupaten Pacitan", "Belum ada penilaian", None,
        None, 0, 0, 0, None, 0, 0, 0,
        None, None, None, 0, 0, 0,
    ]  # fmt: skip
    # T2-01 (50) is sent back: out of the forecast, so T2 = (100 + 50) / 3
    assert _values(ws, 6) == [
        "35.71", "Kota Kediri", "Pengisian", 100,
        83.33, 3, 3, 0, 50, 3, 2, 1,
        66.67, 100, "Belum memenuhi", 7, 1, 0,
    ]  # fmt: skip
    assert ws["E6"].number_format == "0.00"
    assert ws.max_row == 6
    assert ws.freeze_panes == "C5"


def test_province_csv_is_the_same_table(client, provincial, province, province_data):
    client.force_login(provincial)
    response = client.get(reverse("evaluations:province-report-csv", args=[province.pk]))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf")
    text = response.content.decode("utf-8-sig")
    assert text.startswith("Kode;Kabupaten/kota;")  # Excel with Indonesian settings: semicolons, decimal comma
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0] == PROVINCE_HEADERS
    assert rows[1] == ["35.01", "Kabupaten Pacitan", "Belum ada penilaian", "", "", "0", "0", "0", "", "0", "0", "0",
                       "", "", "", "0", "0", "0"]  # fmt: skip
    assert rows[2] == ["35.71", "Kota Kediri", "Pengisian", "100,00", "83,33", "3", "3", "0", "50,00", "3", "2", "1",
                       "66,67", "100,00", "Belum memenuhi", "7", "1", "0"]  # fmt: skip
    assert len(rows) == 3


def test_english_csv_separates_by_comma_with_a_decimal_point(client, provincial, province, province_data):
    client.force_login(provincial)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    text = client.get(reverse("evaluations:province-report-csv", args=[province.pk])).content.decode("utf-8-sig")
    assert text.startswith("Code,")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[2][:5] == ["35.71", "Kota Kediri", rows[2][2], "100.00", "83.33"]
    assert rows[2][12:14] == ["66.67", "100.00"]


def test_downloads_follow_the_page_filters(client, provincial, province, province_data):
    client.force_login(provincial)
    response = client.get(reverse("evaluations:province-report-csv", args=[province.pk]), {"status": "none"})

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert [r[1] for r in rows[1:]] == ["Kabupaten Pacitan"]


def test_national_xlsx_has_a_row_per_province(client, national, province_data, other_assessment):
    client.force_login(national)
    ws = _sheet(client.get(reverse("evaluations:national-report-xlsx")))

    assert ws["A1"].value == "Kesiapan Nasional — Siklus 2025"
    assert _values(ws, 4)[:5] == ["Kode", "Provinsi", "Kabupaten/kota", "Dinilai", "Terisi (%)"]
    assert _values(ws, 4)[-8:] == [
        "Belum memenuhi", "Padapa", "Wiwerda", "Wistara", "Wistara Paripurna", "Menunggu review", "Perbaikan",
        "Diterima",
    ]  # fmt: skip
    assert _values(ws, 5)[:6] == ["35", "Jawa Timur", 2, 1, 100, 83.33]
    assert _values(ws, 6)[:6] == ["73", "Sulawesi Selatan", 1, 1, 0, 0]
    assert ws.max_row == 6


def test_text_that_looks_like_a_formula_stays_text(client, provincial, province, province_data, national):
    RegencyFactory(code="35.02", name='=HYPERLINK("http://x.test","klik")', parent=province)
    client.force_login(provincial)

    ws = _sheet(client.get(reverse("evaluations:province-report-xlsx", args=[province.pk])))
    cell = ws["B6"]
    assert cell.value == '=HYPERLINK("http://x.test","klik")'
    assert cell.data_type == "s"

    rows = list(
        csv.reader(
            io.StringIO(
                client.get(reverse("evaluations:province-report-csv", args=[province.pk])).content.decode("utf-8-sig")
            ),
            delimiter=";",
        )
    )
    assert rows[2][1] == '\'=HYPERLINK("http://x.test","klik")'


def test_instrument_export_has_the_national_fields_per_tatanan(client, coordinator, assessment, framework):
    answer(assessment, {"T1-01": 100, "T1-02": 50, "K-01": 100})
    Response.objects.filter(assessment=assessment, indicator__code="T1-01").update(
        achievement="92% posyandu aktif",
        achievement_previous="85%",
        explanation="=1+1 bukan rumus",
        value_provincial=50,
    )
    client.force_login(coordinator)
    response = client.get(reverse("evaluations:assessment-instrument-xlsx", args=[assessment.pk]))

    assert response["Content-Disposition"] == 'attachment; filename="instrumen-kota-kediri-2025.xlsx"'
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == ["Data umum", "Kelembagaan", "1. Tatanan 1", "2. Tatanan 2"]
    ws = wb["1. Tatanan 1"]
    assert ws["A1"].value == "INSTRUMEN PENILAIAN KABUPATEN/KOTA SEHAT — Siklus 2025"
    assert ws["A2"].value == "Kabupaten/Kota: Kota Kediri (35.71) — Provinsi: Jawa Timur"
    header = _values(ws, 5)
    assert header == ["No", "Kode", "Indikator", "Capaian 2024", "Capaian 2023", "Nilai mandiri",
                      "Nilai provinsi", "Penjelasan", "Bukti dukung 2024", "Bukti dukung 2023"]  # fmt: skip
    indicators = list(framework.indicators.filter(tatanan__number=1).order_by("sort_order"))
    assert _values(ws, 6) == [1, "T1-01", indicators[0].name, "92% posyandu aktif", "85%", 100, 50,
                              "=1+1 bukan rumus", 0, 0]  # fmt: skip
    assert ws["H6"].data_type == "s"
    assert _values(ws, 7) == [2, "T1-02", indicators[1].name, None, None, 50, None, None, 0, 0]
    assert _values(ws, 8) == [3, "T1-03", indicators[2].name, None, None, None, None, None, 0, 0]
    assert ws.max_row == 8
    kelembagaan = wb["Kelembagaan"]
    assert [kelembagaan.cell(r, 2).value for r in (6, 7)] == ["K-01", "K-02"]
    assert kelembagaan["F6"].value == 100
    general = wb["Data umum"]
    assert [general.cell(r, 2).value for r in range(4, 10)] == [
        "Isian", "Jawa Timur", "Kota Kediri", 5, 50, 50,
    ]  # fmt: skip
    assert general["B10"].value == 100


def test_decimal_values_are_numbers_not_text(client, provincial, province, province_data):
    client.force_login(provincial)
    ws = _sheet(client.get(reverse("evaluations:province-report-xlsx", args=[province.pk])))
    assert isinstance(ws["E6"].value, float)
    assert Decimal(str(ws["E6"].value)) == Decimal("83.33")


def test_control_characters_pasted_into_answers_do_not_break_the_instrument_export(client, coordinator, assessment):
    # Word writes a manual line break as a vertical tab; terminals leave escape codes behind.
    answer(assessment, {"T1-01": 100})
    Response.objects.filter(assessment=assessment, indicator__code="T1-01").update(
        achievement="Baris satu\x0bbaris dua", explanation="Teks\x1b[0m bersih\x0c"
    )
    Response.objects.filter(assessment=assessment, indicator__code="T1-02").update(achievement="=1+1\x07")
    client.force_login(coordinator)

    response = client.get(reverse("evaluations:assessment-instrument-xlsx", args=[assessment.pk]))

    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content))["1. Tatanan 1"]
    assert ws["D6"].value == "Baris satu\nbaris dua"
    assert ws["H6"].value == "Teks[0m bersih"
    assert ws["D7"].value == "=1+1"
    assert ws["D7"].data_type == "s"
