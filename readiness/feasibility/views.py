"""What the feasibility notebook displays: one call per section, each returning escaped HTML."""

from __future__ import annotations

import pandas as pd
from IPython.display import HTML

from readiness import charts, display
from readiness.feasibility.report import FeasibilityReport


def _join(*parts: HTML) -> HTML:
    return HTML("".join(p.data for p in parts))


def scope_view(report: FeasibilityReport) -> HTML:
    """Which rows the results stand on, when the table was sampled or aggregated where it lives."""
    if not report.scope_note:
        return HTML("")
    parts = [display.section_note(report.scope_note)]
    if report.full_counts is not None and len(report.full_counts):
        parts.append(display.table(report.full_counts, caption=report.full_counts_caption, percent_columns=["share"]))
    return _join(*parts)


def model_view(report: FeasibilityReport) -> HTML:
    """The primary metric of every model against the baseline (chart) and all metrics (table)."""
    intervals = report.model_intervals()
    if not intervals:
        return display.section_note("No model was fitted: see the findings for what blocks this use case.")
    subject = report.result.metrics.get("title") or report.result.subject
    fig = charts.metric_vs_baseline(intervals, metric=report.metric_label,
                                    title=f"{subject}: {report.metric_label} by model")
    caption = "Cross-validated metrics of each model: mean over folds (95% interval)"
    return _join(charts.figure_html(fig), display.table(report.models_frame(), caption=caption))


def more_data_view(report: FeasibilityReport) -> HTML:
    """The best model's learning curve and the plain sentence on the value of more data."""
    text = report.result.metrics.get("more_data") or "The value of more data was not measured."
    full = report.result.metrics.get("full_data")
    sentence = display.section_note(f"{text} {full['sentence']}" if full else text)
    curve = report.learning_curves.get(report.result.metrics.get("best_model", ""))
    if curve is None or not curve.points:
        return sentence
    fig = charts.learning_curve(curve.points, fitted=curve.fitted_points(), marks=curve.marks(),
                                metric=report.metric_label, title=f"Learning curve of the {curve.model} model")
    return _join(charts.figure_html(fig), sentence)


def _decision_table(metrics: dict) -> pd.DataFrame:
    cm = metrics["confusion_matrix"]
    objective = {"value": "value per decision"}.get(metrics.get("threshold_objective"), "balanced accuracy")
    rows = [("decision threshold", f"{metrics['threshold']:.4f}"), ("chosen to maximise", objective)]
    rows += [(name, f"{cm[key]:,}") for key, name in
             (("tp", "true positives"), ("fp", "false positives"), ("fn", "false negatives"), ("tn", "true negatives"))]
    for key, name in (("value_status_quo", "value per decision, acting on nobody"),
                      ("value_at_0_5", "value per decision at threshold 0.5"),
                      ("value_at_tuned", "value per decision at the chosen threshold")):
        if metrics.get(key):
            rows.append((name, f"{metrics[key]['per_decision']:,.2f}"))
            if metrics[key]["per_year"] is not None:
                rows.append((name.replace("per decision", "per year"), f"{metrics[key]['per_year']:,.0f}"))
    return pd.DataFrame(rows, columns=["quantity", "value"])


def decision_view(report: FeasibilityReport) -> HTML:
    """Binary: calibration and the decisions at the chosen threshold; forecast: the backtest; text: key words."""
    metrics = report.result.metrics
    if metrics.get("confusion_matrix") and report.calibration is not None:
        fig = charts.calibration_curve(report.calibration["predicted"], report.calibration["observed"],
                                       title="Calibration of out-of-fold scores")
        caption = "Out-of-fold decisions at the chosen threshold"
        return _join(charts.figure_html(fig), display.table(_decision_table(metrics), caption=caption))
    if report.backtest is not None:
        b = report.backtest
        fig = charts.forecast_backtest(b["period"], b["y"], b["baseline"], b["linear"],
                                       title="Backtest: actual against forecasts, all groups")
        return charts.figure_html(fig)
    if report.top_terms is not None:
        return display.table(report.top_terms, caption="Words that most raise each category's score")
    return display.section_note("No decision threshold applies to this kind of use case.")


def leakage_view(report: FeasibilityReport) -> HTML:
    """Each feature's power on its own; leaks are those above the limit and were excluded."""
    if report.single_feature.empty:
        return display.section_note("No single-feature screen applies to this use case.")
    frame = report.single_feature.assign(excluded=lambda f: f["feature"].map(
        lambda c: report.result.metrics.get("excluded", {}).get(c, "")))
    return display.table(frame.head(15), caption="Out-of-fold score of each feature on its own, strongest first",
                         number_format="{:,.3f}")
