"""A forecast's rows per group and day, counted by Spark on every row of the table.

A forecast counts rows per period (or sums a numeric target), so a sample would undercount. Spark
aggregates the whole table instead and only the small aggregate reaches pandas: the result is a
:class:`readiness.feasibility.DailyRows`, the same one the pandas engine builds, with the same
rules (:func:`readiness.feasibility.forecast.kept_days` for ``as_of`` and outlying dates, the 30
largest groups kept and the others pooled), so the series and its backtest are the same.

The three columns are typed the way the pandas engine types them, by
:func:`readiness.spark.typed_frame_spark` with their profile on the model sample (the sample the
assessment itself profiles). Group names are the group column's typed values as text (a number
as Spark writes it, e.g. ``1.0E10`` where pandas writes ``10000000000.0``), a missing one
``(missing)``. ``pyspark`` is imported only inside these functions.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from readiness.errors import ConfigError
from readiness.feasibility.data import MISSING, require_columns, type_table
from readiness.feasibility.forecast import (
    MAX_GROUPS,
    OTHER,
    DailyRows,
    canonical_daily,
    kept_days,
    sums_target,
    top_groups,
)


def _day_literal(day: pd.Timestamp) -> Any:
    import pyspark.sql.functions as F

    return F.lit(day.strftime("%Y-%m-%d")).cast("date")


def aggregate_daily_spark(sdf: Any, sample: pd.DataFrame, *, target: str, time_column: str,
                          group_column: str | None = None, as_of: str | None = None,
                          decimal: str = ".") -> DailyRows:
    """Rows (and a numeric target's sum) per group and day of a Spark table, for a forecast.

    Parameters
    ----------
    sdf : pyspark.sql.DataFrame
        The whole table, as read by :func:`readiness.spark.read_table`.
    sample : pandas.DataFrame
        Its model sample (:func:`readiness.spark.sampling.model_sample`): the profile of the three
        columns on it decides how they are typed and whether the target is summed.
    target, time_column, group_column, as_of
        As for :func:`readiness.feasibility.assess_feasibility`.
    decimal : {".", ","}
        The decimal mark the assessment types the sample with.

    Returns
    -------
    DailyRows
        ``engine="Spark"``; pass it as ``daily`` to :func:`readiness.feasibility.assess_feasibility`.

    Examples
    --------
    >>> daily = aggregate_daily_spark(sdf, sample, target="visit_id", time_column="at")  # doctest: +SKIP
    """
    import pyspark.sql.functions as F

    from readiness.spark._typed import typed_frame_spark

    group_column = group_column or None
    if not time_column:
        raise ConfigError("a forecast needs `time_column`, the column that dates each row.")
    named = [("target", target), ("time_column", time_column)] + ([("group_column", group_column)]
                                                                   if group_column else [])
    require_columns(sample, named, where="forecast on Spark")
    columns = list(dict.fromkeys(c for _, c in named))
    profile, _ = type_table(sample[columns], time_column=time_column, decimal=decimal)
    summed = sums_target(profile, target)
    as_of = str(as_of)[:10] if as_of else None
    typed = typed_frame_spark(sdf.select(*[F.col(f"`{c}`") for c in columns]), profile, decimal=decimal)
    group = F.coalesce(F.col(f"`{group_column}`").cast("string"), F.lit(MISSING)) if group_column else F.lit("all")
    value = F.coalesce(F.col(f"`{target}`").cast("double"), F.lit(0.0)) if summed else F.lit(0.0)
    # one pass over the table; undated rows stay (day null) so the table's rows come for free
    per_group_day = (typed.groupBy(group.alias("group"), F.to_date(F.col(f"`{time_column}`")).alias("day"))
                     .agg(F.count(F.lit(1)).alias("rows"), F.sum(value).alias("value")).persist())
    try:
        per_day = {r["day"]: int(r["rows"]) for r in per_group_day.groupBy("day").agg(
            F.sum("rows").alias("rows")).collect()}
        table_rows = sum(per_day.values())
        dated = pd.Series({pd.Timestamp(d): n for d, n in per_day.items() if d is not None}, dtype="int64")
        kept = kept_days(dated, as_of=as_of)
        if len(kept):
            # the kept days are every dated day between the first and the last kept one
            in_range = F.col("day").between(_day_literal(kept.min()), _day_literal(kept.max()))
            largest = (per_group_day.where(in_range).groupBy("group").agg(F.sum("rows").alias("rows"))
                       .orderBy(F.desc("rows"), F.asc("group")).limit(MAX_GROUPS + 1).collect())
            top = top_groups(pd.Series({r["group"]: int(r["rows"]) for r in largest}, dtype="int64"))
            pooled = F.when(F.col("group").isin(top), F.col("group")).otherwise(F.lit(OTHER))
            rows = (per_group_day.where(in_range).groupBy(pooled.alias("group"), "day")
                    .agg(F.sum("rows").alias("rows"), F.sum("value").alias("value")).collect())
            frame = pd.DataFrame([r.asDict() for r in rows], columns=["group", "day", "rows", "value"])
        else:
            frame = pd.DataFrame(columns=["group", "day", "rows", "value"])
    finally:
        per_group_day.unpersist()
    frame = canonical_daily(frame)
    return DailyRows(frame=frame, summed=summed, dropped=int(dated.sum() - frame["rows"].sum()),
                     table_rows=table_rows, target=target, time_column=time_column, group_column=group_column,
                     as_of=as_of, engine="Spark")


__all__ = ["aggregate_daily_spark"]
