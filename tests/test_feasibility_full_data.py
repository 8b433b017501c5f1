"""Models on a sample of a larger table: the learning curve says whether all rows would change the verdict."""

from __future__ import annotations

import numpy as np
import pytest
from feasibility_data import as_loaded, signal_table

from readiness.errors import ConfigError
from readiness.feasibility import (
    FEAS_FULL_DATA,
    ScoreParts,
    assess_feasibility,
    full_data_reading,
    learning_curve,
    power_law,
)
from readiness.feasibility.verdict import evidence_findings

SIZES = np.array([160, 320, 560, 960, 1600])  # training rows of each curve point; the sample trains on 1,600


def curve(a: float, b: float, c: float, metric: str = "roc_auc"):
    points = [[float(n), float(power_law(n, a, b, c))] for n in SIZES]
    return learning_curve(points, model="linear", metric=metric, n_today=1600)


def binary_lift(value: float) -> dict:
    return {"metric": "roc_auc", "model": "linear", "value": value, "baseline": 0.5, "mean": value - 0.5,
            "ci": [0.1, 0.26], "relative": (value - 0.5) / 0.5}


def read(fitted, lift: dict, *, task: str = "binary", skill_now: float, sample_rows: int = 1000,
         full_rows: int = 10_000) -> tuple[dict, object]:
    evidence = evidence_findings(task, lift=lift, p_value=0.001, skill_value=skill_now, primary=lift["metric"])
    return full_data_reading(fitted, task=task, lift=lift, p_value=0.001, findings=list(evidence), evidence=evidence,
                             parts=ScoreParts(skill_now, 1.0, 1.0, 1.0), labelled=1000, labelled_share=1.0,
                             min_rows=500, sample_rows=sample_rows, full_rows=full_rows)


def test_a_rising_curve_turns_pilot_into_go_on_all_rows() -> None:
    # error = 2.8 n^-0.5 + 0.25: ROC-AUC 0.680 at 1,600 training rows (skill 0.45, a pilot at score 67);
    # ten times the rows train on 16,000: 1 - (2.8 / sqrt(16000) + 0.25) = 0.727864, skill 0.5697, score 74.2: go
    out, finding = read(curve(2.8, 0.5, 0.25), binary_lift(0.68), skill_now=0.45)
    assert out["training_rows_full"] == pytest.approx(16_000)
    assert out["expected"] == pytest.approx(1 - (2.8 / np.sqrt(16_000) + 0.25), abs=1e-4)
    assert out["expected"] == pytest.approx(0.727864, abs=1e-4)
    assert (out["verdict"], out["verdict_full"], out["changes"]) == ("pilot", "go", True)
    assert out["score"] == 67.0 and out["score_full"] == pytest.approx(60 * 0.227864 / 0.4 + 40, abs=0.1)
    assert finding.code == FEAS_FULL_DATA and finding.severity == "info"
    assert finding.message == ("On all 10,000 rows the learning curve expects ROC-AUC 0.728 against 0.680 on "
                               "the sample of 1,000, so the verdict would become go instead of pilot "
                               "(score 74 against 67).")
    assert finding.evidence["expected"] == out["expected"] and "sentence" not in finding.evidence


def test_the_measured_metric_is_moved_by_the_curve_not_replaced() -> None:
    # Measured 0.69 while the curve reads 0.68 at today's rows: all rows add the curve's 0.047864.
    out, _ = read(curve(2.8, 0.5, 0.25), binary_lift(0.69), skill_now=0.475)
    assert out["on_sample"] == 0.69 and out["expected"] == pytest.approx(0.69 + 0.047864, abs=1e-4)
    # a table no larger than the sample reads back the measured metric and verdict
    same, _ = read(curve(2.8, 0.5, 0.25), binary_lift(0.69), skill_now=0.475, full_rows=1000)
    assert same["expected"] == pytest.approx(0.69) and same["verdict_full"] == same["verdict"] == "pilot"


