"""Spark aggregations behind the profile: number, date and shape statistics, row counts, top values.

Each works on the ``(c, v, n, p, ...)`` tables of distinct values per column index (``c``),
weighted by their row counts ``n``, and returns plain dicts keyed by column index.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from readiness.quality import columns as cols
from readiness.quality import infer
from readiness.spark import _parse
from readiness.spark._sql import functions as _f


def agg_rows(df: Any, exprs: list) -> dict[int, dict[str, Any]]:
    return {r["c"]: r.asDict() for r in df.groupBy("c").agg(*exprs).collect()}


def _ts_text(column: str) -> Any:
    return _f().date_format(column, "yyyy-MM-dd HH:mm:ss.SSSSSS")


def _stamp(text: str | None) -> pd.Timestamp | None:
    return None if text is None else pd.Timestamp(text)


def number_stats(parsed: Any, idx: list[int]) -> dict[int, dict[str, Any]]:
    """min, max, mean, quantiles (linear, weighted by rows), 3 x IQR outliers, values <= 0, zeros, whole numbers."""
    F = _f()
    if not idx:
        return {}
    num = parsed.filter(F.col("c").isin(idx))
    finite = num.filter(F.col("num").isNotNull() & ~F.isnan("num"))
    qs = list(infer.QUANTILES.values())
    first = agg_rows(finite, [
        F.min("num").alias("min"), F.max("num").alias("max"), F.sum(F.col("num") * F.col("n")).alias("sum"),
        F.sum("n").alias("total"), F.percentile(F.col("num"), F.array(*map(F.lit, qs)), F.col("n")).alias("q"),
        F.sum(F.when(F.col("num") <= 0, F.col("n")).otherwise(0)).alias("non_positive"),
        F.sum(F.when(F.col("num") == 0, F.col("n")).otherwise(0)).alias("zeros"),
        F.max(F.when(F.col("num") != F.floor("num"), 1).otherwise(0)).alias("fraction")])
    out: dict[int, dict[str, Any]] = {}
    fences = []
    for c, r in first.items():
        q = [float(v) for v in r["q"]]
        iqr = q[3] - q[1]
        out[c] = {"min": float(r["min"]), "max": float(r["max"]), "mean": float(r["sum"] / r["total"]),
                  "quantiles": dict(zip(infer.QUANTILES, q, strict=True)), "outliers": 0,
                  "non_positive": int(r["non_positive"]), "zeros": int(r["zeros"]),
                  "whole_numbers": not r["fraction"]}
        if iqr > 0:
            fences.append((c, q[1] - 3 * iqr, q[3] + 3 * iqr))
    if fences:
        low = F.lit(None)
        high = F.lit(None)
        for c, lo, hi in fences:
            low = F.when(F.col("c") == c, F.lit(lo)).otherwise(low)
            high = F.when(F.col("c") == c, F.lit(hi)).otherwise(high)
        far = finite.filter(F.col("c").isin([f[0] for f in fences]) & ((F.col("num") < low) | (F.col("num") > high)))
        for c, r in agg_rows(far, [F.sum("n").alias("rows")]).items():
            out[c]["outliers"] = int(r["rows"])
    return out


def date_stats(parsed: Any, idx: list[int], text: dict[int, bool], as_of_end: str | None) -> dict[int, dict]:
    """Formats, unparseable values, range, future dates and the latest date not after as_of."""
    F = _f()
    if not idx:
        return {}
    dates = parsed.filter(F.col("c").isin(idx))
    flags = agg_rows(dates.filter(F.col("fmt") == _parse._DAY_FIRST),
                      [F.max(F.col("f12").cast("int")).alias("f"), F.max(F.col("s12").cast("int")).alias("s")])
    month_first = [c for c, r in flags.items() if r["s"] == 1 and r["f"] != 1]
    swap = F.col("c").isin(month_first) & (F.col("fmt") == _parse._DAY_FIRST)
    dates = (dates.withColumn("date", F.when(swap, F.col("dm")).otherwise(F.col("d")))
             .withColumn("fmt", F.when(swap, F.lit(_parse._MONTH_FIRST)).otherwise(F.col("fmt"))))
    ok = dates.filter(F.col("date").isNotNull())
    formats: dict[int, dict[str, int]] = {c: {} for c in idx}
    for r in ok.groupBy("c", "fmt").agg(F.sum("n").alias("n")).collect():
        name = "datetime" if r["fmt"] == -2 else cols.DATE_FORMATS[r["fmt"]].name
        formats[r["c"]][name] = int(r["n"])
    end = F.lit(as_of_end).cast("timestamp") if as_of_end else None
    exprs = [F.sum("n").alias("non_null"), F.sum(F.when(F.col("date").isNull(), F.col("n")).otherwise(0)).alias("bad"),
             _ts_text(F.min("date")).alias("min"), _ts_text(F.max("date")).alias("max")]
    if end is not None:
        exprs += [F.sum(F.when(F.col("date") > end, F.col("n")).otherwise(0)).alias("future"),
                  _ts_text(F.max(F.when(F.col("date") <= end, F.col("date")))).alias("latest")]
    out = {}
    for c, r in agg_rows(dates, exprs).items():
        counted = dict(sorted(formats[c].items(), key=lambda kv: (-kv[1], kv[0])))
        top = max(counted.values(), default=0)
        one_iso = not text[c] or (len(counted) == 1 and cols.DATE_FORMAT_BY_NAME[next(iter(counted))].iso)
        stats: dict[str, Any] = {"date_formats": counted, "unparseable_dates": int(r["bad"]),
                                 "off_format": int(r["non_null"]) - top,
                                 "dominant_format_share": top / r["non_null"] if r["non_null"] else None,
                                 "_iso": one_iso}
        if r["min"] is not None:
            stats.update(min=_stamp(r["min"]), max=_stamp(r["max"]))
            stats["quantiles"] = {"min": stats["min"], "max": stats["max"]}
            if end is not None:
                stats.update(future_dates=int(r["future"]), latest_date=_stamp(r["latest"]))
            else:
                stats["latest_date"] = stats["max"]
        out[c] = stats
    return out


def format_stats(parsed: Any, idx: list[int], distinct: dict[int, int], samples: dict[int, Any],
                  non_null: dict[int, int]) -> dict[int, dict]:
    """Shape counts: exact up to EXACT_FORMATS_MAX_DISTINCT distinct values, else the sample's top 3."""
    F = _f()
    out: dict[int, dict] = {}
    exact = [c for c in idx if distinct[c] <= infer.EXACT_FORMATS_MAX_DISTINCT]
    counted: dict[int, dict[str, int]] = {c: {} for c in idx}
    if exact:
        for r in parsed.filter(F.col("c").isin(exact)).groupBy("c", "shape").agg(F.sum("n").alias("n")).collect():
            counted[r["c"]][r["shape"]] = int(r["n"])
    for c in [c for c in idx if c not in exact]:
        sample = samples[c]
        top = list(cols.weighted_counts(cols.shapes(sample), np.ones(len(sample), dtype=np.int64)))[:3]
        rows = parsed.filter((F.col("c") == c) & F.col("shape").isin(top)).groupBy("shape").agg(F.sum("n").alias("n"))
        counted[c] = {r["shape"]: int(r["n"]) for r in rows.collect()}
    for c in idx:
        ordered = dict(sorted(counted[c].items(), key=lambda kv: (-kv[1], kv[0]))[:5])
        dominant = next(iter(ordered.values()), 0)
        out[c] = {"formats": ordered, "dominant_format_share": dominant / non_null[c] if non_null[c] else None,
                  "off_format": non_null[c] - dominant}
    return out


