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

from django.core.cache import cache
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe

from kks.fragments import Undigestible, keys_for, state_digest

if TYPE_CHECKING:
    from .fill import Card

CARD_TEMPLATE = "evaluations/fill/_card.html"
CSRF_PLACEHOLDER = "kks-csrf-placeholder-7d1f0c"
TIMEOUT = 60 * 60


def card_digest(card: Card, memo: dict[int, str]) -> str | None:
    """The digest of everything ``card`` shows, or None when it must not be cached."""
    if card.has_input:
        return None
    try:
        return state_digest(
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
    except Undigestible:
        return None


def render_cards(request: HttpRequest, cards: Sequence[Card], *, labels: dict[str, str]) -> list[SafeString]:
    """The cards' HTML in order: cached ones read in one round trip, the others rendered and stored."""
    memo: dict[int, str] = {}
    keys = keys_for("fill-card", [card_digest(card, memo) for card in cards])
    found = cache.get_many([key for key in keys if key])
    template = get_template(CARD_TEMPLATE)
    fresh: dict[str, str] = {}
    rendered = []
    for card, key in zip(cards, keys, strict=True):
        html = found.get(key) if key else None
        if html is None:
            card.attach_forms()
            # No request: the card reads only its own context (a test compares it with a full render).
            html = template.render({"card": card, "labels": labels, "csrf_token": CSRF_PLACEHOLDER})
            if key:
                fresh[key] = html
        rendered.append(html)
    if fresh:
        cache.set_many(fresh, TIMEOUT)
    token = get_token(request)
    # The cached HTML was made by the autoescaping card template; only the token is put in.
    return [mark_safe(html.replace(CSRF_PLACEHOLDER, token)) for html in rendered]
