"""Feasibility on Spark: a forecast's series is counted by Spark on every row and equals the pandas engine's."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from conftest import require_pyspark
from readiness.feasibility import aggregate_daily, assess_feasibility, resolve_kind
from readiness.feasibility.data import type_table
from readiness.feasibility.every_row import daily_on_every_row
from readiness.tables import load_table

require_pyspark(module=True)

pytestmark = pytest.mark.spark
AS_OF = "2025-12-31"


def visits(sites: dict[str, float], *, days: int, seed: int = 5) -> pd.DataFrame:
    """Visits per site and day (none on Sundays, growing), with times of day and an amount in whole euros."""
    rng = np.random.default_rng(seed)
    rows = []
    for site, base in sites.items():
        for i, day in enumerate(pd.date_range("2025-01-06", periods=days)):
            n = 0 if day.dayofweek == 6 else rng.poisson(base + i / 20)
            rows += [{"visit_id": f"{site}-{day:%Y%m%d}-{k:02d}", "site": site,
                      "at": f"{day:%Y-%m-%d} {8 + k % 10:02d}:{(7 * k) % 60:02d}",
                      "amount": str(int(rng.integers(20, 90)))} for k in range(n)]
    return pd.DataFrame(rows)


def plant(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    frame.loc[3, "at"] = ""  # undated: counted in the table, not in the series
    frame.loc[10, "site"] = ""  # no site: its own group
    frame.loc[20, "at"] = "2027-02-01 09:00"  # a typo after as_of
    frame.loc[30, "at"] = "2023-03-01 09:00"  # far before the main run of dates
    return frame


def spark_table(spark, path: Path):
    from readiness.sources.spark import SparkSource, decimal_mark, read_table

    return SparkSource.of(read_table(spark, path), name=path.stem, decimal=decimal_mark(path))


def pandas_daily(path: Path, **kwargs):
    loaded = load_table(path)
    _, typed = type_table(loaded.frame, time_column="at", decimal=".")
    return aggregate_daily(typed, time_column="at", as_of=AS_OF, **kwargs)


def test_forecast_on_spark_equals_the_pandas_forecast(spark, tmp_path: Path) -> None:
    path = tmp_path / "visits.csv"
    plant(visits({"North": 6, "South": 4, "East": 3}, days=175)).to_csv(path, index=False)
    params = {"use_case": "demand", "target": "visit_id", "time_column": "at", "group_column": "site",
              "as_of": AS_OF, "time_budget_s": 60}
    expected = assess_feasibility(load_table(path), **params)

    table = spark_table(spark, path)
    sample, note = table.model_frame(stratify_by="visit_id", seed=42)
    assert resolve_kind(sample, target="visit_id", time_column="at") == "forecast"  # detected on the sample
    daily = daily_on_every_row(table, sample, target="visit_id", time_column="at", group_column="site", as_of=AS_OF)
    got = assess_feasibility(sample, daily=daily, full_rows=note.full_rows, **params)

    reference = pandas_daily(path, target="visit_id", group_column="site", summed=False)
    pd.testing.assert_frame_equal(daily.frame, reference.frame)
    assert (daily.dropped, daily.table_rows, daily.engine) == (2, note.full_rows, "Spark") == \
        (reference.dropped, reference.table_rows, "Spark")
    assert set(daily.frame["group"]) == {"North", "South", "East", "(missing)"}
    pd.testing.assert_frame_equal(got.backtest, expected.backtest)
    pd.testing.assert_frame_equal(got.predictions, expected.predictions)
    g, e = got.result.metrics, expected.result.metrics
    assert g["models"] == e["models"] and g["lift"] == e["lift"] and g["p_value"] == e["p_value"]
    assert (g["periods"], g["frequency"], g["groups"], g["rows"]) == (e["periods"], "D", 4, e["rows"])
    assert (got.result.verdict, got.result.score) == (expected.result.verdict, expected.result.score)
    assert [f.code for f in got.result.findings] == [f.code for f in expected.result.findings]
    assert g["aggregated"]["text"].startswith(f"The series was aggregated by Spark from all {note.full_rows:,} rows")
    assert "aggregated" not in e


def test_spark_counts_every_row_and_sums_a_number_when_the_sample_is_small(spark, tmp_path: Path) -> None:
    from readiness.sources.spark.sampling import model_sample

    # 34 sites: S13 and S24 tie with 60 rows at the edge of the 30 kept; both engines keep S13 (by name)
    sites = {f"S{i:02d}": 1.0 for i in range(33)} | {"Main": 4.0}
    path = tmp_path / "visits.csv"
    plant(visits(sites, days=40, seed=9)).to_csv(path, index=False)
    table = spark_table(spark, path)
    sample, note = model_sample(table.sdf, column="visit_id", max_rows=300, seed=1)
    assert not note.is_full and note.full_rows > 2000
    for target, summed in (("visit_id", False), ("amount", True)):
        daily = daily_on_every_row(table, sample, target=target, time_column="at", group_column="site", as_of=AS_OF)
        reference = pandas_daily(path, target=target, group_column="site", summed=summed)
        assert daily.summed is summed
        pd.testing.assert_frame_equal(daily.frame, reference.frame)
        assert daily.frame["group"].nunique() == 31 and daily.table_rows == note.full_rows
        assert "S13" in set(daily.frame["group"]) and "S24" not in set(daily.frame["group"])
    assert daily.frame["value"].sum() == reference.frame["value"].sum() > 0
