"""What changes between two framework versions: pure functions on ``FrameworkSpec`` objects.

Indicators are matched by code, tatanan by number. ``framework_diff(old, new)`` lists the tatanan and
indicators added, removed and changed (naming each changed field), with the tatanan indicators and
the kelembagaan indicators kept apart. A framework stored in the database is turned into a spec by
``tatanan.selectors.framework_spec``, so a file can be compared with a published version.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .framework_spec import FrameworkSpec, IndicatorSpec, TatananSpec

# Indicator fields compared as they are, in display order; scale values and texts are compared apart.
INDICATOR_FIELDS = (
    "kind",
    "tatanan",
    "body_kind",
    "number",
    "name",
    "operational_definition",
    "data_source",
    "required_evidence",
    "responsible_opd_kinds",
)
FIELD_LABELS = {
    "kind": _("Jenis"),
    "tatanan": _("Tatanan"),
    "body_kind": _("Lembaga"),
    "number": _("Nomor"),
    "name": _("Teks indikator"),
    "operational_definition": _("Definisi operasional"),
    "data_source": _("Sumber data"),
    "required_evidence": _("Bukti dukung"),
    "responsible_opd_kinds": _("OPD penanggung jawab"),
    "scale_values": _("Nilai skala"),
    "scale_text": _("Kriteria skala"),
    "description": _("Keterangan"),
}


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: str
    new: str
    value: int | None = None  # the scale value whose criterion changed (field "scale_text")

    @property
    def label(self) -> str:
        return str(FIELD_LABELS.get(self.field, self.field))


@dataclass(frozen=True)
class IndicatorChange:
    old: IndicatorSpec
    new: IndicatorSpec
    changes: tuple[FieldChange, ...]

    @property
    def code(self) -> str:
        return self.new.code

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(c.field for c in self.changes))


@dataclass(frozen=True)
class TatananChange:
    old: TatananSpec
    new: TatananSpec
    changes: tuple[FieldChange, ...]


@dataclass(frozen=True)
class IndicatorDiff:
    """Added, removed and changed indicators of one kind (tatanan or kelembagaan)."""

    added: tuple[IndicatorSpec, ...]
    removed: tuple[IndicatorSpec, ...]
    changed: tuple[IndicatorChange, ...]
    unchanged: int

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


@dataclass(frozen=True)
class TatananDiff:
    added: tuple[TatananSpec, ...]
    removed: tuple[TatananSpec, ...]
    changed: tuple[TatananChange, ...]

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


@dataclass(frozen=True)
class FrameworkDiff:
    tatanan: TatananDiff
    indicators: IndicatorDiff  # tatanan indicators
    kelembagaan: IndicatorDiff

    @property
    def is_empty(self) -> bool:
        return self.tatanan.is_empty and self.indicators.is_empty and self.kelembagaan.is_empty


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, tuple):
        return ", ".join(str(v) for v in value)
    return str(value)


def indicator_changes(old: IndicatorSpec, new: IndicatorSpec) -> tuple[FieldChange, ...]:
    """Every field of ``new`` that differs from ``old``; scale values and each value's criterion apart."""
    changes = [
        FieldChange(field, _text(getattr(old, field)), _text(getattr(new, field)))
        for field in INDICATOR_FIELDS
        if _normalised(field, getattr(old, field)) != _normalised(field, getattr(new, field))
    ]
    old_scale = {o.value: o.description for o in old.scale}
    new_scale = {o.value: o.description for o in new.scale}
    if set(old_scale) != set(new_scale):
        changes.append(FieldChange("scale_values", _text(tuple(sorted(old_scale))), _text(tuple(sorted(new_scale)))))
    for value in sorted(set(old_scale) | set(new_scale), reverse=True):
        if old_scale.get(value) != new_scale.get(value):
            changes.append(FieldChange("scale_text", old_scale.get(value, ""), new_scale.get(value, ""), value=value))
    return tuple(changes)


def _normalised(field: str, value):
    # The order of responsible OPD kinds carries no meaning.
    return tuple(sorted(value)) if field == "responsible_opd_kinds" else value


def _indicator_diff(old: list[IndicatorSpec], new: list[IndicatorSpec]) -> IndicatorDiff:
    old_by_code = {i.code: i for i in old}
    new_codes = {i.code for i in new}
    added, changed, unchanged = [], [], 0
    for indicator in new:
        before = old_by_code.get(indicator.code)
        if before is None:
            added.append(indicator)
            continue
        changes = indicator_changes(before, indicator)
        if changes:
            changed.append(IndicatorChange(old=before, new=indicator, changes=changes))
        else:
            unchanged += 1
    removed = tuple(i for i in old if i.code not in new_codes)
    return IndicatorDiff(added=tuple(added), removed=removed, changed=tuple(changed), unchanged=unchanged)


def _tatanan_diff(old: tuple[TatananSpec, ...], new: tuple[TatananSpec, ...]) -> TatananDiff:
    old_by_number = {t.number: t for t in old}
    new_numbers = {t.number for t in new}
    added, changed = [], []
    for tatanan in new:
        before = old_by_number.get(tatanan.number)
        if before is None:
            added.append(tatanan)
            continue
        changes = tuple(
            FieldChange(field, getattr(before, field), getattr(tatanan, field))
            for field in ("name", "description")
            if getattr(before, field) != getattr(tatanan, field)
        )
        if changes:
            changed.append(TatananChange(old=before, new=tatanan, changes=changes))
    removed = tuple(t for t in old if t.number not in new_numbers)
    return TatananDiff(added=tuple(added), removed=removed, changed=tuple(changed))


def framework_diff(old: FrameworkSpec, new: FrameworkSpec) -> FrameworkDiff:
    """What ``new`` adds, removes and changes compared with ``old``.

    An indicator whose code moves between the tatanan and the kelembagaan lists is reported as changed
    (field "kind") in the list it moves to, and not as removed from the other.
    """
    new_kind = {i.code: i.kind for i in new.indicators}

    def section(kind: str) -> IndicatorDiff:
        new_items = [i for i in new.indicators if i.kind == kind]
        old_items = [i for i in old.indicators if new_kind.get(i.code, i.kind) == kind]
        return _indicator_diff(old_items, new_items)

    return FrameworkDiff(
        tatanan=_tatanan_diff(old.tatanan, new.tatanan),
        indicators=section("tatanan"),
        kelembagaan=section("kelembagaan"),
    )
