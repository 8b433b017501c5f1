"""What the pilot's decisions were worth, against what the ROI stage expected of them.

Value per decision = each outcome's share of the decisions x its value, summed, as the ROI stage
computes it; a year's value = value per decision x decisions per year x adoption (the ROI stage's
annual benefit at full use). The estimate applies the same values to the feasibility stage's
out-of-fold confusion counts, so the two differ only in how the decisions turned out.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from readiness.errors import ConfigError

__all__ = ["OUTCOMES", "OutcomeValues", "RealisedValue", "parse_values", "realised_value", "value_per_decision"]

OUTCOMES = ("true_positive", "false_positive", "false_negative", "true_negative")
_COUNTS = {"true_positive": "tp", "false_positive": "fp", "false_negative": "fn", "true_negative": "tn"}
VALUE_KEYS = (*OUTCOMES, "decisions_per_year", "adoption")


@dataclass(frozen=True)
class OutcomeValues:
    """Money gained per decision by outcome (missing outcomes are worth 0), decisions a year and adoption."""

    true_positive: float = 0.0
    false_positive: float = 0.0
    false_negative: float = 0.0
    true_negative: float = 0.0
    decisions_per_year: float | None = None
    adoption: float = 1.0

    def of(self, outcome: str) -> float:
        """The value of one outcome."""
        return float(getattr(self, outcome))


def _likely(key: str, amount: Any) -> float:
    # an uncertain input written as [low, likely, high] or {low, likely, high}, as the ROI stage takes it,
    # counts at its likely value
    if isinstance(amount, (list, tuple)) and len(amount) == 3:
        amount = amount[1]
    elif isinstance(amount, Mapping) and "likely" in amount:
        amount = amount["likely"]
    if isinstance(amount, bool) or not isinstance(amount, (int, float)):
        raise ConfigError(f"pilot parameter `value.{key}` is {amount!r}; give a number, [low, likely, high] or "
                          "{low, likely, high}.")
    return float(amount)


def parse_values(value: Mapping[str, Any] | None) -> OutcomeValues | None:
    """The ``value`` parameter as :class:`OutcomeValues`; None when it is empty.

    Examples
    --------
    >>> parse_values({"true_positive": [12, 30, 45], "false_positive": -2.5, "decisions_per_year": 30000})
    OutcomeValues(true_positive=30.0, false_positive=-2.5, false_negative=0.0, true_negative=0.0, \
decisions_per_year=30000.0, adoption=1.0)

    Raises
    ------
    ConfigError
        An unknown key (naming the closest), a value that is not a number, or an adoption outside 0-1.
    """
    if not value:
        return None
    if not isinstance(value, Mapping):
        raise ConfigError(f"pilot parameter `value` is {value!r}; give a mapping such as "
                          "{\"true_positive\": 30, \"false_positive\": -2.5, \"decisions_per_year\": 30000}.")
    given = {}
    for key, amount in value.items():
        if key not in VALUE_KEYS:
            close = difflib.get_close_matches(str(key), VALUE_KEYS, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            raise ConfigError(f"pilot parameter `value.{key}` is not a known key{hint}; keys are "
                              f"{', '.join(VALUE_KEYS)}.")
        given[key] = _likely(key, amount)
    if not 0 <= given.get("adoption", 1.0) <= 1:
        raise ConfigError(f"pilot parameter `value.adoption` is {given['adoption']}; give the share of decisions "
                          "acted on at full use, from 0 to 1.")
    if given.get("decisions_per_year", 0) < 0:
        raise ConfigError("pilot parameter `value.decisions_per_year` is negative; give the decisions a year.")
    return OutcomeValues(**given)


def value_per_decision(counts: Mapping[str, float] | pd.DataFrame, values: OutcomeValues) -> float | np.ndarray:
    """Mean money per decision from confusion counts ``{tp, fp, fn, tn}`` (a frame gives one per row).

    Examples
    --------
    >>> value_per_decision({"tp": 10, "fp": 20, "fn": 5, "tn": 65}, OutcomeValues(38, -2))
    3.4
    """
    total = sum(counts[c] for c in _COUNTS.values())
    gained = sum(counts[_COUNTS[o]] * values.of(o) for o in OUTCOMES)
    if isinstance(total, pd.Series):
        return (gained / total.where(total > 0)).to_numpy(dtype=float)
    return float(gained / total) if total else float("nan")


@dataclass(frozen=True)
class RealisedValue:
    """The pilot's value per decision (with its 95 % interval) and a year, beside the ROI stage's estimate.

    ``estimated_*`` are None without a feasibility confusion matrix; ``*_per_year`` None without
    ``decisions_per_year``.
    """

    values: OutcomeValues
    counts: dict[str, float]
    per_decision: float
    low: float
    high: float
    estimated_per_decision: float | None

    def _yearly(self, per_decision: float | None) -> float | None:
        if per_decision is None or self.values.decisions_per_year is None:
            return None
        return per_decision * self.values.decisions_per_year * self.values.adoption

    @property
    def per_year(self) -> float | None:
        """The realised value per decision over a year of decisions at full adoption, as the ROI stage counts it."""
        return self._yearly(self.per_decision)

    @property
    def estimated_per_year(self) -> float | None:
        """The estimate over the same year."""
        return self._yearly(self.estimated_per_decision)

    @property
    def below_estimate(self) -> bool:
        """True when even the interval's upper end is below the estimate."""
        return self.estimated_per_decision is not None and self.high < self.estimated_per_decision

    def frame(self, currency: str) -> pd.DataFrame:
        """Realised and estimated value, per decision and a year, with the difference (money in ``currency``)."""
        rows = []
        for label, scale in (("per decision", lambda v: v), ("a year at full use", self._yearly)):
            realised, estimate = scale(self.per_decision), scale(self.estimated_per_decision)
            rows.append({"value": label, "realised": realised, "low": scale(self.low), "high": scale(self.high),
                         "estimate": estimate,
                         "difference": None if realised is None or estimate is None else realised - estimate})
        frame = pd.DataFrame(rows).astype({c: float for c in ("realised", "low", "high", "estimate", "difference")})
        return frame.rename(columns=lambda c: c if c == "value" else f"{c} ({currency})")


def realised_value(counts: Mapping[str, float], resampled: pd.DataFrame, values: OutcomeValues, *,
                   estimate_counts: Mapping[str, float] | None) -> RealisedValue:
    """The pilot's value from its confusion counts, with the interval over the bootstrap resamples' counts."""
    draws = value_per_decision(resampled, values) if len(resampled) else np.array([])
    finite = draws[np.isfinite(draws)]
    low, high = (float(q) for q in np.quantile(finite, [0.025, 0.975])) if len(finite) else (np.nan, np.nan)
    estimate = None if not estimate_counts else value_per_decision(estimate_counts, values)
    return RealisedValue(values=values, counts=dict(counts), per_decision=float(value_per_decision(counts, values)),
                         low=low, high=high, estimated_per_decision=estimate)
