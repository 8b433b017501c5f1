"""Forecasts: a table aggregated to a daily or weekly series per group, backtested against seasonal naive.

Rows are counted per period (or a numeric target summed), per group, with empty periods as zero.
The baseline is seasonal naive: the value one season earlier (a week for daily data). The model
is a Ridge regression on lags of at least one season, their mean, day of week or month, the
group and a trend, so each forecast uses only values known a season ahead: both the baseline and
the model forecast one season (7 days, or 1 week) ahead. A period that was empty in each of the
last four seasons (a closed day) is forecast as empty. Evaluation is an expanding-window
backtest over the last ``n_folds`` blocks of periods: MAE, sMAPE and MASE (the MAE divided by the
in-sample MAE of seasonal naive on the training periods).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.linear_model import Ridge
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from readiness.feasibility import codes
from readiness.feasibility.data import MISSING
from readiness.feasibility.models import interval
from readiness.feasibility.significance import sign_flip_p_value
from readiness.results import Finding

MAX_GROUPS = 30
GAP_DAYS = 60
OUTLIER_SHARE = 0.05
DAILY_MIN_RATE = 3.0  # rows per group and day below which the series is weekly
FORECAST_METRICS = ("neg_mean_absolute_error", "smape", "mase")


@dataclass
class Series:
    """A long series: one row per group and period."""

    frame: pd.DataFrame  # columns group, period, y
    freq: str  # "D" or "W"
    season: int
    horizon: int
    findings: list[Finding] = field(default_factory=list)

    @property
    def periods(self) -> int:
        """Distinct periods."""
        return int(self.frame["period"].nunique())


def _drop_outlying_times(times: pd.Series, *, as_of: pd.Timestamp | None,
                         time_column: str) -> tuple[pd.Series, list[Finding]]:
    """Keep rows up to ``as_of`` and within the main run of dates (no gap of more than 60 days)."""
    keep = times.notna()
    if as_of is not None:
        keep &= times <= as_of + pd.Timedelta(days=1)
    days = times[keep].dt.normalize()
    uniq = np.sort(days.unique())
    if len(uniq) > 1:
        segment = np.concatenate([[0], np.cumsum(np.diff(uniq) > np.timedelta64(GAP_DAYS, "D"))])
        seg_of = pd.Series(segment, index=uniq)
        row_seg = days.map(seg_of)
        main = row_seg.value_counts().idxmax()
        if (row_seg != main).mean() <= OUTLIER_SHARE:
            keep &= times.dt.normalize().map(seg_of) == main
    dropped = int((~keep & times.notna()).sum())
    if not dropped:
        return keep, []
    return keep, [Finding("warning", codes.FEAS_TIME_OUTLIERS_DROPPED,
                          f"{dropped:,} rows of '{time_column}' lie after as_of or far outside the main run of "
                          "dates (likely typos); they were left out of the series.", time_column, {"rows": dropped})]


def aggregate_series(typed: pd.DataFrame, *, target: str, time_column: str, group_column: str | None = None,
                     numeric_target: bool = False, as_of: str | None = None, frequency: str = "auto") -> Series:
    """Count rows (or sum a numeric target) per period and group, with empty periods as zero.

    Parameters
    ----------
    typed : DataFrame
        The typed table; ``time_column`` is datetime.
    target : str
        Summed when ``numeric_target``, else rows are counted.
    time_column, group_column : str
    as_of : ISO date, optional
        Rows after this day are left out (typos such as 2027 for 2025).
    frequency : {"auto", "D", "W"}
        Daily when there are at least 3 rows per group and day on average, else weekly.
    """
    times = typed[time_column]
    keep, findings = _drop_outlying_times(times, as_of=pd.Timestamp(as_of) if as_of else None,
                                          time_column=time_column)
    groups = (typed[group_column].astype("string").fillna(MISSING) if group_column
              else pd.Series("all", index=typed.index))[keep]
    top = groups.value_counts().index[:MAX_GROUPS]
    groups = groups.where(groups.isin(top), "(other)")
    t = times[keep]
    values = typed[target][keep].astype(float).fillna(0) if numeric_target else pd.Series(1.0, index=t.index)
    span_days = max(1, (t.max() - t.min()).days + 1)
    freq = frequency if frequency in ("D", "W") else \
        ("D" if len(t) / (span_days * groups.nunique()) >= DAILY_MIN_RATE else "W")
    period = t.dt.normalize() if freq == "D" else (t.dt.normalize() - pd.to_timedelta(t.dt.dayofweek, "D"))
    sums = values.groupby([groups.to_numpy(), period.to_numpy()]).sum()
    full = pd.date_range(period.min(), period.max(), freq="D" if freq == "D" else "7D")
    index = pd.MultiIndex.from_product([sorted(groups.unique()), full], names=["group", "period"])
    frame = sums.reindex(index, fill_value=0.0).rename("y").reset_index()
    weeks = len(full) if freq == "W" else 0
    season = 7 if freq == "D" else (52 if weeks >= 3 * 52 else 1)
    return Series(frame=frame, freq=freq, season=season, horizon=7 if freq == "D" else 1, findings=findings)


def features(series: Series) -> pd.DataFrame:
    """Lag, calendar, group and trend features per row of the series (NaN lags where history is short)."""
    f = series.frame.sort_values(["group", "period"]).reset_index(drop=True)
    by = f.groupby("group")["y"]
    h = series.horizon
    lags = [h * k for k in range(1, 5)]
    for lag in lags:
        f[f"lag_{lag}"] = by.shift(lag)
    f["lag_mean"] = f[[f"lag_{lag}" for lag in lags]].mean(axis=1, skipna=False)
    f["naive"] = by.shift(series.season)
    f["calendar"] = (f["period"].dt.dayofweek if series.freq == "D" else f["period"].dt.month).astype(str)
    f["month"] = f["period"].dt.month.astype(str)
    f["trend"] = (f["period"] - f["period"].min()).dt.days / 365.25
    return f


def forecast_model(series: Series) -> Pipeline:
    """Ridge on scaled lags and trend, one-hot calendar, month and group."""
    numeric = [f"lag_{series.horizon * k}" for k in range(1, 5)] + ["lag_mean", "trend"]
    encode = ColumnTransformer([
        ("cat", OneHotEncoder(handle_unknown="ignore"), ["calendar", "month", "group"]),
        ("num", StandardScaler(), numeric),
    ])
    return Pipeline([("encode", encode), ("model", Ridge(alpha=1.0))])


def forecast_errors(y: np.ndarray, pred: np.ndarray, scale: float) -> dict[str, float]:
    """MAE, sMAPE (percent; a period where both are zero counts as no error) and MASE."""
    err = np.abs(y - pred)
    denom = np.abs(y) + np.abs(pred)
    smape = np.where(denom > 0, 2 * err / np.where(denom > 0, denom, 1), 0.0)
    mae = float(err.mean())
    return {"neg_mean_absolute_error": -mae, "smape": float(100 * smape.mean()),
            "mase": mae / scale if scale > 0 else float("nan")}


@dataclass
class Backtest:
    """Per-fold errors of seasonal naive (``baseline``) and the Ridge model (``linear``), and their forecasts."""

    fold_metrics: dict[str, list[dict[str, float]]]
    predictions: pd.DataFrame  # group, period, y, baseline, linear, fold
    test_periods: int
    folds: int

    def summary(self) -> dict[str, dict[str, dict]]:
        """``{model: {metric: {mean, std, ci, folds}}}``."""
        return {m: {k: interval(np.array([f[k] for f in folds])) for k in FORECAST_METRICS}
                for m, folds in self.fold_metrics.items()}

    def lift(self) -> dict:
        """MAE of seasonal naive minus the model's, paired by fold; ``relative`` = 1 - MAE ratio."""
        base = -np.array([f["neg_mean_absolute_error"] for f in self.fold_metrics["baseline"]])
        model = -np.array([f["neg_mean_absolute_error"] for f in self.fold_metrics["linear"]])
        out = interval(base - model)
        out.update(metric="neg_mean_absolute_error", model="linear", baseline=-float(base.mean()),
                   value=-float(model.mean()), relative=1 - float(model.mean() / base.mean()) if base.mean() else None)
        return out

    def p_value(self, *, seed: int = 42) -> float | None:
        """Sign-flip p-value on weekly (or per-period, for weekly data) mean loss differences."""
        p = self.predictions
        loss = (p["y"] - p["baseline"]).abs() - (p["y"] - p["linear"]).abs()
        block = (p["period"] - p["period"].min()).dt.days // 7
        return sign_flip_p_value(loss.groupby(block).mean().to_numpy(), seed=seed)


