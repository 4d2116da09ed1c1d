"""What a filler (forum coordinator or OPD officer) has to do: sent-back items first, then counts per tatanan.

Which responses a person fills is decided by the policy's ``can_fill_response``; these reads
only narrow the candidates (the person's visible assessments) and apply that predicate.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import F, Prefetch, QuerySet
from django.utils import timezone

from evaluations.models import Assessment, Response, ResponseStatus, StatusChange
from forums.models import Role, User
from forums.permissions import assessments_visible_to, can_fill_response, responses_visible_to, role_of

FILLER_ROLES = {Role.FORUM_COORDINATOR, Role.OPD_OFFICER}
OPEN_STATUSES = (ResponseStatus.DRAFT, ResponseStatus.REVISION_REQUESTED)
WAITING_STATUSES = (ResponseStatus.SUBMITTED, ResponseStatus.RESUBMITTED)


def is_filler(user: User) -> bool:
    return role_of(user) in FILLER_ROLES


def _candidates(responses: QuerySet[Response]) -> QuerySet[Response]:
    revisions = StatusChange.objects.filter(to_status=ResponseStatus.REVISION_REQUESTED).select_related("reason")
    return responses.select_related(
        "indicator", "indicator__tatanan", "assessment", "assessment__cycle", "assessment__regency"
    ).prefetch_related(
        "indicator__responsible_opd_kinds",
        "assessment__opd_assignments",  # the policy's Responsibility, without a query per response
        Prefetch("history", queryset=revisions.order_by("at", "pk"), to_attr="revisions"),
    )


def _with_deadline(response: Response, now: datetime.datetime) -> Response:
    # Attributes for the templates, added to the instance (not model fields).
    revisions = response.revisions  # type: ignore[attr-defined]  # the Prefetch's to_attr
    response.last_revision = revisions[-1] if revisions else None  # type: ignore[attr-defined]
    response.overdue = response.revision_due is not None and response.revision_due < now  # type: ignore[attr-defined]
    return response


def sent_back_for(*, user: User, limit: int = 20) -> list[Response]:
    """Responses sent back to this filler for a fix, the nearest deadline first (none for other roles)."""
    if not is_filler(user):
        return []
    candidates = _candidates(responses_visible_to(user).filter(status=ResponseStatus.REVISION_REQUESTED)).order_by(
        F("revision_due").asc(nulls_last=True), "indicator__sort_order", "pk"
    )
    now = timezone.now()
    return [_with_deadline(r, now) for r in candidates if can_fill_response(user, r)][:limit]


@dataclass
class GroupCounts:
    """One tatanan (or kelembagaan) of one assessment, counted for one filler."""

    label: str
    number: int | None  # tatanan number; None for kelembagaan
    url: str
    total: int = 0
    empty: int = 0
    draft: int = 0
    sent_back: int = 0
    waiting: int = 0
    accepted: int = 0
    next_due: datetime.datetime | None = None

    @property
    def open(self) -> int:
        return self.empty + self.draft + self.sent_back


@dataclass
class AssessmentWork:
    assessment: Assessment
    groups: list[GroupCounts] = field(default_factory=list)
    sent_back: list[Response] = field(default_factory=list)

    @property
    def totals(self) -> GroupCounts:
        total = GroupCounts(label="", number=None, url="")
        for g in self.groups:
            for name in ("total", "empty", "draft", "sent_back", "waiting", "accepted"):
                setattr(total, name, getattr(total, name) + getattr(g, name))
        dues = [g.next_due for g in self.groups if g.next_due is not None]
        total.next_due = min(dues) if dues else None
        return total


def _count(group: GroupCounts, response: Response) -> None:
    group.total += 1
    if response.status == ResponseStatus.DRAFT:
        if response.value is None:
            group.empty += 1
        else:
            group.draft += 1
    elif response.status == ResponseStatus.REVISION_REQUESTED:
        group.sent_back += 1
        if response.revision_due is not None and (group.next_due is None or response.revision_due < group.next_due):
            group.next_due = response.revision_due
    elif response.status in WAITING_STATUSES:
        group.waiting += 1
    elif response.status == ResponseStatus.ACCEPTED:
        group.accepted += 1


def work_of(*, user: User, kelembagaan_label: str, assessments: int = 2) -> list[AssessmentWork]:
    """Per assessment (newest cycles first): the filler's indicators counted per tatanan, and what was sent back."""
    from django.urls import reverse

    if not is_filler(user):
        return []
    chosen = list(
        assessments_visible_to(user)
        .select_related("cycle", "regency")
        .order_by("-cycle__year", "-cycle__pk")[:assessments]
    )
    if not chosen:
        return []
    now = timezone.now()
    candidates = _candidates(Response.objects.filter(assessment__in=chosen)).order_by(
        "assessment", "indicator__sort_order", "pk"
    )
    works = {a.pk: AssessmentWork(a) for a in chosen}
    groups: dict[tuple[int, int | None], GroupCounts] = {}
    for response in candidates:
        if not can_fill_response(user, response):
            continue
        work = works[response.assessment_id]
        tatanan = response.indicator.tatanan
        key = (work.assessment.pk, tatanan.pk if tatanan else None)
        if key not in groups:
            if tatanan is None:
                url = reverse("evaluations:kelembagaan-fill", args=[work.assessment.pk])
                groups[key] = GroupCounts(label=kelembagaan_label, number=None, url=url)
            else:
                url = reverse("evaluations:tatanan-fill", args=[work.assessment.pk, tatanan.pk])
                groups[key] = GroupCounts(label=tatanan.name, number=tatanan.number, url=url)
            work.groups.append(groups[key])
        _count(groups[key], response)
        if response.status == ResponseStatus.REVISION_REQUESTED:
            work.sent_back.append(_with_deadline(response, now))
    for work in works.values():
        work.groups.sort(key=lambda g: (g.number is None, g.number or 0))
        work.sent_back.sort(key=lambda r: (r.revision_due is None, r.revision_due or now))
    return [works[a.pk] for a in chosen if works[a.pk].groups]