def row_counts(hashes: Any, *, many: bool) -> dict[str, int]:
    """Exact duplicate, near-duplicate, key-duplicate and redundant rows, by grouping on 64-bit row hashes.

    ``hashes`` are the ``(rid, eh, nh, kv)`` rows of :func:`readiness.spark._scan.scan`; ``many``
    says the table has more than one column (else there are no near duplicates). A row is
    redundant unless it is the first of its near-duplicate group and, when it has a key, the
    first row with that key: three aggregations and one join of group-level tables.
    """
    F = _f()
    first = [F.min("rid").alias("rid"), F.min_by("kv", "rid").alias("kv")]
    exact_groups = hashes.groupBy("nh", "eh").agg(*first, F.count(F.lit(1)).alias("n"))
    near_groups = exact_groups.groupBy("nh").agg(*first, F.count(F.lit(1)).alias("exact_groups"),
                                                 F.sum("n").alias("n"))
    first_key = hashes.filter("kv IS NOT NULL").groupBy("kv").agg(F.min("rid").alias("key_rid"),
                                                                  F.count(F.lit(1)).alias("key_rows"))
    keys = first_key.agg(F.count(F.lit(1)).alias("keys"), F.sum("key_rows").alias("keyed")).first()
    kept = F.col("kv").isNull() | (F.col("rid") == F.col("key_rid"))
    r = near_groups.join(first_key, "kv", "left").agg(
        F.sum("n").alias("rows"), F.sum("exact_groups").alias("exact_groups"),
        F.count(F.lit(1)).alias("near_groups"), F.sum(kept.cast("long")).alias("kept")).first()
    total = int(r["rows"] or 0)
    exact_dup = total - int(r["exact_groups"] or 0)
    near_dup = (total - int(r["near_groups"] or 0) - exact_dup) if many else 0
    return {"rows": total, "duplicate_rows": exact_dup, "near_duplicate_rows": near_dup,
            "duplicate_key_rows": int(keys["keyed"] or 0) - int(keys["keys"]),
            "redundant_rows": total - int(r["kept"] or 0)}


def top_values(clean: Any, idx: list[int]) -> dict[int, list[tuple[Any, int]]]:
    """The 5 commonest cleaned values per column, ties by first appearance (as pandas orders them)."""
    from pyspark.sql import Window

    F = _f()
    if not idx:
        return {}
    order = Window.partitionBy("c").orderBy(F.col("n").desc(), F.col("p"))
    top = clean.filter(F.col("c").isin(idx)).withColumn("r", F.row_number().over(order)).filter("r <= 5")
    out: dict[int, list] = {c: [] for c in idx}
    for r in top.orderBy("c", "r").collect():
        out[r["c"]].append((r["v"], int(r["n"])))
    return out
