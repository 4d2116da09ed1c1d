"""Build ``tatanan/data/kks-2025-r2.yaml`` from the Kemenkes workbook "Instrumen KKS 2025.xlsx" itself.

Usage (from the repository root)::

    python tatanan/data/tools/convert_workbook.py "../shared/reference/Instrumen KKS 2025.xlsx" \\
        > tatanan/data/kks-2025-r2.yaml

Needs only openpyxl and PyYAML (no Django). The committed YAML is the artefact; a test
(tatanan/tests/test_workbook.py) runs this script on the workbook and requires the same bytes, so
regenerate rather than edit by hand.

How the workbook is laid out (10 sheets, read here without a hand-made export in between):

- "Kelembagaan": header in row 5 (NO, KOMPONEN, INDIKATOR, DEFINISI OPERASIONAL, SUMBER DATA,
  BUKTI DUKUNG, SKALA/KATEGORI PENILAIAN), rows 7-22 one indicator each; NO and KOMPONEN (the body)
  are merged over the four rows of a body (SK, Rencana Kerja, Anggaran, Sekretariat).
- "Tatanan 1 ..." to "Tatanan 9 ...": A2 "TATANAN n: NAME", header in row 5 (NO, INDIKATOR,
  DEFINISI OPERASIONAL, SUMBER DATA, BUKTI DUKUNG, SKALA/KATEGORI PENILAIAN), one row per indicator.
- The scale of an indicator is one cell: options "1. Nilai 100 jika ...", "2. Nilai 50 jika ..."
  separated by blank lines. Six options wrap onto a second line inside the cell (T2-20 [100] and
  [50], T3-10 [50], T7-04 [100], [50], [25]); those continuation lines belong to the option above
  them and are kept (joined with a space).

What the file holds, field by field:

- ``name``: INDIKATOR on one line. For kelembagaan it is INDIKATOR followed by KOMPONEN
  ("SK Tim Pembina"), because the sheet splits the two and a bare "SK" names no body.
- ``operational_definition``, ``data_source``, ``required_evidence``: the cell text with its line
  breaks kept (pages show them pre-wrapped); runs of blanks become one space, blank lines collapse
  to one, line ends are trimmed.
- ``scale``: per option the value and the condition after "Nilai <value> [jika]", on one line.
- Added here (not in the workbook): codes ``T<n>-<NN>`` / ``K-<NN>``, the tatanan names in title
  case (checked against A2), the responsible OPD kinds (``responsible_opd_kinds``, see
  ``tatanan_opd_kinds``) and the kelembagaan ``rules`` (see ``kelembagaan_rules``), each rule checked
  against the words of the workbook it stands for.

Responsible OPD kinds are the Pemda OPD that fill the indicator in. Agencies that are not a
regency's own OPD (BPS, Polres/Satlantas, the provincial Disnaker, ministries and their national
applications) stay in ``data_source`` and are never a kind; every tatanan indicator gets at least
one Pemda OPD. Kelembagaan items go to the body's secretariat: Bappeda for the Tim Pembina; the
forum, FKK and Pokja items name no OPD kind, so only the regency's forum coordinator fills them.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
from pathlib import Path

import openpyxl
import yaml

CODE = "kks-2025-r2"
WORKBOOK_NAME = "Instrumen KKS 2025.xlsx"

# (number, name, sheet name prefix, expected indicator count)
TATANAN = [
    (1, "Kehidupan Masyarakat Sehat Mandiri", "Tatanan 1 ", 29),
    (2, "Permukiman dan Fasilitas Umum", "Tatanan 2 ", 22),
    (3, "Satuan Pendidikan", "Tatanan 3 ", 11),
    (4, "Pasar", "Tatanan 4 ", 13),
    (5, "Perkantoran dan Perindustrian", "Tatanan 5 ", 11),
    (6, "Pariwisata", "Tatanan 6 ", 12),
    (7, "Transportasi dan Tertib Lalu Lintas Jalan", "Tatanan 7 ", 11),
    (8, "Perlindungan Sosial", "Tatanan 8 ", 13),
    (9, "Penanggulangan Bencana", "Tatanan 9 ", 14),
]
KELEMBAGAAN_SHEET = "Kelembagaan"
HEADER_ROW = 5
FIRST_ROW = 7
TATANAN_COLUMNS = (
    "NO",
    "INDIKATOR",
    "DEFINISI OPERASIONAL",
    "SUMBER DATA",
    "BUKTI DUKUNG",
    "SKALA/ KATEGORI PENILAIAN",
)
KELEMBAGAAN_COLUMNS = ("NO", "KOMPONEN", *TATANAN_COLUMNS[1:])

# Pemda OPD kinds only: a regency has an OPD of each kind (or a merged one) that can fill an indicator.
OPD_KINDS = [
    ("bag_hukum", "Bagian Hukum Sekretariat Daerah"),
    ("bappeda", "Badan Perencanaan Pembangunan Daerah"),
    ("bpbd", "Badan Penanggulangan Bencana Daerah"),
    ("damkar", "Dinas Pemadam Kebakaran dan Penyelamatan"),
    ("dinkes", "Dinas Kesehatan"),
    ("dinkop_umkm", "Dinas Koperasi dan Usaha Mikro"),
    ("dinsos", "Dinas Sosial"),
    ("disdik", "Dinas Pendidikan"),
    ("dishub", "Dinas Perhubungan"),
    ("disnaker", "Dinas Tenaga Kerja"),
    ("dispar", "Dinas Pariwisata"),
    ("disperindag", "Dinas Perindustrian dan Perdagangan"),
    ("dlh", "Dinas Lingkungan Hidup"),
    ("dp3a", "Dinas Pemberdayaan Perempuan dan Perlindungan Anak"),
    ("dpmptsp", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu"),
    ("dukcapil", "Dinas Kependudukan dan Pencatatan Sipil"),
    ("kesbangpol", "Badan Kesatuan Bangsa dan Politik"),
    ("ketahanan_pangan", "Dinas Ketahanan Pangan"),
    ("kominfo", "Dinas Komunikasi dan Informatika"),
    ("pupr", "Dinas Pekerjaan Umum dan Penataan Ruang"),
]

# SUMBER DATA keyword (regular expression, matched case-insensitively) -> Pemda OPD kind.
# National applications run by the health ministry (ASIK, SITB, Sigizi, SKDR, ...) mean Dinas Kesehatan,
# which reads them for its regency. BPS, Polres/Satlantas and provincial offices have no rule: they are
# named in the text only.
OPD_RULES = [
    (
        r"kesehatan|sigizi|\bsitb\b|\basik\b|e-sismal|\bsinaf\b|\bsirs\b|sikelim|simkeswa|silantor|promkes|e-satu"
        r"|komdat|\bskdr\b",
        "dinkes",
    ),
    (r"lingkungan hidup|sipsn", "dlh"),
    (r"\bpupr\b|sicalmers|simspam", "pupr"),
    (r"perhubungan", "dishub"),
    (r"pendidikan", "disdik"),
    (r"perencanaan daerah|bappeda|\bsipd\b", "bappeda"),
    (r"kebencanaan", "bpbd"),
    (r"kebakaran", "damkar"),
    (r"sosial", "dinsos"),
    (r"perempuan dan anak|\bpppa\b", "dp3a"),
    (r"pasar|perindustrian|siinas", "disperindag"),
    # "ketenagakerjaan di provinsi" (T5-03..06): the regency's own Disnaker collects the figures from the
    # provincial office, which stays named in the text only.
    (r"ketenagakerjaan", "disnaker"),
    (r"pariwisata|pariwsata", "dispar"),
    (r"komunikasi & informasi", "kominfo"),
    (r"hukum", "bag_hukum"),
    (r"penanaman modal|perizinan", "dpmptsp"),
    (r"ketahanan pangan", "ketahanan_pangan"),
    (r"kependudukan", "dukcapil"),
    (r"umkm", "dinkop_umkm"),
    (r"kriminalitas", "kesbangpol"),
]

# Indicators whose SUMBER DATA names only a non-Pemda agency: the Pemda OPD that collects the figure.
# T2-22 (rasio elektrifikasi) is published by BPS: Bappeda, the regency's planning and data office.
OPD_FALLBACK = {"T2-22": ["bappeda"]}

# Agencies that are data sources, never fillers (checked by the test on the kinds' names and codes).
NON_PEMDA = re.compile(r"\bbps\b|pusat statistik|polres|polri|kepolisian|satlantas|provinsi|kementerian|kemenkes")

# Kelembagaan: KOMPONEN (column B, whitespace-normalised) -> body kind, the kecamatan/desa count rule.
BODIES = {
    "Tim Pembina": ("tim_pembina", ""),
    "Forum Kabupaten/Kota": ("forum", ""),
    "Forum Komunikasi Kecamatan": ("fkk", "kecamatan"),
    "Kelompok Kerja Desa/ Kelurahan": ("pokja", "desa_kelurahan"),
}
DOCUMENTS = {"SK": "sk", "Rencana Kerja": "rencana_kerja", "Anggaran": "anggaran", "Sekretariat": "sekretariat"}

OPTION = re.compile(r"^[^\S\n]*(\d+)[^\S\n]*\.[^\S\n]*N[iI]lai[^\S\n]*(\d+)[^\S\n]*(?:jika)?", re.MULTILINE)


class WorkbookError(ValueError):
    """The workbook does not have the layout this converter reads."""


# --- text --------------------------------------------------------------------------------------


def one_line(text: object) -> str:
    """The cell's text on one line: every run of whitespace (line breaks included) becomes one space."""
    return re.sub(r"\s+", " ", str(text or "")).strip()


