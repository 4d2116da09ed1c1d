"""Running a programme cycle from the web: create, edit before opening, open for regencies, change a window.

Every action is the national admin's (``forums.permissions.can_manage_cycle``). A cycle is a draft until it is
first opened for some kabupaten/kota (``Cycle.opened_at``); only then can it be the default of a report. After
opening, its windows change only through ``cycle_window_change``, which records the old and new dates and the
reason.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from evaluations.models import Cycle, CycleWindowChange
from evaluations.selectors.cycles import OpenPreview, open_preview, scope_ids
from forums.models import Region, User
from forums.permissions import can_manage_cycle
from tatanan.models import FrameworkVersion

from .assessments import assessments_open
from .cycles import NATIONAL, PROVINCIAL, SELF_ASSESSMENT, WINDOW_LABELS

WINDOW_KEYS = (SELF_ASSESSMENT, PROVINCIAL, NATIONAL)
WINDOW_FIELDS = tuple(f"{key}_{end}" for key in WINDOW_KEYS for end in ("opens", "closes"))
CYCLE_FIELDS = (
    "name",
    "year",
    "data_year_previous",
    "data_year",
    "framework",
    *WINDOW_FIELDS,
    "response_window_hours",
)
MAX_WINDOW_HOURS = 24 * 90


def _require_admin(actor: User) -> None:
    if not can_manage_cycle(actor):
        raise PermissionDenied


def _window_errors(values: dict) -> dict[str, str]:
    """Each window closes after it opens; the three windows open and close in programme order."""
    errors: dict[str, str] = {}
    for key in WINDOW_KEYS:
        opens, closes = values.get(f"{key}_opens"), values.get(f"{key}_closes")
        if opens and closes and closes <= opens:
            errors[f"{key}_closes"] = _("Masa %(window)s harus ditutup sesudah dibuka.") % {
                "window": WINDOW_LABELS[key]
            }
    for earlier, later in ((SELF_ASSESSMENT, PROVINCIAL), (PROVINCIAL, NATIONAL)):
        params = {"later": WINDOW_LABELS[later], "earlier": WINDOW_LABELS[earlier]}
        a, b = values.get(f"{earlier}_opens"), values.get(f"{later}_opens")
        if a and b and b < a:
            errors.setdefault(f"{later}_opens", _("%(later)s tidak boleh dibuka sebelum %(earlier)s dibuka.") % params)
        a, b = values.get(f"{earlier}_closes"), values.get(f"{later}_closes")
        if a and b and b < a:
            errors.setdefault(
                f"{later}_closes", _("%(later)s tidak boleh ditutup sebelum %(earlier)s ditutup.") % params
            )
    return errors


def _validate(values: dict) -> None:
    errors: dict[str, str] = {}
    if not (values.get("name") or "").strip():
        errors["name"] = _("Nama siklus wajib diisi.")
    framework = values.get("framework")
    if framework is not None and not framework.is_published:
        errors["framework"] = _("Kerangka %(name)s belum terbit; terbitkan dulu sebelum dipakai siklus.") % {
            "name": framework
        }
    year, current, previous = values.get("year"), values.get("data_year"), values.get("data_year_previous")
    if current is not None and previous is not None and previous != current - 1:
        errors["data_year_previous"] = _("Tahun data N-1 harus tepat satu tahun sebelum tahun data N.")
    if year is not None and current is not None and current > year:
        errors["data_year"] = _("Tahun data N tidak boleh sesudah tahun siklus.")
    hours = values.get("response_window_hours")
    if hours is not None and not 1 <= hours <= MAX_WINDOW_HOURS:
        errors["response_window_hours"] = _("Batas perbaikan antara 1 dan %(max)s jam.") % {"max": MAX_WINDOW_HOURS}
    errors.update(_window_errors(values))
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def cycle_create(
    *,
    name: str,
    year: int,
    data_year_previous: int,
    data_year: int,
    framework: FrameworkVersion,
    self_assessment_opens: datetime.datetime,
    self_assessment_closes: datetime.datetime,
    provincial_opens: datetime.datetime,
    provincial_closes: datetime.datetime,
    national_opens: datetime.datetime,
    national_closes: datetime.datetime,
    response_window_hours: int = 168,
    actor: User,
) -> Cycle:
    """A draft cycle: nothing is created for any regency until it is opened."""
    _require_admin(actor)
    values = {
        "name": name.strip(),
        "year": year,
        "data_year_previous": data_year_previous,
        "data_year": data_year,
        "framework": framework,
        "self_assessment_opens": self_assessment_opens,
        "self_assessment_closes": self_assessment_closes,
        "provincial_opens": provincial_opens,
        "provincial_closes": provincial_closes,
        "national_opens": national_opens,
        "national_closes": national_closes,
        "response_window_hours": response_window_hours,
    }
    _validate(values)
    return Cycle.objects.create(**values)


@transaction.atomic
def cycle_update(*, cycle: Cycle, actor: User, **values: Any) -> Cycle:
    """Change a draft cycle; once opened, only its windows change (through ``cycle_window_change``)."""
    _require_admin(actor)
    unknown = set(values) - set(CYCLE_FIELDS)
    if unknown:
        raise TypeError(f"unknown cycle fields: {sorted(unknown)}")
    locked = Cycle.objects.select_for_update().get(pk=cycle.pk)
    if locked.opened_at is not None:
        raise ValidationError(
            _("Siklus ini sudah dibuka dan tidak dapat diubah lagi; ubah masanya dengan perubahan masa beralasan.")
        )
    if "name" in values:
        values["name"] = values["name"].strip()
    merged = {field: getattr(locked, field) for field in CYCLE_FIELDS} | values
    _validate(merged)
    for field, value in values.items():
        setattr(locked, field, value)
    if values:
        locked.save(update_fields=list(values))
    return locked


@dataclass(frozen=True)
class OpenResult:
    in_scope: int
    already_open: int
    assessments_created: int
    responses_created: int


@transaction.atomic
def cycle_open(*, cycle: Cycle, regencies: QuerySet[Region], actor: User) -> OpenResult:
    """Open ``cycle`` for ``regencies``: an assessment each with a draft response per indicator (idempotent).

    Records the first opening; opening again, or for more regencies later, keeps what exists.
    """
    _require_admin(actor)
    Cycle.objects.select_for_update().filter(pk=cycle.pk).first()  # one opening of a cycle at a time
    if not cycle.framework.is_published:
        raise ValidationError(_("Kerangka siklus ini belum terbit; siklus belum dapat dibuka."))
    regencies = Region.objects.filter(pk__in=scope_ids(regencies))
    before: OpenPreview = open_preview(cycle=cycle, regencies=regencies)
    if before.in_scope == 0:
        raise ValidationError(_("Tidak ada kabupaten/kota dalam cakupan ini."))
    assessments, responses = assessments_open(cycle=cycle, regencies=regencies, actor=actor)
    return OpenResult(
        in_scope=before.in_scope,
        already_open=before.already_open,
        assessments_created=assessments,
        responses_created=responses,
    )


@transaction.atomic
def cycle_window_change(
    *,
    cycle: Cycle,
    window: str,
    opens: datetime.datetime | None = None,
    closes: datetime.datetime | None = None,
    reason: str,
    actor: User,
) -> CycleWindowChange:
    """Move a window's opening and/or closing (close it now, or extend it), recorded with its reason."""
    _require_admin(actor)
    if window not in WINDOW_KEYS:
        raise ValidationError({"window": _("Masa tidak dikenal.")})
    locked = Cycle.objects.select_for_update().get(pk=cycle.pk)
    old_opens, old_closes = getattr(locked, f"{window}_opens"), getattr(locked, f"{window}_closes")
    new_opens, new_closes = opens or old_opens, closes or old_closes
    errors: dict[str, str] = {}
    if not (reason or "").strip():
        errors["reason"] = _("Tuliskan alasan perubahan masa.")
    if (new_opens, new_closes) == (old_opens, old_closes):
        errors["closes"] = _("Waktu baru sama dengan yang sekarang; tidak ada yang diubah.")
    merged = {field: getattr(locked, field) for field in WINDOW_FIELDS}
    merged |= {f"{window}_opens": new_opens, f"{window}_closes": new_closes}
    for field, message in _window_errors(merged).items():
        errors.setdefault("opens" if field == f"{window}_opens" else "closes", message)
    if errors:
        raise ValidationError(errors)
    setattr(locked, f"{window}_opens", new_opens)
    setattr(locked, f"{window}_closes", new_closes)
    locked.save(update_fields=[f"{window}_opens", f"{window}_closes"])
    for field in (f"{window}_opens", f"{window}_closes"):
        setattr(cycle, field, getattr(locked, field))
    return CycleWindowChange.objects.create(
        cycle=locked,
        window=window,
        old_opens=old_opens,
        old_closes=old_closes,
        new_opens=new_opens,
        new_closes=new_closes,
        reason=reason.strip(),
        actor=actor,
    )
