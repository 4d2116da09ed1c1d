"""Creating and keeping KKS bodies (Tim Pembina, Forum, FKK, Pokja) and their memberships."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from forums.models import Body, BodyKind, Membership, Region, RegionLevel
from forums.permissions import can_create_body_in, can_manage_body
from forums.selectors import eligible_member_users
from kks.audit import recorded_by
from kks.textlimits import check_lengths
from kks.uploads import ALLOWED_TYPES, check_upload

# An SK is a signed decree: a PDF or a photo/scan of it.
SK_TYPES = {mime: ALLOWED_TYPES[mime] for mime in ("application/pdf", "image/jpeg", "image/png")}

# The level of region each kind of body works in.
KIND_LEVELS = {
    BodyKind.TIM_PEMBINA_PROVINSI: RegionLevel.PROVINCE,
    BodyKind.TIM_PEMBINA: RegionLevel.REGENCY,
    BodyKind.FORUM: RegionLevel.REGENCY,
    BodyKind.FKK: RegionLevel.DISTRICT,
    BodyKind.POKJA: RegionLevel.VILLAGE,
}

# Fields a body's keeper may set besides kind, region and the SK file.
BODY_FIELDS = (
    "name",
    "sk_number",
    "sk_date",
    "sk_signed_by",
    "sk_valid_until",
    "work_plan",
    "work_plan_years",
    "budget_amount",
    "budget_source",
    "secretariat_address",
)
# Texts the keeper writes, checked against their model limits (kks/textlimits.py) before saving.
TEXT_FIELDS = (
    "name",
    "sk_number",
    "sk_signed_by",
    "work_plan",
    "work_plan_years",
    "budget_source",
    "secretariat_address",
)
MEMBERSHIP_TEXT_FIELDS = ("person_name", "position", "tatanan_name")
MEMBERSHIP_FIELDS = ("user", "person_name", "position", "role", "tatanan_name", "period_start", "period_end")


def scope_of(region: Region) -> Region:
    """The province or kabupaten/kota a region belongs to for access (bodies are scoped by it)."""
    if region.level in (RegionLevel.PROVINCE, RegionLevel.REGENCY):
        return region
    if region.level == RegionLevel.DISTRICT:
        return region.parent
    return region.parent.parent


def _check_kind_region(kind: str, region: Region) -> None:
    if kind not in KIND_LEVELS:
        raise ValidationError({"kind": _("Jenis lembaga tidak dikenal.")})
    if region.level != KIND_LEVELS[kind]:
        raise ValidationError(
            {
                "region": _("%(kind)s harus berada di tingkat %(level)s.")
                % {"kind": BodyKind(kind).label, "level": RegionLevel(KIND_LEVELS[kind]).label}
            }
        )


def _check_fields(fields: dict, allowed: tuple) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"unexpected fields: {sorted(unknown)}")


def _check_sk_dates(body: Body) -> None:
    if body.sk_date and body.sk_valid_until and body.sk_valid_until < body.sk_date:
        raise ValidationError({"sk_valid_until": _("Masa berlaku SK tidak boleh sebelum tanggal SK.")})


def _attach_sk(body: Body, sk_file) -> None:
    """Check an uploaded SK by its content and store it under a random name."""
    try:
        checked = check_upload(sk_file, allowed=SK_TYPES)
    except ValidationError as exc:
        raise ValidationError({"sk_upload": exc.messages}) from exc
    old_name = body.sk_file.name if body.sk_file else ""
    body.sk_file.save(checked.original_name, sk_file, save=False)
    body.sk_file_name = checked.original_name
    body.sk_file_type = checked.content_type
    if old_name:
        storage = body.sk_file.storage
        transaction.on_commit(lambda: storage.delete(old_name))


@transaction.atomic
def body_create(*, actor, kind: str, region: Region, sk_file=None, **fields) -> Body:
    """Create a body in ``region``; its access scope is the region's province or kabupaten/kota."""
    _check_fields(fields, BODY_FIELDS)
    scope_region = scope_of(region)
    if not can_create_body_in(actor, scope_region):
        raise PermissionDenied
    _check_kind_region(kind, region)
    body = Body(kind=kind, region=region, scope_region=scope_region, **fields)
    check_lengths(body, TEXT_FIELDS)
    _check_sk_dates(body)
    if sk_file is not None:
        _attach_sk(body, sk_file)
    recorded_by(body, actor).save()
    return body


@transaction.atomic
def body_update(*, body: Body, actor, kind: str | None = None, region: Region | None = None, sk_file=None, **fields):
    """Change a body's details, SK or place; it cannot move out of its province or kabupaten/kota."""
    _check_fields(fields, BODY_FIELDS)
    body = Body.objects.select_for_update().get(pk=body.pk)
    if not can_manage_body(actor, body):
        raise PermissionDenied
    kind = kind or body.kind
    region = region or body.region
    if scope_of(region).pk != body.scope_region_id:
        raise ValidationError({"region": _("Lembaga tidak dapat dipindahkan ke wilayah lain.")})
    _check_kind_region(kind, region)
    body.kind, body.region = kind, region
    for name, value in fields.items():
        setattr(body, name, value)
    check_lengths(body, [name for name in TEXT_FIELDS if name in fields])  # a text stored earlier may stay
    _check_sk_dates(body)
    if sk_file is not None:
        _attach_sk(body, sk_file)
    recorded_by(body, actor).save()
    return body


def _check_membership(membership: Membership) -> None:
    check_lengths(membership, MEMBERSHIP_TEXT_FIELDS)
    if membership.user is None and not membership.person_name.strip():
        raise ValidationError({"person_name": _("Isi nama anggota atau pilih pengguna.")})
    if (
        membership.user is not None
        and not eligible_member_users(membership.body).filter(pk=membership.user.pk).exists()
    ):
        raise ValidationError({"user": _("Pengguna ini tidak bertugas di wilayah lembaga.")})
    if membership.period_start and membership.period_end and membership.period_end < membership.period_start:
        raise ValidationError({"period_end": _("Akhir masa keanggotaan tidak boleh sebelum awalnya.")})


@transaction.atomic
def membership_add(*, body: Body, actor, **fields) -> Membership:
    """Give someone (a platform user or a named person) a seat in a body."""
    _check_fields(fields, MEMBERSHIP_FIELDS)
    if not can_manage_body(actor, body):
        raise PermissionDenied
    membership = Membership(body=body, **fields)
    _check_membership(membership)
    recorded_by(membership, actor).save()
    return membership


@transaction.atomic
def membership_update(*, membership: Membership, actor, **fields) -> Membership:
    _check_fields(fields, MEMBERSHIP_FIELDS)
    membership = Membership.objects.select_for_update().select_related("body").get(pk=membership.pk)
    if not can_manage_body(actor, membership.body):
        raise PermissionDenied
    for name, value in fields.items():
        setattr(membership, name, value)
    _check_membership(membership)
    recorded_by(membership, actor).save()
    return membership


@transaction.atomic
def membership_end(*, membership: Membership, actor, end: datetime.date | None = None) -> Membership:
    """End a seat on ``end`` (today by default); the seat stays in the body's history."""
    membership = Membership.objects.select_for_update().select_related("body").get(pk=membership.pk)
    if not can_manage_body(actor, membership.body):
        raise PermissionDenied
    end = end or timezone.localdate()
    if membership.period_end and membership.period_end <= end:
        raise ValidationError(_("Keanggotaan ini sudah berakhir."))
    membership.period_end = end
    _check_membership(membership)
    recorded_by(membership, actor).save(update_fields=["period_end"])
    return membership
