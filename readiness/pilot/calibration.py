"""Do the pilot's scores read as probabilities? Reliability by score decile, Brier score, calibration errors.

The decisions with a known outcome are cut into ten bands of equal size by score (deciles; tied
scores stay in one band, so there may be fewer). In each band the mean score is compared with the
share of positive outcomes. The expected calibration error (ECE) is the mean gap between the two,
each band weighted by its share of the decisions; the Brier score is the mean squared gap between
score and outcome, beside the Brier score of always predicting the pilot's base rate. Calibration
in the large is the ratio of observed to expected positives (O/E: outcomes over the sum of the
scores), with the usual 95 % interval exp(ln(O/E) +/- 1.96 / sqrt(O)).

Calibration is poor when the ECE is above 0.05, or when O/E is more than 10 % off 1 and its
interval excludes 1: scores that are off on average, even by a few points on a rare outcome,
misstate how many cases to expect.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["BINS", "POOR_ECE", "POOR_RATIO", "Calibration", "assess_calibration", "expected_calibration_error",
           "reliability_table"]

BINS = 10
POOR_ECE = 0.05  # a mean gap of 5 points between score and observed rate: scores no longer read as probabilities
POOR_RATIO = 0.1  # observed positives more than 10 % above or below the scores' sum


def reliability_table(outcome: np.ndarray, score: np.ndarray, *, bins: int = BINS) -> pd.DataFrame:
    """Decisions, mean score, observed rate and their gap in each score band (deciles by default).

    Examples
    --------
    >>> table = reliability_table(np.array([0, 0, 1, 1]), np.array([0.1, 0.2, 0.7, 0.9]), bins=2)
    >>> table[["decisions", "mean_score", "observed_rate"]].to_numpy().tolist()
    [[2.0, 0.15000000000000002, 0.0], [2.0, 0.8, 1.0]]
    """
    outcome, score = np.asarray(outcome, dtype=float), np.asarray(score, dtype=float)
    # right-closed bins at the score deciles, as the drift bins are cut: a tied score stays in one band
    edges = np.unique(np.quantile(score, np.arange(1, bins) / bins)) if len(score) else np.array([])
    frame = pd.DataFrame({"band": np.searchsorted(edges, score, side="left"), "outcome": outcome, "score": score})
    grouped = frame.groupby("band", observed=True, sort=True)
    table = pd.DataFrame({"decisions": grouped["outcome"].size().astype(int),
                          "mean_score": grouped["score"].mean(), "observed_rate": grouped["outcome"].mean(),
                          "lowest_score": grouped["score"].min(), "highest_score": grouped["score"].max()})
    table["gap"] = table["observed_rate"] - table["mean_score"]
    table.insert(0, "band", np.arange(1, len(table) + 1))
    return table.reset_index(drop=True)


def expected_calibration_error(outcome: np.ndarray, score: np.ndarray, *, bins: int = BINS) -> float:
    """Mean absolute gap between mean score and observed rate over the score bands, weighted by their size.

    Examples
    --------
    >>> expected_calibration_error(np.array([0, 1, 0, 1]), np.array([0.4, 0.4, 0.6, 0.6]), bins=2)
    0.1
    """
    return _ece(reliability_table(outcome, score, bins=bins))


def _ece(table: pd.DataFrame) -> float:
    weights = table["decisions"] / table["decisions"].sum()
    return round(float((weights * table["gap"].abs()).sum()), 12)  # rounded: sums of shares carry float noise


@dataclass(frozen=True)
class Calibration:
    """The calibration of the pilot's scores.

    ``brier`` is the mean squared gap between score and outcome; ``brier_reference`` that of
    always predicting the base rate (a model worth having scores below it); ``table`` the
    reliability table; ``observed_to_expected`` the positives over the sum of the scores, with its
    95 % interval ``ratio_low`` to ``ratio_high``.
    """

    table: pd.DataFrame
    brier: float
    brier_reference: float
    expected_calibration_error: float
    observed_to_expected: float = float("nan")
    ratio_low: float = float("nan")
    ratio_high: float = float("nan")

    @property
    def off_in_the_large(self) -> bool:
        """True when O/E is more than :data:`POOR_RATIO` off 1 and its 95 % interval excludes 1."""
        return bool(abs(self.observed_to_expected - 1) > POOR_RATIO and (self.ratio_low > 1 or self.ratio_high < 1))

    @property
    def poor(self) -> bool:
        """True when the ECE is above :data:`POOR_ECE` or the scores are off in the large."""
        return self.expected_calibration_error > POOR_ECE or self.off_in_the_large

    @property
    def brier_skill(self) -> float:
        """1 - Brier / reference Brier: the share of the base rate's error the scores remove."""
        return 1 - self.brier / self.brier_reference if self.brier_reference > 0 else float("nan")


def assess_calibration(outcome: np.ndarray, score: np.ndarray, *, bins: int = BINS) -> Calibration:
    """Reliability table, Brier score (and its base-rate reference), ECE and O/E of scores from 0 to 1."""
    outcome, score = np.asarray(outcome, dtype=float), np.asarray(score, dtype=float)
    base_rate = float(outcome.mean())
    table = reliability_table(outcome, score, bins=bins)
    observed, expected = float(outcome.sum()), float(score.sum())
    ratio = observed / expected if expected > 0 else float("nan")
    spread = 1.96 / np.sqrt(observed) if observed > 0 else float("nan")
    return Calibration(table=table, brier=float(np.mean((score - outcome) ** 2)),
                       brier_reference=base_rate * (1 - base_rate), expected_calibration_error=_ece(table),
                       observed_to_expected=ratio, ratio_low=float(ratio * np.exp(-spread)),
                       ratio_high=float(ratio * np.exp(spread)))
