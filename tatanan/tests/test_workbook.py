"""The shipped framework against the Kemenkes workbook "Instrumen KKS 2025.xlsx", field by field.

The workbook is read here with openpyxl, independently of the converter: every INDIKATOR,
DEFINISI OPERASIONAL, SUMBER DATA, BUKTI DUKUNG and every scale value and text must equal the
shipped file's, whitespace-normalised. Where the workbook is not on this machine (a fresh clone
elsewhere) those tests are skipped; in CI (``CI`` set) they fail instead. The workbook is looked
for at ``$KKS_WORKBOOK``, then ``../shared/reference`` beside the repository, then
``/work/shared/reference``.
"""

from __future__ import annotations

import copy
import functools
import importlib.util
import os
import re
from pathlib import Path

import openpyxl
import pytest
import yaml
from django.conf import settings

from tatanan.loader import FrameworkFileError, parse_framework
from tatanan.models import FrameworkVersion

from .samples import small_yaml

BASE = Path(settings.BASE_DIR)
SHIPPED = BASE / "tatanan" / "data" / "kks-2025-r2.yaml"
CONVERTER = BASE / "tatanan" / "data" / "tools" / "convert_workbook.py"
WORKBOOK_NAME = "Instrumen KKS 2025.xlsx"
TATANAN_COUNTS = (29, 22, 11, 13, 11, 12, 11, 13, 14)
# A scale option in a SKALA cell: "1. Nilai 100 jika ..." (also "NIlai", "Nilai 50jika", no "jika").
OPTION = re.compile(r"^\s*\d+\s*\.\s*N[iI]lai\s*(\d+)\s*(?:jika)?", re.MULTILINE)
# Agencies that may be named as data sources but are not a regency's OPD, so never a filler.
NON_PEMDA = re.compile(r"\bbps\b|statistik|polres|polri|kepolisian|satlantas|provinsi|kementerian|kemenkes", re.I)


def workbook_path() -> Path | None:
    candidates = [os.environ.get("KKS_WORKBOOK", ""), BASE.parent / "shared" / "reference" / WORKBOOK_NAME]
    candidates.append(Path("/work/shared/reference") / WORKBOOK_NAME)
    for candidate in candidates:
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    return None


@pytest.fixture(scope="module")
def workbook() -> Path:
    path = workbook_path()
    if path is None:
        message = (
            f"the workbook {WORKBOOK_NAME!r} is not here (set KKS_WORKBOOK, or put it in ../shared/reference "
            "beside the repository)"
        )
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture(scope="module")
def shipped() -> dict:
    return yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))


def norm(text) -> str:
    return " ".join(str(text or "").split())


def split_scale(cell) -> list[tuple[int, str]]:
    """(value, text) per option of a SKALA cell; the text runs on to the next option (continuation lines kept)."""
    text = str(cell or "")
    marks = list(OPTION.finditer(text))
    ends = [m.start() for m in marks[1:]] + [len(text)]
    head = norm(text[: marks[0].start()]) if marks else norm(text)
    options = [(int(m.group(1)), norm(text[m.end() : end])) for m, end in zip(marks, ends, strict=True)]
    return [(-1, head), *options] if head else options


@functools.cache
def workbook_indicators(path: Path) -> list[dict]:
    """Every indicator of the workbook with the sheet and row it comes from."""
    wb = openpyxl.load_workbook(path, data_only=True)
    out = []
    for number, ws in enumerate(wb.worksheets[1:], start=1):
        position = 0
        for row in ws.iter_rows(min_row=7, max_col=6):
            if row[0].value is None:
                continue
            position += 1
            b, c, d, e, f = (cell.value for cell in row[1:6])
            out.append(
                {
                    "sheet": ws.title,
                    "row": row[0].row,
                    "code": f"T{number}-{position:02d}",
                    "title": norm(ws["A2"].value),
                    "INDIKATOR": norm(b),
                    "DEFINISI OPERASIONAL": norm(c),
                    "SUMBER DATA": norm(d),
                    "BUKTI DUKUNG": norm(e),
                    "SKALA": split_scale(f),
                }
            )
    ws = wb["Kelembagaan"]
    component, position = "", 0
    for row in ws.iter_rows(min_row=7, max_col=7):
        if row[2].value is None:
            continue
        position += 1
        b, c, d, e, f, g = (cell.value for cell in row[1:7])
        component = norm(b) or component  # KOMPONEN is merged over the four rows of a body
        out.append(
            {
                "sheet": ws.title,
                "row": row[0].row,
                "code": f"K-{position:02d}",
                # The sheet splits the indicator into KOMPONEN (the body) and INDIKATOR (SK, ...).
                "INDIKATOR": norm(f"{c} {component}"),
                "DEFINISI OPERASIONAL": norm(d),
                "SUMBER DATA": norm(e),
                "BUKTI DUKUNG": norm(f),
                "SKALA": split_scale(g),
            }
        )
    return out


