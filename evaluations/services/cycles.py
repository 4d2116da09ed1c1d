"""Cycle windows: when filling and each level of verification are allowed.

Each cycle has three windows: self-assessment (the regency fills, the health
office reviews), provincial verification and national verification. An admin
can reopen everything until ``reopened_until``. After a response is sent back,
the regency has ``response_window_hours`` to fix it (``Response.revision_due``).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from evaluations.models import Cycle, Response, ResponseStatus, Stage
from forums.models import User
from forums.permissions import can_manage_cycle
from kks.audit import recorded_by

from .errors import WindowClosed

SELF_ASSESSMENT = "self_assessment"
PROVINCIAL = "provincial"
NATIONAL = "national"

WINDOW_LABELS = {
    SELF_ASSESSMENT: gettext_lazy("Penilaian mandiri"),
    PROVINCIAL: gettext_lazy("Verifikasi provinsi"),
    NATIONAL: gettext_lazy("Verifikasi pusat"),
}
# The window in which reviewers of each stage decide.
REVIEW_WINDOW = {Stage.KABUPATEN: SELF_ASSESSMENT, Stage.PROVINSI: PROVINCIAL, Stage.PUSAT: NATIONAL}


@dataclass(frozen=True)
class WindowState:
    key: str
    label: str
    opens: datetime.datetime
    closes: datetime.datetime
    is_open: bool


def _bounds(cycle: Cycle, window: str) -> tuple[datetime.datetime, datetime.datetime]:
    return getattr(cycle, f"{window}_opens"), getattr(cycle, f"{window}_closes")


def _fmt(moment: datetime.datetime) -> str:
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def is_reopened(cycle: Cycle, *, now: datetime.datetime | None = None) -> bool:
    now = now or timezone.now()
    return cycle.reopened_until is not None and now <= cycle.reopened_until


def window_is_open(cycle: Cycle, window: str, *, now: datetime.datetime | None = None) -> bool:
    """Whether ``window`` is open now, or everything was reopened by an admin."""
    now = now or timezone.now()
    opens, closes = _bounds(cycle, window)
    return opens <= now <= closes or is_reopened(cycle, now=now)


def window_states(cycle: Cycle, *, now: datetime.datetime | None = None) -> list[WindowState]:
    now = now or timezone.now()
    return [
        WindowState(key, str(label), *_bounds(cycle, key), window_is_open(cycle, key, now=now))
        for key, label in WINDOW_LABELS.items()
    ]


def require_window(cycle: Cycle, window: str, *, now: datetime.datetime | None = None) -> None:
    """Raise WindowClosed with a message naming the window and its dates."""
    now = now or timezone.now()
    if window_is_open(cycle, window, now=now):
        return
    opens, closes = _bounds(cycle, window)
    params = {"window": WINDOW_LABELS[window], "opens": _fmt(opens), "closes": _fmt(closes)}
    if now < opens:
        message = _("Masa %(window)s belum dibuka (dibuka %(opens)s).") % params
    else:
        message = _("Masa %(window)s sudah ditutup pada %(closes)s. Hubungi admin untuk membuka kembali.") % params
    raise WindowClosed(message)


def fill_window_open(response: Response, *, now: datetime.datetime | None = None) -> bool:
    """Whether the regency may still change this response now (ignores status and role)."""
    try:
        require_fill_window(response, now=now)
    except WindowClosed:
        return False
    return True


def require_fill_window(response: Response, *, now: datetime.datetime | None = None) -> None:
    """Drafts follow the self-assessment window; a sent-back response its revision deadline.

    At the kabupaten stage a sent-back response may also be fixed while the
    self-assessment window is still open, since that is the regency's own period.
    """
    now = now or timezone.now()
    cycle = response.assessment.cycle
    if response.status != ResponseStatus.REVISION_REQUESTED:
        require_window(cycle, SELF_ASSESSMENT, now=now)
        return
    if response.revision_due is None or now <= response.revision_due or is_reopened(cycle, now=now):
        return
    if response.stage == Stage.KABUPATEN and window_is_open(cycle, SELF_ASSESSMENT, now=now):
        return
    raise WindowClosed(
        _("Batas perbaikan sudah lewat (%(due)s). Hubungi admin untuk membuka kembali.")
        % {"due": _fmt(response.revision_due)}
    )


def review_window_open(response: Response, *, now: datetime.datetime | None = None) -> bool:
    return window_is_open(response.assessment.cycle, REVIEW_WINDOW[Stage(response.stage)], now=now)


def require_review_window(response: Response, *, now: datetime.datetime | None = None) -> None:
    require_window(response.assessment.cycle, REVIEW_WINDOW[Stage(response.stage)], now=now)


def revision_deadline(cycle: Cycle, *, now: datetime.datetime | None = None) -> datetime.datetime:
    now = now or timezone.now()
    return now + datetime.timedelta(hours=cycle.response_window_hours)


@transaction.atomic
def cycle_reopen(*, cycle: Cycle, until: datetime.datetime | None, actor: User) -> Cycle:
    """Reopen filling and every verification until ``until`` (None ends the reopening)."""
    if not can_manage_cycle(actor):
        raise PermissionDenied
    cycle.reopened_until = until
    recorded_by(cycle, actor).save(update_fields=["reopened_until"])
    return cycle
