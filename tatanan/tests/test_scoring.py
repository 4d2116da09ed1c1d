"""The pure scoring module: published figures, rounding, every threshold boundary, and no Django."""

import ast
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from tatanan import scoring
from tatanan.scoring import (
    BandBasis,
    Level,
    LevelRule,
    ScoringError,
    ScoringPolicy,
    Shortfall,
    TatananScore,
    kelembagaan_complete,
    odf_percent,
    overall_score,
    readiness,
    tatanan_score,
    validate_value,
)

D = Decimal
MEAN = ScoringPolicy(band_basis=BandBasis.MEAN)


def _scores(*percents) -> dict[str, TatananScore]:
    """Tatanan scores with the given percentages (one indicator each), keyed t1, t2, ..."""
    return {
        f"t{i}": TatananScore(total=0, count=1, answered=1, percent=D(str(p))) for i, p in enumerate(percents, start=1)
    }


def _values(hundreds: int, fifties: int, zeros: int = 0) -> list[int]:
    return [100] * hundreds + [50] * fifties + [0] * zeros


# --- tatanan score -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "total", "count", "percent"),
    [
        pytest.param(_values(17, 5), 1950, 22, D("88.64"), id="kota-kediri-permukiman-1950-of-22"),
        pytest.param(_values(11, 2), 1200, 13, D("92.31"), id="kota-kediri-pasar-1200-of-13"),
        pytest.param(_values(10, 1), 1050, 11, D("95.45"), id="kota-kediri-transportasi-1050-of-11"),
    ],
)
def test_kota_kediri_2025_tatanan_scores(values, total, count, percent):
    score = tatanan_score(values)
    assert (score.total, score.count, score.max_total) == (total, count, count * 100)
    assert score.percent == percent


def test_rounding_is_half_up_to_two_decimals():
    # 25 / 8 = 3.125: half up gives 3.13 (banker's rounding would give 3.12)
    assert tatanan_score([25, 0, 0, 0, 0, 0, 0, 0]).percent == D("3.13")


def test_unanswered_indicator_counts_as_zero():
    score = tatanan_score([100, None, 50, None])
    assert (score.total, score.count, score.answered, score.percent) == (150, 4, 2, D("37.50"))


def test_empty_tatanan_scores_zero_and_is_left_out_of_the_overall_score():
    empty = tatanan_score([])
    assert (empty.count, empty.percent, empty.max_total) == (0, D(0), 0)
    assert overall_score([tatanan_score([100, 50]), empty]) == D("75.00")
    assert overall_score([empty]) == D(0)
    assert overall_score([]) == D(0)


def test_overall_score_is_the_mean_of_tatanan_percentages():
    kediri = [tatanan_score(_values(17, 5)), tatanan_score(_values(11, 2)), tatanan_score(_values(10, 1))]
    # (88.64 + 92.31 + 95.45) / 3 = 92.133...
    assert overall_score(kediri) == D("92.13")


# --- values, ODF, kelembagaan --------------------------------------------------------------------


def test_value_on_the_scale_is_accepted():
    assert validate_value(50, [100, 50, 0]) == 50


def test_value_off_the_scale_is_refused():
    with pytest.raises(ScoringError, match="value 75 is not on the scale"):
        validate_value(75, [100, 50, 0])


def test_scale_with_a_value_outside_the_allowed_set_is_refused():
    with pytest.raises(ScoringError, match="outside 0/25/50/75/100"):
        validate_value(60, [100, 60, 0])


def test_odf_percent():
    assert odf_percent(10_000, 7_999) == D("79.99")
    assert odf_percent(3, 2) == D("66.67")
    assert odf_percent(0, 0) == D(0)
    with pytest.raises(ScoringError):
        odf_percent(10, 11)


@pytest.mark.parametrize(
    ("values", "complete"),
    [([100, 50, 100, 100], True), ([100, 0, 100], False), ([100, None], False), ([], False)],
)
def test_kelembagaan_complete_needs_every_indicator_above_zero(values, complete):
    assert kelembagaan_complete(values) is complete


# --- level boundaries ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("score", "level"),
    [
        ("70.99", Level.NONE),
        ("71", Level.PADAPA),
        ("80.99", Level.PADAPA),
        ("81", Level.WIWERDA),
        ("90.99", Level.WIWERDA),
        ("91", Level.WISTARA),
        ("100", Level.WISTARA),
    ],
)
def test_score_thresholds_with_full_odf(score, level):
    assert readiness(tatanan=_scores(score), odf=D(100), kelembagaan=True).level == level


@pytest.mark.parametrize(
    ("odf", "level"),
    [
        ("79.99", Level.NONE),
        ("80", Level.PADAPA),
        ("89.99", Level.PADAPA),
        ("90", Level.WIWERDA),
        ("99.99", Level.WIWERDA),
        ("100", Level.WISTARA),
    ],
)
def test_odf_thresholds_with_a_top_score(odf, level):
    assert readiness(tatanan=_scores(95), odf=D(odf), kelembagaan=True).level == level


