"""The readiness PDF draws every regency in its chart, however many: the chart is cut into page-sized parts.

Text drawn below the page's bottom margin (where a too-tall SVG used to run, under the
"Halaman X dari Y" footer and off the page) is still in the PDF's content stream, so the
test reads each text fragment's position and counts only what lies inside the printed area.
"""

import html
import io
import re
import shutil
import subprocess

import pytest
from pypdf import PdfReader

from evaluations.selectors.readiness import province_readiness
from evaluations.services.reports import CHART_ROWS_PER_PAGE, readiness_charts, render_readiness_pdf
from forums.tests.factories import RegencyFactory

pytestmark = pytest.mark.django_db

REGENCIES = 38  # Jawa Timur
BOTTOM_MARGIN_PT = 20 / 25.4 * 72  # @page margin-bottom: 20mm (the footer lives there)
WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>')
PAGE = re.compile(r'<page width="[\d.]+" height="([\d.]+)">(.*?)</page>', re.S)


def _printed_lines(pdf: bytes, first_page: int) -> list[str]:
    """Lines of words (poppler's positions) that lie above the bottom margin, from ``first_page`` (1-based) on."""
    layout = subprocess.run(  # noqa: S603 - fixed arguments
        [shutil.which("pdftotext") or "/usr/bin/pdftotext", "-bbox", "-f", str(first_page), "-", "-"],
        input=pdf,
        capture_output=True,
        check=True,
    ).stdout.decode()
    lines: dict[tuple[int, float], list[tuple[float, str]]] = {}
    for n, (height, body) in enumerate(PAGE.findall(layout)):
        for x, y_min, y_max, word in WORD.findall(body):
            if float(y_max) <= float(height) - BOTTOM_MARGIN_PT:
                lines.setdefault((n, round(float(y_min))), []).append((float(x), html.unescape(word)))
    return [" ".join(w for _, w in sorted(words)) for _, words in sorted(lines.items())]


@pytest.fixture
def big_province(assessment):
    province = assessment.regency.parent
    for n in range(2, REGENCIES + 1):
        RegencyFactory(code=f"{province.code}.{n + 10:02d}", name=f"Kabupaten Uji Nomor {n:02d}", parent=province)
    return province


def test_every_regency_is_in_the_text_of_the_chart_pages(big_province, assessment):
    pdf = render_readiness_pdf(cycle=assessment.cycle, province=big_province)
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]
    first_chart = next(i for i, text in enumerate(pages) if "Grafik skor" in text)
    chart_text = "\n".join(_printed_lines(pdf, first_chart + 1))
    names = [assessment.regency.name] + [f"Kabupaten Uji Nomor {n:02d}" for n in range(2, REGENCIES + 1)]

    missing = [name for name in names if name not in chart_text]
    assert missing == []
    assert f"Halaman {len(pages)} dari {len(pages)}" in pages[-1]


def test_the_chart_is_cut_into_parts_that_fit_a_page(big_province, assessment):
    table = province_readiness(province=big_province, cycle=assessment.cycle)
    parts = readiness_charts(table)
    assert len(parts) == -(-REGENCIES // CHART_ROWS_PER_PAGE)
    assert "(1/2)" in str(parts[0])
    assert "(2/2)" in str(parts[1])
    assert len(readiness_charts(table, rows_per_chart=None)) == 1
