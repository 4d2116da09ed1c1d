"""Answers that cannot be edited fold away on the fill page; editable ones stay open."""

import re

import pytest
from django.urls import reverse

from evaluations.tests.workflow import submitted

pytestmark = pytest.mark.django_db


def _card(html: str, pk: int) -> str:
    match = re.search(rf'<article class="card mb-3" id="r{pk}".*?</article>', html, re.S)
    assert match, pk
    return match.group(0)


def test_submitted_answers_fold_and_drafts_stay_open(client, assessment, coordinator):
    first, second = assessment.responses.filter(indicator__tatanan__number=1).order_by("indicator__sort_order")[:2]
    submitted(first, coordinator)
    client.force_login(coordinator)
    url = reverse("evaluations:tatanan-fill", args=[assessment.pk, first.indicator.tatanan_id])
    html = client.get(url).content.decode()

    folded = _card(html, first.pk)
    assert '<details class="answer-details">' in folded
    assert "Rincian jawaban, bukti dukung dan riwayat" in folded

    open_card = _card(html, second.pk)
    assert "answer-details" not in open_card
    assert 'name="action" value="save"' in open_card
