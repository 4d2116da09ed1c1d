"""Pure KKS scoring: tatanan scores, overall score and the Swasti Saba level.

No Django imports: this module takes plain values and returns frozen
dataclasses, so it can be tested with the published figures alone.

Rules (Juknis Penilaian KKS 2025, see docs and shared research):
- a tatanan score is the mean of its indicator values, i.e.
  sum(values) / (n * 100) * 100, where an unanswered indicator counts as 0;
- Padapa: ODF >= 80% and score 71-80; Wiwerda: ODF >= 90% and 81-90;
  Wistara: ODF 100% and >= 91; kelembagaan must be in place for any level;
- Wistara Paripurna: Wistara, after Wistara in the two previous award cycles
  (recorded official results), with IP-SPM and an innovation adopted elsewhere.
Whether the score band applies to the mean of the tatanan or to every tatanan
is not settled in the sources (Madiun and Kota Banjar say every tatanan; Kota
Kediri 2025 won Padapa with a mean in the Wiwerda band), so it is a policy
parameter of each cycle, per tatanan by default. ``readiness`` is the one rule
that decides a level; the database side only loads the numbers it needs.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import Enum
from functools import lru_cache

HUNDRED = Decimal(100)
CENT = Decimal("0.01")
ROUNDING = ROUND_HALF_UP
SCALE_VALUES = frozenset({0, 25, 50, 75, 100})
MAX_STREAK = 10


class ScoringError(ValueError):
    """A value that the framework does not allow, or a policy whose rules contradict each other.

    ``code`` names the broken rule (for a translated message), ``level`` the level it concerns, if any.
    """

    def __init__(self, message: str, *, code: str = "", level: Level | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.level = level


def quantize(value: Decimal) -> Decimal:
    """The single rounding step: two decimals, half up (as the published figures)."""
    return value.quantize(CENT, rounding=ROUNDING)


class Level(str, Enum):  # noqa: UP042 (str() of members is relied upon elsewhere)
    NONE = "none"
    PADAPA = "padapa"
    WIWERDA = "wiwerda"
    WISTARA = "wistara"
    PARIPURNA = "paripurna"  # Wistara Paripurna: Wistara again after a streak of Wistara, with IP-SPM and innovation


LEVEL_ORDER = (Level.NONE, Level.PADAPA, Level.WIWERDA, Level.WISTARA, Level.PARIPURNA)
BAND_LEVELS = (Level.PADAPA, Level.WIWERDA, Level.WISTARA)  # the levels a score/ODF band awards
WISTARA_OR_ABOVE = frozenset({Level.WISTARA, Level.PARIPURNA})


class BandBasis(str, Enum):  # noqa: UP042
    EACH_TATANAN = "each_tatanan"  # every tatanan must reach the band (the default: Madiun, Kota Banjar)
    MEAN = "mean"  # the mean of the tatanan scores must reach the band


@dataclass(frozen=True)
class LevelRule:
    level: Level
    min_score: Decimal
    min_odf: Decimal


@dataclass(frozen=True)
class ScoringPolicy:
    """The award rules of a cycle; the defaults are the 2025 Juknis.

    ``rules`` are the score/ODF bands, from the lowest level up: each for a higher level than the one before,
    with a higher score and no lower ODF share, all within 0-100. ``band_basis`` says whether every tatanan
    or their mean must reach a band's score (per tatanan by default: Kota Kediri 2025 won Padapa with a mean
    in the Wiwerda band, its lowest tatanan in the Padapa band). ``require_kelembagaan`` gates every level.
    Wistara Paripurna needs Wistara now and in the ``paripurna_streak`` previous award cycles, plus IP-SPM and
    an adopted innovation. Anything inconsistent is refused (ScoringError) rather than quietly re-sorted.
    """

    rules: tuple[LevelRule, ...] = (
        LevelRule(Level.PADAPA, Decimal(71), Decimal(80)),
        LevelRule(Level.WIWERDA, Decimal(81), Decimal(90)),
        LevelRule(Level.WISTARA, Decimal(91), Decimal(100)),
    )
    band_basis: BandBasis = BandBasis.EACH_TATANAN
    require_kelembagaan: bool = True
    paripurna_streak: int = 2

    def __post_init__(self) -> None:
        previous: LevelRule | None = None
        for rule in self.rules:
            if rule.level not in BAND_LEVELS:
                raise ScoringError(f"a rule cannot award {rule.level.value}", code="level", level=rule.level)
            for value in (rule.min_score, rule.min_odf):
                if not Decimal(0) <= value <= HUNDRED:
                    raise ScoringError(
                        f"threshold {value} of {rule.level.value} is outside 0-100", code="range", level=rule.level
                    )
            if previous is not None:
                if LEVEL_ORDER.index(rule.level) <= LEVEL_ORDER.index(previous.level):
                    raise ScoringError(
                        f"rule for {rule.level.value} comes after {previous.level.value}",
                        code="order",
                        level=rule.level,
                    )
                if rule.min_score <= previous.min_score:
                    raise ScoringError(
                        f"{rule.level.value} needs a higher score than {previous.level.value}",
                        code="score_order",
                        level=rule.level,
                    )
                if rule.min_odf < previous.min_odf:
                    raise ScoringError(
                        f"{rule.level.value} needs at least the ODF share of {previous.level.value}",
                        code="odf_order",
                        level=rule.level,
                    )
            previous = rule
        if not isinstance(self.band_basis, BandBasis):
            raise ScoringError(f"unknown band basis {self.band_basis!r}", code="basis")
        if not 1 <= self.paripurna_streak <= MAX_STREAK:
            raise ScoringError(f"the Wistara streak must be 1-{MAX_STREAK}", code="streak")


DEFAULT_POLICY = ScoringPolicy()


@dataclass(frozen=True)
class TatananScore:
    total: int
    count: int
    answered: int
    percent: Decimal

    @property
    def max_total(self) -> int:
        return self.count * 100


@dataclass(frozen=True)
class Shortfall:
    """One reason the next level is not reached: what is required and what there is."""

    code: str  # "score", "odf", "kelembagaan" or "tatanan:<key>"
    required: Decimal | None = None
    actual: Decimal | None = None

    @property
    def gap(self) -> Decimal | None:
        if self.required is None or self.actual is None:
            return None
        return quantize(max(self.required - self.actual, Decimal(0)))


@dataclass(frozen=True)
class ParipurnaFacts:
    """What Wistara Paripurna needs besides Wistara now: the official results of the earlier award cycles
    (newest first; None where the regency has no recorded result, which breaks the streak), and the IP-SPM and
    adopted innovation recorded on the assessment."""

    previous: tuple[Level | None, ...] = ()
    ip_spm: bool = False
    innovation: bool = False

    @property
    def wistara_streak(self) -> int:
        """How many of the latest earlier results in a row are Wistara (or Wistara Paripurna)."""
        streak = 0
        for level in self.previous:
            if level not in WISTARA_OR_ABOVE:
                break
            streak += 1
        return streak


NO_FACTS = ParipurnaFacts()


@dataclass(frozen=True)
class Readiness:
    level: Level
    score: Decimal
    odf_percent: Decimal
    kelembagaan_complete: bool
    next_level: Level | None
    missing: tuple[Shortfall, ...] = field(default_factory=tuple)


def validate_value(value: int, allowed: Iterable[int]) -> int:
    """Return ``value`` if the indicator's scale allows it, else raise ScoringError."""
    allowed_set = set(allowed)
    if not allowed_set <= SCALE_VALUES:
        raise ScoringError(f"scale {sorted(allowed_set)} has values outside 0/25/50/75/100")
    if value not in allowed_set:
        raise ScoringError(f"value {value} is not on the scale {sorted(allowed_set, reverse=True)}")
    return value


