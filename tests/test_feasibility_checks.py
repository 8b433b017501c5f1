"""Checks before any model: sample-size rules, and bad input ending in not_yet or a clear DataError."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from feasibility_data import as_loaded, signal_table

from readiness.errors import ConfigError, DataError
from readiness.feasibility import (
    FEAS_MISSING_FEATURE_VALUES,
    FEAS_NO_LABELS,
    FEAS_NO_USABLE_FEATURES,
    FEAS_SINGLE_CLASS,
    FEAS_TARGET_NOT_NUMERIC,
    FEAS_TIME_UNPARSEABLE,
    FEAS_TOO_FEW_EVENTS,
    FEAS_TOO_FEW_ROWS,
    FEAS_UNLABELLED_ROWS,
    assess_feasibility,
    events_per_variable_rows,
    max_r2_cs,
    riley_sample_size,
)


def run(frame: pd.DataFrame, **params):
    params = {"use_case": "case", "target": "outcome", "time_budget_s": 5, **params}
    return assess_feasibility(as_loaded(frame), **params)


def codes_of(report) -> set[str]:
    return {f.code for f in report.result.findings}


def test_riley_worked_example() -> None:
    # Riley et al. (2020), BMJ 368:m441: 24 parameters, prevalence 0.174, Cox-Snell R2 0.288.
    size = riley_sample_size(24, 0.174, r2_cs=0.288)
    assert size.shrinkage == 623
    assert size.max_r2_cs == pytest.approx(0.6032, abs=1e-4)
    # criterion 2 by hand: S = 0.288 / (0.288 + 0.05 * 0.6032) = 0.9052
    s2 = 0.288 / (0.288 + 0.05 * max_r2_cs(0.174))
    assert size.optimism == math.ceil(24 / ((s2 - 1) * math.log(1 - 0.288 / s2)))
    assert size.intercept == 221  # (1.96 / 0.05)^2 * 0.174 * 0.826 = 220.9
    assert size.n == max(size.shrinkage, size.optimism, size.intercept)


def test_events_per_variable_rule() -> None:
    assert events_per_variable_rows(5, 0.1) == 500  # 10 events x 5 parameters at 10 % prevalence
    assert events_per_variable_rows(5, 0.5) == 100


def test_target_absent_lists_the_closest_columns() -> None:
    with pytest.raises(DataError) as err:
        run(signal_table(100), target="outcomes")
    assert "'outcomes'" in str(err.value) and "'outcome'" in str(err.value) and "`target`" in str(err.value)


def test_other_named_columns_are_checked_too() -> None:
    with pytest.raises(DataError, match="`group_column` names column 'bandd'.*'band'"):
        run(signal_table(100), group_column="bandd")


def test_unknown_kind_and_value_key_are_config_errors() -> None:
    with pytest.raises(ConfigError, match="did you mean 'regression'"):
        run(signal_table(100), kind="regresion")
    with pytest.raises(ConfigError, match="did you mean 'true_positive'"):
        run(signal_table(100), value={"true_positives": 5})
    with pytest.raises(ConfigError, match="`positive_label` is 'maybe'.*no, yes"):
        run(signal_table(100), positive_label="maybe")


def test_target_all_null_is_not_yet() -> None:
    report = run(signal_table(100).assign(outcome=None))
    assert report.result.verdict == "not_yet" and FEAS_NO_LABELS in codes_of(report)
    assert report.result.score == 0


def test_single_class_is_not_yet() -> None:
    report = run(signal_table(100).assign(outcome="yes"))
    assert report.result.verdict == "not_yet" and FEAS_SINGLE_CLASS in codes_of(report)


def test_fewer_than_30_labelled_rows_is_not_yet() -> None:
    frame = signal_table(200)
    frame.loc[29:, "outcome"] = None  # 29 labelled rows
    report = run(frame)
    assert report.result.verdict == "not_yet"
    assert {FEAS_TOO_FEW_ROWS, FEAS_UNLABELLED_ROWS} <= codes_of(report)
    assert report.result.metrics["rows_labelled"] == 29


def test_all_features_constant_is_not_yet() -> None:
    frame = signal_table(100).assign(x1=1.0, x2=2.0, band="mid")
    report = run(frame)
    assert report.result.verdict == "not_yet" and FEAS_NO_USABLE_FEATURES in codes_of(report)


def test_text_target_for_regression_is_not_yet() -> None:
    report = run(signal_table(100), kind="regression")
    finding = next(f for f in report.result.findings if f.code == FEAS_TARGET_NOT_NUMERIC)
    assert report.result.verdict == "not_yet" and finding.column == "outcome"


def test_unparseable_time_column_is_not_yet() -> None:
    frame = signal_table(100).assign(when=[f"week {i}" for i in range(100)])
    report = run(frame, time_column="when")
    finding = next(f for f in report.result.findings if f.code == FEAS_TIME_UNPARSEABLE)
    assert report.result.verdict == "not_yet" and finding.evidence == {"unparseable": 100, "filled": 100}


def test_blank_numbers_stored_as_text_are_imputed_with_a_finding() -> None:
    frame = as_loaded(signal_table(300))
    frame.loc[[3, 8, 40], "x1"] = " "  # blanks in a numeric column, as in an export
    report = assess_feasibility(frame, use_case="case", target="outcome", time_budget_s=5)
    finding = next(f for f in report.result.findings if f.code == FEAS_MISSING_FEATURE_VALUES)
    assert finding.column == "x1" and finding.evidence["rows"] == 3 and finding.evidence["number_as_text"]
    assert report.result.metrics["models"]["linear"]["roc_auc"]["mean"] > 0.7


def test_few_events_per_parameter_is_flagged() -> None:
    rng = np.random.default_rng(4)
    frame = signal_table(300).assign(**{f"c{i}": rng.choice(list("abcdefgh"), 300) for i in range(6)})
    frame["outcome"] = np.where(np.arange(300) < 40, "yes", "no")
    report = run(frame)
    finding = next(f for f in report.result.findings if f.code == FEAS_TOO_FEW_EVENTS)
    assert finding.evidence["events"] == 40 and finding.evidence["events_per_parameter"] < 10
    assert report.result.verdict != "go"


def test_value_ranges_count_at_their_likely_value() -> None:
    from readiness.feasibility.decision import check_value

    value = check_value({"true_positive": [12, 30, 45], "false_positive": -2, "decisions_per_year": [1, 2, 3]})
    assert value["true_positive"] == 30.0 and value["false_positive"] == -2.0
    assert value["decisions_per_year"] == 2.0 and value["false_negative"] == 0.0