def block(text: object) -> str:
    """The cell's text with its line breaks: blanks collapsed, lines trimmed, at most one blank line in a row."""
    lines = [re.sub(r"[^\S\n]+", " ", line).strip() for line in str(text or "").split("\n")]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out)


def scale_options(text: object, where: str) -> list[tuple[int, str]]:
    """Split a SKALA cell into (value, condition); a continuation line stays with its option."""
    text = str(text or "")
    marks = list(OPTION.finditer(text))
    if not marks:
        raise WorkbookError(f"{where}: no scale option ('1. Nilai 100 jika ...') in {text[:60]!r}")
    if text[: marks[0].start()].strip():
        raise WorkbookError(f"{where}: text before the first scale option: {text[: marks[0].start()]!r}")
    options = []
    for position, mark in enumerate(marks, start=1):
        # The list number is not checked: T2-14 numbers its last two options "3." and "3.".
        end = marks[position].start() if position < len(marks) else len(text)
        description = one_line(text[mark.end() : end])
        if not description:
            raise WorkbookError(f"{where}: option {position} has no text")
        options.append((int(mark.group(2)), description))
    values = [v for v, _d in options]
    if values != sorted(set(values), reverse=True):
        raise WorkbookError(f"{where}: scale values {values} are not distinct and decreasing")
    return options


