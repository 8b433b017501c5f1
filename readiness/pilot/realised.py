"""The model's realised performance on the pilot's decisions, with seeded bootstrap intervals.

Every figure is computed from row weights, so one resample of the decisions (each row drawn a
number of times) gives every figure at once: the weighted confusion counts (precision, recall,
accuracy, the value per decision), the ROC-AUC and average precision from the scores sorted once,
and the Brier score and log loss. With weights all 1 the figures equal scikit-learn's.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["HEADLINE_METRICS", "METRIC_LABELS", "Resamples", "ScoredDecisions", "compare_with_estimate",
           "position_in_interval", "realised_frame"]

# the feasibility stage's metric names that a log of yes/no decisions and scores can measure
METRIC_LABELS = {
    "roc_auc": "ROC-AUC", "average_precision": "average precision", "precision": "precision", "recall": "recall",
    "accuracy": "accuracy", "balanced_accuracy": "balanced accuracy", "f1": "F1",
    "neg_brier_score": "Brier score (negated)", "neg_log_loss": "log loss (negated)",
}
HEADLINE_METRICS = tuple(METRIC_LABELS)
SHOWN_ALWAYS = ("roc_auc", "precision", "recall")
LOG_LOSS_CLIP = float(np.finfo(float).eps)  # as scikit-learn clips scores of exactly 0 or 1


class ScoredDecisions:
    """Labelled decisions prepared once for weighted figures: scores sorted and tied scores grouped.

    Parameters
    ----------
    outcome : array of 0/1
        What happened.
    score : array of float
        The model's score (any scale for the ranking figures; 0-1 for Brier score and log loss).
    decision : array of 0/1
        What was decided.
    """

    def __init__(self, outcome: np.ndarray, score: np.ndarray, decision: np.ndarray) -> None:
        self.outcome = np.asarray(outcome, dtype=np.int64)
        self.score = np.asarray(score, dtype=float)
        self.decision = np.asarray(decision, dtype=np.int64)
        order = np.argsort(self.score, kind="mergesort")
        _, group_of_sorted = np.unique(self.score[order], return_inverse=True)
        self._group = np.empty(len(order), dtype=np.int64)
        self._group[order] = group_of_sorted  # ascending score group of each row
        self._groups = int(group_of_sorted.max()) + 1 if len(order) else 0
        self._group_outcome = self._group * 2 + self.outcome
        self._cell = self.outcome * 2 + self.decision  # 0 tn, 1 fp, 2 fn, 3 tp
        clipped = np.clip(self.score, LOG_LOSS_CLIP, 1 - LOG_LOSS_CLIP)
        self._squared = (self.score - self.outcome) ** 2
        self._log_loss = -(self.outcome * np.log(clipped) + (1 - self.outcome) * np.log(1 - clipped))

    def __len__(self) -> int:
        return len(self.outcome)

    def confusion(self, weights: np.ndarray | None = None) -> dict[str, float]:
        """Weighted ``{tp, fp, fn, tn}``."""
        tn, fp, fn, tp = np.bincount(self._cell, weights=weights, minlength=4)
        return {"tp": float(tp), "fp": float(fp), "fn": float(fn), "tn": float(tn)}

    def _by_group(self, weights: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
        """Positive and negative weight of each score group (ascending), in one pass over the rows."""
        sums = np.bincount(self._group_outcome, weights=weights, minlength=2 * self._groups).reshape(-1, 2)
        return sums[:, 1], sums[:, 0]

    def roc_auc(self, weights: np.ndarray | None = None) -> float:
        """Weighted ROC-AUC: the chance a positive outranks a negative, ties counting half."""
        return _auc(*self._by_group(weights))

    def average_precision(self, weights: np.ndarray | None = None) -> float:
        """Weighted average precision, thresholds at each distinct score as scikit-learn takes them."""
        return _average_precision(*self._by_group(weights))

    def neg_brier_score(self, weights: np.ndarray | None = None) -> float:
        """Minus the weighted mean squared gap between score and outcome."""
        return -float(np.average(self._squared, weights=weights))

    def neg_log_loss(self, weights: np.ndarray | None = None) -> float:
        """Minus the weighted log loss (scores clipped away from 0 and 1)."""
        return -float(np.average(self._log_loss, weights=weights))

    def figures(self, weights: np.ndarray | None = None) -> dict[str, float]:
        """Every figure of :data:`METRIC_LABELS` at these weights (None: every row once)."""
        by_group = self._by_group(weights)  # shared by the two ranking figures
        out = {"roc_auc": _auc(*by_group), "average_precision": _average_precision(*by_group),
               "neg_brier_score": self.neg_brier_score(weights), "neg_log_loss": self.neg_log_loss(weights)}
        out.update(confusion_figures(self.confusion(weights)))
        return out


def _auc(positives: np.ndarray, negatives: np.ndarray) -> float:
    """ROC-AUC from positive and negative weights per score group, in ascending score order."""
    total_p, total_n = positives.sum(), negatives.sum()
    if total_p == 0 or total_n == 0:
        return float("nan")
    below = np.cumsum(negatives) - negatives  # negatives with a strictly lower score
    return float(np.sum(positives * (below + 0.5 * negatives)) / (total_p * total_n))


def _average_precision(positives: np.ndarray, negatives: np.ndarray) -> float:
    """Average precision from weights per score group in ascending order: sum of recall steps x precision."""
    positives, negatives = positives[::-1], negatives[::-1]  # highest score first
    total_p = positives.sum()
    if total_p == 0:
        return float("nan")
    tp, fp = np.cumsum(positives), np.cumsum(negatives)
    with np.errstate(invalid="ignore", divide="ignore"):
        precision = np.where(tp + fp > 0, tp / (tp + fp), 0.0)
    return float(np.sum(positives / total_p * precision))


def confusion_figures(c: dict[str, float]) -> dict[str, float]:
    """Precision, recall, accuracy, balanced accuracy and F1 from confusion counts (NaN where undefined)."""
    tp, fp, fn, tn = c["tp"], c["fp"], c["fn"], c["tn"]

    def ratio(top: float, bottom: float) -> float:
        return top / bottom if bottom > 0 else float("nan")

    recall, specificity = ratio(tp, tp + fn), ratio(tn, tn + fp)
    return {"precision": ratio(tp, tp + fp), "recall": recall, "accuracy": ratio(tp + tn, tp + fp + fn + tn),
            "balanced_accuracy": (recall + specificity) / 2, "f1": ratio(2 * tp, 2 * tp + fp + fn)}


@dataclass
class Resamples:
    """Every figure on ``n`` bootstrap resamples of the decisions: one row per resample.

    ``figures`` has a column per figure of :data:`METRIC_LABELS`; ``confusion`` the weighted
    ``tp``, ``fp``, ``fn``, ``tn`` of each resample (from which the value per decision follows).
    """

    figures: pd.DataFrame
    confusion: pd.DataFrame

    @classmethod
    def draw(cls, decisions: ScoredDecisions, *, n: int, seed: int) -> Resamples:
        """``n`` resamples of the rows with replacement, seeded; the same resamples serve every figure."""
        rng = np.random.default_rng(seed)
        rows, figures, counts = len(decisions), [], []
        for _ in range(n):
            weights = np.bincount(rng.integers(0, rows, rows), minlength=rows).astype(float)
            figures.append(decisions.figures(weights))
            counts.append(decisions.confusion(weights))
        return cls(pd.DataFrame(figures, columns=list(METRIC_LABELS)),
                   pd.DataFrame(counts, columns=["tp", "fp", "fn", "tn"]))

    def interval(self, values: pd.Series | np.ndarray) -> tuple[float, float]:
        """The 2.5 and 97.5 percentiles of one figure over the resamples (NaN when none is finite)."""
        finite = np.asarray(values, dtype=float)
        finite = finite[np.isfinite(finite)]
        if not len(finite):
            return float("nan"), float("nan")
        low, high = np.quantile(finite, [0.025, 0.975])
        return float(low), float(high)


def position_in_interval(value: float, low: float | None, high: float | None) -> str | None:
    """``below``, ``within`` or ``above`` the interval [low, high]; None without an interval.

    Examples
    --------
    >>> position_in_interval(0.61, 0.63, 0.65), position_in_interval(0.64, 0.63, 0.65)
    ('below', 'within')
    """
    if low is None or high is None or not np.isfinite(value) or not np.isfinite(low) or not np.isfinite(high):
        return None
    if value < low:
        return "below"
    return "above" if value > high else "within"


def compare_with_estimate(realised: float, *, low: float | None, high: float | None) -> str:
    """One phrase: where the realised value stands against the feasibility interval."""
    position = position_in_interval(realised, low, high)
    if position is None:
        return "no estimate to compare with"
    return {"below": "below the feasibility interval", "within": "within the feasibility interval",
            "above": "above the feasibility interval"}[position]


def realised_frame(decisions: ScoredDecisions, resamples: Resamples, *, headline: str | None,
                   estimates: dict[str, tuple[float | None, float | None, float | None]],
                   probabilities: bool) -> pd.DataFrame:
    """One row per figure shown: realised value, 95 % interval, the estimate and where the realised value stands.

    Parameters
    ----------
    headline : str, optional
        The feasibility stage's headline metric; shown first.
    estimates : dict
        Figure -> (estimate, low, high) from the assessment; low and high may be None (a point estimate).
    probabilities : bool
        Whether the scores are probabilities (the Brier score and log loss need them).
    """
    point = decisions.figures()
    wanted = list(dict.fromkeys([*([headline] if headline in METRIC_LABELS else []), *SHOWN_ALWAYS]))
    if not probabilities:
        wanted = [m for m in wanted if m not in ("neg_brier_score", "neg_log_loss")]
    rows = []
    for metric in wanted:
        low, high = resamples.interval(resamples.figures[metric])
        estimate, est_low, est_high = estimates.get(metric, (None, None, None))
        rows.append({"metric": metric, "figure": METRIC_LABELS[metric], "headline": metric == headline,
                     "realised": point[metric], "low": low, "high": high, "estimate": estimate,
                     "estimate_low": est_low, "estimate_high": est_high,
                     "position": position_in_interval(point[metric], est_low, est_high)})
    return pd.DataFrame(rows, columns=["metric", "figure", "headline", "realised", "low", "high", "estimate",
                                       "estimate_low", "estimate_high", "position"])

