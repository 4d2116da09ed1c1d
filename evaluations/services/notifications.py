"""Notifications: an in-app inbox entry plus an e-mail sent once the transaction commits.

Three events: a response was sent back (to the regency's coordinator and the
responsible OPD officers), accepted (to the same people), or waits for review
(to the reviewers of its stage). The acting user is never notified of their
own action.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from evaluations.models import Notification, Response
from forums.models import User
from forums.permissions import fillers_for_response, reviewers_for_stage

logger = logging.getLogger(__name__)

SENT_BACK = "sent_back"
ACCEPTED = "accepted"
WAITING = "waiting_review"


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


def _absolute(url: str) -> str:
    return f"{settings.KKS_SITE_URL.rstrip('/')}{url}"


def _deliver(
    recipients: Iterable[User],
    *,
    verb: str,
    subject: str,
    message: str,
    url: str,
    response: Response | None,
    actor: User | None,
) -> int:
    users = [u for u in recipients if actor is None or u.pk != actor.pk]
    if not users:
        return 0
    Notification.objects.bulk_create(
        Notification(recipient=u, verb=verb, message=message, url=url, response=response) for u in users
    )
    emails = [
        EmailMessage(
            subject=f"[KKS] {subject}",
            body=f"{message}\n\n{_absolute(url)}\n",
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[u.email],
        )
        for u in users
        if u.email
    ]
    if emails:
        transaction.on_commit(lambda: _send(emails))
    return len(users)


def _send(emails: list[EmailMessage]) -> None:
    try:
        get_connection().send_messages(emails)
    except Exception:  # a mail outage must not break the workflow; the inbox entry exists
        logger.exception("Could not send %d notification e-mails", len(emails))


def _label(response: Response) -> str:
    return f"{response.indicator.code} ({response.assessment.regency})"


def notify_sent_back(*, response: Response, reason_label: str, note: str, actor: User) -> int:
    message = _("Indikator %(indicator)s dikembalikan untuk perbaikan: %(reason)s.") % {
        "indicator": _label(response),
        "reason": reason_label,
    }
    if note:
        message = f"{message} {note.rstrip('.')}."
    if response.revision_due:
        due = timezone.localtime(response.revision_due).strftime("%d-%m-%Y %H:%M")
        message = f"{message} " + _("Batas perbaikan: %(due)s.") % {"due": due}
    return _deliver(
        fillers_for_response(response),
        verb=SENT_BACK,
        subject=_("Indikator %(indicator)s perlu perbaikan") % {"indicator": response.indicator.code},
        message=message,
        url=fill_url(response),
        response=response,
        actor=actor,
    )


def notify_accepted(*, response: Response, stage_label: str, actor: User) -> int:
    message = _("Indikator %(indicator)s diterima pada verifikasi %(stage)s.") % {
        "indicator": _label(response),
        "stage": stage_label,
    }
    return _deliver(
        fillers_for_response(response),
        verb=ACCEPTED,
        subject=_("Indikator %(indicator)s diterima") % {"indicator": response.indicator.code},
        message=message,
        url=fill_url(response),
        response=response,
        actor=actor,
    )


def notify_waiting(*, responses: list[Response], actor: User) -> int:
    """One notice per reviewer and per (stage, regency), however many responses a batch holds."""
    groups: dict[tuple, list[Response]] = defaultdict(list)
    for response in responses:
        groups[(response.stage, response.assessment.regency_id)].append(response)
    sent = 0
    single: Response | None
    for (stage, _regency_id), items in groups.items():
        first = items[0]
        regency = first.assessment.regency
        subject = _("Menunggu verifikasi: %(what)s") % {"what": regency}
        if len(items) == 1:
            message = _("Indikator %(indicator)s menunggu verifikasi Anda.") % {"indicator": _label(first)}
            subject = _("Menunggu verifikasi: %(what)s") % {"what": _label(first)}
            url, single = review_url(first), first
        else:
            message = _("%(count)d indikator dari %(regency)s menunggu verifikasi Anda.") % {
                "count": len(items),
                "regency": regency,
            }
            url, single = f"{reverse('evaluations:review-queue')}?regency={regency.pk}", None
        sent += _deliver(
            # One response: only those who may decide it (separation of duties); a batch goes to every reviewer.
            reviewers_for_stage(stage, regency, response=single),
            verb=WAITING,
            subject=subject,
            message=message,
            url=url,
            response=single,
            actor=actor,
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
