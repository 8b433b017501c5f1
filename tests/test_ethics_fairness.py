"""Model-level fairness: equality with fairlearn, hand-computed disparities, prediction alignment."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from fairlearn.metrics import (
    MetricFrame,
    count,
    demographic_parity_difference,
    demographic_parity_ratio,
    equalized_odds_difference,
    false_negative_rate,
    false_positive_rate,
    selection_rate,
    true_positive_rate,
)
from sklearn.metrics import precision_score

from readiness.errors import DataError
from readiness.ethics.fairness import (
    as_binary,
    disparity_table,
    fairness_summary,
    load_predictions,
    metric_frame,
)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_equal_to_fairlearn_functions_and_metric_frame(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = 700
    groups = rng.choice(["a", "b", "c", "d"], n, p=[0.4, 0.3, 0.2, 0.1])
    y_true = rng.integers(0, 2, n)
    y_pred = (rng.random(n) < np.where(groups == "a", 0.6, 0.35)).astype(int)
    summary = fairness_summary(y_true, y_pred, groups, n_boot=20, seed=seed)
    assert summary["demographic_parity_difference"] == pytest.approx(
        demographic_parity_difference(y_true, y_pred, sensitive_features=groups), abs=1e-9)
    assert summary["demographic_parity_ratio"] == pytest.approx(
        demographic_parity_ratio(y_true, y_pred, sensitive_features=groups), abs=1e-9)
    assert summary["equalized_odds_difference"] == pytest.approx(
        equalized_odds_difference(y_true, y_pred, sensitive_features=groups), abs=1e-9)
    reference = MetricFrame(
        metrics={"count": count, "selection_rate": selection_rate, "tpr": true_positive_rate,
                 "fpr": false_positive_rate, "fnr": false_negative_rate, "precision": precision_score},
        y_true=y_true, y_pred=y_pred, sensitive_features=groups,
    ).by_group.astype(float)
    ours = metric_frame(y_true, y_pred, groups).by_group.astype(float)
    assert ours.index.tolist() == reference.index.tolist()
    np.testing.assert_allclose(ours[reference.columns].to_numpy(), reference.to_numpy(), atol=1e-9, rtol=0)


def _tiny() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    # a: TP, FN, FP, TN -> TPR .5, FPR .5, FDR .5, FOR .5, PPREV .5;  b: TP, TP, TN, TN -> all errors 0
    y_true = np.array([1, 1, 0, 0, 1, 1, 0, 0])
    y_pred = np.array([1, 0, 1, 0, 1, 1, 0, 0])
    return y_true, y_pred, np.array(["a"] * 4 + ["b"] * 4)


def test_hand_computed_by_group_and_summary() -> None:
    y_true, y_pred, groups = _tiny()
    by_group = metric_frame(y_true, y_pred, groups).by_group
    assert by_group.loc["a", ["count", "selection_rate", "tpr", "fpr", "fnr", "precision"]].tolist() == \
        [4, 0.5, 0.5, 0.5, 0.5, 0.5]
    assert by_group.loc["b", ["tpr", "fpr", "precision"]].tolist() == [1.0, 0.0, 1.0]
    summary = fairness_summary(y_true, y_pred, groups, n_boot=50, seed=0)
    assert summary["demographic_parity_difference"] == 0.0 and summary["demographic_parity_ratio"] == 1.0
    assert summary["equalized_odds_difference"] == 0.5
    assert summary["equalized_odds_difference_low"] <= summary["equalized_odds_difference_high"]


def test_disparity_table_against_reference_group() -> None:
    y_true, y_pred, groups = _tiny()
    t = disparity_table(y_true, y_pred, groups, attribute="x", reference="a", min_group_size=1).set_index("group")
    assert t.loc["a", ["fpr", "fnr", "fdr", "for", "pprev"]].tolist() == [0.5] * 5
    assert t.loc["b", ["fpr_disparity", "fnr_disparity", "fdr_disparity", "for_disparity", "pprev_disparity"]] \
        .tolist() == [0.0, 0.0, 0.0, 0.0, 1.0]
    assert t.loc["a", "within_band"] and not t.loc["b", "within_band"]
    assert t.index[0] == "a"  # the reference first


def test_decisions_as_binary() -> None:
    assert as_binary(pd.Series([True, False]), "true", what="d").tolist() == [1.0, 0.0]
    assert as_binary(pd.Series(["Yes", "no", None]), "yes", what="d")[:2].tolist() == [1.0, 0.0]
    with pytest.raises(DataError, match="not scores"):
        as_binary(pd.Series([0.2, 0.9]), "1", what="decision")


def _write(tmp_path: Path, frame: pd.DataFrame) -> Path:
    path = tmp_path / "uc.predictions.parquet"
    frame.to_parquet(path)
    return path


def test_predictions_aligned_by_position_and_by_key(tmp_path: Path) -> None:
    by_pos = load_predictions(_write(tmp_path, pd.DataFrame({"row_id": [2, 0], "decision": [1, 0]})), rows=3)
    assert by_pos["position"].tolist() == [2, 0]
    keys = pd.Series(["A1", "A2", "A3"])
    by_key = load_predictions(_write(tmp_path, pd.DataFrame({"row_id": ["A3", "A1"], "decision": [1, 0]})),
                              rows=3, keys=keys)
    assert by_key["position"].tolist() == [2, 0]


@pytest.mark.parametrize(("frame", "message"), [
    (pd.DataFrame({"decision": [1, 0]}), "2 predictions for 3 data rows"),
    (pd.DataFrame({"row_id": [0, 1, 2, 3], "decision": [1, 0, 1, 0]}), "4 predictions but the data has 3 rows"),
    (pd.DataFrame({"row_id": [0, 7], "decision": [1, 0]}), "positions outside 0-2"),
    (pd.DataFrame({"row_id": [1, 1], "decision": [1, 0]}), "repeated row_id"),
    (pd.DataFrame({"row_id": [0, 1], "score": [0.1, 0.2]}), "no 'decision' column"),
])
def test_mismatched_predictions_raise(tmp_path: Path, frame: pd.DataFrame, message: str) -> None:
    with pytest.raises(DataError, match=message):
        load_predictions(_write(tmp_path, frame), rows=3)


def test_unknown_keys_and_unreadable_file(tmp_path: Path) -> None:
    path = _write(tmp_path, pd.DataFrame({"row_id": ["A1", "Z9"], "decision": [1, 0]}))
    with pytest.raises(DataError, match="key values not in the data"):
        load_predictions(path, rows=3, keys=pd.Series(["A1", "A2", "A3"]))
    bad = tmp_path / "bad.parquet"
    bad.write_text("not parquet")
    with pytest.raises(DataError, match="cannot read the predictions"):
        load_predictions(bad, rows=3)


def test_file_positions_win_over_ambiguous_ids(tmp_path: Path) -> None:
    # row_id holds positions as text while the data's key has other values: `row` decides
    frame = pd.DataFrame({"row_id": ["0", "1"], "row": [2, 0], "decision": [1, 0]})
    aligned = load_predictions(_write(tmp_path, frame), rows=3, keys=pd.Series(["A1", "A2", "A2"]))
    assert aligned["position"].tolist() == [2, 0]
    with pytest.raises(DataError, match="outside 0-2"):
        load_predictions(_write(tmp_path, frame.assign(row=[5, 0])), rows=3)