def test_a_flat_curve_keeps_the_verdict() -> None:
    # error = 0.5 n^-0.5 + 0.3: 0.6875 today, 0.696047 on 16,000 rows: skill 0.49, still a pilot
    out, finding = read(curve(0.5, 0.5, 0.3), binary_lift(0.6875), skill_now=0.46875)
    assert out["expected"] == pytest.approx(1 - (0.5 / np.sqrt(16_000) + 0.3), abs=1e-4)
    assert out["verdict_full"] == "pilot" and out["changes"] is False
    assert "so the verdict would stay pilot (score" in finding.message


def test_regression_reads_the_mean_absolute_error_downwards() -> None:
    # MAE = 40 n^-0.5 + 5: 6.0 on the sample, 5.3162 on all rows; against a baseline MAE of 8 the cut grows
    # from 25 % to 33.5 % (skill 0.625 to 0.839)
    lift = {"metric": "neg_mean_absolute_error", "model": "linear", "value": -6.0, "baseline": -8.0, "mean": 2.0,
            "ci": [1.0, 3.0], "relative": 0.25}
    out, finding = read(curve(40.0, 0.5, 5.0, metric="mean_absolute_error"), lift, task="regression", skill_now=0.625)
    assert out["expected"] == pytest.approx(5 + 40 / np.sqrt(16_000), abs=1e-3)
    assert out["score_parts_full"]["skill"] == pytest.approx((1 - out["expected"] / 8) / 0.4, abs=1e-4)
    assert out["verdict"] == out["verdict_full"] == "go"
    assert "expects mean absolute error 5.316 against 6.000" in finding.message


def test_without_a_curve_the_answer_is_unknown() -> None:
    out, finding = read(learning_curve([[100.0, 0.3]] * 3, model="linear", metric="roc_auc", n_today=1600),
                        binary_lift(0.68), skill_now=0.45)
    assert out["expected"] is None and out["verdict_full"] is None and out["verdict"] == "pilot"
    assert finding.message == ("The models ran on 1,000 of the table's 10,000 rows and the learning curve could not "
                               "be fitted, so whether all rows would change the verdict (pilot) is unknown.")
    out, finding = read(None, binary_lift(0.68), skill_now=0.45)  # skipped: the time budget ran out
    assert out["expected"] is None and "curve was not measured within the time budget" in finding.message


@pytest.fixture(scope="module")
def signal_frame():
    return as_loaded(signal_table(300))


def test_a_sample_of_a_larger_table_gets_the_full_data_finding(signal_frame) -> None:
    kwargs = {"use_case": "churn", "target": "outcome", "positive_label": "yes", "time_budget_s": 120}
    whole = assess_feasibility(signal_frame, full_rows=300, **kwargs)
    sampled = assess_feasibility(signal_frame, full_rows=3000, **kwargs)
    assert FEAS_FULL_DATA not in {f.code for f in whole.result.findings}
    assert "full_data" not in whole.result.metrics
    full = sampled.result.metrics["full_data"]
    found = [f for f in sampled.result.findings if f.code == FEAS_FULL_DATA]
    assert len(found) == 1 and found[0].message == full["sentence"]
    assert full["rows"] == 3000 and full["sample_rows"] == 300
    assert full["training_rows_full"] == pytest.approx(10 * full["training_rows_sample"])
    # the curve never falls (a, b >= 0), so ten times the rows expect at least the measured ROC-AUC
    assert full["on_sample"] == pytest.approx(sampled.result.metrics["lift"]["value"])
    assert full["expected"] >= full["on_sample"]
    # the verdict stays the one measured on the sample; the finding only says what all rows would do
    assert (sampled.result.verdict, sampled.result.score) == (whole.result.verdict, whole.result.score)
    assert full["verdict"] == whole.result.verdict
    assert [f.code for f in sampled.result.findings if f.code != FEAS_FULL_DATA] == \
        [f.code for f in whole.result.findings]


def test_full_rows_below_the_rows_given_is_refused(signal_frame) -> None:
    with pytest.raises(ConfigError, match="full_rows"):
        assess_feasibility(signal_frame, use_case="churn", target="outcome", full_rows=100)
