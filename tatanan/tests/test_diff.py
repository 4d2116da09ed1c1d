"""The diff of two framework versions: added, removed and changed tatanan and indicators, by code."""

import pytest

from tatanan.diff import framework_diff
from tatanan.loader import parse_framework
from tatanan.selectors import framework_spec
from tatanan.services import framework_load

from .samples import SMALL_YAML, small_yaml

EXTRA_INDICATOR = """\
  - code: T1-02
    tatanan: 1
    number: 2
    name: Pasar bebas rokok
    scale:
      - value: 100
        description: Ya
      - value: 0
        description: Tidak
"""


def _spec(text, name="small.yaml"):
    return parse_framework(text, source_name=name)


def _with_extra(text):
    return text.replace("  - code: K-01\n", EXTRA_INDICATOR + "  - code: K-01\n", 1)


def test_the_same_file_has_no_differences():
    diff = framework_diff(_spec(SMALL_YAML), _spec(SMALL_YAML))
    assert diff.is_empty
    assert diff.indicators.unchanged == 1
    assert diff.kelembagaan.unchanged == 1


def test_an_added_indicator_is_listed_as_added():
    diff = framework_diff(_spec(SMALL_YAML), _spec(_with_extra(SMALL_YAML)))
    assert [i.code for i in diff.indicators.added] == ["T1-02"]
    assert diff.indicators.removed == ()
    assert diff.indicators.changed == ()
    assert diff.kelembagaan.is_empty
    assert not diff.is_empty


def test_a_removed_indicator_is_listed_as_removed():
    diff = framework_diff(_spec(_with_extra(SMALL_YAML)), _spec(SMALL_YAML))
    assert [i.code for i in diff.indicators.removed] == ["T1-02"]
    assert diff.indicators.added == ()


def test_changed_text_names_the_field_with_old_and_new():
    new = small_yaml(("    name: Pasar sehat\n", "    name: Pasar sehat dan bersih\n"))
    diff = framework_diff(_spec(SMALL_YAML), _spec(new))
    (change,) = diff.indicators.changed
    assert change.code == "T1-01"
    assert [(c.field, c.old, c.new) for c in change.changes] == [("name", "Pasar sehat", "Pasar sehat dan bersih")]
    assert change.changes[0].label == "Teks indikator"


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        (
            "    name: Pasar sehat\n",
            "    name: Pasar sehat\n    operational_definition: Jumlah pasar\n",
            "operational_definition",
        ),
        ("    name: Pasar sehat\n", "    name: Pasar sehat\n    data_source: Disperindag\n", "data_source"),
        ("    name: Pasar sehat\n", "    name: Pasar sehat\n    required_evidence: SK\n", "required_evidence"),
        ("    responsible_opd_kinds: [dinkes]\n", "", "responsible_opd_kinds"),
        ("    number: 1\n    name: Pasar sehat", "    number: 3\n    name: Pasar sehat", "number"),
    ],
)
def test_each_indicator_field_is_compared(old, new, field):
    diff = framework_diff(_spec(SMALL_YAML), _spec(small_yaml((old, new))))
    (change,) = diff.indicators.changed
    assert change.fields == (field,)


def test_the_order_of_responsible_opd_kinds_is_no_change():
    two = small_yaml(
        ("    name: Dinas Kesehatan\n", "    name: Dinas Kesehatan\n  - code: dlh\n    name: DLH\n"),
        ("[dinkes]", "[dinkes, dlh]"),
    )
    swapped = two.replace("[dinkes, dlh]", "[dlh, dinkes]")
    assert framework_diff(_spec(two), _spec(swapped)).is_empty


def test_a_changed_scale_text_names_the_value():
    new = small_yaml(("        description: Tidak ada\n", "        description: Belum ada\n"))
    (change,) = framework_diff(_spec(SMALL_YAML), _spec(new)).indicators.changed
    assert [(c.field, c.value, c.old, c.new) for c in change.changes] == [("scale_text", 0, "Tidak ada", "Belum ada")]


