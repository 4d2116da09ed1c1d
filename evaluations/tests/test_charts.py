"""Server-side SVG charts."""

import xml.etree.ElementTree as ET
from decimal import Decimal

from evaluations import charts

SVG = "{http://www.w3.org/2000/svg}"


def _chart(**kwargs):
    defaults = {
        "title": "Nilai per tatanan",
        "labels": ["1. Kehidupan Masyarakat Sehat Mandiri", "2. Pasar"],
        "series": [charts.Series("Mandiri", [Decimal("83.33"), Decimal(50)]), charts.Series("Provinsi", [None, 25])],
        "thresholds": charts.level_thresholds(),
    }
    return ET.fromstring(str(charts.bar_chart(**{**defaults, **kwargs})))  # noqa: S314 - our own markup


def test_chart_is_well_formed_accessible_svg():
    root = _chart()
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("aria-label") == "Nilai per tatanan"
    assert root.find(f"{SVG}title").text == "Nilai per tatanan"


def test_bar_widths_are_proportional_to_the_values():
    root = _chart(width=500)
    bars = [r for r in root.iter(f"{SVG}rect") if r.find(f"{SVG}title") is not None]
    widths = {r.find(f"{SVG}title").text: int(r.get("width")) for r in bars}
    plot = 500 - charts.LABEL_WIDTH - charts.VALUE_WIDTH
    assert widths["Mandiri: 83,33"] == int(Decimal("83.33") * plot / 100)
    assert widths["Mandiri: 50"] == plot // 2
    assert widths["Provinsi: —"] == 0  # no value yet
    assert widths["Provinsi: 25"] == plot // 4


def test_threshold_lines_and_legend_are_drawn():
    text = " ".join(t.text or "" for t in _chart().iter(f"{SVG}text"))
    for label in ("Padapa 71", "Wiwerda 81", "Wistara 91", "Mandiri", "Provinsi"):
        assert label in text


def test_labels_are_escaped_and_shortened():
    root = _chart(labels=['<script>alert("x")</script> ' + "panjang " * 10, "B"])
    label = next(t for t in root.iter(f"{SVG}text") if t.find(f"{SVG}title") is not None)
    assert label.find(f"{SVG}title").text.startswith('<script>alert("x")</script>')  # parsed back as text
    visible = label.find(f"{SVG}title").tail
    assert visible.endswith("…")
    assert len(visible) == charts.LABEL_CHARS
    assert not any(el.tag.endswith("script") for el in root.iter())


def test_numbers_follow_the_locale_like_the_tables():
    from django.utils import translation

    with translation.override("id"):
        assert charts._number(Decimal("17.91")) == "17,91"
        assert charts._number(Decimal("100.00")) == "100"
        assert charts._number(Decimal("70.50")) == "70,5"
    with translation.override("en"):
        assert charts._number(Decimal("17.91")) == "17.91"
    assert charts._number(None) == "—"
