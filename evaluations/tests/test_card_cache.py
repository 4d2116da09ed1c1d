"""Issue 11: the fill page's cards come from a cache keyed by a digest of what each card is rendered from
(evaluations/views/card_cache.py, kks/fragments.py). Every kind of change shows at once, including those that
touch no timestamp (an evidence withdrawn, a preview drawn); a cached page equals a freshly rendered one."""

import datetime
import re
from unittest import mock

import pytest
from django.middleware.csrf import _unmask_cipher_token
from django.shortcuts import render
from django.test import RequestFactory
from django.utils import timezone, translation

from evaluations.models import EvidencePreview, PreviewStatus
from evaluations.selectors.fill import responses_for_fill
from evaluations.services.assignments import indicator_assignments_set
from evaluations.services.comments import comment_add
from evaluations.services.evidence import evidence_add, evidence_withdraw
from evaluations.tests import samples
from evaluations.tests.workflow import filled, submitted
from evaluations.views import card_cache
from evaluations.views.fill import Card, build_card, card_labels
from kks.fragments import CSRF_PLACEHOLDER

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'(csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]+"')


@pytest.fixture
def tatanan(framework):
    return framework.tatanan.order_by("number").first()


@pytest.fixture
def first(assessment, tatanan):
    return assessment.responses.filter(indicator__tatanan=tatanan).order_by("indicator__sort_order").first()


@pytest.fixture
def rendered(monkeypatch):
    """How many cards were rendered (not read from the cache) since the last reset."""
    count = {"n": 0}
    attach = Card.attach_forms

    def counting(self):
        count["n"] += 1
        attach(self)

    monkeypatch.setattr(Card, "attach_forms", counting)
    return count


def _page(client, assessment, tatanan) -> str:
    html = client.get(f"/penilaian/{assessment.pk}/tatanan/{tatanan.pk}/").content.decode()
    return TOKEN.sub(r'\1"', html)


def _card_html(page: str, response) -> str:
    start = page.index(f'<article class="card mb-3" id="r{response.pk}"')
    return page[start : page.index("</article>", start)]


def test_a_second_view_reads_every_card_from_the_cache_and_is_the_same_page(
    client, coordinator, assessment, tatanan, first, rendered
):
    filled(first, coordinator)
    client.force_login(coordinator)
    cold = _page(client, assessment, tatanan)
    cards = assessment.responses.filter(indicator__tatanan=tatanan).count()
    assert rendered["n"] == cards > 1

    rendered["n"] = 0
    warm = _page(client, assessment, tatanan)
    assert rendered["n"] == 0
    assert warm == cold


def test_the_cached_card_carries_this_requests_csrf_token(client, coordinator, assessment, tatanan):
    client.force_login(coordinator)
    client.get(f"/penilaian/{assessment.pk}/tatanan/{tatanan.pk}/")
    html = client.get(f"/penilaian/{assessment.pk}/tatanan/{tatanan.pk}/").content.decode()
    assert CSRF_PLACEHOLDER not in html
    tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert len(tokens) > 1
    # Masked apart, the same secret: the session's, as every form of a plain render carries.
    assert len({_unmask_cipher_token(token) for token in tokens}) == 1
    assert _unmask_cipher_token(tokens[0]) == client.cookies["csrftoken"].value


def test_a_card_rendered_for_the_cache_equals_one_rendered_with_the_whole_request_context(
    coordinator, assessment, tatanan
):
    """The cached card is rendered without the request (no context processors); it must not need them."""
    request = RequestFactory().get("/")
    request.user = coordinator
    request.htmx = False
    for response in responses_for_fill(assessment=assessment, tatanan=tatanan)[:3]:
        card = build_card(coordinator, response, inline=False)
        card.attach_forms()
        full = render(request, card_cache.CARD_TEMPLATE, {"card": card, "labels": card_labels()}).content.decode()
        cached = str(card_cache.render_cards(request, [card], labels=card_labels())[0])
        assert TOKEN.sub(r'\1"', cached) == TOKEN.sub(r'\1"', full)


def test_each_kind_of_change_shows_at_once(client, coordinator, reviewer, assessment, tatanan, first, opd):
    client.force_login(coordinator)
    before = _card_html(_page(client, assessment, tatanan), first)

    filled(first, coordinator, value=50)  # a saved answer
    now = _card_html(_page(client, assessment, tatanan), first)
    assert now != before
    assert "<strong>50</strong>" in now

    evidence = evidence_add(response=first, uploaded=samples.pdf("notulen.pdf"), actor=coordinator, title="Notulen")
    with_evidence = _card_html(_page(client, assessment, tatanan), first)
    assert "Notulen" in with_evidence

    # A drawn preview touches only the preview row.
    EvidencePreview.objects.update_or_create(version=evidence.current, defaults={"status": PreviewStatus.FAILED})
    assert "Pratinjau tidak tersedia" in _card_html(_page(client, assessment, tatanan), first)

    # Withdrawing sets only withdrawn_at: no timestamp of the response or its counts would tell.
    evidence_withdraw(evidence=evidence, actor=coordinator)
    withdrawn = _card_html(_page(client, assessment, tatanan), first)
    assert "1 bukti ditarik" in withdrawn

    comment_add(response=first, body="Mohon dilengkapi", actor=reviewer)
    assert "Komentar (1)" in _card_html(_page(client, assessment, tatanan), first)

    indicator_assignments_set(assessment=assessment, choices={first.indicator_id: opd}, actor=coordinator)
    assert str(opd) in _card_html(_page(client, assessment, tatanan), first)

    submitted(first, coordinator)
    sent = _card_html(_page(client, assessment, tatanan), first)
    assert "Diajukan" in sent
    assert "Riwayat status (1)" in sent
    assert 'name="action" value="save"' not in sent  # no longer editable


