"""Cases that mutation testing showed no test pinned: the full scale, the per-tatanan band at its edges, and a
policy given its rules out of order."""

from decimal import Decimal

import pytest

from tatanan.scoring import (
    DEFAULT_POLICY,
    BandBasis,
    Level,
    LevelRule,
    ScoringError,
    ScoringPolicy,
    Shortfall,
    TatananScore,
    readiness,
    validate_value,
)

D = Decimal
FULL_SCALE = [0, 25, 50, 75, 100]
EACH = ScoringPolicy(band_basis=BandBasis.EACH_TATANAN)


def _scores(*percents) -> dict[str, TatananScore]:
    return {
        f"t{i}": TatananScore(total=0, count=1, answered=1, percent=D(str(p))) for i, p in enumerate(percents, start=1)
    }


# --- the five-step scale --------------------------------------------------------------------------


@pytest.mark.parametrize("value", FULL_SCALE)
def test_every_value_of_the_full_five_step_scale_is_accepted(value):
    assert validate_value(value, FULL_SCALE) == value


@pytest.mark.parametrize("value", [25, 75])
def test_quarter_values_are_refused_on_a_three_step_scale(value):
    with pytest.raises(ScoringError, match="not on the scale"):
        validate_value(value, [100, 50, 0])


@pytest.mark.parametrize("odd", [10, 101, -25])
def test_a_scale_with_a_value_off_the_five_steps_is_refused(odd):
    with pytest.raises(ScoringError, match="outside"):
        validate_value(0, [0, odd, 100])


# --- per-tatanan band at exactly the thresholds ---------------------------------------------------


@pytest.mark.parametrize(
    ("at", "level"),
    [(D(71), Level.PADAPA), (D(81), Level.WIWERDA), (D(91), Level.WISTARA)],
)
def test_each_tatanan_exactly_at_the_threshold_reaches_the_level(at, level):
    result = readiness(tatanan=_scores(100, at, 100), odf=D(100), kelembagaan=True, policy=EACH)
    assert result.level == level


@pytest.mark.parametrize(
    ("below", "level", "missed"),
    [(D("70.99"), Level.NONE, D(71)), (D("80.99"), Level.PADAPA, D(81)), (D("90.99"), Level.WIWERDA, D(91))],
)
def test_each_tatanan_a_cent_below_the_threshold_stays_below(below, level, missed):
    result = readiness(tatanan=_scores(100, below, 100), odf=D(100), kelembagaan=True, policy=EACH)
    assert result.level == level
    assert result.missing == (Shortfall("tatanan:t2", missed, below),)


# --- the policy checks its rules ------------------------------------------------------------------


def test_the_default_policy_is_valid_and_lowest_first():
    assert [r.level for r in DEFAULT_POLICY.rules] == [Level.PADAPA, Level.WIWERDA, Level.WISTARA]


def test_rules_given_out_of_order_are_refused():
    with pytest.raises(ScoringError, match="comes after"):
        ScoringPolicy(rules=(LevelRule(Level.WISTARA, D(91), D(100)), LevelRule(Level.PADAPA, D(71), D(80))))


def test_a_level_given_twice_is_refused():
    with pytest.raises(ScoringError, match="comes after"):
        ScoringPolicy(rules=(LevelRule(Level.PADAPA, D(71), D(80)), LevelRule(Level.PADAPA, D(81), D(90))))


def test_a_higher_level_needs_a_higher_score():
    with pytest.raises(ScoringError, match="higher score"):
        ScoringPolicy(rules=(LevelRule(Level.PADAPA, D(81), D(80)), LevelRule(Level.WIWERDA, D(81), D(90))))


def test_a_higher_level_cannot_ask_for_less_odf():
    with pytest.raises(ScoringError, match="ODF share"):
        ScoringPolicy(rules=(LevelRule(Level.PADAPA, D(71), D(90)), LevelRule(Level.WIWERDA, D(81), D("89.99"))))
    # The same share is fine.
    ScoringPolicy(rules=(LevelRule(Level.PADAPA, D(71), D(90)), LevelRule(Level.WIWERDA, D(81), D(90))))


