"""Reminders before a fill or fix deadline, and the daily digest of what waits (run by Celery beat).

A reminder goes to exactly the people who have open items before a deadline: the fillers (from the
policy's ``fillers_for_response``) of the draft responses of a cycle before its self-assessment
closes, and of the sent-back responses before their revision deadline. It goes ``KKS_REMINDER_DAYS``
(3 and 1) days before; each is recorded (``SentReminder``: recipient, kind, deadline, days before),
so running the task again, or twice at once, never sends it twice. A deadline first seen one day
ahead gets only the one-day reminder.

The digest goes once a day to each OPD officer with open or sent-back work and to each reviewer
with items waiting in their queue: counts and a link.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import cast

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from evaluations.models import Cycle, ReminderKind, Response, ResponseStatus, SentReminder, Stage
from evaluations.selectors.mine import work_of
from evaluations.selectors.queue import waiting_for
from forums.models import Role, User
from forums.permissions import fillers_for_response

from .notifications import DIGEST, REMINDER, Compose, deliver, fill_url, when

REVIEWER_ROLES = (Role.HEALTH_REVIEWER, Role.PROVINCIAL_OFFICIAL, Role.NATIONAL_VERIFIER)


def reminder_days() -> list[int]:
    return sorted({int(d) for d in settings.KKS_REMINDER_DAYS if int(d) > 0}, reverse=True)


def reminder_due(deadline: datetime.datetime, now: datetime.datetime, days: Sequence[int]) -> int | None:
    """The reminder due now for ``deadline``: the fewest days before it whose moment has come (None: none, or past)."""
    if deadline <= now:
        return None
    reached = [d for d in days if deadline - datetime.timedelta(days=d) <= now]
    return min(reached) if reached else None


def fill_deadline(cycle: Cycle) -> datetime.datetime:
    """When drafts can no longer be submitted: the self-assessment close, or a later reopening."""
    if cycle.reopened_until and cycle.reopened_until > cycle.self_assessment_closes:
        return cycle.reopened_until
    return cycle.self_assessment_closes


@dataclass
class _Open:
    """One recipient's open items before one deadline."""

    user: User
    deadline: datetime.datetime
    days: int
    responses: list[Response] = field(default_factory=list)


class _Fillers:
    """``fillers_for_response``, asked once per regency and set of responsible OPD kinds (all it depends on)."""

    def __init__(self) -> None:
        self._cache: dict[tuple[int, frozenset[int]], list[User]] = {}

    def __call__(self, response: Response) -> list[User]:
        kinds = frozenset(k.pk for k in response.indicator.responsible_opd_kinds.all())
        key = (response.assessment.regency_id, kinds)
        if key not in self._cache:
            self._cache[key] = list(fillers_for_response(response))
        return self._cache[key]


def _collect(
    responses: Iterable[Response],
    deadline_of: Callable[[Response], datetime.datetime],
    *,
    now: datetime.datetime,
    days: Callable[[Response], Sequence[int]],
) -> list[_Open]:
    fillers = _Fillers()
    found: dict[tuple[int, datetime.datetime], _Open] = {}
    for response in responses:
        deadline = deadline_of(response)
        offset = reminder_due(deadline, now, days(response))
        if offset is None:
            continue
        for user in fillers(response):
            item = found.setdefault((user.pk, deadline), _Open(user=user, deadline=deadline, days=offset))
            item.responses.append(response)
    return list(found.values())


def _once(
    *, user: User, kind: str, deadline: datetime.datetime, days_before: int, verb: str, compose: Compose, url: str
) -> int:
    """Send and record this reminder in one transaction, unless an earlier or a concurrent run sent it.

    A concurrent run's insert waits on the unique constraint until this one commits, then fails and sends nothing.
    """
    with transaction.atomic():
        try:
            with transaction.atomic():
                SentReminder.objects.create(recipient=user, kind=kind, deadline=deadline, days_before=days_before)
        except IntegrityError:
            return 0
        return len(deliver([user], verb=verb, compose=compose, url=url))


