"""Spark aggregations behind the profile: number, date and shape statistics, row counts, top values.

Each works on the ``(c, v, n, p, ...)`` tables of distinct values per column index (``c``),
weighted by their row counts ``n``, and returns plain dicts keyed by column index.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from readiness.profiling import columns as cols
from readiness.profiling import infer
from readiness.sources.spark._sql import functions as _f


def agg_rows(df: Any, exprs: list) -> dict[int, dict[str, Any]]:
    return {r["c"]: r.asDict() for r in df.groupBy("c").agg(*exprs).collect()}


def _ts_text(column: str) -> Any:
    return _f().date_format(column, "yyyy-MM-dd HH:mm:ss.SSSSSS")


def _stamp(text: str | None) -> pd.Timestamp | None:
    return None if text is None else pd.Timestamp(text)


def number_stats(parsed: Any, idx: list[int]) -> dict[int, dict[str, Any]]:
    """min, max, mean, quantiles (linear, weighted by rows), 3 x IQR outliers, values <= 0, zeros, whole numbers.

    A sentinel (:func:`readiness.profiling.infer.sentinel_candidate`, also the commonest value) is
    left out of every figure, as the pandas engine does: the figures of those columns are made again
    without it.
    """
    F = _f()
    if not idx:
        return {}
    num = parsed.filter(F.col("c").isin(idx))
    finite = num.filter(F.col("num").isNotNull() & ~F.isnan("num"))
    out, sums = _number_figures(finite, with_sentinels=True)
    sentinels = _sentinels(finite, sums)
    if sentinels:
        chosen = F.lit(False)
        for c, value in sentinels.items():
            chosen = chosen | ((F.col("c") == c) & (F.col("num") == value))
        again, _ = _number_figures(finite.filter(F.col("c").isin(list(sentinels)) & ~chosen), with_sentinels=False)
        for c, value in sentinels.items():
            rows = int(sums[c][f"s{infer.SENTINELS.index(value)}"])
            out[c] = {**again[c], "sentinel_value": value, "sentinel_rows": rows}
    return out


def _number_figures(finite: Any, *, with_sentinels: bool) -> tuple[dict[int, dict[str, Any]], dict[int, dict]]:
    F = _f()
    qs = list(infer.QUANTILES.values())
    exprs = [
        F.min("num").alias("min"), F.max("num").alias("max"), F.sum(F.col("num") * F.col("n")).alias("sum"),
        F.sum("n").alias("total"), F.percentile(F.col("num"), F.array(*map(F.lit, qs)), F.col("n")).alias("q"),
        F.sum(F.when(F.col("num") <= 0, F.col("n")).otherwise(0)).alias("non_positive"),
        F.sum(F.when(F.col("num") == 0, F.col("n")).otherwise(0)).alias("zeros"),
        F.max(F.when(F.col("num") != F.floor("num"), 1).otherwise(0)).alias("fraction")]
    if with_sentinels:  # rows at each sentinel value, and above half of each positive one
        for i, value in enumerate(infer.SENTINELS):
            exprs.append(F.sum(F.when(F.col("num") == value, F.col("n")).otherwise(0)).alias(f"s{i}"))
            if value > 0:
                exprs.append(F.sum(F.when(F.col("num") > value / 2, F.col("n")).otherwise(0)).alias(f"a{i}"))
    first = agg_rows(finite, exprs)
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
    return out, first


def _sentinels(finite: Any, sums: dict[int, dict]) -> dict[int, float]:
    """Column -> its sentinel, when one stands apart from the other values and is also the commonest."""
    F = _f()
    found = {}
    for c, r in sums.items():
        rows_at = {v: int(r[f"s{i}"]) for i, v in enumerate(infer.SENTINELS) if r[f"s{i}"]}
        if not rows_at:
            continue
        above = {v: int(r[f"a{i}"]) for i, v in enumerate(infer.SENTINELS) if v > 0 and v in rows_at}
        negative = int(r["non_positive"]) - int(r["zeros"])
        value = infer.sentinel_candidate(rows_at, negative, above, int(r["total"]))
        if value is not None:
            found[c] = value
    if not found:
        return {}
    sentinel = F.lit(None)
    for c, value in found.items():
        sentinel = F.when(F.col("c") == c, F.lit(value)).otherwise(sentinel)
    others = (finite.filter(F.col("c").isin(list(found)) & (F.col("num") != sentinel))
              .groupBy("c", "num").agg(F.sum("n").alias("rows")))
    commonest = agg_rows(others, [F.max("rows").alias("rows")])
    return {c: v for c, v in found.items()
            if int(commonest.get(c, {}).get("rows") or 0) < int(sums[c][f"s{infer.SENTINELS.index(v)}"])}


def date_stats(parsed: Any, idx: list[int], text: dict[int, bool], as_of_end: str | None) -> dict[int, dict]:
    """Formats, unparseable values, range, future dates and the latest date not after as_of."""
    F = _f()
    if not idx:
        return {}
    dates = parsed.filter(F.col("c").isin(idx))
    parts = agg_rows(dates.filter(F.col("fm") >= 0), [
        F.max("p1").alias("max1"), F.max("p2").alias("max2"),
        F.countDistinct("p1").alias("n1"), F.countDistinct("p2").alias("n2")])
    month_first = [c for c, r in parts.items()
                   if cols.slash_order_is_month_first(r["max1"], r["max2"], r["n1"], r["n2"])]
    swap = F.col("c").isin(month_first) & (F.col("fm") >= 0)
    dates = (dates.withColumn("date", F.when(swap, F.col("dm")).otherwise(F.col("d")))
             .withColumn("fmt", F.when(swap, F.col("fm")).otherwise(F.col("fmt"))))
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

    ``hashes`` are the ``(rid, eh, nh, kv)`` rows of :func:`readiness.sources.spark._scan.scan`; ``many``
    says near duplicates count (the table has more than one column, and
    :func:`readiness.profiling.profile.near_duplicates_matter`), else the near hash is the exact one. A
    row is redundant unless it is the first of its near-duplicate group and, when it has a key, the
    first row with that key: three aggregations and one join of group-level tables.
    """
    F = _f()
    if not many:
        hashes = hashes.withColumn("nh", F.col("eh"))
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


