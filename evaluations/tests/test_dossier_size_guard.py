"""The dossier guards its own size: a text stored over its limit is cut with a note, not a failed render."""

import io
import re
import time

import pytest
from pypdf import PdfReader

from evaluations.models import Assessment, Response
from evaluations.selectors.dossier import TextBudget, dossier_data
from evaluations.services.reports import render_dossier_pdf
from kks import textlimits

pytestmark = pytest.mark.django_db

NOTE = "dipotong, teks lengkap"


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_the_budget_cuts_each_text_at_its_limit_and_all_texts_at_the_total():
    budget = TextBudget(total=25)
    short = budget.clip("pendek", 10)
    assert (short.text, short.cut) == ("pendek", False)
    long = budget.clip("x" * 50, 10)
    assert (long.text, long.cut, long.length) == ("x" * 10, True, 50)
    rest = budget.clip("y" * 20, 100)  # 9 characters of the total are left
    assert (rest.text, rest.cut) == ("y" * 9, True)
    spent = budget.clip("z", 100)
    assert (spent.text, spent.cut) == ("", True)
    assert bool(spent)  # still printed: the note says it was cut
    assert not budget.clip("", 100)


def test_a_response_stored_over_the_limit_renders_cut_with_a_note(assessment):
    first = Response.objects.filter(assessment=assessment).order_by("indicator__sort_order").first()
    # Past the services and validation, as rows from before the limits or a raw write would be.
    Response.objects.filter(pk=first.pk).update(explanation="PENJELASAN " * 20_000, achievement="C" * 100_000)
    Assessment.objects.filter(pk=assessment.pk).update(narrative="NARASI " * 5_000)

    data = dossier_data(assessment.pk)
    item = next(i for s in data.sections for i in s.items if i.response.pk == first.pk)
    assert item.texts["explanation"].cut
    assert len(item.texts["explanation"].text) <= textlimits.EXPLANATION
    assert len(item.texts["achievement"].text) == textlimits.ACHIEVEMENT
    assert data.narrative.cut

    started = time.monotonic()
    text = pdf_text(render_dossier_pdf(assessment.pk))
    elapsed = time.monotonic() - started
    squashed = re.sub(r"\s+", " ", text)
    assert squashed.count(NOTE) >= 3  # narrative, achievement, explanation
    assert "220.000 karakter" in squashed or "220,000 karakter" in squashed
    assert elapsed < 60
