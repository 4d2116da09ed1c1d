"""The SIPANTAS crosswalk: importing indicator and regency ids from CSV (national admin), all rows or none.

Two layouts, header first, comma or semicolon separated, UTF-8 (with or without BOM):

- ``indikator``: ``kode,indikator_id`` for one framework version (e.g. ``T1-01,IND-0101``);
- ``kabupaten``: ``kode_wilayah,kabupaten_id`` (Kemendagri code, e.g. ``35.71,3571``).

Every problem is reported with its line number; with any problem nothing is saved. Existing rows
are updated in place (their history records the change), rows not in the file are kept.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from evaluations.models import SipantasIndicator, SipantasRegency
from forums.models import Region, User
from forums.permissions import can_manage_sipantas
from kks.audit import recorded_by
from tatanan.models import FrameworkVersion

INDICATORS = "indikator"
REGENCIES = "kabupaten"
COLUMNS = {INDICATORS: ("kode", "indikator_id"), REGENCIES: ("kode_wilayah", "kabupaten_id")}
ID_MAX = 40
MAX_BYTES = 2_000_000


@dataclass(frozen=True)
class RowError:
    line: int
    message: str

    def __str__(self) -> str:
        return _("Baris %(line)s: %(message)s") % {"line": self.line, "message": self.message}


@dataclass
class CrosswalkResult:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    saved: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


def _rows(content: bytes, columns: tuple[str, str], result: CrosswalkResult) -> list[tuple[int, str, str]]:
    """(line, key, id) of every data row; header and encoding problems go to ``result.errors``."""
    if len(content) > MAX_BYTES:
        result.errors.append(RowError(0, _("Berkas lebih dari 2 MB.")))
        return []
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        result.errors.append(RowError(0, _("Berkas bukan teks UTF-8; simpan sebagai CSV UTF-8.")))
        return []
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = [h.strip().lower() for h in next(reader, [])]
    missing = [c for c in columns if c not in header]
    if missing:
        result.errors.append(
            RowError(1, _("Kolom %(columns)s tidak ada di baris judul.") % {"columns": ", ".join(missing)})
        )
        return []
    key_at, id_at = header.index(columns[0]), header.index(columns[1])
    rows = []
    for line, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        key = cells[key_at].strip() if key_at < len(cells) else ""
        value = cells[id_at].strip() if id_at < len(cells) else ""
        rows.append((line, key, value))
    return rows


def _check_ids(rows: list[tuple[int, str, str]], columns: tuple[str, str], result: CrosswalkResult) -> None:
    keys: dict[str, int] = {}
    ids: dict[str, int] = {}
    for line, key, value in rows:
        if not key:
            result.errors.append(RowError(line, _("Kolom %(column)s kosong.") % {"column": columns[0]}))
        elif key in keys:
            result.errors.append(
                RowError(line, _("%(key)s sudah ada di baris %(other)s.") % {"key": key, "other": keys[key]})
            )
        else:
            keys[key] = line
        if not value:
            result.errors.append(RowError(line, _("Kolom %(column)s kosong.") % {"column": columns[1]}))
        elif len(value) > ID_MAX:
            result.errors.append(RowError(line, _("ID lebih dari %(n)s karakter.") % {"n": ID_MAX}))
        elif value in ids:
            result.errors.append(
                RowError(line, _("ID %(id)s sudah dipakai di baris %(other)s.") % {"id": value, "other": ids[value]})
            )
        else:
            ids[value] = line


@transaction.atomic
def crosswalk_import(
    *,
    kind: str,
    content: bytes,
    actor: User,
    framework: FrameworkVersion | None = None,
    dry_run: bool = False,
) -> CrosswalkResult:
    """Check ``content`` (CSV of ``kind``) row by row and, when every row is good and not ``dry_run``, save it."""
    if not can_manage_sipantas(actor):
        raise PermissionDenied
    if kind not in COLUMNS:
        raise ValueError(f"unknown crosswalk kind {kind!r}")
    result = CrosswalkResult()
    if kind == INDICATORS and framework is None:
        result.errors.append(RowError(0, _("Pilih kerangka untuk ID indikator.")))
        return result
    columns = COLUMNS[kind]
    rows = _rows(content, columns, result)
    result.rows = len(rows)
    if result.errors:
        return result
    if not rows:
        result.errors.append(RowError(0, _("Berkas tidak berisi baris data.")))
        return result
    _check_ids(rows, columns, result)
    if kind == INDICATORS and framework is not None:
        known = set(framework.indicators.values_list("code", flat=True))
        existing_i = {c.indicator_code: c for c in SipantasIndicator.objects.filter(framework=framework)}
        for line, key, _value in rows:
            if key and key not in known:
                result.errors.append(
                    RowError(
                        line, _("Kode %(code)s tidak ada di kerangka %(fw)s.") % {"code": key, "fw": framework.code}
                    )
                )
    else:
        regencies = {r.code: r for r in Region.objects.regencies().filter(code__in=[k for _l, k, _v in rows])}
        existing_r = {c.regency.code: c for c in SipantasRegency.objects.select_related("regency")}
        for line, key, _value in rows:
            if key and key not in regencies:
                result.errors.append(
                    RowError(line, _("Kode wilayah %(code)s bukan kabupaten/kota yang dikenal.") % {"code": key})
                )
    result.errors.sort(key=lambda e: e.line)
    if result.errors:
        return result
    for _line, key, value in rows:
        if kind == INDICATORS:
            indicator_row = existing_i.get(key)
            if indicator_row is None:
                result.created += 1
                if not dry_run:
                    row = SipantasIndicator(framework=framework, indicator_code=key, indikator_id=value)
                    recorded_by(row, actor).save()
            elif indicator_row.indikator_id != value:
                result.updated += 1
                if not dry_run:
                    indicator_row.indikator_id = value
                    recorded_by(indicator_row, actor).save(update_fields=["indikator_id"])
            else:
                result.unchanged += 1
        else:
            regency_row = existing_r.get(key)
            if regency_row is None:
                result.created += 1
                if not dry_run:
                    recorded_by(SipantasRegency(regency=regencies[key], kabupaten_id=value), actor).save()
            elif regency_row.kabupaten_id != value:
                result.updated += 1
                if not dry_run:
                    regency_row.kabupaten_id = value
                    recorded_by(regency_row, actor).save(update_fields=["kabupaten_id"])
            else:
                result.unchanged += 1
    result.saved = not dry_run
    return result
