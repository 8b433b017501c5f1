"""From scores to decisions: the threshold, the confusion matrix and the value of acting on it.

With a ``value`` per outcome (e.g. ``{true_positive: 38, false_positive: -2, false_negative: 0,
true_negative: 0, decisions_per_year: 42000}``) the threshold maximises the expected value per
decision; without one it maximises balanced accuracy. Either way scikit-learn's
``TunedThresholdClassifierCV`` chooses it, on the out-of-fold predictions of the cross-validation.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.metrics import make_scorer
from sklearn.model_selection import TunedThresholdClassifierCV

from readiness.errors import ConfigError

OUTCOMES = ("true_positive", "false_positive", "false_negative", "true_negative")
VALUE_KEYS = (*OUTCOMES, "decisions_per_year")


def check_value(value: Mapping[str, Any] | None) -> dict[str, float]:
    """The value per outcome as floats (missing outcomes are 0); {} when none is given.

    An uncertain value given as ``[low, likely, high]`` (as the ROI stage takes it) counts at its
    likely value: the threshold is tuned for the most likely outcome values.

    Raises
    ------
    ConfigError
        An unknown key (naming the closest) or a value that is not a number.
    """
    if not value:
        return {}
    if not isinstance(value, Mapping):
        raise ConfigError(f"feasibility parameter `value` is {value!r}; give a mapping such as "
                          "{true_positive: 38, false_positive: -2}.")
    out = {k: 0.0 for k in OUTCOMES}
    for key, amount in value.items():
        if key not in VALUE_KEYS:
            close = difflib.get_close_matches(str(key), VALUE_KEYS, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            raise ConfigError(f"feasibility parameter `value.{key}` is not a known key{hint}; keys are "
                              f"{', '.join(VALUE_KEYS)}.")
        if isinstance(amount, (list, tuple)) and len(amount) == 3:
            amount = amount[1]
        if isinstance(amount, bool) or not isinstance(amount, (int, float)):
            raise ConfigError(f"feasibility parameter `value.{key}` is {amount!r}; give a number.")
        out[key] = float(amount)
    return out


def confusion(y: np.ndarray, decision: np.ndarray) -> dict[str, int]:
    """``{tp, fp, fn, tn}`` of 0/1 decisions against 0/1 truth (other values are not counted).

    Counted with NumPy masks, as ``sklearn.metrics.confusion_matrix(labels=[0, 1])`` counts them:
    the threshold search calls this once per candidate threshold, where scikit-learn's input
    checks took 5 ms a call (0.5 s of a feasibility run).
    """
    y, decision = np.asarray(y), np.asarray(decision)
    pos, neg, yes, no = y == 1, y == 0, decision == 1, decision == 0

    def both(a: np.ndarray, b: np.ndarray) -> int:
        return int(np.count_nonzero(a & b))

    return {"tp": both(pos, yes), "fp": both(neg, yes), "fn": both(pos, no), "tn": both(neg, no)}


def value_per_decision(counts: Mapping[str, int], value: Mapping[str, float]) -> float:
    """Mean value of one decision given the confusion counts."""
    total = sum(counts.values())
    gained = (counts["tp"] * value.get("true_positive", 0) + counts["fp"] * value.get("false_positive", 0)
              + counts["fn"] * value.get("false_negative", 0) + counts["tn"] * value.get("true_negative", 0))
    return gained / total if total else 0.0


def decision_value(counts: Mapping[str, int], value: Mapping[str, float]) -> dict[str, float | None]:
    """``{per_decision, per_year}``; ``per_year`` needs ``decisions_per_year``."""
    per = value_per_decision(counts, value)
    per_year = value.get("decisions_per_year")
    return {"per_decision": per, "per_year": per * per_year if per_year else None}


def _value_score(y_true: np.ndarray, y_pred: np.ndarray, **value: float) -> float:
    return value_per_decision(confusion(np.asarray(y_true), np.asarray(y_pred)), value)


def value_scorer(value: Mapping[str, float]):
    """A scikit-learn scorer: expected value per decision of the 0/1 predictions."""
    return make_scorer(_value_score, **{k: value[k] for k in OUTCOMES})


class OutOfFoldScores(ClassifierMixin, BaseEstimator):
    """A stand-in classifier whose P(positive) is its single input column: the out-of-fold scores.

    Lets ``TunedThresholdClassifierCV(cv="prefit")`` search thresholds on predictions the
    cross-validation already made, instead of refitting the model for every fold again.
    """

    def fit(self, X, y):  # noqa: D102 - nothing to learn
        self.classes_ = np.array([0, 1])
        return self

    def predict_proba(self, X):  # noqa: D102
        score = np.asarray(X, dtype=float)[:, 0]
        return np.column_stack([1 - score, score])

    def predict(self, X):  # noqa: D102
        return (self.predict_proba(X)[:, 1] >= 0.5).astype(int)


def tune_threshold(y: np.ndarray, scores: np.ndarray, *, value: Mapping[str, float] | None) -> float:
    """The decision threshold that maximises value per decision (or balanced accuracy).

    ``TunedThresholdClassifierCV`` searches its grid of thresholds on the out-of-fold scores
    (held-out predictions of every fold), so the choice is made on data no model was trained on.

    Examples
    --------
    >>> y = np.array([0, 0, 0, 0, 1, 1]); s = np.array([0.1, 0.2, 0.3, 0.6, 0.7, 0.9])
    >>> 0.6 < tune_threshold(y, s, value=None) <= 0.7
    True
    """
    scoring = value_scorer(value) if value else "balanced_accuracy"
    stand_in = OutOfFoldScores().fit(None, None)
    tuned = TunedThresholdClassifierCV(stand_in, scoring=scoring, cv="prefit", refit=False)
    tuned.fit(np.asarray(scores, dtype=float).reshape(-1, 1), np.asarray(y))
    return float(tuned.best_threshold_)