def _open_responses(condition: Q) -> QuerySet[Response]:
    return (
        Response.objects.filter(condition, assessment__cycle__opened_at__isnull=False)
        .select_related("indicator", "assessment", "assessment__cycle", "assessment__regency")
        .prefetch_related("indicator__responsible_opd_kinds")
        .order_by("assessment__regency__code", "indicator__sort_order", "pk")
    )


def _fill_reminders(now: datetime.datetime, days: Sequence[int]) -> int:
    horizon = now + datetime.timedelta(days=max(days))
    cycles = [
        c
        for c in Cycle.objects.filter(opened_at__isnull=False, self_assessment_opens__lte=now)
        if now < fill_deadline(c) <= horizon
    ]
    if not cycles:
        return 0
    responses = _open_responses(Q(assessment__cycle__in=cycles, stage=Stage.KABUPATEN, status=ResponseStatus.DRAFT))
    sent = 0
    for item in _collect(responses, lambda r: fill_deadline(r.assessment.cycle), now=now, days=lambda r: days):
        count, regency = len(item.responses), item.responses[0].assessment.regency

        def compose(user: User, item: _Open = item, count: int = count, regency: object = regency) -> tuple[str, str]:
            message = ngettext(
                "Pengingat: %(count)d indikator %(regency)s belum diajukan. Batas pengisian: %(due)s.",
                "Pengingat: %(count)d indikator %(regency)s belum diajukan. Batas pengisian: %(due)s.",
                count,
            ) % {"count": count, "regency": regency, "due": when(item.deadline)}
            return _("Pengingat batas pengisian %(due)s") % {"due": when(item.deadline)}, message

        url = reverse("evaluations:my-indicators")
        sent += _once(
            user=item.user,
            kind=ReminderKind.FILL,
            deadline=item.deadline,
            days_before=item.days,
            verb=REMINDER,
            compose=compose,
            url=url,
        )
    return sent


def _revision_due(response: Response) -> datetime.datetime:
    return cast(datetime.datetime, response.revision_due)  # the query asks for revision_due__gt=now


def _fix_days(days: Sequence[int]) -> Callable[[Response], Sequence[int]]:
    """Offsets shorter than the fix window only: the send-back notice itself told a deadline closer than that."""

    def of(response: Response) -> Sequence[int]:
        window = datetime.timedelta(hours=response.assessment.cycle.response_window_hours)
        return [d for d in days if datetime.timedelta(days=d) < window]

    return of


def _fix_reminders(now: datetime.datetime, days: Sequence[int]) -> int:
    horizon = now + datetime.timedelta(days=max(days))
    responses = _open_responses(
        Q(status=ResponseStatus.REVISION_REQUESTED, revision_due__gt=now, revision_due__lte=horizon)
    )
    sent = 0
    for item in _collect(responses, _revision_due, now=now, days=_fix_days(days)):
        first, count = item.responses[0], len(item.responses)

        def compose(user: User, item: _Open = item, first: Response = first, count: int = count) -> tuple[str, str]:
            if count == 1:
                message = _("Pengingat: indikator %(indicator)s menunggu perbaikan Anda. Batas perbaikan: %(due)s.") % {
                    "indicator": f"{first.indicator.code} ({first.assessment.regency})",
                    "due": when(item.deadline),
                }
            else:
                message = ngettext(
                    "Pengingat: %(count)d indikator menunggu perbaikan Anda. Batas perbaikan: %(due)s.",
                    "Pengingat: %(count)d indikator menunggu perbaikan Anda. Batas perbaikan: %(due)s.",
                    count,
                ) % {"count": count, "due": when(item.deadline)}
            return _("Pengingat batas perbaikan %(due)s") % {"due": when(item.deadline)}, message

        url = fill_url(first) if count == 1 else reverse("evaluations:my-indicators")
        sent += _once(
            user=item.user,
            kind=ReminderKind.FIX,
            deadline=item.deadline,
            days_before=item.days,
            verb=REMINDER,
            compose=compose,
            url=url,
        )
    return sent