# --- OPD kinds and rules -------------------------------------------------------------------------


def tatanan_opd_kinds(code: str, data_source: str, name: str = "") -> list[str]:
    """Pemda OPD kinds named by the SUMBER DATA text, in the order the text names them.

    An indicator whose name or data source mentions SKDR (the health ministry's early warning system
    for outbreaks, run by Dinas Kesehatan) also goes to Dinas Kesehatan.
    """
    low = data_source.lower()
    found = []
    for pattern, kind in OPD_RULES:
        match = re.search(pattern, low)
        if match:
            found.append((match.start(), kind))
    kinds = list(dict.fromkeys(kind for _pos, kind in sorted(found))) or OPD_FALLBACK.get(code, [])
    if re.search(r"\bskdr\b", f"{name} {low}".lower()) and "dinkes" not in kinds:
        kinds.append("dinkes")
    if not kinds:
        raise WorkbookError(f"{code}: no Pemda OPD kind found in {data_source!r}")
    return kinds


def _require(condition: bool, where: str, what: str) -> None:
    if not condition:
        raise WorkbookError(f"{where}: the workbook no longer says {what}; review the rule")


def kelembagaan_rules(
    *, where: str, document: str, count_per: str, evidence: str, scale: list[tuple[int, str]]
) -> dict:
    """The rules of one kelembagaan item, each taken from (and checked against) the workbook's words."""
    text = {value: description.lower() for value, description in scale}
    low = one_line(evidence).lower()
    rules: dict = {"document": document}
    if document == "sk":
        signer = re.search(r"disahkan oleh (.+?)\s+minimal", one_line(evidence))
        _require(signer is not None, where, "who signs the SK ('disahkan oleh ... minimal')")
        rules["signed_by"] = signer.group(1)
        _require("draft" in text[0], where, "that a draft SK scores 0")
        rules["draft_scores"] = 0
        age = re.search(r"<\s*(\d+)\s*tahun", low)
        _require(age is not None, where, "the SK's maximum age ('< 10 tahun')")
        rules["max_age_years"] = int(age.group(1))
        valid = re.search(r"berlaku sd tahun (\d{4})", low)
        _require(valid is not None, where, "until when the SK must be valid ('berlaku sd tahun')")
        rules["valid_through_year"] = int(valid.group(1))
    if document in ("rencana_kerja", "anggaran"):
        years = re.search(r"\(tahun (\d{4}) dan (\d{4})\)", low)
        _require(years is not None, where, "the data years ('(tahun 2023 dan 2024)')")
        rules["data_years"] = [int(years.group(1)), int(years.group(2))]
        _require("target capaian" in low, where, "that the documents carry their target capaian")
        rules["targets_required"] = True
    if document == "sekretariat":
        _require("time stamp" in low, where, "that the photo carries date and coordinates (time stamp)")
        rules["photo_timestamp_required"] = True
    if count_per and document != "sekretariat":
        _require("usulan swasti saba" in text[100], where, "that the count must match the proposal")
        short = [v for v, d in scale if "kurang" in d.lower() and "usulan swasti saba" in d.lower()]
        _require(len(short) == 1, where, "which value a short count scores")
        rules["count_per"] = count_per
        rules["short_count_scores"] = short[0]
    return rules