def tatanan_score(values: Sequence[int | None]) -> TatananScore:
    """Mean of the indicator values in percent; an unanswered indicator counts as 0."""
    count = len(values)
    answered = sum(1 for v in values if v is not None)
    total = sum(v for v in values if v is not None)
    return tatanan_score_from_total(total, count, answered)


def overall_score(scores: Iterable[TatananScore]) -> Decimal:
    """Mean of the tatanan percentages (each tatanan weighs the same)."""
    percents = [s.percent for s in scores if s.count]
    if not percents:
        return Decimal(0)
    return quantize(sum(percents) / Decimal(len(percents)))  # not empty: a Decimal


def odf_percent(villages_total: int, villages_odf: int) -> Decimal:
    """Share of desa/kelurahan declared stop BABS (ODF), in percent."""
    if villages_total <= 0:
        return Decimal(0)
    if villages_odf < 0 or villages_odf > villages_total:
        raise ScoringError("ODF villages must be between 0 and the number of villages")
    return quantize(Decimal(villages_odf) * HUNDRED / Decimal(villages_total))


def kelembagaan_complete(values: Sequence[int | None]) -> bool:
    """Kelembagaan is in place when every kelembagaan indicator is answered above 0."""
    return bool(values) and all(values)  # neither None (unanswered) nor 0