@pytest.mark.parametrize("level", [Level.NONE, Level.PARIPURNA])
def test_a_rule_for_no_level_or_for_paripurna_is_refused(level):
    with pytest.raises(ScoringError, match=f"cannot award {level.value}") as refused:
        ScoringPolicy(rules=(LevelRule(level, D(0), D(0)),))
    assert (refused.value.code, refused.value.level) == ("level", level)


@pytest.mark.parametrize(("score", "odf"), [(D(-1), D(80)), (D(101), D(80)), (D(71), D("100.01")), (D(71), D(-1))])
def test_thresholds_outside_0_to_100_are_refused(score, odf):
    with pytest.raises(ScoringError, match="outside 0-100"):
        ScoringPolicy(rules=(LevelRule(Level.PADAPA, score, odf),))


@pytest.mark.parametrize(("score", "odf"), [(D(0), D(0)), (D(100), D(100))])
def test_thresholds_at_0_and_100_are_allowed(score, odf):
    assert ScoringPolicy(rules=(LevelRule(Level.PADAPA, score, odf),)).rules[0].min_score == score


def test_a_policy_without_rules_awards_nothing():
    result = readiness(tatanan=_scores(100), odf=D(100), kelembagaan=True, policy=ScoringPolicy(rules=()))
    assert (result.level, result.next_level, result.missing) == (Level.NONE, None, ())


def test_the_next_level_is_the_one_right_above_the_reached_one():
    result = readiness(tatanan=_scores(75), odf=D(100), kelembagaan=True)
    assert (result.level, result.next_level) == (Level.PADAPA, Level.WIWERDA)
    assert result.missing == (Shortfall("tatanan:t1", D(81), D(75)),)
    mean = readiness(tatanan=_scores(75), odf=D(100), kelembagaan=True, policy=ScoringPolicy(band_basis=BandBasis.MEAN))
    assert mean.missing == (Shortfall("score", D(81), D(75)),)


# --- more of what mutation testing showed unpinned ------------------------------------------------


def test_rounding_is_half_up_not_half_even():
    from tatanan.scoring import quantize, tatanan_score

    assert quantize(D("0.125")) == D("0.13")  # half-even would give 0.12
    assert quantize(D("34.365")) == D("34.37")
    assert tatanan_score([100, 100, 75, 0, 0, 0, 0, 0]).percent == D("34.38")


def test_refusals_say_what_is_wrong():
    from tatanan.scoring import odf_percent

    with pytest.raises(ScoringError, match=r"^value 25 is not on the scale \[100, 50, 0\]$"):
        validate_value(25, [0, 50, 100])
    with pytest.raises(ScoringError, match=r"^a rule cannot award none$"):
        ScoringPolicy(rules=(LevelRule(Level.NONE, D(0), D(0)),))
    with pytest.raises(ScoringError, match=r"^ODF villages must be between 0 and the number of villages$"):
        odf_percent(10, 11)


@pytest.mark.parametrize(
    ("villages", "odf", "percent"),
    [(1, 1, D(100)), (1, 0, D(0)), (10, 0, D(0)), (10, 10, D(100)), (3, 1, D("33.33")), (0, 0, D(0))],
)
def test_odf_share_at_its_edges(villages, odf, percent):
    from tatanan.scoring import odf_percent

    assert odf_percent(villages, odf) == percent


@pytest.mark.parametrize("odd", [-1, 11])
def test_odf_outside_the_villages_is_refused(odd):
    from tatanan.scoring import odf_percent

    with pytest.raises(ScoringError):
        odf_percent(10, odd)


@pytest.mark.parametrize(
    ("values", "complete"),
    [([25], True), ([100, 25, 50], True), ([0], False), ([None], False), ([100, 0], False), ([], False)],
)
def test_kelembagaan_is_complete_when_every_indicator_is_above_zero(values, complete):
    from tatanan.scoring import kelembagaan_complete

    assert kelembagaan_complete(values) is complete


def test_readiness_reports_the_odf_share_and_kelembagaan_it_was_given():
    result = readiness(tatanan=_scores(75), odf=D("85.50"), kelembagaan=False)
    assert result.odf_percent == D("85.50")
    assert result.kelembagaan_complete is False
    assert readiness(tatanan=_scores(75), odf=D(90), kelembagaan=True).kelembagaan_complete is True
