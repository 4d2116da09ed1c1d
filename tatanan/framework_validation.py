"""Validation of a parsed framework file against the format in docs/framework-format.md.

``validate`` checks everything (required fields, types, unique codes and numbers, references to
tatanan and OPD kinds, scales) and returns the spec or the list of problems, each naming the line
and the field path.
"""

from __future__ import annotations

import re
from typing import Any

from forums.models import BodyKind

from .framework_rules import validate_rules
from .framework_spec import (
    FrameworkSpec,
    IndicatorSpec,
    OpdKindSpec,
    Path,
    ScaleSpec,
    TatananSpec,
    format_path,
)
from .scoring import SCALE_VALUES

FORMAT_VERSION = 1
ALLOWED_VALUES = tuple(sorted(SCALE_VALUES))
KINDS = ("tatanan", "kelembagaan")
BODY_KINDS = tuple(BodyKind.values)
SLUG = re.compile(r"^[-a-zA-Z0-9_]+$")

TOP_FIELDS = {"format", "code", "name", "year", "description", "source", "opd_kinds", "tatanan", "indicators"}
OPD_FIELDS = {"code", "name"}
TATANAN_FIELDS = {"number", "name", "description"}
INDICATOR_FIELDS = {
    "code",
    "kind",
    "tatanan",
    "number",
    "name",
    "operational_definition",
    "data_source",
    "required_evidence",
    "responsible_opd_kinds",
    "body_kind",
    "rules",
    "scale",
}
SCALE_FIELDS = {"value", "description"}


class _Validator:
    def __init__(self, source_name: str, lines: dict[Path, int]):
        self.source_name = source_name
        self.lines = lines
        self.errors: list[str] = []

    def line(self, path: Path) -> int | None:
        while True:
            if path in self.lines:
                return self.lines[path]
            if not path:
                return None
            path = path[:-1]

    def error(self, path: Path, message: str) -> None:
        line = self.line(path)
        where = f"{self.source_name} line {line}" if line is not None else self.source_name
        field = format_path(path)
        self.errors.append(f"{where}: {field}: {message}" if field else f"{where}: {message}")

    # field readers: return the value, or None after recording an error

    def mapping(self, value: Any, path: Path, allowed: set[str]) -> dict | None:
        if not isinstance(value, dict):
            self.error(path, f"must be a mapping of fields, not {_kind(value)}")
            return None
        for key in value:
            if key not in allowed:
                self.error((*path, key), f"unknown field (allowed: {', '.join(sorted(allowed))})")
        return value

    def sequence(self, obj: dict, key: str, path: Path, *, required: bool) -> list | None:
        if key not in obj or obj[key] is None:
            if required:
                self.error(path, f"missing required field '{key}'")
            return None
        value = obj[key]
        if not isinstance(value, list):
            self.error((*path, key), f"must be a list, not {_kind(value)}")
            return None
        return value

    def text(self, obj: dict, key: str, path: Path, *, required: bool, max_length: int | None = None) -> str | None:
        if key not in obj or obj[key] is None:
            if required:
                self.error(path, f"missing required field '{key}'")
                return None
            return ""
        value = obj[key]
        if not isinstance(value, str):
            self.error((*path, key), f"must be text, not {_kind(value)}")
            return None
        value = value.strip()
        if _unstorable(value):
            self.error((*path, key), "contains a NUL character or a lone surrogate, which cannot be stored")
            return None
        if required and not value:
            self.error((*path, key), "must not be empty")
            return None
        if max_length is not None and len(value) > max_length:
            self.error((*path, key), f"is {len(value)} characters long; at most {max_length} are allowed")
            return None
        return value

    def integer(self, obj: dict, key: str, path: Path, *, required: bool, low: int, high: int) -> int | None:
        if key not in obj or obj[key] is None:
            if required:
                self.error(path, f"missing required field '{key}'")
            return None
        value = obj[key]
        if isinstance(value, bool) or not isinstance(value, int):
            self.error((*path, key), f"must be a whole number, not {_kind(value)}")
            return None
        if not low <= value <= high:
            self.error((*path, key), f"{value} is out of range {low}..{high}")
            return None
        return value

    def slug(self, obj: dict, key: str, path: Path, *, max_length: int) -> str | None:
        value = self.text(obj, key, path, required=True, max_length=max_length)
        if value and not SLUG.match(value):
            self.error((*path, key), f"'{value}' may only contain letters, digits, '-' and '_'")
            return None
        return value


