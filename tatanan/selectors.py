"""Reads about framework versions and their web imports (no writes)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from .diff import FrameworkDiff, framework_diff
from .framework_spec import FrameworkSpec, IndicatorSpec, OpdKindSpec, ScaleSpec, TatananSpec
from .loader import FrameworkFileError, parse_framework
from .models import FrameworkImport, FrameworkStatus, FrameworkVersion, ImportStatus, Indicator, ScaleOption


def framework_spec(framework: FrameworkVersion) -> FrameworkSpec:
    """A stored framework as the spec its file would give (for comparing it with a new file)."""
    indicators = list(
        Indicator.objects.filter(framework=framework)
        .select_related("tatanan")
        .prefetch_related(Prefetch("scale_options", queryset=ScaleOption.objects.order_by("-value")))
        .prefetch_related("responsible_opd_kinds")
        .order_by("sort_order", "pk")
    )
    opd_kinds: dict[str, OpdKindSpec] = {}
    specs = []
    for i in indicators:
        kinds = sorted(i.responsible_opd_kinds.all(), key=lambda k: k.code)
        for k in kinds:
            opd_kinds.setdefault(k.code, OpdKindSpec(code=k.code, name=k.name))
        specs.append(
            IndicatorSpec(
                code=i.code,
                kind=i.kind,
                tatanan=i.tatanan.number if i.tatanan is not None else None,
                number=i.number,
                name=i.name,
                operational_definition=i.operational_definition,
                data_source=i.data_source,
                required_evidence=i.required_evidence,
                body_kind=i.body_kind,
                responsible_opd_kinds=tuple(k.code for k in kinds),
                scale=tuple(ScaleSpec(value=o.value, description=o.description) for o in i.scale_options.all()),
            )
        )
    tatanan = tuple(
        TatananSpec(number=t.number, name=t.name, description=t.description)
        for t in framework.tatanan.order_by("number")
    )
    return FrameworkSpec(
        code=framework.code,
        name=framework.name,
        year=framework.year,
        description=framework.description,
        source=framework.source,
        opd_kinds=tuple(sorted(opd_kinds.values(), key=lambda k: k.code)),
        tatanan=tatanan,
        indicators=tuple(specs),
        checksum=framework.checksum,
        source_name=framework.code,
    )


def load_refusal(spec: FrameworkSpec, framework: FrameworkVersion | None) -> str | None:
    """Why ``framework_load`` refuses this valid file while ``framework`` has its code, or None if it may load.

    The messages are the command's (``load_framework``); the web import shows them as they are.
    """
    if framework is None or framework.checksum == spec.checksum:
        return None
    if framework.is_published:
        return (
            f"Framework '{spec.code}' is published and cannot be changed: {spec.source_name} differs from the "
            f"file it was loaded from. Give the new version a new code (e.g. '{spec.code}-r2') and load that."
        )
    if Indicator.objects.filter(framework=framework, responses__isnull=False).exists():
        return (
            f"Draft framework '{spec.code}' cannot be replaced: assessments have already answered its "
            "indicators. Load the new file under a new code."
        )
    return None


def comparable_frameworks(*, exclude_code: str = "") -> QuerySet[FrameworkVersion]:
    """Published frameworks a new file may be compared with, the latest first."""
    return (
        FrameworkVersion.objects.filter(status=FrameworkStatus.PUBLISHED)
        .exclude(code=exclude_code)
        .order_by("-year", "-published_at", "-pk")
    )


def import_list() -> QuerySet[FrameworkImport]:
    return FrameworkImport.objects.select_related("uploaded_by", "framework").defer("content")


ERROR_LINE = re.compile(r"^[^:]* line (\d+): ")
QUOTE_MAX = 160


@dataclass(frozen=True)
class ErrorLine:
    """One problem as the command prints it, with the file's line it points at (when it names one)."""

    message: str
    line: int | None
    source: str


def _error_lines(errors: tuple[str, ...], content: str) -> tuple[ErrorLine, ...]:
    rows = content.splitlines()
    out = []
    for message in errors:
        match = ERROR_LINE.match(message)
        number = int(match.group(1)) if match else None
        source = rows[number - 1].strip() if number is not None and 0 < number <= len(rows) else ""
        out.append(ErrorLine(message=message, line=number, source=source[:QUOTE_MAX]))
    return tuple(out)


@dataclass(frozen=True)
class DryRun:
    """What loading an import would do, computed again from its stored content."""

    spec: FrameworkSpec | None
    errors: tuple[str, ...]
    existing: FrameworkVersion | None  # the framework with the file's code, if there is one
    refusal: str | None  # why it cannot be loaded now (the command's message), if it cannot
    previous: FrameworkVersion | None  # the version the diff compares with
    choices: tuple[FrameworkVersion, ...]  # the versions the admin may compare with instead
    diff: FrameworkDiff | None
    error_lines: tuple[ErrorLine, ...] = ()

    @property
    def same_file(self) -> bool:
        """The framework with this code was loaded from exactly this file."""
        return self.existing is not None and self.spec is not None and self.existing.checksum == self.spec.checksum

    @property
    def n_tatanan_indicators(self) -> int:
        return self.spec.count("tatanan") if self.spec is not None else 0

    @property
    def n_kelembagaan(self) -> int:
        return self.spec.count("kelembagaan") if self.spec is not None else 0

    @property
    def can_load(self) -> bool:
        return self.spec is not None and self.refusal is None

    @property
    def replaces_draft(self) -> bool:
        return self.existing is not None and not self.existing.is_published and not self.same_file


def import_dry_run(framework_import: FrameworkImport, *, compare_code: str | None = None) -> DryRun:
    """Parse the stored file again (the same path as ``load_framework``) and compare it with a published version.

    ``compare_code`` picks the version to compare with; by default (or when it names no published
    framework other than this one) the latest published framework other than the file's own.
    """
    errors: tuple[str, ...] = tuple(framework_import.errors)
    spec = None
    if framework_import.status != ImportStatus.INVALID:
        try:
            spec = parse_framework(framework_import.content.encode("utf-8"), source_name=framework_import.file_name)
        except FrameworkFileError as exc:  # the parser may have become stricter since the upload
            errors = tuple(exc.errors)
    if spec is None:
        return DryRun(
            spec=None,
            errors=errors,
            existing=None,
            refusal=None,
            previous=None,
            choices=(),
            diff=None,
            error_lines=_error_lines(errors, framework_import.content),
        )
    choices = tuple(comparable_frameworks(exclude_code=spec.code))
    previous = next((f for f in choices if f.code == compare_code), choices[0] if choices else None)
    existing = FrameworkVersion.objects.filter(code=spec.code).first()
    return DryRun(
        spec=spec,
        errors=(),
        existing=existing,
        refusal=load_refusal(spec, existing),
        previous=previous,
        choices=choices,
        diff=framework_diff(framework_spec(previous), spec) if previous is not None else None,
    )
