"""Data-quality profile on Spark, with the same results as the pandas engine.

Each column's semantic type is inferred on a bounded sample brought to pandas through Arrow,
with the pandas engine's own inference rules. Every count is then made on the full data: one
pass over the rows (:mod:`readiness.sources.spark._scan`) counts each column's values into a
``(column, class, value) -> rows`` table and hashes each row; each distinct value is parsed on
the executors by the pandas engine's own parsers (:mod:`readiness.profiling.columns`) and the
figures are summed back with grouped aggregations; duplicates are counted by grouping on the
64-bit row hashes. Only aggregates, the sample and a few masked examples reach the driver.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime, time
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from readiness.privacy import mask_value
from readiness.profiling import columns as cols
from readiness.profiling import infer
from readiness.profiling.profile import (
    ColumnProfile,
    TableProfile,
    choose_marker,
    marker_columns,
    near_duplicates_matter,
    parse_as_of,
    personal_kind_of,
    shown_value,
)
from readiness.sources.spark import _parse, _scan, _stats
from readiness.sources.spark._sql import functions as _f
from readiness.sources.spark._sql import kinds as _kinds
from readiness.sources.spark._sql import raw as _raw

SAMPLE_SIZE = infer.SAMPLE_SIZE


def _null_counts(values: Any, n_columns: int) -> tuple[dict, dict]:
    """Per column index: missing / blank rows, and the null tokens (as written, trimmed) with rows."""
    counts: dict[int, dict[str, int]] = {i: {"missing": 0, "blank": 0} for i in range(n_columns)}
    tokens: dict[int, dict[str, int]] = {i: {} for i in range(n_columns)}
    for row in values.filter("k < 3").collect():
        if row["k"] == 2:
            tokens[row["c"]][row["v"]] = int(row["n"])
        else:
            counts[row["c"]]["missing" if row["k"] == 0 else "blank"] += int(row["n"])
    tokens = {i: dict(sorted(t.items(), key=lambda kv: (-kv[1], kv[0]))) for i, t in tokens.items()}
    return counts, tokens


def _rows(summary: dict, counts: dict, tokens: dict) -> int:
    """The table's rows: the first column's values, empty fields, blanks and null tokens."""
    return (int(summary.get(0, {}).get("non_null") or 0) + counts[0]["missing"] + counts[0]["blank"]
            + sum(tokens[0].values()))


def _sample(sdf: Any, kinds: dict[str, str], rows: int) -> pd.DataFrame:
    """Rows for type inference: the whole table up to SAMPLE_SIZE rows, else evenly spaced rows.

    The pandas engine spaces its sample evenly over each column's non-null rows; here rows are
    spaced over the table, so a column with nulls is inferred on a slightly different sample.
    """
    F = _f()
    if rows <= SAMPLE_SIZE:
        return _to_pandas(sdf, kinds)
    with_id = sdf.withColumn("_rid", F.monotonically_increasing_id())
    pid = F.shiftright(F.col("_rid"), 33)
    sizes = {r["pid"]: r["n"] for r in with_id.groupBy(pid.alias("pid")).agg(F.count(F.lit(1)).alias("n")).collect()}
    offsets, start = {}, 0
    for part in sorted(sizes):
        offsets[part], start = start, start + sizes[part]
    wanted = np.unique(np.linspace(0, rows - 1, SAMPLE_SIZE).astype(np.int64))
    spark = sdf.sparkSession
    offset_df = spark.createDataFrame([(int(k), int(v)) for k, v in offsets.items()], "pid long, off long")
    wanted_df = spark.createDataFrame([(int(i),) for i in wanted], "idx long")
    indexed = (with_id.withColumn("pid", pid).join(F.broadcast(offset_df), "pid")
               .withColumn("idx", F.col("off") + F.col("_rid").bitwiseAND(F.lit((1 << 33) - 1))))
    picked = indexed.join(F.broadcast(wanted_df), "idx").orderBy("idx").select(*[f"`{c}`" for c in sdf.columns])
    return _to_pandas(picked, kinds)


def _to_pandas(sdf: Any, kinds: dict[str, str]) -> pd.DataFrame:
    frame = sdf.toPandas()
    for name, kind in kinds.items():
        if kind == "text":
            frame[name] = frame[name].astype(infer.ARROW_STRING)
        elif kind == "date":
            frame[name] = pd.to_datetime(frame[name])
    return frame


def profile_table_spark(sdf: Any, *, key: str | None = None, date_columns: list[str] | tuple[str, ...] = (),
                        pii_columns: list[str] | tuple[str, ...] = (), decimal: str = ".",
                        as_of: date | str | None = None) -> TableProfile:
    """:func:`readiness.profiling.profile_table` for a Spark DataFrame: the same :class:`TableProfile`.

    Parameters
    ----------
    sdf : pyspark.sql.DataFrame
        As read by :func:`readiness.sources.spark.read_table` (CSV columns are text, verbatim).
    key, date_columns, pii_columns, decimal, as_of
        As for :func:`readiness.profiling.profile_table`.

    Returns
    -------
    TableProfile
        Semantic types are inferred on a sample of at most ``SAMPLE_SIZE`` rows (the whole table
        when it is no larger); every count is over the full table.
    """
    F = _f()
    names, kinds = list(sdf.columns), _kinds(sdf)
    as_of_date = parse_as_of(as_of)
    as_of_end = None if as_of_date is None else datetime.combine(as_of_date, time.max).isoformat(sep=" ")
    scanned = _scan.scan(sdf, kinds, key=key)
    try:
        counts, tokens = _null_counts(scanned.values, len(names))
        clean = scanned.values.filter("k = 3").select("c", "v", "n", "p")
        summary = _stats.agg_rows(clean, [F.count(F.lit(1)).alias("distinct"), F.sum("n").alias("non_null"),
                                    F.sum((F.col("n") == 1).cast("long")).alias("singles")])
        total = _rows(summary, counts, tokens) if names else 0
        sample = _sample(sdf, kinds, total)
        pairs = {r["c"]: r["vs"] for r in clean.filter(F.col("c").isin(
            [c for c, s in summary.items() if s["distinct"] == 2])).groupBy("c").agg(
            F.sort_array(F.collect_list("v")).alias("vs")).collect()}
        semantic, encoded, hints = {}, {}, {}
        for i, name in enumerate(names):
            s = summary.get(i, {"distinct": 0, "non_null": 0, "singles": 0})
            enc = infer.encode_column(sample[name])
            as_sampled = replace(enc)  # the name hint is judged on the sample as it is (before the pairs below)
            if enc.text and i in pairs:
                enc.values = pa.array(pairs[i], pa.string())
            forced = "date" if name in date_columns else ("key" if name == key else None)
            semantic[i] = infer.infer_semantic(enc, name, forced=forced, decimal=decimal, distinct=s["distinct"],
                                               singles=s["singles"], non_null=s["non_null"] or 0)
            hints[i] = infer.agreed_name_hint(as_sampled, name, semantic[i])
            encoded[i] = enc
        floats = {f.name for f in sdf.schema.fields if f.dataType.typeName() in ("float", "double")}
        profile = _columns(clean, names, kinds, semantic, encoded, summary, counts, tokens, decimal=decimal,
                           as_of_end=as_of_end, pii=set(pii_columns), hints=hints, key=key, floats=floats)
        _negative_markers(sdf, kinds, profile, decimal=decimal)
        many = len(names) > 1 and near_duplicates_matter(profile, key=key, rows=total)
        rows = _stats.row_counts(scanned.hashes, many=many)
    finally:
        scanned.release()
    return TableProfile(rows=rows["rows"], columns=profile, duplicate_rows=rows["duplicate_rows"],
                        duplicate_key_rows=rows["duplicate_key_rows"],
                        null_key_rows=profile[key].null_total if key in profile else 0,
                        near_duplicate_rows=rows["near_duplicate_rows"], redundant_rows=rows["redundant_rows"],
                        key=key, as_of=as_of_date)


def _columns(clean: Any, names: list[str], kinds: dict[str, str], semantic: dict[int, str], encoded: dict,
             summary: dict, counts: dict, tokens: dict, *, decimal: str, as_of_end: str | None,
             pii: set[str], hints: dict[int, str | None], key: str | None,
             floats: set[str]) -> dict[str, ColumnProfile]:
    F = _f()
    text = {i: kinds[n] == "text" for i, n in enumerate(names)}
    scopes = {i: _damage_scope(n, semantic[i], kinds[n], key=n == key, float_column=n in floats)
              for i, n in enumerate(names)}
    plan = {i: (_parse.needs(n, semantic[i], text[i], hint=hints[i], damage=scopes[i]), decimal, text[i], scopes[i])
            for i, n in enumerate(names)}
    parsing = [i for i, (want, _, _, _) in plan.items() if any(want.values())]
    parsed = (clean.filter(F.col("c").isin(parsing)).select("c", "v", "n", "p")
              .mapInArrow(_parse.parse_batches(plan), _parse.SCHEMA).persist())
    try:
        non_null = {i: int(summary.get(i, {}).get("non_null") or 0) for i in range(len(names))}
        distinct = {i: int(summary.get(i, {}).get("distinct") or 0) for i in range(len(names))}
        numbers = _stats.number_stats(parsed, [i for i in plan if plan[i][0]["number"]])
        dates = _stats.date_stats(parsed, [i for i in plan if plan[i][0]["date"]], text, as_of_end)
        shapes = _stats.format_stats(parsed, [i for i in plan if plan[i][0]["shape"]], distinct,
                               {i: encoded[i].sample() for i in plan if plan[i][0]["shape"]}, non_null)
        damage = _stats.damage_stats(parsed, {i: scopes[i] for i in plan if plan[i][0]["damage"]}, non_null)
        bad = {a: F.sum(F.when(~F.col(f), F.col("n")).otherwise(0)).alias(a)
               for a, f in (("invalid_emails", "email_ok"), ("invalid_phones", "phone_ok"))}
        validity = _stats.agg_rows(parsed, list(bad.values()))
        non_plain = _stats.agg_rows(parsed.filter("plain IS NOT NULL"), [
            F.sum(F.when(~F.col("plain"), F.col("n")).otherwise(0)).alias("non_plain"),
            F.sum(F.when(F.col("num").isNull() | F.isnan("num"), F.col("n")).otherwise(0)).alias("non_numeric")])
        top = _stats.top_values(clean, [i for i in range(len(names))
                                  if semantic[i] not in ("identifier", "free_text", "empty")])
    finally:
        parsed.unpersist()
    out = {}
    for i, name in enumerate(names):
        sem, stats = semantic[i], {}
        if plan[i][0]["number"]:
            np_ = non_plain.get(i, {"non_plain": 0, "non_numeric": 0})
            stats = {"non_numeric": int(np_["non_numeric"]), "non_plain_numbers": int(np_["non_plain"]),
                     "off_format": int(np_["non_plain"]), **numbers.get(i, {})}
            as_text = text[i] and (counts[i]["blank"] > 0 or bool(tokens[i]) or stats["non_plain_numbers"] > 0)
            sem = sem if sem == "number_as_text" else ("number_as_text" if as_text else "number")
        elif plan[i][0]["date"]:
            stats = dict(dates.get(i, {"date_formats": {}, "unparseable_dates": 0, "off_format": 0,
                                       "dominant_format_share": None, "_iso": True}))
            iso = stats.pop("_iso")
            sem = sem if sem == "date_as_text" else ("date" if iso else "date_as_text")
        stats.update(shapes.get(i, {}))
        want = plan[i][0]
        for attr, flag in (("invalid_emails", "email"), ("invalid_phones", "phone")):
            if want[flag]:
                stats[attr] = infer.reported_invalid(int(validity.get(i, {}).get(attr) or 0), non_null[i])
        stats["spreadsheet_damage"] = damage.get(i)
        out[name] = _column(name, kinds[name], sem, stats, counts[i], tokens[i], non_null[i], distinct[i],
                            summary.get(i, {}).get("singles") or 0, top.get(i, []), pii=name in pii, hint=hints[i],
                            rows=non_null[i] + counts[i]["missing"] + counts[i]["blank"] + sum(tokens[i].values()))
    return out


def _damage_scope(name: str, semantic: str, kind: str, *, key: bool, float_column: bool) -> cols.DamageScope:
    """:func:`readiness.profiling.infer.damage_scope`; typed columns other than numbers show no damage."""
    if kind not in ("text", "number"):
        return cols.DamageScope()
    return infer.damage_scope(name, semantic, text=kind == "text", key=key, float_column=float_column)


def _column(name: str, kind: str, semantic: str, stats: dict, counts: dict, tokens: dict, non_null: int,
            distinct: int, singles: int, top: list, *, pii: bool, hint: str | None, rows: int) -> ColumnProfile:
    personal = personal_kind_of(name, semantic, pii=pii, hint=hint)
    null_total = rows - non_null
    col = ColumnProfile(name=name, semantic_type=semantic, dtype="string" if kind == "text" else kind, rows=rows,
                        missing=counts["missing"], blank=counts["blank"], null_tokens=tokens, null_total=null_total,
                        null_share=null_total / rows if rows else 0.0, distinct=distinct,
                        distinct_ratio=distinct / non_null if non_null else 0.0,
                        unique_ratio=singles / non_null if non_null else 0.0,
                        personal_kind=personal, text_source=kind == "text")
    for attr, value in stats.items():
        setattr(col, attr, value)
    if kind == "date":  # as pandas writes a timestamp: 2026-01-02 10:00:00, fraction only when there is one
        top = [(str(pd.Timestamp(v)), n) for v, n in top]
    col.top_values = [(shown_value(v, personal), n) for v, n in top]
    if personal is not None:
        col.min, col.max = (mask_value(v, personal) if v is not None else None for v in (col.min, col.max))
        col.mean, col.quantiles, col.latest_date = None, {}, None
    return col


# --- what the negative rows of a count column share (see readiness.profiling.profile) ------------------

_MARKS = "q int, t int, kind string, marker string, neg long, other long"


def _negative_markers(sdf: Any, kinds: dict[str, str], columns: dict[str, ColumnProfile], *, decimal: str) -> None:
    """Fill ``negative_marker`` of each count column with negative values, in one pass over their rows."""
    F = _f()
    counted = [n for n, c in columns.items() if c.semantic_type in infer.NUMBER_TYPES and infer.is_count_column(n)
               and c.non_positive - c.zeros > 0]
    if not counted:
        return
    names = list(columns)
    plan = {q: [names.index(t) for t in marker_columns(columns, q)] for q in counted}
    sentinels = {q: columns[q].sentinel_value for q in counted}
    used = sorted({names.index(q) for q in counted} | {t for ts in plan.values() for t in ts})
    source = sdf.select(*[_raw(names[i], kinds[names[i]]).alias(f"c{i}") for i in used])
    marks = source.mapInArrow(_marker_batches(names, kinds, plan, sentinels, used, decimal), _MARKS)
    summed = marks.groupBy("q", "t", "kind", "marker").agg(F.sum("neg").alias("neg"), F.sum("other").alias("other"))
    found = summed.filter(F.col("neg") > 0).collect()
    for q in counted:
        qi = names.index(q)
        totals = next((r for r in found if r["q"] == qi and r["t"] == -1), None)
        if totals is None:
            continue
        tallies = [(names[r["t"]], r["kind"], r["marker"], int(r["neg"]), int(r["other"]))
                   for r in found if r["q"] == qi and r["t"] >= 0]
        columns[q].negative_marker = choose_marker(tallies, negatives=int(totals["neg"]), others=int(totals["other"]),
                                                   order=names)


def _marker_batches(names: list[str], kinds: dict[str, str], plan: dict[str, list[int]],
                    sentinels: dict[str, float | None], used: list[int], decimal: str) -> Any:
    position = {i: k for k, i in enumerate(used)}

    def clean(array: pa.Array, text: bool) -> pa.Array:
        k, kept = _scan._classes(array.cast(pa.string()), text)
        return pc.if_else(pa.array(k == 3), kept, pa.scalar(None, pa.string())) if text else array.cast(pa.string())

    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in batches:
            parts = []
            for q, targets in plan.items():
                qi = names.index(q)
                text = kinds[q] == "text"
                values = clean(batch.column(position[qi]), text)
                numbers = (cols.parse_numbers(pc.fill_null(values, ""), decimal=decimal)[0] if text
                           else pc.cast(values, pa.float64()).to_numpy(zero_copy_only=False))
                numbers = np.where(values.is_null().to_numpy(zero_copy_only=False), np.nan, numbers)
                counted = np.isfinite(numbers)
                if sentinels[q] is not None:
                    counted &= numbers != sentinels[q]
                negative = counted & (numbers < 0)
                other = counted & ~negative
                parts.append(_mark_table(qi, -1, "total", pa.array([""]), np.array([negative.sum()]),
                                         np.array([other.sum()])))
                for t in targets:
                    marked = clean(batch.column(position[t]), True)
                    prefix = pc.struct_field(pc.extract_regex(marked, r"^(?P<prefix>[A-Za-z]+)[0-9]"), [0])
                    for kind, keys in (("value", marked), ("prefix", prefix)):
                        table = pa.table({"m": keys, "neg": pa.array(negative.astype(np.int64)),
                                          "other": pa.array(other.astype(np.int64))}).filter(pc.is_valid(keys))
                        grouped = table.group_by("m").aggregate([("neg", "sum"), ("other", "sum")])
                        parts.append(_mark_table(qi, t, kind, grouped["m"].combine_chunks(),
                                                 grouped["neg_sum"].to_numpy(), grouped["other_sum"].to_numpy()))
            yield from pa.concat_tables(parts).to_batches()

    return run


def _mark_table(q: int, t: int, kind: str, markers: pa.Array, neg: np.ndarray, other: np.ndarray) -> pa.Table:
    size = len(markers)
    return pa.table({"q": pa.array(np.full(size, q, dtype=np.int32)), "t": pa.array(np.full(size, t, dtype=np.int32)),
                     "kind": pa.array([kind] * size, pa.string()), "marker": markers.cast(pa.string()),
                     "neg": pa.array(neg.astype(np.int64)), "other": pa.array(other.astype(np.int64))})
