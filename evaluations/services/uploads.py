"""Resumable (tus) upload sessions: where their bytes wait, and removing them once used or abandoned.

The protocol itself is in ``views/tus.py``; the bytes of an unfinished upload live in a private folder
(``KKS_TUS_DIR``, by default ``MEDIA_ROOT/tus``) until a form hands them to the usual checks and services.
An upload nobody finished or used within ``STALE_AFTER`` is removed: at the owner's next upload, and by the
hourly beat task (``upload_sessions_discard_stale``) for those who never come back.
"""

from __future__ import annotations

import contextlib
import datetime
import os
from collections.abc import Iterable

from django.conf import settings
from django.utils import timezone

from evaluations.models import UploadSession
from forums.models import User

STALE_AFTER = datetime.timedelta(days=1)


def upload_dir() -> str:
    """Where unfinished uploads wait: KKS_TUS_DIR, by default a private folder beside the stored files."""
    return getattr(settings, "KKS_TUS_DIR", "") or os.path.join(settings.MEDIA_ROOT, "tus")


def part_path(session: UploadSession) -> str:
    return os.path.join(upload_dir(), f"{session.pk.hex}.part")


def upload_sessions_discard(*, sessions: Iterable[UploadSession]) -> int:
    """Remove finished (or abandoned) uploads and their bytes; returns how many."""
    removed = 0
    for session in sessions:
        handle = getattr(session, "handle", None)
        if handle is not None:
            handle.close()
        with contextlib.suppress(FileNotFoundError):
            os.remove(part_path(session))
        session.delete()
        removed += 1
    return removed


def upload_sessions_discard_stale(*, owner: User | None = None) -> int:
    """Remove the uploads untouched for ``STALE_AFTER`` (of ``owner`` only, when given); returns how many."""
    stale = UploadSession.objects.filter(updated_at__lt=timezone.now() - STALE_AFTER)
    if owner is not None:
        stale = stale.filter(owner=owner)
    return upload_sessions_discard(sessions=list(stale.order_by()))
