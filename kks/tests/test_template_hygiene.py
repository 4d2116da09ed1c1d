"""Every project template: no unescaped output, no inline script or handlers, a CSRF token in every POST form."""

import re
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
TEMPLATES = sorted(
    p
    for folder in [ROOT / "templates", *ROOT.glob("*/templates")]
    if ".venv" not in folder.parts
    for p in folder.rglob("*.html")
)
FORM = re.compile(r"<form\b(?P<attrs>[^>]*)>(?P<body>.*?)</form>", re.DOTALL | re.IGNORECASE)
SCRIPT = re.compile(r"<script\b(?P<attrs>[^>]*)>", re.IGNORECASE)
HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
UNESCAPED = re.compile(r"\|\s*safe(seq)?\b|{%\s*autoescape\s+off|\bmark_safe\b")


def _ids():
    return [str(p.relative_to(ROOT)) for p in TEMPLATES]


def test_the_scan_sees_the_templates():
    names = set(_ids())
    assert "templates/base.html" in names
    assert "evaluations/templates/evaluations/fill/_card.html" in names


@pytest.mark.parametrize("path", TEMPLATES, ids=_ids())
def test_template_is_clean(path):
    text = path.read_text(encoding="utf-8")

    assert not UNESCAPED.search(text), "unescaped output"
    for match in SCRIPT.finditer(text):
        assert "src=" in match.group("attrs"), "inline <script> (CSP is script-src 'self')"
    assert not HANDLER.search(text), "inline event handler attribute"
    assert "javascript:" not in text.lower()
    if "/pdf/" not in str(path):  # PDF templates are read by WeasyPrint, never served to a browser
        assert not re.search(r"\sstyle\s*=|<style\b", text, re.IGNORECASE), "inline style (CSP is style-src 'self')"
    for match in FORM.finditer(text):
        if re.search(r"method\s*=\s*[\"']?post", match.group("attrs"), re.IGNORECASE):
            assert "csrf_token" in match.group("body"), f"POST form without csrf_token: {match.group(0)[:120]}"