def reminders_send(*, now: datetime.datetime | None = None) -> int:
    """Send the fill and fix reminders due now; returns how many were sent (none twice)."""
    now = now or timezone.now()
    days = reminder_days()
    if not days:
        return 0
    return _fill_reminders(now, days) + _fix_reminders(now, days)


# --- daily digest --------------------------------------------------------------------


@dataclass(frozen=True)
class FillerDigest:
    open: int  # drafts (empty or filled, not yet submitted) whose fill deadline has not passed
    sent_back: int  # sent back and not yet resubmitted
    next_due: datetime.datetime | None  # nearest fix deadline still ahead

    @property
    def anything(self) -> bool:
        return bool(self.open or self.sent_back)


def filler_digest(*, user: User, now: datetime.datetime) -> FillerDigest:
    """What waits for one filler now, from the same counts as their "Indikator saya" page."""
    open_count = sent_back = 0
    dues: list[datetime.datetime] = []
    for work in work_of(user=user, kelembagaan_label=""):
        totals = work.totals
        if fill_deadline(work.assessment.cycle) > now:
            open_count += totals.empty + totals.draft
        sent_back += totals.sent_back
        dues += [r.revision_due for r in work.sent_back if r.revision_due and r.revision_due > now]
    return FillerDigest(open=open_count, sent_back=sent_back, next_due=min(dues) if dues else None)


def _day_start(now: datetime.datetime) -> datetime.datetime:
    return timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)


def digests_send(*, now: datetime.datetime | None = None) -> int:
    """Today's digest to each OPD officer with open work and each reviewer with a waiting queue (once a day)."""
    now = now or timezone.now()
    day = _day_start(now)
    sent = 0
    officers = User.objects.filter(role=Role.OPD_OFFICER, is_active=True, is_superuser=False).order_by("pk")
    for officer in officers:
        digest = filler_digest(user=officer, now=now)
        if not digest.anything:
            continue

        def compose_filler(user: User, digest: FillerDigest = digest) -> tuple[str, str]:
            message = _(
                "Ringkasan hari ini: %(open)d indikator belum diajukan, %(sent_back)d dikembalikan untuk perbaikan."
            ) % {
                "open": digest.open,
                "sent_back": digest.sent_back,
            }
            if digest.next_due:
                message = f"{message} " + _("Batas perbaikan terdekat: %(due)s.") % {"due": when(digest.next_due)}
            return _("Ringkasan harian KKS"), message

        sent += _once(
            user=officer,
            kind=ReminderKind.DIGEST,
            deadline=day,
            days_before=0,
            verb=DIGEST,
            compose=compose_filler,
            url=reverse("evaluations:my-indicators"),
        )
    reviewers = User.objects.filter(role__in=REVIEWER_ROLES, is_active=True, is_superuser=False).select_related(
        "region"
    )
    for reviewer in reviewers.order_by("pk"):
        waiting = waiting_for(reviewer).count()
        if not waiting:
            continue

        def compose_reviewer(user: User, waiting: int = waiting) -> tuple[str, str]:
            message = ngettext(
                "Ringkasan hari ini: %(count)d indikator menunggu verifikasi Anda.",
                "Ringkasan hari ini: %(count)d indikator menunggu verifikasi Anda.",
                waiting,
            ) % {"count": waiting}
            return _("Ringkasan harian KKS"), message

        sent += _once(
            user=reviewer,
            kind=ReminderKind.DIGEST,
            deadline=day,
            days_before=0,
            verb=DIGEST,
            compose=compose_reviewer,
            url=reverse("evaluations:review-queue"),
        )
    return sent
