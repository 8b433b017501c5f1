"""The checks that read the typed rows, on Spark: concentrated nulls, contact details in text, orphans.

Each mirrors its pandas definition in :mod:`readiness.quality.checks` (same thresholds, the
same order of candidates, the same evidence) but gathers its counts with Spark aggregations,
so only per-level counts and at most three masked examples per column reach the driver.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import numpy as np
import pyarrow as pa

from readiness.privacy import safe_text
from readiness.profiling.profile import TableProfile, shown_value
from readiness.quality import checks as qc
from readiness.results import Finding
from readiness.spark._sql import functions as _f
from readiness.spark._sql import trim


def _level_text(name: str, dtype: Any) -> Any:
    """A group column's levels as ``str()`` writes them in pandas (True, 3, 2.5, text)."""
    from pyspark.sql import types as T

    F = _f()
    c = F.col(f"`{name}`")
    if isinstance(dtype, T.BooleanType):
        return F.when(c, "True").when(~c, "False")
    return c.cast("string")


def missing_concentrated(typed: Any, profile: TableProfile) -> list[Finding]:
    """:func:`readiness.quality.checks.check_missing_concentrated` with one grouped aggregation."""
    F = _f()
    cols = profile.columns.values()
    targets = [c.name for c in cols if 2 <= c.null_total < c.rows]
    groups = [c.name for c in cols if c.semantic_type in ("category", "boolean")
              and 2 <= c.distinct <= qc.GROUP_MAX_LEVELS and not c.personal_kind]
    if not targets or not groups:
        return []
    types = {f.name: f.dataType for f in typed.schema.fields}
    levels = F.array(*[F.struct(F.lit(g).alias("g"), _level_text(name, types[name]).alias("level"))
                       for g, name in enumerate(groups)])
    nulls = [F.sum(F.col(f"t{j}")).alias(f"t{j}") for j in range(len(targets))]
    rows = typed.select(F.monotonically_increasing_id().alias("rid"), F.explode(levels).alias("x"),
                        *[F.col(f"`{t}`").isNull().cast("long").alias(f"t{j}") for j, t in enumerate(targets)])
    counted = (rows.filter(F.col("x.level").isNotNull())
               .groupBy(F.col("x.g").alias("g"), F.col("x.level").alias("level"))
               .agg(F.count(F.lit(1)).alias("n"), F.min("rid").alias("first"), *nulls).collect())
    best: dict[str, tuple[float, str, str, float, float, int]] = {}
    for g, group in enumerate(groups):
        found = sorted((r for r in counted if r["g"] == g), key=lambda r: r["first"])  # factorize order
        level_rows = np.array([r["n"] for r in found], dtype=np.int64)
        for j, target in enumerate(targets):
            if target == group:
                continue
            level_nulls = np.array([r[f"t{j}"] for r in found], dtype=np.float64)
            rest_rows = level_rows.sum() - level_rows
            with np.errstate(divide="ignore", invalid="ignore"):
                rate = level_nulls / level_rows
                rest = (int(level_nulls.sum()) - level_nulls) / rest_rows
            ok = ((level_rows >= qc.CONCENTRATION_MIN_ROWS) & (level_nulls >= 2) & (rest_rows > 0)
                  & (rate >= qc.CONCENTRATION_RATIO * rest) & (rate - rest >= qc.CONCENTRATION_GAP))
            for i in np.flatnonzero(ok):
                gap = float(rate[i] - rest[i])
                if gap > best.get(target, (-1.0,))[0]:
                    best[target] = (gap, group, safe_text(found[i]["level"]), float(rate[i]), float(rest[i]),
                                    int(level_nulls[i]))
    return [qc._finding("warning", qc.DQ_MISSING_CONCENTRATED,
                        f"Column '{name}' is missing far more often when '{group}' is '{level}': "
                        f"{rate:.0%} of those rows versus {rest:.0%} of the others.", name,
                        rows=profile.columns[name].null_total, group_rows=in_group, group_column=group,
                        group=level, group_null_rate=rate, other_null_rate=rest)
            for name, (_, group, level, rate, rest, in_group) in best.items()]


