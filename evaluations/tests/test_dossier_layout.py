"""Issue 11: the dossier's repeated tables use a fixed layout from explicit column widths (WeasyPrint then
skips measuring every cell for automatic widths); the widths of each table add up to the whole."""

import re
from pathlib import Path

from django.conf import settings

PDF = Path(settings.BASE_DIR) / "evaluations" / "templates" / "evaluations" / "pdf"


def test_every_fixed_table_has_widths_for_all_its_columns_summing_to_100_percent():
    css = (PDF / "_style.css").read_text()
    widths = {f"w{n}": int(pct) for n, pct in re.findall(r"col\.w(\d+) \{ width: (\d+)%; \}", css)}
    assert "table.fixed { table-layout: fixed; }" in css
    for name in ("_indicator_table.html", "_indicator_detail.html"):
        html = (PDF / name).read_text()
        assert '{% if fixed_tables %} class="fixed"{% endif %}' in html
        (group,) = re.findall(r"<colgroup>(.*?)</colgroup>", html)
        cols = re.findall(r'<col class="(w\d+)">', group)
        header = re.search(r"<thead><tr>(.*?)</tr></thead>", html, re.S).group(1)
        assert len(cols) == header.count("<th ")
        assert sum(widths[c] for c in cols) == 100