def test_added_scale_values_are_listed_with_their_texts():
    new = small_yaml(
        ("        description: Ada\n", "        description: Ada\n      - value: 50\n        description: Sebagian\n")
    )
    (change,) = framework_diff(_spec(SMALL_YAML), _spec(new)).indicators.changed
    fields = [(c.field, c.value, c.old, c.new) for c in change.changes]
    assert fields == [("scale_values", None, "0, 100", "0, 50, 100"), ("scale_text", 50, "", "Sebagian")]


def test_a_changed_tatanan_of_an_indicator_is_reported():
    two_tatanan = small_yaml(("    name: Pasar\n", "    name: Pasar\n  - number: 2\n    name: Sekolah\n"))
    old = _with_extra(two_tatanan).replace("  - code: T1-02\n    tatanan: 1\n", "  - code: T1-02\n    tatanan: 2\n", 1)
    new = old.replace("  - code: T1-02\n    tatanan: 2\n", "  - code: T1-02\n    tatanan: 1\n", 1)
    new = new.replace("  - code: T1-01\n    tatanan: 1\n", "  - code: T1-01\n    tatanan: 2\n", 1)
    changed = framework_diff(_spec(old), _spec(new)).indicators.changed
    assert [(c.code, c.fields) for c in changed] == [("T1-01", ("tatanan",)), ("T1-02", ("tatanan",))]
    assert [(c.changes[0].old, c.changes[0].new) for c in changed] == [("1", "2"), ("2", "1")]


def test_kelembagaan_changes_are_kept_apart():
    new = small_yaml(
        ("    name: SK Forum\n", "    name: SK Forum KKS\n"), ("    body_kind: forum\n", "    body_kind: pokja\n")
    )
    diff = framework_diff(_spec(SMALL_YAML), _spec(new))
    assert diff.indicators.is_empty
    (change,) = diff.kelembagaan.changed
    assert (change.code, change.fields) == ("K-01", ("body_kind", "name"))


def test_an_indicator_moving_to_kelembagaan_is_a_change_of_kind_not_a_removal():
    old = _with_extra(SMALL_YAML)
    new = old.replace(
        "  - code: T1-01\n    tatanan: 1\n    number: 1\n",
        "  - code: T1-01\n    kind: kelembagaan\n    body_kind: fkk\n    number: 2\n",
        1,
    )
    diff = framework_diff(_spec(old), _spec(new))
    assert diff.indicators.removed == ()
    assert diff.kelembagaan.added == ()
    (change,) = diff.kelembagaan.changed
    assert (change.code, change.fields) == ("T1-01", ("kind", "tatanan", "body_kind", "number"))


def test_tatanan_added_removed_and_renamed():
    old = _with_extra(small_yaml(("    name: Pasar\n", "    name: Pasar\n  - number: 2\n    name: Sekolah\n")))
    old = old.replace("  - code: T1-02\n    tatanan: 1\n", "  - code: T1-02\n    tatanan: 2\n", 1)
    new = old.replace("  - number: 2\n    name: Sekolah\n", "  - number: 3\n    name: Pariwisata\n", 1)
    new = new.replace("  - code: T1-02\n    tatanan: 2\n", "  - code: T1-02\n    tatanan: 3\n", 1)
    new = new.replace("    name: Pasar\n", "    name: Pasar rakyat\n", 1)
    diff = framework_diff(_spec(old), _spec(new)).tatanan
    assert [t.number for t in diff.added] == [3]
    assert [t.number for t in diff.removed] == [2]
    assert [(c.new.number, [(f.field, f.old, f.new) for f in c.changes]) for c in diff.changed] == [
        (1, [("name", "Pasar", "Pasar rakyat")])
    ]


@pytest.mark.django_db
def test_a_stored_framework_compares_equal_to_its_file(settings):
    path = settings.BASE_DIR / "tatanan" / "data" / "kks-2025.yaml"
    data = path.read_bytes()
    result = framework_load(data=data, source_name=str(path))
    stored = framework_spec(result.framework)
    diff = framework_diff(stored, result.spec)
    assert diff.is_empty, diff
    assert diff.indicators.unchanged == 136
    assert diff.kelembagaan.unchanged == 16
    assert stored.opd_kinds == tuple(
        k for k in result.spec.opd_kinds if k.code in {c for i in stored.indicators for c in i.responsible_opd_kinds}
    )
