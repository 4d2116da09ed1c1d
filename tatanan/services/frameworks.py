"""Business actions on framework versions: loading a framework file and publishing it.

A published framework is immutable: loading the same file again changes nothing, and a different
file with the code of a published framework is refused. A draft may be replaced by a new file as
long as no assessment has answered its indicators yet.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from forums.models import OpdKind
from tatanan.loader import FrameworkSpec, parse_framework
from tatanan.models import FrameworkStatus, FrameworkVersion, Indicator, IndicatorKind, ScaleOption, Tatanan
from tatanan.selectors import load_refusal


class FrameworkLoadError(Exception):
    """A valid file that may not be loaded in the current state (e.g. it would change a published framework)."""


@dataclass(frozen=True)
class LoadResult:
    framework: FrameworkVersion
    outcome: str  # "created", "replaced", "published" (same file, now published) or "unchanged"
    spec: FrameworkSpec

    @property
    def changed(self) -> bool:
        return self.outcome != "unchanged"


@transaction.atomic
def framework_load(*, data: bytes | str, source_name: str, publish: bool = False) -> LoadResult:
    """Validate ``data`` (the file's content) completely, then create or replace the framework it describes.

    Nothing is written unless the whole file is valid (``loader.FrameworkFileError``) and allowed
    (``FrameworkLoadError``); everything runs in one transaction.
    """
    spec = parse_framework(data, source_name=source_name)
    framework = FrameworkVersion.objects.select_for_update().filter(code=spec.code).first()
    if framework is not None and framework.checksum == spec.checksum:
        if publish and not framework.is_published:
            framework_publish(framework=framework)
            return LoadResult(framework=framework, outcome="published", spec=spec)
        return LoadResult(framework=framework, outcome="unchanged", spec=spec)
    refusal = load_refusal(spec, framework)
    if refusal is not None:
        raise FrameworkLoadError(refusal)
    if framework is not None:
        Indicator.objects.filter(framework=framework).delete()
        Tatanan.objects.filter(framework=framework).delete()
        outcome = "replaced"
    else:
        framework = FrameworkVersion(code=spec.code)
        outcome = "created"
    framework.name = spec.name
    framework.year = spec.year
    framework.description = spec.description
    framework.source = spec.source
    framework.checksum = spec.checksum
    framework.status = FrameworkStatus.DRAFT
    framework.published_at = None
    framework.save()
    _write_contents(framework, spec)
    if publish:
        framework_publish(framework=framework)
    return LoadResult(framework=framework, outcome=outcome, spec=spec)


def _write_contents(framework: FrameworkVersion, spec: FrameworkSpec) -> None:
    kinds = {k.code: k for k in OpdKind.objects.filter(code__in=[s.code for s in spec.opd_kinds])}
    missing = [OpdKind(code=s.code, name=s.name) for s in spec.opd_kinds if s.code not in kinds]
    for kind in OpdKind.objects.bulk_create(missing):
        kinds[kind.code] = kind
    if any(k.pk is None for k in kinds.values()):  # databases that do not return primary keys
        kinds = {k.code: k for k in OpdKind.objects.filter(code__in=list(kinds))}

    tatanan = Tatanan.objects.bulk_create(
        [Tatanan(framework=framework, number=t.number, name=t.name, description=t.description) for t in spec.tatanan]
    )
    tatanan_by_number = {t.number: t for t in tatanan}
    indicators = bulk_create_with_history(
        [
            Indicator(
                framework=framework,
                tatanan=tatanan_by_number[i.tatanan] if i.kind == "tatanan" else None,
                kind=IndicatorKind.TATANAN if i.kind == "tatanan" else IndicatorKind.KELEMBAGAAN,
                code=i.code,
                number=i.number,
                name=i.name,
                operational_definition=i.operational_definition,
                data_source=i.data_source,
                required_evidence=i.required_evidence,
                body_kind=i.body_kind,
                rules=i.rules,
                sort_order=position,
            )
            for position, i in enumerate(spec.indicators, start=1)
        ],
        Indicator,
    )
    ScaleOption.objects.bulk_create(
        [
            ScaleOption(indicator=indicator, value=option.value, description=option.description)
            for indicator, i in zip(indicators, spec.indicators, strict=True)
            for option in i.scale
        ]
    )
    through = Indicator.responsible_opd_kinds.through
    through.objects.bulk_create(
        [
            through(indicator_id=indicator.pk, opdkind_id=kinds[code].pk)
            for indicator, i in zip(indicators, spec.indicators, strict=True)
            for code in i.responsible_opd_kinds
        ]
    )


@transaction.atomic
def framework_publish(*, framework: FrameworkVersion) -> FrameworkVersion:
    """Publish a draft framework; from then on it is immutable. Publishing twice changes nothing."""
    locked = FrameworkVersion.objects.select_for_update().get(pk=framework.pk)
    if not locked.is_published:
        if not Indicator.objects.filter(framework=locked).exists():
            raise FrameworkLoadError(f"Framework '{locked.code}' has no indicators and cannot be published.")
        locked.status = FrameworkStatus.PUBLISHED
        locked.published_at = timezone.now()
        locked.save(update_fields=["status", "published_at"])
    framework.status = locked.status
    framework.published_at = locked.published_at
    return framework
