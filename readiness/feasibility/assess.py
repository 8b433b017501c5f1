"""One call per use case: checks, leakage, cross-validated models, value of more data, verdict."""

from __future__ import annotations

import os
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from threadpoolctl import threadpool_limits

from readiness.errors import ConfigError
from readiness.feasibility.data import check_kind, column_names, detect_kind, require_columns, type_table
from readiness.feasibility.decision import check_value
from readiness.feasibility.forecast import DailyRows
from readiness.feasibility.learning_curve import LearningCurve
from readiness.params import Assumption, note_assumptions, slug
from readiness.quality.detect import POSITIVE_WORDS, detect_targets, group_candidates, time_candidates
from readiness.quality.profile import TableProfile
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


def _normalise_features(features: Any) -> list[str] | None:
    if features in (None, "", "auto", []) or (isinstance(features, list) and features == ["auto"]):
        return None
    if isinstance(features, str):
        return [features]
    if not isinstance(features, (list, tuple)):
        raise ConfigError(f"feasibility parameter `features` is {features!r}; give a list of columns or 'auto'.")
    return [str(f) for f in features]


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


def check_params(frame: pd.DataFrame, where: str, **given: Any) -> Params:
    """Normalise and validate the parameters against the table; raises ConfigError or DataError."""
    p = Params(use_case=str(given["use_case"]), target=str(given["target"]), title=given.get("title") or "",
               kind=check_kind(given.get("kind")),
               positive_label=None if given.get("positive_label") in (None, "") else str(given["positive_label"]),
               features=_normalise_features(given.get("features")), exclude=column_names(given.get("exclude")),
               time_column=given.get("time_column") or None, group_column=given.get("group_column") or None,
               text_column=given.get("text_column") or None, value=check_value(given.get("value")),
               as_of=str(given["as_of"])[:10] if given.get("as_of") else None)
    for name in ("seed", "time_budget_s"):
        raw = given.get(name, getattr(p, name))
        if isinstance(raw, bool) or not isinstance(raw, (int, float)) or (name == "time_budget_s" and raw <= 0):
            raise ConfigError(f"feasibility parameter `{name}` is {raw!r}; give a "
                              f"{'positive number of seconds' if name == 'time_budget_s' else 'whole number'}.")
        setattr(p, name, int(raw) if name == "seed" else float(raw))
    full_rows = given.get("full_rows")
    if full_rows is not None:
        if isinstance(full_rows, bool) or not isinstance(full_rows, int) or full_rows < len(frame):
            raise ConfigError(f"{where}: `full_rows` is {full_rows!r}; give the whole table's row count, at least "
                              f"the {len(frame):,} rows given.")
        p.full_rows = int(full_rows)
    named = [("target", p.target)] if p.target else []
    named += [("features", c) for c in p.features or []] + [("exclude", c) for c in p.exclude]
    named += [(k, getattr(p, k)) for k in ("time_column", "group_column", "text_column") if getattr(p, k)]
    require_columns(frame, named, where=where)
    if p.kind == "text_classification" and not p.text_column:
        raise ConfigError(f"{where}: kind text_classification needs `text_column`, the column holding the text.")
    if p.kind == "forecast" and not p.time_column:
        raise ConfigError(f"{where}: kind forecast needs `time_column`, the column that dates each row.")
    return p


def blocked_result(p: Params, kind: str, findings: list[Finding], metrics: dict) -> StageResult:
    """A ``not_yet`` result for a use case stopped before any model."""
    from readiness.feasibility.verdict import headline

    metrics = {"use_case": p.use_case, "title": p.title, "kind": kind, "target": p.target, **metrics,
               "headline": headline("not_yet", findings)}
    return StageResult(stage="feasibility", subject=p.use_case, verdict="not_yet", score=0.0, metrics=metrics,
                       findings=findings)


