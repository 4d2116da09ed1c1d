"""A broken framework file is refused with messages naming file, line and field, and loads nothing."""

import json

import pytest
import yaml
from django.core.management import CommandError, call_command

from forums.models import OpdKind
from tatanan.loader import FrameworkFileError, parse_framework
from tatanan.models import FrameworkVersion, Indicator, ScaleOption, Tatanan

from .samples import SMALL_YAML, small_yaml

pytestmark = pytest.mark.django_db


def _load(tmp_path, text, name="small.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    call_command("load_framework", str(path))


def _assert_nothing_loaded():
    assert FrameworkVersion.objects.count() == 0
    assert Tatanan.objects.count() == 0
    assert Indicator.objects.count() == 0
    assert ScaleOption.objects.count() == 0
    assert OpdKind.objects.count() == 0


def test_the_sample_itself_is_valid():
    spec = parse_framework(SMALL_YAML, source_name="small.yaml")
    assert (spec.count("tatanan"), spec.count("kelembagaan")) == (1, 1)


@pytest.mark.parametrize(
    ("replacements", "expected"),
    [
        pytest.param(
            [
                (
                    "      - value: 0\n        description: Tidak ada\n",
                    "      - value: 60\n        description: Tidak ada\n",
                )
            ],
            "small.yaml line 19: indicators[0].scale[1].value: 60 is not one of 0, 25, 50, 75, 100",
            id="bad-scale-value",
        ),
        pytest.param(
            [("    name: Pasar sehat\n", "")],
            "small.yaml line 11: indicators[0]: missing required field 'name'",
            id="missing-field",
        ),
        pytest.param(
            [("  - code: K-01", "  - code: T1-01")],
            "small.yaml line 21: indicators[1].code: duplicate indicator code 'T1-01'",
            id="duplicate-code",
        ),
        pytest.param(
            [("    tatanan: 1\n", "    tatanan: 4\n")],
            "small.yaml line 12: indicators[0].tatanan: tatanan 4 is not defined in 'tatanan'",
            id="unknown-tatanan",
        ),
        pytest.param(
            [("[dinkes]", "[dinkes, satpol_pp]")],
            "small.yaml line 15: indicators[0].responsible_opd_kinds[1]: OPD kind 'satpol_pp' is not defined",
            id="unknown-opd-kind",
        ),
        pytest.param(
            [("    name: Pasar sehat\n", "    name: [Pasar sehat\n")],
            "small.yaml line 15: not valid YAML",
            id="malformed-yaml",
        ),
        pytest.param(
            [
                (
                    "        description: Tidak ada SK\n",
                    "        description: Tidak ada SK\n      - value: 0\n        description: Lagi\n",
                )
            ],
            "small.yaml line 31: indicators[1].scale[2].value: value 0 appears twice in this scale",
            id="duplicate-scale-value",
        ),
        pytest.param(
            [("      - value: 0\n        description: Tidak ada SK\n", "")],
            "small.yaml line 26: indicators[1].scale: needs at least 2 options",
            id="single-option-scale",
        ),
        pytest.param(
            [
                (
                    "      - value: 0\n        description: Tidak ada\n",
                    "      - value: 50\n        description: Sebagian\n",
                )
            ],
            "small.yaml line 16: indicators[0].scale: must include the values 0 and 100",
            id="scale-without-zero",
        ),
        pytest.param(
            [("    body_kind: forum\n", "    body_kind: forum\n    tatanan: 1\n")],
            "small.yaml line 24: indicators[1].tatanan: a kelembagaan indicator belongs to no tatanan",
            id="kelembagaan-with-tatanan",
        ),
        pytest.param(
            [("    body_kind: forum\n", "    body_kind: paguyuban\n")],
            "small.yaml line 23: indicators[1].body_kind: 'paguyuban' is not one of",
            id="unknown-body-kind",
        ),
        pytest.param(
            [("    kind: kelembagaan\n", "")],
            "small.yaml line 21: indicators[1]: missing required field 'tatanan'",
            id="tatanan-indicator-without-tatanan",
        ),
        pytest.param(
            [
                (
                    "tatanan:\n  - number: 1\n    name: Pasar\n",
                    "tatanan:\n  - number: 1\n    name: Pasar\n  - number: 1\n    name: Pasar lagi\n",
                )
            ],
            "small.yaml line 10: tatanan[1].number: duplicate tatanan number 1",
            id="duplicate-tatanan-number",
        ),
        pytest.param(
            [("year: 2025", "year: dua ribu")],
            "small.yaml line 3: year: must be a whole number, not text",
            id="year-not-a-number",
        ),
        pytest.param(
            [("    number: 1\n    name: Pasar sehat", "    number: 1\n    nama: Pasar sehat")],
            "small.yaml line 14: indicators[0].nama: unknown field",
            id="unknown-field",
        ),
        pytest.param(
            [("code: uji-kecil\n", "code: uji-kecil\ncode: uji-lain\n")],
            "small.yaml line 2: code: duplicate key",
            id="duplicate-key",
        ),
        pytest.param(
            [
                (
                    "tatanan:\n  - number: 1\n    name: Pasar\n",
                    "tatanan:\n  - number: 1\n    name: Pasar\n  - number: 2\n    name: Kosong\n",
                )
            ],
            "small.yaml line 10: tatanan[1]: tatanan 2 has no indicators",
            id="empty-tatanan",
        ),
    ],
)
def test_broken_yaml_is_refused_naming_line_and_field(tmp_path, replacements, expected):
    with pytest.raises(CommandError) as excinfo:
        _load(tmp_path, small_yaml(*replacements))
    assert expected in str(excinfo.value)
    _assert_nothing_loaded()


def test_every_problem_is_reported_at_once(tmp_path):
    text = small_yaml(("    tatanan: 1\n", "    tatanan: 4\n"), ("[dinkes]", "[polisi]"), ("value: 0\n", "value: 10\n"))
    with pytest.raises(FrameworkFileError) as excinfo:
        parse_framework(text, source_name="small.yaml")
    fields = [e.split(": ")[1] for e in excinfo.value.errors]
    assert "indicators[0].tatanan" in fields
    assert "indicators[0].responsible_opd_kinds[0]" in fields
    assert "indicators[0].scale[1].value" in fields


def test_empty_file_is_refused(tmp_path):
    with pytest.raises(CommandError, match=r"small\.yaml: the file is empty"):
        _load(tmp_path, "")
    _assert_nothing_loaded()


def test_top_level_list_is_refused(tmp_path):
    with pytest.raises(CommandError, match=r"small\.yaml line 1: must be a mapping of fields, not a list"):
        _load(tmp_path, "- code: x\n")


def test_missing_file_is_a_command_error(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("load_framework", str(tmp_path / "nowhere.yaml"))


def test_json_syntax_error_names_the_line(tmp_path):
    with pytest.raises(CommandError, match=r"small\.json line 4: not valid JSON: Expecting value"):
        _load(tmp_path, '{\n  "code": "x",\n  "name": \n}\n', name="small.json")
    _assert_nothing_loaded()


def test_json_validation_error_names_line_and_field(tmp_path):
    data = yaml.safe_load(SMALL_YAML)
    data["indicators"][1]["scale"][1]["value"] = 65
    text = json.dumps(data, indent=2)
    line = next(n for n, row in enumerate(text.splitlines(), start=1) if '"value": 65' in row)
    with pytest.raises(CommandError) as excinfo:
        _load(tmp_path, text, name="small.json")
    assert f"small.json line {line}: indicators[1].scale[1].value: 65 is not one of" in str(excinfo.value)
    _assert_nothing_loaded()


def test_a_valid_json_file_loads(tmp_path):
    _load(tmp_path, json.dumps(yaml.safe_load(SMALL_YAML)), name="small.json")
    assert FrameworkVersion.objects.get().code == "uji-kecil"
    assert Indicator.objects.count() == 2


def test_nested_yaml_aliases_are_refused_quickly():
    levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    levels += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]" for n in range(1, 9)]
    text = "\n".join(levels) + "\n"
    with pytest.raises(FrameworkFileError) as excinfo:
        parse_framework(text, source_name="bomb.yaml")
    assert "bomb.yaml line 7: more than 1,000,000 values once aliases are expanded" in str(excinfo.value)
