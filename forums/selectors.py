"""Reads for the forums pages: lists with their counts in a constant number of queries."""

from __future__ import annotations

from django.db.models import Case, Count, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from .models import Body, BodyKind, MemberRole, Membership, Opd, Region, RegionLevel, User
from .permissions import bodies_visible_to, opds_visible_to, regencies_visible_to


def body_list(user, *, kind: str | None = None, region: Region | None = None) -> QuerySet[Body]:
    """Bodies the user sees, with their places and the number of current members."""
    day = timezone.localdate()
    current_members = (
        Membership.objects.filter(body=OuterRef("pk"))
        .filter(Q(period_start__isnull=True) | Q(period_start__lte=day))
        .filter(Q(period_end__isnull=True) | Q(period_end__gte=day))
        .order_by()
        .values("body")
        .annotate(n=Count("pk"))
        .values("n")
    )
    bodies = bodies_visible_to(user).select_related("region", "region__parent", "scope_region")
    if kind:
        bodies = bodies.filter(kind=kind)
    if region is not None:
        bodies = bodies.filter(Q(scope_region=region) | Q(scope_region__parent=region))
    kind_order = Case(*(When(kind=k, then=Value(i)) for i, k in enumerate(BodyKind.values)), default=Value(99))
    return bodies.annotate(member_count=Coalesce(Subquery(current_members), 0)).order_by(
        "scope_region__code", kind_order, "region__code", "name"
    )


def body_memberships(body: Body) -> tuple[list[Membership], list[Membership]]:
    """The body's current and past (or future) seats, current ones first by role."""
    day = timezone.localdate()
    rank = {role: i for i, role in enumerate(MemberRole.values)}
    seats = sorted(
        body.memberships.select_related("user"),
        key=lambda m: (rank.get(m.role, len(rank)), m.tatanan_name, m.display_name, m.pk),
    )
    current = [m for m in seats if _runs_on(m, day)]
    others = [m for m in seats if not _runs_on(m, day)]
    return current, others


def _runs_on(membership: Membership, day) -> bool:
    started = membership.period_start is None or membership.period_start <= day
    not_ended = membership.period_end is None or membership.period_end >= day
    return started and not_ended


def body_region_choices(scope_region: Region) -> QuerySet[Region]:
    """Where a body of this scope may work: the scope itself and, for a regency, its kecamatan and desa."""
    if scope_region.level == RegionLevel.PROVINCE:
        return Region.objects.filter(pk=scope_region.pk)
    return Region.objects.filter(
        Q(pk=scope_region.pk) | Q(parent_id=scope_region.pk) | Q(parent__parent_id=scope_region.pk)
    ).order_by("code")


def regency_has_subregions(regency: Region) -> bool:
    return regency.level == RegionLevel.REGENCY and regency.children.exists()


def eligible_member_users(body: Body) -> QuerySet[User]:
    """Active users working in the body's province or kabupaten/kota (who may hold a seat as themselves)."""
    scope_id = body.scope_region_id
    return (
        User.objects.filter(is_active=True)
        .filter(Q(region_id=scope_id) | Q(region__parent_id=scope_id))
        .order_by("first_name", "last_name", "username")
    )


def opd_list(user, regency: Region) -> QuerySet[Opd]:
    return opds_visible_to(user).filter(regency=regency).prefetch_related("kinds").order_by("name")


def opd_regencies(user) -> QuerySet[Region]:
    """Kabupaten/kota the user sees, with their number of OPD."""
    return regencies_visible_to(user).select_related("parent").annotate(opd_count=Count("opds")).order_by("code")
