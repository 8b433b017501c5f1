"""The ethics charts: one mark per group or check, NaN and empty input handled."""

from __future__ import annotations

import math

from matplotlib.figure import Figure

from readiness import charts


def test_traffic_lights_one_light_per_check_coloured_by_state() -> None:
    fig = charts.traffic_lights({"personal_data": "amber", "proxies": "red", "model_fairness": None},
                                title="checks")
    ax = fig.axes[0]
    colours = [tuple(round(c, 3) for c in coll.get_facecolor()[0][:3]) for coll in ax.collections]
    assert len(colours) == 3 and colours[0] != colours[1] != colours[2]
    assert "not run" in [t.get_text() for t in ax.texts]


def test_disparate_impact_chart_skips_missing_ratios() -> None:
    rows = [
        {"group": "45-64", "disparate_impact": 1.0, "di_low": 1.0, "di_high": 1.0, "small": False, "reference": True},
        {"group": "18-24", "disparate_impact": 2.17, "di_low": 2.03, "di_high": 2.31, "small": False,
         "reference": False},
        {"group": "X", "disparate_impact": math.nan, "di_low": math.nan, "di_high": math.nan, "small": True,
         "reference": False},
    ]
    fig = charts.disparate_impact_chart(rows, title="age")
    ax = fig.axes[0]
    assert isinstance(fig, Figure) and len(ax.collections) == 2  # two points; the NaN group has only a label
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["45-64 (reference)", "18-24", "X (small)"]  # top to bottom
    assert ax.get_xlim()[1] > 2.31


def test_disparity_chart_one_series_per_metric() -> None:
    rows = [{"group": "a", "fpr_disparity": 1.0, "fnr_disparity": 1.0},
            {"group": "b", "fpr_disparity": 2.5, "fnr_disparity": 0.0}]
    ax = charts.disparity_chart(rows, title="x", metrics=("fpr", "fnr")).axes[0]
    assert [len(c.get_offsets()) for c in ax.collections] == [2, 1]  # a ratio of 0 cannot sit on a log axis


def test_proxy_chart_bars_and_top() -> None:
    rows = [{"feature": f"f{i}", "attribute": "g", "association": 1 - i / 20} for i in range(15)]
    ax = charts.proxy_chart(rows, title="p", top=5).axes[0]
    assert len(ax.patches) == 5
    assert len(charts.proxy_chart([], title="none").axes[0].patches) == 0