# --- sheets --------------------------------------------------------------------------------------


def _check_header(ws, columns: tuple[str, ...]) -> None:
    found = tuple(one_line(ws.cell(HEADER_ROW, c).value) for c in range(1, len(columns) + 1))
    if found != columns:
        raise WorkbookError(f"sheet {ws.title!r}: header row {HEADER_ROW} is {found}, expected {columns}")


def _rows(ws, width: int):
    """Data rows (row number, values) from FIRST_ROW on, skipping empty rows."""
    for row in ws.iter_rows(min_row=FIRST_ROW, max_col=width):
        values = [c.value for c in row]
        if any(v is not None and str(v).strip() for v in values):
            yield row[0].row, values


def read_tatanan(ws, number: int, name: str, expected: int) -> list[dict]:
    _check_header(ws, TATANAN_COLUMNS)
    title = one_line(ws["A2"].value)
    if title.upper() != f"TATANAN {number}: {name}".upper():
        raise WorkbookError(f"sheet {ws.title!r}: A2 is {title!r}, expected tatanan {number} {name!r}")
    indicators = []
    for position, (row, (no, indikator, definisi, sumber, bukti, skala)) in enumerate(_rows(ws, 6), start=1):
        code = f"T{number}-{position:02d}"
        where = f"sheet {ws.title!r} row {row} ({code})"
        if no is None or int(no) != position:
            raise WorkbookError(f"{where}: NO is {no!r}, expected {position}")
        data_source = block(sumber)
        indicators.append(
            {
                "code": code,
                "tatanan": number,
                "number": position,
                "name": one_line(indikator),
                "operational_definition": block(definisi),
                "data_source": data_source,
                "required_evidence": block(bukti),
                "responsible_opd_kinds": tatanan_opd_kinds(code, data_source, one_line(indikator)),
                "scale": [{"value": v, "description": d} for v, d in scale_options(skala, where)],
            }
        )
    if len(indicators) != expected:
        raise WorkbookError(f"sheet {ws.title!r}: {len(indicators)} indicators, expected {expected}")
    return indicators


def read_kelembagaan(ws) -> list[dict]:
    _check_header(ws, KELEMBAGAAN_COLUMNS)
    indicators = []
    component = ""
    for number, (row, (_no, komponen, indikator, definisi, sumber, bukti, skala)) in enumerate(_rows(ws, 7), start=1):
        component = one_line(komponen) or component  # KOMPONEN is merged over the body's four rows
        code = f"K-{number:02d}"
        where = f"sheet {ws.title!r} row {row} ({code})"
        if component not in BODIES:
            raise WorkbookError(f"{where}: unknown KOMPONEN {component!r}")
        body_kind, count_per = BODIES[component]
        item = one_line(indikator)
        if item not in DOCUMENTS:
            raise WorkbookError(f"{where}: unknown INDIKATOR {item!r}")
        scale = scale_options(skala, where)
        indicators.append(
            {
                "code": code,
                "kind": "kelembagaan",
                "body_kind": body_kind,
                "number": number,
                "name": f"{item} {component}",
                "operational_definition": block(definisi),
                "data_source": block(sumber),
                "required_evidence": block(bukti),
                "responsible_opd_kinds": ["bappeda"] if body_kind == "tim_pembina" else [],
                "rules": kelembagaan_rules(
                    where=where, document=DOCUMENTS[item], count_per=count_per, evidence=bukti or "", scale=scale
                ),
                "scale": [{"value": v, "description": d} for v, d in scale],
            }
        )
    if len(indicators) != 16:
        raise WorkbookError(f"sheet {ws.title!r}: {len(indicators)} indicators, expected 16")
    return indicators


