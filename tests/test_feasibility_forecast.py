"""Forecasts: the model beats seasonal naive on a trend and loses to it on pure seasonality."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from feasibility_data import as_loaded

from readiness.errors import ConfigError
from readiness.feasibility import (
    FEAS_NO_LIFT,
    FEAS_TIME_OUTLIERS_DROPPED,
    Series,
    aggregate_daily,
    aggregate_series,
    assess_feasibility,
    backtest,
    forecast_errors,
    series_from_daily,
)
from readiness.feasibility.forecast import OTHER, kept_days, top_groups

PATTERN = np.array([30, 34, 32, 33, 28, 15, 8.0])  # Monday .. Sunday
DAYS = 420


def daily(y: np.ndarray) -> Series:
    days = pd.date_range("2024-01-01", periods=len(y), freq="D")  # a Monday
    return Series(frame=pd.DataFrame({"group": "all", "period": days, "y": y}), freq="D", season=7, horizon=7)


def test_forecast_beats_seasonal_naive_on_a_trend() -> None:
    t = np.arange(DAYS)
    y = 20 + 0.15 * t + PATTERN[t % 7] + np.random.default_rng(0).normal(0, 2, DAYS)
    bt = backtest(daily(y))
    lift = bt.lift()
    # seasonal naive lags a week of trend (about 1 a day); the model learns the drift
    assert lift["value"] > lift["baseline"] and lift["relative"] > 0.15
    assert lift["ci"][0] > 0 and bt.p_value() < 0.01
    assert bt.folds == 5 and bt.test_periods == 28


def test_forecast_loses_to_seasonal_naive_on_pure_seasonality_plus_noise() -> None:
    # A week that repeats exactly (noise 0.001): seasonal naive is all but perfect, and the
    # regularised model's shrinkage costs more than it can gain.
    t = np.arange(DAYS)
    bt = backtest(daily(PATTERN[t % 7] + np.random.default_rng(1).normal(0, 0.001, DAYS)))
    lift = bt.lift()
    assert lift["value"] < lift["baseline"]  # negated MAE: the model's error is larger
    assert bt.p_value() > 0.5


def test_forecast_does_not_beat_a_drifting_season() -> None:
    # Each weekday's level drifts as a random walk: last week's value is the best forecast there is.
    rng = np.random.default_rng(0)
    y = np.empty(DAYS)
    y[:7] = PATTERN + 50
    for i in range(7, DAYS):
        y[i] = y[i - 7] + rng.normal(0, 1)
    bt = backtest(daily(y))
    assert bt.lift()["mean"] < 0 and bt.p_value() > 0.5


def test_forecast_errors() -> None:
    errors = forecast_errors(np.array([10.0, 0.0, 20.0]), np.array([12.0, 0.0, 15.0]), scale=2.0)
    assert errors["neg_mean_absolute_error"] == pytest.approx(-7 / 3)
    assert errors["mase"] == pytest.approx(7 / 6)
    # sMAPE: 2*2/22 and 2*5/35, and 0 where both are zero
    assert errors["smape"] == pytest.approx(100 * (4 / 22 + 10 / 35) / 3)


def events(counts: dict[str, list[int]], start: str = "2025-01-06") -> pd.DataFrame:
    rows = []
    for site, per_day in counts.items():
        for day, n in zip(pd.date_range(start, periods=len(per_day)), per_day, strict=True):
            rows += [{"visit_id": f"{site}-{day:%Y%m%d}-{i}", "site": site, "at": f"{day:%Y-%m-%d}T09:{i % 60:02d}:00"}
                     for i in range(n)]
    return pd.DataFrame(rows)


def test_aggregate_counts_rows_per_group_and_day_with_empty_days_as_zero() -> None:
    frame = events({"North": [5, 0, 7], "South": [3, 4, 0]})
    typed = frame.assign(at=pd.to_datetime(frame["at"]))
    series = aggregate_series(typed, target="visit_id", time_column="at", group_column="site")
    got = series.frame.pivot(index="period", columns="group", values="y")
    assert got["North"].tolist() == [5, 0, 7] and got["South"].tolist() == [3, 4, 0]
    assert series.freq == "D" and series.season == 7


def test_rows_after_as_of_are_left_out_with_a_finding() -> None:
    frame = events({"North": [5] * 30})
    frame.loc[0, "at"] = "2027-01-10T09:00:00"  # a typo for 2025
    typed = frame.assign(at=pd.to_datetime(frame["at"]))
    series = aggregate_series(typed, target="visit_id", time_column="at", as_of="2025-12-31")
    assert series.frame["y"].sum() == 149 and series.periods == 30
    assert [f.code for f in series.findings] == [FEAS_TIME_OUTLIERS_DROPPED]
    assert series.findings[0].evidence["rows"] == 1


def test_assess_a_growing_demand_series_end_to_end() -> None:
    t = np.arange(280)
    rng = np.random.default_rng(2)
    open_day = np.where(t % 7 == 6, 0, 1)  # closed on Sundays
    counts = {s: list(open_day * (base + t // 5 + rng.poisson(2, len(t)))) for s, base in (("North", 12), ("South", 8))}
    report = assess_feasibility(as_loaded(events(counts)), use_case="demand", target="visit_id", kind="forecast",
                                time_column="at", group_column="site", time_budget_s=5)
    m = report.result.metrics
    assert m["kind"] == "forecast" and m["aggregation"] == "count" and m["groups"] == 2
    assert set(m["models"]) == {"baseline", "linear"} and {"smape", "mase"} <= set(m["models"]["linear"])
    assert m["lift"]["relative"] > 0
    assert report.result.verdict in ("go", "pilot")
    assert set(report.predictions.columns[:4]) == {"row_id", "y_true", "score", "decision"}
    assert report.predictions["row_id"].iloc[0].startswith(("North|", "South|"))


def test_too_short_a_series_is_not_yet() -> None:
    report = assess_feasibility(as_loaded(events({"North": [3] * 20})), use_case="demand", target="visit_id",
                                kind="forecast", time_column="at", time_budget_s=5)
    assert report.result.verdict == "not_yet"
    assert "FEAS_TOO_FEW_ROWS" in {f.code for f in report.result.findings}


def test_no_lift_forecast_is_not_yet() -> None:
    t = np.arange(DAYS)
    y = PATTERN[t % 7].astype(int)
    counts = {"North": list(y)}
    report = assess_feasibility(as_loaded(events(counts)), use_case="demand", target="visit_id", kind="forecast",
                                time_column="at", time_budget_s=5)
    assert report.result.verdict == "not_yet" and FEAS_NO_LIFT in {f.code for f in report.result.findings}


def test_as_of_keeps_its_whole_day_and_nothing_after() -> None:
    frame = events({"North": [5] * 30})  # 2025-01-06 .. 2025-02-04, 09:00 onwards
    frame.loc[0, "at"] = "2025-02-04T23:59:00"  # the as_of day itself: kept
    frame.loc[1, "at"] = "2025-02-05T00:00:00"  # midnight after it: dropped
    typed = frame.assign(at=pd.to_datetime(frame["at"]))
    daily = aggregate_daily(typed, target="visit_id", time_column="at", as_of="2025-02-04")
    assert daily.dropped == 1 and daily.frame["rows"].sum() == 149 and daily.table_rows == 150
    assert daily.frame["day"].max() == pd.Timestamp("2025-02-04")


def test_outlying_days_are_dropped_only_when_rare() -> None:
    rows = pd.Series([10] * 30 + [1], index=[*pd.date_range("2025-01-06", periods=30), pd.Timestamp("2023-01-02")])
    kept = kept_days(rows, as_of=None)
    assert len(kept) == 30 and kept.min() == pd.Timestamp("2025-01-06")  # 1 row of 301 lies 2 years away
    rows.iloc[-1] = 100  # a quarter of the rows: a second run, not a typo
    assert len(kept_days(rows, as_of=None)) == 31


def test_groups_beyond_the_largest_thirty_are_pooled_ties_by_name() -> None:
    counts = pd.Series({f"g{i:02d}": 10 for i in range(32)} | {"big": 50})
    top = top_groups(counts)
    assert top[0] == "big" and top[1:] == [f"g{i:02d}" for i in range(29)]  # g29, g30, g31 pooled
    frame = events({name: [n // 10] for name, n in counts.items()})
    typed = frame.assign(at=pd.to_datetime(frame["at"]))
    daily = aggregate_daily(typed, target="visit_id", time_column="at", group_column="site")
    assert daily.frame.set_index("group").loc[OTHER, "rows"] == 3
    assert series_from_daily(daily).frame["group"].nunique() == 31


def test_a_forecast_on_a_sample_needs_rows_aggregated_on_the_whole_table() -> None:
    loaded = as_loaded(events({"North": [3] * 140}))
    with pytest.raises(ConfigError, match="undercount"):
        assess_feasibility(loaded, use_case="demand", target="visit_id", kind="forecast", time_column="at",
                           full_rows=1000)
    typed = loaded.assign(at=pd.to_datetime(loaded["at"]))
    other = aggregate_daily(typed, target="visit_id", time_column="at", as_of="2025-03-01")
    with pytest.raises(ConfigError, match="as_of"):
        assess_feasibility(loaded, use_case="demand", target="visit_id", kind="forecast", time_column="at",
                           daily=other)
