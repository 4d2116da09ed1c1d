"""The award policy of a cycle, from the published figures: Kota Kediri 2025, both band bases at every boundary,
the full five-step scale, Wistara Paripurna condition by condition, and a policy that contradicts itself."""

from decimal import Decimal

import pytest

from tatanan.scoring import (
    DEFAULT_POLICY,
    BandBasis,
    Level,
    LevelRule,
    ParipurnaFacts,
    ScoringError,
    ScoringPolicy,
    Shortfall,
    TatananScore,
    overall_score,
    readiness,
    tatanan_score,
)

D = Decimal
MEAN = ScoringPolicy(band_basis=BandBasis.MEAN)
EACH = ScoringPolicy(band_basis=BandBasis.EACH_TATANAN)


def _values(total: int, count: int) -> list[int]:
    """``count`` indicator values of the 100/50/0 scale summing to ``total`` (a multiple of 50)."""
    hundreds, rest = divmod(total, 100)
    values = [100] * hundreds + [50] * (rest // 50)
    return values + [0] * (count - len(values))


# Kota Kediri 2025 (bacaini.id): Permukiman 88.64, Pasar 92.31, Transportasi 95.45, one tatanan at 100, the rest
# "between 70 and 100". The published three are exact sums over the 2025 indicator counts (22, 13, 11); the rest
# are chosen inside the published range over their own counts (29, 11, 12, 13, 14), the lowest in the Padapa band.
KEDIRI = {
    "1": tatanan_score(_values(2100, 29)),  # 72.41
    "2": tatanan_score(_values(1950, 22)),  # 88.64 (published)
    "3": tatanan_score(_values(1100, 11)),  # 100
    "4": tatanan_score(_values(1200, 13)),  # 92.31 (published)
    "5": tatanan_score(_values(950, 11)),  # 86.36
    "6": tatanan_score(_values(1000, 12)),  # 83.33
    "7": tatanan_score(_values(1050, 11)),  # 95.45 (published)
    "8": tatanan_score(_values(1100, 13)),  # 84.62
    "9": tatanan_score(_values(1200, 14)),  # 85.71
}


def test_the_kediri_figures_are_the_published_ones():
    assert [KEDIRI[k].percent for k in ("2", "4", "7", "3")] == [D("88.64"), D("92.31"), D("95.45"), D("100.00")]
    assert all(D(70) <= s.percent <= D(100) for s in KEDIRI.values())
    assert sum(s.count for s in KEDIRI.values()) == 136
    assert overall_score(KEDIRI.values()) == D("87.65")  # in the Wiwerda band


def test_kota_kediri_2025_is_padapa_under_the_default_per_tatanan_basis():
    assert DEFAULT_POLICY.band_basis == BandBasis.EACH_TATANAN
    result = readiness(tatanan=KEDIRI, odf=D(100), kelembagaan=True)
    assert result.level == Level.PADAPA
    assert result.next_level == Level.WIWERDA
    assert result.missing == (Shortfall("tatanan:1", D(81), D("72.41")),)


def test_kota_kediri_2025_would_be_wiwerda_on_the_mean_basis():
    result = readiness(tatanan=KEDIRI, odf=D(100), kelembagaan=True, policy=MEAN)
    assert (result.level, result.score) == (Level.WIWERDA, D("87.65"))
    assert result.missing == (Shortfall("score", D(91), D("87.65")),)


# --- every boundary on both bases --------------------------------------------------------------------

BOUNDARIES = [
    (D("70.99"), Level.NONE),
    (D(71), Level.PADAPA),
    (D("80.99"), Level.PADAPA),
    (D(81), Level.WIWERDA),
    (D("90.99"), Level.WIWERDA),
    (D(91), Level.WISTARA),
    (D(100), Level.WISTARA),
]


def _flat(*percents: Decimal) -> dict[str, TatananScore]:
    return {str(i): TatananScore(0, 1, 1, p) for i, p in enumerate(percents, start=1)}


@pytest.mark.parametrize(("score", "level"), BOUNDARIES)
def test_per_tatanan_boundary_held_by_the_weakest_tatanan(score, level):
    # Eight tatanan at 100 and one at the boundary: the one decides.
    assert readiness(tatanan=_flat(*[D(100)] * 8, score), odf=D(100), kelembagaan=True, policy=EACH).level == level


@pytest.mark.parametrize(("score", "level"), BOUNDARIES)
def test_mean_boundary_decided_by_the_mean_alone(score, level):
    # Two tatanan straddling the boundary by the same amount: the mean sits exactly on it.
    spread = min(score, D(100) - score)
    tatanan = _flat(score - spread, score + spread)
    result = readiness(tatanan=tatanan, odf=D(100), kelembagaan=True, policy=MEAN)
    assert (result.score, result.level) == (score, level)


@pytest.mark.parametrize(("odf", "level"), [(D("79.99"), Level.NONE), (D(80), Level.PADAPA), (D(90), Level.WIWERDA)])
@pytest.mark.parametrize("policy", [EACH, MEAN], ids=["each", "mean"])
def test_odf_limits_on_both_bases(policy, odf, level):
    assert readiness(tatanan=_flat(D(95), D(95)), odf=odf, kelembagaan=True, policy=policy).level == level


@pytest.mark.parametrize("policy", [EACH, MEAN], ids=["each", "mean"])
def test_the_kelembagaan_gate_on_both_bases(policy):
    assert readiness(tatanan=_flat(D(95)), odf=D(100), kelembagaan=False, policy=policy).level == Level.NONE
    waived = ScoringPolicy(band_basis=policy.band_basis, require_kelembagaan=False)
    assert readiness(tatanan=_flat(D(95)), odf=D(100), kelembagaan=False, policy=waived).level == Level.WISTARA


# --- the full 0/25/50/75/100 scale ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "percent", "level"),
    [
        ([100, 75, 50, 25, 0], D(50), Level.NONE),
        ([100, 100, 100, 75, 25], D(80), Level.PADAPA),  # 400/5
        ([100, 100, 100, 75, 50], D(85), Level.WIWERDA),  # 425/5
        ([100, 100, 100, 100, 75, 75, 75, 75, 100, 100, 100], D("90.91"), Level.WIWERDA),  # 1000/11: 90.909
        ([100] * 10 + [25], D("93.18"), Level.WISTARA),  # 1025/11
    ],
)
def test_the_full_five_step_scale_scores_and_levels(values, percent, level):
    score = tatanan_score(values)
    assert score.percent == percent
    assert readiness(tatanan={"1": score}, odf=D(100), kelembagaan=True).level == level