def plan_folds(series: Series, *, n_folds: int = 5) -> tuple[int, int]:
    """(folds, periods per test block): four seasons of test per fold, fewer folds on short series."""
    test = 4 * series.horizon if series.freq == "D" else 8
    history = 4 * series.horizon + series.season + test  # lags plus one block to learn from
    folds = min(n_folds, max(0, (series.periods - history) // test))
    return folds, test


def backtest(series: Series, *, n_folds: int = 5) -> Backtest | None:
    """Expanding-window backtest of seasonal naive and the Ridge model; None when the series is too short."""
    folds, test_len = plan_folds(series, n_folds=n_folds)
    if folds < 2:
        return None
    f = features(series)
    periods = np.sort(f["period"].unique())
    starts = [len(periods) - test_len * (folds - i) for i in range(folds)]
    metrics: dict[str, list[dict[str, float]]] = {"baseline": [], "linear": []}
    rows = []
    for i, start in enumerate(starts):
        cut, end = periods[start], periods[min(start + test_len, len(periods)) - 1]
        train = f[(f["period"] < cut) & f["lag_mean"].notna() & f["naive"].notna()]
        test = f[(f["period"] >= cut) & (f["period"] <= end)]
        in_sample = f[(f["period"] < cut) & f["naive"].notna()]
        scale = float((in_sample["y"] - in_sample["naive"]).abs().mean())
        model = forecast_model(series).fit(train, train["y"])
        lags = test[[f"lag_{series.horizon * k}" for k in range(1, 5)]]
        closed = (lags == 0).all(axis=1).to_numpy()  # empty four seasons running (e.g. Sundays): stays empty
        pred = np.where(closed, 0.0, np.maximum(model.predict(test), 0.0))
        y = test["y"].to_numpy()
        metrics["baseline"].append(forecast_errors(y, test["naive"].to_numpy(), scale))
        metrics["linear"].append(forecast_errors(y, pred, scale))
        rows.append(test[["group", "period", "y", "naive"]].assign(linear=pred, fold=i))
    predictions = pd.concat(rows, ignore_index=True).rename(columns={"naive": "baseline"})
    return Backtest(fold_metrics=metrics, predictions=predictions, test_periods=test_len, folds=folds)
