"""Leakage: a feature that gives the answer away, post-outcome dates and telling identifiers."""

from __future__ import annotations

import numpy as np
import pandas as pd
from feasibility_data import as_loaded, signal_table

from readiness.feasibility import (
    FEAS_IDENTIFIER_ASSOCIATION,
    FEAS_LABEL_LEAKAGE,
    FEAS_POST_OUTCOME_FEATURE,
    assess_feasibility,
)


def test_leaking_feature_is_flagged_and_excluded() -> None:
    frame = signal_table(400)
    rng = np.random.default_rng(9)
    # A fee charged after the outcome: non-zero on 96 % of the positives, never on the negatives.
    frame["fee"] = np.where((frame["outcome"] == "yes") & (rng.random(400) < 0.96), 25.0, 0.0)
    report = assess_feasibility(as_loaded(frame), use_case="case", target="outcome", time_budget_s=5)
    leak = [f for f in report.result.findings if f.code == FEAS_LABEL_LEAKAGE]
    assert [f.column for f in leak] == ["fee"] and leak[0].severity == "error"
    assert leak[0].evidence["roc_auc"] > 0.95
    assert "fee" not in report.result.metrics["features"]
    assert report.result.metrics["excluded"]["fee"] == "leak"
    # the honest features are still used and still predict
    assert {"x1", "x2", "band"} <= set(report.result.metrics["features"])
    assert report.result.metrics["models"]["linear"]["roc_auc"]["mean"] < 0.95


def test_clean_features_raise_no_leak() -> None:
    report = assess_feasibility(as_loaded(signal_table(400)), use_case="case", target="outcome", time_budget_s=5)
    assert FEAS_LABEL_LEAKAGE not in {f.code for f in report.result.findings}


def test_dates_after_the_outcome_are_excluded_and_dates_before_become_lead_times() -> None:
    frame = signal_table(200)
    starts = pd.Timestamp("2025-03-01") + pd.to_timedelta(np.arange(200), "D")
    frame["starts_at"] = starts.strftime("%Y-%m-%dT%H:%M:%S")
    lead = pd.to_timedelta(np.random.default_rng(3).integers(1, 30, 200), "D")
    frame["booked_at"] = (starts - lead).strftime("%Y-%m-%d")
    frame["closed_at"] = (starts + pd.Timedelta(days=2)).strftime("%Y-%m-%d")
    report = assess_feasibility(as_loaded(frame), use_case="case", target="outcome", time_column="starts_at",
                                time_budget_s=5)
    post = [f for f in report.result.findings if f.code == FEAS_POST_OUTCOME_FEATURE]
    assert [f.column for f in post] == ["closed_at"] and post[0].evidence == {"rows_after": 200, "rows": 200}
    features = report.result.metrics["features"]
    assert "booked_at_days_before_starts_at" in features and "starts_at_dow" in features
    assert not {"starts_at", "booked_at", "closed_at"} & set(features)
    assert report.result.metrics["cv"]["method"] == "time"


def test_identifier_in_outcome_order_is_flagged() -> None:
    frame = signal_table(300).sort_values("outcome", kind="mergesort").reset_index(drop=True)
    frame["case_id"] = [f"K{i:05d}" for i in range(300)]  # ids handed out after sorting by outcome
    report = assess_feasibility(as_loaded(frame), use_case="case", target="outcome", time_budget_s=5)
    found = [f for f in report.result.findings if f.code == FEAS_IDENTIFIER_ASSOCIATION]
    assert [f.column for f in found] == ["case_id"] and found[0].evidence["order_auc"] > 0.99