# --- Wistara Paripurna ----------------------------------------------------------------------------------

ALL_MET = ParipurnaFacts(previous=(Level.WISTARA, Level.WISTARA), ip_spm=True, innovation=True)
TOP = _flat(D(95), D(92))


def test_paripurna_with_every_condition_met():
    result = readiness(tatanan=TOP, odf=D(100), kelembagaan=True, paripurna=ALL_MET)
    assert (result.level, result.next_level, result.missing) == (Level.PARIPURNA, None, ())


def test_a_paripurna_result_counts_as_wistara_in_the_streak():
    facts = ParipurnaFacts(previous=(Level.PARIPURNA, Level.WISTARA, Level.PADAPA), ip_spm=True, innovation=True)
    assert facts.wistara_streak == 2
    assert readiness(tatanan=TOP, odf=D(100), kelembagaan=True, paripurna=facts).level == Level.PARIPURNA


@pytest.mark.parametrize(
    ("facts", "missing"),
    [
        (
            ParipurnaFacts(previous=(Level.WISTARA,), ip_spm=True, innovation=True),
            (Shortfall("wistara_streak", D(2), D(1)),),
        ),
        (
            ParipurnaFacts(previous=(Level.WIWERDA, Level.WISTARA), ip_spm=True, innovation=True),
            (Shortfall("wistara_streak", D(2), D(0)),),
        ),
        (  # not recorded in the last award cycle: the streak is broken, the older Wistara do not count
            ParipurnaFacts(previous=(None, Level.WISTARA, Level.WISTARA), ip_spm=True, innovation=True),
            (Shortfall("wistara_streak", D(2), D(0)),),
        ),
        (ParipurnaFacts(previous=(Level.WISTARA,) * 2, ip_spm=False, innovation=True), (Shortfall("ip_spm"),)),
        (ParipurnaFacts(previous=(Level.WISTARA,) * 2, ip_spm=True, innovation=False), (Shortfall("innovation"),)),
        (
            ParipurnaFacts(),
            (Shortfall("wistara_streak", D(2), D(0)), Shortfall("ip_spm"), Shortfall("innovation")),
        ),
    ],
    ids=["one-wistara", "wiwerda-last", "gap", "no-ip-spm", "no-innovation", "nothing"],
)
def test_paripurna_without_one_condition_stays_wistara_and_says_what_is_missing(facts, missing):
    result = readiness(tatanan=TOP, odf=D(100), kelembagaan=True, paripurna=facts)
    assert (result.level, result.next_level, result.missing) == (Level.WISTARA, Level.PARIPURNA, missing)


