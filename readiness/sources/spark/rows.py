"""The typed rows of a Spark table, counted for the checks that read rows: :class:`SparkRows`.

Each count is the pandas engine's (:class:`readiness.sources.pandas.PandasRows`): the same levels
in the same order, the same personal-value rules, the same key text. Spark aggregates, and only
per-level counts and at most three masked examples per column reach the driver.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from readiness.profiling.profile import shown_value
from readiness.sources.base import LevelCounts, OrphanCounts, ParentKeys, PersonalCounts
from readiness.sources.personal import EXAMPLES, personal_example, personal_flags
from readiness.sources.spark._sql import functions as _f
from readiness.sources.spark._sql import trim
from readiness.sources.spark._typed import PLACEHOLDER


def _level_text(name: str, dtype: Any) -> Any:
    """A group column's levels as ``str()`` writes them in pandas (True, 3, 2.5, text)."""
    from pyspark.sql import types as T

    F = _f()
    c = F.col(f"`{name}`")
    if isinstance(dtype, T.BooleanType):
        return F.when(c, "True").when(~c, "False")
    return c.cast("string")


def _contact_flags(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """Per distinct value: holds an e-mail, a phone, an identifier, and its masked example (the pandas rules)."""
    for batch in batches:
        values = batch.column(1)
        has_email, has_phone, has_id = personal_flags(values)
        examples: list[str | None] = [None] * len(values)
        for i in np.flatnonzero(has_email | has_phone | has_id):
            examples[i] = personal_example(values[int(i)].as_py())
        yield pa.RecordBatch.from_arrays(
            [batch.column(0), batch.column(2), batch.column(3), pa.array(has_email), pa.array(has_phone),
             pa.array(has_id), pa.array(examples, pa.string())],
            names=["c", "n", "first", "email", "phone", "ident", "example"])


def key_text(sdf: Any, name: str) -> Any:
    """Non-null values of a column as trimmed, non-empty text, as :func:`readiness.sources.keys.key_text` writes them.

    Whole doubles lose their '.0' (12.0 matches '12'), dates are YYYY-MM-DD, booleans True/False.
    """
    from pyspark.sql import types as T

    F = _f()
    c = F.col(f"`{name}`")
    dtype = sdf.schema[name].dataType
    if isinstance(dtype, T.FloatType | T.DoubleType | T.DecimalType):
        finite = sdf.filter(c.isNotNull() & ~F.isnan(c.cast("double")))
        whole = finite.filter(c != F.floor(c)).limit(1).count() == 0
        text = c.cast("long").cast("string") if whole else c.cast("string")
        sdf = sdf.filter(~F.isnan(c.cast("double")))
    elif isinstance(dtype, T.DateType | T.TimestampType | T.TimestampNTZType):
        text = F.date_format(c, "yyyy-MM-dd")
    elif isinstance(dtype, T.BooleanType):
        text = F.when(c, "True").when(~c, "False")
    else:
        text = trim(c.cast("string"))
    return sdf.select(text.alias("v")).filter(F.col("v").isNotNull() & (F.col("v") != ""))


class SparkRows:
    """A typed Spark DataFrame (:func:`readiness.sources.spark.typed_frame_spark`), counted by Spark."""

    def __init__(self, typed: Any) -> None:
        self.typed = typed

    def nulls_by_level(self, targets: Sequence[str], groups: Sequence[str]) -> list[LevelCounts]:
        """One grouped aggregation: rows and each target's nulls per level of every group column."""
        if not targets or not groups:
            return []
        F = _f()
        types = {f.name: f.dataType for f in self.typed.schema.fields}
        levels = F.array(*[F.struct(F.lit(g).alias("g"), _level_text(name, types[name]).alias("level"))
                           for g, name in enumerate(groups)])
        nulls = [F.sum(F.col(f"t{j}")).alias(f"t{j}") for j in range(len(targets))]
        rows = self.typed.select(F.monotonically_increasing_id().alias("rid"), F.explode(levels).alias("x"),
                                 *[F.col(f"`{t}`").isNull().cast("long").alias(f"t{j}")
                                   for j, t in enumerate(targets)])
        counted = (rows.filter(F.col("x.level").isNotNull())
                   .groupBy(F.col("x.g").alias("g"), F.col("x.level").alias("level"))
                   .agg(F.count(F.lit(1)).alias("n"), F.min("rid").alias("first"), *nulls).collect())
        out = []
        for g, group in enumerate(groups):
            found = sorted((r for r in counted if r["g"] == g), key=lambda r: r["first"])  # factorize order
            level_rows = np.array([r["n"] for r in found], dtype=np.int64)
            out.append(LevelCounts(group, [r["level"] for r in found], level_rows,
                                   {t: np.array([r[f"t{j}"] for r in found], dtype=np.float64)
                                    for j, t in enumerate(targets) if t != group}))
        return out

    def personal_values(self, columns: Sequence[str]) -> dict[str, PersonalCounts]:
        """Personal values inside each text column, tested once per distinct value on the executors."""
        from pyspark.sql import Window

        if not columns:
            return {}
        F = _f()
        pairs = F.array(*[F.struct(F.lit(i).alias("c"), F.col(f"`{n}`").cast("string").alias("v"))
                          for i, n in enumerate(columns)])
        values = (self.typed.select(F.monotonically_increasing_id().alias("rid"), F.explode(pairs).alias("x"))
                  .filter(F.col("x.v").isNotNull()).groupBy(F.col("x.c").alias("c"), F.col("x.v").alias("v"))
                  .agg(F.count(F.lit(1)).alias("n"), F.min("rid").alias("first")))
        flagged = values.mapInArrow(_contact_flags, "c int, n long, first long, email boolean, phone boolean, "
                                                    "ident boolean, example string").filter("email OR phone OR ident")
        totals = flagged.groupBy("c").agg(F.sum("n").alias("rows"),
                                          F.sum(F.when(F.col("email"), F.col("n"))).alias("e"),
                                          F.sum(F.when(F.col("phone"), F.col("n"))).alias("p"),
                                          F.sum(F.when(F.col("ident"), F.col("n"))).alias("i")).collect()
        firsts = flagged.withColumn("r", F.row_number().over(Window.partitionBy("c").orderBy("first")))
        examples: dict[int, list[str]] = {}
        for r in firsts.filter(f"r <= {EXAMPLES}").orderBy("c", "r").collect():
            examples.setdefault(r["c"], []).append(r["example"])
        return {columns[r["c"]]: PersonalCounts(rows=int(r["rows"]), emails=int(r["e"] or 0), phones=int(r["p"] or 0),
                                                identifiers=int(r["i"] or 0), examples=examples.get(r["c"], []))
                for r in sorted(totals, key=lambda r: r["c"])}

    def orphans(self, column: str, keys: ParentKeys, *, kind: str | None) -> OrphanCounts:
        """An anti-join of the column's distinct values on the parent's keys (a one-column DataFrame ``v``)."""
        F = _f()
        child = key_text(self.typed, column).groupBy("v").agg(F.count(F.lit(1)).alias("n"))
        orphan = child.join(keys.handle.distinct(), "v", "left_anti")
        totals = orphan.agg(F.sum("n").alias("rows"), F.count(F.lit(1)).alias("distinct")).first()
        first = [r["v"] for r in orphan.orderBy("v").limit(3).collect()]
        return OrphanCounts(rows=int(totals["rows"] or 0), distinct=int(totals["distinct"]),
                            examples=[shown_value(v, kind) for v in first])

    def validate(self, suite: dict) -> pd.DataFrame:
        """The suite validated through Great Expectations' Spark data source."""
        from readiness.sources.gx import validate_spark

        return validate_spark(self.typed, suite, placeholder=PLACEHOLDER)
