"""The fill cards' HTML, cached per card under a digest of what the card is rendered from (kks.fragments).

Rendering the cards was about 70 % of the fill page (issue 11): a tatanan's 29 cards are 29 trips through
the card template, its includes and their translations. A card whose response, evidence, versions,
previews, history rows, flags and links are unchanged renders the same HTML, so it is read from the cache;
a change to any of them gives a new digest and the card is rendered afresh.

Not cached: a card with a bound form (it shows the user's input and its errors). The CSRF token is not in
the cached HTML: the card is rendered with a placeholder that is replaced by the request's token.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.http import HttpRequest
from django.utils.safestring import SafeString

from kks.fragments import digest_or_none, render_cached

if TYPE_CHECKING:
    from .fill import Card

CARD_TEMPLATE = "evaluations/fill/_card.html"
TIMEOUT = 60 * 60


def card_digest(card: Card, memo: dict[int, str]) -> str | None:
    """The digest of everything ``card`` shows, or None when it must not be cached."""
    if card.has_input:
        return None
    return digest_or_none(
        card.response,
        card.can_fill,
        card.editable,
        card.closed_message,
        card.can_comment,
        card.notice,
        card.errors,
        card.inline,
        card.urls,
        memo=memo,
    )


def render_cards(request: HttpRequest, cards: Sequence[Card], *, labels: dict[str, str]) -> list[SafeString]:
    """The cards' HTML in order: cached ones read in one round trip, the others rendered and stored."""
    memo: dict[int, str] = {}
    items = [({"card": card, "labels": labels}, card_digest(card, memo)) for card in cards]
    return render_cached(
        request,
        CARD_TEMPLATE,
        items,
        kind="fill-card",
        timeout=TIMEOUT,
        prepare=lambda index: cards[index].attach_forms(),
    )
