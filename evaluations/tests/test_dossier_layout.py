"""Issue 11: the dossier's layout is cheap for WeasyPrint. The summary tables use a fixed layout whose widths
come from the header cells (WeasyPrint then skips measuring every cell), the widths of each adding up to the
whole; each indicator's files are a list of blocks, not a table; thumbnails sit in a row of inline blocks,
not a flex box, and only where there is one. ``fixed_tables=False`` still renders the layout from before."""

import re
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string

PDF = Path(settings.BASE_DIR) / "evaluations" / "templates" / "evaluations" / "pdf"


def test_the_summary_table_has_widths_for_all_its_columns_summing_to_100_percent():
    css = (PDF / "_style.css").read_text()
    widths = {f"w{n}": int(pct) for n, pct in re.findall(r"th\.w(\d+) \{ width: (\d+)%; \}", css)}
    assert "table.fixed { table-layout: fixed; }" in css
    html = render_to_string("evaluations/pdf/_indicator_table.html", {"items": [], "fixed_tables": True})
    header = re.search(r"<thead><tr>(.*?)</tr></thead>", html, re.S).group(1)
    cells = re.findall(r'<th scope="col" class="([^"]*)"', header)
    assert len(cells) == header.count("<th ") == 8
    assert sum(widths[c] for cls in cells for c in cls.split() if c in widths) == 100
    assert '<table class="fixed">' in html
    assert "<col" not in html  # no <col> elements to style and lay out

    legacy = render_to_string("evaluations/pdf/_indicator_table.html", {"items": [], "fixed_tables": False})
    assert "<table>" in legacy
    assert "w38" not in legacy


def test_the_files_of_an_indicator_are_blocks_and_thumbnails_inline(coordinator, assessment):
    from evaluations.selectors.dossier import dossier_data
    from evaluations.services.evidence import evidence_add
    from evaluations.tests import samples

    response = assessment.responses.filter(indicator__kind="tatanan").order_by("indicator__sort_order").first()
    evidence_add(response=response, uploaded=samples.pdf("sk.pdf"), actor=coordinator)
    evidence_add(response=response, uploaded=samples.upload("foto.png", samples.png_bytes()), actor=coordinator)
    data = dossier_data(assessment.pk)
    item = next(i for s in data.sections for i in s.items if i.response.pk == response.pk)
    photo = next(e for e in item.evidence if e.is_image)
    photo.thumbnail = "data:image/jpeg;base64,AAAA"
    context = {"item": item, "cycle": assessment.cycle}

    lean = render_to_string("evaluations/pdf/_indicator_detail.html", {**context, "fixed_tables": True})
    assert "<table" not in lean
    assert lean.count("<li>") == 2
    assert lean.count("SHA-256:") == 2
    assert lean.count('<div class="thumb-row">') == 1
    assert lean.count("<figure>") == 1
    assert "flex" not in (PDF / "_style.css").read_text().split(".thumb-row {")[1].split("}")[0]

    photo.thumbnail = None
    assert "thumb-row" not in render_to_string(
        "evaluations/pdf/_indicator_detail.html", {**context, "fixed_tables": True}
    )

    legacy = render_to_string("evaluations/pdf/_indicator_detail.html", {**context, "fixed_tables": False})
    assert legacy.count("<table>") == 1
    assert legacy.count('<tr><td colspan="6">SHA-256:') == 2
    assert '<div class="thumbs">' in legacy
