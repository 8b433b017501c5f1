"""The pilot review's measures on tiny cases with known answers: PSI, calibration, realised metrics, value, fairness."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import (
    average_precision_score,
    balanced_accuracy_score,
    brier_score_loss,
    f1_score,
    log_loss,
    precision_score,
    recall_score,
    roc_auc_score,
)

from readiness.errors import ConfigError
from readiness.pilot import (
    OutcomeValues,
    Resamples,
    ScoredDecisions,
    assess_calibration,
    drift_band,
    drift_table,
    expected_calibration_error,
    group_fairness,
    parse_values,
    population_stability_index,
    position_in_interval,
    psi_bins,
    realised_value,
    reliability_table,
    value_per_decision,
)

# ------------------------------------------------------------------------------------------ PSI


def test_psi_of_categories_by_hand() -> None:
    # shares a 0.5 -> 0.75, b 0.5 -> 0.25: 0.25 ln 1.5 + 0.25 ln 2
    expected = 0.25 * math.log(1.5) + 0.25 * math.log(2)
    assert population_stability_index(pd.Series(list("aabb")), pd.Series(list("aaab"))) == pytest.approx(expected)


def test_an_empty_bin_counts_as_epsilon() -> None:
    # b only in the baseline, c only in the pilot: each side's empty bin is 0.0001
    expected = 2 * (0.5 - 1e-4) * math.log(0.5 / 1e-4)
    assert population_stability_index(pd.Series(list("ab")), pd.Series(list("ac"))) == pytest.approx(expected)


def test_numbers_are_binned_at_the_baselines_deciles() -> None:
    baseline = pd.Series(np.arange(1.0, 11.0))  # each decile bin holds one value
    pilot = pd.Series([1.0] * 5 + [2.0, 3.0, 4.0, 5.0, 6.0])  # half in the first bin, the top four bins empty
    bins = psi_bins(baseline, pilot)
    assert len(bins) == 10 and bins["baseline_share"].tolist() == pytest.approx([0.1] * 10)
    assert bins["pilot_share"].tolist() == pytest.approx([0.5, 0.1, 0.1, 0.1, 0.1, 0.1, 0, 0, 0, 0])
    expected = 0.4 * math.log(5) + 4 * (0.1 - 1e-4) * math.log(0.1 / 1e-4)
    assert bins["contribution"].sum() == pytest.approx(expected)
    assert population_stability_index(baseline, baseline) == 0.0


def test_a_value_on_an_edge_falls_in_the_bin_that_edge_closes_and_missing_values_have_their_own() -> None:
    bins = psi_bins(pd.Series([1.0, 2.0, 3.0, 4.0]), pd.Series([2.5, 2.5, np.nan, np.nan]), bins=2)
    # the baseline's median 2.5 closes the first bin
    assert bins["bin"].tolist() == ["≤ 2.5", "> 2.5", "(missing)"]
    assert bins["pilot_share"].tolist() == [0.5, 0.0, 0.5]


@pytest.mark.parametrize(("psi", "band"), [(0.0, "stable"), (0.0999, "stable"), (0.1, "moderate"),
                                           (0.25, "moderate"), (0.2501, "significant"), (None, None)])
def test_bands(psi: float | None, band: str | None) -> None:
    assert drift_band(psi) == band


def test_drift_table_orders_by_psi_and_skips_identifier_like_categories() -> None:
    rng = np.random.default_rng(0)
    baseline = pd.DataFrame({"channel": rng.choice(["web", "phone"], 1000, p=[0.5, 0.5]),
                             "price": rng.normal(50, 5, 1000), "code": [f"C{i}" for i in range(1000)]})
    pilot = pd.DataFrame({"channel": rng.choice(["web", "phone"], 500, p=[0.9, 0.1]),
                          "price": rng.normal(50, 5, 500), "code": [f"D{i}" for i in range(500)]})
    table, bins = drift_table(baseline, pilot, ["price", "channel", "code"])
    assert table["feature"].tolist() == ["channel", "price", "code"]
    assert table.loc[0, "band"] == "significant" and table.loc[1, "band"] == "stable"
    assert math.isnan(table.loc[2, "psi"]) and "too many" in table.loc[2, "note"]
    assert set(bins) == {"channel", "price"}


# ---------------------------------------------------------------------------------- calibration


def test_calibrated_scores_have_no_calibration_error() -> None:
    score = np.repeat([0.1, 0.5, 0.9], 10)
    outcome = np.concatenate([[1] + [0] * 9, [1] * 5 + [0] * 5, [1] * 9 + [0]])
    found = assess_calibration(outcome, score)
    assert found.expected_calibration_error == 0.0 and not found.poor
    assert found.brier == pytest.approx(brier_score_loss(outcome, score))
    assert found.brier_reference == pytest.approx(0.5 * 0.5)  # 15 of 30 happened
    assert found.table["decisions"].tolist() == [10, 10, 10]  # tied scores stay in one band


def test_expected_calibration_error_by_hand() -> None:
    # band 1: scores 0.2, 2 of 4 happened (gap 0.3); band 2: scores 0.6, 3 of 4 happened (gap 0.15)
    score = np.array([0.2] * 4 + [0.6] * 4)
    outcome = np.array([1, 1, 0, 0, 1, 1, 1, 0])
    assert expected_calibration_error(outcome, score) == pytest.approx(0.5 * 0.3 + 0.5 * 0.15)
    assert assess_calibration(outcome, score).poor


def test_reliability_table_cuts_deciles_of_distinct_scores() -> None:
    score = np.linspace(0.005, 0.995, 100)
    outcome = (np.arange(100) % 2).astype(float)
    table = reliability_table(outcome, score)
    assert len(table) == 10 and table["decisions"].tolist() == [10] * 10
    assert table["mean_score"].iloc[0] == pytest.approx(score[:10].mean())


# -------------------------------------------------------------------------------- realised figures


@pytest.fixture(scope="module")
def sample() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(3)
    outcome = rng.integers(0, 2, 3000)
    score = np.round(np.clip(rng.normal(0.35 + 0.25 * outcome, 0.2), 0, 1), 2)  # rounded: many ties
    return outcome, score, (score >= 0.45).astype(int)


def test_realised_figures_equal_scikit_learns(sample) -> None:
    outcome, score, decision = sample
    figures = ScoredDecisions(outcome, score, decision).figures()
    assert figures["roc_auc"] == pytest.approx(roc_auc_score(outcome, score))
    assert figures["average_precision"] == pytest.approx(average_precision_score(outcome, score))
    assert -figures["neg_brier_score"] == pytest.approx(brier_score_loss(outcome, score))
    assert -figures["neg_log_loss"] == pytest.approx(log_loss(outcome, score))
    assert figures["precision"] == pytest.approx(precision_score(outcome, decision))
    assert figures["recall"] == pytest.approx(recall_score(outcome, decision))
    assert figures["balanced_accuracy"] == pytest.approx(balanced_accuracy_score(outcome, decision))
    assert figures["f1"] == pytest.approx(f1_score(outcome, decision))


def test_weighted_figures_equal_scikit_learns_with_sample_weights(sample) -> None:
    outcome, score, decision = sample
    weights = np.random.default_rng(4).integers(0, 4, len(outcome)).astype(float)
    figures = ScoredDecisions(outcome, score, decision).figures(weights)
    assert figures["roc_auc"] == pytest.approx(roc_auc_score(outcome, score, sample_weight=weights))
    assert figures["average_precision"] == pytest.approx(average_precision_score(outcome, score,
                                                                                 sample_weight=weights))
    assert figures["precision"] == pytest.approx(precision_score(outcome, decision, sample_weight=weights))


def test_bootstrap_is_seeded_and_brackets_the_realised_value(sample) -> None:
    decisions = ScoredDecisions(*sample)
    first, again = Resamples.draw(decisions, n=200, seed=5), Resamples.draw(decisions, n=200, seed=5)
    pd.testing.assert_frame_equal(first.figures, again.figures)
    low, high = first.interval(first.figures["roc_auc"])
    assert low < decisions.roc_auc() < high and high - low < 0.06
    assert not Resamples.draw(decisions, n=200, seed=6).figures.equals(first.figures)


def test_position_against_the_feasibility_interval() -> None:
    assert position_in_interval(0.61, 0.63, 0.65) == "below"
    assert position_in_interval(0.63, 0.63, 0.65) == "within"
    assert position_in_interval(0.70, 0.63, 0.65) == "above"
    assert position_in_interval(0.70, None, None) is None


# ---------------------------------------------------------------------------------------- value


def test_value_per_decision_and_a_year_as_the_roi_stage_counts_them() -> None:
    values = parse_values({"true_positive": [12, 30, 45], "false_positive": {"low": -5, "likely": -2.5, "high": -1},
                           "decisions_per_year": 30000, "adoption": [0.4, 0.6, 0.85]})
    assert values == OutcomeValues(true_positive=30, false_positive=-2.5, decisions_per_year=30000, adoption=0.6)
    counts = {"tp": 10, "fp": 20, "fn": 5, "tn": 65}
    assert value_per_decision(counts, values) == pytest.approx((10 * 30 - 20 * 2.5) / 100)
    resampled = pd.DataFrame([counts, {"tp": 5, "fp": 25, "fn": 10, "tn": 60}])
    found = realised_value(counts, resampled, values, estimate_counts={"tp": 2643, "fp": 16439, "fn": 345,
                                                                       "tn": 5573})
    assert found.per_year == pytest.approx(2.5 * 30000 * 0.6)
    assert found.estimated_per_decision == pytest.approx((2643 * 30 - 16439 * 2.5) / 25000)
    assert found.estimated_per_year == pytest.approx(27498.6)  # the sample ROI's no-show benefit at full use
    assert not found.below_estimate


@pytest.mark.parametrize(("value", "message"), [
    ({"true_postive": 3}, r"value.true_postive` is not a known key \(did you mean 'true_positive'\?\)"),
    ({"true_positive": "lots"}, r"value.true_positive` is 'lots'; give a number"),
    ({"adoption": 1.5}, r"value.adoption` is 1.5; give the share"),
])
def test_wrong_values_name_the_key(value: dict, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        parse_values(value)


# ------------------------------------------------------------------------------------- fairness


def test_group_rates_equal_fairlearns_on_every_row() -> None:
    from fairlearn.metrics import MetricFrame, selection_rate, true_positive_rate

    rng = np.random.default_rng(8)
    groups = pd.Series(rng.choice(["F", "M", "X"], 2000, p=[0.5, 0.45, 0.05]))
    outcome = rng.integers(0, 2, 2000)
    decision = (rng.random(2000) < np.where(groups == "M", 0.3, 0.5)).astype(int)
    table = group_fairness(outcome, decision, groups, attribute="gender", min_group_size=200)
    frame = MetricFrame(metrics={"selection_rate": selection_rate, "tpr": true_positive_rate}, y_true=outcome,
                        y_pred=decision, sensitive_features=groups).by_group
    by_group = table.set_index("group")
    for group in ("F", "M", "X"):
        assert by_group.loc[group, "selection_rate"] == pytest.approx(frame.loc[group, "selection_rate"])
        assert by_group.loc[group, "tpr"] == pytest.approx(frame.loc[group, "tpr"])
    assert table.loc[0, "group"] == "F" and table.loc[0, "reference"]  # the largest group
    assert by_group.loc["M", "disparate_impact"] == pytest.approx(frame.loc["M", "selection_rate"]
                                                                   / frame.loc["F", "selection_rate"])
    assert by_group.loc["M", "gap"] and by_group.loc["X", "small"] and not by_group.loc["X", "gap"]
