"""Charts drawn on the server as SVG, so the same markup serves the web page and the PDF.

Plain SVG elements only (rect, line, text): WeasyPrint renders them, browsers
need no script, and the CSP stays strict.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils import formats
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from tatanan.scoring import DEFAULT_POLICY, ScoringPolicy

FONT = "DejaVu Sans, Arial, sans-serif"
PALETTE = ("#198754", "#0d6efd", "#6f42c1", "#fd7e14")
LABEL_WIDTH = 230
VALUE_WIDTH = 48
BAR_HEIGHT = 12
ROW_GAP = 10
TOP = 44
LABEL_CHARS = 34


@dataclass(frozen=True)
class Series:
    label: str
    values: Sequence[Decimal | int | float | None]


def _short(text: str, limit: int = LABEL_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _number(value) -> str:
    """At most two decimals, without trailing zeros, in the active locale (17,91 in Indonesian, 17.91 in English)."""
    if value is None:
        return "—"
    text = formats.number_format(Decimal(value).quantize(Decimal("0.01")), decimal_pos=2)
    separator = formats.get_format("DECIMAL_SEPARATOR")
    return text.rstrip("0").rstrip(separator) if separator in text else text


def bar_chart(
    *,
    title: str,
    labels: Sequence[str],
    series: Sequence[Series],
    max_value: Decimal | int = 100,
    thresholds: Sequence[tuple[Decimal | int, str]] = (),
    width: int = 720,
) -> SafeString:
    """A horizontal bar chart with one group of bars per label, one bar per series."""
    plot_width = width - LABEL_WIDTH - VALUE_WIDTH
    group = len(series) * BAR_HEIGHT + ROW_GAP
    legend = 22 if len(series) > 1 else 0
    height = TOP + max(len(labels), 1) * group + legend + 8
    scale = Decimal(plot_width) / Decimal(max_value or 1)

    parts = [
        format_html(
            '<svg xmlns="http://www.w3.org/2000/svg" class="kks-chart img-fluid" role="img" aria-label="{}" '
            'width="{}" height="{}" viewBox="0 0 {} {}" font-family="{}" font-size="11">',
            title,
            width,
            height,
            width,
            height,
            FONT,
        ),
        format_html("<title>{}</title>", title),
        format_html('<rect x="0" y="0" width="{}" height="{}" fill="#ffffff"/>', width, height),
    ]
    bottom = TOP + len(labels) * group
    for n, (value, name) in enumerate(thresholds):
        x = LABEL_WIDTH + int(Decimal(value) * scale)
        label_y = 12 + 11 * (n % 3)  # staggered so that close thresholds stay readable
        parts.append(
            format_html(
                '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#6c757d" stroke-width="1" stroke-dasharray="4 3"/>'
                '<text x="{}" y="{}" text-anchor="end" fill="#495057" font-size="10">{} {}</text>',
                x,
                label_y - 8,
                x,
                bottom,
                x - 3,
                label_y,
                name,
                _number(value),
            )
        )
    parts.append(
        format_html(
            '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#212529" stroke-width="1"/>',
            LABEL_WIDTH,
            TOP - 4,
            LABEL_WIDTH,
            bottom,
        )
    )
    for i, label in enumerate(labels):
        y = TOP + i * group
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="end" fill="#212529"><title>{}</title>{}</text>',
                LABEL_WIDTH - 6,
                y + len(series) * BAR_HEIGHT / 2 + 4,
                label,
                _short(label),
            )
        )
        for j, s in enumerate(series):
            value = s.values[i] if i < len(s.values) else None
            bar_y = y + j * BAR_HEIGHT
            bar_w = int(min(Decimal(value), Decimal(max_value)) * scale) if value is not None else 0
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}: {}</title></rect>'
                    '<text x="{}" y="{}" fill="#212529" font-size="10">{}</text>',
                    LABEL_WIDTH,
                    bar_y + 1,
                    bar_w,
                    BAR_HEIGHT - 2,
                    PALETTE[j % len(PALETTE)],
                    s.label,
                    _number(value),
                    LABEL_WIDTH + bar_w + 4,
                    bar_y + BAR_HEIGHT - 2,
                    _number(value),
                )
            )
    if legend:
        x = LABEL_WIDTH
        for j, s in enumerate(series):
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="10" height="10" fill="{}"/>'
                    '<text x="{}" y="{}" fill="#212529">{}</text>',
                    x,
                    bottom + 8,
                    PALETTE[j % len(PALETTE)],
                    x + 14,
                    bottom + 17,
                    s.label,
                )
            )
            x += 24 + 7 * len(s.label)
    parts.append(mark_safe("</svg>"))
    return mark_safe("".join(str(p) for p in parts))


def level_thresholds(policy: ScoringPolicy = DEFAULT_POLICY) -> list[tuple[Decimal, str]]:
    """The score bands of the Swasti Saba levels, for threshold lines."""
    return [(rule.min_score, rule.level.value.capitalize()) for rule in sorted(policy.rules, key=lambda r: r.min_score)]


def empty_chart(title: str) -> SafeString:
    """A placeholder with the same accessible name when there is nothing to draw."""
    return format_html('<p class="text-body-secondary">{}: {}</p>', title, _("belum ada data"))