@pytest.mark.parametrize(
    ("tatanan", "odf", "kelembagaan", "level"),
    [
        (_flat(D(95), D("90.99")), D(100), True, Level.WIWERDA),
        (TOP, D("99.99"), True, Level.WIWERDA),
        (TOP, D(100), False, Level.NONE),
    ],
    ids=["a-tatanan-below-wistara", "odf-below-100", "no-kelembagaan"],
)
def test_paripurna_needs_wistara_now(tatanan, odf, kelembagaan, level):
    result = readiness(tatanan=tatanan, odf=odf, kelembagaan=kelembagaan, paripurna=ALL_MET)
    assert result.level == level
    assert result.next_level != Level.PARIPURNA


def test_the_streak_length_is_a_policy_parameter():
    once = ScoringPolicy(paripurna_streak=1)
    facts = ParipurnaFacts(previous=(Level.WISTARA,), ip_spm=True, innovation=True)
    assert readiness(tatanan=TOP, odf=D(100), kelembagaan=True, paripurna=facts, policy=once).level == Level.PARIPURNA
    assert readiness(tatanan=TOP, odf=D(100), kelembagaan=True, paripurna=facts).level == Level.WISTARA


# --- a policy that contradicts itself is refused ---------------------------------------------------------


@pytest.mark.parametrize(
    ("rules", "code", "level"),
    [
        ((LevelRule(Level.WIWERDA, D(81), D(90)), LevelRule(Level.PADAPA, D(71), D(80))), "order", Level.PADAPA),
        ((LevelRule(Level.PADAPA, D(71), D(80)), LevelRule(Level.WIWERDA, D(71), D(90))), "score_order", Level.WIWERDA),
        ((LevelRule(Level.PADAPA, D(81), D(80)), LevelRule(Level.WIWERDA, D(71), D(90))), "score_order", Level.WIWERDA),
        ((LevelRule(Level.WIWERDA, D(81), D(90)), LevelRule(Level.WISTARA, D(91), D(85))), "odf_order", Level.WISTARA),
        ((LevelRule(Level.WISTARA, D("100.5"), D(100)),), "range", Level.WISTARA),
    ],
    ids=["levels-reversed", "same-score", "lower-score", "less-odf", "over-100"],
)
def test_out_of_order_rules_are_refused_with_the_broken_rule_named(rules, code, level):
    with pytest.raises(ScoringError) as refused:
        ScoringPolicy(rules=rules)
    assert (refused.value.code, refused.value.level) == (code, level)


@pytest.mark.parametrize("streak", [0, -1, 11])
def test_a_streak_outside_1_to_10_is_refused(streak):
    with pytest.raises(ScoringError) as refused:
        ScoringPolicy(paripurna_streak=streak)
    assert refused.value.code == "streak"


def test_an_unknown_basis_is_refused():
    with pytest.raises(ScoringError) as refused:
        ScoringPolicy(band_basis="median")  # type: ignore[arg-type]
    assert refused.value.code == "basis"


@pytest.mark.parametrize("streak", [1, 10])
def test_a_streak_of_1_to_10_is_allowed(streak):
    assert ScoringPolicy(paripurna_streak=streak).paripurna_streak == streak


def test_the_streak_and_basis_refusals_say_what_is_wrong():
    with pytest.raises(ScoringError, match=r"^the Wistara streak must be 1-10$"):
        ScoringPolicy(paripurna_streak=0)
    with pytest.raises(ScoringError, match=r"^unknown band basis 'median'$"):
        ScoringPolicy(band_basis="median")  # type: ignore[arg-type]


def test_a_refusal_of_a_value_names_no_policy_rule():
    error = ScoringError("value 60 is not on the scale")
    assert (error.code, error.level, str(error)) == ("", None, "value 60 is not on the scale")