def test_missing_kelembagaan_blocks_every_level():
    result = readiness(tatanan=_scores(100), odf=D(100), kelembagaan=False)
    assert result.level == Level.NONE
    assert result.next_level == Level.PADAPA
    assert result.missing == (Shortfall("kelembagaan"),)


def test_kelembagaan_can_be_waived_by_policy():
    policy = ScoringPolicy(require_kelembagaan=False)
    assert readiness(tatanan=_scores(100), odf=D(100), kelembagaan=False, policy=policy).level == Level.WISTARA


# --- band basis ------------------------------------------------------------------------------------


def test_band_on_the_mean_lets_a_weak_tatanan_pass():
    result = readiness(tatanan=_scores(100, 100, 85), odf=D(100), kelembagaan=True, policy=MEAN)
    assert result.score == D("95.00")
    assert result.level == Level.WISTARA


def test_band_on_each_tatanan_is_held_back_by_the_weakest():
    result = readiness(tatanan=_scores(100, 100, 85), odf=D(100), kelembagaan=True)  # the default basis
    assert result.level == Level.WIWERDA
    assert result.next_level == Level.WISTARA
    assert result.missing == (Shortfall("tatanan:t3", D(91), D(85)),)
    assert result.missing[0].gap == D("6.00")


def test_each_tatanan_ignores_an_empty_tatanan_but_needs_a_scored_one():
    policy = ScoringPolicy(band_basis=BandBasis.EACH_TATANAN)
    tatanan = {**_scores(95), "kosong": tatanan_score([])}
    assert readiness(tatanan=tatanan, odf=D(100), kelembagaan=True, policy=policy).level == Level.WISTARA
    nothing = readiness(tatanan={"kosong": tatanan_score([])}, odf=D(100), kelembagaan=True, policy=policy)
    assert nothing.level == Level.NONE
    assert nothing.missing == (Shortfall("score", D(71), D(0)),)


def test_no_tatanan_at_all_reaches_no_level():
    result = readiness(tatanan={}, odf=D(100), kelembagaan=True)
    assert (result.level, result.score) == (Level.NONE, D(0))


# --- what the next level needs ---------------------------------------------------------------------


def test_shortfalls_for_the_next_level_name_required_actual_and_gap():
    result = readiness(tatanan=_scores(85), odf=D(95), kelembagaan=True, policy=MEAN)
    assert result.level == Level.WIWERDA
    assert result.next_level == Level.WISTARA
    by_code = {s.code: s for s in result.missing}
    assert set(by_code) == {"odf", "score"}
    assert (by_code["odf"].required, by_code["odf"].actual, by_code["odf"].gap) == (D(100), D(95), D("5.00"))
    assert (by_code["score"].required, by_code["score"].actual, by_code["score"].gap) == (D(91), D(85), D("6.00"))


def test_top_level_has_no_next_level():
    facts = scoring.ParipurnaFacts(previous=(Level.WISTARA, Level.WISTARA), ip_spm=True, innovation=True)
    result = readiness(tatanan=_scores(96), odf=D(100), kelembagaan=True, paripurna=facts)
    assert (result.level, result.next_level, result.missing) == (Level.PARIPURNA, None, ())


def test_below_padapa_lists_everything_padapa_needs():
    result = readiness(tatanan=_scores(60), odf=D(70), kelembagaan=False)
    assert result.level == Level.NONE
    assert {s.code for s in result.missing} == {"kelembagaan", "odf", "tatanan:t1"}
    mean = readiness(tatanan=_scores(60), odf=D(70), kelembagaan=False, policy=MEAN)
    assert {s.code for s in mean.missing} == {"kelembagaan", "odf", "score"}


def test_shortfall_without_numbers_has_no_gap():
    assert Shortfall("kelembagaan").gap is None


def test_thresholds_are_policy_parameters():
    stricter = ScoringPolicy(
        rules=(
            LevelRule(Level.PADAPA, D(75), D(85)),
            LevelRule(Level.WIWERDA, D(85), D(95)),
            LevelRule(Level.WISTARA, D(95), D(100)),
        )
    )
    assert readiness(tatanan=_scores(80), odf=D(90), kelembagaan=True).level == Level.PADAPA
    assert readiness(tatanan=_scores(80), odf=D(90), kelembagaan=True, policy=stricter).level == Level.PADAPA
    assert readiness(tatanan=_scores(74), odf=D(90), kelembagaan=True, policy=stricter).level == Level.NONE
    assert readiness(tatanan=_scores(94), odf=D(100), kelembagaan=True, policy=stricter).level == Level.WIWERDA


# --- purity ----------------------------------------------------------------------------------------


def test_scoring_module_imports_nothing_from_django():
    tree = ast.parse(Path(scoring.__file__).read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            imported.add(node.module or "")
    assert imported, "the walk found no imports at all"
    assert not [name for name in imported if name == "django" or name.startswith("django.")]


def test_importing_scoring_does_not_load_django():
    root = Path(scoring.__file__).resolve().parents[1]
    code = "import sys, tatanan.scoring; print('django' in sys.modules)"
    out = subprocess.run(  # noqa: S603 (fixed arguments)
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True, env={"PATH": ""}
    )
    assert out.stdout.strip() == "False"
