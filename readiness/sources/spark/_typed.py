"""The typed table on Spark: :func:`readiness.quality.typed_frame` computed on the executors.

Every column is converted the way its profiled type says, by the pandas engine's own parsers:
numbers (also numbers stored as text) become doubles, dates timestamps (each value read with
its layout, slash dates in the order the profile decided), blanks and null tokens null, other
text trimmed. NaN becomes null, as pandas counts it missing. Columns nobody reads are swapped
for a one-byte placeholder, so they are neither parsed nor hashed.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from readiness.profiling import columns as cols
from readiness.profiling.infer import DATE_TYPES, NUMBER_TYPES
from readiness.profiling.profile import TableProfile
from readiness.sources.spark._sql import functions as _f
from readiness.sources.spark._sql import kinds as _kinds

PLACEHOLDER = "tinyint"


def column_plan(profile: TableProfile, kinds: dict[str, str]) -> dict[str, tuple[str, bool, bool]]:
    """Column -> (target: number|date|text|keep, read from text, slash dates month first)."""
    plan = {}
    for name, kind in kinds.items():
        col = profile.columns[name]
        text = kind == "text"
        month_first = cols.is_month_first(col.date_formats)
        if col.semantic_type in NUMBER_TYPES:
            target = "number"
        elif col.semantic_type in DATE_TYPES:
            target = "date"
        else:
            target = "text" if text else "keep"
        plan[name] = (target, text, month_first)
    return plan


def _clean_text(values: pa.Array) -> pa.Array:
    """Trimmed text; null for '' / NA, blanks and null tokens (the rules of ``encode_column``)."""
    values = values.cast(pa.string())
    stripped = pc.utf8_trim_whitespace(values)
    bad = cols.as_bool(pc.equal(stripped, "")) | cols.null_token_mask(pc.fill_null(stripped, ""))
    return pc.if_else(pa.array(bad), pa.scalar(None, pa.string()), stripped)


def _per_distinct(values: pa.Array, parse: Any, out_type: pa.DataType) -> pa.Array:
    """``parse`` applied to the distinct non-null values only, spread back over the rows."""
    encoded = pc.dictionary_encode(values)
    parsed = pa.array(parse(encoded.dictionary), type=out_type, from_pandas=True)
    return parsed.take(encoded.indices)


def _convert(values: pa.Array, target: str, text: bool, month_first: bool, decimal: str) -> pa.Array:
    if target == "keep":
        return values
    if target == "number" and not text:
        number = pc.cast(values, pa.float64())
        return pc.if_else(pc.is_nan(number), pa.scalar(None, pa.float64()), number)
    if target == "date" and not text:
        return pc.cast(values, pa.timestamp("us"))
    clean = _clean_text(values)
    if target == "text":
        return clean
    if target == "number":
        def parse(v: pa.Array) -> np.ndarray:
            return cols.parse_numbers(v, decimal=decimal)[0]

        return _per_distinct(clean, parse, pa.float64())

    def parse_dates(v: pa.Array) -> np.ndarray:
        return cols.parse_dates(v, cols.assign_date_formats(v, month_first=month_first)).astype("datetime64[us]")

    return _per_distinct(clean, parse_dates, pa.timestamp("us"))


def _convert_batches(plan: dict[str, tuple[str, bool, bool]], decimal: str) -> Any:
    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in batches:
            arrays = [_convert(batch.column(i), *plan[name], decimal) for i, name in enumerate(batch.schema.names)]
            yield pa.RecordBatch.from_arrays(arrays, names=batch.schema.names)

    return run


def typed_frame_spark(sdf: Any, profile: TableProfile, *, decimal: str = ".",
                      columns: Iterable[str] | None = None) -> Any:
    """``sdf`` with each column converted to its profiled type (see the module docstring).

    Parameters
    ----------
    sdf : pyspark.sql.DataFrame
        The table as read by :func:`readiness.sources.spark.read_table`.
    profile : TableProfile
        Its profile (semantic types and the decided date layouts).
    decimal : {".", ","}
        The file's decimal mark.
    columns : iterable of str, optional
        Only these are converted; the others become a one-byte placeholder (names and order kept).

    Returns
    -------
    pyspark.sql.DataFrame
    """
    from pyspark.sql import types as T

    F = _f()
    kinds = _kinds(sdf)
    wanted = list(sdf.columns) if columns is None else [c for c in sdf.columns if c in set(columns)]
    plan = {n: p for n, p in column_plan(profile, kinds).items() if n in wanted}
    fields = {f.name: f.dataType for f in sdf.schema.fields}
    out_types = {"number": T.DoubleType(), "date": T.TimestampNTZType(), "text": T.StringType()}
    source = sdf.select(*[F.col(f"`{n}`").cast("timestamp_ntz") if plan[n] == ("date", False, plan[n][2])
                          else F.col(f"`{n}`") for n in wanted])
    schema = T.StructType([T.StructField(n, out_types.get(plan[n][0], fields[n]), True) for n in wanted])
    typed = source.mapInArrow(_convert_batches(plan, decimal), schema) if wanted else source
    if len(wanted) == len(sdf.columns):
        return typed
    return typed.select(*[F.col(f"`{n}`") if n in plan else F.lit(0).cast(PLACEHOLDER).alias(n)
                          for n in sdf.columns])