def assess_feasibility(
    data: Any,
    *,
    use_case: str,
    target: str,
    title: str = "",
    kind: str = "auto",
    positive_label: str | None = None,
    features: list[str] | str | None = "auto",
    exclude: list[str] | tuple[str, ...] = (),
    time_column: str | None = None,
    group_column: str | None = None,
    text_column: str | None = None,
    seed: int = 42,
    time_budget_s: float = 30,
    value: dict[str, float] | None = None,
    as_of: str | None = None,
    daily: DailyRows | None = None,
    full_rows: int | None = None,
) -> FeasibilityReport:
    """Assess whether a table supports one AI use case.

    Parameters
    ----------
    data : LoadedTable or DataFrame
        The table as loaded by :func:`readiness.tables.load_table` (or a DataFrame of text columns).
    use_case : str
        The use case id (the result's subject).
    target : str
        The column to predict (for a forecast: rows are counted per period, or a numeric column summed).
    title : str
        The use case in words.
    kind : str
        ``classification``, ``regression``, ``forecast``, ``text_classification`` or ``auto``.
    positive_label : str, optional
        The positive class of a binary target (case-insensitive); a yes-like value by default.
    features : list of str or "auto"
        Columns to use; ``auto`` uses every usable column.
    exclude : list of str
        Columns never to use.
    time_column, group_column, text_column : str, optional
        Folds follow time / keep groups together; the free text of a text classification.
    seed : int
        Drives every random choice.
    time_budget_s : float
        Seconds for the whole assessment; large tables are sampled to fit, optional steps cut.
    value : dict, optional
        Value per outcome (``true_positive``, ``false_positive``, ``false_negative``,
        ``true_negative``) and ``decisions_per_year``: the threshold then maximises value.
    as_of : ISO date, optional
        Forecasts leave out rows dated after it.
    daily : DailyRows, optional
        A forecast's rows per group and day, aggregated on the whole table where it lives (e.g.
        :func:`readiness.spark.series.aggregate_daily_spark`); used instead of aggregating ``data``
        when the use case is a forecast. Its target, columns and ``as_of`` must be these.
    full_rows : int, optional
        Rows of the whole table when ``data`` is a sample of it: a finding
        (``FEAS_FULL_DATA``) then reads the learning curve at the whole table's rows and says
        whether all rows would change the verdict. A forecast needs ``daily`` then.

    Returns
    -------
    FeasibilityReport

    Raises
    ------
    DataError
        A named column is not in the table (the message lists the closest names).
    ConfigError
        A parameter is malformed (unknown kind, value key, positive label...).
    """
    from readiness.feasibility.run import run_forecast, run_tabular

    parameters = {"use_case": use_case, "target": target, "title": title, "kind": kind,
                  "positive_label": positive_label, "features": features, "exclude": exclude,
                  "time_column": time_column, "group_column": group_column, "text_column": text_column,
                  "seed": seed, "time_budget_s": time_budget_s, "value": value, "as_of": as_of,
                  "full_rows": full_rows}
    frame = data if isinstance(data, pd.DataFrame) else data.frame
    decimal = "." if isinstance(data, pd.DataFrame) else (getattr(data, "decimal", ".") or ".")
    where = f"use case '{use_case}'" if use_case else "feasibility"
    if not isinstance(data, pd.DataFrame):
        where += f" ({getattr(data.path, 'name', data.path)})"
    p = check_params(frame, where, **parameters)
    clock = Clock(p.time_budget_s)
    with clock.phase("typing"):
        profile, typed = type_table(frame, time_column=p.time_column, decimal=decimal)
    assumed = _name_use_case(p, profile, where)
    kind = p.kind if p.kind != "auto" else detect_kind(profile, p.target, text_column=p.text_column,
                                                       time_column=p.time_column)
    if p.kind == "auto":
        assumed.append(Assumption("kind", kind, kind_reason(profile, p.target, kind), "-p kind KIND"))
    with threadpool_limits(limits=threads()):
        if kind == "forecast":
            report = run_forecast(frame, typed, profile, p, clock, daily=daily)
        else:
            report = run_tabular(frame, typed, profile, p, kind, clock)
    note_assumptions(report, assumed + _fold_assumptions(profile, p, kind, report))
    return report


def _name_use_case(p: Params, profile: TableProfile, where: str) -> list[Assumption]:
    """Fill an empty target, use case id and title from the data; the choices made."""
    assumed = []
    if not p.target:
        found = detect_targets(profile)
        if not found:
            columns = ", ".join(list(profile.columns)[:30])
            raise ConfigError(f"{where}: no `target` was given and no yes/no outcome column was found; set "
                              f"-p target COLUMN, the column to predict (columns are: {columns}).")
        p.target = found[0].column
        others = ", ".join(d.column for d in found[1:4])
        reason = found[0].reason + (f"; other candidates: {others}" if others else "")
        assumed.append(Assumption("target", p.target, reason, "-p target COLUMN"))
    if not p.use_case:
        p.use_case = slug(p.target, fallback="use_case")
        assumed.append(Assumption("use_case", p.use_case, "made from the target's name", "-p use_case ID"))
    p.title = p.title or f"Predict {p.target}"
    return assumed


def kind_reason(profile: TableProfile, target: str, kind: str) -> str:
    """Why :func:`detect_kind` chose ``kind`` for ``target``, in words."""
    col = profile.columns[target]
    return {
        "text_classification": "a text column was given",
        "forecast": f"'{target}' identifies rows and a time column was given, so rows are counted per period",
        "regression": f"'{target}' is a number with {col.distinct:,} values",
    }.get(kind, f"'{target}' has {col.distinct:,} values")


def _fold_assumptions(profile: TableProfile, p: Params, kind: str, report: FeasibilityReport) -> list[Assumption]:
    """The positive label chosen, and the time and group columns that could have been given."""
    out = []
    m = report.result.metrics
    if not p.positive_label and m.get("positive_label"):
        out.append(Assumption("positive_label", str(m["positive_label"]), positive_reason(m),
                              "-p positive_label VALUE"))
    if kind in ("forecast", "text_classification"):
        return out
    skip = {p.target, *p.exclude}
    for param, given, found in (("time_column", p.time_column, time_candidates(profile, exclude=skip)),
                                ("group_column", p.group_column, group_candidates(profile, exclude=skip))):
        if given:
            continue
        folds = ("folds are stratified, not ordered by time" if param == "time_column"
                 else "rows of one customer or account may sit on both sides of a fold")
        if found:
            listed = ", ".join(f"'{d.column}' ({d.reason})" for d in found[:3])
            out.append(Assumption(param, "none", f"{folds}; candidates: {listed}", f"-p {param} {found[0].column}"))
        else:
            out.append(Assumption(param, "none", f"{folds}; no candidate column was found", f"-p {param} COLUMN"))
    return out


def positive_reason(metrics: dict) -> str:
    """Why the positive label was chosen (a yes-like value, else the rarer class)."""
    label = str(metrics["positive_label"])
    if label.strip().casefold() in POSITIVE_WORDS:
        return f"'{label}' reads as yes"
    rate = metrics.get("positive_rate")
    share = f" ({rate:.1%} of labelled rows)" if rate is not None else ""
    return f"no value reads as yes, so the rarer one{share}"
