"""Helpers that move responses through the workflow with the real services."""

from __future__ import annotations

import datetime

from django.utils import timezone

from evaluations.models import Response, RevisionReason
from evaluations.services.responses import ACCEPT, REVISE, response_review, response_save, response_submit


def fresh(response: Response) -> Response:
    return Response.objects.select_related("assessment__cycle", "assessment__regency", "indicator").get(pk=response.pk)


def filled(response: Response, actor, value: int = 100) -> Response:
    return response_save(response=response, data={"value": value, "achievement": "Capaian 2024"}, actor=actor)


def submitted(response: Response, actor, value: int = 100) -> Response:
    filled(response, actor, value)
    return response_submit(response=response, actor=actor)


def accept(response: Response, actor, value: int | None = None) -> Response:
    response = fresh(response)
    return response_review(response=response, actor=actor, version=response.version, decision=ACCEPT, value=value)


def send_back(response: Response, actor, code: str = "bukti-tidak-lengkap", note: str = "Lengkapi") -> Response:
    response = fresh(response)
    reason, _created = RevisionReason.objects.get_or_create(code=code, defaults={"label": code})
    return response_review(
        response=response, actor=actor, version=response.version, decision=REVISE, reason=reason, note=note
    )


def close_all_windows(cycle) -> None:
    past = timezone.now() - datetime.timedelta(days=1)
    for window in ("self_assessment", "provincial", "national"):
        setattr(cycle, f"{window}_opens", past - datetime.timedelta(days=30))
        setattr(cycle, f"{window}_closes", past)
    cycle.reopened_until = None
    cycle.save()