def damage_stats(parsed: Any, scopes: dict[int, cols.DamageScope], non_null: dict[int, int]) -> dict[int, dict]:
    """Spreadsheet damage per column, as :func:`readiness.profiling.infer.column_damage` finds it.

    Rows per damage code and per digit length are summed on Spark; the driver decides with
    :func:`readiness.profiling.columns.summarise_damage` and fetches the first three damaged values
    (by first appearance) of each damaged column.
    """
    F = _f()
    if not scopes:
        return {}
    flagged = parsed.filter(F.col("c").isin(list(scopes)) & ((F.col("dk") > 0) | (F.col("dl") > 0)))
    kinds: dict[int, dict[int, int]] = {c: {} for c in scopes}
    lengths: dict[int, dict[tuple[int, bool], int]] = {c: {} for c in scopes}
    for r in flagged.groupBy("c", "dk", "dl", "dz").agg(F.sum("n").alias("n")).collect():
        kinds[r["c"]][r["dk"]] = kinds[r["c"]].get(r["dk"], 0) + int(r["n"])
        if r["dl"] > 0:
            key = (int(r["dl"]), bool(r["dz"]))
            lengths[r["c"]][key] = lengths[r["c"]].get(key, 0) + int(r["n"])
    out = {}
    for c, scope in scopes.items():
        found = cols.summarise_damage(kinds[c], lengths[c], non_null[c], scope)
        if found is None:
            continue
        kind, rows, longest = found
        which = ((F.col("dl") > 0) & (F.col("dl") < longest)) if kind == cols.LOST_ZEROS else (F.col("dk") == kind)
        first = flagged.filter((F.col("c") == c) & which).orderBy("p").limit(3).collect()
        out[c] = cols.DamageReport(cols.DAMAGE_KINDS[kind - 1], rows, rows / non_null[c],
                                   [cols.mask_damaged(r["ex"]) for r in first], longest).evidence()
    return out
