"""The two assessment flows: tabular and text use cases (cross-validated models) and forecasts (backtest)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from sklearn.calibration import calibration_curve

from readiness.errors import ConfigError
from readiness.feasibility import codes
from readiness.feasibility.checks import duplicate_checks, feature_checks, label_checks, sample_size, stratified_sample
from readiness.feasibility.data import Prepared, prepare, time_findings
from readiness.feasibility.decision import confusion, decision_value, tune_threshold
from readiness.feasibility.forecast import DailyRows, aggregate_daily, backtest, series_from_daily, sums_target
from readiness.feasibility.full_data import full_data_reading
from readiness.feasibility.leakage import identifier_findings, leakage_findings, single_feature_scores
from readiness.feasibility.learning_curve import learning_curve, more_data_sentence
from readiness.feasibility.models import (
    PRIMARY,
    CrossValidation,
    best_model,
    cross_validate,
    curve_points,
    lift,
    make_models,
    make_splits,
    summarise,
)
from readiness.feasibility.report import (
    MIN_MODEL_ROWS,
    ROWS_PER_SECOND,
    Clock,
    FeasibilityReport,
    Params,
    blocked_result,
)
from readiness.feasibility.significance import permutation_p_value
from readiness.feasibility.suspects import leak_suspected, rank_suspects, suspect_finding
from readiness.feasibility.text import top_terms
from readiness.feasibility.verdict import (
    ScoreParts,
    evidence_findings,
    headline,
    hygiene,
    is_significant,
    skill,
    verdict,
)
from readiness.profiling.profile import TableProfile
from readiness.results import Finding, StageResult

PERMUTATIONS = 999


def _subsample(prep: Prepared, p: Params) -> tuple[Prepared, list[Finding]]:
    limit = max(MIN_MODEL_ROWS, int(p.time_budget_s * ROWS_PER_SECOND))
    if prep.labelled <= limit:
        return prep, []
    picked = stratified_sample(prep.y, limit, seed=p.seed)
    return prep.take(picked), [Finding(
        "info", codes.FEAS_SUBSAMPLED,
        f"The models were fitted on a stratified sample of {len(picked):,} of the {prep.labelled:,} labelled rows "
        f"to stay within the {p.time_budget_s:g} s budget; the learning curve extrapolates to all rows.",
        None, {"rows": len(picked), "of": prep.labelled})]


def _screen(frame: pd.DataFrame, profile: TableProfile, prep: Prepared, p: Params) -> tuple[pd.DataFrame, list]:
    """Single-feature scores; leaks dropped from ``prep``; identifier association."""
    if prep.kind == "text_classification":
        return pd.DataFrame(columns=["feature", "score", "metric"]), []
    scores = single_feature_scores(prep, seed=p.seed)
    leaks, found = leakage_findings(scores, target=p.target)
    prep.drop_features(leaks, "leak")
    found += identifier_findings(frame, profile, prep, group_column=p.group_column, seed=p.seed)
    return scores, found


def _p_value(cv: CrossValidation, prep: Prepared, model: str, p: Params) -> tuple[float | None, int]:
    tested = cv.fold_of >= 0
    return permutation_p_value(prep.y[tested], cv.oof[model][tested], cv.fold_of[tested], metric=PRIMARY[cv.task],
                               classes=cv.classes if cv.task in ("multiclass", "text") else None,
                               n_permutations=PERMUTATIONS, seed=p.seed)


def _predictions(cv: CrossValidation, prep: Prepared, model: str, threshold: float | None) -> pd.DataFrame:
    tested = np.flatnonzero(cv.fold_of >= 0)
    scores = cv.oof[model][tested]
    out = pd.DataFrame({"row_id": prep.row_id[tested].astype(str), "row": prep.row[tested].astype(int)})
    if cv.task == "binary":
        out["y_true"], out["score"] = prep.y[tested].astype(int), scores
        out["decision"] = (scores >= threshold).astype(int)
    elif cv.task == "regression":
        out["y_true"], out["score"], out["decision"] = prep.y[tested].astype(float), scores, scores
    else:
        out["y_true"] = prep.y[tested].astype(str)
        out["score"] = scores.max(axis=1)
        out["decision"] = np.asarray(cv.classes, dtype=object)[scores.argmax(axis=1)].astype(str)
    out["fold"] = cv.fold_of[tested]
    return out


def _binary_decisions(cv, prep, model, p, clock) -> tuple[dict, pd.DataFrame, list[Finding]]:
    """Threshold, confusion matrices, value at 0.5 and at the tuned threshold, calibration."""
    tested = cv.fold_of >= 0
    y, s = prep.y[tested], cv.oof[model][tested]
    with clock.phase("threshold"):
        threshold = tune_threshold(y, s, value=p.value)
    at_tuned, at_half = confusion(y, (s >= threshold).astype(int)), confusion(y, (s >= 0.5).astype(int))
    out = {"threshold": threshold, "threshold_objective": "value" if p.value else "balanced_accuracy",
           "confusion_matrix": at_tuned, "confusion_matrix_at_0_5": at_half}
    found = []
    if p.value:
        status_quo = {"tp": 0, "fp": 0, "fn": int(y.sum()), "tn": int(len(y) - y.sum())}
        out.update(value_at_0_5=decision_value(at_half, p.value), value_at_tuned=decision_value(at_tuned, p.value),
                   value_status_quo=decision_value(status_quo, p.value))
        found.append(Finding("info", codes.FEAS_THRESHOLD_TUNED,
                             f"Acting when the score is at least {threshold:.3f} maximises the value per decision: "
                             f"{out['value_at_tuned']['per_decision']:.2f} against "
                             f"{out['value_at_0_5']['per_decision']:.2f} at 0.5.", None,
                             {"threshold": threshold}))
    prob_true, prob_pred = calibration_curve(y, s, n_bins=10, strategy="quantile")
    calibration = pd.DataFrame({"predicted": prob_pred, "observed": prob_true})
    out["calibration"] = {"predicted": prob_pred.tolist(), "observed": prob_true.tolist()}
    return out, calibration, found


def _curves(cv, prep, models, best, p, clock, rows_today: int) -> tuple[dict, list[Finding]]:
    """Learning curve per model family (the best first) while the budget lasts."""
    curves, found = {}, []
    metric = "mean_absolute_error" if cv.task == "regression" else PRIMARY[cv.task]
    scale = rows_today / max(1, len(prep.y))
    with clock.phase("learning_curve"):
        for name in sorted((m for m in models if m != "baseline"), key=lambda m: m != best):
            if clock.remaining() < 0.85 * cv.seconds[name]:
                found.append(Finding("info", codes.FEAS_BUDGET_REACHED, f"The learning curve of the {name} model "
                                     f"was skipped: the {p.time_budget_s:g} s budget ran out.", None, {"model": name}))
                continue
            points = curve_points(prep, models[name], cv, name, seed=p.seed, deadline=clock.deadline())
            n_today = points[-1][0] * scale if points else 0.0
            curves[name] = learning_curve(points, model=name, metric=metric, n_today=n_today)
    return curves, found


def _curve_finding(curve) -> list[Finding]:
    if curve is None or curve.worth_it is None:
        return []
    code = codes.FEAS_MORE_DATA_HELPS if curve.worth_it else codes.FEAS_MORE_DATA_PLATEAU
    return [Finding("info", code, more_data_sentence(curve), None,
                    {"at_today": curve.at_today, "at_2x": curve.at_2x, "at_5x": curve.at_5x})]


def _label_metrics(prep: Prepared) -> dict:
    out = {"rows": prep.rows_total, "rows_labelled": prep.labelled, "classes": prep.classes or None,
           "positive_label": prep.positive}
    out["positive_rate"] = float(np.mean(prep.y)) if prep.positive and len(prep.y) else None
    return out


def run_tabular(frame: pd.DataFrame, typed: pd.DataFrame, profile: TableProfile, p: Params, kind: str,
                clock: Clock) -> FeasibilityReport:
    """Classification, regression and text classification."""
    with clock.phase("checks"):
        prep = prepare(frame, typed, profile, kind=kind, target=p.target, positive_label=p.positive_label,
                       features=p.features, exclude=p.exclude, time_column=p.time_column,
                       group_column=p.group_column, text_column=p.text_column)
        findings = prep.findings + (label_checks(prep, target=p.target) if not prep.blocked else [])
        if not any(f.code in codes.BLOCKING for f in findings):
            findings += feature_checks(prep)
    base = {**_label_metrics(prep), "excluded": prep.excluded}
    if any(f.code in codes.BLOCKING for f in findings):
        return FeasibilityReport(blocked_result(p, kind, findings, {**base, "seconds": clock.summary()}))
    with clock.phase("checks"):
        size, more = sample_size(prep, target=p.target)
        findings += more + duplicate_checks(prep)
        model_prep, more = _subsample(prep, p)
        findings += more
    with clock.phase("leakage"):
        screen, more = _screen(frame, profile, model_prep, p)
        findings += more + feature_checks(model_prep)
    if any(f.code in codes.BLOCKING for f in findings):
        return FeasibilityReport(blocked_result(p, kind, findings, {**base, "excluded": model_prep.excluded,
                                                                    "seconds": clock.summary()}), single_feature=screen)
    fitted = _fit(model_prep, p, clock)
    metrics = _model_metrics(fitted, p, kind, base | {"sample_size": size})
    readings = _read_off(fitted, p, clock, metrics=metrics, rows_today=prep.labelled)
    return _conclude(fitted, readings, p, clock, findings=findings, screen=screen)


@dataclass
class Fitted:
    """The cross-validated models of one use case: the rows they saw, the best of them and its evidence."""

    prep: Prepared
    models: dict[str, Any]
    cv: CrossValidation
    best: str
    gain: dict[str, Any]
    p_value: float | None
    permutations: int


@dataclass
class Readings:
    """What was read off the best model: metrics, findings, calibration, learning curves and key words."""

    metrics: dict[str, Any]
    findings: list[Finding]
    calibration: pd.DataFrame | None = None
    curves: dict[str, Any] = field(default_factory=dict)
    terms: pd.DataFrame | None = None


def _fit(mp: Prepared, p: Params, clock: Clock) -> Fitted:
    with clock.phase("models"):
        models = make_models(mp, seed=p.seed)
        splits, method = make_splits(mp, seed=p.seed)
        cv = cross_validate(mp, models, splits, method)
    best = best_model(cv)
    with clock.phase("permutation"):
        p_value, n_perm = _p_value(cv, mp, best, p)
    return Fitted(prep=mp, models=models, cv=cv, best=best, gain=lift(cv, best), p_value=p_value, permutations=n_perm)


def _model_metrics(fitted: Fitted, p: Params, kind: str, base: dict[str, Any]) -> dict[str, Any]:
    cv, mp = fitted.cv, fitted.prep
    return {**base, "use_case": p.use_case, "title": p.title, "kind": kind, "task": cv.task, "target": p.target,
            "rows_modelled": len(mp.y), "features": list(mp.X.columns), "excluded": mp.excluded,
            "cv": {"method": cv.method, "folds": len(cv.splits)}, "models": summarise(cv), "best_model": fitted.best,
            "primary_metric": PRIMARY[cv.task], "lift": fitted.gain, "p_value": fitted.p_value,
            "p_value_method": "within-fold label permutations of out-of-fold predictions",
            "permutations": fitted.permutations, "threshold": None, "confusion_matrix": None}


def _read_off(fitted: Fitted, p: Params, clock: Clock, *, metrics: dict[str, Any], rows_today: int) -> Readings:
    """Decisions and learning curves from the best model, or, when its score is too good to be real, the suspects."""
    cv, mp, best = fitted.cv, fitted.prep, fitted.best
    readings = Readings(metrics=metrics, findings=[])
    r2 = metrics["models"][best].get("r2", {}).get("mean") if cv.task == "regression" else None
    metrics["leakage_suspected"] = leak_suspected(cv.task, value=fitted.gain["value"], r2=r2)
    if metrics["leakage_suspected"]:
        # no threshold, decision value or learning curve is read off a model that sees the answer
        with clock.phase("leak_suspects"):
            metrics["leak_suspects"] = rank_suspects(mp, fitted.models[best], cv, seed=p.seed)
        readings.findings.append(suspect_finding(cv.task, metric="r2" if r2 is not None else PRIMARY[cv.task],
                                                 value=r2 if r2 is not None else fitted.gain["value"],
                                                 suspects=metrics["leak_suspects"]))
    else:
        if cv.task == "binary":
            extra, readings.calibration, more = _binary_decisions(cv, mp, best, p, clock)
            metrics.update(extra)
            readings.findings += more
        readings.curves, more = _curves(cv, mp, fitted.models, best, p, clock, rows_today=rows_today)
        readings.findings += more + _curve_finding(readings.curves.get(best))
    readings.terms = top_terms(fitted.models["linear"], mp.X, mp.y) if cv.task == "text" else None
    return readings


def _conclude(fitted: Fitted, readings: Readings, p: Params, clock: Clock, *, findings: list[Finding],
              screen: pd.DataFrame) -> FeasibilityReport:
    """Score, verdict and the report: the evidence findings, the full-data reading, the predictions."""
    cv, mp, gain, metrics = fitted.cv, fitted.prep, fitted.gain, readings.metrics
    findings = findings + readings.findings
    sk = skill(cv.task, value=gain["value"], baseline=gain["baseline"], relative=gain["relative"])
    evidence = evidence_findings(cv.task, lift=gain, p_value=fitted.p_value, skill_value=sk, primary=PRIMARY[cv.task])
    findings += evidence
    labelled_share = mp.labelled / max(1, mp.rows_total)
    parts = ScoreParts(sk, float(is_significant(gain, fitted.p_value)), metrics["sample_size"]["sufficiency"],
                       hygiene(findings, labelled_share))
    decided = verdict(findings, parts)
    best_curve = readings.curves.get(fitted.best)
    if p.full_rows is not None and p.full_rows > mp.rows_total:
        metrics["full_data"], finding = full_data_reading(
            best_curve, task=cv.task, lift=gain, p_value=fitted.p_value, findings=findings, evidence=evidence,
            parts=parts, labelled=mp.labelled, labelled_share=labelled_share,
            min_rows=metrics["sample_size"]["min_rows"], sample_rows=mp.rows_total, full_rows=p.full_rows)
        findings.append(finding)
    metrics.update(learning_curve=best_curve.as_dict() if best_curve else None,
                   learning_curves={k: c.as_dict() for k, c in readings.curves.items()},
                   more_data=more_data_sentence(best_curve), score_parts=parts.as_dict(),
                   single_feature=screen.head(15).to_dict(orient="records"),
                   headline=headline(decided, findings), seconds=clock.summary())
    result = StageResult(stage="feasibility", subject=p.use_case, verdict=decided, score=parts.score,
                         metrics=metrics, findings=findings)
    # predictions of a model suspected of seeing the answer are not handed to the ethics and ROI stages
    predictions = (pd.DataFrame() if metrics["leakage_suspected"]
                   else _predictions(cv, mp, fitted.best, metrics.get("threshold")))
    return FeasibilityReport(result=result, predictions=predictions, single_feature=screen,
                             learning_curves=readings.curves, calibration=readings.calibration,
                             top_terms=readings.terms)


def _check_daily(daily: DailyRows, p: Params, summed: bool) -> None:
    """ConfigError when rows aggregated elsewhere do not belong to this use case's parameters."""
    ours = (p.target, p.time_column, p.group_column, p.as_of, summed)
    theirs = (daily.target, daily.time_column, daily.group_column, daily.as_of, daily.summed)
    if ours != theirs:
        raise ConfigError(f"use case '{p.use_case}': the daily rows given were aggregated for (target, time_column, "
                          f"group_column, as_of, summed) = {theirs}, not {ours}; aggregate them with these parameters.")


