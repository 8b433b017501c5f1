"""What a model's decisions are worth: expected value per decision and the break-even threshold.

Outcome values are money gained per decision compared with today's practice (a caught no-show
saves a slot: positive; an unneeded reminder call costs staff time: negative). Costs, as in the
break-even formula, are the same figures with the sign turned: ``C = -value``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

__all__ = ["ConfusionCounts", "break_even_threshold", "expected_value_per_decision"]

OUTCOMES = ("true_positive", "false_positive", "false_negative", "true_negative")


@dataclass(frozen=True)
class ConfusionCounts:
    """Counts of the four outcomes at one decision threshold."""

    tp: float
    fp: float
    fn: float
    tn: float

    @property
    def total(self) -> float:
        return self.tp + self.fp + self.fn + self.tn

    def rates(self) -> dict[str, float]:
        """Share of decisions that end in each outcome, keyed like the outcome values."""
        total = self.total
        return dict(zip(OUTCOMES, (self.tp / total, self.fp / total, self.fn / total, self.tn / total),
                        strict=True))

    @classmethod
    def from_mapping(cls, counts: Mapping[str, float]) -> ConfusionCounts:
        """From ``{tp, fp, fn, tn}``."""
        return cls(*(float(counts[k]) for k in ("tp", "fp", "fn", "tn")))


def expected_value_per_decision(counts: ConfusionCounts, values: Mapping[str, float | np.ndarray]
                                ) -> float | np.ndarray:
    """Average money per decision: each outcome's share times its value, summed.

    Parameters
    ----------
    counts : ConfusionCounts
        Outcome counts at the chosen threshold (out-of-fold predictions).
    values : mapping
        ``true_positive``, ``false_positive``, ``false_negative``, ``true_negative``: value of
        one outcome (missing outcomes are worth 0); arrays give one result per draw.

    Examples
    --------
    >>> cm = ConfusionCounts(tp=10, fp=20, fn=5, tn=65)
    >>> round(expected_value_per_decision(cm, {"true_positive": 38, "false_positive": -2}), 6)
    3.4
    """
    rates = counts.rates()
    return sum(rates[k] * values.get(k, 0.0) for k in OUTCOMES)


def break_even_threshold(*, cost_tp: float, cost_fp: float, cost_fn: float, cost_tn: float) -> float | None:
    """Probability above which acting on a case is worth more than not acting.

    ``p* = (C_FP - C_TN) / (C_FP - C_TN + C_FN - C_TP)``, with ``C`` the cost of each outcome.

    Returns
    -------
    float or None
        None when acting and not acting are worth the same whatever the probability.

    Examples
    --------
    >>> break_even_threshold(cost_tp=-38, cost_fp=2, cost_fn=0, cost_tn=0)
    0.05
    """
    denominator = cost_fp - cost_tn + cost_fn - cost_tp
    if denominator == 0:
        return None
    return (cost_fp - cost_tn) / denominator