def _unstorable(text: str) -> bool:
    """JSON escapes (\\u0000, \\ud800) can give text that PostgreSQL or UTF-8 cannot hold."""
    if "\x00" in text:
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _kind(value: Any) -> str:
    if value is None:
        return "empty"
    return {dict: "a mapping", list: "a list", str: "text", bool: "true/false", int: "a number", float: "a number"}.get(
        type(value), type(value).__name__
    )


def validate(
    data: Any, *, source_name: str, lines: dict[Path, int], checksum: str
) -> tuple[FrameworkSpec | None, list[str]]:
    """Return (spec, []) for a valid file, else (None, every problem found)."""
    v = _Validator(source_name, lines)
    spec = _validate(data, v, checksum)
    return spec, v.errors


def _validate(data: Any, v: _Validator, checksum: str) -> FrameworkSpec | None:
    top = v.mapping(data, (), TOP_FIELDS)
    if top is None:
        return None
    if "format" in top and top["format"] != FORMAT_VERSION:
        v.error(("format",), f"{top['format']!r} is not a supported format version (use {FORMAT_VERSION})")
    code = v.slug(top, "code", (), max_length=60)
    name = v.text(top, "name", (), required=True, max_length=200)
    year = v.integer(top, "year", (), required=True, low=2000, high=2100)
    description = v.text(top, "description", (), required=False)
    source = v.text(top, "source", (), required=False)

    opd_kinds = _opd_kinds(top, v)
    tatanan = _tatanan(top, v)
    indicators = _indicators(top, v, opd_codes={k.code for k in opd_kinds}, tatanan={t.number for t in tatanan})

    if indicators is not None:
        used = {i.tatanan for i in indicators if i.kind == "tatanan"}
        for position, t in enumerate(tatanan):
            if t.number not in used:
                v.error(("tatanan", position), f"tatanan {t.number} has no indicators")
    if v.errors:
        return None
    return FrameworkSpec(
        code=code,
        name=name,
        year=year,
        description=description,
        source=source,
        opd_kinds=tuple(opd_kinds),
        tatanan=tuple(tatanan),
        indicators=tuple(indicators),
        checksum=checksum,
        source_name=v.source_name,
    )


def _opd_kinds(top: dict, v: _Validator) -> list[OpdKindSpec]:
    items = v.sequence(top, "opd_kinds", (), required=False) or []
    out, seen = [], set()
    for i, raw in enumerate(items):
        path: Path = ("opd_kinds", i)
        item = v.mapping(raw, path, OPD_FIELDS)
        if item is None:
            continue
        code = v.slug(item, "code", path, max_length=40)
        name = v.text(item, "name", path, required=True, max_length=160)
        if code in seen:
            v.error((*path, "code"), f"duplicate OPD kind code '{code}'")
        elif code and name:
            seen.add(code)
            out.append(OpdKindSpec(code=code, name=name))
    return out


def _tatanan(top: dict, v: _Validator) -> list[TatananSpec]:
    items = v.sequence(top, "tatanan", (), required=True)
    if items is None:
        return []
    if not items:
        v.error(("tatanan",), "must list at least one tatanan")
    out, seen = [], set()
    for i, raw in enumerate(items):
        path: Path = ("tatanan", i)
        item = v.mapping(raw, path, TATANAN_FIELDS)
        if item is None:
            continue
        number = v.integer(item, "number", path, required=True, low=1, high=99)
        name = v.text(item, "name", path, required=True, max_length=200)
        description = v.text(item, "description", path, required=False)
        if number is not None and number in seen:
            v.error((*path, "number"), f"duplicate tatanan number {number}")
        elif number is not None and name:
            seen.add(number)
            out.append(TatananSpec(number=number, name=name, description=description or ""))
    return out