def _contact_flags(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """Per distinct value: holds an e-mail, a phone, an identifier, and its masked example (the pandas rules)."""
    for batch in batches:
        values = batch.column(1)
        has_email, has_phone, has_id = qc.personal_flags(values)
        examples: list[str | None] = [None] * len(values)
        for i in np.flatnonzero(has_email | has_phone | has_id):
            examples[i] = qc.personal_example(values[int(i)].as_py())
        yield pa.RecordBatch.from_arrays(
            [batch.column(0), batch.column(2), batch.column(3), pa.array(has_email), pa.array(has_phone),
             pa.array(has_id), pa.array(examples, pa.string())],
            names=["c", "n", "first", "email", "phone", "ident", "example"])


def pii_in_text(typed: Any, profile: TableProfile) -> list[Finding]:
    """:func:`readiness.quality.checks.check_pii_in_text` over the distinct values of each text column."""
    from pyspark.sql import Window

    F = _f()
    names = [c.name for c in profile.columns.values()
             if c.semantic_type in ("free_text", "category") and not c.personal_kind and c.text_source]
    if not names:
        return []
    pairs = F.array(*[F.struct(F.lit(i).alias("c"), F.col(f"`{n}`").cast("string").alias("v"))
                      for i, n in enumerate(names)])
    values = (typed.select(F.monotonically_increasing_id().alias("rid"), F.explode(pairs).alias("x"))
              .filter(F.col("x.v").isNotNull()).groupBy(F.col("x.c").alias("c"), F.col("x.v").alias("v"))
              .agg(F.count(F.lit(1)).alias("n"), F.min("rid").alias("first")))
    flagged = values.mapInArrow(_contact_flags, "c int, n long, first long, email boolean, phone boolean, "
                                                "ident boolean, example string").filter("email OR phone OR ident")
    totals = flagged.groupBy("c").agg(F.sum("n").alias("rows"), F.sum(F.when(F.col("email"), F.col("n"))).alias("e"),
                                      F.sum(F.when(F.col("phone"), F.col("n"))).alias("p"),
                                      F.sum(F.when(F.col("ident"), F.col("n"))).alias("i")).collect()
    firsts = flagged.withColumn("r", F.row_number().over(Window.partitionBy("c").orderBy("first")))
    examples: dict[int, list[str]] = {}
    for r in firsts.filter("r <= 3").orderBy("c", "r").collect():
        examples.setdefault(r["c"], []).append(r["example"])
    return [qc.pii_in_text_finding(profile.columns[names[r["c"]]], int(r["rows"]), int(r["e"] or 0), int(r["p"] or 0),
                                   int(r["i"] or 0), examples.get(r["c"], []))
            for r in sorted(totals, key=lambda r: r["c"])]


def key_text(sdf: Any, name: str) -> Any:
    """Non-null values of a column as trimmed, non-empty text, as ``checks._key_text`` writes them.

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


def orphan_references(typed: Any, profile: TableProfile, parents: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """:func:`readiness.quality.checks.orphan_references`: an anti-join of distinct child values on parent keys.

    ``parents`` maps each referencing column to a one-column Spark DataFrame of parent keys
    (as :func:`key_text` gives them).
    """
    F = _f()
    out = {}
    for column, parent in parents.items():
        child = key_text(typed, column).groupBy("v").agg(F.count(F.lit(1)).alias("n"))
        orphan = child.join(parent.distinct(), "v", "left_anti")
        totals = orphan.agg(F.sum("n").alias("rows"), F.count(F.lit(1)).alias("distinct")).first()
        kind = profile.columns[column].personal_kind
        first = [r["v"] for r in orphan.orderBy("v").limit(3).collect()]
        out[column] = {"rows": int(totals["rows"] or 0), "distinct": int(totals["distinct"]),
                       "examples": [shown_value(v, kind) for v in first]}
    return out