def build(path: str | Path) -> dict:
    wb = openpyxl.load_workbook(path, read_only=False, data_only=True)
    titles = wb.sheetnames
    if len(titles) != 10 or titles[0] != KELEMBAGAAN_SHEET:
        raise WorkbookError(f"expected the sheet {KELEMBAGAAN_SHEET!r} and nine tatanan sheets, found {titles}")
    indicators = []
    for (number, name, prefix, expected), title in zip(TATANAN, titles[1:], strict=True):
        if not title.startswith(prefix):
            raise WorkbookError(f"sheet {title!r} is not tatanan {number}")
        indicators += read_tatanan(wb[title], number, name, expected)
    indicators += read_kelembagaan(wb[KELEMBAGAAN_SHEET])
    return {
        "code": CODE,
        "name": "Instrumen Penilaian Kabupaten/Kota Sehat Tahun 2025 (revisi 2)",
        "year": 2025,
        "description": (
            "Sembilan tatanan dengan 136 indikator tatanan dan 16 indikator kelembagaan, diambil langsung dari "
            "lembar kerja Kemenkes. Nilai tatanan adalah rata-rata nilai indikatornya (jumlah nilai dibagi jumlah "
            "indikator x 100). Menggantikan kks-2025, yang teks kelembagaannya parafrase dan enam teks skalanya "
            "terpotong."
        ),
        "source": (
            f'Kemenkes, "{WORKBOOK_NAME}" (Instrumen Penilaian Kabupaten/Kota Sehat (KKS) Tahun 2025), '
            f"SHA-256 {hashlib.sha256(Path(path).read_bytes()).hexdigest()}: lembar Kelembagaan dan sembilan lembar "
            "tatanan, teks sesuai aslinya (termasuk salah ketik), spasi dirapikan. Ditambahkan: kode indikator, nama "
            "tatanan, jenis OPD penanggung jawab (OPD Pemda; BPS, Polres/Satlantas dan instansi provinsi hanya "
            "sumber data) dan aturan kelembagaan."
        ),
        "opd_kinds": [{"code": c, "name": n} for c, n in OPD_KINDS],
        "tatanan": [{"number": n, "name": name} for n, name, _p, _c in TATANAN],
        "indicators": indicators,
    }


HEADER = """\
# KKS framework: Instrumen Penilaian Kabupaten/Kota Sehat Tahun 2025, revision 2.
# Format: docs/framework-format.md. Load with:
#   manage.py load_framework tatanan/data/kks-2025-r2.yaml --publish
#
# source: the Kemenkes workbook "Instrumen KKS 2025.xlsx" (shared/reference), all ten sheets read
#   directly with openpyxl; text as published (typos included), whitespace normalised.
# Added here: indicator codes, tatanan names, responsible OPD kinds (Pemda OPD only) and the
#   kelembagaan rules. Replaces kks-2025 (kept for databases that loaded it).
# Generated by tatanan/data/tools/convert_workbook.py; regenerate rather than edit by hand
#   (tatanan/tests/test_workbook.py checks both the content and the bytes).
"""


class _Dumper(yaml.SafeDumper):
    def increase_indent(self, flow=False, indentless=False):
        return super().increase_indent(flow, False)


def _str(dumper, value: str):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def render(path: str | Path) -> str:
    """The framework file's text for the workbook at ``path``."""
    body = yaml.dump(build(path), Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=110)
    return HEADER + body


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("workbook", help=f"path of {WORKBOOK_NAME}")
    args = parser.parse_args(argv)
    try:
        text = render(args.workbook)
    except WorkbookError as error:
        sys.stderr.write(f"error: {error}\n")
        return 1
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