FIELDS = {
    "INDIKATOR": "name",
    "DEFINISI OPERASIONAL": "operational_definition",
    "SUMBER DATA": "data_source",
    "BUKTI DUKUNG": "required_evidence",
}


def differences(expected: list[dict], framework: dict) -> list[str]:
    """One line per difference between the workbook rows and the framework file (empty when they agree)."""
    diffs = []
    by_code = {i["code"]: i for i in framework["indicators"]}
    tatanan_names = {t["number"]: t["name"] for t in framework["tatanan"]}
    extra = set(by_code) - {w["code"] for w in expected}
    if extra:
        diffs.append(f"file: indicators not in the workbook: {sorted(extra)}")
    for w in expected:
        where = f"sheet {w['sheet']!r} row {w['row']} ({w['code']})"
        actual = by_code.get(w["code"])
        if actual is None:
            diffs.append(f"{where}: missing from the file")
            continue
        if "title" in w:
            name = f"TATANAN {actual['tatanan']}: {tatanan_names.get(actual['tatanan'], '')}"
            if norm(name).upper() != w["title"].upper():
                diffs.append(f"{where} tatanan: expected {w['title']!r}, actual {name!r}")
        for column, key in FIELDS.items():
            if w[column] != norm(actual.get(key)):
                diffs.append(f"{where} {column}: expected {w[column]!r}, actual {norm(actual.get(key))!r}")
        options = [(o["value"], norm(o["description"])) for o in actual["scale"]]
        for n in range(max(len(options), len(w["SKALA"]))):
            want = w["SKALA"][n] if n < len(w["SKALA"]) else None
            got = options[n] if n < len(options) else None
            if want != got:
                diffs.append(f"{where} SKALA option {n + 1}: expected {want!r}, actual {got!r}")
    return diffs


# --- the workbook comparison ------------------------------------------------------------------------


def test_the_workbook_has_136_tatanan_and_16_kelembagaan_indicators(workbook):
    rows = workbook_indicators(workbook)
    counts = [sum(1 for r in rows if r["code"].startswith(f"T{n}-")) for n in range(1, 10)]
    assert tuple(counts) == TATANAN_COUNTS
    assert sum(1 for r in rows if r["code"].startswith("K-")) == 16


def test_the_shipped_file_matches_the_workbook_field_by_field(workbook, shipped):
    diffs = differences(workbook_indicators(workbook), shipped)
    assert diffs == [], f"{len(diffs)} differences:\n" + "\n".join(diffs)


def test_the_comparison_reports_an_altered_scale_text_with_sheet_row_and_field(workbook, shipped):
    altered = copy.deepcopy(shipped)
    option = next(i for i in altered["indicators"] if i["code"] == "T7-04")["scale"][1]
    option["description"] = option["description"].replace("namun belum terintegrasi", "dan terintegrasi")

    diffs = differences(workbook_indicators(workbook), altered)

    assert len(diffs) == 1
    assert diffs[0].startswith("sheet 'Tatanan 7 Lalin' row 10 (T7-04) SKALA option 2: expected (50, ")
    assert "namun belum terintegrasi" in diffs[0]


