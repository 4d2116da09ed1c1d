"""The award rules of a cycle and the official results: loaded from the database into the pure scoring module.

``cycle_policy`` turns a cycle's award fields into ``tatanan.scoring.ScoringPolicy`` (which checks them);
``paripurna_facts`` gives the earlier official results Wistara Paripurna depends on, for many assessments in
two queries; ``official_trend`` is a regency's official level cycle by cycle; ``policy_lines`` says a policy
in Indonesian, for the cycle page, the assessment page and the dossier alike.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from evaluations.choices import AwardBasis, AwardLevel
from evaluations.models import Assessment, Cycle, OfficialResult
from forums.models import Region
from tatanan.scoring import BAND_LEVELS, BandBasis, Level, LevelRule, ParipurnaFacts, ScoringPolicy

# The fields of Cycle that hold its award policy, in form order.
RULE_FIELDS = tuple(f"{level.value}_{end}" for level in BAND_LEVELS for end in ("min_score", "min_odf"))
POLICY_FIELDS = ("award_band_basis", *RULE_FIELDS, "award_requires_kelembagaan", "paripurna_streak")
LEVEL_NAMES = {
    Level.PADAPA: gettext_lazy("Padapa"),
    Level.WIWERDA: gettext_lazy("Wiwerda"),
    Level.WISTARA: gettext_lazy("Wistara"),
}


def policy_from_values(values: dict) -> ScoringPolicy:
    """A ScoringPolicy from the award fields of a cycle (a dict of POLICY_FIELDS); ScoringError if inconsistent."""
    rules = tuple(
        LevelRule(level, Decimal(values[f"{level.value}_min_score"]), Decimal(values[f"{level.value}_min_odf"]))
        for level in BAND_LEVELS
    )
    return ScoringPolicy(
        rules=rules,
        band_basis=BandBasis(values["award_band_basis"]),
        require_kelembagaan=bool(values["award_requires_kelembagaan"]),
        paripurna_streak=int(values["paripurna_streak"]),
    )


def cycle_policy(cycle: Cycle) -> ScoringPolicy:
    """The award rules ``cycle`` is scored by (no query: they are fields of the cycle)."""
    return policy_from_values({field: getattr(cycle, field) for field in POLICY_FIELDS})


def _number(value: Decimal) -> str:
    return number_format(value, decimal_pos=0 if value == value.to_integral() else 2)


def policy_lines(policy: ScoringPolicy) -> list[str]:
    """The policy in plain Indonesian, one line per rule: the basis, each band, the kelembagaan gate, Paripurna."""
    if policy.band_basis == BandBasis.EACH_TATANAN:
        basis = _("Dasar penilaian: per tatanan (setiap tatanan harus mencapai nilai minimal tingkatnya).")
    else:
        basis = _("Dasar penilaian: rata-rata tatanan (rata-rata nilai tatanan harus mencapai nilai minimal).")
    lines = [basis]
    for rule in policy.rules:
        lines.append(
            _("%(level)s: nilai minimal %(score)s, desa/kelurahan ODF minimal %(odf)s%%.")
            % {"level": LEVEL_NAMES[rule.level], "score": _number(rule.min_score), "odf": _number(rule.min_odf)}
        )
    if policy.require_kelembagaan:
        lines.append(_("Kelembagaan wajib lengkap untuk setiap tingkat."))
    else:
        lines.append(_("Kelembagaan tidak menjadi syarat tingkat."))
    lines.append(
        _(
            "Wistara Paripurna: Wistara, dengan hasil resmi Wistara pada %(n)s siklus penghargaan sebelumnya "
            "berturut-turut, IP-SPM terpenuhi, dan inovasi yang direplikasi daerah lain."
        )
        % {"n": policy.paripurna_streak}
    )
    return lines


def paripurna_facts(assessments: Iterable[Assessment]) -> dict[int, ParipurnaFacts]:
    """{assessment id: ParipurnaFacts} for assessments with ``cycle`` loaded; two queries whatever their number."""
    assessments = list(assessments)
    if not assessments:
        return {}
    latest = max(a.cycle.year for a in assessments)
    earlier = list(
        Cycle.objects.filter(year__lt=latest, official_results__isnull=False)
        .distinct()
        .order_by("-year", "-pk")
        .values_list("pk", "year")
    )
    levels: dict[tuple[int, int], Level] = {}
    if earlier:
        rows = OfficialResult.objects.filter(
            cycle_id__in=[pk for pk, _year in earlier], regency_id__in={a.regency_id for a in assessments}
        ).values_list("cycle_id", "regency_id", "level")
        levels = {(cycle_id, regency_id): Level(level) for cycle_id, regency_id, level in rows}
    facts = {}
    for a in assessments:
        previous = tuple(levels.get((pk, a.regency_id)) for pk, year in earlier if year < a.cycle.year)
        facts[a.pk] = ParipurnaFacts(previous=previous, ip_spm=a.ip_spm_met, innovation=a.innovation_adopted)
    return facts


@dataclass(frozen=True)
class TrendRow:
    cycle: Cycle
    result: OfficialResult | None

    @property
    def level_label(self) -> str:
        return self.result.get_level_display() if self.result else str(_("Belum dicatat"))


def official_trend(regency: Region) -> list[TrendRow]:
    """The regency's official level in every award cycle (and in cycles where it has a result), oldest first."""
    results = {r.cycle_id: r for r in OfficialResult.objects.filter(regency=regency)}
    cycles = Cycle.objects.filter(official_results__isnull=False).distinct().order_by("year", "pk")
    return [TrendRow(c, results.get(c.pk)) for c in cycles]


def official_results_of(cycle: Cycle) -> list[OfficialResult]:
    return list(
        OfficialResult.objects.filter(cycle=cycle)
        .select_related("regency__parent", "recorded_by")
        .order_by("regency__code")
    )


__all__ = [
    "POLICY_FIELDS",
    "RULE_FIELDS",
    "AwardBasis",
    "AwardLevel",
    "TrendRow",
    "cycle_policy",
    "official_results_of",
    "official_trend",
    "paripurna_facts",
    "policy_from_values",
    "policy_lines",
]
