"""Notifications: an in-app inbox entry plus an e-mail sent once the transaction commits.

Three events: a response was sent back (to the regency's coordinator and the
responsible OPD officers), accepted (to the same people), or waits for review
(to the reviewers of its stage). The acting user is never notified of their
own action. Reminders and daily digests (``services/reminders.py``) go out the same way.

Every entry and e-mail is written in its recipient's language (``User.language``):
the texts are composed once per recipient inside ``translation.override``.
"""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from evaluations.models import Notification, Response
from forums.models import User
from forums.permissions import fillers_for_response, reviewers_for_stage

logger = logging.getLogger(__name__)

SENT_BACK = "sent_back"
ACCEPTED = "accepted"
WAITING = "waiting_review"
REMINDER = "reminder"
DIGEST = "digest"

# (subject, message) for one recipient, composed while their language is active.
Compose = Callable[[User], tuple[str, str]]


def fill_url(response: Response) -> str:
    """The fill page of the response's tatanan (or kelembagaan), anchored at its card."""
    indicator = response.indicator
    if indicator.tatanan_id:
        url = reverse("evaluations:tatanan-fill", args=[response.assessment_id, indicator.tatanan_id])
    else:
        url = reverse("evaluations:kelembagaan-fill", args=[response.assessment_id])
    return f"{url}#r{response.pk}"


def review_url(response: Response) -> str:
    return reverse("evaluations:review-detail", args=[response.pk])


def absolute_url(url: str) -> str:
    return f"{settings.KKS_SITE_URL.rstrip('/')}{url}"


def when(moment: datetime.datetime) -> str:
    """A date and time in the active language's short format (id 05-12-2026 17:00, en 05/12/2026 17:00)."""
    return formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


def language_of(user: User) -> str:
    codes = {code for code, _name in settings.LANGUAGES}
    return user.language if user.language in codes else settings.LANGUAGE_CODE


def deliver(
    recipients: Iterable[User],
    *,
    verb: str,
    compose: Compose,
    url: str,
    response: Response | None = None,
    actor: User | None = None,
) -> list[Notification]:
    """An inbox entry and (after commit) an e-mail for each recipient but the actor, each in their language."""
    users = [u for u in recipients if actor is None or u.pk != actor.pk]
    if not users:
        return []
    notices, emails = [], []
    for user in users:
        with translation.override(language_of(user)):
            subject, message = compose(user)
        notices.append(Notification(recipient=user, verb=verb, message=message, url=url, response=response))
        if user.email:
            emails.append(
                EmailMessage(
                    subject=f"[KKS] {subject}",
                    body=f"{message}\n\n{absolute_url(url)}\n",
                    from_email=settings.DEFAULT_FROM_EMAIL,
                    to=[user.email],
                )
            )
    created = Notification.objects.bulk_create(notices)
    if emails:
        transaction.on_commit(lambda: _send(emails))
    return created


def _send(emails: list[EmailMessage]) -> None:
    try:
        get_connection().send_messages(emails)
    except Exception:  # a mail outage must not break the workflow; the inbox entry exists
        logger.exception("Could not send %d notification e-mails", len(emails))


def _label(response: Response) -> str:
    return f"{response.indicator.code} ({response.assessment.regency})"


def notify_sent_back(*, response: Response, reason_label: str, note: str, actor: User) -> int:
    def compose(user: User) -> tuple[str, str]:
        message = _("Indikator %(indicator)s dikembalikan untuk perbaikan: %(reason)s.") % {
            "indicator": _label(response),
            "reason": _(reason_label),  # catalogue labels are translated when the catalogue knows them
        }
        if note:
            message = f"{message} {note.rstrip('.')}."
        if response.revision_due:
            message = f"{message} " + _("Batas perbaikan: %(due)s.") % {"due": when(response.revision_due)}
        return _("Indikator %(indicator)s perlu perbaikan") % {"indicator": response.indicator.code}, message

    return len(
        deliver(
            fillers_for_response(response),
            verb=SENT_BACK,
            compose=compose,
            url=fill_url(response),
            response=response,
            actor=actor,
        )
    )


def notify_accepted(*, response: Response, stage_label: str | Promise, actor: User) -> int:
    """``stage_label`` may be lazy (``Stage(stage).label``): it is then written in each recipient's language."""

    def compose(user: User) -> tuple[str, str]:
        message = _("Indikator %(indicator)s diterima pada verifikasi %(stage)s.") % {
            "indicator": _label(response),
            "stage": stage_label,
        }
        return _("Indikator %(indicator)s diterima") % {"indicator": response.indicator.code}, message

    return len(
        deliver(
            fillers_for_response(response),
            verb=ACCEPTED,
            compose=compose,
            url=fill_url(response),
            response=response,
            actor=actor,
        )
    )


def notify_waiting(*, responses: list[Response], actor: User) -> int:
    """One notice per reviewer and per (stage, regency), however many responses a batch holds."""
    groups: dict[tuple, list[Response]] = defaultdict(list)
    for response in responses:
        groups[(response.stage, response.assessment.regency_id)].append(response)
    sent = 0
    for (stage, _regency_id), items in groups.items():
        first = items[0]
        regency = first.assessment.regency
        single = first if len(items) == 1 else None

        def compose(user: User, first: Response = first, items: list[Response] = items) -> tuple[str, str]:
            if len(items) == 1:
                message = _("Indikator %(indicator)s menunggu verifikasi Anda.") % {"indicator": _label(first)}
                return _("Menunggu verifikasi: %(what)s") % {"what": _label(first)}, message
            message = _("%(count)d indikator dari %(regency)s menunggu verifikasi Anda.") % {
                "count": len(items),
                "regency": first.assessment.regency,
            }
            return _("Menunggu verifikasi: %(what)s") % {"what": first.assessment.regency}, message

        url = review_url(first) if single else f"{reverse('evaluations:review-queue')}?regency={regency.pk}"
        sent += len(
            deliver(
                # One response: only those who may decide it (separation of duties); a batch goes to every reviewer.
                reviewers_for_stage(stage, regency, response=single),
                verb=WAITING,
                compose=compose,
                url=url,
                response=single,
                actor=actor,
            )
        )
    return sent


@transaction.atomic
def notification_mark_read(*, notification: Notification, actor: User) -> Notification:
    if notification.recipient_id != actor.pk:
        raise PermissionDenied
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


@transaction.atomic
def notifications_mark_all_read(*, actor: User) -> int:
    return Notification.objects.filter(recipient=actor, read_at__isnull=True).update(read_at=timezone.now())