def test_the_comparison_reports_a_dropped_continuation_line_and_a_changed_value(workbook, shipped):
    altered = copy.deepcopy(shipped)
    t220 = next(i for i in altered["indicators"] if i["code"] == "T2-20")
    t220["scale"][0]["description"] = "ya, tersedia akses terhadap depo/tempat pengumpulan limbah B3"
    k01 = next(i for i in altered["indicators"] if i["code"] == "K-01")
    k01["scale"][1]["value"] = 50

    diffs = differences(workbook_indicators(workbook), altered)

    assert [d.split(":")[0] for d in diffs] == [
        "sheet 'Tatanan 2 Perkim' row 26 (T2-20) SKALA option 1",
        "sheet 'Kelembagaan' row 7 (K-01) SKALA option 2",
    ]


def test_the_converter_reproduces_the_shipped_file_byte_for_byte(workbook):
    spec = importlib.util.spec_from_file_location("convert_workbook", CONVERTER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)

    assert module.render(workbook) == SHIPPED.read_text(encoding="utf-8")


# --- content checks that need only the shipped file ---------------------------------------------------


def _indicator(shipped, code):
    return next(i for i in shipped["indicators"] if i["code"] == code)


def _scale(shipped, code):
    return {o["value"]: o["description"] for o in _indicator(shipped, code)["scale"]}


def test_the_six_texts_once_cut_short_are_whole(shipped):
    t704 = _scale(shipped, "T7-04")
    assert len({t704[100], t704[50], t704[25]}) == 3
    assert t704[100].endswith("yang sudah tersosialisasi di masyarakat dan terintegrasi")
    assert t704[50].endswith("yang sudah tersosialisasi di masyarakat namun belum terintegrasi")
    assert t704[25].endswith("namun belum tersosialisasi di masyarakat dan terintegrasi")
    assert "atau persentase sekolah/ madrasah yang menyelenggarakan skrining" in _scale(shipped, "T3-10")[50]
    t220 = _scale(shipped, "T2-20")
    assert t220[100].endswith("limbah B3 dan semua berfungsi")
    assert "pengumpulan limbah B3 sebagian berfungsi atau jika ada" in t220[50]


def test_no_agency_outside_the_pemda_is_an_opd_kind(shipped):
    for kind in shipped["opd_kinds"]:
        assert not NON_PEMDA.search(f"{kind['code']} {kind['name']}"), kind


def test_non_pemda_sources_stay_in_the_data_source_text(shipped):
    assert "BPS" in _indicator(shipped, "T2-22")["data_source"]
    assert "Satlantas" in _indicator(shipped, "T7-04")["data_source"]
    assert "ketenagakerjaan di provinsi" in _indicator(shipped, "T5-03")["data_source"]
    assert _indicator(shipped, "T2-22")["responsible_opd_kinds"] == ["bappeda"]
    assert _indicator(shipped, "T8-03")["responsible_opd_kinds"] == ["kesbangpol"]


def test_every_tatanan_indicator_has_a_pemda_filler_and_skdr_goes_to_dinkes(shipped):
    tatanan = [i for i in shipped["indicators"] if i.get("kind", "tatanan") == "tatanan"]
    assert len(tatanan) == 136
    assert [i["code"] for i in tatanan if not i.get("responsible_opd_kinds")] == []
    skdr = [i for i in tatanan if "SKDR" in f"{i['data_source']} {i['required_evidence']} {i['name']}"]
    assert skdr
    assert all("dinkes" in i["responsible_opd_kinds"] for i in skdr)


def test_kelembagaan_items_go_to_the_bodys_secretariat(shipped):
    items = [i for i in shipped["indicators"] if i.get("kind") == "kelembagaan"]
    assert len(items) == 16
    for item in items:
        expected = ["bappeda"] if item["body_kind"] == "tim_pembina" else []  # [] = the forum coordinator
        assert item["responsible_opd_kinds"] == expected, item["code"]


