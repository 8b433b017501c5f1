"""What the feasibility stage works with and returns: its normalised parameters, its clock, its report.

:mod:`readiness.feasibility.assess` validates the parameters and dispatches to the flows in
:mod:`readiness.feasibility.run`; both read the names defined here, which import neither.
"""

from __future__ import annotations

import dataclasses
import os
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from readiness.feasibility.learning_curve import LearningCurve
from readiness.params import Assumption
from readiness.results import Finding, StageResult

ROWS_PER_SECOND = 1000  # rows modelled per second of budget; measured with benchmarks/bench_feasibility.py
MIN_MODEL_ROWS = 5000


METRIC_LABELS = {"roc_auc": "ROC-AUC", "roc_auc_ovr": "ROC-AUC (one vs rest)", "f1_macro": "macro-F1",
                 "neg_mean_absolute_error": "mean absolute error", "mean_absolute_error": "mean absolute error",
                 "root_mean_squared_error": "root mean squared error", "r2": "R²", "log_loss": "log loss",
                 "brier_score": "Brier score", "average_precision": "average precision",
                 "balanced_accuracy": "balanced accuracy"}


class Clock:
    """Seconds per phase, and what is left of the time budget."""

    def __init__(self, budget_s: float) -> None:
        self.start = time.perf_counter()
        self.budget = float(budget_s)
        self.seconds: dict[str, float] = {}

    @contextmanager
    def phase(self, name: str):
        """Time a block under ``name``."""
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = round(self.seconds.get(name, 0.0) + time.perf_counter() - started, 3)

    def remaining(self) -> float:
        """Seconds left of the budget (negative when over)."""
        return self.budget - (time.perf_counter() - self.start)

    def deadline(self) -> float:
        """The ``time.perf_counter()`` value at which the budget runs out."""
        return self.start + self.budget

    def summary(self) -> dict[str, float]:
        """Seconds per phase and in total."""
        return {**self.seconds, "total": round(time.perf_counter() - self.start, 3)}


def threads() -> int:
    """Threads for this job: ``OMP_NUM_THREADS`` as the pipeline sets it, else at most 2."""
    try:
        return max(1, int(os.environ.get("OMP_NUM_THREADS", "")))
    except ValueError:
        return max(1, min(2, os.cpu_count() or 1))