def test_the_indicator_texts_and_the_users_name_are_in_the_key(client, coordinator, assessment, tatanan, first):
    filled(first, coordinator)
    client.force_login(coordinator)
    _page(client, assessment, tatanan)

    first.indicator.name = "Nama indikator yang diperbaiki"  # a draft framework's indicator edited
    first.indicator.save()
    assert "Nama indikator yang diperbaiki" in _card_html(_page(client, assessment, tatanan), first)

    option = first.indicator.scale_options.order_by("value").first()  # a prefetched row of the indicator
    option.description = "Uraian skala yang diperbaiki"
    option.save()
    assert "Uraian skala yang diperbaiki" in _card_html(_page(client, assessment, tatanan), first)

    coordinator.first_name, coordinator.last_name = "Siti", "Rahayu"  # shown as the last editor
    coordinator.save()
    assert "Siti Rahayu" in _card_html(_page(client, assessment, tatanan), first)


def test_each_user_and_window_gets_its_own_card(client, coordinator, reviewer, assessment, tatanan, first):
    client.force_login(coordinator)
    editable = _card_html(_page(client, assessment, tatanan), first)
    assert 'name="action" value="save"' in editable

    client.force_login(reviewer)  # sees the page, fills nothing
    assert 'name="action" value="save"' not in _card_html(_page(client, assessment, tatanan), first)

    # The fill window closes by time alone: nothing in the database changes.
    cycle = assessment.cycle
    client.force_login(coordinator)
    later = cycle.self_assessment_closes + datetime.timedelta(minutes=1)
    clock = mock.Mock(wraps=timezone, now=lambda: later)  # the cycle's clock only: sessions keep theirs
    with mock.patch("evaluations.services.cycles.timezone", clock):
        closed = _card_html(_page(client, assessment, tatanan), first)
    assert 'name="action" value="save"' not in closed


def test_the_language_is_in_the_key(client, coordinator, assessment, tatanan, first):
    client.force_login(coordinator)
    indonesian = _card_html(_page(client, assessment, tatanan), first)
    assert "Bukti dukung" in indonesian
    with translation.override("en"):
        client.cookies["django_language"] = "en"
        english = _card_html(_page(client, assessment, tatanan), first)
    assert "Bukti dukung" not in english
    assert "Evidence" in english


def test_an_invalid_post_is_shown_with_its_errors_and_never_cached(client, coordinator, assessment, tatanan, first):
    client.force_login(coordinator)
    _page(client, assessment, tatanan)
    posted = client.post(
        f"/jawaban/{first.pk}/simpan/",
        {f"r{first.pk}-value": "12345", f"r{first.pk}-version": first.version, "action": "save"},
    )
    assert posted.status_code == 200
    assert "is-invalid" in _card_html(TOKEN.sub(r'\1"', posted.content.decode()), first)
    assert "is-invalid" not in _card_html(_page(client, assessment, tatanan), first)


def test_a_card_whose_data_cannot_be_digested_is_rendered_without_the_cache(
    client, coordinator, assessment, tatanan, first, rendered, monkeypatch
):
    from evaluations.selectors import fill as fill_selectors

    decorate = fill_selectors.decorate

    def odd(response, **kwargs):
        decorate(response, **kwargs)
        if response.pk == first.pk:
            response.odd = object()  # a type the digest does not know
        return response

    monkeypatch.setattr(fill_selectors, "decorate", odd)
    client.force_login(coordinator)
    _page(client, assessment, tatanan)
    rendered["n"] = 0
    html = _page(client, assessment, tatanan)
    assert rendered["n"] == 1  # that card alone, every time
    assert f'id="r{first.pk}"' in html


def test_a_withdrawn_evidence_changes_the_digest_of_its_response(assessment, tatanan, first, coordinator):
    from kks.fragments import state_digest

    evidence = evidence_add(response=first, uploaded=samples.pdf("a.pdf"), actor=coordinator, title="A")
    before = state_digest(responses_for_fill(assessment=assessment, tatanan=tatanan)[0])
    again = state_digest(responses_for_fill(assessment=assessment, tatanan=tatanan)[0])
    evidence_withdraw(evidence=evidence, actor=coordinator)
    after = state_digest(responses_for_fill(assessment=assessment, tatanan=tatanan)[0])
    assert before == again
    assert after != before


def test_the_fill_page_works_without_a_cache(client, coordinator, assessment, tatanan, first, monkeypatch):
    from kks import fragments
    from kks.tests.test_fragments import BrokenCache

    monkeypatch.setattr(fragments, "cache", BrokenCache())
    client.force_login(coordinator)
    page = client.get(f"/penilaian/{assessment.pk}/tatanan/{tatanan.pk}/")
    assert page.status_code == 200
    assert f'id="r{first.pk}"' in page.content.decode()
