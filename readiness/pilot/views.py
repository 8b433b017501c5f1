"""What the pilot review notebook displays: one call per section, each returning escaped HTML."""

from __future__ import annotations

import pandas as pd
from IPython.display import HTML

from readiness import charts, display
from readiness.pilot.figures import psi_bars
from readiness.pilot.report import PilotReport

__all__ = ["calibration_view", "drift_view", "fairness_view", "lights_view", "realised_view", "value_view",
           "verdict_view"]


def _join(*parts: HTML) -> HTML:
    return HTML("".join(p.data for p in parts))


def verdict_view(report: PilotReport) -> HTML:
    """The verdict box and the reasons behind it."""
    return _join(display.verdict_box(report.result, headline=report.headline),
                 display.table(report.reasons_frame()))


def lights_view(report: PilotReport) -> HTML:
    """One light per check: green held, amber a warning, red an error, grey not measured."""
    return charts.figure_html(charts.traffic_lights(report.lights, title=f"{report.title}: pilot checks"))


def realised_view(report: PilotReport) -> HTML:
    """The headline metric realised against the feasibility estimate (chart) and every realised figure (table)."""
    if report.realised.empty:
        return display.section_note("No realised figure: no decision has a known outcome of each kind yet.")
    head = report.realised.iloc[0]
    parts = []
    if pd.notna(head["estimate"]) and pd.notna(head["estimate_low"]):
        bars = {"assessed (feasibility)": (head["estimate"], head["estimate_low"], head["estimate_high"]),
                "realised (pilot)": (head["realised"], head["low"], head["high"])}
        parts.append(charts.figure_html(charts.metric_vs_baseline(
            bars, metric=head["figure"], title=f"{report.title}: {head['figure']} assessed and realised",
            baseline="assessed (feasibility)")))
    caption = "Realised on the decisions with a known outcome (95% bootstrap interval), against the feasibility stage"
    parts.append(display.table(report.realised_table(), caption=caption, number_format="{:,.3f}"))
    return _join(*parts)


def value_view(report: PilotReport) -> HTML:
    """Realised against estimated value, the decisions by outcome, and the ROI stage's figures."""
    if report.value is None:
        return display.section_note("The value of the decisions was not measured: no outcome values were given.")
    parts = [display.table(report.value_table(), caption=f"Value of the decisions ({report.currency})"),
             display.table(report.counts_table(), caption="The pilot's decisions by outcome")]
    if report.roi is not None:
        parts.append(display.table(report.roi_table(), caption=f"The ROI stage's figures ({report.roi.source})"))
    return _join(*parts)


def calibration_view(report: PilotReport) -> HTML:
    """Observed rate against mean score by decile (chart), the Brier score and ECE, the reliability table."""
    c = report.calibration
    if c is None:
        return display.section_note("Calibration was not measured: the scores are not probabilities from 0 to 1, "
                                    "or no outcome is known yet.")
    fig = charts.calibration_curve(c.table["mean_score"].tolist(), c.table["observed_rate"].tolist(),
                                   title=f"{report.title}: calibration during the pilot")
    cards = display.metric_cards({"Brier score": f"{c.brier:.4f}", "Brier of the base rate": f"{c.brier_reference:.4f}",
                                  "Expected calibration error": f"{c.expected_calibration_error:.3f}",
                                  "Observed / expected": f"{c.observed_to_expected:.2f} "
                                                         f"({c.ratio_low:.2f} to {c.ratio_high:.2f})"})
    table = c.table.rename(columns={"mean_score": "mean score", "observed_rate": "observed rate",
                                    "lowest_score": "lowest score", "highest_score": "highest score"})
    return _join(charts.figure_html(fig), cards,
                 display.table(table, caption="Reliability by score decile", number_format="{:,.3f}"))


def drift_view(report: PilotReport) -> HTML:
    """PSI per feature (chart and table), then the bins of each feature that moved."""
    if report.drift.empty:
        return display.section_note("Input drift was not measured: see the findings for what to give.")
    measured = report.drift.dropna(subset=["psi"])
    parts = [charts.figure_html(psi_bars(measured["feature"].tolist(), measured["psi"].tolist(),
                                         title=f"{report.title}: input drift since the assessment")),
             display.table(report.drift_table(), caption="Population stability index per feature",
                           number_format="{:,.3f}")]
    for feature in report.drifted_features():
        bins = report.drift_bins[feature].rename(columns={"baseline_share": "assessed extract",
                                                          "pilot_share": "pilot", "contribution": "part of the PSI"})
        parts.append(display.table(bins, caption=f"{feature}: share of rows in each bin",
                                   percent_columns=["assessed extract", "pilot"], number_format="{:,.3f}"))
    return _join(*parts)


def fairness_view(report: PilotReport) -> HTML:
    """Selection rate and TPR by group, with each group's ratio to the largest group's."""
    if report.fairness.empty:
        return display.section_note("Fairness was not measured: no group column was given or found.")
    return display.table(report.fairness_table(), caption="Decisions by group during the pilot",
                         percent_columns=["selection rate", "TPR", "FPR", "precision"], number_format="{:,.2f}")