@dataclass
class FeasibilityReport:
    """Everything the feasibility notebook shows about one use case.

    Attributes
    ----------
    result : StageResult
        ``stage="feasibility"``, ``subject`` the use case id, ``verdict`` go/pilot/not_yet.
    predictions : DataFrame
        Out-of-fold predictions of the best model: ``row_id``, ``y_true``, ``score``, ``decision``
        (plus ``row``, ``fold`` and, for forecasts, ``group``, ``period`` and ``baseline``).
    single_feature : DataFrame
        How well each feature alone predicts the target (the leakage screen).
    learning_curves : dict
        Model family -> :class:`LearningCurve`.
    calibration : DataFrame or None
        Binary: mean predicted probability and observed rate per score decile.
    backtest : DataFrame or None
        Forecast: ``period``, ``y``, ``baseline``, ``linear`` summed over groups.
    top_terms : DataFrame or None
        Text: the words each class leans on.
    assumed : list of Assumption
        Choices made for the analyst (target, kind, positive label ...), shown as "What was assumed".
    scope_note : str or None
        Which rows the results stand on, when the table was sampled or aggregated elsewhere.
    full_counts : DataFrame or None
        The target's values counted on every row of a table the models saw a sample of.
    """

    result: StageResult
    predictions: pd.DataFrame = field(default_factory=pd.DataFrame)
    single_feature: pd.DataFrame = field(default_factory=pd.DataFrame)
    learning_curves: dict[str, LearningCurve] = field(default_factory=dict)
    calibration: pd.DataFrame | None = None
    backtest: pd.DataFrame | None = None
    top_terms: pd.DataFrame | None = None
    assumed: list[Assumption] = field(default_factory=list)
    scope_note: str | None = None
    full_counts: pd.DataFrame | None = None
    full_counts_caption: str = ""

    @property
    def headline(self) -> str:
        """The verdict and its reasons in one sentence."""
        return self.result.metrics.get("headline", "")

    @property
    def cards(self) -> dict[str, Any]:
        """Headline figures for a row of metric cards."""
        m = self.result.metrics
        cards: dict[str, Any] = {"Rows": m.get("rows", 0), "Labelled": m.get("rows_labelled", 0)}
        if m.get("positive_rate") is not None:
            cards["Positive rate"] = f"{m['positive_rate']:.1%}"
        lift = m.get("lift") or {}
        if lift.get("value") is not None:
            cards[f"Best {self.metric_label}"] = f"{abs(lift['value']):.3f}"
            cards[f"Baseline {self.metric_label}"] = f"{abs(lift['baseline']):.3f}"
        if m.get("p_value") is not None:
            cards["p-value"] = f"{m['p_value']:.3f}" if m["p_value"] >= 0.001 else "< 0.001"
        cards["Feasibility score"] = f"{self.result.score:.0f} / 100"
        return cards

    @property
    def metric_label(self) -> str:
        """The primary metric in words."""
        primary = self.result.metrics.get("primary_metric") or ""
        return METRIC_LABELS.get(primary, primary.replace("_", " "))

    def model_intervals(self) -> dict[str, tuple[float, float, float]]:
        """Model -> (mean, low, high) of the primary metric; errors shown as positive numbers."""
        primary = self.result.metrics.get("primary_metric")
        out = {}
        for model, metrics in (self.result.metrics.get("models") or {}).items():
            s = metrics.get(primary) or {}
            if s.get("mean") is None:
                continue
            values = (s["mean"], *s["ci"])
            out[model] = tuple(abs(v) for v in values) if primary.startswith("neg_") else values
        return {m: (v[0], min(v[1:]), max(v[1:])) for m, v in out.items()}

    def models_frame(self) -> pd.DataFrame:
        """One row per cross-validated metric, one column per model: the mean over folds and its 95 % interval.

        Metrics scikit-learn negates (``neg_log_loss``) are shown as the positive error they stand for.
        """
        models = self.result.metrics.get("models") or {}
        names = list(dict.fromkeys(name for metrics in models.values() for name in metrics))
        rows = []
        for name in names:
            sign = -1 if name.startswith("neg_") else 1
            row: dict[str, Any] = {"metric": METRIC_LABELS.get(name.removeprefix("neg_"),
                                                              name.removeprefix("neg_").replace("_", " "))}
            for model, metrics in models.items():
                s = metrics.get(name) or {}
                lo, hi = (sign * v if v is not None else None for v in (s.get("ci") or [None, None]))
                mean = None if s.get("mean") is None else sign * s["mean"]
                interval = "" if lo is None else f" ({min(lo, hi):.3f} to {max(lo, hi):.3f})"
                row[model] = "" if mean is None else f"{mean:.3f}{interval}"
            rows.append(row)
        return pd.DataFrame(rows)


@dataclass
class Params:
    """The use case's parameters, normalised ("" means none)."""

    use_case: str
    target: str
    title: str = ""
    kind: str = "auto"
    positive_label: str | None = None
    features: list[str] | None = None
    exclude: list[str] = field(default_factory=list)
    time_column: str | None = None
    group_column: str | None = None
    text_column: str | None = None
    seed: int = 42
    time_budget_s: float = 30.0
    value: dict[str, float] = field(default_factory=dict)
    as_of: str | None = None
    full_rows: int | None = None


def blocked_result(p: Params, kind: str, findings: list[Finding], metrics: dict) -> StageResult:
    """A ``not_yet`` result for a use case stopped before any model."""
    from readiness.feasibility.verdict import headline

    metrics = {"use_case": p.use_case, "title": p.title, "kind": kind, "target": p.target, **metrics,
               "headline": headline("not_yet", findings)}
    return StageResult(stage="feasibility", subject=p.use_case, verdict="not_yet", score=0.0, metrics=metrics,
                       findings=findings)


def save_report(report: FeasibilityReport, results_dir: str | Path) -> dict[str, Path]:
    """Write ``<use_case>.json`` and, when there are predictions, ``<use_case>.predictions.parquet``.

    The JSON leaves out ``metrics.seconds`` (time per phase, shown in the notebook): a result holds
    only what the data and the seed decide, so two runs write the same bytes (the pipeline keeps
    each notebook's duration in ``run.json``).

    Returns
    -------
    dict
        ``{"result": path, "predictions": path}`` (``predictions`` only when written).
    """
    folder = Path(results_dir)
    subject = report.result.subject
    timeless = dataclasses.replace(report.result, metrics={k: v for k, v in report.result.metrics.items()
                                                            if k != "seconds"})
    saved = {"result": timeless.save(folder / f"{subject}.json")}
    if len(report.predictions):
        path = folder / f"{subject}.predictions.parquet"
        report.predictions.to_parquet(path, index=False)
        saved["predictions"] = path
    return saved
