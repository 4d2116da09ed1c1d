"""The inbox: a person's notifications, each with a short text (message and link) to paste into WhatsApp."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from evaluations.models import Notification
from evaluations.services.notifications import absolute_url
from forums.models import User

WHATSAPP_SHARE = "https://wa.me/?text="


@dataclass(frozen=True)
class InboxItem:
    notification: Notification

    @property
    def share_text(self) -> str:
        """The message and its absolute link: what a person pastes into a chat."""
        n = self.notification
        return f"{n.message}\n{absolute_url(n.url)}" if n.url else n.message

    @property
    def whatsapp_url(self) -> str:
        """A plain share link (WhatsApp opens with the text ready, the person picks the chat); no API involved."""
        return WHATSAPP_SHARE + quote(self.share_text, safe="")


def inbox_for(*, user: User, limit: int = 100) -> list[InboxItem]:
    return [InboxItem(n) for n in Notification.objects.filter(recipient=user).order_by("-created_at", "-pk")[:limit]]
