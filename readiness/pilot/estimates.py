"""What the assessment promised: the feasibility stage's estimate and the ROI stage's figures for one use case.

Both are read from the stages' JSON results through :class:`readiness.results.StageResult` and
the typed contracts of :mod:`readiness.metrics`; the pilot review never reads another stage's code.
The feasibility estimate is the best model's cross-validated headline metric (``primary_metric``)
with its 95 % interval, plus the threshold, confusion matrix, target, positive label and features.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from readiness.errors import ConfigError
from readiness.metrics import FeasibilityMetrics, RoiMetrics
from readiness.results import StageResult

__all__ = ["FeasibilityEstimate", "RoiEstimate", "read_feasibility", "read_roi"]


class _Interval(BaseModel):
    """A model's cross-validated metric as the feasibility result writes it: ``{mean, ci: [low, high]}``."""

    model_config = ConfigDict(extra="allow")

    mean: float | None = None
    ci: list[float | None] | None = None


@dataclass(frozen=True)
class FeasibilityEstimate:
    """The feasibility stage's promise for one use case.

    ``metric`` is the headline metric's name (``roc_auc``), ``mean``/``low``/``high`` its
    cross-validated mean and 95 % interval for the best model; ``confusion`` the out-of-fold
    counts at ``threshold``; ``features`` the columns the models used.
    """

    source: str
    use_case: str
    title: str | None
    verdict: str
    metric: str | None = None
    model: str | None = None
    mean: float | None = None
    low: float | None = None
    high: float | None = None
    threshold: float | None = None
    confusion: dict[str, float] | None = None
    target: str | None = None
    positive_label: str | None = None
    features: list[str] = field(default_factory=list)
    leakage_suspected: bool = False

    @property
    def has_interval(self) -> bool:
        """True when the headline metric has a mean and a finite interval to compare with."""
        return None not in (self.metric, self.mean, self.low, self.high)


@dataclass(frozen=True)
class RoiEstimate:
    """The ROI stage's figures for one use case: NPV, risk-adjusted NPV, verdict, currency."""

    source: str
    use_case: str
    verdict: str | None
    npv: float | None
    risk_adjusted_npv: float | None
    prob_npv_positive: float | None
    currency: str | None
    not_valued_reason: str | None = None


def _load(path: str | Path, what: str, parameter: str) -> StageResult:
    from readiness.tables import resolve_input_path

    resolved = resolve_input_path(path)
    if not resolved.is_file():
        raise ConfigError(f"pilot parameter `{parameter}` is '{path}': no such file; give the {what}, or \"\" when "
                          "there is none.")
    try:
        return StageResult.load(resolved)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ConfigError(f"pilot parameter `{parameter}`: {resolved.name} cannot be read as a stage result "
                          f"({type(exc).__name__}); give the {what}.") from None


def read_feasibility(path: str | Path) -> FeasibilityEstimate:
    """Read a feasibility result (``<use_case>.json``) as the estimate the pilot is judged against.

    Raises
    ------
    ConfigError
        The file is missing, is not a feasibility result, or its metrics break the contract.
    """
    result = _load(path, "feasibility stage's <use_case>.json", "feasibility_result")
    name = Path(path).name
    if result.stage != "feasibility":
        raise ConfigError(f"pilot parameter `feasibility_result`: {name} is a '{result.stage}' result, not a "
                          "feasibility one; give the feasibility stage's <use_case>.json.")
    try:
        metrics = result.metrics_as(FeasibilityMetrics)
    except ValidationError as exc:
        error = exc.errors()[0]
        where = ".".join(str(p) for p in error["loc"])
        raise ConfigError(f"pilot parameter `feasibility_result`: {name}: `metrics.{where}` {error['msg'].lower()}; "
                          "rerun the feasibility notebook.") from None
    extra: dict[str, Any] = metrics.model_extra or {}
    metric, model = _text(extra.get("primary_metric")), _text(extra.get("best_model"))
    interval = _interval(extra.get("models"), model, metric)
    low, high = (interval.ci + [None, None])[:2] if interval and interval.ci else (None, None)
    features = extra.get("features") or []
    return FeasibilityEstimate(
        source=name, use_case=metrics.use_case or result.subject, title=metrics.title, verdict=result.verdict,
        metric=metric, model=model, mean=interval.mean if interval else None, low=low, high=high,
        threshold=metrics.threshold,
        confusion=metrics.confusion_matrix.model_dump() if metrics.confusion_matrix else None,
        target=_text(extra.get("target")), positive_label=_text(extra.get("positive_label")),
        features=[str(f) for f in features] if isinstance(features, list) else [],
        leakage_suspected=metrics.leakage_suspected)


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _interval(models: Any, model: str | None, metric: str | None) -> _Interval | None:
    if not isinstance(models, dict) or model is None or metric is None:
        return None
    raw = (models.get(model) or {}).get(metric) if isinstance(models.get(model), dict) else None
    try:
        return _Interval.model_validate(raw) if isinstance(raw, dict) else None
    except ValidationError:
        return None


def read_roi(path: str | Path, *, use_case: str) -> RoiEstimate:
    """Read ``roi.json`` and keep the figures of one use case (None where it was not valued).

    Raises
    ------
    ConfigError
        The file is missing, is not an ROI result, or its metrics break the contract.
    """
    result = _load(path, "ROI stage's roi.json", "roi_result")
    name = Path(path).name
    if result.stage != "roi":
        raise ConfigError(f"pilot parameter `roi_result`: {name} is a '{result.stage}' result, not an ROI one; give "
                          "the ROI stage's roi.json.")
    try:
        metrics = result.metrics_as(RoiMetrics)
    except ValidationError as exc:
        raise ConfigError(f"pilot parameter `roi_result`: {name}: {exc.errors()[0]['msg'].lower()}; rerun the ROI "
                          "notebook.") from None
    money = metrics.use_cases.get(use_case)
    verdicts = (metrics.model_extra or {}).get("verdicts") or {}
    missing = metrics.not_valued.get(use_case)
    return RoiEstimate(
        source=name, use_case=use_case, verdict=_text(verdicts.get(use_case)) if isinstance(verdicts, dict) else None,
        npv=money.npv if money else None, risk_adjusted_npv=money.risk_adjusted_npv if money else None,
        prob_npv_positive=money.prob_npv_positive if money else None, currency=metrics.currency,
        not_valued_reason=missing.reason if missing else None)
