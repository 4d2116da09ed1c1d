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
from django.utils.translation import gettext_lazy, pgettext_lazy
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

INSTRUMENT_HEADERS = (
    pgettext_lazy("nomor urut", "No"),
    gettext_lazy("Kode"),
    gettext_lazy("Indikator"),
    gettext_lazy("Capaian"),
    gettext_lazy("Capaian tahun sebelumnya"),
    gettext_lazy("Nilai mandiri"),
    gettext_lazy("Nilai provinsi"),
    gettext_lazy("Penjelasan"),
)


def instrument_sheets(data) -> list[Sheet]:
    """The fields of the national instrument (one sheet for kelembagaan and one per tatanan) from DossierData."""
    a = data.assessment
    preamble = [
        _("INSTRUMEN PENILAIAN KABUPATEN/KOTA SEHAT — %(cycle)s") % {"cycle": a.cycle.name},
        _("Kabupaten/Kota: %(regency)s (%(code)s) — Provinsi: %(province)s")
        % {"regency": a.regency.name, "code": a.regency.code, "province": a.regency.parent.name},
    ]
    headers = [str(h) for h in INSTRUMENT_HEADERS]
    widths = {3: 60, 4: 40, 5: 30, 8: 40}

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
