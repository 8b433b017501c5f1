"""Forecasts: a table aggregated to a daily or weekly series per group, backtested against seasonal naive.

Rows are counted per group and day first (or a numeric target summed): :class:`DailyRows`, which
a table's source counts on every row when the models see only a sample of it. Days after ``as_of`` or
far outside the main run of dates are left out, groups beyond the 30 largest are pooled, and the
days are summed per period (day or week), with empty periods as zero.
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
from functools import partial

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
from readiness.profiling.profile import TableProfile
from readiness.results import Finding
from readiness.sources.base import DailyTotals
from readiness.sources.pandas import daily_totals, largest_groups

MAX_GROUPS = 30
OTHER = "(other)"  # the groups beyond the largest MAX_GROUPS, pooled
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


@dataclass(frozen=True)
class DailyRows:
    """Rows per group and day, and the target's sum: what a forecast's series is built from.

    The pandas engine aggregates the typed table (:func:`aggregate_daily`); when the models see a
    sample, the table's source aggregates every row with the same rules
    (:func:`readiness.feasibility.every_row.daily_on_every_row`), so both give the same series.

    Attributes
    ----------
    frame : DataFrame
        ``group`` (text: the :data:`MAX_GROUPS` largest groups, the others pooled as ``(other)``),
        ``day`` (datetime64[ns] at midnight), ``rows`` and ``value`` (the target's sum, 0 when rows
        are counted); kept rows only (see :func:`kept_days`), one row per group and day.
    summed : bool
        The target is summed (a number), else rows are counted.
    dropped : int
        Dated rows left out: after ``as_of`` or far outside the main run of dates.
    table_rows : int
        Rows of the whole table, dated or not.
    target, time_column, group_column, as_of
        What was aggregated (``as_of`` as ``YYYY-MM-DD``).
    engine : str
        Who aggregated: ``pandas`` or ``Spark``.
    """

    frame: pd.DataFrame
    summed: bool
    dropped: int
    table_rows: int
    target: str
    time_column: str
    group_column: str | None = None
    as_of: str | None = None
    engine: str = "pandas"

    @property
    def text(self) -> str:
        """Where the series came from, in the analyst's words."""
        what = f"sums of '{self.target}'" if self.summed else "row counts"
        return (f"The series was aggregated by {self.engine} from all {self.table_rows:,} rows of the table: only its "
                f"{len(self.frame):,} {what} per group and day were brought to pandas for the backtest.")


def sums_target(profile: TableProfile, target: str) -> bool:
    """A forecast sums its target when the target is a number, else it counts rows."""
    return profile.columns[target].semantic_type in ("number", "number_as_text")


def kept_days(rows_per_day: pd.Series, *, as_of: str | None) -> pd.DatetimeIndex:
    """The days a series keeps: up to ``as_of`` and within the main run of dates.

    Parameters
    ----------
    rows_per_day : Series
        Rows per day (index datetime64 at midnight).
    as_of : ISO date, optional
        Later days are left out (typos such as 2027 for 2025).

    Returns
    -------
    DatetimeIndex
        Sorted. Days split into runs wherever two dated days are more than 60 days apart; when the
        run with the most rows holds at least 95 % of them, the other runs are left out.
    """
    days = rows_per_day[rows_per_day > 0].sort_index()
    if as_of is not None:
        days = days[days.index <= pd.Timestamp(as_of).normalize()]
    if len(days) > 1:
        gaps = np.diff(days.index.to_numpy()) > np.timedelta64(GAP_DAYS, "D")
        segment = np.concatenate([[0], np.cumsum(gaps)])
        per_segment = days.groupby(segment).sum()
        main = per_segment.idxmax()  # the earliest run on a tie
        total = per_segment.sum()
        if (total - per_segment[main]) / total <= OUTLIER_SHARE:
            days = days[segment == main]
    return pd.DatetimeIndex(days.index)


def top_groups(rows_per_group: pd.Series) -> list[str]:
    """The :data:`MAX_GROUPS` groups with the most rows (ties by name); the others are pooled."""
    return largest_groups(rows_per_group, MAX_GROUPS)


