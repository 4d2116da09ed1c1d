"""Spreadsheet downloads: the readiness tables as XLSX/CSV and the national instrument layout.

The readiness XLSX and CSV come from the same (headers, rows) pair, so they
always hold the same table. Text that a spreadsheet would run as a formula
(=, +, -, @ ...) is written as plain text.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import formats
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from evaluations.selectors.readiness import LEVEL_LABELS, ProvinceRow, ReadinessTable

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
HEADER_FILL = PatternFill("solid", fgColor="D1E7DD")
SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")


@dataclass
class Sheet:
    title: str
    headers: list[str]
    rows: list[list]
    preamble: list[str] = field(default_factory=list)
    widths: dict[int, int] = field(default_factory=dict)  # 1-based column -> width


# --- readiness table ---------------------------------------------------------------


def _tatanan_headers(table: ReadinessTable) -> list[str]:
    headers = []
    for t in table.tatanan:
        headers += [
            _("T%(n)s nilai") % {"n": t.number},
            _("T%(n)s terisi") % {"n": t.number},
            _("T%(n)s menunggu review") % {"n": t.number},
            _("T%(n)s perbaikan") % {"n": t.number},
        ]
    return headers


def _tatanan_values(row) -> list:
    values = []
    for cell in row.cells:
        values += [cell.percent, cell.filled, cell.review.waiting, cell.review.revision]
    return values


def readiness_sheet(table: ReadinessTable) -> Sheet:
    """The readiness table as one sheet: a province (a row per regency) or the nation (a row per province)."""
    national = table.province is None
    if national:
        headers = [
            _("Kode"),
            _("Provinsi"),
            _("Kabupaten/kota"),
            _("Dinilai"),
            _("Terisi (%)"),
            *_tatanan_headers(table),
            _("Skor rata-rata"),
            _("ODF rata-rata (%)"),
            *(str(label) for label in LEVEL_LABELS.values()),
            _("Menunggu review"),
            _("Perbaikan"),
            _("Diterima"),
        ]
    else:
        headers = [
            _("Kode"),
            _("Kabupaten/kota"),
            _("Status"),
            _("Terisi (%)"),
            *_tatanan_headers(table),
            _("Skor"),
            _("ODF (%)"),
            _("Tingkat"),
            _("Menunggu review"),
            _("Perbaikan"),
            _("Diterima"),
        ]
    rows = []
    for row in table.rows:
        tail = [row.review.waiting, row.review.revision, row.review.accepted]
        if isinstance(row, ProvinceRow):
            rows.append(
                [
                    row.region.code,
                    row.region.name,
                    row.regencies,
                    row.assessed,
                    row.fill_percent,
                    *_tatanan_values(row),
                    row.score,
                    row.odf,
                    *row.levels.values(),
                    *tail,
                ]
            )
        else:
            has = row.assessment is not None
            rows.append(
                [
                    row.region.code,
                    row.region.name,
                    row.status_label,
                    row.fill_percent if has else None,
                    *_tatanan_values(row),
                    row.score,
                    row.odf,
                    row.level_label or None,
                    *tail,
                ]
            )
    place = table.province.name if table.province else _("Nasional")
    title = _("Kesiapan %(place)s") % {"place": place}
    preamble = [f"{title} — {table.cycle.name}", _("Dasar nilai: %(basis)s") % {"basis": table.basis_label}]
    return Sheet(title=title, headers=headers, rows=rows, preamble=preamble, widths={2: 28})


# --- national instrument ---------------------------------------------------------------


def instrument_headers(cycle) -> list[str]:
    """The instrument's columns, with the cycle's two data years in the capaian and evidence columns."""
    current, previous = cycle.data_year, cycle.data_year_previous
    return [
        pgettext("nomor urut", "No"),
        _("Kode"),
        _("Indikator"),
        _("Capaian %(year)s") % {"year": current},
        _("Capaian %(year)s") % {"year": previous},
        _("Nilai mandiri"),
        _("Nilai provinsi"),
        _("Penjelasan"),
        _("Bukti dukung %(year)s") % {"year": current},
        _("Bukti dukung %(year)s") % {"year": previous},
    ]


def _general_rows(general) -> list[list]:
    """Data Umum rows of the instrument's first sheet: heads, office, participation, pendanaan."""
    if general is None:
        return []
    a = general.assessment
    rows: list[list] = [
        [_("Bupati/Walikota"), a.head_name],
        [_("Ketua Forum KKS"), a.forum_chair_name],
        [_("Alamat kantor Forum KKS"), a.office_address],
        [_("Kecamatan yang diusulkan"), len(general.districts)],
        [_("Kecamatan (seluruhnya)"), general.district_total],
        [_("Desa/kelurahan yang diusulkan"), len(general.villages)],
        [_("Desa/kelurahan (seluruhnya)"), general.village_total],
    ]
    for row in general.fundings:
        rows += [
            [_("Pendanaan %(body)s: APBD (Rp)") % {"body": row.label}, row.apbd],
            [_("Pendanaan %(body)s: APBDes (Rp)") % {"body": row.label}, row.apbdes],
            [_("Pendanaan %(body)s: sumber lain (Rp)") % {"body": row.label}, row.other],
            [_("Pendanaan %(body)s: nama sumber lain") % {"body": row.label}, row.other_source],
        ]
    return rows


