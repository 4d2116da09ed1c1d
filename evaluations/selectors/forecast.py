"""The Swasti Saba readiness of an assessment in words: level, forecast and what is missing."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from evaluations.selectors.scores import AssessmentScores
from tatanan.scoring import Level, Readiness, Shortfall

LEVEL_LABELS = {
    Level.NONE: gettext_lazy("Belum mencapai tingkat penghargaan"),
    Level.PADAPA: gettext_lazy("Swasti Saba Padapa"),
    Level.WIWERDA: gettext_lazy("Swasti Saba Wiwerda"),
    Level.WISTARA: gettext_lazy("Swasti Saba Wistara"),
    Level.PARIPURNA: gettext_lazy("Swasti Saba Wistara Paripurna"),
}
BASIS_LABELS = {
    "self": gettext_lazy("Menurut nilai mandiri"),
    "verified": gettext_lazy("Tingkat saat ini (sudah diverifikasi)"),
    "forecast": gettext_lazy("Perkiraan jika semua yang menunggu verifikasi diterima"),
}


@dataclass(frozen=True)
class ReadinessView:
    basis: str
    label: str
    level: Level
    level_label: str
    score: object
    next_level_label: str | None
    missing: list[str]


def _number(value: Decimal | None) -> str:
    return "" if value is None else number_format(value, decimal_pos=2 if value != value.to_integral() else 0)


def describe_shortfall(shortfall: Shortfall, tatanan_names: dict[str, str] | None = None) -> str:
    """One Shortfall code in plain Indonesian."""
    code = shortfall.code
    params = {
        "required": _number(shortfall.required),
        "actual": _number(shortfall.actual),
        "gap": _number(shortfall.gap),
    }
    if code == "kelembagaan":
        return _("Kelembagaan belum lengkap: setiap indikator kelembagaan harus bernilai lebih dari 0.")
    if code == "odf":
        return _("Desa/kelurahan ODF (stop BABS) minimal %(required)s%%, saat ini %(actual)s%%.") % params
    if code == "score":
        return _("Nilai rata-rata tatanan minimal %(required)s, saat ini %(actual)s (kurang %(gap)s).") % params
    if code == "wistara_streak":
        return (
            _(
                "Hasil resmi Wistara berturut-turut pada siklus penghargaan sebelumnya: "
                "perlu %(required)s, ada %(actual)s."
            )
            % params
        )
    if code == "ip_spm":
        return _("IP-SPM belum dinyatakan terpenuhi pada data umum penilaian.")
    if code == "innovation":
        return _("Inovasi yang direplikasi daerah lain belum dicatat pada data umum penilaian.")
    if code.startswith("tatanan:"):
        key = code.split(":", 1)[1]
        params["tatanan"] = (tatanan_names or {}).get(key, key)
        return _("Tatanan %(tatanan)s minimal %(required)s, saat ini %(actual)s (kurang %(gap)s).") % params
    return code


def readiness_views(scores: AssessmentScores) -> list[ReadinessView]:
    names = {str(row.tatanan.number): str(row.tatanan) for row in scores.tatanan}
    views = []
    for basis in ("verified", "forecast", "self"):
        r: Readiness = scores.readiness[basis]
        views.append(
            ReadinessView(
                basis=basis,
                label=str(BASIS_LABELS[basis]),
                level=r.level,
                level_label=str(LEVEL_LABELS[r.level]),
                score=r.score,
                next_level_label=str(LEVEL_LABELS[r.next_level]) if r.next_level else None,
                missing=[describe_shortfall(s, names) for s in r.missing],
            )
        )
    return views
