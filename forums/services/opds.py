"""Keeping the list of OPD/SKPD of a kabupaten/kota."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from forums.models import Opd, OpdKind, Region, RegionLevel
from forums.permissions import can_manage_opds
from kks.textlimits import check_lengths


def _check_unique_name(regency: Region, name: str, exclude_pk=None) -> None:
    clash = Opd.objects.filter(regency=regency, name__iexact=name.strip()).exclude(pk=exclude_pk)
    if clash.exists():
        raise ValidationError({"name": _("OPD dengan nama ini sudah ada di %(regency)s.") % {"regency": regency}})


@transaction.atomic
def _check_kinds(kinds: list[OpdKind]) -> None:
    if not kinds:
        raise ValidationError({"kinds": _("Pilih paling sedikit satu jenis OPD.")})


def opd_create(*, regency: Region, actor, name: str, kinds: Iterable[OpdKind], short_name: str = "") -> Opd:
    """A new OPD; ``kinds`` are the kinds it holds (several for a merged office such as "Bappeda & PM")."""
    if not can_manage_opds(actor, regency):
        raise PermissionDenied
    if regency.level != RegionLevel.REGENCY:
        raise ValidationError(_("OPD hanya dapat ditambahkan pada kabupaten/kota."))
    _check_unique_name(regency, name)
    kinds = list(kinds)
    _check_kinds(kinds)
    opd = Opd(regency=regency, name=name.strip(), short_name=short_name.strip())
    check_lengths(opd, ["name", "short_name"])
    opd.save()
    opd.kinds.set(kinds)
    return opd


@transaction.atomic
def opd_update(*, opd: Opd, actor, name: str, kinds: Iterable[OpdKind], short_name: str = "") -> Opd:
    opd = Opd.objects.select_for_update().select_related("regency").get(pk=opd.pk)
    if not can_manage_opds(actor, opd.regency):
        raise PermissionDenied
    _check_unique_name(opd.regency, name, exclude_pk=opd.pk)
    kinds = list(kinds)
    _check_kinds(kinds)
    opd.name, opd.short_name = name.strip(), short_name.strip()
    check_lengths(opd, ["name", "short_name"])
    opd.save()
    opd.kinds.set(kinds)
    return opd