def instrument_sheets(data) -> list[Sheet]:
    """The fields of the national instrument (one sheet for kelembagaan and one per tatanan) from DossierData."""
    a = data.assessment
    preamble = [
        _("INSTRUMEN PENILAIAN KABUPATEN/KOTA SEHAT — %(cycle)s") % {"cycle": a.cycle.name},
        _("Kabupaten/Kota: %(regency)s (%(code)s) — Provinsi: %(province)s")
        % {"regency": a.regency.name, "code": a.regency.code, "province": a.regency.parent.name},
    ]
    headers = instrument_headers(a.cycle)
    widths = {3: 60, 4: 40, 5: 30, 8: 40}
    years = (a.cycle.data_year, a.cycle.data_year_previous)

    def rows(items):
        return [
            [
                n,
                i.indicator.code,
                i.indicator.name,
                i.response.achievement,
                i.response.achievement_previous,
                i.response.value,
                i.response.value_provincial,
                i.response.explanation,
                *(sum(e.data_year == year for e in i.evidence) for year in years),
            ]
            for n, i in enumerate(items, start=1)
        ]

    general = Sheet(
        title=_("Data umum"),
        headers=[_("Data"), _("Isian")],
        rows=[
            [_("Provinsi"), a.regency.parent.name],
            [_("Kabupaten/Kota"), a.regency.name],
            [_("Jumlah kecamatan"), a.odf_kecamatan_count],
            [_("Jumlah desa/kelurahan"), a.odf_village_count],
            [_("Jumlah desa/kelurahan stop BABS"), a.odf_stop_babs_count],
            [_("Persentase desa/kelurahan stop BABS"), data.scores.odf_percent],
            *_general_rows(data.general),
        ],
        preamble=preamble,
        widths={1: 40, 2: 40},
    )
    sheets = [general, Sheet(_("Kelembagaan"), headers, rows(data.kelembagaan), [*preamble, _("Kelembagaan")], widths)]
    for s in data.sections:
        name = f"{s.tatanan.number}. {s.tatanan.name}"
        sheets.append(Sheet(name, headers, rows(s.items), [*preamble, _("Tatanan %(name)s") % {"name": name}], widths))
    return sheets


# --- writers ------------------------------------------------------------------------


def _sheet_title(title: str, used: set[str]) -> str:
    base = SHEET_NAME_BAD.sub(" ", title).strip()[:31] or "Sheet"
    name, n = base, 2
    while name.casefold() in used:
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(name.casefold())
    return name


def _plain(value):
    """A value openpyxl can store: lazy translations become text, None an empty cell.

    Control characters that a worksheet cannot hold (pasted from Word, where a
    vertical tab is a manual line break, or from a terminal) would make openpyxl
    refuse the whole file: the vertical tab becomes a line break, the rest is dropped.
    """
    if value is None:
        return ""
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value.replace("\x0b", "\n"))
    return value


def _is_formula_like(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_START)


def xlsx_bytes(sheets: Sequence[Sheet]) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    for sheet in sheets:
        ws = wb.create_sheet(_sheet_title(sheet.title, used))
        for line in sheet.preamble:
            ws.append([_plain(line)])
            ws.cell(ws.max_row, 1).font = Font(bold=True)
        if sheet.preamble:
            ws.append([])
        ws.append([_plain(h) for h in sheet.headers])
        header_row = ws.max_row
        for cell in ws[header_row]:
            cell.font = Font(bold=True)
            cell.fill = HEADER_FILL
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for values in sheet.rows:
            ws.append([_plain(v) for v in values])
            for cell in ws[ws.max_row]:
                if _is_formula_like(cell.value):
                    cell.data_type = "s"  # text, never a formula
                elif isinstance(cell.value, Decimal):
                    cell.number_format = "0.00"
                elif isinstance(cell.value, str) and len(cell.value) > 40:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
        for col, width in sheet.widths.items():
            ws.column_dimensions[get_column_letter(col)].width = width
        ws.freeze_panes = ws.cell(header_row + 1, 3 if len(sheet.headers) > 3 else 1)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _csv_value(value, decimal: str) -> str:
    if value is None:
        return ""
    if isinstance(value, Promise):
        value = str(value)
    if _is_formula_like(value):
        return "'" + value
    if isinstance(value, Decimal | float) and not isinstance(value, bool):
        return str(value).replace(".", decimal)
    return str(value)


def csv_dialect() -> tuple[str, str]:
    """(field separator, decimal separator) of the active language, as its spreadsheet expects them.

    Excel with Indonesian regional settings reads a decimal comma, and so separates fields with
    semicolons (17,91;3); in English a comma separates fields and a point decimals (17.91,3).
    """
    decimal = str(formats.get_format("DECIMAL_SEPARATOR"))
    return (";" if decimal == "," else ","), decimal


