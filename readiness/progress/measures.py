"""Before-and-after comparisons of scores and model metrics, each judged against a stated rule.

- A 0-100 score (readiness index and dimensions, data-quality scores) changed when it moved by at
  least ``material`` points (1 by default): survey answers and quality counts carry no sampling
  noise, so a smaller move is rounding, not progress.
- A use case's model metric (the best model's primary metric, cross-validated) changed when the
  move exceeds the noise: the difference of the two means is larger than the half-width of its own
  95 % interval, ``sqrt(h_before² + h_after²)``, where ``h`` is each run's interval half-width.
  Intervals that do not overlap always pass (their difference exceeds ``h_before + h_after``).
  Higher is better for every metric (errors are scored negated, as scikit-learn does).
- An ethics traffic light changed when its colour did (red < amber < green).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from readiness.metrics import Estimate, FeasibilityScores

Direction = Literal["better", "worse", "same", "within_noise", "not_comparable"]
LIGHT_RANK = {"red": 0, "amber": 1, "green": 2}
NOISE_RULE = ("beyond the noise when the difference of the two means is larger than √(h₁² + h₂²), the "
              "half-width of the difference's 95 % interval (h₁, h₂: each run's 95 % interval half-width); "
              "intervals that do not overlap always pass")


def _finite(value: float | None) -> bool:
    return value is not None and math.isfinite(value)


@dataclass(frozen=True)
class ScoreChange:
    """A 0-100 score in both runs (``subject`` · ``measure``), judged on a material change."""

    area: str  # "readiness" or "quality"
    subject: str  # "readiness index", a dimension's title, a table
    measure: str  # "index", a dimension's id, "overall", "completeness", ...
    before: float | None
    after: float | None
    material: float = 1.0

    @property
    def change(self) -> float | None:
        """``after - before``, or None when either is missing."""
        return self.after - self.before if _finite(self.before) and _finite(self.after) else None

    @property
    def direction(self) -> Direction:
        """``better`` or ``worse`` when the score moved by ``material`` points or more, else ``same``."""
        change = self.change
        if change is None:
            return "not_comparable"
        if abs(change) < self.material:
            return "same"
        return "better" if change > 0 else "worse"


@dataclass(frozen=True)
class MetricChange:
    """A use case's primary model metric in both runs, with each run's 95 % interval and the noise rule."""

    use_case: str
    title: str
    metric: str | None
    model_before: str | None
    model_after: str | None
    before: tuple[float | None, float | None, float | None]  # mean, low, high
    after: tuple[float | None, float | None, float | None]
    lift_before: float | None = None
    lift_after: float | None = None
    verdict_before: str | None = None
    verdict_after: str | None = None
    reason: str = ""  # why it is not comparable, when it is not

    @property
    def difference(self) -> float | None:
        """Later mean minus earlier mean."""
        return self.after[0] - self.before[0] if _finite(self.before[0]) and _finite(self.after[0]) else None

    @property
    def noise(self) -> float | None:
        """``sqrt(h_before² + h_after²)``: the half-width of the difference's 95 % interval."""
        halves = [_half(side) for side in (self.before, self.after)]
        if any(h is None for h in halves):
            return None
        return math.hypot(*halves)  # type: ignore[arg-type]

    @property
    def overlap(self) -> bool | None:
        """Whether the two 95 % intervals overlap (None when either is unknown)."""
        if not all(_finite(v) for v in (*self.before[1:], *self.after[1:])):
            return None
        return self.before[1] <= self.after[2] and self.after[1] <= self.before[2]  # type: ignore[operator]

    @property
    def beyond_noise(self) -> bool | None:
        """True when the change exceeds the noise (see the module's rule); None when it cannot be judged."""
        difference, noise = self.difference, self.noise
        if difference is None or noise is None or self.reason:
            return None
        return self.overlap is False or abs(difference) > noise

    @property
    def direction(self) -> Direction:
        """``better`` / ``worse`` beyond the noise, ``within_noise``, ``same`` or ``not_comparable``."""
        beyond, difference = self.beyond_noise, self.difference
        if beyond is None or difference is None:
            return "not_comparable"
        if difference == 0:
            return "same"
        if not beyond:
            return "within_noise"
        return "better" if difference > 0 else "worse"


def _half(side: tuple[float | None, float | None, float | None]) -> float | None:
    _, low, high = side
    return (high - low) / 2 if _finite(low) and _finite(high) else None  # type: ignore[operator]