def _shortfalls(
    rule: LevelRule,
    *,
    score: Decimal,
    tatanan: Mapping[str, TatananScore],
    odf: Decimal,
    kelembagaan: bool,
    policy: ScoringPolicy,
) -> list[Shortfall]:
    """What ``rule`` still lacks (empty when it is met)."""
    missing: list[Shortfall] = []
    if policy.require_kelembagaan and not kelembagaan:
        missing.append(Shortfall("kelembagaan"))
    if odf < rule.min_odf:
        missing.append(Shortfall("odf", rule.min_odf, odf))
    if policy.band_basis == BandBasis.EACH_TATANAN:
        # A tatanan without indicators is not scored (as in overall_score); with none scored the band is unmet.
        scored = {key: ts for key, ts in tatanan.items() if ts.count}
        if not scored:
            missing.append(Shortfall("score", rule.min_score, score))
        for key, ts in scored.items():
            if ts.percent < rule.min_score:
                missing.append(Shortfall(f"tatanan:{key}", rule.min_score, ts.percent))
    elif score < rule.min_score:
        missing.append(Shortfall("score", rule.min_score, score))
    return missing


def _paripurna_shortfalls(facts: ParipurnaFacts, policy: ScoringPolicy) -> list[Shortfall]:
    """What Wistara Paripurna still lacks once Wistara is reached (empty when it is met)."""
    missing: list[Shortfall] = []
    streak = facts.wistara_streak
    if streak < policy.paripurna_streak:
        missing.append(Shortfall("wistara_streak", Decimal(policy.paripurna_streak), Decimal(streak)))
    if not facts.ip_spm:
        missing.append(Shortfall("ip_spm"))
    if not facts.innovation:
        missing.append(Shortfall("innovation"))
    return missing


def readiness(
    *,
    tatanan: Mapping[str, TatananScore],
    odf: Decimal,
    kelembagaan: bool,
    policy: ScoringPolicy = DEFAULT_POLICY,
    paripurna: ParipurnaFacts = NO_FACTS,
) -> Readiness:
    """The one rule: the highest level reached, and what the next level still lacks.

    The bands are checked from the lowest up; a level is reached when its band has no shortfall. Wistara
    becomes Wistara Paripurna when nothing of ``_paripurna_shortfalls`` is missing.
    """
    score = overall_score(tatanan.values())
    reached = Level.NONE
    next_level: Level | None = None
    missing: tuple[Shortfall, ...] = ()
    for rule in policy.rules:  # lowest level first (ScoringPolicy checks the order)
        lacking = _shortfalls(rule, score=score, tatanan=tatanan, odf=odf, kelembagaan=kelembagaan, policy=policy)
        if lacking:
            next_level, missing = rule.level, tuple(lacking)
            break
        reached = rule.level
    if reached == Level.WISTARA:
        lacking = _paripurna_shortfalls(paripurna, policy)
        if lacking:
            next_level, missing = Level.PARIPURNA, tuple(lacking)
        else:
            reached = Level.PARIPURNA
    return Readiness(
        level=reached,
        score=score,
        odf_percent=odf,
        kelembagaan_complete=kelembagaan,
        next_level=next_level,
        missing=missing,
    )


# -- bulk helper: scores of values already summed in the database -------------------------------------


@lru_cache(maxsize=8192)
def tatanan_score_from_total(total: int, count: int, answered: int) -> TatananScore:
    """``tatanan_score`` of values already summed in the database: ``answered`` of ``count`` indicators, summing
    to ``total``. The same arithmetic and rounding; memoised because a national table meets the same few
    (total, count) pairs thousands of times and TatananScore is immutable."""
    if count == 0:
        return TatananScore(total=0, count=0, answered=0, percent=Decimal(0))
    percent = quantize(Decimal(total) * HUNDRED / (Decimal(count) * HUNDRED))
    return TatananScore(total=total, count=count, answered=answered, percent=percent)