def _indicators(top: dict, v: _Validator, *, opd_codes: set[str], tatanan: set[int]) -> list[IndicatorSpec] | None:
    items = v.sequence(top, "indicators", (), required=True)
    if items is None:
        return None
    if not items:
        v.error(("indicators",), "must list at least one indicator")
    out: list[IndicatorSpec] = []
    codes: set[str] = set()
    numbers: set[tuple[str, int | None, int]] = set()
    for i, raw in enumerate(items):
        path: Path = ("indicators", i)
        item = v.mapping(raw, path, INDICATOR_FIELDS)
        if item is None:
            continue
        before = len(v.errors)
        code = v.text(item, "code", path, required=True, max_length=20)
        if code is not None and code in codes:
            v.error((*path, "code"), f"duplicate indicator code '{code}'")
        codes.add(code)
        kind = item.get("kind", "tatanan")
        if kind not in KINDS:
            v.error((*path, "kind"), f"{kind!r} is not one of {', '.join(KINDS)}")
            kind = None
        tatanan_number = _indicator_tatanan(item, v, path, kind, tatanan)
        body_kind = _indicator_body_kind(item, v, path, kind)
        number = v.integer(item, "number", path, required=True, low=1, high=32767)
        if number is not None and kind is not None:
            key = (kind, tatanan_number, number)
            if key in numbers:
                where = f"tatanan {tatanan_number}" if kind == "tatanan" else "kelembagaan"
                v.error((*path, "number"), f"duplicate number {number} in {where}")
            numbers.add(key)
        name = v.text(item, "name", path, required=True)
        definition = v.text(item, "operational_definition", path, required=False)
        data_source = v.text(item, "data_source", path, required=False)
        evidence = v.text(item, "required_evidence", path, required=False)
        opd = _indicator_opd_kinds(item, v, path, opd_codes)
        scale = _scale(item, v, path)
        rules = validate_rules(item, v, path, kind, {o.value for o in scale})
        if len(v.errors) == before:
            out.append(
                IndicatorSpec(
                    code=code,
                    kind=kind,
                    tatanan=tatanan_number,
                    number=number,
                    name=name,
                    operational_definition=definition,
                    data_source=data_source,
                    required_evidence=evidence,
                    body_kind=body_kind or "",
                    responsible_opd_kinds=opd,
                    scale=scale,
                    rules=rules,
                )
            )
    return out


def _indicator_tatanan(item, v: _Validator, path: Path, kind, tatanan: set[int]) -> int | None:
    if kind == "kelembagaan":
        if item.get("tatanan") is not None:
            v.error((*path, "tatanan"), "a kelembagaan indicator belongs to no tatanan; remove this field")
        return None
    number = v.integer(item, "tatanan", path, required=kind == "tatanan", low=1, high=99)
    if number is not None and number not in tatanan:
        v.error((*path, "tatanan"), f"tatanan {number} is not defined in 'tatanan'")
    return number


def _indicator_body_kind(item, v: _Validator, path: Path, kind) -> str | None:
    if kind != "kelembagaan":
        if item.get("body_kind"):
            v.error((*path, "body_kind"), "only kelembagaan indicators name a body_kind")
        return None
    body_kind = v.text(item, "body_kind", path, required=True, max_length=24)
    if body_kind and body_kind not in BODY_KINDS:
        v.error((*path, "body_kind"), f"'{body_kind}' is not one of {', '.join(BODY_KINDS)}")
        return None
    return body_kind


def _indicator_opd_kinds(item, v: _Validator, path: Path, opd_codes: set[str]) -> tuple[str, ...]:
    items = v.sequence(item, "responsible_opd_kinds", path, required=False) or []
    out: list[str] = []
    for j, code in enumerate(items):
        where = (*path, "responsible_opd_kinds", j)
        if not isinstance(code, str):
            v.error(where, f"must be an OPD kind code, not {_kind(code)}")
        elif code not in opd_codes:
            v.error(where, f"OPD kind '{code}' is not defined in 'opd_kinds'")
        elif code in out:
            v.error(where, f"OPD kind '{code}' is listed twice")
        else:
            out.append(code)
    return tuple(out)


def _scale(item, v: _Validator, path: Path) -> tuple[ScaleSpec, ...]:
    items = v.sequence(item, "scale", path, required=True)
    if items is None:
        return ()
    out: list[ScaleSpec] = []
    values: set[int] = set()
    invalid = False
    allowed = ", ".join(str(a) for a in ALLOWED_VALUES)
    for j, raw in enumerate(items):
        where: Path = (*path, "scale", j)
        option = v.mapping(raw, where, SCALE_FIELDS)
        if option is None:
            continue
        value = option.get("value")
        if value is None:
            invalid = True
            v.error(where, "missing required field 'value'")
        elif isinstance(value, bool) or not isinstance(value, int) or value not in ALLOWED_VALUES:
            invalid = True
            v.error((*where, "value"), f"{value} is not one of {allowed}")
        elif value in values:
            v.error((*where, "value"), f"value {value} appears twice in this scale")
        else:
            values.add(value)
        description = v.text(option, "description", where, required=True)
        if value in ALLOWED_VALUES and description:
            out.append(ScaleSpec(value=value, description=description))
    if len(items) < 2:
        v.error((*path, "scale"), "needs at least 2 options")
    elif not invalid and not {0, 100} <= values:
        v.error((*path, "scale"), "must include the values 0 and 100")
    return tuple(sorted(out, key=lambda o: -o.value))