def _triple(estimate: Estimate | None) -> tuple[float | None, float | None, float | None]:
    if estimate is None:
        return None, None, None
    bounds = estimate.interval
    return estimate.mean, bounds[0] if bounds else None, bounds[1] if bounds else None


def compare_metric(use_case: str, before: FeasibilityScores, after: FeasibilityScores, *,
                   verdicts: tuple[str | None, str | None] = (None, None)) -> MetricChange:
    """The best model's primary metric of one use case in both runs, judged against the noise.

    Examples
    --------
    >>> est = lambda m, h: {"linear": {"roc_auc": {"mean": m, "ci": [m - h, m + h]}}}
    >>> a = FeasibilityScores(primary_metric="roc_auc", best_model="linear", models=est(0.70, 0.02))
    >>> b = FeasibilityScores(primary_metric="roc_auc", best_model="linear", models=est(0.75, 0.02))
    >>> compare_metric("churn", a, b).direction
    'better'
    """
    reason = ""
    if before.primary_metric != after.primary_metric:
        reason = f"the primary metric changed ({before.primary_metric} -> {after.primary_metric})"
    elif before.best_primary is None or after.best_primary is None:
        reason = "a run has no cross-validated estimate of the primary metric"
    elif _half(_triple(before.best_primary)) is None or _half(_triple(after.best_primary)) is None:
        reason = "a run has no 95 % interval for the primary metric"
    return MetricChange(
        use_case=use_case, title=after.title or before.title or use_case, metric=after.primary_metric,
        model_before=before.best_model, model_after=after.best_model,
        before=_triple(before.best_primary), after=_triple(after.best_primary),
        lift_before=before.lift.mean if before.lift else None, lift_after=after.lift.mean if after.lift else None,
        verdict_before=verdicts[0], verdict_after=verdicts[1], reason=reason)


@dataclass(frozen=True)
class LightChange:
    """One ethics traffic light whose colour differs between the runs."""

    use_case: str
    check: str
    before: str | None
    after: str | None

    @property
    def direction(self) -> Direction:
        """``better`` or ``worse`` by colour (red < amber < green); ``not_comparable`` to or from not assessed."""
        if self.before not in LIGHT_RANK or self.after not in LIGHT_RANK:
            return "not_comparable"
        rank = LIGHT_RANK[self.after] - LIGHT_RANK[self.before]  # type: ignore[index]
        return "better" if rank > 0 else "worse" if rank < 0 else "same"


def compare_lights(use_case: str, before: dict[str, str | None], after: dict[str, str | None]
                   ) -> list[LightChange]:
    """Every check whose light differs between the two runs, in the later run's order."""
    checks = list(dict.fromkeys([*after, *before]))
    return [LightChange(use_case, check, before.get(check), after.get(check))
            for check in checks if before.get(check) != after.get(check)]


METRIC_WORDS = {"roc_auc": "ROC AUC", "roc_auc_ovr": "ROC AUC (one vs rest)", "f1_macro": "macro F1",
                "average_precision": "average precision", "balanced_accuracy": "balanced accuracy", "r2": "R²"}


def metric_label(metric: str | None) -> str:
    """A metric in words; errors scored negated (``neg_mean_absolute_error``) are named as the error.

    Examples
    --------
    >>> metric_label("roc_auc"), metric_label("neg_mean_absolute_error")
    ('ROC AUC', 'mean absolute error (lower is better)')
    """
    if not metric:
        return "primary metric"
    if metric.startswith("neg_"):
        return f"{metric[4:].replace('_', ' ')} (lower is better)"
    return METRIC_WORDS.get(metric, metric.replace("_", " "))


def shown_estimate(metric: str | None, side: tuple[float | None, float | None, float | None]
                   ) -> tuple[float | None, float | None, float | None]:
    """``(mean, low, high)`` as the report shows them: a negated error turned back into the error."""
    if metric and metric.startswith("neg_"):
        mean, low, high = side
        return (None if mean is None else -mean, None if high is None else -high, None if low is None else -low)
    return side


def estimate_text(metric: str | None, side: tuple[float | None, float | None, float | None]) -> str:
    """``0.788 [0.763, 0.812]``: a mean with its 95 % interval, or ``n/a``."""
    mean, low, high = shown_estimate(metric, side)
    if mean is None:
        return "n/a"
    interval = f" [{low:.3g}, {high:.3g}]" if low is not None and high is not None else ""
    return f"{mean:.3g}{interval}"
