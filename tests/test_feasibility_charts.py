"""Feasibility charts: bars, curves and lines that match the numbers given."""

from __future__ import annotations

import pandas as pd
import pytest

from readiness.charts import (
    GREEN,
    LINE,
    calibration_curve,
    figure_html,
    forecast_backtest,
    learning_curve,
    metric_vs_baseline,
)


def test_metric_vs_baseline_draws_each_model_with_its_interval() -> None:
    fig = metric_vs_baseline({"baseline": (0.5, 0.5, 0.5), "linear": (0.84, 0.82, 0.86), "boosting": (0.8, 0.77, 0.83)},
                             metric="ROC-AUC", title="churn")
    bars = sorted(fig.axes[0].patches, key=lambda b: -b.get_y())
    assert [round(b.get_width(), 2) for b in bars] == [0.5, 0.84, 0.8]
    from matplotlib.colors import to_hex
    assert [to_hex(b.get_facecolor()) for b in bars] == [LINE, GREEN, GREEN]
    labels = [t.get_text() for t in fig.axes[0].texts]
    assert labels == ["0.500", "0.840", "0.800"]


def test_learning_curve_plots_points_fit_and_marks() -> None:
    fig = learning_curve([(100, 0.7), (200, 0.75), (400, 0.78)], fitted=[(100, 0.7), (800, 0.8)],
                         marks={"today": (400, 0.78), "2x": (800, 0.8)}, metric="ROC-AUC", title="curve")
    ax = fig.axes[0]
    assert ax.get_xscale() == "log"
    assert [list(line.get_xdata()) for line in ax.lines] == [[100, 800], [100, 200, 400], [400], [800]]
    assert [t.get_text() for t in ax.texts] == ["today: 0.780", "2x: 0.800"]


def test_calibration_and_backtest_draw_their_lines() -> None:
    fig = calibration_curve([0.1, 0.3, 0.6], [0.12, 0.28, 0.65], title="calibration")
    assert list(fig.axes[0].lines[1].get_ydata()) == [0.12, 0.28, 0.65]
    periods = pd.date_range("2026-01-05", periods=3)
    fig = forecast_backtest(periods, [10, 12, 0], [11, 11, 0], [10.5, 12.5, 0], title="backtest")
    assert [line.get_label() for line in fig.axes[0].lines] == ["actual", "seasonal naive", "model"]
    assert fig.axes[0].get_ylim()[1] == pytest.approx(12.5 * 1.25)
    assert figure_html(fig).data.startswith('<figure class="rd-figure"><img src="data:image/png;base64,')