def test_kelembagaan_rules_carry_the_workbook_rules(shipped):
    rules = {i["code"]: i["rules"] for i in shipped["indicators"] if i.get("kind") == "kelembagaan"}
    sk = [rules[c] for c in ("K-01", "K-05", "K-09", "K-13")]
    assert all(r["document"] == "sk" and r["draft_scores"] == 0 for r in sk)
    assert all(r["max_age_years"] == 10 and r["valid_through_year"] == 2024 for r in sk)
    assert [r["signed_by"] for r in sk] == ["Bupati/Walikota", "Bupati/Walikota", "Camat", "Kepala Desa"]
    counted = {c: (r["count_per"], r["short_count_scores"]) for c, r in rules.items() if "count_per" in r}
    assert counted == {
        "K-09": ("kecamatan", 0),
        "K-10": ("kecamatan", 50),
        "K-11": ("kecamatan", 50),
        "K-13": ("desa_kelurahan", 0),
        "K-14": ("desa_kelurahan", 50),
        "K-15": ("desa_kelurahan", 50),
    }
    plans = [r for r in rules.values() if r["document"] in ("rencana_kerja", "anggaran")]
    assert len(plans) == 8
    assert all(r["targets_required"] and r["data_years"] == [2023, 2024] for r in plans)


# --- loading and the rules field -----------------------------------------------------------------------


@pytest.mark.django_db
def test_the_shipped_file_loads_published_with_its_rules(tmp_path):
    from django.core.management import call_command

    call_command("load_framework", str(SHIPPED), "--publish", stdout=open(os.devnull, "w"))  # noqa: SIM115

    framework = FrameworkVersion.objects.get(code="kks-2025-r2")
    assert framework.is_published
    pokja_sk = framework.indicators.get(code="K-13")
    assert pokja_sk.rules["count_per"] == "desa_kelurahan"
    assert pokja_sk.rules["signed_by"] == "Kepala Desa"
    assert framework.indicators.get(code="T1-01").rules == {}


RULES = """    rules:
      document: sk
      draft_scores: 0
      count_per: kecamatan
      short_count_scores: 0
"""
K01 = "    name: SK Forum\n"


def test_a_valid_rules_mapping_is_read():
    spec = parse_framework(small_yaml((K01, K01 + RULES)), source_name="small.yaml")
    rules = next(i for i in spec.indicators if i.code == "K-01").rules
    assert rules == {"document": "sk", "draft_scores": 0, "count_per": "kecamatan", "short_count_scores": 0}


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("document: sk", "document: surat", "indicators[1].rules.document: 'surat' is not one of sk"),
        ("draft_scores: 0", "draft_scores: 50", "indicators[1].rules.draft_scores: 50 is not a value of this"),
        ("count_per: kecamatan", "count_per: rt", "indicators[1].rules.count_per: 'rt' is not one of kecamatan"),
        ("      count_per: kecamatan\n", "", "indicators[1].rules.short_count_scores: needs 'count_per'"),
        ("draft_scores: 0", "draft_score: 0", "indicators[1].rules.draft_score: unknown field"),
        ("draft_scores: 0", "data_years: [2024, 2024]", "indicators[1].rules.data_years: must be a list of distinct"),
        ("draft_scores: 0", "targets_required: ya", "indicators[1].rules.targets_required: must be true or false"),
    ],
)
def test_a_bad_rule_is_refused_naming_the_field(old, new, expected):
    with pytest.raises(FrameworkFileError) as error:
        parse_framework(small_yaml((K01, K01 + RULES.replace(old, new))), source_name="small.yaml")
    assert any(expected in line for line in error.value.errors), error.value.errors


def test_rules_on_a_tatanan_indicator_are_refused():
    text = small_yaml(("    name: Pasar sehat\n", "    name: Pasar sehat\n" + RULES))
    with pytest.raises(FrameworkFileError) as error:
        parse_framework(text, source_name="small.yaml")
    assert any("indicators[0].rules: only kelembagaan indicators carry rules" in e for e in error.value.errors)


def test_the_workbook_is_found_through_kks_workbook_first(tmp_path, monkeypatch):
    copy_path = tmp_path / "instrumen.xlsx"
    copy_path.write_bytes(b"PK")
    monkeypatch.setenv("KKS_WORKBOOK", str(copy_path))
    assert workbook_path() == copy_path
    monkeypatch.setenv("KKS_WORKBOOK", str(tmp_path / "absent.xlsx"))
    assert workbook_path() != tmp_path / "absent.xlsx"