def canonical_daily(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per (group, day), sorted, with fixed dtypes: the form both engines return."""
    frame = frame.assign(day=pd.to_datetime(frame["day"]).astype("datetime64[ns]"),
                         group=frame["group"].astype(str))
    out = frame.groupby(["group", "day"], as_index=False, sort=True)[["rows", "value"]].sum()
    return out.astype({"group": object, "rows": "int64", "value": "float64"})[["group", "day", "rows", "value"]]


def aggregate_daily(typed: pd.DataFrame, *, target: str, time_column: str, group_column: str | None = None,
                    summed: bool = False, as_of: str | None = None) -> DailyRows:
    """Rows (and the target's sum) per group and day of a typed table, with the rules of :class:`DailyRows`.

    Parameters
    ----------
    typed : DataFrame
        The typed table; ``time_column`` is datetime.
    target : str
        Summed when ``summed``, else rows are counted.
    time_column, group_column : str
    summed : bool
        See :func:`sums_target`.
    as_of : ISO date, optional
        Rows dated after this day are left out.
    """
    totals = daily_totals(typed, time_column=time_column, group_column=group_column,
                          sum_of=target if summed else None, keep_days=partial(kept_days, as_of=as_of),
                          most_groups=MAX_GROUPS, missing=MISSING, other=OTHER)
    return daily_rows(totals, summed=summed, target=target, time_column=time_column, group_column=group_column,
                      as_of=as_of)


def daily_rows(totals: DailyTotals, *, summed: bool, target: str, time_column: str, group_column: str | None,
               as_of: str | None, engine: str = "pandas") -> DailyRows:
    """The :class:`DailyRows` of daily totals a table source counted (see ``TableSource.daily_totals``)."""
    frame = canonical_daily(totals.frame)
    return DailyRows(frame=frame, summed=summed, dropped=int(totals.dated_rows - frame["rows"].sum()),
                     table_rows=totals.table_rows, target=target, time_column=time_column, group_column=group_column,
                     as_of=as_of, engine=engine)


def series_from_daily(daily: DailyRows, *, frequency: str = "auto") -> Series:
    """Rows (or the target's sum) per period and group, with empty periods as zero.

    Parameters
    ----------
    daily : DailyRows
    frequency : {"auto", "D", "W"}
        Daily when there are at least 3 rows per group and day on average over the days spanned,
        else weekly (weeks start on Monday).
    """
    f = daily.frame
    findings = [] if not daily.dropped else [Finding(
        "warning", codes.FEAS_TIME_OUTLIERS_DROPPED,
        f"{daily.dropped:,} rows of '{daily.time_column}' lie after as_of or far outside the main run of dates "
        "(likely typos); they were left out of the series.", daily.time_column, {"rows": daily.dropped})]
    groups = sorted(f["group"].unique())
    if f.empty:
        empty = pd.DataFrame({"group": pd.Series(dtype=object), "period": pd.Series(dtype="datetime64[ns]"),
                              "y": pd.Series(dtype=float)})
        return Series(frame=empty, freq="D", season=7, horizon=7, findings=findings)
    span_days = (f["day"].max() - f["day"].min()).days + 1
    freq = frequency if frequency in ("D", "W") else \
        ("D" if f["rows"].sum() / (span_days * len(groups)) >= DAILY_MIN_RATE else "W")
    period = f["day"] if freq == "D" else f["day"] - pd.to_timedelta(f["day"].dt.dayofweek, "D")
    y = f["value"] if daily.summed else f["rows"].astype(float)
    sums = y.groupby([f["group"].to_numpy(), period.to_numpy()]).sum()
    full = pd.date_range(period.min(), period.max(), freq="D" if freq == "D" else "7D")
    index = pd.MultiIndex.from_product([groups, full], names=["group", "period"])
    frame = sums.reindex(index, fill_value=0.0).rename("y").reset_index()
    weeks = len(full) if freq == "W" else 0
    season = 7 if freq == "D" else (52 if weeks >= 3 * 52 else 1)
    return Series(frame=frame, freq=freq, season=season, horizon=7 if freq == "D" else 1, findings=findings)


def aggregate_series(typed: pd.DataFrame, *, target: str, time_column: str, group_column: str | None = None,
                     numeric_target: bool = False, as_of: str | None = None, frequency: str = "auto") -> Series:
    """Count rows (or sum a numeric target) per period and group, with empty periods as zero.

    :func:`aggregate_daily` then :func:`series_from_daily`.

    Parameters
    ----------
    typed : DataFrame
        The typed table; ``time_column`` is datetime.
    target : str
        Summed when ``numeric_target``, else rows are counted.
    time_column, group_column : str
    as_of : ISO date, optional
        Rows dated after this day are left out (typos such as 2027 for 2025).
    frequency : {"auto", "D", "W"}
        Daily when there are at least 3 rows per group and day on average, else weekly.
    """
    daily = aggregate_daily(typed, target=target, time_column=time_column, group_column=group_column,
                            summed=numeric_target, as_of=as_of)
    return series_from_daily(daily, frequency=frequency)


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
