"""The validated content of a framework file, and the error raised for a file that cannot be loaded."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class ScaleSpec:
    value: int
    description: str


@dataclass(frozen=True)
class IndicatorSpec:
    code: str
    kind: str
    tatanan: int | None
    number: int
    name: str
    operational_definition: str
    data_source: str
    required_evidence: str
    body_kind: str
    responsible_opd_kinds: tuple[str, ...]
    scale: tuple[ScaleSpec, ...]
    # Kelembagaan rules (docs/framework-format.md "Kelembagaan rules"); empty when the file gives none.
    rules: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class TatananSpec:
    number: int
    name: str
    description: str


@dataclass(frozen=True)
class OpdKindSpec:
    code: str
    name: str


@dataclass(frozen=True)
class FrameworkSpec:
    code: str
    name: str
    year: int
    description: str
    source: str
    opd_kinds: tuple[OpdKindSpec, ...]
    tatanan: tuple[TatananSpec, ...]
    indicators: tuple[IndicatorSpec, ...]
    checksum: str
    source_name: str

    def count(self, kind: str) -> int:
        return sum(1 for i in self.indicators if i.kind == kind)


class FrameworkFileError(ValueError):
    """A framework file that cannot be loaded; ``errors`` holds one line per problem."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("\n".join(errors))


def format_path(path: Path) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out
