"""Use-case feasibility stage: can the client's data support an AI use case, and would more data help?

:func:`assess_feasibility` is the one call a notebook makes; :func:`save_report` writes
``<use_case>.json`` (the stage result) and ``<use_case>.predictions.parquet`` (out-of-fold
predictions: ``row_id``, ``y_true``, ``score``, ``decision``). The pieces are public for reuse and
tests: sample-size rules (:func:`riley_sample_size`), the leakage screen
(:func:`single_feature_scores`), the learning-curve fit (:func:`fit_power_law`), forecast
backtests (:func:`aggregate_series`, :func:`backtest`; :class:`DailyRows` is a forecast's input
when another engine aggregated the table), the verdict (:func:`verdict`) and, when the models ran
on a sample of a larger table, the verdict the whole table would give (:func:`full_data_reading`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from readiness.faces import lazy_face
from readiness.feasibility.codes import *  # noqa: F403 - the FEAS_* constants are part of the API
from readiness.feasibility.codes import BLOCKING, CODES

if TYPE_CHECKING:  # the face; each name is imported on first use (readiness.faces)
    from readiness.feasibility.assess import FeasibilityReport, assess_feasibility
    from readiness.feasibility.checks import RileySampleSize, events_per_variable_rows, max_r2_cs, riley_sample_size
    from readiness.feasibility.data import resolve_kind
    from readiness.feasibility.decision import confusion, decision_value, value_per_decision
    from readiness.feasibility.entry import assess_from_params
    from readiness.feasibility.forecast import (
        Backtest,
        DailyRows,
        Series,
        aggregate_daily,
        aggregate_series,
        backtest,
        forecast_errors,
        series_from_daily,
    )
    from readiness.feasibility.full_data import full_data_reading
    from readiness.feasibility.leakage import LEAK_AUC, LEAK_R2, single_feature_scores
    from readiness.feasibility.learning_curve import LearningCurve, fit_power_law, learning_curve, power_law
    from readiness.feasibility.params import FeasibilityParams
    from readiness.feasibility.report import save_report
    from readiness.feasibility.significance import permutation_p_value, sign_flip_p_value
    from readiness.feasibility.verdict import ScoreParts, skill, verdict

__all__ = [
    "BLOCKING", "CODES", "LEAK_AUC", "LEAK_R2", "Backtest", "DailyRows", "FeasibilityParams", "FeasibilityReport",
    "LearningCurve", "assess_from_params",
    "RileySampleSize", "ScoreParts", "Series", "aggregate_daily", "aggregate_series", "assess_feasibility",
    "backtest", "confusion", "decision_value", "events_per_variable_rows", "fit_power_law", "forecast_errors",
    "full_data_reading", "learning_curve", "max_r2_cs", "permutation_p_value", "power_law", "resolve_kind",
    "riley_sample_size", "save_report", "series_from_daily", "sign_flip_p_value", "single_feature_scores", "skill",
    "value_per_decision", "verdict", *CODES,
]

__getattr__, __dir__ = lazy_face(__name__)