def _daily(typed: pd.DataFrame, profile: TableProfile, p: Params, daily: DailyRows | None) -> DailyRows:
    summed = sums_target(profile, p.target)
    if daily is not None:
        _check_daily(daily, p, summed)
        return daily
    if p.full_rows is not None and p.full_rows > len(typed):
        raise ConfigError(f"use case '{p.use_case}': a forecast counts rows per period, so a sample of "
                          f"{len(typed):,} of {p.full_rows:,} rows would undercount; pass `daily` aggregated on the "
                          "whole table (readiness.feasibility.every_row.daily_on_every_row).")
    return aggregate_daily(typed, target=p.target, time_column=p.time_column, group_column=p.group_column,
                           summed=summed, as_of=p.as_of)


def run_forecast(frame: pd.DataFrame, typed: pd.DataFrame, profile: TableProfile, p: Params,
                 clock: Clock, *, daily: DailyRows | None = None) -> FeasibilityReport:
    """Aggregate to a series per group (or take ``daily``, aggregated elsewhere), backtest seasonal naive
    against the Ridge model."""
    findings = time_findings(frame, typed, p.time_column)
    if findings:
        rows = daily.table_rows if daily else len(frame)
        return FeasibilityReport(blocked_result(p, "forecast", findings, {"rows": rows}))
    with clock.phase("checks"):
        daily = _daily(typed, profile, p, daily)
        series = series_from_daily(daily)
    findings = list(series.findings)
    base = {"rows": daily.table_rows, "periods": series.periods, "frequency": series.freq, "season": series.season,
            "horizon": series.horizon, "groups": int(series.frame["group"].nunique()),
            "aggregation": "sum" if daily.summed else "count"}
    if daily.engine != "pandas":
        base["aggregated"] = {"engine": daily.engine, "rows": daily.table_rows, "daily_rows": len(daily.frame),
                              "text": daily.text}
    with clock.phase("models"):
        bt = backtest(series)
    if bt is None:
        findings.append(Finding("error", codes.FEAS_TOO_FEW_ROWS, f"The series has only {series.periods} periods: "
                                "too short to backtest a forecast over several seasons.", p.time_column,
                                {"periods": series.periods}))
        return FeasibilityReport(blocked_result(p, "forecast", findings, base))
    gain = bt.lift()
    p_value = bt.p_value(seed=p.seed)
    sk = skill("forecast", value=gain["value"], baseline=gain["baseline"], relative=gain["relative"])
    findings += evidence_findings("forecast", lift=gain, p_value=p_value, skill_value=sk,
                                  primary="neg_mean_absolute_error")
    span = (series.frame["period"].max() - series.frame["period"].min()).days + 1
    parts = ScoreParts(sk, float(is_significant(gain, p_value)), min(1.0, span / 365), hygiene(findings, 1.0))
    decided = verdict(findings, parts)
    metrics = {**base, "use_case": p.use_case, "title": p.title, "kind": "forecast", "task": "forecast",
               "target": p.target, "cv": {"method": "expanding window", "folds": bt.folds,
                                          "test_periods": bt.test_periods},
               "models": bt.summary(), "best_model": "linear", "primary_metric": "neg_mean_absolute_error",
               "lift": gain, "p_value": p_value, "p_value_method": "sign flips of weekly mean loss differences",
               "threshold": None, "confusion_matrix": None, "learning_curve": None, "score_parts": parts.as_dict(),
               "more_data": "Not measured for forecasts: their data grows by seasons of history, not rows.",
               "headline": headline(decided, findings), "seconds": clock.summary()}
    pred = bt.predictions
    predictions = pd.DataFrame({"row_id": pred["group"].astype(str) + "|" + pred["period"].dt.strftime("%Y-%m-%d"),
                                "y_true": pred["y"], "score": pred["linear"], "decision": pred["linear"].round(),
                                "baseline": pred["baseline"], "group": pred["group"].astype(str),
                                "period": pred["period"], "fold": pred["fold"]})
    total = pred.groupby("period")[["y", "baseline", "linear"]].sum().reset_index()
    result = StageResult(stage="feasibility", subject=p.use_case, verdict=decided, score=parts.score,
                         metrics=metrics, findings=findings)
    return FeasibilityReport(result=result, predictions=predictions, backtest=total)
