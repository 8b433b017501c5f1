"""A forecast's rows per group and day, counted by Spark on every row: :meth:`SparkSource.daily_totals`.

A forecast counts rows per period (or sums a numeric target), so a sample would undercount. Spark
aggregates the whole table in one pass and only the small aggregate reaches pandas. The stage's
own rule chooses the days kept (passed in as ``keep_days``) and the largest groups are kept, so the
series equals the one pandas builds. Group names are the group column's typed values as text (a
number as Spark writes it, e.g. ``1.0E10`` where pandas writes ``10000000000.0``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd

from readiness.profiling.profile import TableProfile
from readiness.sources.base import DailyTotals


def _day_literal(day: pd.Timestamp) -> Any:
    import pyspark.sql.functions as F

    return F.lit(day.strftime("%Y-%m-%d")).cast("date")


def daily_totals(sdf: Any, *, typed_by: TableProfile, decimal: str, time_column: str, group_column: str | None,
                 sum_of: str | None, keep_days: Callable[[pd.Series], pd.DatetimeIndex], most_groups: int,
                 missing: str, other: str) -> DailyTotals:
    """Rows (and the sum of ``sum_of``) per group and day of a Spark table (see
    :meth:`readiness.sources.base.TableSource.daily_totals`)."""
    import pyspark.sql.functions as F

    from readiness.sources.spark._typed import typed_frame_spark

    columns = list(dict.fromkeys(c for c in (time_column, group_column, sum_of) if c))
    typed = typed_frame_spark(sdf.select(*[F.col(f"`{c}`") for c in columns]), typed_by, decimal=decimal)
    group = F.coalesce(F.col(f"`{group_column}`").cast("string"), F.lit(missing)) if group_column else F.lit("all")
    value = F.coalesce(F.col(f"`{sum_of}`").cast("double"), F.lit(0.0)) if sum_of else F.lit(0.0)
    # one pass over the table; undated rows stay (day null) so the table's rows come for free
    per_group_day = (typed.groupBy(group.alias("group"), F.to_date(F.col(f"`{time_column}`")).alias("day"))
                     .agg(F.count(F.lit(1)).alias("rows"), F.sum(value).alias("value")).persist())
    try:
        per_day = {r["day"]: int(r["rows"]) for r in per_group_day.groupBy("day").agg(
            F.sum("rows").alias("rows")).collect()}
        dated = pd.Series({pd.Timestamp(d): n for d, n in per_day.items() if d is not None}, dtype="int64")
        kept = keep_days(dated)
        frame = pd.DataFrame(columns=["group", "day", "rows", "value"])
        if len(kept):
            # the kept days are every dated day between the first and the last kept one
            in_range = F.col("day").between(_day_literal(kept.min()), _day_literal(kept.max()))
            largest = (per_group_day.where(in_range).groupBy("group").agg(F.sum("rows").alias("rows"))
                       .orderBy(F.desc("rows"), F.asc("group")).limit(most_groups).collect())
            top = [r["group"] for r in largest]
            pooled = F.when(F.col("group").isin(top), F.col("group")).otherwise(F.lit(other))
            rows = (per_group_day.where(in_range).groupBy(pooled.alias("group"), "day")
                    .agg(F.sum("rows").alias("rows"), F.sum("value").alias("value")).collect())
            frame = pd.DataFrame([r.asDict() for r in rows], columns=["group", "day", "rows", "value"])
    finally:
        per_group_day.unpersist()
    return DailyTotals(frame=frame, table_rows=sum(per_day.values()), dated_rows=int(dated.sum()))
