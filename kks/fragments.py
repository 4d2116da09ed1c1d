"""Content-addressed fragment caching: a fragment's key is a digest of the data it is rendered from.

The fill page renders a card per indicator from a response and what was loaded with it (indicator, scale,
evidence and versions, previews, history rows, counts). Keying a card by timestamps would need every write
path (services, admin, API, thumbnail jobs, a withdrawn evidence) to touch the right ``updated_at``; a
digest of the loaded objects themselves needs nothing from the writers: whatever the template can read
without a query is in the key, so a changed row gives a new key and the cached HTML can never be stale.

``state_digest`` walks a model instance's field values, its select_related objects and its prefetched
rows, the attributes the selectors attach (lists, dataclasses) and plain values. Shared objects (the page's
assessment, its cycle) are digested once per page through ``memo``. A value of a type it does not know
raises ``Undigestible``: the caller then renders that fragment without the cache rather than guess.

The key also holds the release (a digest of the templates and the Python source that renders them), the
language and the time zone.
"""

from __future__ import annotations

import dataclasses
import datetime
import decimal
import enum
import functools
import hashlib
import logging
import uuid
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Model, QuerySet
from django.db.models.fields.files import FieldFile
from django.forms import BaseForm
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template.loader import get_template
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

PLAIN = (str, int, float, bool, bytes, decimal.Decimal, datetime.date, datetime.time, datetime.timedelta, uuid.UUID)
EXACT_PLAIN = frozenset({*PLAIN, datetime.datetime, type(None)})
# Source whose change can change a rendered fragment: templates, template tags, models (choices, __str__).
RELEASE_GLOBS = ("templates/**/*.html", "*/templates/**/*.html", "*/templatetags/*.py", "*/models/*.py", "*/models.py")


CSRF_PLACEHOLDER = "kks-csrf-placeholder-7d1f0c"
logger = logging.getLogger(__name__)


class Undigestible(TypeError):
    """A value the digest does not know how to read: the fragment is rendered without the cache."""


def _hash(text: str) -> str:
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def _model_state(obj: Model, memo: dict[int, str]) -> tuple:
    value_of = _value
    state: list[Any] = [obj._meta.label]
    for name, value in obj.__dict__.items():
        if name[0] == "_":
            continue
        if type(value) in EXACT_PLAIN:
            state.append((name, value))
        elif not isinstance(value, BaseForm):
            # (Forms attached for the template, such as an evidence's replace form, come from fixed prefixes.)
            state.append((name, value_of(value, memo)))
    cached = obj._state.fields_cache
    if cached:
        state.extend((name, value_of(value, memo)) for name, value in sorted(cached.items()))
    prefetched = obj.__dict__.get("_prefetched_objects_cache")
    if prefetched:
        state.extend((name, value_of(rows, memo)) for name, rows in sorted(prefetched.items()))
    return tuple(state)


def _value(value: Any, memo: dict[int, str]) -> Any:
    if type(value) in EXACT_PLAIN:
        return value
    if value is None or isinstance(value, PLAIN):
        return value if not isinstance(value, enum.Enum) else (type(value).__name__, value.value)
    if isinstance(value, FieldFile):
        return ("file", value.name)
    if isinstance(value, Model):
        key = id(value)
        if key not in memo:
            # A back reference (an evidence's response) to an object being digested names it instead.
            memo[key] = f"{value._meta.label}#{value.pk}"
            memo[key] = _hash(repr(_model_state(value, memo)))
        return memo[key]
    if isinstance(value, QuerySet):
        if value._result_cache is None:
            raise Undigestible("an unevaluated queryset")
        return tuple(_value(item, memo) for item in value._result_cache)
    if isinstance(value, list | tuple | set | frozenset):
        items = [_value(item, memo) for item in value]
        return tuple(sorted(items, key=repr)) if isinstance(value, set | frozenset) else tuple(items)
    if isinstance(value, dict):
        return tuple(sorted(((repr(k), _value(v, memo)) for k, v in value.items()), key=lambda kv: kv[0]))
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return (type(value).__qualname__, *(_value(getattr(value, f.name), memo) for f in dataclasses.fields(value)))
    raise Undigestible(f"cannot digest a {type(value).__qualname__}")


def state_digest(*values: Any, memo: dict[int, str] | None = None) -> str:
    """A digest of ``values`` and everything loaded with them (see the module's docstring)."""
    return _hash(repr(tuple(_value(value, {} if memo is None else memo) for value in values)))


def release_files() -> list[Path]:
    base = Path(settings.BASE_DIR)
    return sorted({path for pattern in RELEASE_GLOBS for path in base.glob(pattern) if ".venv" not in path.parts})


def digest_or_none(*values: Any, memo: dict[int, str] | None = None) -> str | None:
    """``state_digest`` of ``values``, or None (render without the cache) when something in them is undigestible."""
    try:
        return state_digest(*values, memo=memo)
    except Undigestible:
        return None


@functools.cache
def release_digest() -> str:
    """A digest of the source that renders fragments, read once per process (a deploy gives a new one)."""
    base = Path(settings.BASE_DIR)
    digest = hashlib.blake2b(digest_size=16)
    for path in release_files():
        digest.update(str(path.relative_to(base)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def fragment_key(kind: str, digest: str) -> str:
    """The cache key of a fragment: its kind, the release, language and time zone, and the data's digest."""
    context = f"{release_digest()}:{translation.get_language()}:{timezone.get_current_timezone_name()}"
    return f"fragment:{kind}:{_hash(context)}:{digest}"


def keys_for(kind: str, digests: Iterable[str | None]) -> list[str | None]:
    return [None if digest is None else fragment_key(kind, digest) for digest in digests]


def render_cached(
    request: HttpRequest,
    template_name: str,
    items: Sequence[tuple[dict[str, Any], str | None]],
    *,
    kind: str,
    timeout: int,
    prepare: Callable[[int], None] | None = None,
    with_request: bool = False,
) -> list[SafeString]:
    """Each (context, digest) of ``items`` rendered with ``template_name``, in order: the cached ones read in one
    round trip, the others (and those without a digest) rendered and stored. Without a working cache, all are
    rendered. ``prepare(i)`` runs before item i
    is rendered (to build what only rendering needs).

    The template is rendered without the request, so it reads only its own context (``with_request`` for one
    that needs it, such as ``{% querystring %}``: the digest must then cover what it reads of the request); its
    CSRF token is a placeholder that is replaced by the request's token, so no token is ever cached."""
    keys = keys_for(kind, [digest for _context, digest in items])
    try:
        found = cache.get_many([key for key in keys if key])
    except Exception:  # the cache is down: the page is rendered, only slower (as kks.ratelimit does)
        logger.warning("fragments %s not read: cache unavailable", kind, exc_info=True)
        found, keys = {}, [None] * len(items)
    template = get_template(template_name)
    fresh: dict[str, str] = {}
    rendered = []
    for index, ((context, _digest), key) in enumerate(zip(items, keys, strict=True)):
        html = found.get(key) if key else None
        if html is None:
            if prepare is not None:
                prepare(index)
            html = template.render({**context, "csrf_token": CSRF_PLACEHOLDER}, request if with_request else None)
            if key:
                fresh[key] = html
        rendered.append(html)
    if fresh:
        try:
            cache.set_many(fresh, timeout)
        except Exception:  # not stored: rendered again next time
            logger.warning("fragments %s not stored: cache unavailable", kind, exc_info=True)
    token = get_token(request)
    # The HTML was made by an autoescaping template; only the token is put in.
    return [mark_safe(html.replace(CSRF_PLACEHOLDER, token)) for html in rendered]