def csv_bytes(sheet: Sheet) -> bytes:
    """UTF-8 with a BOM (so spreadsheet programs detect the encoding), header first, in the active
    language's dialect (``csv_dialect``): the same numbers and separators as the pages show."""
    delimiter, decimal = csv_dialect()
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow([_csv_value(h, decimal) for h in sheet.headers])
    for row in sheet.rows:
        writer.writerow([_csv_value(v, decimal) for v in row])
    return out.getvalue().encode("utf-8-sig")


# --- SIPANTAS exchange ---------------------------------------------------------------

SIPANTAS_COLUMNS = (
    "indikator_id",
    "kode",
    "tatanan",
    "nama",
    "capaian",
    "capaian_sebelumnya",
    "nilai_mandiri",
    "nilai_provinsi",
    "penjelasan_kabupaten",
    "penjelasan_provinsi",
    "status",
    "tingkat",
    "tahun",
    "tahun_sebelumnya",
)
SIPANTAS_EVIDENCE_COLUMNS = ("kode", "tahun", "judul", "nama_berkas", "sha256", "url")
SIPANTAS_COUNT_COLUMNS = ("kode", "dokumen", "per", "ada", "diusulkan")
SIPANTAS_INFO_KEYS = (
    "format",
    "kabupaten_id",
    "kode_wilayah",
    "kabupaten",
    "provinsi",
    "siklus",
    "tahun_siklus",
    "tahun",
    "tahun_sebelumnya",
    "kerangka",
)
SIPANTAS_ODF_KEYS = ("jumlah_kecamatan", "jumlah_desa_kelurahan", "jumlah_desa_stop_babs", "persentase")


def sipantas_sheets(document: dict) -> list[Sheet]:
    """The SIPANTAS document as sheets with machine-readable (snake_case) column names, one value per cell.

    Sheets: info, odf, indikator, kelembagaan, bukti (one row per evidence link of each year), hitungan
    (the FKK/Pokja counts), missing_ids. ``sipantas_from_xlsx`` reads them back.
    """
    rows = [*document["kelembagaan"], *document["indikator"]]
    return [
        Sheet("info", ["kunci", "nilai"], [[k, document[k]] for k in SIPANTAS_INFO_KEYS]),
        Sheet("odf", ["kunci", "nilai"], [[k, document["odf"][k]] for k in SIPANTAS_ODF_KEYS]),
        Sheet("indikator", list(SIPANTAS_COLUMNS), [[r[c] for c in SIPANTAS_COLUMNS] for r in document["indikator"]]),
        Sheet(
            "kelembagaan", list(SIPANTAS_COLUMNS), [[r[c] for c in SIPANTAS_COLUMNS] for r in document["kelembagaan"]]
        ),
        Sheet(
            "bukti",
            list(SIPANTAS_EVIDENCE_COLUMNS),
            [[r["kode"], *(b[c] for c in SIPANTAS_EVIDENCE_COLUMNS[1:])] for r in rows for b in r["bukti"]],
        ),
        Sheet(
            "hitungan",
            list(SIPANTAS_COUNT_COLUMNS),
            [[r["kode"], *(r["hitungan"][c] for c in SIPANTAS_COUNT_COLUMNS[1:])] for r in rows if r["hitungan"]],
        ),
        Sheet("missing_ids", ["jenis", "kode"], [[m["jenis"], m["kode"]] for m in document["missing_ids"]]),
    ]


def sipantas_from_xlsx(content: bytes) -> dict:
    """Read a SIPANTAS workbook (``sipantas_sheets``) back into the document's structure (without data_umum)."""
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(content), read_only=True)

    def table(name: str) -> list[dict]:
        rows = list(wb[name].iter_rows(values_only=True))
        header = [str(h) for h in rows[0]]
        return [dict(zip(header, (None if v == "" else v for v in row), strict=True)) for row in rows[1:]]

    def text(value) -> str:
        return "" if value is None else str(value)

    info = {r["kunci"]: r["nilai"] for r in table("info")}
    evidence: dict[str, list[dict]] = {}
    for b in table("bukti"):
        evidence.setdefault(b["kode"], []).append(
            {
                "tahun": b["tahun"],
                "judul": text(b["judul"]),
                "nama_berkas": text(b["nama_berkas"]),
                "sha256": b["sha256"],
                "url": b["url"],
            }
        )
    counts = {c["kode"]: {k: c[k] for k in SIPANTAS_COUNT_COLUMNS[1:]} for c in table("hitungan")}
    texts = {"capaian", "capaian_sebelumnya", "penjelasan_kabupaten", "penjelasan_provinsi", "nama"}

    def indicator_rows(name: str) -> list[dict]:
        out = []
        for r in table(name):
            row = {c: (text(r[c]) if c in texts else r[c]) for c in SIPANTAS_COLUMNS}
            row["bukti"] = evidence.get(r["kode"], [])
            row["hitungan"] = counts.get(r["kode"])
            out.append(row)
        return out

    return {
        **{k: info.get(k) for k in SIPANTAS_INFO_KEYS},
        "odf": {r["kunci"]: r["nilai"] for r in table("odf")},
        "kelembagaan": indicator_rows("kelembagaan"),
        "indikator": indicator_rows("indikator"),
        "missing_ids": table("missing_ids"),
    }
