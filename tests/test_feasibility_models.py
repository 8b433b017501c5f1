"""Models against the baseline: real signal gives a significant lift, pure noise does not."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from feasibility_data import as_loaded, noise_table, signal_table

from readiness.feasibility import (
    FEAS_LIFT,
    FEAS_NO_LIFT,
    assess_feasibility,
    confusion,
    permutation_p_value,
    value_per_decision,
)
from readiness.feasibility.data import Prepared
from readiness.feasibility.decision import tune_threshold
from readiness.feasibility.models import make_splits


@pytest.fixture(scope="module")
def signal_report():
    return assess_feasibility(as_loaded(signal_table()), use_case="signal", target="outcome", seed=3,
                              time_budget_s=10)


def test_signal_beats_the_baseline_significantly(signal_report) -> None:
    m = signal_report.result.metrics
    assert m["lift"]["mean"] > 0.2  # ROC-AUC well above the baseline's 0.5
    assert m["lift"]["ci"][0] > 0
    assert m["p_value"] < 0.01
    assert m["models"]["baseline"]["roc_auc"]["mean"] == pytest.approx(0.5)
    assert m["models"][m["best_model"]]["roc_auc"]["mean"] > 0.75
    assert FEAS_LIFT in {f.code for f in signal_report.result.findings}
    assert signal_report.result.verdict in ("go", "pilot")


def test_signal_report_carries_the_contract(signal_report) -> None:
    m = signal_report.result.metrics
    assert signal_report.result.stage == "feasibility" and signal_report.result.subject == "signal"
    assert set(m["models"]) == {"baseline", "linear", "boosting"}
    assert {"roc_auc", "average_precision", "neg_brier_score", "balanced_accuracy"} <= set(m["models"]["linear"])
    # PR-AUC of the baseline is the prevalence
    assert m["models"]["baseline"]["average_precision"]["mean"] == pytest.approx(m["positive_rate"], abs=0.02)
    cm = m["confusion_matrix"]
    assert sum(cm.values()) == m["rows_modelled"] == len(signal_report.predictions)
    assert cm["tp"] + cm["fn"] == int(signal_report.predictions["y_true"].sum())
    assert list(signal_report.predictions.columns[:4]) == ["row_id", "row", "y_true", "score"]
    assert "case_id" not in m["features"] and m["excluded"]["case_id"] == "identifier"
    assert 0 <= signal_report.result.score <= 100


def test_pure_noise_gives_no_significant_lift() -> None:
    report = assess_feasibility(as_loaded(noise_table()), use_case="noise", target="outcome", seed=3,
                                time_budget_s=10)
    m = report.result.metrics
    assert m["p_value"] >= 0.05 or m["lift"]["ci"][0] <= 0
    assert report.result.verdict == "not_yet"
    assert FEAS_NO_LIFT in {f.code for f in report.result.findings}


def test_regression_lift_is_a_cut_in_mean_absolute_error() -> None:
    rng = np.random.default_rng(5)
    x = rng.normal(size=400)
    frame = pd.DataFrame({"x": x.round(4), "spend": (50 + 10 * x + rng.normal(0, 8, 400)).round(2)})
    report = assess_feasibility(as_loaded(frame), use_case="spend", target="spend", seed=1, time_budget_s=10)
    m = report.result.metrics
    assert m["kind"] == "regression" and m["primary_metric"] == "neg_mean_absolute_error"
    assert 0.45 < m["models"]["linear"]["r2"]["mean"] < 0.75  # 100 / (100 + 64) explained
    assert m["lift"]["mean"] > 2  # MAE from about 10 (predicting the mean) to about 6.4
    assert 0.2 < m["lift"]["relative"] < 0.6


def _prep(y, times=None, groups=None) -> Prepared:
    n = len(y)
    return Prepared(kind="classification", X=pd.DataFrame({"x": np.arange(n, dtype=float)}), y=np.asarray(y),
                    classes=["0", "1"], positive="1", numeric=["x"], categorical=[], text=None,
                    row_id=np.arange(n).astype(str), row=np.arange(n), groups=groups, times=times,
                    rows_total=n, labelled=n)


def test_time_folds_train_on_the_past_only() -> None:
    times = pd.date_range("2025-01-01", periods=60, freq="D").to_numpy()[::-1]  # newest row first
    splits, method = make_splits(_prep(np.arange(60) % 2, times=times))
    assert method == "time"
    for train, test in splits:
        assert times[train].max() < times[test].min()


def test_group_folds_keep_a_group_together() -> None:
    groups = np.repeat(np.arange(20), 5).astype(str)
    splits, method = make_splits(_prep(np.tile([0, 1, 0, 1, 1], 20), groups=groups))
    assert method == "group"
    for train, test in splits:
        assert not set(groups[train]) & set(groups[test])


def test_permutation_p_value_separates_signal_from_noise() -> None:
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 500)
    folds = np.arange(500) % 5
    p_signal, n = permutation_p_value(y, y + rng.normal(0, 0.8, 500), folds, metric="roc_auc")
    p_noise, _ = permutation_p_value(y, rng.normal(size=500), folds, metric="roc_auc")
    assert n == 999 and p_signal == pytest.approx(0.001) and p_noise > 0.05


def test_value_and_threshold_follow_the_outcome_values() -> None:
    y = np.array([0, 0, 0, 0, 0, 0, 1, 1, 1, 1])
    s = np.array([0.05, 0.1, 0.15, 0.2, 0.3, 0.45, 0.25, 0.5, 0.7, 0.9])
    assert confusion(y, (s >= 0.5).astype(int)) == {"tp": 3, "fp": 0, "fn": 1, "tn": 6}
    value = {"true_positive": 38.0, "false_positive": -2.0, "false_negative": 0.0, "true_negative": 0.0}
    assert value_per_decision({"tp": 3, "fp": 0, "fn": 1, "tn": 6}, value) == pytest.approx(11.4)
    # A cheap false alarm and a valuable hit: act on the 0.25 positive too, at the cost of one false alarm.
    threshold = tune_threshold(y, s, value=value)
    assert 0.2 < threshold <= 0.25
    assert value_per_decision(confusion(y, (s >= threshold).astype(int)), value) == pytest.approx(14.8)


def test_confusion_counts_as_scikit_learns_confusion_matrix() -> None:
    from sklearn.metrics import confusion_matrix

    rng = np.random.default_rng(3)
    for n in (0, 1, 7, 1_000):
        for y, d in ((rng.integers(0, 2, n), rng.integers(0, 2, n)),  # ints
                     (rng.integers(0, 2, n).astype(float), rng.random(n) >= 0.3),  # floats and booleans
                     (rng.integers(-1, 3, n), rng.integers(0, 3, n))):  # values other than 0/1 are not counted
            counted = np.isin(y, [0, 1]).any()  # scikit-learn refuses a truth with neither label
            tn, fp, fn, tp = confusion_matrix(y, d, labels=[0, 1]).ravel() if counted else (0, 0, 0, 0)
            assert confusion(y, d) == {"tp": tp, "fp": fp, "fn": fn, "tn": tn}


def test_the_models_table_has_a_row_per_metric_and_a_column_per_model() -> None:
    from readiness.feasibility import FeasibilityReport
    from readiness.results import StageResult

    models = {"baseline": {"roc_auc": {"mean": 0.5, "ci": [0.5, 0.5]},
                           "neg_log_loss": {"mean": -0.35, "ci": [-0.36, -0.34]}},
              "boosting": {"roc_auc": {"mean": 0.946, "ci": [0.943, 0.949]},
                           "neg_log_loss": {"mean": -0.2, "ci": [-0.21, -0.19]}}}
    frame = FeasibilityReport(StageResult("feasibility", "x", "go", 90.0, {"models": models})).models_frame()
    assert list(frame.columns) == ["metric", "baseline", "boosting"]
    assert frame.to_dict("records") == [
        {"metric": "ROC-AUC", "baseline": "0.500 (0.500 to 0.500)", "boosting": "0.946 (0.943 to 0.949)"},
        {"metric": "log loss", "baseline": "0.350 (0.340 to 0.360)", "boosting": "0.200 (0.190 to 0.210)"}]


def _category_frame(rows: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    gaps = rng.choice(["x", "y", "z"], rows).astype(object)
    gaps[rng.random(rows) < 0.1] = None
    gaps[rng.random(rows) < 0.05] = np.nan
    return pd.DataFrame({
        "many": rng.choice([f"v{i}" for i in range(400)], rows, p=np.linspace(1, 3, 400) / np.linspace(1, 3, 400).sum())
        .astype(object),  # more than the ordinal encoder's 250: the rarest are grouped
        "few": rng.choice(["b", "a", "C", "\u00e9", "a b", "B"], rows).astype(object),  # code-point order
        "gaps": gaps,
        "flags": rng.choice([True, False], rows).astype(object),  # not text: passes unchanged
    })


def test_text_steps_give_the_codes_scikit_learns_encoders_give_on_python_text() -> None:
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder

    from readiness.feasibility.data import MIN_LEVEL_ROWS, MISSING
    from readiness.feasibility.models import TextAsRanks

    train, test = _category_frame(4000, 1), _category_frame(1500, 2)
    test.loc[:5, "few"] = "never seen"
    test.loc[6:9, "many"] = None

    def ordinal() -> OrdinalEncoder:
        return OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=np.nan, encoded_missing_value=np.nan,
                              max_categories=250)

    expected = ordinal().fit(train).transform(test)
    ranked = Pipeline([("rank", TextAsRanks()), ("ordinal", ordinal())]).fit(train)
    np.testing.assert_array_equal(ranked.transform(test), expected)
    assert np.nanmax(expected[:, 0]) == 249 and np.isnan(expected[:6, 1]).all()  # grouped; unseen -> NaN
    assert list(ranked.get_feature_names_out()) == ["many", "few", "gaps", "flags"]

    text = ["many", "few", "gaps"]

    def one_hot(*middle) -> Pipeline:
        return Pipeline([("fill", SimpleImputer(strategy="constant", fill_value=MISSING)), *middle,
                         ("onehot", OneHotEncoder(handle_unknown="ignore", min_frequency=MIN_LEVEL_ROWS))])

    plain, fast = one_hot().fit(train[text]), one_hot(("text", TextAsRanks())).fit(train[text])
    matrix = plain.transform(test[text]).toarray()
    np.testing.assert_array_equal(fast.transform(test[text]).toarray(), matrix)
    assert plain.named_steps["onehot"].infrequent_categories_[0] is not None  # rare "many" values grouped
    few = [i for i, name in enumerate(plain.get_feature_names_out(text)) if name.startswith("few_")]
    assert matrix[:6, few].sum() == 0 and (matrix[6:, few].sum(axis=1) == 1).all()  # unseen "few": no column
    assert fast.transform(test[text]).shape == matrix.shape
