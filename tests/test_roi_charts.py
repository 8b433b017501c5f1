"""ROI charts: NPV histogram with percentile lines, tornado in swing order."""

from __future__ import annotations

import numpy as np
from matplotlib.colors import to_hex
from matplotlib.figure import Figure

from readiness.charts import AMBER, GREEN, RED, npv_histogram, tornado_chart


def test_npv_histogram_marks_percentiles_and_colours_losses() -> None:
    draws = np.array([-30.0, -10.0, 5.0, 20.0, 40.0, 60.0])
    fig = npv_histogram(draws, p10=-20.0, p50=12.5, p90=50.0, title="No-show", bins=3)
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    lines = {line.get_label(): line.get_xdata()[0] for line in ax.lines}
    assert lines == {"zero": 0.0, "P10": -20.0, "P50": 12.5, "P90": 50.0}
    colours = [to_hex(p.get_facecolor()) for p in ax.patches]
    assert colours == [RED, GREEN, GREEN]  # bins start at -30, 0 and 30
    assert sum(p.get_height() for p in ax.patches) == 6


def test_tornado_chart_draws_largest_swing_on_top() -> None:
    fig = tornado_chart(["hours", "build", "rate"], [-500.0, 1000.0, 900.0], [7000.0, -500.0, 1100.0], base=1000.0,
                        title="Triage")
    ax = fig.axes[0]
    ticks = sorted(zip(ax.get_yticks(), [t.get_text() for t in ax.get_yticklabels()], strict=True), reverse=True)
    assert [label for _, label in ticks] == ["hours", "build", "rate"]
    low_bars = [p for p in ax.patches if to_hex(p.get_facecolor()) == AMBER]
    high_bars = [p for p in ax.patches if to_hex(p.get_facecolor()) == GREEN]
    assert len(low_bars) == len(high_bars) == 3
    top_low = max(low_bars, key=lambda p: p.get_y())
    assert top_low.get_x() == 1000.0 and top_low.get_width() == -1500.0  # from the base to -500
